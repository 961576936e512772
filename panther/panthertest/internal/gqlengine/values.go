package gqlengine

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// This file replaces gqlparser's ValuesOfCorrectType validation rule with
// one that decides like graphql-js's: every literal in the document (field
// and directive arguments, variable defaults) is coerced against its type at
// validation time, so that a literal a GraphQL server would reject fails the
// whole request before anything executes. gqlparser's rule differs from
// graphql-js in ways that matter to tests: it accepts Int literals outside 32
// bits, rejects ID literals longer than 64 bits and never looks at custom
// scalars.

// validationRules is gqlparser's default rule set with ValuesOfCorrectType
// replaced by literalsRule.
//
// KnownRootType goes too: graphql-js validates an operation whose root type
// the schema lacks (a subscription here) and fails it when executing it,
// with data null.
func validationRules(s *ast.Schema) *rules.Rules {
	r := rules.NewDefaultRules()
	r.RemoveRule(rules.ValuesOfCorrectTypeRule.Name)
	r.RemoveRule(rules.KnownRootTypeRule.Name)
	r.AddRule("LiteralsOfCorrectType", literalsRule(s))
	return r
}

func literalsRule(s *ast.Schema) core.RuleFunc {
	return func(observers *core.Events, addError core.AddErrFunc) {
		// The walker visits a fragment once per operation that spreads it
		// and once on its own: report each problem once.
		seen := map[string]bool{}
		report := func(pos *ast.Position, msg string) {
			key := msg
			if pos != nil {
				key = fmt.Sprintf("%d:%d:%s", pos.Line, pos.Column, msg)
			}
			if seen[key] {
				return
			}
			seen[key] = true
			addError(core.Message("%s", msg), core.At(pos))
		}
		check := func(args ast.ArgumentList, defs ast.ArgumentDefinitionList) {
			for _, a := range args {
				def := defs.ForName(a.Name)
				if def == nil || a.Value == nil {
					continue // KnownArgumentNames reports it
				}
				checkLiteral(s, a.Value, def.Type, "argument \""+a.Name, report)
			}
		}
		observers.OnField(func(_ *core.Walker, f *ast.Field) {
			if f.Definition != nil {
				check(f.Arguments, f.Definition.Arguments)
			}
		})
		observers.OnDirective(func(_ *core.Walker, d *ast.Directive) {
			if d.Definition != nil {
				check(d.Arguments, d.Definition.Arguments)
			}
		})
		observers.OnVariable(func(_ *core.Walker, v *ast.VariableDefinition) {
			if v.DefaultValue == nil || s.Types[v.Type.Name()] == nil {
				return
			}
			checkLiteral(s, v.DefaultValue, v.Type, "default value of \"$"+v.Variable, report)
		})
	}
}

// checkLiteral reports, through report, every reason why lit is not a valid
// literal of typ, as graphql-js's ValuesOfCorrectTypeRule does, with the same
// messages. Variables are left to VariablesInAllowedPosition and to variable
// coercion. where names the value for messages of custom scalars, which
// graphql-js leaves to the scalar: `argument "input.createdAtAfter`, without
// the closing quote.
func checkLiteral(s *ast.Schema, lit *ast.Value, typ *ast.Type, where string, report func(*ast.Position, string)) {
	if lit.Kind == ast.Variable {
		return
	}
	expected := func(detail string) {
		msg := fmt.Sprintf("Expected value of type \"%s\", found %s", typ.String(), printLiteral(lit))
		if detail != "" {
			msg += "; " + detail
		} else {
			msg += "."
		}
		report(lit.Position, msg)
	}
	if lit.Kind == ast.NullValue {
		if typ.NonNull {
			expected("")
		}
		return
	}
	if typ.Elem != nil {
		if lit.Kind == ast.ListValue {
			for _, ch := range lit.Children {
				checkLiteral(s, ch.Value, typ.Elem, where, report)
			}
			return
		}
		// A single value where a list is expected is a list of one.
		checkLiteral(s, lit, typ.Elem, where, report)
		return
	}
	def := s.Types[typ.NamedType]
	if def == nil {
		return // KnownTypeNames reports it
	}
	switch def.Kind {
	case ast.Scalar:
		if isTimeScalar(def.Name) {
			if lit.Kind != ast.StringValue && lit.Kind != ast.BlockValue || !validTime(lit.Raw) {
				expected(where + "\": " + timeScalarError(def.Name, printLiteral(lit)))
			}
		} else if msg := scalarLiteralError(def.Name, lit); msg != "" {
			report(lit.Position, msg)
		}
	case ast.Enum:
		switch {
		case lit.Kind != ast.EnumValue:
			report(lit.Position, fmt.Sprintf("Enum \"%s\" cannot represent non-enum value: %s.", def.Name, printLiteral(lit)))
		case def.EnumValues.ForName(lit.Raw) == nil:
			report(lit.Position, fmt.Sprintf("Value \"%s\" does not exist in \"%s\" enum.", lit.Raw, def.Name))
		}
	case ast.InputObject:
		if lit.Kind != ast.ObjectValue {
			expected("")
			return
		}
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil && lit.Children.ForName(f.Name) == nil {
				report(lit.Position, fmt.Sprintf("Field \"%s.%s\" of required type \"%s\" was not provided.", def.Name, f.Name, f.Type.String()))
			}
		}
		if def.Directives.ForName("oneOf") != nil {
			switch {
			case len(lit.Children) != 1:
				report(lit.Position, fmt.Sprintf("OneOf Input Object \"%s\" must specify exactly one key.", def.Name))
			case lit.Children[0].Value.Kind == ast.NullValue:
				report(lit.Position, fmt.Sprintf("Field \"%s.%s\" must be non-null.", def.Name, lit.Children[0].Name))
			}
		}
		for _, ch := range lit.Children {
			f := def.Fields.ForName(ch.Name)
			if f == nil {
				report(ch.Position, fmt.Sprintf("Field \"%s\" is not defined by type \"%s\".", ch.Name, def.Name))
				continue
			}
			checkLiteral(s, ch.Value, f.Type, where+"."+ch.Name, report)
		}
	default:
		expected("")
	}
}

