package gqlengine_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/panthersdk/panther-go/panther/panthertest/internal/gqlengine"
)

func Example() {
	const sdl = `
		type Query { user(id: ID!): User }
		type User { id: ID! name: String! friends(first: Int = 10): [User!]! }
	`
	root := gqlengine.ResolverFunc(func(ctx context.Context, opType, field string, args map[string]any) (any, error) {
		if field != "user" {
			return nil, &gqlengine.ResolverError{Message: "not found", Extensions: map[string]any{"code": "NOT_FOUND"}}
		}
		return map[string]any{
			"id":   args["id"],
			"name": "Ada",
			// Fields with arguments can be computed lazily.
			"friends": gqlengine.FieldFunc(func(ctx context.Context, args map[string]any) (any, error) {
				return []map[string]any{{"id": "2", "name": fmt.Sprintf("first %d", args["first"])}}, nil
			}),
		}, nil
	})
	engine, err := gqlengine.New(sdl, root)
	if err != nil {
		panic(err)
	}
	resp := engine.Execute(context.Background(), gqlengine.Request{
		Query:     `query($id: ID!) { user(id: $id) { name friends { id name } } }`,
		Variables: map[string]any{"id": "1"},
	})
	out, _ := json.Marshal(resp)
	fmt.Println(string(out))
	// Output:
	// {"data":{"user":{"name":"Ada","friends":[{"id":"2","name":"first 10"}]}}}
}
