package panther

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for concurrent writes by slog handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestFormattingNeverShowsToken(t *testing.T) {
	c, err := New("acme.runpanther.net", testToken, WithLogger(slog.Default()), WithRetry(RetryPolicy{MaxAttempts: 2}))
	if err != nil {
		t.Fatal(err)
	}
	perr := &Error{Operation: "Op", StatusCode: 401, Err: errors.New("x"), Previous: []*Error{{StatusCode: 500}}}
	tok := newSecret(testToken)
	values := map[string]any{
		"*Client":   c,
		"Endpoint":  c.Endpoint(),
		"*Error":    perr,
		"secret":    *tok,
		"*secret":   tok,
		"in struct": struct{ S *secret }{tok},
		"in slice":  []any{c, tok},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%T", "%d"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, testToken) {
				t.Errorf("%s with %s reveals the token: %s", name, verb, s)
			}
		}
		if b, _ := json.Marshal(v); bytes.Contains(b, []byte(testToken)) {
			t.Errorf("json of %s reveals the token: %s", name, b)
		}
	}
	if got := fmt.Sprintf("%#v", c); got != `&panther.Client{Endpoint: "https://api.acme.runpanther.net/public/graphql", Token: "[REDACTED]"}` {
		t.Errorf("%%#v = %s", got)
	}
	if got := fmt.Sprint(c); !strings.Contains(got, "https://api.acme.runpanther.net/public/graphql") {
		t.Errorf("%%v = %s, want the endpoint", got)
	}
	var buf lockedBuffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(h).Info("client", "client", c, "secret", tok, "tokenvalue", *tok)
	}
	if strings.Contains(buf.String(), testToken) {
		t.Errorf("slog reveals the token: %s", buf.String())
	}
}

// TestTokenNeverLeaks drives a client through every kind of failure, with a
// server that echoes the token back wherever it can, and checks that neither
// the logs nor the errors ever contain it.
func TestTokenNeverLeaks(t *testing.T) {
	other := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		t.Error("redirect followed to another host")
	})
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	scenarios := map[string]http.HandlerFunc{
		"401": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 401, `{"message":"bad key `+r.Header.Get("X-API-Key")+`"}`)
		},
		"429": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-Request-Id", "id-"+r.Header.Get("X-API-Key"))
			writeJSON(w, 429, `{"errors":[{"message":"slow down `+r.Header.Get("X-API-Key")+`","path":["`+r.Header.Get("X-API-Key")+`"],"extensions":{"key":"`+r.Header.Get("X-API-Key")+`"}}]}`)
		},
		"500": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 500, `{"errors":[{"message":"boom"}],"extensions":{"echo":"`+r.Header.Get("X-API-Key")+`"}}`)
		},
		"HTML": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><body>Your key "+r.Header.Get("X-API-Key")+" is wrong</body></html>")
		},
		"HTML long": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			// The token straddles the snippet's cut-off point.
			_, _ = io.WriteString(w, strings.Repeat("x", 190)+r.Header.Get("X-API-Key"))
		},
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, otherURL+"/?key="+r.Header.Get("X-API-Key"), http.StatusTemporaryRedirect)
		},
		"redirect host": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://"+strings.ToLower(r.Header.Get("X-API-Key"))+".example.com/")
			w.WriteHeader(http.StatusFound)
		},
		"reset": func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		},
		"data and errors": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"data":{"thing":{"name":"`+r.Header.Get("X-API-Key")+`"}},"errors":[{"message":"`+r.Header.Get("X-API-Key")+`"}]}`)
		},
		"bad data": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"data":{"thing":{"count":"`+r.Header.Get("X-API-Key")+`"}}}`)
		},
	}
	// The server echoes the key encoded: in a raw error body, an HTML page,
	// a GraphQL error message (which JSON decoding does not undo, since the
	// escapes are escaped in the JSON) and a response header.
	for name, enc := range encodings {
		scenarios["echo in a 401 body, "+name] = func(w http.ResponseWriter, r *http.Request) {
			key := enc(r.Header.Get("X-API-Key"))
			w.Header().Set("X-Request-Id", "id-"+key)
			writeJSON(w, 401, `{"message":"bad key `+key+`"}`)
		}
		scenarios["echo in a GraphQL error, "+name] = func(w http.ResponseWriter, r *http.Request) {
			msg, _ := json.Marshal("denied for " + enc(r.Header.Get("X-API-Key")))
			writeJSON(w, 200, `{"data":null,"errors":[{"message":`+string(msg)+`,"path":[`+string(msg)+`],"extensions":{"key":`+string(msg)+`}}]}`)
		}
		scenarios["echo in HTML, "+name] = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, strings.Repeat("x", 150)+"<p>Your key "+enc(r.Header.Get("X-API-Key"))+" is wrong</p>")
		}
	}
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	textLogger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string
	for name, h := range scenarios {
		srv := newTestServer(t, h)
		for _, l := range []*slog.Logger{logger, textLogger} {
			c, _ := newTestClient(t, srv.URL, WithLogger(l))
			for _, doc := range []string{testQuery, testMutation} {
				_, _, err := query(context.Background(), c, doc, "Op", map[string]string{"secretVar": "hunter2"})
				if err == nil {
					t.Errorf("%s: no error", name)
					continue
				}
				errs = append(errs, name+": "+err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err))
				var perr *Error
				if errors.As(err, &perr) {
					errs = append(errs, fmt.Sprintf("%#v %#v %#v", *perr, perr.Errors, perr.Previous))
				}
			}
		}
	}
	all := logs.String() + strings.Join(errs, "\n")
	// The token, plain or in any encoding the servers used, and those
	// encodings escaped once more by the JSON logger or %q.
	forms := []string{testToken}
	for _, enc := range encodings {
		e := enc(testToken)
		quoted, _ := json.Marshal(e)
		forms = append(forms, e, strings.Trim(string(quoted), `"`), strings.Trim(fmt.Sprintf("%q", e), `"`))
	}
	for _, form := range forms {
		needle := strings.ToLower(form)
		if !strings.Contains(strings.ToLower(all), needle) {
			continue
		}
		for _, line := range append(strings.Split(logs.String(), "\n"), errs...) {
			if strings.Contains(strings.ToLower(line), needle) {
				t.Errorf("token leaked as %q: %s", form, line)
			}
		}
	}
	if strings.Contains(all, "hunter2") {
		t.Error("a variable's value was logged or put in an error")
	}
	// The scenarios did produce logs and errors worth checking.
	for _, want := range []string{`"level":"WARN"`, `"level":"INFO"`, "status=401", "HTTP 429", "[REDACTED]", "redirect to"} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q; scenarios did not run as intended", want)
		}
	}
}

