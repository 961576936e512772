// Package bench compares panther-go with other ways of calling Panther's
// GraphQL API from Go, against one in-process loopback server that answers
// from response bodies computed before timing starts.
//
// Contenders, all decoding the same fields of the same operations:
//
//   - panther-go: the generated functions on a *panther.Client, with the
//     panther iterators (panther.Alerts, panther.DataLakeResults).
//   - panther-go-loop: a hand-written loop over the generated functions
//     (generated.ListAlerts, generated.DataLakeQueryResults) instead of the
//     iterators. The iterators decode pages through leaner types (a lean
//     alert type, the DataLakeQueryResultRows operation), so this row shows
//     what the plain generated types cost.
//   - raw: net/http and encoding/json into hand-written structs holding only
//     the selected fields. This is the floor every other contender is
//     compared with.
//   - machinebox: github.com/machinebox/graphql, decoding into the same
//     hand-written structs as raw.
//   - shurcool: github.com/shurcooL/graphql, with the query built from
//     tagged structs as that library requires.
//
// Scenarios: a small query round trip (generalSettings), paging 10,000
// alerts at page sizes 25 and 100, streaming 100,000 data lake result rows
// in pages of 999, and 16 goroutines sharing one client. Besides time and
// allocations, BenchmarkDataLakePeakHeap reports the live heap while
// streaming 10,000 and 100,000 rows, and the BenchmarkDecode* benchmarks
// time decoding alone, without HTTP. TestContendersDecodeTheSameData checks
// that every contender decodes exactly what the server sent. Run them with
//
//	go test -bench . -benchmem
//
// and turn the output into a table with ./cmd/benchtable. The benchmarks are
// not part of the main module's test suite.
package bench
