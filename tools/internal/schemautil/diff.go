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

// The change types Diff reports: those of @graphql-inspector/core 8.
const (
	SchemaQueryTypeChanged        ChangeType = "SCHEMA_QUERY_TYPE_CHANGED"
	SchemaMutationTypeChanged     ChangeType = "SCHEMA_MUTATION_TYPE_CHANGED"
	SchemaSubscriptionTypeChanged ChangeType = "SCHEMA_SUBSCRIPTION_TYPE_CHANGED"

	TypeAdded              ChangeType = "TYPE_ADDED"
	TypeRemoved            ChangeType = "TYPE_REMOVED"
	TypeKindChanged        ChangeType = "TYPE_KIND_CHANGED"
	TypeDescriptionChanged ChangeType = "TYPE_DESCRIPTION_CHANGED"
	TypeDescriptionAdded   ChangeType = "TYPE_DESCRIPTION_ADDED"
	TypeDescriptionRemoved ChangeType = "TYPE_DESCRIPTION_REMOVED"

	FieldAdded                    ChangeType = "FIELD_ADDED"
	FieldRemoved                  ChangeType = "FIELD_REMOVED"
	FieldTypeChanged              ChangeType = "FIELD_TYPE_CHANGED"
	FieldDescriptionChanged       ChangeType = "FIELD_DESCRIPTION_CHANGED"
	FieldDescriptionAdded         ChangeType = "FIELD_DESCRIPTION_ADDED"
	FieldDescriptionRemoved       ChangeType = "FIELD_DESCRIPTION_REMOVED"
	FieldDeprecationAdded         ChangeType = "FIELD_DEPRECATION_ADDED"
	FieldDeprecationRemoved       ChangeType = "FIELD_DEPRECATION_REMOVED"
	FieldDeprecationReasonChanged ChangeType = "FIELD_DEPRECATION_REASON_CHANGED"
	FieldDeprecationReasonAdded   ChangeType = "FIELD_DEPRECATION_REASON_ADDED"
	FieldDeprecationReasonRemoved ChangeType = "FIELD_DEPRECATION_REASON_REMOVED"

	ArgumentAdded              ChangeType = "FIELD_ARGUMENT_ADDED"
	ArgumentRemoved            ChangeType = "FIELD_ARGUMENT_REMOVED"
	ArgumentTypeChanged        ChangeType = "FIELD_ARGUMENT_TYPE_CHANGED"
	ArgumentDefaultChanged     ChangeType = "FIELD_ARGUMENT_DEFAULT_CHANGED"
	ArgumentDescriptionChanged ChangeType = "FIELD_ARGUMENT_DESCRIPTION_CHANGED"

	InputFieldAdded              ChangeType = "INPUT_FIELD_ADDED"
	InputFieldRemoved            ChangeType = "INPUT_FIELD_REMOVED"
	InputFieldTypeChanged        ChangeType = "INPUT_FIELD_TYPE_CHANGED"
	InputFieldDefaultChanged     ChangeType = "INPUT_FIELD_DEFAULT_VALUE_CHANGED"
	InputFieldDescriptionChanged ChangeType = "INPUT_FIELD_DESCRIPTION_CHANGED"
	InputFieldDescriptionAdded   ChangeType = "INPUT_FIELD_DESCRIPTION_ADDED"
	InputFieldDescriptionRemoved ChangeType = "INPUT_FIELD_DESCRIPTION_REMOVED"

	EnumValueAdded                   ChangeType = "ENUM_VALUE_ADDED"
	EnumValueRemoved                 ChangeType = "ENUM_VALUE_REMOVED"
	EnumValueDescriptionChanged      ChangeType = "ENUM_VALUE_DESCRIPTION_CHANGED"
	EnumValueDeprecationReasonAdded  ChangeType = "ENUM_VALUE_DEPRECATION_REASON_ADDED"
	EnumValueDeprecationReasonRemove ChangeType = "ENUM_VALUE_DEPRECATION_REASON_REMOVED"
	EnumValueDeprecationChanged      ChangeType = "ENUM_VALUE_DEPRECATION_REASON_CHANGED"

	UnionMemberAdded       ChangeType = "UNION_MEMBER_ADDED"
	UnionMemberRemoved     ChangeType = "UNION_MEMBER_REMOVED"
	ObjectInterfaceAdded   ChangeType = "OBJECT_TYPE_INTERFACE_ADDED"
	ObjectInterfaceRemoved ChangeType = "OBJECT_TYPE_INTERFACE_REMOVED"

	DirectiveAdded                     ChangeType = "DIRECTIVE_ADDED"
	DirectiveRemoved                   ChangeType = "DIRECTIVE_REMOVED"
	DirectiveDescriptionChanged        ChangeType = "DIRECTIVE_DESCRIPTION_CHANGED"
	DirectiveRepeatableAdded           ChangeType = "DIRECTIVE_REPEATABLE_ADDED"
	DirectiveRepeatableRemoved         ChangeType = "DIRECTIVE_REPEATABLE_REMOVED"
	DirectiveLocationAdded             ChangeType = "DIRECTIVE_LOCATION_ADDED"
	DirectiveLocationRemoved           ChangeType = "DIRECTIVE_LOCATION_REMOVED"
	DirectiveArgumentAdded             ChangeType = "DIRECTIVE_ARGUMENT_ADDED"
	DirectiveArgumentRemoved           ChangeType = "DIRECTIVE_ARGUMENT_REMOVED"
	DirectiveArgumentTypeChanged       ChangeType = "DIRECTIVE_ARGUMENT_TYPE_CHANGED"
	DirectiveArgumentDefaultChange     ChangeType = "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED"
	DirectiveArgumentDescriptionChange ChangeType = "DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED"

	// Directive usages: a directive applied to (or removed from) a schema
	// element, e.g. @deprecated on an argument, and the usage's arguments.
	// The kind of element is part of the name:
	// DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED, ..._ENUM_VALUE_REMOVED.
	DirectiveUsageArgumentAdded   ChangeType = "DIRECTIVE_USAGE_ARGUMENT_ADDED"
	DirectiveUsageArgumentRemoved ChangeType = "DIRECTIVE_USAGE_ARGUMENT_REMOVED"
)

