package schemautil

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/panthersdk/panther-go/schema"
)

// base is a small schema every case below modifies.
const base = `
type Query {
  alerts(input: AlertsInput, first: Int = 10): AlertsOutput!
  alert(id: ID!): Alert
  node: Node
  old: String @deprecated(reason: "use alerts")
}
interface Node { id: ID! }
type Alert implements Node { id: ID! title: String severity: Severity! tags: [String!] }
type AlertsOutput { alerts: [Alert!]! cursor: String }
input AlertsInput { pageSize: Int = 25 severity: Severity cursor: String }
enum Severity { LOW HIGH }
union Item = Alert | AlertsOutput
directive @auth(role: String) on FIELD_DEFINITION
`

func TestDiffClassification(t *testing.T) {
	for _, tc := range []struct {
		name       string
		old, new   string // replacements applied to base: old text -> new text
		wantType   ChangeType
		wantCrit   Criticality
		wantPath   string
		wantCoords string
	}{
		{"type removed", "union Item = Alert | AlertsOutput", "", TypeRemoved, Breaking, "Item", "Item"},
		{"type added", "enum Severity", "type Extra { a: Int }\nenum Severity", TypeAdded, Safe, "Extra", ""},
		{"type kind changed", "union Item = Alert | AlertsOutput", "type Item { a: Int }", TypeKindChanged, Breaking, "Item", "Item"},
		{"field removed", "title: String ", "", FieldRemoved, Breaking, "Alert.title", "Alert.title"},
		{"field added", "cursor: String }\ninput", "cursor: String total: Int }\ninput", FieldAdded, Safe, "AlertsOutput.total", ""},
		{"output nullable to non-null", "title: String ", "title: String! ", FieldTypeChanged, Safe, "Alert.title", "Alert.title"},
		{"output non-null to nullable", "severity: Severity!", "severity: Severity", FieldTypeChanged, Breaking, "Alert.severity", "Alert.severity"},
		{"output list item non-null to nullable", "tags: [String!]", "tags: [String]", FieldTypeChanged, Breaking, "Alert.tags", "Alert.tags"},
		{"output named type changed", "title: String ", "title: Int ", FieldTypeChanged, Breaking, "Alert.title", "Alert.title"},
		{"argument removed", "alert(id: ID!)", "alert", ArgumentRemoved, Breaking, "Query.alert.id", "Query.alert(id:)"},
		{"argument made required", "alerts(input: AlertsInput,", "alerts(input: AlertsInput!,", ArgumentTypeChanged, Breaking, "Query.alerts.input", "Query.alerts(input:)"},
		{"argument made optional", "alert(id: ID!)", "alert(id: ID)", ArgumentTypeChanged, Safe, "Query.alert.id", "Query.alert(id:)"},
		{"required argument added", "alert(id: ID!)", "alert(id: ID!, org: ID!)", ArgumentAdded, Breaking, "Query.alert.org", "Query.alert"},
		{"required argument with default added", "alert(id: ID!)", "alert(id: ID!, org: ID! = \"x\")", ArgumentAdded, Dangerous, "Query.alert.org", "Query.alert"},
		{"optional argument added", "alert(id: ID!)", "alert(id: ID!, org: ID)", ArgumentAdded, Dangerous, "Query.alert.org", "Query.alert"},
		{"argument default changed", "first: Int = 10", "first: Int = 50", ArgumentDefaultChanged, Dangerous, "Query.alerts.first", "Query.alerts(first:)"},
		{"input field removed", "cursor: String }\nenum", "}\nenum", InputFieldRemoved, Breaking, "AlertsInput.cursor", "AlertsInput.cursor"},
		{"required input field added", "cursor: String }\nenum", "cursor: String org: ID! }\nenum", InputFieldAdded, Breaking, "AlertsInput.org", "AlertsInput"},
		{"optional input field added", "cursor: String }\nenum", "cursor: String org: ID }\nenum", InputFieldAdded, Safe, "AlertsInput.org", ""},
		{"input field with default added", "cursor: String }\nenum", "cursor: String org: ID = \"x\" }\nenum", InputFieldAdded, Dangerous, "AlertsInput.org", "AlertsInput"},
		{"argument deprecated", "alert(id: ID!)", "alert(id: ID! @deprecated)", "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED", Safe, "Query.alert.id.@deprecated", "Query.alert(id:)"},
		{"input field made required", "severity: Severity cursor", "severity: Severity! cursor", InputFieldTypeChanged, Breaking, "AlertsInput.severity", "AlertsInput.severity"},
		{"input field default changed", "pageSize: Int = 25", "pageSize: Int = 50", InputFieldDefaultChanged, Dangerous, "AlertsInput.pageSize", "AlertsInput.pageSize"},
		{"enum value removed", "{ LOW HIGH }", "{ LOW }", EnumValueRemoved, Breaking, "Severity.HIGH", "Severity"},
		{"enum value added", "{ LOW HIGH }", "{ LOW HIGH CRITICAL }", EnumValueAdded, Dangerous, "Severity.CRITICAL", "Severity"},
		{"union member removed", "Alert | AlertsOutput", "Alert", UnionMemberRemoved, Breaking, "Item", "Item"},
		{"union member added", "Alert | AlertsOutput", "Alert | AlertsOutput | Extra\ntype Extra { a: Int }", UnionMemberAdded, Dangerous, "Item", "Item"},
		{"interface removed", "type Alert implements Node", "type Alert", ObjectInterfaceRemoved, Breaking, "Alert", "Alert"},
		{"interface added", "type AlertsOutput {", "type AlertsOutput implements Node { id: ID!", ObjectInterfaceAdded, Dangerous, "AlertsOutput", "AlertsOutput"},
		{"description added", "type AlertsOutput", "\"Page of alerts\" type AlertsOutput", TypeDescriptionAdded, Safe, "AlertsOutput", ""},
		{"field deprecated", "cursor: String }\ninput", "cursor: String @deprecated }\ninput", FieldDeprecationAdded, Safe, "AlertsOutput.cursor.@deprecated", ""},
		{"field undeprecated", ` @deprecated(reason: "use alerts")`, "", FieldDeprecationRemoved, Safe, "Query.old.@deprecated", ""},
		{"deprecation reason changed", `"use alerts"`, `"use alert"`, FieldDeprecationReasonChanged, Safe, "Query.old.@deprecated", ""},
		{"enum value deprecated", "{ LOW HIGH }", "{ LOW @deprecated HIGH }", EnumValueDeprecationReasonAdded, Safe, "Severity.LOW.@deprecated", ""},
		{"directive removed", "directive @auth(role: String) on FIELD_DEFINITION", "", DirectiveRemoved, Breaking, "@auth", "@auth"},
		{"directive location removed", "directive @auth(role: String) on FIELD_DEFINITION", "directive @auth(role: String) on OBJECT", DirectiveLocationRemoved, Breaking, "@auth", "@auth"},
		{"required directive argument added", "@auth(role: String)", "@auth(role: String, scope: String!)", DirectiveArgumentAdded, Breaking, "@auth", "@auth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("test bug: base lacks %q", tc.old)
			}
			changes := diffSDL(t, []byte(base), []byte(strings.Replace(base, tc.old, tc.new, 1)))
			if len(changes) == 0 {
				t.Fatal("no changes reported")
			}
			var found *Change
			for i, c := range changes {
				if c.Type == tc.wantType && c.Path == tc.wantPath {
					found = &changes[i]
				}
			}
			if found == nil {
				t.Fatalf("no %s at %s in %v", tc.wantType, tc.wantPath, changes)
			}
			if found.Criticality != tc.wantCrit {
				t.Errorf("%s criticality = %s, want %s", found, found.Criticality, tc.wantCrit)
			}
			if found.Coordinate != tc.wantCoords {
				t.Errorf("%s coordinate = %q, want %q", found, found.Coordinate, tc.wantCoords)
			}
			if found.Criticality != Safe && found.Reason == "" {
				t.Errorf("%s has no reason", found)
			}
		})
	}
}