func TestLogging(t *testing.T) {
	var calls atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 503, `{"errors":[{"message":"busy"}]}`)
			return
		}
		w.Header().Set("X-Request-Id", "r-2")
		writeJSON(w, 200, `{"data":{"thing":{"name":"ok"}}}`)
	})
	var buf lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newTestClient(t, srv.URL, WithLogger(logger))
	if _, _, err := query(context.Background(), c, testQuery, "GetThing", nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one record per attempt, got %d: %s", len(lines), buf.String())
	}
	var recs [2]map[string]any
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if r := recs[0]; r["level"] != "WARN" || r["operation"] != "GetThing" || r["attempt"] != 1.0 || r["status"] != 503.0 ||
		r["retry_in"] == nil || !strings.Contains(fmt.Sprint(r["error"]), "HTTP 503") {
		t.Errorf("retry record = %v", r)
	}
	if r := recs[1]; r["level"] != "DEBUG" || r["attempt"] != 2.0 || r["status"] != 200.0 || r["request_id"] != "r-2" || r["duration"] == nil {
		t.Errorf("success record = %v", r)
	}

	// Off by default: nothing is written anywhere, not even to slog.Default.
	var def lockedBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&def, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	quiet, _ := newTestClient(t, srv.URL)
	_, _, _ = query(context.Background(), quiet, testQuery, "GetThing", nil)
	if def.String() != "" {
		t.Errorf("logged without WithLogger: %s", def.String())
	}
}

func TestSnippet(t *testing.T) {
	tok := newSecret("TOKEN")
	for in, want := range map[string]string{
		"<html><head><title>502</title></head><body><p>Bad\n\n gateway</p></body></html>": "502 Bad gateway",
		"a < b and c > d":            "a < b and c > d",
		"\x00\x01ok\xff\xfe done\t!": "ok done !",
		"key TOKEN here":             "key [REDACTED] here",
		strings.Repeat("é", 200):     strings.Repeat("é", 10) + "…",
	} {
		if got := snippet([]byte(in), tok, 21); got != want {
			t.Errorf("snippet(%q) = %q, want %q", in, got, want)
		}
	}
	if got := snippet(bytes.Repeat([]byte("a"), 10<<20), nil, 10); got != "aaaaaaaaaa…" {
		t.Errorf("large body snippet = %q", got)
	}
	start := time.Now()
	_ = snippet(bytes.Repeat([]byte("<a "), 10<<20), nil, 200)
	if d := time.Since(start); d > time.Second {
		t.Errorf("snippet of a huge tag soup took %v", d)
	}
}