// usage kinds, as in DIRECTIVE_USAGE_<kind>_ADDED.
const (
	usageObject     = "OBJECT"
	usageInterface  = "INTERFACE"
	usageInput      = "INPUT_OBJECT"
	usageEnum       = "ENUM"
	usageUnion      = "UNION_MEMBER"
	usageScalar     = "SCALAR"
	usageField      = "FIELD_DEFINITION"
	usageArgument   = "ARGUMENT_DEFINITION"
	usageInputField = "INPUT_FIELD_DEFINITION"
	usageEnumValue  = "ENUM_VALUE"
)

// Change is one difference between two schemas.
type Change struct {
	Type        ChangeType  `json:"type"`
	Criticality Criticality `json:"criticality"`
	// Path is where the change is, in graphql-inspector's form: "Alert",
	// "Query.alerts", "Query.alerts.input" (an argument),
	// "AlertsInput.pageSize", "Severity.HIGH", "@auth.role" (a directive
	// argument), "Alert.title.@deprecated" (a directive usage).
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

// Diff returns every change from old to new, as graphql-inspector
// (@graphql-inspector/core 8) reports them, sorted by criticality
// (BREAKING first), then path, then type.
func Diff(old, new *ast.Schema) []Change {
	d := &differ{}
	for _, name := range unionKeys(userDirectives(old), userDirectives(new)) {
		d.directive(old.Directives[name], new.Directives[name])
	}
	d.roots(old, new)
	for _, name := range unionKeys(userTypes(old), userTypes(new)) {
		o, n := old.Types[name], new.Types[name]
		if o != nil && isBuiltin(o) {
			o = nil
		}
		if n != nil && isBuiltin(n) {
			n = nil
		}
		switch {
		case n == nil:
			d.add(TypeRemoved, Breaking, name, name,
				fmt.Sprintf("Type '%s' was removed", name),
				"Removing a type breaks every operation that uses it.")
		case o == nil:
			d.add(TypeAdded, Safe, name, "", fmt.Sprintf("Type '%s' was added", name), "")
			d.typ(nil, n)
		default:
			d.typ(o, n)
		}
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
		typ  ChangeType
		op   string
		o, n *ast.Definition
	}{
		{SchemaQueryTypeChanged, "query", old.Query, new.Query},
		{SchemaMutationTypeChanged, "mutation", old.Mutation, new.Mutation},
		{SchemaSubscriptionTypeChanged, "subscription", old.Subscription, new.Subscription},
	} {
		on, nn := defName(r.o), defName(r.n)
		if on == nn {
			continue
		}
		crit, reason := Breaking, "Operations of this kind are sent to a different root type."
		if on == "" {
			crit, reason = Safe, ""
		}
		d.add(r.typ, crit, "", on,
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

var kindNames = map[ast.DefinitionKind]string{
	ast.Scalar: "scalar", ast.Object: "object type", ast.Interface: "interface", ast.Union: "union",
	ast.Enum: "enum", ast.InputObject: "input object type",
}

// typ compares two versions of a type; o is nil for an added type, whose
// children are all reported (as inspector does, SAFE).
func (d *differ) typ(o, n *ast.Definition) {
	name := n.Name
	switch {
	case o != nil && o.Kind != n.Kind:
		d.add(TypeKindChanged, Breaking, name, name,
			fmt.Sprintf("'%s' kind changed from '%s' to '%s'", name, kindNames[o.Kind], kindNames[n.Kind]),
			"Changing the kind of a type breaks every operation that uses it.")
	case n.Kind == ast.Object || n.Kind == ast.Interface:
		d.interfaces(o, n)
		d.outputFields(o, n)
		d.usages(usageKind(n.Kind), name, "", directivesOf(o), n.Directives, o == nil, usageCtx{typ: name})
	case n.Kind == ast.InputObject:
		d.inputFields(o, n)
		d.usages(usageInput, name, "", directivesOf(o), n.Directives, o == nil, usageCtx{typ: name})
	case n.Kind == ast.Enum:
		d.enumValues(o, n)
		d.usages(usageEnum, name, "", directivesOf(o), n.Directives, o == nil, usageCtx{typ: name})
	case n.Kind == ast.Union:
		d.unionMembers(o, n)
		d.usages(usageUnion, name, "", directivesOf(o), n.Directives, o == nil, usageCtx{typ: name})
	case n.Kind == ast.Scalar:
		d.usages(usageScalar, name, "", directivesOf(o), n.Directives, o == nil, usageCtx{typ: name})
	}
	od := ""
	if o != nil {
		od = o.Description
	}
	if od != n.Description {
		what := kindNames[n.Kind]
		what = strings.ToUpper(what[:1]) + what[1:]
		switch {
		case od == "":
			d.add(TypeDescriptionAdded, Safe, name, "", fmt.Sprintf("%s '%s' has description '%s'", what, name, n.Description), "")
		case n.Description == "":
			d.add(TypeDescriptionRemoved, Safe, name, "", fmt.Sprintf("Description '%s' was removed from %s '%s'", od, kindNames[n.Kind], name), "")
		default:
			d.add(TypeDescriptionChanged, Safe, name, "", fmt.Sprintf("Description '%s' on type '%s' has changed to '%s'", od, name, n.Description), "")
		}
	}
}

func usageKind(k ast.DefinitionKind) string {
	if k == ast.Interface {
		return usageInterface
	}
	return usageObject
}

func directivesOf(d *ast.Definition) ast.DirectiveList {
	if d == nil {
		return nil
	}
	return d.Directives
}

func (d *differ) interfaces(o, n *ast.Definition) {
	var old []string
	if o != nil {
		old = o.Interfaces
	}
	word := "object"
	if n.Kind == ast.Interface {
		word = "interface"
	}
	for _, i := range unionKeys(set(old), set(n.Interfaces)) {
		switch {
		case !slices.Contains(n.Interfaces, i):
			d.add(ObjectInterfaceRemoved, Breaking, n.Name, n.Name, fmt.Sprintf("'%s' %s no longer implements '%s' interface", n.Name, word, i),
				"Fragments on the interface no longer match this type.")
		case !slices.Contains(old, i):
			crit := Dangerous
			if o == nil {
				crit = Safe
			}
			d.add(ObjectInterfaceAdded, crit, n.Name, n.Name, fmt.Sprintf("'%s' %s implements '%s' interface", n.Name, word, i),
				"Fields returning the interface may now return this type; clients that switch on the concrete type see a type they do not handle.")
		}
	}
}

func (d *differ) unionMembers(o, n *ast.Definition) {
	var old []string
	if o != nil {
		old = o.Types
	}
	for _, m := range unionKeys(set(old), set(n.Types)) {
		switch {
		case !slices.Contains(n.Types, m):
			d.add(UnionMemberRemoved, Breaking, n.Name, n.Name, fmt.Sprintf("Member '%s' was removed from union type '%s'", m, n.Name),
				"Fragments on the removed member no longer validate and clients expecting it break.")
		case !slices.Contains(old, m):
			crit := Dangerous
			if o == nil {
				crit = Safe
			}
			d.add(UnionMemberAdded, crit, n.Name, n.Name, fmt.Sprintf("Member '%s' was added to union type '%s'", m, n.Name),
				"Fields returning the union may now return this member; clients that switch on the members see a type they do not handle.")
		}
	}
}

func (d *differ) outputFields(o, n *ast.Definition) {
	kind := kindNames[n.Kind]
	var oldFields ast.FieldList
	if o != nil {
		oldFields = o.Fields
	}
	for _, fname := range unionKeys(fieldMap(oldFields), fieldMap(n.Fields)) {
		of, nf := oldFields.ForName(fname), n.Fields.ForName(fname)
		path := n.Name + "." + fname
		switch {
		case nf == nil:
			reason, dep := "Removing a field breaks every operation that selects it.", ""
			if isDeprecated(of.Directives) {
				reason, dep = "The field was deprecated; removing it still breaks every operation that selects it.", "(deprecated) "
			}
			d.add(FieldRemoved, Breaking, path, path, fmt.Sprintf("Field '%s' %swas removed from %s '%s'", fname, dep, kind, n.Name), reason)
			continue
		case of == nil:
			d.add(FieldAdded, Safe, path, "", fmt.Sprintf("Field '%s' was added to %s '%s'", fname, kind, n.Name), "")
		}
		d.field(n.Name, of, nf)
	}
}

// field compares two versions of an output field; of is nil for an added
// field.
func (d *differ) field(typ string, of, nf *ast.FieldDefinition) {
	path := typ + "." + nf.Name
	od := ""
	if of != nil {
		od = of.Description
	}
	if od != nf.Description {
		switch {
		case od == "":
			d.add(FieldDescriptionAdded, Safe, path, "", fmt.Sprintf("Field '%s' has description '%s'", path, nf.Description), "")
		case nf.Description == "":
			d.add(FieldDescriptionRemoved, Safe, path, "", fmt.Sprintf("Description was removed from field '%s'", path), "")
		default:
			d.add(FieldDescriptionChanged, Safe, path, "", fmt.Sprintf("Field '%s' description changed from '%s' to '%s'", path, od, nf.Description), "")
		}
	}
	var oldDirs ast.DirectiveList
	if of != nil {
		oldDirs = of.Directives
	}
	depPath := path + ".@deprecated"
	oReason, oDep := deprecationOf(oldDirs)
	nReason, nDep := deprecationOf(nf.Directives)
	switch {
	case !oDep && nDep:
		d.add(FieldDeprecationAdded, Safe, depPath, "", fmt.Sprintf("Field '%s' is deprecated", path), "")
	case oDep && !nDep:
		d.add(FieldDeprecationRemoved, Safe, depPath, "", fmt.Sprintf("Field '%s' is no longer deprecated", path), "")
	case oDep && oReason != nReason:
		switch {
		case oReason == defaultDeprecationReason:
			d.add(FieldDeprecationReasonAdded, Safe, depPath, "", fmt.Sprintf("Field '%s' has deprecation reason '%s'", path, nReason), "")
		case nReason == defaultDeprecationReason:
			d.add(FieldDeprecationReasonRemoved, Safe, path, "", fmt.Sprintf("Deprecation reason was removed from field '%s'", path), "")
		default:
			d.add(FieldDeprecationReasonChanged, Safe, depPath, "", fmt.Sprintf("Deprecation reason on field '%s' has changed from '%s' to '%s'", path, oReason, nReason), "")
		}
	}
	if of != nil {
		if ot, nt := of.Type.String(), nf.Type.String(); ot != nt {
			crit, reason := Safe, ""
			if !safeChangeForField(of.Type, nf.Type) {
				crit, reason = Breaking, "Clients relying on the old type (e.g. on a non-null value) break."
			}
			d.add(FieldTypeChanged, crit, path, path, fmt.Sprintf("Field '%s' changed type from '%s' to '%s'", path, ot, nt), reason)
		}
	}
	var oldArgs ast.ArgumentDefinitionList
	if of != nil {
		oldArgs = of.Arguments
	}
	for _, aname := range unionKeys(argMap(oldArgs), argMap(nf.Arguments)) {
		oa, na := oldArgs.ForName(aname), nf.Arguments.ForName(aname)
		apath := path + "." + aname
		coord := path + "(" + aname + ":)"
		switch {
		case na == nil:
			d.add(ArgumentRemoved, Breaking, apath, coord, fmt.Sprintf("Argument '%s: %s' was removed from field '%s'", aname, oa.Type, path),
				"Operations passing the argument no longer validate.")
		case oa == nil:
			with := ""
			if na.DefaultValue != nil {
				with = " (with default value " + literal(na.DefaultValue) + ")"
			}
			msg := fmt.Sprintf("Argument '%s: %s'%s added to field '%s'", aname, na.Type, with, path)
			switch {
			case of == nil:
				d.add(ArgumentAdded, Safe, apath, "", msg, "")
			case na.Type.NonNull && na.DefaultValue == nil:
				d.add(ArgumentAdded, Breaking, apath, path, msg, "Operations that do not pass the new required argument no longer validate.")
			default:
				d.add(ArgumentAdded, Dangerous, apath, path, msg, "A new optional argument may change the result for clients that do not send it.")
			}
		default:
			d.argument(path, apath, coord, oa, na)
		}
	}
	d.usages(usageField, path, path, oldDirs, nf.Directives, of == nil, usageCtx{typ: typ, field: nf.Name})
}

func (d *differ) argument(field, path, coord string, oa, na *ast.ArgumentDefinition) {
	if oa.Description != na.Description {
		d.add(ArgumentDescriptionChanged, Safe, path, "", fmt.Sprintf("Description for argument '%s' on field '%s' changed from '%s' to '%s'", na.Name, field, oa.Description, na.Description), "")
	}
	if !sameValue(oa.DefaultValue, na.DefaultValue) {
		d.add(ArgumentDefaultChanged, Dangerous, path, coord, fmt.Sprintf("Default value for argument '%s' on field '%s' changed from %s to %s", na.Name, field, literal(oa.DefaultValue), literal(na.DefaultValue)),
			"Clients that omit the argument get different behaviour.")
	}
	if ot, nt := oa.Type.String(), na.Type.String(); ot != nt {
		crit, reason := Safe, ""
		if !safeChangeForInputValue(oa.Type, na.Type) {
			crit, reason = Breaking, "Values valid for the old type are rejected, or variables of the old type no longer match."
		}
		d.add(ArgumentTypeChanged, crit, path, coord, fmt.Sprintf("Type for argument '%s' on field '%s' changed from '%s' to '%s'", na.Name, field, ot, nt), reason)
	}
	d.usages(usageArgument, path, coord, oa.Directives, na.Directives, false, usageCtx{typ: strings.SplitN(field, ".", 2)[0], field: strings.SplitN(field, ".", 2)[1], arg: na.Name})
}

func (d *differ) inputFields(o, n *ast.Definition) {
	var oldFields ast.FieldList
	if o != nil {
		oldFields = o.Fields
	}
	for _, fname := range unionKeys(fieldMap(oldFields), fieldMap(n.Fields)) {
		of, nf := oldFields.ForName(fname), n.Fields.ForName(fname)
		path := n.Name + "." + fname
		if nf == nil {
			d.add(InputFieldRemoved, Breaking, path, path, fmt.Sprintf("Input field '%s' was removed from input object type '%s'", fname, n.Name),
				"Operations setting the field no longer validate.")
			continue
		}
		if of == nil {
			with := ""
			if nf.DefaultValue != nil {
				with = " with default value " + literal(nf.DefaultValue)
			}
			msg := fmt.Sprintf("Input field '%s' of type '%s'%s was added to input object type '%s'", fname, nf.Type, with, n.Name)
			switch {
			case o == nil:
				d.add(InputFieldAdded, Safe, path, "", msg, "")
			case !nf.Type.NonNull && nf.DefaultValue == nil:
				// Inspector: nullable and no default, so existing values
				// still mean what they meant.
				d.add(InputFieldAdded, Safe, path, "", msg, "")
			case nf.DefaultValue == nil:
				d.add(InputFieldAdded, Breaking, path, n.Name, msg, "Existing values of the input type lack the new required field and are rejected.")
			default:
				d.add(InputFieldAdded, Dangerous, path, n.Name, msg, "Clients that omit the new field get its default, which may change what the request does.")
			}
		}
		od := ""
		if of != nil {
			od = of.Description
		}
		if od != nf.Description {
			switch {
			case od == "":
				d.add(InputFieldDescriptionAdded, Safe, path, "", fmt.Sprintf("Input field '%s' has description '%s'", path, nf.Description), "")
			case nf.Description == "":
				d.add(InputFieldDescriptionRemoved, Safe, path, "", fmt.Sprintf("Description was removed from input field '%s'", path), "")
			default:
				d.add(InputFieldDescriptionChanged, Safe, path, "", fmt.Sprintf("Input field '%s' description changed from '%s' to '%s'", path, od, nf.Description), "")
			}
		}
		var oldDirs ast.DirectiveList
		if of != nil {
			if !sameValue(of.DefaultValue, nf.DefaultValue) {
				d.add(InputFieldDefaultChanged, Dangerous, path, path, fmt.Sprintf("Input field '%s' default value changed from %s to %s", path, literal(of.DefaultValue), literal(nf.DefaultValue)),
					"Clients that omit the field get different behaviour.")
			}
			if ot, nt := of.Type.String(), nf.Type.String(); ot != nt {
				crit, reason := Safe, ""
				if !safeChangeForInputValue(of.Type, nf.Type) {
					crit, reason = Breaking, "Values valid for the old type are rejected."
				}
				d.add(InputFieldTypeChanged, crit, path, path, fmt.Sprintf("Input field '%s' changed type from '%s' to '%s'", path, ot, nt), reason)
			}
			oldDirs = of.Directives
		}
		d.usages(usageInputField, path, path, oldDirs, nf.Directives, of == nil, usageCtx{typ: n.Name, field: fname})
	}
}

func (d *differ) enumValues(o, n *ast.Definition) {
	var oldValues ast.EnumValueList
	if o != nil {
		oldValues = o.EnumValues
	}
	names := func(l ast.EnumValueList) map[string]bool {
		m := map[string]bool{}
		for _, v := range l {
			m[v.Name] = true
		}
		return m
	}
	for _, vname := range unionKeys(names(oldValues), names(n.EnumValues)) {
		ov, nv := oldValues.ForName(vname), n.EnumValues.ForName(vname)
		path := n.Name + "." + vname
		if nv == nil {
			d.add(EnumValueRemoved, Breaking, path, n.Name, fmt.Sprintf("Enum value '%s' was removed from enum '%s'", vname, n.Name),
				"Operations and clients using the value break.")
			continue
		}
		var oldDirs ast.DirectiveList
		od := ""
		if ov == nil {
			crit := Dangerous
			if o == nil {
				crit = Safe
			}
			d.add(EnumValueAdded, crit, path, n.Name, fmt.Sprintf("Enum value '%s' was added to enum '%s'", vname, n.Name),
				"Clients may receive a value they do not handle.")
		} else {
			oldDirs, od = ov.Directives, ov.Description
		}
		if od != nv.Description {
			msg := fmt.Sprintf("Description for enum value '%s' changed from '%s' to '%s'", path, od, nv.Description)
			switch {
			case od == "":
				msg = fmt.Sprintf("Description '%s' was added to enum value '%s'", nv.Description, path)
			case nv.Description == "":
				msg = fmt.Sprintf("Description '%s' was removed from enum value '%s'", od, path)
			}
			d.add(EnumValueDescriptionChanged, Safe, path, "", msg, "")
		}
		// Inspector compares the deprecation reasons alone, treating the
		// default reason like none.
		oReason, oDep := deprecationOf(oldDirs)
		nReason, nDep := deprecationOf(nv.Directives)
		if oDep != nDep || oReason != nReason {
			switch {
			case !oDep || oReason == defaultDeprecationReason:
				d.add(EnumValueDeprecationReasonAdded, Safe, path+".@deprecated", "", fmt.Sprintf("Enum value '%s' was deprecated with reason '%s'", path, nReason), "")
			case !nDep || nReason == defaultDeprecationReason:
				d.add(EnumValueDeprecationReasonRemove, Safe, path, "", fmt.Sprintf("Deprecation reason was removed from enum value '%s'", path), "")
			default:
				d.add(EnumValueDeprecationChanged, Safe, path+".@deprecated", "", fmt.Sprintf("Enum value '%s' deprecation reason changed from '%s' to '%s'", path, oReason, nReason), "")
			}
		}
		d.usages(usageEnumValue, path, n.Name, oldDirs, nv.Directives, ov == nil, usageCtx{typ: n.Name, field: vname})
	}
}

// usageCtx names the element holding a directive usage, for the paths of
// the usage's arguments: Type[.field or value][.argument].@directive.arg.
type usageCtx struct{ typ, field, arg string }

func (u usageCtx) path(directive, arg string) string {
	parts := []string{u.typ}
	if u.field != "" {
		parts = append(parts, u.field)
	}
	if u.arg != "" {
		parts = append(parts, u.arg)
	}
	return strings.Join(append(parts, "@"+directive, arg), ".")
}

// usages compares the directives applied to one schema element. Usages
// pair up by name in order, so a repeated directive is compared usage by
// usage. Adding a directive to an existing element is DANGEROUS (it may
// change how the server treats it), removing one too, except @deprecated
// (SAFE either way); on a new element, adding is SAFE.
func (d *differ) usages(kind, path, coord string, o, n ast.DirectiveList, newElement bool, ctx usageCtx) {
	byName := func(l ast.DirectiveList) map[string][]*ast.Directive {
		m := map[string][]*ast.Directive{}
		for _, x := range l {
			m[x.Name] = append(m[x.Name], x)
		}
		return m
	}
	om, nm := byName(o), byName(n)
	where := strings.ToLower(strings.ReplaceAll(strings.TrimSuffix(strings.TrimSuffix(kind, "_DEFINITION"), "_MEMBER"), "_", " "))
	for _, name := range unionKeys(keysOf(om), keysOf(nm)) {
		ol, nl := om[name], nm[name]
		for i := 0; i < max(len(ol), len(nl)); i++ {
			upath := path + ".@" + name
			switch {
			case i >= len(nl):
				crit := Dangerous
				if name == "deprecated" || name == "oneOf" {
					crit = Safe
				}
				d.add(ChangeType("DIRECTIVE_USAGE_"+kind+"_REMOVED"), crit, upath, coord,
					fmt.Sprintf("Directive '%s' was removed from %s '%s'", name, where, path), "Removing a directive may change how the server treats the element.")
			case i >= len(ol):
				crit := Dangerous
				switch {
				case newElement || name == "deprecated":
					crit = Safe
				case name == "oneOf":
					crit = Breaking
				}
				d.add(ChangeType("DIRECTIVE_USAGE_"+kind+"_ADDED"), crit, upath, coord,
					fmt.Sprintf("Directive '%s' was added to %s '%s'", name, where, path), "Adding a directive may change how the server treats the element.")
				d.usageArguments(nil, nl[i], ctx)
			default:
				d.usageArguments(ol[i], nl[i], ctx)
			}
		}
	}
}

// usageArguments compares the arguments of a directive usage. As in
// inspector, a changed value is reported as the old value removed and the
// new one added.
func (d *differ) usageArguments(o, n *ast.Directive, ctx usageCtx) {
	var oldArgs ast.ArgumentList
	if o != nil {
		oldArgs = o.Arguments
	}
	names := func(l ast.ArgumentList) map[string]bool {
		m := map[string]bool{}
		for _, a := range l {
			m[a.Name] = true
		}
		return m
	}
	for _, aname := range unionKeys(names(oldArgs), names(n.Arguments)) {
		oa, na := oldArgs.ForName(aname), n.Arguments.ForName(aname)
		path := ctx.path(n.Name, aname)
		removed := func() {
			d.add(DirectiveUsageArgumentRemoved, Dangerous, path, "", fmt.Sprintf("Argument '%s' was removed from '@%s'", aname, n.Name),
				"Changing an argument on a directive can change runtime behavior.")
		}
		added := func() {
			d.add(DirectiveUsageArgumentAdded, Safe, path, "", fmt.Sprintf("Argument '%s' with value %s was added to '@%s'", aname, literal(na.Value), n.Name), "")
		}
		switch {
		case na == nil:
			removed()
		case oa == nil:
			added()
		case !sameValue(oa.Value, na.Value):
			removed()
			added()
		}
	}
}

func keysOf[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func (d *differ) directive(o, n *ast.DirectiveDefinition) {
	if n == nil {
		path := "@" + o.Name
		d.add(DirectiveRemoved, Breaking, path, path, fmt.Sprintf("Directive '%s' was removed", o.Name), "Documents using the directive no longer validate.")
		return
	}
	path := "@" + n.Name
	if o == nil {
		d.add(DirectiveAdded, Safe, path, "", fmt.Sprintf("Directive '%s' was added", n.Name), "")
	}
	od, oRepeat := "", false
	var oLocs []ast.DirectiveLocation
	var oArgs ast.ArgumentDefinitionList
	if o != nil {
		od, oRepeat, oLocs, oArgs = o.Description, o.IsRepeatable, o.Locations, o.Arguments
	}
	if od != n.Description {
		msg := fmt.Sprintf("Directive '%s' description changed from '%s' to '%s'", n.Name, od, n.Description)
		if od == "" {
			msg = fmt.Sprintf("Directive '%s' description '%s' was added", n.Name, n.Description)
		}
		d.add(DirectiveDescriptionChanged, Safe, path, "", msg, "")
	}
	switch {
	case oRepeat && !n.IsRepeatable:
		d.add(DirectiveRepeatableRemoved, Dangerous, path, path, fmt.Sprintf("Directive '%s' is no longer repeatable", n.Name), "Documents repeating the directive no longer validate.")
	case !oRepeat && n.IsRepeatable:
		d.add(DirectiveRepeatableAdded, Safe, path, "", fmt.Sprintf("Directive '%s' became repeatable", n.Name), "")
	}
	locs := func(l []ast.DirectiveLocation) map[string]bool {
		m := map[string]bool{}
		for _, x := range l {
			m[string(x)] = true
		}
		return m
	}
	ol, nl := locs(oLocs), locs(n.Locations)
	for _, l := range unionKeys(ol, nl) {
		switch {
		case !nl[l]:
			d.add(DirectiveLocationRemoved, Breaking, path, path, fmt.Sprintf("Location '%s' was removed from directive '%s'", l, n.Name),
				"Uses of the directive at that location no longer validate.")
		case !ol[l]:
			d.add(DirectiveLocationAdded, Safe, path, "", fmt.Sprintf("Location '%s' was added to directive '%s'", l, n.Name), "")
		}
	}
	for _, aname := range unionKeys(argMap(oArgs), argMap(n.Arguments)) {
		oa, na := oArgs.ForName(aname), n.Arguments.ForName(aname)
		apath := path + "." + aname
		switch {
		case na == nil:
			d.add(DirectiveArgumentRemoved, Breaking, apath, path, fmt.Sprintf("Argument '%s' was removed from directive '%s'", aname, n.Name),
				"Documents passing the argument no longer validate.")
		case oa == nil:
			msg := fmt.Sprintf("Argument '%s' was added to directive '%s'", aname, n.Name)
			if o != nil && na.Type.NonNull {
				d.add(DirectiveArgumentAdded, Breaking, path, path, msg, "Documents using the directive without the new non-null argument no longer validate.")
			} else {
				d.add(DirectiveArgumentAdded, Safe, path, "", msg, "")
			}
		default:
			if oa.Description != na.Description {
				d.add(DirectiveArgumentDescriptionChange, Safe, apath, "", fmt.Sprintf("Description for argument '%s' on directive '%s' changed from '%s' to '%s'", aname, n.Name, oa.Description, na.Description), "")
			}
			if !sameValue(oa.DefaultValue, na.DefaultValue) {
				d.add(DirectiveArgumentDefaultChange, Dangerous, apath, path, fmt.Sprintf("Default value for argument '%s' on directive '%s' changed from %s to %s", aname, n.Name, literal(oa.DefaultValue), literal(na.DefaultValue)),
					"Documents that omit the argument get different behaviour.")
			}
			if ot, nt := oa.Type.String(), na.Type.String(); ot != nt {
				crit, reason := Safe, ""
				if !safeChangeForInputValue(oa.Type, na.Type) {
					crit, reason = Breaking, "Values valid for the old type are rejected."
				}
				d.add(DirectiveArgumentTypeChanged, crit, apath, path, fmt.Sprintf("Type for argument '%s' on directive '%s' changed from '%s' to '%s'", aname, n.Name, ot, nt), reason)
			}
		}
	}
}

func argMap(l ast.ArgumentDefinitionList) map[string]bool {
	m := map[string]bool{}
	for _, a := range l {
		m[a.Name] = true
	}
	return m
}

// safeChangeForField is graphql-inspector's rule for output types: the
// named type stays, and any wrapper may become non-null.
func safeChangeForField(old, new *ast.Type) bool {
	if !isWrapping(old) && !isWrapping(new) {
		return old.String() == new.String()
	}
	if new.NonNull {
		return safeChangeForField(stripNonNull(old), stripNonNull(new))
	}
	if !old.NonNull && old.Elem != nil {
		return new.Elem != nil && safeChangeForField(old.Elem, new.Elem)
	}
	return false
}

// safeChangeForInputValue is graphql-inspector's rule for argument and
// input field types: the named type stays, and any wrapper may become
// nullable.
func safeChangeForInputValue(old, new *ast.Type) bool {
	if !isWrapping(old) && !isWrapping(new) {
		return old.String() == new.String()
	}
	if !old.NonNull && !new.NonNull && old.Elem != nil && new.Elem != nil {
		return safeChangeForInputValue(old.Elem, new.Elem)
	}
	if old.NonNull {
		return safeChangeForInputValue(stripNonNull(old), stripNonNull(new))
	}
	return false
}

// isWrapping reports whether t is a list or non-null type.
func isWrapping(t *ast.Type) bool { return t.NonNull || t.Elem != nil }

func stripNonNull(t *ast.Type) *ast.Type {
	if !t.NonNull {
		return t
	}
	c := *t
	c.NonNull = false
	return &c
}

func isDeprecated(l ast.DirectiveList) bool { return l.ForName("deprecated") != nil }

// deprecationOf returns the deprecation reason of an element and whether
// it is deprecated at all; @deprecated without a reason has the default
// one.
func deprecationOf(l ast.DirectiveList) (string, bool) {
	d := l.ForName("deprecated")
	if d == nil {
		return "", false
	}
	return deprecationReason(d), true
}

func deprecationReason(d *ast.Directive) string {
	if a := d.Arguments.ForName("reason"); a != nil && a.Value != nil {
		return a.Value.Raw
	}
	return defaultDeprecationReason
}

// literal prints a value as a GraphQL literal ("5", "true",
// "\"panther_logs\"", "[HIGH, LOW]"), or "none".
func literal(v *ast.Value) string {
	if v == nil {
		return "none"
	}
	return v.String()
}

// sameValue reports whether two default values are equal as values, so
// that "[1,2]" equals "[1, 2]" and object fields may come in any order.
func sameValue(a, b *ast.Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return valueString(a) == valueString(b)
}

// valueString prints a value canonically for comparison.
func valueString(v *ast.Value) string {
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
	case ast.StringValue, ast.BlockValue:
		return "s:" + v.Raw
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
