package fetch

import (
	"context"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
	"github.com/panthersdk/panther-go/schema"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// TestIntrospectFakePanther introspects the in-process fake Panther, whose
// GraphQL engine is independent of this package's introspection builder,
// and expects back the schema it serves.
func TestIntrospectFakePanther(t *testing.T) {
	srv := panthertest.Start(t)
	src, err := introspectionSource(t, srv.GraphQLURL(), srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fetch(context.Background(), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := schemautil.Load("introspected", res.SDL)
	if err != nil {
		t.Fatal(err)
	}
	want, err := schemautil.Load("committed", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	if changes := schemautil.Diff(want, got); len(changes) != 0 {
		t.Errorf("introspection of the fake Panther differs from the schema it serves:\n%v", changes)
	}
}
