package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.2:1": true, "[::1]:8080": true, "localhost:0": true,
		"0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "example.com:80": false, "[::]:80": false, "nonsense": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-addr", "0.0.0.0:0"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("run = %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-token", "dev-token", "-alerts", "3"}, &out, io.Discard)
	}()

	var url, token string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && token == ""; time.Sleep(10 * time.Millisecond) {
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "export PANTHER_GQL_API_URL="); ok {
				url = v
			}
			if v, ok := strings.CutPrefix(sc.Text(), "export PANTHER_API_TOKEN="); ok {
				token = v
			}
		}
	}
	if url == "" || token != "dev-token" {
		t.Fatalf("output does not tell URL and token:\n%s", out.String())
	}
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"query":"{ generalSettings { pantherVersion } }"}`))
	req.Header.Set("X-API-Key", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "pantherVersion") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	// The REST API is served at the printed base, the GraphQL URL without
	// /public/graphql.
	base := strings.TrimSuffix(url, "/public/graphql")
	if !strings.Contains(out.String(), "REST API listening at "+base+" ") {
		t.Errorf("output does not tell the REST base %s:\n%s", base, out.String())
	}
	req, _ = http.NewRequest(http.MethodGet, base+"/alerts?limit=1", nil)
	req.Header.Set("X-API-Key", token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"results"`) {
		t.Fatalf("GET %s/alerts: %d %s", base, resp.StatusCode, b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run returned %v", err)
	}
}
