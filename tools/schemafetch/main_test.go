package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/panther/panthertest"
	"github.com/panthersdk/panther-go/schema"
	"github.com/panthersdk/panther-go/tools/internal/fetch"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

const token = "pat-abcdefabcdefabcdefabcdefabcdef01"

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	s, err := schemautil.Load("schema", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1.40.0/graphql/schema.public.graphql", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, schema.SDL) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html><body>login</body></html>") })
	mux.HandleFunc("/denied", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/public/graphql", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"data": schemautil.BuildIntrospection(s)})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// htmlAPI is an API host whose GraphQL endpoint answers with an HTML page
// (a login page or a proxy's error page) and the given status.
func htmlAPI(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in</body></html>")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestFetchWritesSchemaAndMeta(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "schema.public.graphql")
	code, _, stderr := runCmd(t, "-url", srv.URL+"/v1.40.0/graphql/schema.public.graphql", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(out)
	if string(got) != schema.SDL {
		t.Error("schema not written byte for byte")
	}
	var meta struct{ Source, Version, SHA256 string }
	mb, err := os.ReadFile(filepath.Join(dir, "schema.meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(mb, &meta)
	// The committed metadata records the same sha256 for the same bytes.
	committed, _ := os.ReadFile(filepath.Join("..", "..", "schema", "schema.meta.json"))
	var cm struct{ SHA256 string }
	json.Unmarshal(committed, &cm)
	if meta.Version != "v1.40.0" || meta.SHA256 != cm.SHA256 || !strings.HasPrefix(meta.Source, srv.URL) {
		t.Errorf("meta = %+v, want version v1.40.0 and sha256 %s", meta, cm.SHA256)
	}

	// A second fetch of the same schema leaves both files alone.
	before, _ := os.Stat(filepath.Join(dir, "schema.meta.json"))
	time.Sleep(10 * time.Millisecond)
	code, _, stderr = runCmd(t, "-url", srv.URL+"/v1.40.0/graphql/schema.public.graphql", "-out", out)
	after, _ := os.Stat(filepath.Join(dir, "schema.meta.json"))
	if code != 0 || !strings.Contains(stderr, "up to date") || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("refetch: exit %d, %q, metadata rewritten: %v", code, stderr, !after.ModTime().Equal(before.ModTime()))
	}
}

func TestFetchToStdout(t *testing.T) {
	srv := newServer(t)
	code, stdout, stderr := runCmd(t, "-url", srv.URL+"/v1.40.0/graphql/schema.public.graphql", "-out", "-", "-normalize")
	want, _ := schemautil.Normalize("x", []byte(schema.SDL))
	if code != 0 || stdout != string(want) {
		t.Errorf("exit %d (%s); stdout is normalized schema: %v", code, stderr, stdout == string(want))
	}
}

func TestFetchIntrospectTokenFromEnv(t *testing.T) {
	srv := newServer(t)
	t.Setenv("PANTHER_API_TOKEN", token)
	out := filepath.Join(t.TempDir(), "s.graphql")
	code, _, stderr := runCmd(t, "-introspect", srv.URL, "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, token) {
		t.Error("token printed")
	}
	got, _ := os.ReadFile(out)
	if _, err := schemautil.Load(out, got); err != nil {
		t.Error(err)
	}
}

func TestFetchExitCodes(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "s.graphql")
	t.Setenv("PANTHER_API_TOKEN", "")
	// -file has the size limit -url has.
	big := filepath.Join(dir, "big.graphql")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), fetch.MaxSchemaBytes/10+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"html page", []string{"-url", srv.URL + "/html"}, 5, "HTML"},
		{"forbidden", []string{"-url", srv.URL + "/denied"}, 4, "403"},
		{"timeout", []string{"-url", srv.URL + "/slow", "-timeout", "100ms"}, 3, "timed out"},
		{"not found", []string{"-url", srv.URL + "/nope"}, 3, "404"},
		{"bad version", []string{"-version", "1.2"}, 2, "vX.Y.Z"},
		{"bad flag", []string{"-bogus"}, 2, "bogus"},
		{"no token", []string{"-introspect", srv.URL}, 4, "PANTHER_API_TOKEN"},
		{"wrong token", []string{"-introspect", srv.URL, "-token", "pat-nopenopenopenopenopenopenope1"}, 4, "unauthorized"},
		{"html page to introspect", []string{"-introspect", htmlAPI(t, http.StatusOK).URL, "-token", token}, 5, "HTML"},
		// An error status is the server failing, as with -url.
		{"html error page to introspect", []string{"-introspect", htmlAPI(t, http.StatusBadGateway).URL, "-token", token, "-timeout", "5s"}, 3, "502"},
		{"file too large", []string{"-file", big}, 5, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, append(tc.args, "-out", out)...)
			if code != tc.code || !strings.Contains(stderr, tc.says) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, tc.code, tc.says)
			}
			if strings.Contains(stderr, "pat-nope") {
				t.Error("token printed")
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a schema was written despite the failure")
			}
		})
	}
}

// roundTripSDL exercises everything the full introspection query asks for:
// a schema description, deprecated arguments and input fields (with and
// without a reason), repeatable directives, @specifiedBy, deprecated
// fields and enum values, defaults, interfaces and unions.
const roundTripSDL = `"Alerts and detections."
schema {
  query: Query
}

"Only for admins."
directive @admin(level: Int = 1) repeatable on FIELD_DEFINITION | OBJECT

"A detection or an error."
union Origin = Detection | SystemError

interface Node {
  id: ID!
}

type Alert implements Node {
  id: ID!
  "Events of the alert."
  events(
    "Page size."
    pageSize: Int = 25
    cursor: String @deprecated(reason: "Use page")
    page: Int @deprecated
  ): [String!]!
  origin: Origin
  score: Int @deprecated(reason: "Use severity")
  severity: Severity!
}

input AlertsInput {
  cursor: String @deprecated(reason: "Pages are numbered")
  logType: String = "panther_logs"
  pageSize: Int @deprecated
  severities: [Severity!] = [HIGH, LOW]
}

type Detection implements Node {
  id: ID!
  schedule: Cron
}

scalar Cron @specifiedBy(url: "https://example.com/cron")

type Query {
  alert(id: ID!): Alert
  alerts(input: AlertsInput, first: Int = 10 @deprecated(reason: "Use input.pageSize")): [Alert!]!
}

enum Severity {
  HIGH
  LOW
  OLD @deprecated(reason: "Use LOW")
}

type SystemError {
  message: String!
}
`

// TestIntrospectRoundTripsPanthertest introspects panthertest serving a
// schema and expects that schema back, deprecations and all.
func TestIntrospectRoundTripsPanthertest(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithSchema(roundTripSDL))
	out := filepath.Join(t.TempDir(), "schema.public.graphql")
	code, _, stderr := runCmd(t, "-introspect", srv.GraphQLURL(), "-token", srv.Token(), "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := schemautil.Normalize("roundtrip", []byte(roundTripSDL))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("introspected SDL differs from the served schema:\n--- got\n%s\n--- want\n%s", got, want)
	}
	for _, s := range []string{`cursor: String @deprecated(reason: "Use page")`, "page: Int @deprecated", "Alerts and detections.", "repeatable", "@specifiedBy"} {
		if !strings.Contains(string(got), s) {
			t.Errorf("introspected SDL lacks %s", s)
		}
	}
}