// encodings are the ways a server may echo a token: each returns the token
// encoded.
var encodings = map[string]func(tok string) string{
	"JSON escapes": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf(`\u%04x`, c) })
	},
	"JSON escapes, upper-case hex": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf(`\u%04X`, c) })
	},
	"JSON escape of the first letter only": func(tok string) string { return fmt.Sprintf(`\u%04x`, tok[0]) + tok[1:] },
	"JSON escapes, escaped again": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf(`\\u%04x`, c) })
	},
	"URL encoding": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf("%%%02x", c) })
	},
	"URL encoding, upper-case": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf("%%%02X", c) })
	},
	"URL encoding, every other character": func(tok string) string {
		var b strings.Builder
		for i := 0; i < len(tok); i++ {
			if i%2 == 0 {
				fmt.Fprintf(&b, "%%%02X", tok[i])
			} else {
				b.WriteByte(tok[i])
			}
		}
		return b.String()
	},
	"URL encoding twice": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf("%%25%02x", c) })
	},
	"HTML references": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf("&#%d;", c) })
	},
	"HTML hex references": func(tok string) string {
		return escapeEach(tok, func(c byte) string { return fmt.Sprintf("&#X%x;", c) })
	},
	"other case": strings.ToUpper,
}

func escapeEach(s string, esc func(c byte) string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(esc(s[i]))
	}
	return b.String()
}

func TestRedactSeesThroughEncodings(t *testing.T) {
	tok := newSecret(testToken)
	for name, enc := range encodings {
		encoded := enc(testToken)
		for _, text := range []string{encoded, "key " + encoded + " is invalid", `{"k":"` + encoded + `"}` + encoded} {
			want := strings.ReplaceAll(text, encoded, redacted)
			if got := tok.redact(text); got != want {
				t.Errorf("%s: redact(%q) = %q, want %q", name, text, got, want)
			}
		}
	}
	// Nothing but the token is redacted: not a prefix, not an escape of
	// another character, not text around it.
	for _, text := range []string{
		testToken[:len(testToken)-1],
		`\u0070` + testToken[1:len(testToken)-1],
		"%50%53" + testToken[2:len(testToken)-1] + "%",
		`100% sure \u00e9 &#233; \\ &amp;`,
	} {
		if got := tok.redact(text); got != text {
			t.Errorf("redact(%q) = %q, want it unchanged", text, got)
		}
	}
	// A token holding the characters that start escapes is still found
	// as it is.
	odd := newSecret(`pt_%41\u&#x;-0123456789`)
	if got := odd.redact(`key pt_%41\u&#x;-0123456789.`); got != "key "+redacted+"." {
		t.Errorf("token with escape characters: %q", got)
	}
}

// Tokens that cannot be Panther tokens are refused, with a hint, before a
// short one could blank out letters inside words of every error.
func TestCheckTokenRejectsImpossibleTokens(t *testing.T) {
	for _, tc := range []struct{ token, want string }{
		{"a", "too short"},
		{"abc1234", "too short"},
		{"Bearer " + testToken, `drop the prefix`},
		{"bearer " + testToken, `drop the prefix`},
	} {
		for _, err := range []error{checkToken(tc.token), func() error { _, err := New("acme.runpanther.net", tc.token); return err }()} {
			if !errors.Is(err, ErrInvalidToken) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("token %q: err = %v, want ErrInvalidToken saying %q", tc.token, err, tc.want)
			}
			if len(tc.token) > 4 && err != nil && strings.Contains(err.Error(), tc.token[len(tc.token)-4:]) {
				t.Errorf("token %q: the error %q shows it", tc.token, err)
			}
		}
	}
	// Realistic tokens, panthertest's among them, are accepted.
	for _, ok := range []string{testToken, "pt-0123456789abcdef0123456789abcdef", "my-api-token", "abcd1234"} {
		if err := checkToken(ok); err != nil {
			t.Errorf("checkToken(%q) = %v", ok, err)
		}
	}
}
