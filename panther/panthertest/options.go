package panthertest

import (
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
}

func defaultConfig() *config {
	return &config{
		seed:       DefaultSeed,
		alerts:     DefaultAlerts,
		queryPolls: DefaultQueryPolls,
		resultRows: DefaultResultRows,
		version:    DefaultVersion,
		now:        time.Now,
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
