package schemautil

import (
	"os"
	"strings"
	"testing"
	"unicode"
)

// TestIntrospectionQueryIsGraphQLJSs keeps IntrospectionQuery, which the
// fetcher sends, the same document as graphql-js's full introspection query
// recorded in panthertest's testdata (the fake is tested against that text),
// so that the two copies cannot drift apart. Layout is ignored.
func TestIntrospectionQueryIsGraphQLJSs(t *testing.T) {
	recorded, err := os.ReadFile("../../../panther/panthertest/testdata/graphqljs/introspection-query.graphql")
	if err != nil {
		t.Fatal(err)
	}
	squeeze := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == ',' {
				return -1
			}
			return r
		}, s)
	}
	if got, want := squeeze(IntrospectionQuery), squeeze(string(recorded)); got != want {
		t.Errorf("IntrospectionQuery differs from graphql-js's recorded query\n got: %s\nwant: %s", got, want)
	}
}
