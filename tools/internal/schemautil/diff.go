package schemautil

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Criticality says how a schema change affects existing clients. The
// levels and the rules assigning them follow graphql-inspector.
type Criticality int

const (
	// Safe changes cannot break an existing client: additions of types
	// and output fields, description changes, deprecations.
	Safe Criticality = iota
	// Dangerous changes do not break existing operations but may change
	// what clients see at run time: a new enum value or union member a
	// client's switch does not handle, a changed default value, a new
	// optional argument.
	Dangerous
	// Breaking changes make existing operations fail validation or
	// existing clients misbehave: removals, stricter inputs, looser
	// outputs, new required inputs.
	Breaking
)

var criticalityNames = [...]string{Safe: "SAFE", Dangerous: "DANGEROUS", Breaking: "BREAKING"}

func (c Criticality) String() string {
	if c < 0 || int(c) >= len(criticalityNames) {
		return fmt.Sprintf("Criticality(%d)", int(c))
	}
	return criticalityNames[c]
}

// MarshalText encodes c as its name, e.g. "BREAKING".
func (c Criticality) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes a name written by MarshalText.
func (c *Criticality) UnmarshalText(b []byte) error {
	i := slices.Index(criticalityNames[:], strings.ToUpper(string(b)))
	if i < 0 {
		return fmt.Errorf("unknown criticality %q (want SAFE, DANGEROUS or BREAKING)", b)
	}
	*c = Criticality(i)
	return nil
}

// ChangeType names a kind of change, using graphql-inspector's names.
type ChangeType string

// The change types Diff reports.
const (
	SchemaRootChanged              ChangeType = "SCHEMA_ROOT_TYPE_CHANGED"
	TypeAdded                      ChangeType = "TYPE_ADDED"
	TypeRemoved                    ChangeType = "TYPE_REMOVED"
	TypeKindChanged                ChangeType = "TYPE_KIND_CHANGED"
	TypeDescriptionChanged         ChangeType = "TYPE_DESCRIPTION_CHANGED"
	FieldAdded                     ChangeType = "FIELD_ADDED"
	FieldRemoved                   ChangeType = "FIELD_REMOVED"
	FieldTypeChanged               ChangeType = "FIELD_TYPE_CHANGED"
	FieldDescriptionChanged        ChangeType = "FIELD_DESCRIPTION_CHANGED"
	FieldDeprecationAdded          ChangeType = "FIELD_DEPRECATION_ADDED"
	FieldDeprecationRemoved        ChangeType = "FIELD_DEPRECATION_REMOVED"
	FieldDeprecationReasonChanged  ChangeType = "FIELD_DEPRECATION_REASON_CHANGED"
	ArgumentAdded                  ChangeType = "FIELD_ARGUMENT_ADDED"
	ArgumentRemoved                ChangeType = "FIELD_ARGUMENT_REMOVED"
	ArgumentTypeChanged            ChangeType = "FIELD_ARGUMENT_TYPE_CHANGED"
	ArgumentDefaultChanged         ChangeType = "FIELD_ARGUMENT_DEFAULT_CHANGED"
	ArgumentDescriptionChanged     ChangeType = "FIELD_ARGUMENT_DESCRIPTION_CHANGED"
	InputFieldAdded                ChangeType = "INPUT_FIELD_ADDED"
	InputFieldRemoved              ChangeType = "INPUT_FIELD_REMOVED"
	InputFieldTypeChanged          ChangeType = "INPUT_FIELD_TYPE_CHANGED"
	InputFieldDefaultChanged       ChangeType = "INPUT_FIELD_DEFAULT_VALUE_CHANGED"
	InputFieldDescriptionChanged   ChangeType = "INPUT_FIELD_DESCRIPTION_CHANGED"
	EnumValueAdded                 ChangeType = "ENUM_VALUE_ADDED"
	EnumValueRemoved               ChangeType = "ENUM_VALUE_REMOVED"
	EnumValueDescriptionChanged    ChangeType = "ENUM_VALUE_DESCRIPTION_CHANGED"
	EnumValueDeprecationAdded      ChangeType = "ENUM_VALUE_DEPRECATION_ADDED"
	EnumValueDeprecationRemoved    ChangeType = "ENUM_VALUE_DEPRECATION_REMOVED"
	EnumValueDeprecationChanged    ChangeType = "ENUM_VALUE_DEPRECATION_REASON_CHANGED"
	UnionMemberAdded               ChangeType = "UNION_MEMBER_ADDED"
	UnionMemberRemoved             ChangeType = "UNION_MEMBER_REMOVED"
	ObjectInterfaceAdded           ChangeType = "OBJECT_TYPE_INTERFACE_ADDED"
	ObjectInterfaceRemoved         ChangeType = "OBJECT_TYPE_INTERFACE_REMOVED"
	DirectiveAdded                 ChangeType = "DIRECTIVE_ADDED"
	DirectiveRemoved               ChangeType = "DIRECTIVE_REMOVED"
	DirectiveLocationAdded         ChangeType = "DIRECTIVE_LOCATION_ADDED"
	DirectiveLocationRemoved       ChangeType = "DIRECTIVE_LOCATION_REMOVED"
	DirectiveArgumentAdded         ChangeType = "DIRECTIVE_ARGUMENT_ADDED"
	DirectiveArgumentRemoved       ChangeType = "DIRECTIVE_ARGUMENT_REMOVED"
	DirectiveArgumentTypeChanged   ChangeType = "DIRECTIVE_ARGUMENT_TYPE_CHANGED"
	DirectiveArgumentDefaultChange ChangeType = "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED"
)

