package bench

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/panthersdk/panther-go/generated/rest"
	"github.com/panthersdk/panther-go/panther"
)

// A contender is one way of calling the API. It takes part in every
// scenario whose interface it implements (settingsContender,
// alertsContender, rowsContender, resultPagesContender), so that a contender
// that only makes sense for one scenario (floor) implements only that one.
//
// Each scenario method runs the scenario once and reports how many items it
// decoded. When out is not nil the method also appends what it decoded, in
// a form common to all contenders, for the tests that check every contender
// decodes the same data; the benchmarks pass nil.
type contender interface {
	Name() string
}

// settingsContender runs the small query.
type settingsContender interface {
	contender
	// GeneralSettings runs GetGeneralSettings and returns pantherVersion.
	GeneralSettings(ctx context.Context) (string, error)
}

// alertsContender lists alerts with the ListAlerts operation.
type alertsContender interface {
	contender
	// ListAlerts pages through every alert, pageSize at a time.
	ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error)
}

// rowsContender streams result rows with the DataLakeQueryResultRows
// operation (status, column info, statistics and rows).
type rowsContender interface {
	contender
	// StreamRows reads every result row of the data lake query id, a page
	// of rowsPageSize at a time, calling onRow (if not nil) after each row.
	StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error)
}

// resultPagesContender reads result pages with the DataLakeQueryResults
// operation, which also selects the query's summary (the
// DataLakeQuerySummary fragment) and the actor profiles.
type resultPagesContender interface {
	contender
	// ResultPages reads every result row of the data lake query id, a page
	// of rowsPageSize at a time. When sum is not nil it is set to the
	// summary decoded with the last page.
	ResultPages(ctx context.Context, id string, out *[]map[string]any, sum *summaryView) (int, error)
}

// restContender calls Panther's REST API: rule#list and rule#get.
type restContender interface {
	contender
	// ListRules pages through every rule, rulesPageSize at a time.
	ListRules(ctx context.Context, out *[]rest.RuleAPIRule) (int, error)
	// GetRule gets the rule with this id and returns its display name.
	GetRule(ctx context.Context, id string, out *rest.RuleAPIRule) (string, error)
}

// contenderEnv is what a contender is built from: the server and the token.
type contenderEnv struct {
	// url is the server's base URL; endpoint is the GraphQL endpoint
	// panther-go derives from it, which every contender posts to, and
	// restBase the base of the REST API.
	url, endpoint, restBase string
	token                   string
}

// httpClient returns a new *http.Client with its own connection pool and
// the transport settings every contender uses.
func (e *contenderEnv) httpClient() *http.Client {
	return &http.Client{Transport: newTransport()}
}

// pantherClient returns a new *panther.Client with its own connection pool.
func (e *contenderEnv) pantherClient() (*panther.Client, error) {
	return panther.New(e.url, e.token, panther.WithHTTPClient(e.httpClient()))
}

// registration is one entry of the contender registry.
type registration struct {
	name string
	// rank orders the contenders in tables and in round 0 of the
	// benchmarks; later rounds rotate the order.
	rank int
	make func(*contenderEnv) (contender, error)
}

var registry []registration

// register adds a contender. Each contender registers itself from an init
// function in its own file (contender_*.go), so adding one touches nothing
// else: the benchmarks, the decoding test and cmd/benchtable pick it up by
// its name.
func register(name string, rank int, make func(*contenderEnv) (contender, error)) {
	registry = append(registry, registration{name: name, rank: rank, make: make})
}

// Ranks of the built-in contenders.
const (
	rankPantherGo = 10
	rankGenerated = 20
	rankRaw       = 30
	rankRawStream = 40
	rankFloor     = 50
	rankPeers     = 60
)

// newTransport returns the transport every contender uses: keep-alive, with
// enough idle connections per host for the 16-goroutine scenario, so that
// no contender pays for new connections that another does not.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// newContenders returns one of each registered contender whose name keep
// accepts (nil: all), talking to the server at url, each with its own
// connection pool, in rank order.
func newContenders(url string, keep func(string) bool) ([]contender, error) {
	pc, err := panther.New(url, benchAPIToken)
	if err != nil {
		return nil, err
	}
	env := &contenderEnv{url: url, endpoint: pc.Endpoint().GraphQL, restBase: pc.Endpoint().REST, token: benchAPIToken}
	regs := slices.Clone(registry)
	slices.SortStableFunc(regs, func(a, b registration) int { return a.rank - b.rank })
	var out []contender
	for _, r := range regs {
		if keep != nil && !keep(r.name) {
			continue
		}
		c, err := r.make(env)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// rotate returns cs rotated left by n, so that successive rounds of the
// benchmarks run the contenders in different orders.
func rotate[T any](cs []T, n int) []T {
	if len(cs) == 0 {
		return cs
	}
	n %= len(cs)
	return append(slices.Clone(cs[n:]), cs[:n]...)
}

// summaryView is a query's summary (the DataLakeQuerySummary fragment) in
// a form common to all contenders.
type summaryView struct {
	ID, Name, SQL, Status, Message string
	IsScheduled                    bool
	StartedAt                      time.Time
	CompletedAt                    *time.Time
	IssuedBy                       *actorView
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
