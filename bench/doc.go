// Package bench compares panther-go with other ways of calling Panther's
// GraphQL API from Go, against one in-process loopback server that answers
// from response bodies computed before timing starts.
//
// Contenders, each in its own contender_*.go file, registered by name with
// register (contenders.go). In every scenario they send the same operation
// document (shurcool builds its own text with the same selections) and
// decode the same fields; the server answers each document with exactly the
// fields it selects.
//
//   - panther-go: what the documentation recommends: the generated function
//     on a *panther.Client for the small query, the panther iterators
//     (panther.Alerts, panther.DataLakeResults, panther.Rules) for
//     listings, Client.REST for a REST call.
//   - panther-go-loop: the generated functions called directly, in a
//     hand-written paging loop (generated.ListAlertsPage,
//     generated.DataLakeQueryResultRows, generated.DataLakeQueryResults).
//   - raw, the baseline: net/http and encoding/json into hand-written
//     structs holding only the selected fields; the body is read whole into
//     a buffer sized from Content-Length and decoded with one
//     json.Unmarshal, as panther-go does. For REST it decodes into the
//     generated REST types (generated/rest), which hold exactly the fields
//     of the API's documents, as hand-written ones would.
//   - raw-stream: raw decoding with json.NewDecoder on the response body,
//     the common idiom, which buffers and copies more.
//   - floor (small query only): a request body encoded once up front, the
//     response read but not decoded: the loopback round trip itself.
//   - machinebox: github.com/machinebox/graphql, decoding into raw's
//     structs.
//   - shurcool: github.com/shurcooL/graphql, with the query built from
//     tagged structs as that library requires.
//
// A contender takes part in the scenarios whose interface it implements:
//
//   - GeneralSettings (settingsContender): the smallest round trip.
//   - ListAlerts/page=25, page=100 (alertsContender): paging through 10,000
//     alerts.
//   - DataLakeRows (rowsContender): streaming 100,000 data lake result rows
//     in pages of 999 with DataLakeQueryResultRows (not shurcool, which
//     takes about ten times raw's time there and would make every round
//     several times longer).
//   - DataLakeResultPages (resultPagesContender): the 10,000 rows of a
//     smaller query with DataLakeQueryResults, whose pages also carry the
//     query's summary and actor profiles.
//   - RESTListRules, RESTGetRule (restContender): Panther's REST API,
//     1,000 rules listed 50 a page (rule#list), and one rule (rule#get).
//   - ConcurrentSettings: 16 goroutines sharing one client.
//
// Besides time and allocations, BenchmarkDataLakePeakHeap reports the live
// heap while streaming 10,000 and 100,000 rows, and the BenchmarkDecode*
// benchmarks time decoding alone, without HTTP.
// TestContendersDecodeTheSameData checks that every contender decodes
// exactly what the server sent.
//
// Benchmark names are Benchmark<Scenario>/client=<contender>. The -contenders
// flag selects contenders by name and -round rotates their order. Run the
// comparison with make bench (scripts/bench.sh), which runs every benchmark
// once per round (-count 1), several rounds in a row, and turns the output
// into a table with ./cmd/benchtable; that table and the target marks use
// benchstat's statistics (golang.org/x/perf, a tool of this module: go tool
// benchstat). The benchmarks are not part of the main module's test suite.
package bench