// Change is one difference between two schemas.
type Change struct {
	Type        ChangeType  `json:"type"`
	Criticality Criticality `json:"criticality"`
	// Path is the schema coordinate changed: "Alert", "Query.alerts",
	// "Query.alerts(input:)", "AlertsInput.pageSize", "Severity.HIGH",
	// "@auth(role:)".
	Path    string `json:"path"`
	Message string `json:"message"`
	// Reason explains a BREAKING or DANGEROUS classification.
	Reason string `json:"reason,omitempty"`
	// Coordinate is the schema coordinate whose use by an operation makes
	// the change matter to that operation: the removed or changed element
	// itself, or, for a new required argument or input field, the field
	// or input type that gained it.
	Coordinate string `json:"coordinate"`
}

// String formats c as "BREAKING Query.alerts: message".
func (c Change) String() string {
	return fmt.Sprintf("%s %s: %s", c.Criticality, c.Path, c.Message)
}

// Diff returns every change from old to new, sorted by criticality
// (BREAKING first), then path, then type.
func Diff(old, new *ast.Schema) []Change {
	d := &differ{}
	d.roots(old, new)
	for _, name := range unionKeys(userTypes(old), userTypes(new)) {
		o, n := old.Types[name], new.Types[name]
		switch {
		case n == nil || isBuiltin(n):
			d.add(TypeRemoved, Breaking, name, name,
				fmt.Sprintf("Type '%s' was removed", name),
				"Removing a type breaks every operation that uses it.")
		case o == nil || isBuiltin(o):
			d.add(TypeAdded, Safe, name, "", fmt.Sprintf("Type '%s' was added", name), "")
		default:
			d.typ(o, n)
		}
	}
	for _, name := range unionKeys(userDirectives(old), userDirectives(new)) {
		d.directive(old.Directives[name], new.Directives[name])
	}
	slices.SortStableFunc(d.changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(b.Criticality, a.Criticality), strings.Compare(a.Path, b.Path), strings.Compare(string(a.Type), string(b.Type)))
	})
	return d.changes
}

// Summary counts changes per criticality.
type Summary struct {
	Breaking  int `json:"breaking"`
	Dangerous int `json:"dangerous"`
	Safe      int `json:"safe"`
}

// Summarize counts changes per criticality.
func Summarize(changes []Change) Summary {
	var s Summary
	for _, c := range changes {
		switch c.Criticality {
		case Breaking:
			s.Breaking++
		case Dangerous:
			s.Dangerous++
		default:
			s.Safe++
		}
	}
	return s
}

// Max returns the highest criticality among changes and false when there
// are none.
func Max(changes []Change) (Criticality, bool) {
	if len(changes) == 0 {
		return Safe, false
	}
	m := Safe
	for _, c := range changes {
		m = max(m, c.Criticality)
	}
	return m, true
}

