// Package schema embeds the Panther public API contracts this SDK is
// generated from: the GraphQL schema and the REST API's OpenAPI
// specification, so that tools and the fake server in panthertest validate
// against exactly the contracts the generated code was built for.
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

// OpenAPI is Panther's REST API specification (panther-rest-openapi.yaml),
// an OpenAPI 3.0.3 document in YAML, byte for byte as Panther publishes it.
//
//go:embed panther-rest-openapi.yaml
var OpenAPI []byte

// OpenAPIFilename is the name of the REST API specification in this
// directory.
const OpenAPIFilename = "panther-rest-openapi.yaml"