// scalarLiteralError returns why lit is not a literal of the scalar, or "".
// Built-in scalars follow the specification (§3.5); custom scalars other
// than DateTime and Timestamp (JSON, Long, Email, ...) accept any literal, as
// a server that does not check them would.
func scalarLiteralError(scalar string, lit *ast.Value) string {
	isString := lit.Kind == ast.StringValue || lit.Kind == ast.BlockValue
	switch scalar {
	case "Int":
		if lit.Kind != ast.IntValue {
			return "Int cannot represent non-integer value: " + printLiteral(lit)
		}
		if _, err := strconv.ParseInt(lit.Raw, 10, 32); err != nil {
			return "Int cannot represent non 32-bit signed integer value: " + lit.Raw
		}
	case "Float":
		if lit.Kind != ast.IntValue && lit.Kind != ast.FloatValue {
			return "Float cannot represent non numeric value: " + printLiteral(lit)
		}
	case "String":
		if !isString {
			return "String cannot represent a non string value: " + printLiteral(lit)
		}
	case "Boolean":
		if lit.Kind != ast.BooleanValue {
			return "Boolean cannot represent a non boolean value: " + printLiteral(lit)
		}
	case "ID":
		if !isString && lit.Kind != ast.IntValue {
			return "ID cannot represent a non-string and non-integer value: " + printLiteral(lit)
		}
	}
	return ""
}

// isTimeScalar reports whether the custom scalar is one of Panther's
// timestamps, which the engine checks.
func isTimeScalar(name string) bool { return name == "DateTime" || name == "Timestamp" }

func timeScalarError(scalar, value string) string {
	return fmt.Sprintf("%s must be a string in RFC 3339 format, like \"2006-01-02T15:04:05.000Z\", not %s.", scalar, value)
}

// timeFormat is RFC 3339's date-time, the format of Panther's DateTime
// ("YYYY-MM-DDThh:mm:ss.000Z") and Timestamp (ISO 8601 in UTC) scalars; the
// fraction is optional and an offset is accepted as well as Z.
var timeFormat = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$`)

// validTime reports whether s is a valid RFC 3339 date-time.
func validTime(s string) bool {
	if !timeFormat.MatchString(s) {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// notExecutable returns, for a query that gqlparser cannot parse as an
// executable document but that is a valid type system document, the
// validation errors graphql-js reports for it (ExecutableDefinitions): one
// per definition. It returns nil otherwise, leaving the syntax error.
func notExecutable(query string) gqlerror.List {
	doc, err := parser.ParseSchema(&ast.Source{Input: query})
	if err != nil {
		return nil
	}
	var errs gqlerror.List
	add := func(name string, pos *ast.Position) {
		if name == "" {
			name = "schema"
			errs = append(errs, errorAt(pos, "The schema definition is not executable."))
			return
		}
		errs = append(errs, errorAt(pos, "The \"%s\" definition is not executable.", name))
	}
	for _, d := range doc.Schema {
		add("", d.Position)
	}
	for _, d := range doc.SchemaExtension {
		add("", d.Position)
	}
	for _, d := range doc.Directives {
		add(d.Name, d.Position)
	}
	for _, d := range doc.Definitions {
		add(d.Name, d.Position)
	}
	for _, d := range doc.Extensions {
		add(d.Name, d.Position)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