type differ struct{ changes []Change }

func (d *differ) add(t ChangeType, c Criticality, path, coord, msg, reason string) {
	if c == Safe {
		reason = ""
	}
	d.changes = append(d.changes, Change{Type: t, Criticality: c, Path: path, Message: msg, Reason: reason, Coordinate: coord})
}

func (d *differ) roots(old, new *ast.Schema) {
	for _, r := range []struct {
		op   string
		o, n *ast.Definition
	}{{"query", old.Query, new.Query}, {"mutation", old.Mutation, new.Mutation}, {"subscription", old.Subscription, new.Subscription}} {
		on, nn := defName(r.o), defName(r.n)
		if on == nn {
			continue
		}
		crit, reason := Breaking, "Operations of this kind are sent to a different root type."
		if on == "" {
			crit, reason = Safe, ""
		}
		d.add(SchemaRootChanged, crit, "schema."+r.op, on,
			fmt.Sprintf("Schema %s root type changed from '%s' to '%s'", r.op, orNone(on), orNone(nn)), reason)
	}
}

func defName(d *ast.Definition) string {
	if d == nil {
		return ""
	}
	return d.Name
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (d *differ) typ(o, n *ast.Definition) {
	name := o.Name
	if o.Kind != n.Kind {
		d.add(TypeKindChanged, Breaking, name, name,
			fmt.Sprintf("'%s' kind changed from '%s' to '%s'", name, o.Kind, n.Kind),
			"Changing the kind of a type breaks every operation that uses it.")
		return
	}
	if o.Description != n.Description {
		d.add(TypeDescriptionChanged, Safe, name, "", describeChange(fmt.Sprintf("Description of type '%s'", name), o.Description, n.Description), "")
	}
	switch o.Kind {
	case ast.Object, ast.Interface:
		d.outputFields(o, n)
		d.members(ObjectInterfaceRemoved, ObjectInterfaceAdded, name, o.Interfaces, n.Interfaces,
			"'%s' no longer implements interface '%s'", "'%s' implements new interface '%s'",
			"Fragments on the interface no longer match this type.",
			"Fragments on the new interface now match this type; code assuming otherwise may see new data.")
	case ast.InputObject:
		d.inputFields(o, n)
	case ast.Enum:
		d.enumValues(o, n)
	case ast.Union:
		d.members(UnionMemberRemoved, UnionMemberAdded, name, o.Types, n.Types,
			"Member '%[2]s' was removed from union type '%[1]s'", "Member '%[2]s' was added to union type '%[1]s'",
			"Fragments on the removed member no longer validate and clients expecting it break.",
			"Clients may receive a member type they do not handle.")
	}
}

func (d *differ) members(removed, added ChangeType, name string, o, n []string, rmMsg, addMsg, rmReason, addReason string) {
	for _, m := range unionKeys(set(o), set(n)) {
		switch {
		case !slices.Contains(n, m):
			d.add(removed, Breaking, name+"."+m, name, fmt.Sprintf(rmMsg, name, m), rmReason)
		case !slices.Contains(o, m):
			d.add(added, Dangerous, name+"."+m, name, fmt.Sprintf(addMsg, name, m), addReason)
		}
	}
}

func (d *differ) outputFields(o, n *ast.Definition) {
	kind := "object type"
	if o.Kind == ast.Interface {
		kind = "interface"
	}
	for _, fname := range unionKeys(fieldMap(o.Fields), fieldMap(n.Fields)) {
		of, nf := o.Fields.ForName(fname), n.Fields.ForName(fname)
		path := o.Name + "." + fname
		switch {
		case nf == nil:
			reason := "Removing a field breaks every operation that selects it."
			if isDeprecated(of.Directives) {
				reason = "The field was deprecated; removing it still breaks every operation that selects it."
			}
			d.add(FieldRemoved, Breaking, path, path, fmt.Sprintf("Field '%s' was removed from %s '%s'", fname, kind, o.Name), reason)
			continue
		case of == nil:
			d.add(FieldAdded, Safe, path, "", fmt.Sprintf("Field '%s' was added to %s '%s'", fname, kind, o.Name), "")
			continue
		}
		if of.Description != nf.Description {
			d.add(FieldDescriptionChanged, Safe, path, "", describeChange(fmt.Sprintf("Description of field '%s'", path), of.Description, nf.Description), "")
		}
		d.deprecation(FieldDeprecationAdded, FieldDeprecationRemoved, FieldDeprecationReasonChanged, "Field", path, of.Directives, nf.Directives)
		if ot, nt := of.Type.String(), nf.Type.String(); ot != nt {
			crit, reason := Safe, ""
			if !safeOutputChange(of.Type, nf.Type) {
				crit, reason = Breaking, "Clients relying on the old type (e.g. on a non-null value) break."
			}
			d.add(FieldTypeChanged, crit, path, path, fmt.Sprintf("Field '%s' changed type from '%s' to '%s'", path, ot, nt), reason)
		}
		d.arguments(path, of.Arguments, nf.Arguments, ArgumentAdded, ArgumentRemoved, ArgumentTypeChanged, ArgumentDefaultChanged, Dangerous)
	}
}

// arguments compares the arguments of a field or directive. optionalAdded
// is the criticality of a new optional argument: DANGEROUS on fields (it
// may change the field's behaviour for clients that do not send it), SAFE
// on directives.
func (d *differ) arguments(owner string, o, n ast.ArgumentDefinitionList, added, removed, typeChanged, defChanged ChangeType, optionalAdded Criticality) {
	names := func(l ast.ArgumentDefinitionList) map[string]bool {
		m := map[string]bool{}
		for _, a := range l {
			m[a.Name] = true
		}
		return m
	}
	for _, aname := range unionKeys(names(o), names(n)) {
		oa, na := o.ForName(aname), n.ForName(aname)
		path := owner + "(" + aname + ":)"
		switch {
		case na == nil:
			d.add(removed, Breaking, path, path, fmt.Sprintf("Argument '%s' was removed from '%s'", aname, owner),
				"Operations passing the argument no longer validate.")
			continue
		case oa == nil:
			if na.Type.NonNull && na.DefaultValue == nil {
				d.add(added, Breaking, path, owner, fmt.Sprintf("Required argument '%s: %s' was added to '%s'", aname, na.Type, owner),
					"Operations that do not pass the new required argument no longer validate.")
			} else {
				d.add(added, optionalAdded, path, owner, fmt.Sprintf("Optional argument '%s: %s' was added to '%s'", aname, na.Type, owner),
					"A new optional argument may change the result for clients that do not send it.")
			}
			continue
		}
		if oa.Description != na.Description {
			d.add(ArgumentDescriptionChanged, Safe, path, "", describeChange(fmt.Sprintf("Description of argument '%s'", path), oa.Description, na.Description), "")
		}
		if ot, nt := oa.Type.String(), na.Type.String(); ot != nt {
			crit, reason := Safe, ""
			if !safeInputChange(oa.Type, na.Type) {
				crit, reason = Breaking, "Values valid for the old type are rejected, or variables of the old type no longer match."
			}
			d.add(typeChanged, crit, path, path, fmt.Sprintf("Argument '%s' changed type from '%s' to '%s'", path, ot, nt), reason)
		}
		if ov, nv := valueString(oa.DefaultValue), valueString(na.DefaultValue); ov != nv {
			d.add(defChanged, Dangerous, path, path, fmt.Sprintf("Default value of argument '%s' changed from '%s' to '%s'", path, orNone(ov), orNone(nv)),
				"Clients that omit the argument get different behaviour.")
		}
	}
}

func (d *differ) inputFields(o, n *ast.Definition) {
	for _, fname := range unionKeys(fieldMap(o.Fields), fieldMap(n.Fields)) {
		of, nf := o.Fields.ForName(fname), n.Fields.ForName(fname)
		path := o.Name + "." + fname
		switch {
		case nf == nil:
			d.add(InputFieldRemoved, Breaking, path, path, fmt.Sprintf("Input field '%s' was removed from input object type '%s'", fname, o.Name),
				"Operations setting the field no longer validate.")
			continue
		case of == nil:
			if nf.Type.NonNull && nf.DefaultValue == nil {
				d.add(InputFieldAdded, Breaking, path, o.Name, fmt.Sprintf("Required input field '%s: %s' was added to input object type '%s'", fname, nf.Type, o.Name),
					"Existing values of the input type lack the new required field and are rejected.")
			} else {
				d.add(InputFieldAdded, Dangerous, path, o.Name, fmt.Sprintf("Optional input field '%s: %s' was added to input object type '%s'", fname, nf.Type, o.Name),
					"A new optional input field may change the behaviour for clients that do not set it.")
			}
			continue
		}
		if of.Description != nf.Description {
			d.add(InputFieldDescriptionChanged, Safe, path, "", describeChange(fmt.Sprintf("Description of input field '%s'", path), of.Description, nf.Description), "")
		}
		if ot, nt := of.Type.String(), nf.Type.String(); ot != nt {
			crit, reason := Safe, ""
			if !safeInputChange(of.Type, nf.Type) {
				crit, reason = Breaking, "Values valid for the old type are rejected."
			}
			d.add(InputFieldTypeChanged, crit, path, path, fmt.Sprintf("Input field '%s' changed type from '%s' to '%s'", path, ot, nt), reason)
		}
		if ov, nv := valueString(of.DefaultValue), valueString(nf.DefaultValue); ov != nv {
			d.add(InputFieldDefaultChanged, Dangerous, path, path, fmt.Sprintf("Default value of input field '%s' changed from '%s' to '%s'", path, orNone(ov), orNone(nv)),
				"Clients that omit the field get different behaviour.")
		}
	}
}

func (d *differ) enumValues(o, n *ast.Definition) {
	names := func(l ast.EnumValueList) map[string]bool {
		m := map[string]bool{}
		for _, v := range l {
			m[v.Name] = true
		}
		return m
	}
	for _, vname := range unionKeys(names(o.EnumValues), names(n.EnumValues)) {
		ov, nv := o.EnumValues.ForName(vname), n.EnumValues.ForName(vname)
		path := o.Name + "." + vname
		switch {
		case nv == nil:
			d.add(EnumValueRemoved, Breaking, path, o.Name, fmt.Sprintf("Enum value '%s' was removed from enum '%s'", vname, o.Name),
				"Operations and clients using the value break.")
			continue
		case ov == nil:
			d.add(EnumValueAdded, Dangerous, path, o.Name, fmt.Sprintf("Enum value '%s' was added to enum '%s'", vname, o.Name),
				"Clients may receive a value they do not handle.")
			continue
		}
		if ov.Description != nv.Description {
			d.add(EnumValueDescriptionChanged, Safe, path, "", describeChange(fmt.Sprintf("Description of enum value '%s'", path), ov.Description, nv.Description), "")
		}
		d.deprecation(EnumValueDeprecationAdded, EnumValueDeprecationRemoved, EnumValueDeprecationChanged, "Enum value", path, ov.Directives, nv.Directives)
	}
}

func (d *differ) deprecation(added, removed, changed ChangeType, what, path string, o, n ast.DirectiveList) {
	od, nd := o.ForName("deprecated"), n.ForName("deprecated")
	switch {
	case od == nil && nd != nil:
		d.add(added, Safe, path, "", fmt.Sprintf("%s '%s' is deprecated", what, path), "")
	case od != nil && nd == nil:
		d.add(removed, Dangerous, path, path, fmt.Sprintf("%s '%s' is no longer deprecated", what, path),
			"Tooling may have planned for its removal.")
	case od != nil && deprecationReason(od) != deprecationReason(nd):
		d.add(changed, Safe, path, "", fmt.Sprintf("Deprecation reason of %s '%s' changed from '%s' to '%s'",
			strings.ToLower(what), path, deprecationReason(od), deprecationReason(nd)), "")
	}
}

func (d *differ) directive(o, n *ast.DirectiveDefinition) {
	switch {
	case n == nil:
		path := "@" + o.Name
		d.add(DirectiveRemoved, Breaking, path, path, fmt.Sprintf("Directive '%s' was removed", path), "Documents using the directive no longer validate.")
		return
	case o == nil:
		d.add(DirectiveAdded, Safe, "@"+n.Name, "", fmt.Sprintf("Directive '@%s' was added", n.Name), "")
		return
	}
	path := "@" + o.Name
	locs := func(l []ast.DirectiveLocation) map[string]bool {
		m := map[string]bool{}
		for _, x := range l {
			m[string(x)] = true
		}
		return m
	}
	ol, nl := locs(o.Locations), locs(n.Locations)
	for _, l := range unionKeys(ol, nl) {
		switch {
		case !nl[l]:
			d.add(DirectiveLocationRemoved, Breaking, path, path, fmt.Sprintf("Location '%s' was removed from directive '%s'", l, path),
				"Uses of the directive at that location no longer validate.")
		case !ol[l]:
			d.add(DirectiveLocationAdded, Safe, path, "", fmt.Sprintf("Location '%s' was added to directive '%s'", l, path), "")
		}
	}
	d.arguments(path, o.Arguments, n.Arguments, DirectiveArgumentAdded, DirectiveArgumentRemoved, DirectiveArgumentTypeChanged, DirectiveArgumentDefaultChange, Safe)
}

// safeOutputChange reports whether an output field may change from old to
// new without breaking clients: only by becoming stricter (nullable to
// non-null), never by changing the named type or list structure.
func safeOutputChange(old, new *ast.Type) bool {
	if old.NonNull && !new.NonNull {
		return false
	}
	if (old.Elem == nil) != (new.Elem == nil) {
		return false
	}
	if old.Elem == nil {
		return old.NamedType == new.NamedType
	}
	return safeOutputChange(old.Elem, new.Elem)
}

// safeInputChange reports whether an argument or input field may change
// from old to new without breaking clients: only by becoming looser
// (non-null to nullable).
func safeInputChange(old, new *ast.Type) bool {
	if !old.NonNull && new.NonNull {
		return false
	}
	if (old.Elem == nil) != (new.Elem == nil) {
		return false
	}
	if old.Elem == nil {
		return old.NamedType == new.NamedType
	}
	return safeInputChange(old.Elem, new.Elem)
}

func describeChange(what, o, n string) string {
	switch {
	case o == "":
		return what + " was added"
	case n == "":
		return what + " was removed"
	default:
		return what + " changed"
	}
}

func isDeprecated(l ast.DirectiveList) bool { return l.ForName("deprecated") != nil }

func deprecationReason(d *ast.Directive) string {
	if a := d.Arguments.ForName("reason"); a != nil && a.Value != nil {
		return a.Value.Raw
	}
	return defaultDeprecationReason
}

// valueString prints a default value canonically, so that equal values
// written differently ("[1,2]" and "[1, 2]") compare equal.
func valueString(v *ast.Value) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(canonicalValue(v))
	if err != nil {
		return v.String()
	}
	return string(b)
}