func TestDiffIdenticalAndReordered(t *testing.T) {
	if c := diffSDL(t, []byte(schema.SDL), []byte(schema.SDL)); len(c) != 0 {
		t.Errorf("identical schemas: %v", c)
	}
	reordered := `directive @auth(role: String) on FIELD_DEFINITION
union Item = AlertsOutput | Alert
enum Severity { HIGH LOW }
input AlertsInput { cursor: String severity: Severity pageSize: Int = 25 }
type AlertsOutput { cursor: String alerts: [Alert!]! }
type Alert implements Node { tags: [String!] severity: Severity! title: String id: ID! }
interface Node { id: ID! }
type Query {
  old: String @deprecated(reason: "use alerts")
  node: Node
  alert(id: ID!): Alert
  alerts(first: Int = 10, input: AlertsInput): AlertsOutput!
}`
	if c := diffSDL(t, []byte(base), []byte(reordered)); len(c) != 0 {
		t.Errorf("reordered schema reported as changed: %v", c)
	}
}

func TestDiffOrderAndSummary(t *testing.T) {
	newSDL := strings.NewReplacer("{ LOW HIGH }", "{ LOW HIGH CRITICAL }", "title: String ", "", "type AlertsOutput", "scalar Extra\ntype AlertsOutput").Replace(base)
	changes := diffSDL(t, []byte(base), []byte(newSDL))
	if got, want := Summarize(changes), (Summary{Breaking: 1, Dangerous: 1, Safe: 1}); got != want {
		t.Fatalf("Summarize = %+v, want %+v (%v)", got, want, changes)
	}
	for i, want := range []Criticality{Breaking, Dangerous, Safe} {
		if changes[i].Criticality != want {
			t.Errorf("changes[%d] = %s, want %s first", i, changes[i], want)
		}
	}
	if m, ok := Max(changes); !ok || m != Breaking {
		t.Errorf("Max = %v, %v", m, ok)
	}
	b, err := json.Marshal(changes[0])
	if err != nil {
		t.Fatal(err)
	}
	var back Change
	if err := json.Unmarshal(b, &back); err != nil || back != changes[0] {
		t.Errorf("JSON round trip: %s -> %+v, %v", b, back, err)
	}
	if !strings.Contains(string(b), `"criticality":"BREAKING"`) {
		t.Errorf("criticality not encoded by name: %s", b)
	}
}

func TestDiffDefaultValueFormatting(t *testing.T) {
	a := `type Query { f(x: [Int] = [1,2], o: In = {a: 1, b: "x"}): Int } input In { a: Int b: String }`
	b := `type Query { f(x: [Int] = [1, 2], o: In = {b: "x", a: 1}): Int } input In { a: Int b: String }`
	if c := diffSDL(t, []byte(a), []byte(b)); len(c) != 0 {
		t.Errorf("equal defaults written differently reported as changes: %v", c)
	}
}
