// Package generated has one type-safe Go function for each GraphQL
// operation in queries/, and the Go types of their inputs and results,
// compiled by genqlient from Panther's public schema. Together the
// operations cover every query and mutation root field of the schema.
//
// Every function takes a context and a graphql.Client; pass a
// *panther.Client (package github.com/panthersdk/panther-go/panther):
//
//	client, err := panther.NewFromEnv()
//	...
//	resp, err := generated.GetUserByEmail(ctx, client, "ada@example.com")
//
// Conventions of the generated types:
//
//   - Nullable result fields are pointers; GraphQL interfaces and unions are
//     Go interfaces with one implementation per concrete type (switch on it).
//     A concrete type added to Panther after this SDK was generated decodes
//     as the interface's Unknown implementation (for example
//     UnknownSourceDetails), which holds its __typename and raw JSON, so
//     that a new type never fails a response. Enum values added later pass
//     through as their string.
//   - Optional input fields are pointers or slices tagged omitempty: a field
//     left nil is not sent, so an update changes only what it sets. Use
//     panther.Ptr for literals and panther.WithExplicitField to send null.
//   - DateTime and Timestamp are time.Time, JSON is json.RawMessage, Long is
//     int64 (see package panther/scalar).
//   - Shared shapes are named after the fragments in queries/, such as
//     AlertSummary, UserDetails and ActorRef.
//   - Type names are at most 40 characters. Where genqlient's own name
//     (operation, field and type names joined) would be longer, queries/
//     names the type with # @genqlient(typename: "..."): after the GraphQL
//     type for connection and output shapes (AlertsOutputEdge,
//     CursorBasedPaginationPageInfo), after the operation for an entity it
//     selects only part of (UpdateAlertStatusAlert).
//   - Functions are named after the GraphQL operation, which mirrors the
//     root field (UpdateAlertsAssigneeByEmail for
//     updateAlertsAssigneeByEmail), never after a helper of package panther
//     that does something else.
//
// Every response decodes in a single pass over its JSON (decoders.go),
// exactly as genqlient's own decoding would, which is kept for the rare
// input the single pass does not take.
//
// Everything except this file, deprecated.go (aliases of the previous
// release's type names) and the tests is generated: genqlient writes
// genqlient.go, and tools/gendecode then writes decoders.go and completes
// genqlient.go with the Unknown members. Change queries/ or schema/ and run
// `make generate`; never edit the generated files by hand.
package generated
