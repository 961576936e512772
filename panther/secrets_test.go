package panther_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// secTranscript collects every piece of text a scenario produces: log
// records, error strings in every format, printed values. It is safe for
// concurrent use, as loggers and the server write to it from their own
// goroutines.
type secTranscript struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *secTranscript) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *secTranscript) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *secTranscript) printf(format string, args ...any) {
	fmt.Fprintf(s, format+"\n", args...)
}

// value records v with every fmt verb a user might print it with, as JSON,
// and through a logger.
func (s *secTranscript) value(logger *slog.Logger, label string, v any) {
	s.printf("%s: %v | %+v | %#v | %s | %q", label, v, v, v, v, v)
	if b, err := json.Marshal(v); err == nil {
		s.printf("%s json: %s", label, b)
	}
	logger.Info(label, "value", v)
}

// err records err and everything it wraps, including the earlier attempts
// of a *panther.Error.
func (s *secTranscript) err(logger *slog.Logger, label string, err error) {
	if err == nil {
		return
	}
	s.shallow(logger, label, err)
	var perr *panther.Error
	if errors.As(err, &perr) {
		s.value(logger, label+" *Error", *perr)
		for i, p := range perr.Previous {
			s.value(logger, fmt.Sprintf("%s previous %d", label, i), p)
		}
		for _, g := range perr.Errors {
			s.value(logger, label+" graphql error", g)
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		s.err(logger, label+" cause", u.Unwrap())
	case interface{ Unwrap() []error }:
		for i, e := range u.Unwrap() {
			s.err(logger, fmt.Sprintf("%s cause %d", label, i), e)
		}
	}
}

// shallow records err itself but not what it wraps.
func (s *secTranscript) shallow(logger *slog.Logger, label string, err error) {
	s.value(logger, label, err)
	s.printf("%s Error(): %s", label, err.Error())
	logger.Error(label, "err", err)
}

// TestSecretsNeverLeak runs a full session against the fake Panther
// (successes, a wrong token, throttling, gateway errors, resets, an HTML
// page, errors next to data, a server echoing the key, data lake queries,
// token rotations, a redirect to another host, a panicking callback) and
// checks that no token, old, rotated or wrong, appears in anything the SDK
// logged, returned or printed.
func TestSecretsNeverLeak(t *testing.T) {
	const (
		oldToken   = "tok-SECRET-0ld7c1a9e3b5d2f48e6"
		wrongToken = "tok-SECRET-wr0ng8a6c4e2b0d97f1"
	)
	tokens := []string{oldToken, wrongToken}
	addToken := func(tok string) {
		if tok != "" {
			tokens = append(tokens, tok)
		}
	}

	var out, serverLog secTranscript
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := panthertest.Start(t,
		panthertest.WithToken(oldToken),
		panthertest.WithAlerts(30),
		panthertest.WithQueryPolls(2),
		panthertest.WithResultRows(20),
		panthertest.WithLogf(func(format string, args ...any) { serverLog.printf(format, args...) }),
	)
	opts := []panther.Option{
		panther.WithLogger(logger),
		panther.WithRetry(panther.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxTotalWait: time.Second}),
		panther.WithUserAgent("secrets-test/1.0"),
	}
	c, err := panther.New(srv.GraphQLURL(), oldToken, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fast := panther.WithPollInterval(time.Millisecond, 2*time.Millisecond)

	out.value(logger, "client", c)
	out.value(logger, "endpoint", c.Endpoint())
	out.value(logger, "options", opts)
	out.value(logger, "server", srv)

	// Successful calls.
	settings, err := generated.GetGeneralSettings(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	out.value(logger, "settings", settings)
	var alertIDs []string
	filter := panther.AlertFilter{Since: srv.Now().Add(-15 * 24 * time.Hour)}
	for a, err := range panther.ListAlerts(ctx, c, filter, panther.WithPageSize(7)) {
		if err != nil {
			t.Fatal(err)
		}
		alertIDs = append(alertIDs, a.Id)
	}
	if len(alertIDs) == 0 {
		t.Fatal("no alerts listed")
	}

	// A wrong token.
	wrong, err := panther.New(srv.GraphQLURL(), wrongToken, opts...)
	if err != nil {
		t.Fatal(err)
	}
	out.value(logger, "wrong client", wrong)
	_, err = generated.GetGeneralSettings(ctx, wrong)
	if !errors.Is(err, panther.ErrUnauthorized) {
		t.Errorf("wrong token: err = %v, want ErrUnauthorized", err)
	}
	out.err(logger, "401", err)
	_, err = panther.SetAlertStatus(ctx, wrong, alertIDs[:3], generated.AlertStatusTriaged)
	out.err(logger, "401 bulk", err)

	// Faults that retries ride out, and faults that outlast them.
	srv.InjectFaults(panthertest.FaultRateLimit(0), panthertest.FaultStatus(503), panthertest.FaultConnectionReset())
	if _, err := generated.GetGeneralSettings(ctx, c); err != nil {
		t.Errorf("after three retried faults: %v", err)
	}
	srv.InjectFaults(panthertest.FaultStatus(503), panthertest.FaultConnectionReset(), panthertest.FaultStatus(502), panthertest.FaultRateLimit(0))
	_, err = generated.GetGeneralSettings(ctx, c)
	out.err(logger, "retries exhausted", err)
	srv.InjectFaults(panthertest.FaultRateLimit(time.Second)) // longer than MaxDelay: returned at once
	_, err = generated.GetGeneralSettings(ctx, c)
	if !errors.Is(err, panther.ErrRateLimited) {
		t.Errorf("429: err = %v, want ErrRateLimited", err)
	}
	out.err(logger, "429", err)
	srv.InjectFaults(panthertest.FaultHTML())
	_, err = generated.GetGeneralSettings(ctx, c)
	out.err(logger, "HTML", err)
	srv.InjectFaults(panthertest.FaultConnectionReset().AfterApply())
	_, err = generated.UpdateAlertStatus(ctx, c, generated.UpdateAlertStatusByIdInput{Ids: alertIDs[:1], Status: generated.AlertStatusResolved})
	out.err(logger, "mutation reset", err)

	// A server that echoes the key it was sent, in a GraphQL error next to
	// data.
	echo := func(n int, op string) panthertest.Fault {
		tok := srv.Token()
		return panthertest.FaultGraphQLError("access denied for key " + tok + " (" + strings.ToLower(tok) + ", " +
			secEncode(tok, `\u%04x`) + ", " + secEncode(tok, `\u%04X`) + ", " + secEncode(tok, "%%%02x") + ", " + secEncode(tok, "%%%02X") + ")")
	}
	srv.SetFaultRule(echo)
	resp, err := generated.UpdateAlertStatus(ctx, c, generated.UpdateAlertStatusByIdInput{Ids: alertIDs[:2], Status: generated.AlertStatusTriaged})
	if err == nil || len(resp.UpdateAlertStatusById.Alerts) != 2 {
		t.Errorf("partial data: err = %v, response %+v; want both", err, resp)
	}
	out.err(logger, "partial data", err)
	srv.ClearFaults()

	// Data lake queries: one that succeeds, one that fails, one abandoned.
	rows, err := panther.RunQuery(ctx, c, "SELECT * FROM panther_logs.aws_cloudtrail", fast)
	if err != nil {
		t.Fatal(err)
	}
	for row, err := range rows.All() {
		if err != nil {
			t.Fatal(err)
		}
		out.value(logger, "row", row)
	}
	out.value(logger, "query", rows.Query())
	srv.FailSQL("no_such_table", "SQL compilation error: Object 'NO_SUCH_TABLE' does not exist")
	_, err = panther.RunQuery(ctx, c, "SELECT * FROM no_such_table", fast)
	if !errors.Is(err, panther.ErrQueryFailed) {
		t.Errorf("failing SQL: err = %v, want ErrQueryFailed", err)
	}
	out.err(logger, "query failed", err)
	qctx, qcancel := context.WithCancel(ctx)
	polls := 0
	_, err = panther.RunQuery(qctx, c, "SELECT 1", fast, panther.WithPollSleep(func(ctx context.Context, d time.Duration) error {
		if polls++; polls == 1 {
			qcancel()
		}
		return ctx.Err()
	}))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("abandoned query: err = %v, want context.Canceled", err)
	}
	out.err(logger, "query abandoned", err)

	// Token rotation: the new token works, and is kept out of everything
	// as well, including an error of persist that quotes it.
	rotated, err := c.RotateToken(ctx, func(_ context.Context, tok string) error { return nil })
	addToken(rotated)
	if err != nil || rotated == "" || srv.Token() != rotated {
		t.Fatalf("RotateToken: err = %v; the server's token changed: %v", err, srv.Token() == rotated)
	}
	out.value(logger, "client after rotation", c)
	if _, err := generated.GetGeneralSettings(ctx, c); err != nil {
		t.Errorf("with the rotated token: %v", err)
	}
	srv.SetFaultRule(echo)
	_, err = generated.GetGeneralSettings(ctx, c)
	out.err(logger, "echo after rotation", err)
	srv.ClearFaults()
	_, err = generated.GetGeneralSettings(ctx, wrong)
	out.err(logger, "wrong token after rotation", err)
	rotated, err = c.RotateToken(ctx, func(_ context.Context, tok string) error {
		return fmt.Errorf("secret store: cannot write %q", tok)
	})
	addToken(rotated)
	if !errors.Is(err, panther.ErrTokenNotPersisted) {
		t.Errorf("persist failed: err = %v, want ErrTokenNotPersisted", err)
	}
	// The persist function's own error is wrapped as is, for errors.As;
	// only what the SDK formats is checked.
	out.shallow(logger, "persist failed", err)
	srv.InjectFaults(panthertest.FaultStatus(503).AfterApply())
	rotated, err = c.RotateToken(ctx, func(context.Context, string) error {
		t.Error("persist called for a rotation whose response was lost")
		return nil
	})
	if rotated != "" || err == nil {
		t.Errorf("rotation with a lost response: got a token (%v) and err %v", rotated != "", err)
	}
	// The server rotated, the client never learnt the new token.
	addToken(srv.Token())
	out.err(logger, "rotation lost", err)

	// A panic in the persist callback leaves the client usable, with the
	// token it rotated to, and does not hold up the next rotation.
	c2, err := panther.New(srv.GraphQLURL(), srv.Token(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	var persisted string
	func() {
		defer func() {
			r := recover()
			if r == nil {
				t.Error("the persist panic was swallowed")
			}
			out.value(logger, "recovered", r)
		}()
		_, _ = c2.RotateToken(ctx, func(_ context.Context, tok string) error {
			persisted = tok
			panic("secret store unavailable")
		})
	}()
	addToken(persisted)
	if persisted == "" || srv.Token() != persisted {
		t.Fatal("the rotation before the panic did not happen")
	}
	if _, err := generated.GetGeneralSettings(ctx, c2); err != nil {
		t.Errorf("after a panic in persist: %v", err)
	}
	done := make(chan string, 1)
	go func() {
		tok, err := c2.RotateToken(ctx, func(context.Context, string) error { return nil })
		out.err(logger, "rotation after panic", err)
		done <- tok
	}()
	select {
	case tok := <-done:
		addToken(tok)
		if tok == "" {
			t.Error("rotation after a panic in persist failed")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("rotation after a panic in persist is stuck")
	}

	// A redirect to another host is not followed, and the key is not sent
	// there.
	var sentThere []string
	var mu sync.Mutex
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sentThere = append(sentThere, r.Header.Get("X-API-Key"))
		mu.Unlock()
		http.Error(w, "should not be here", http.StatusTeapot)
	}))
	defer target.Close()
	elsewhere := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere+panther.GraphQLPath+"?key="+r.Header.Get("X-API-Key"), http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	rc, err := panther.New(redirector.URL, srv.Token(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	out.value(logger, "redirected client", rc)
	_, err = generated.GetGeneralSettings(ctx, rc)
	if err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("redirect to another host: err = %v", err)
	}
	out.err(logger, "redirect", err)
	_, err = generated.UpdateAlertStatus(ctx, rc, generated.UpdateAlertStatusByIdInput{Ids: alertIDs[:1], Status: generated.AlertStatusOpen})
	out.err(logger, "redirect mutation", err)
	mu.Lock()
	if len(sentThere) > 0 {
		t.Errorf("%d requests followed the redirect to another host", len(sentThere))
	}
	mu.Unlock()

	// Rejected configuration.
	_, err = panther.New("https://bad host/", srv.Token())
	out.err(logger, "bad endpoint", err)
	_, err = panther.New(srv.Token(), srv.GraphQLURL())
	out.err(logger, "swapped arguments", err)
	err = c.SetToken(srv.Token() + " trailing")
	out.err(logger, "bad token", err)
	t.Setenv(panther.EnvAPIToken, srv.Token())
	t.Setenv(panther.EnvGraphQLURL, "ftp://"+srv.Token()+"@example.com/")
	_, err = panther.NewFromEnv(opts...)
	out.err(logger, "bad environment", err)

	all := out.String()
	secCheckTokens(t, "", all, tokens)
	// The fake server logs the faults it injects, and the echoing fault
	// carries the token by the test's own doing; nothing else may.
	var serverLines []string
	for _, line := range strings.Split(serverLog.String(), "\n") {
		if !strings.Contains(line, "access denied for key") {
			serverLines = append(serverLines, line)
		}
	}
	secCheckTokens(t, "fake server log: ", strings.Join(serverLines, "\n"), tokens)
	if !strings.Contains(serverLog.String(), "status=401") {
		t.Error("the fake server logged no request")
	}
	// The scenario produced what it set out to, so that the absence of
	// tokens means something.
	for _, want := range []string{
		`"level":"DEBUG"`, `"level":"WARN"`, `"level":"INFO"`,
		"HTTP 401", "HTTP 429", "HTTP 503", "connection reset", "[REDACTED]",
		"redirect to", "may have been applied", "NO_SUCH_TABLE", "not persisted",
		"secret store unavailable",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the transcript lacks %q: a scenario did not run as intended", want)
		}
	}
	if len(tokens) < 6 {
		t.Errorf("%d tokens checked, want the old, the wrong and four rotated ones", len(tokens))
	}
	if t.Failed() {
		t.Logf("transcript:\n%s", all)
	}
}

// secEncode encodes every character of s with format, such as `\u%04x`.
func secEncode(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// secCheckTokens reports every line of text that contains one of tokens, or
// a distinctive part of one (as a cut-off excerpt would show), in any case,
// plain, JSON-escaped (once or twice, as a JSON log line would show it) or
// URL-encoded.
func secCheckTokens(t *testing.T, prefix, text string, tokens []string) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, tok := range tokens {
		tail := tok[len(tok)-12:]
		for _, needle := range []string{tok, tail, secEncode(tail, `\u%04x`), secEncode(tail, `\\u%04x`), secEncode(tail, "%%%02x")} {
			needle = strings.ToLower(needle)
			if !strings.Contains(lower, needle) {
				continue
			}
			for _, line := range strings.Split(text, "\n") {
				if strings.Contains(strings.ToLower(line), needle) {
					t.Errorf("%stoken leaked: %s", prefix, line)
				}
			}
		}
	}
}

// TestSecretsQueryErrorMessage checks that a data lake query's failure
// message, which Panther may build from the SQL (and so from a token a user
// searches the data lake for), does not carry the API token into the error.
func TestSecretsQueryErrorMessage(t *testing.T) {
	const token = "tok-SECRET-9b1e5c7a3f0d2486"
	srv := panthertest.Start(t, panthertest.WithToken(token), panthertest.WithQueryPolls(0))
	c, err := panther.New(srv.GraphQLURL(), token)
	if err != nil {
		t.Fatal(err)
	}
	srv.FailSQL("api_keys", "SQL compilation error: invalid identifier '"+token+"'")
	_, err = panther.RunQuery(context.Background(), c, "SELECT * FROM api_keys", panther.WithPollInterval(time.Millisecond, time.Millisecond))
	var qerr *panther.QueryError
	if !errors.As(err, &qerr) || !errors.Is(err, panther.ErrQueryFailed) {
		t.Fatalf("err = %v, want a *panther.QueryError matching ErrQueryFailed", err)
	}
	if !strings.Contains(qerr.Message, "invalid identifier") {
		t.Errorf("Message = %q, want Panther's explanation", qerr.Message)
	}
	secCheckTokens(t, "", fmt.Sprintf("%v\n%+v\n%#v\n%s", err, err, err, err.Error()), []string{token})
}
