package schemautil

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/panthersdk/panther-go/schema"
)

func TestNormalizeIsStableAndValid(t *testing.T) {
	once, err := Normalize("schema.public.graphql", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := Normalize("normalized", once)
	if err != nil {
		t.Fatalf("normalized output does not load: %v", err)
	}
	if diff := cmp.Diff(string(once), string(twice)); diff != "" {
		t.Errorf("Normalize is not idempotent (-once +twice):\n%s", diff)
	}
	if strings.Contains(string(once), "Copyright") {
		t.Error("licence comment survived normalization")
	}
	// Descriptions are part of the schema and must be kept.
	if !strings.Contains(string(once), "Used to poll response stream.") {
		t.Error("type description lost")
	}
	// Nothing is lost: the normalized schema describes the same schema.
	if changes := diffSDL(t, []byte(schema.SDL), once); len(changes) != 0 {
		t.Errorf("normalized schema differs from the original: %v", changes)
	}
}

func TestNormalizeIgnoresOrder(t *testing.T) {
	a := `type Query { b(y: Int, x: Int): String a: E }
enum E { Z A }
union U = Q2 | Q1
type Q1 { f: Int } type Q2 { f: Int }`
	b := `# comment
type Q2 { f: Int }
union U = Q1 | Q2
enum E {
  A
  Z
}
type Q1 { f: Int }
type Query {
  a: E
  b(x: Int, y: Int): String
}`
	na, err := Normalize("a", []byte(a))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := Normalize("b", []byte(b))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(na), string(nb)); diff != "" {
		t.Errorf("same schema normalizes differently (-a +b):\n%s", diff)
	}
}

func TestLoadRejectsNonSDL(t *testing.T) {
	for _, tc := range []struct{ name, src, reason string }{
		{"html", "<!DOCTYPE html><html><body>Access denied</body></html>", "HTML"},
		{"xml", `<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>`, "XML"},
		{"json", `{"message":"forbidden"}`, "JSON"},
		{"empty", "  \n", "empty"},
		{"garbage", "hello world", "does not parse"},
		{"invalid", "type Query { a: Missing }", "not a valid GraphQL schema"},
		{"no query", "type Foo { a: Int }", "no Query type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("x.graphql", []byte(tc.src))
			if !errors.Is(err, ErrNotSDL) {
				t.Fatalf("Load(%q) error = %v, want ErrNotSDL", tc.src, err)
			}
			if !strings.Contains(err.Error(), tc.reason) || !strings.Contains(err.Error(), "x.graphql") {
				t.Errorf("error %q does not name the file and say %q", err, tc.reason)
			}
		})
	}
}

func TestIntrospectionRoundTrip(t *testing.T) {
	orig, err := Load("schema.public.graphql", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	// Through JSON, as a server would send it, wrapped in "data".
	raw, err := json.Marshal(map[string]any{"data": BuildIntrospection(orig)})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ParseIntrospection(raw)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := FromIntrospection(in)
	if err != nil {
		t.Fatal(err)
	}
	sdl := Print(doc)
	if _, err := Load("introspection", sdl); err != nil {
		t.Fatalf("SDL from introspection does not load: %v", err)
	}
	if changes := diffSDL(t, []byte(schema.SDL), sdl); len(changes) != 0 {
		t.Errorf("round trip changed the schema: %v", changes)
	}
	// And it prints exactly as the normalized original.
	want, err := Normalize("orig", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(sdl)); diff != "" {
		t.Errorf("introspection SDL != normalized SDL (-want +got):\n%s", diff)
	}
}

func TestIntrospectionKeepsDeprecationDefaultsAndRoots(t *testing.T) {
	src := `schema { query: Root }
directive @auth(role: String = "admin") on FIELD_DEFINITION
type Root {
  old: Int @deprecated
  older: Int @deprecated(reason: "use new")
  list(first: Int = 10, filter: F = {a: [1, 2], e: X}): [[String!]]!
}
input F { a: [Int!] e: E = Y }
enum E { X Y @deprecated(reason: "gone") }`
	s, err := Load("src", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := FromIntrospection(BuildIntrospection(s))
	if err != nil {
		t.Fatal(err)
	}
	got := Print(doc)
	if changes := diffSDL(t, []byte(src), got); len(changes) != 0 {
		t.Errorf("round trip changed the schema: %v\n%s", changes, got)
	}
	for _, want := range []string{"schema {", "query: Root", `@deprecated(reason: "use new")`, "old: Int @deprecated\n", "first: Int = 10", "directive @auth"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("SDL lacks %q:\n%s", want, got)
		}
	}
}

func TestParseIntrospectionErrors(t *testing.T) {
	for _, tc := range []struct{ name, raw, want string }{
		{"not json", "<html>", "not JSON"},
		{"graphql errors", `{"errors":[{"message":"introspection is disabled"}]}`, "introspection is disabled"},
		{"empty", `{"data":{}}`, "no __schema.types"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseIntrospection([]byte(tc.raw))
			var ie *IntrospectionError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want IntrospectionError containing %q", err, tc.want)
			}
		})
	}
	bad := &Introspection{Schema: IntrospectionSchema{QueryType: &IntrospectionNamed{Name: "Query"},
		Types: []IntrospectionType{{Kind: "OBJECT", Name: "Query", Fields: []IntrospectionField{{Name: "a", Type: IntrospectionTypeRef{Kind: "NON_NULL"}}}}}}}
	if _, err := FromIntrospection(bad); err == nil || !strings.Contains(err.Error(), "Query.a") {
		t.Errorf("truncated type reference: err = %v, want error naming Query.a", err)
	}
}

// diffSDL loads both schemas and returns every change between them.
func diffSDL(t *testing.T, a, b []byte) []Change {
	t.Helper()
	sa, err := Load("a", a)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Load("b", b)
	if err != nil {
		t.Fatal(err)
	}
	return Diff(sa, sb)
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
