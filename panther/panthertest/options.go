package panthertest

import (
	"math"
	"net"
	"time"
)

// Defaults used when no Option overrides them.
const (
	DefaultSeed       = 1
	DefaultAlerts     = 120
	DefaultQueryPolls = 2
	DefaultResultRows = 50
	// DefaultVersion is the pantherVersion reported by generalSettings.
	DefaultVersion = "1.110.0"
	// DefaultMaxPageSize is the largest pageSize (and
	// executeAlertActorQuery limit) accepted; see [WithMaxPageSize].
	DefaultMaxPageSize = 999
)

// Option configures a Server.
type Option func(*config)

type config struct {
	seed       int64
	token      string
	alerts     int
	queryPolls int
	resultRows int
	version    string
	now        func() time.Time
	logf       func(format string, args ...any)
	listener   net.Listener
	choices    choices
	schema     *string
}

// choices are the behaviours of the fake that the schema and Panther's
// documentation do not settle; the package documentation lists them under
// "Choices that are not Panther's facts".
type choices struct {
	maxPageSize          int  // largest pageSize and limit
	emptyWindows         bool // a window whose ends are equal is accepted
	optionalAlertWindow  bool // alerts needs neither a detectionId nor a window
	nullableLookupErrors bool // a nullable lookup of an unknown ID adds NOT_FOUND to its null
}

func defaultConfig() *config {
	return &config{
		seed:       DefaultSeed,
		alerts:     DefaultAlerts,
		queryPolls: DefaultQueryPolls,
		resultRows: DefaultResultRows,
		version:    DefaultVersion,
		now:        time.Now,
		choices: choices{
			maxPageSize:          DefaultMaxPageSize,
			nullableLookupErrors: true,
		},
	}
}

// WithSeed sets the seed from which all generated data (IDs, alerts, users,
// query results) derives. Two servers with the same seed, options and clock
// hold identical data.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithToken sets the API token the server accepts. By default a token is
// derived from the seed; read it with [Server.Token].
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithAlerts sets how many alerts are seeded (default [DefaultAlerts]).
// Zero seeds none; add your own with [Server.AddAlerts].
func WithAlerts(n int) Option { return func(c *config) { c.alerts = max(n, 0) } }

// WithQueryPolls sets how many times dataLakeQuery reports a newly started
// query as running before it completes (default [DefaultQueryPolls]). Zero
// makes queries complete on the first read.
func WithQueryPolls(n int) Option { return func(c *config) { c.queryPolls = max(n, 0) } }

// WithResultRows sets how many rows a succeeded data lake query returns
// (default [DefaultResultRows]).
func WithResultRows(n int) Option { return func(c *config) { c.resultRows = max(n, 0) } }

// WithPantherVersion sets the version reported by generalSettings.
func WithPantherVersion(v string) Option { return func(c *config) { c.version = v } }

// WithNow sets the server's clock. Seeded timestamps are spread over the 14
// days before the clock's time at NewServer, and every created or updated
// timestamp reads it. The default is time.Now; tests that compare
// timestamps pass a fixed clock.
func WithNow(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithLogf makes the server log one line per request (operation, root
// fields, status, fault) through logf, for example t.Logf. The API token is
// never logged.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(c *config) { c.logf = logf }
}

// WithListener serves on l instead of a new listener on 127.0.0.1:0. The
// server takes ownership of l and closes it on Close.
func WithListener(l net.Listener) Option { return func(c *config) { c.listener = l } }

// WithMaxPageSize sets the largest pageSize a listing accepts, and the
// largest limit of executeAlertActorQuery (default [DefaultMaxPageSize]); a
// larger value is an INVALID_INPUT error. Zero or less removes the cap up to
// what an Int holds. The schema does not document a maximum.
func WithMaxPageSize(n int) Option {
	return func(c *config) {
		if n <= 0 {
			n = math.MaxInt32
		}
		c.choices.maxPageSize = n
	}
}

// WithEmptyWindows makes a time window whose start equals its end
// (alerts' createdAtAfter and createdAtBefore, metrics' fromDate and toDate,
// an indicator search's startTime and endTime) valid and empty. By default
// it is an INVALID_INPUT error, like a window that ends before it starts.
func WithEmptyWindows(allowed bool) Option {
	return func(c *config) { c.choices.emptyWindows = allowed }
}

// WithOptionalAlertWindow makes the alerts query accept an input with
// neither a detectionId nor both createdAtAfter and createdAtBefore,
// listing every alert. By default such an input is an INVALID_INPUT error.
func WithOptionalAlertWindow(optional bool) Option {
	return func(c *config) { c.choices.optionalAlertWindow = optional }
}

// WithNullableLookupErrors sets what a lookup whose result type is nullable
// (source, cloudAccount, detectionEntitiesUploadStatus) answers for an
// unknown ID: null with a NOT_FOUND error (true, the default), or null
// alone (false).
func WithNullableLookupErrors(on bool) Option {
	return func(c *config) { c.choices.nullableLookupErrors = on }
}

// WithSchema serves the GraphQL schema sdl (SDL text) instead of the one
// the SDK was generated from, e.g. a newer Panther release's: requests are
// validated against sdl and introspection describes it, while the fields
// both schemas share answer as usual. It lets tests see how code built
// from the committed schema copes with another one. An sdl that is not a
// valid schema fails Start; a server from NewServer then answers every
// GraphQL request with HTTP 500 naming the problem.
func WithSchema(sdl string) Option { return func(c *config) { c.schema = &sdl } }
