package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/schema"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// newSchemaServer serves the committed schema at Panther's layout and a
// set of broken responses.
func newSchemaServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/latest/graphql/schema.public.graphql", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, schema.SDL)
	})
	mux.HandleFunc("/v1.2.3/graphql/schema.public.graphql", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, schema.SDL)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in</body></html>")
	})
	mux.HandleFunc("/invalid", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "type Query { alerts: AlertList }")
	})
	mux.HandleFunc("/unauthorized", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusUnauthorized)
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<Error><Code>AccessDenied</Code></Error>", http.StatusForbidden)
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchURL(t *testing.T) {
	srv := newSchemaServer(t)
	res, err := Fetch(context.Background(), Source{URL: srv.URL + "/v1.2.3/graphql/schema.public.graphql?X-Amz-Signature=secret"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.SDL) != schema.SDL {
		t.Error("published schema not kept byte for byte")
	}
	if res.Version != "v1.2.3" {
		t.Errorf("Version = %q, want v1.2.3 from the URL layout", res.Version)
	}
	if strings.Contains(res.Source, "secret") || !strings.HasPrefix(res.Source, srv.URL) {
		t.Errorf("Source = %q: want the URL without its query string", res.Source)
	}

	res, err = Fetch(context.Background(), Source{URL: srv.URL + "/latest/graphql/schema.public.graphql", Version: "v9.9.9"}, Options{Normalize: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != "v9.9.9" {
		t.Errorf("explicit Version = %q, want v9.9.9", res.Version)
	}
	want, _ := schemautil.Normalize("x", []byte(schema.SDL))
	if string(res.SDL) != string(want) {
		t.Error("Normalize option did not normalize")
	}
}

// redirectTransport sends every request to the test server, so that
// Panther's published URL can be exercised without leaving loopback.
type redirectTransport struct{ target string }

func (rt redirectTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = "http", strings.TrimPrefix(rt.target, "http://")
	return http.DefaultTransport.RoundTrip(r)
}

func TestFetchVersionUsesPantherURL(t *testing.T) {
	srv := newSchemaServer(t)
	hc := &http.Client{Transport: redirectTransport{srv.URL}}
	res, err := Fetch(context.Background(), Source{Version: "latest"}, Options{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://panther-community-us-east-1.s3.amazonaws.com/latest/graphql/schema.public.graphql"; res.Source != want {
		t.Errorf("Source = %q, want %q", res.Source, want)
	}
	if res.Version != "latest" {
		t.Errorf("Version = %q", res.Version)
	}

	for _, bad := range []string{"1.2.3", "v1.2", "latest/../x", "v1.2.3-rc1"} {
		_, err := Fetch(context.Background(), Source{Version: bad}, Options{HTTPClient: hc})
		if !errors.Is(err, ErrUsage) || ExitCode(err) != ExitUsage {
			t.Errorf("version %q: err = %v, want usage error", bad, err)
		}
	}
}

func TestFetchErrors(t *testing.T) {
	srv := newSchemaServer(t)
	for _, tc := range []struct {
		path     string
		timeout  time.Duration
		sentinel error
		exit     int
		says     string
	}{
		{"/html", 0, schemautil.ErrNotSDL, ExitNotSchema, "HTML page"},
		{"/invalid", 0, schemautil.ErrNotSDL, ExitNotSchema, "AlertList"},
		{"/unauthorized", 0, ErrUnauthorized, ExitUnauthorized, "401"},
		{"/forbidden", 0, ErrUnauthorized, ExitUnauthorized, "403"},
		{"/missing", 0, ErrUnavailable, ExitUnavailable, "check the version"},
		{"/broken", 0, ErrUnavailable, ExitUnavailable, "500"},
		{"/slow", 100 * time.Millisecond, ErrTimeout, ExitUnavailable, "-timeout"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			start := time.Now()
			_, err := Fetch(ctx, Source{URL: srv.URL + tc.path}, Options{})
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("err = %v, want %v", err, tc.sentinel)
			}
			if got := ExitCode(err); got != tc.exit {
				t.Errorf("ExitCode = %d, want %d", got, tc.exit)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if time.Since(start) > 3*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "s.graphql")
	if err := os.WriteFile(good, []byte(schema.SDL), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Fetch(context.Background(), Source{File: good}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != "file:"+good || res.Version != "unknown" || string(res.SDL) != schema.SDL {
		t.Errorf("got source %q version %q", res.Source, res.Version)
	}
	_, err = Fetch(context.Background(), Source{File: filepath.Join(dir, "missing.graphql")}, Options{})
	if ExitCode(err) != ExitUnavailable {
		t.Errorf("missing file: %v (exit %d)", err, ExitCode(err))
	}
	_, err = Fetch(context.Background(), Source{File: good, URL: "http://127.0.0.1/"}, Options{})
	if ExitCode(err) != ExitUsage {
		t.Errorf("two sources: %v", err)
	}
	_, err = Fetch(context.Background(), Source{}, Options{})
	if ExitCode(err) != ExitUsage {
		t.Errorf("no source: %v", err)
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	out, metaPath := filepath.Join(dir, "schema.public.graphql"), filepath.Join(dir, "schema.meta.json")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := &Result{SDL: []byte(schema.SDL), Source: "file:x", Version: "v1.0.0"}
	now := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600))
	if err := Write(out, res.SDL, metaPath, NewMeta(res, now)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil || string(got) != schema.SDL {
		t.Fatalf("schema not written: %v", err)
	}
	var meta map[string]string
	mb, _ := os.ReadFile(metaPath)
	if err := json.Unmarshal(mb, &meta); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(got)
	want := map[string]string{"source": "file:x", "version": "v1.0.0", "sha256": hex.EncodeToString(sum[:]), "fetchedAt": "2026-01-02T02:04:05Z"}
	for k, v := range want {
		if meta[k] != v {
			t.Errorf("meta %s = %q, want %q", k, meta[k], v)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	// A failed write leaves the existing schema alone.
	err = Write(out, []byte("new"), filepath.Join(dir, "no", "such", "dir", "meta.json"), NewMeta(res, now))
	if err == nil {
		t.Fatal("no error writing metadata into a missing directory")
	}
	if got, _ := os.ReadFile(out); string(got) != schema.SDL {
		t.Error("schema replaced although the metadata could not be written")
	}
	entries, _ = os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind after failure: %v", entries)
	}
}