func canonicalValue(v *ast.Value) any {
	switch v.Kind {
	case ast.ListValue:
		l := []any{}
		for _, c := range v.Children {
			l = append(l, canonicalValue(c.Value))
		}
		return l
	case ast.ObjectValue:
		m := map[string]any{}
		for _, c := range v.Children {
			m[c.Name] = canonicalValue(c.Value)
		}
		return m
	case ast.NullValue:
		return nil
	default:
		return fmt.Sprintf("%d:%s", v.Kind, v.Raw)
	}
}

func isBuiltin(d *ast.Definition) bool { return d.BuiltIn || strings.HasPrefix(d.Name, "__") }

func userTypes(s *ast.Schema) map[string]bool {
	m := map[string]bool{}
	for name, d := range s.Types {
		if !isBuiltin(d) {
			m[name] = true
		}
	}
	return m
}

func userDirectives(s *ast.Schema) map[string]bool {
	m := map[string]bool{}
	for name, d := range s.Directives {
		if d.Position == nil || d.Position.Src == nil || !d.Position.Src.BuiltIn {
			m[name] = true
		}
	}
	return m
}

func fieldMap(l ast.FieldList) map[string]bool {
	m := map[string]bool{}
	for _, f := range l {
		if !strings.HasPrefix(f.Name, "__") {
			m[f.Name] = true
		}
	}
	return m
}

func set(l []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range l {
		m[s] = true
	}
	return m
}

func unionKeys(a, b map[string]bool) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if !a[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
