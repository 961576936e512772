// Package schema embeds the Panther public GraphQL schema this SDK is
// generated from, so that tools and the fake server in panthertest validate
// against exactly the schema the generated code was built for.
package schema

import _ "embed"

// SDL is the Panther public GraphQL schema (schema.public.graphql) in
// GraphQL SDL form.
//
//go:embed schema.public.graphql
var SDL string

// Filename is the name under which Panther publishes the schema and under
// which it is stored in this directory.
const Filename = "schema.public.graphql"
