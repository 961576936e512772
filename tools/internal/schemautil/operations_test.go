package schemautil

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/panthersdk/panther-go/schema"
)

const opsSchema = `
type Query { alerts(input: AlertsInput, first: Int): [Alert!]! alert(id: ID!): Alert }
type Alert { id: ID! title: String severity: Severity }
input AlertsInput { pageSize: Int filter: Filter }
input Filter { severity: Severity }
enum Severity { LOW HIGH }
type Unused { a: Int }
`

const opsDoc = `# Alerts.
query ListAlerts($input: AlertsInput) {
  alerts(input: $input) { ...AlertFields }
}

query GetAlert($id: ID!) {
  alert(id: $id) {
    id
    severity
  }
}
`

const fragDoc = `fragment AlertFields on Alert {
  id
  title
}
`

func mustLoad(t *testing.T, src string) *ast.Schema {
	t.Helper()
	s, err := Load("schema", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestValidateReportsOperationFileLineAndField(t *testing.T) {
	ops := NewOperations(map[string]string{"q/alerts.graphql": opsDoc, "q/fragments.graphql": fragDoc})
	if errs, err := ops.Validate(mustLoad(t, opsSchema)); err != nil || len(errs) != 0 {
		t.Fatalf("valid operations: %v, %v", errs, err)
	}

	for _, tc := range []struct {
		name, old, new string
		want           OperationError
	}{
		{"field used by a fragment in another file removed", "title: String ", "",
			OperationError{File: "q/fragments.graphql", Line: 3, Operation: "fragment AlertFields", Field: "Alert.title"}},
		{"argument removed", "alert(id: ID!)", "alert",
			OperationError{File: "q/alerts.graphql", Line: 7, Operation: "query GetAlert", Field: "Query.alert(id:)"}},
		{"argument made required", "alerts(input: AlertsInput,", "alerts(input: AlertsInput!,",
			OperationError{File: "q/alerts.graphql", Line: 3, Operation: "query ListAlerts", Field: "Query.alerts(input:)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs, err := ops.Validate(mustLoad(t, strings.Replace(opsSchema, tc.old, tc.new, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if len(errs) == 0 {
				t.Fatal("no validation errors")
			}
			got := errs[0]
			if got.File != tc.want.File || got.Line != tc.want.Line || got.Operation != tc.want.Operation || got.Field != tc.want.Field {
				t.Errorf("got %+v\nwant file %s line %d operation %q field %q", got, tc.want.File, tc.want.Line, tc.want.Operation, tc.want.Field)
			}
			if got.Message == "" || !strings.HasPrefix(got.Error(), tc.want.File+":") {
				t.Errorf("Error() = %q", got.Error())
			}
		})
	}
}

func TestUsage(t *testing.T) {
	ops := NewOperations(map[string]string{"alerts.graphql": opsDoc, "fragments.graphql": fragDoc})
	used, err := ops.Usage(mustLoad(t, opsSchema))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"Query", "Query.alerts", "Query.alerts(input:)", "Alert.title", "Alert.severity",
		"AlertsInput", "AlertsInput.pageSize", "AlertsInput.filter", "Filter.severity", "Severity", "Query.alert(id:)"} {
		if !used[c] {
			t.Errorf("Usage lacks %s", c)
		}
	}
	for _, c := range []string{"Unused", "Query.alerts(first:)", "Unused.a"} {
		if used[c] {
			t.Errorf("Usage has %s, which no operation uses", c)
		}
	}

	// Affecting keeps only changes to what the operations use.
	changes := diffSDL(t, []byte(opsSchema), []byte(strings.NewReplacer("type Unused { a: Int }", "", "first: Int", "first: Int!", "{ LOW HIGH }", "{ LOW }").Replace(opsSchema)))
	var paths []string
	for _, c := range Affecting(changes, used) {
		paths = append(paths, c.Path)
	}
	if got := strings.Join(paths, " "); got != "Severity.HIGH" {
		t.Errorf("Affecting = %q, want only the removed enum value of a used enum (changes: %v)", got, changes)
	}
}

func TestRealOperationsValidate(t *testing.T) {
	ops, err := ReadOperations(filepath.Join("..", "..", "..", "queries", "*.graphql"))
	if err != nil {
		t.Skipf("no operations in queries/: %v", err)
	}
	s := mustLoad(t, schema.SDL)
	errs, err := ops.Validate(s)
	if err != nil || len(errs) != 0 {
		t.Fatalf("queries/ against the committed schema: %v %v", errs, err)
	}
	used, err := ops.Usage(s)
	if err != nil {
		t.Fatal(err)
	}
	if !used["Query"] || len(used) < 10 {
		t.Errorf("Usage of queries/ is implausibly small: %d coordinates", len(used))
	}
}

func TestReadOperationsNoMatch(t *testing.T) {
	if _, err := ReadOperations(filepath.Join(t.TempDir(), "*.graphql")); err == nil {
		t.Error("no error for a pattern matching nothing")
	}
}
