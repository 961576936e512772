package panther

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// bytesAllocated returns the bytes allocated per call of f, over n calls.
func bytesAllocated(n int, f func()) uint64 {
	f() // warm up
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(n)
}

// A server that declares 60 MiB and sends 16 bytes costs kilobytes, not the
// declared size.
func TestReadBodyMemoryFollowsWhatArrives(t *testing.T) {
	const declared = 60 << 20
	body := []byte(`{"data":{"x":1}}`)
	var got []byte
	var err error
	perCall := bytesAllocated(20, func() {
		got, err = readBody(io.NopCloser(bytes.NewReader(body)), declared, DefaultMaxResponseBytes)
	})
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("readBody = %q, %v", got, err)
	}
	if perCall > 2*presizeCap {
		t.Errorf("readBody of 16 bytes declared as %d allocated %d bytes per call, want at most %d", declared, perCall, 2*presizeCap)
	}

	// A body of the declared size still arrives whole, in memory of the
	// order of its size.
	big := bytes.Repeat([]byte("x"), 1<<20)
	perCall = bytesAllocated(5, func() {
		got, err = readBody(io.NopCloser(bytes.NewReader(big)), int64(len(big)), DefaultMaxResponseBytes)
	})
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("readBody of 1 MiB: %d bytes, %v", len(got), err)
	}
	if perCall > 3*uint64(len(big)) {
		t.Errorf("readBody of 1 MiB allocated %d bytes per call, want at most %d", perCall, 3*len(big))
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func compress(t *testing.T, enc string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "deflate":
		w = zlib.NewWriter(&b)
	case "raw deflate":
		w, _ = flate.NewWriter(&b, flate.DefaultCompression)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A compressed body is limited on its decoded size, and reading stops at the
// limit instead of decoding the rest.
func TestCompressedBodyLimitedOnDecodedSize(t *testing.T) {
	const max = 1 << 20
	bomb := make([]byte, 32<<20) // 32 MiB of zeros, 32 KiB compressed
	for _, enc := range []string{"gzip", "deflate", "raw deflate"} {
		t.Run(enc, func(t *testing.T) {
			compressed := compress(t, enc, bomb)
			cr := &countingReader{r: bytes.NewReader(compressed)}
			header := strings.TrimPrefix(enc, "raw ")
			resp := &http.Response{
				StatusCode:    200,
				Header:        http.Header{"Content-Encoding": {header}},
				Body:          io.NopCloser(cr),
				ContentLength: int64(len(compressed)),
			}
			body, size, err := responseBody(resp)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := readBody(body, size, max); !errors.Is(err, ErrResponseTooLarge) {
				t.Fatalf("readBody: %v, want ErrResponseTooLarge", err)
			}
			if cr.n > len(compressed)/4 {
				t.Errorf("read %d of %d compressed bytes, want reading to stop near the limit", cr.n, len(compressed))
			}

			// Within the limit, the decoded body is what the client gets.
			doc := []byte(`{"data":{"thing":{"name":"compressed"}}}`)
			resp.Body = io.NopCloser(bytes.NewReader(compress(t, enc, doc)))
			body, size, err = responseBody(resp)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readBody(body, size, max)
			if err != nil || !bytes.Equal(got, doc) {
				t.Errorf("readBody = %q, %v, want %q", got, err, doc)
			}
		})
	}
}

// End to end: a compressed body the transport decodes (it asked for gzip) or
// leaves to the client (compression disabled) is limited on its decoded size.
func TestClientLimitsCompressedResponses(t *testing.T) {
	bomb := compress(t, "gzip", make([]byte, 16<<20))
	doc := compress(t, "gzip", []byte(`{"data":{"thing":{"name":"zipped"}}}`))
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		if r.Header.Get("X-Test") == "bomb" {
			_, _ = w.Write(bomb)
			return
		}
		_, _ = w.Write(doc)
	})
	for _, disable := range []bool{false, true} {
		t.Run("DisableCompression="+strconv.FormatBool(disable), func(t *testing.T) {
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.DisableCompression = disable
			t.Cleanup(tr.CloseIdleConnections)
			c, _ := newTestClient(t, srv.URL, WithMaxResponseBytes(1<<20), WithRetry(RetryPolicy{MaxAttempts: 1}),
				WithHTTPClient(&http.Client{Transport: tr}))
			data, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
			if err != nil || data.Thing.Name != "zipped" {
				t.Fatalf("query = %+v, %v", data, err)
			}
			bombClient, _ := newTestClient(t, srv.URL, WithMaxResponseBytes(1<<20), WithRetry(RetryPolicy{MaxAttempts: 1}),
				WithHTTPClient(&http.Client{Transport: &headerTransport{base: tr, header: "X-Test", value: "bomb"}}))
			if _, _, err := query(context.Background(), bombClient, testQuery, "GetThing", nil); !errors.Is(err, ErrResponseTooLarge) {
				t.Errorf("bomb: err = %v, want ErrResponseTooLarge", err)
			}
		})
	}
}

// A declared Content-Length above the limit fails before the body is read:
// the server here sends the start of the body and then waits until the
// client hangs up, so a client that read on would wait for its timeout.
func TestDeclaredLengthOverLimitFailsBeforeReading(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(2<<20))
		_, _ = w.Write([]byte(`{"data":`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c, _ := newTestClient(t, srv.URL, WithMaxResponseBytes(1<<20), WithTimeout(30*time.Second))
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	if !errors.Is(err, ErrResponseTooLarge) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrResponseTooLarge", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "declared Content-Length 2097152 exceeds the limit of 1048576 bytes") {
		t.Errorf("Error() = %q", msg)
	}
}

// BenchmarkReadBody compares readBody with io.ReadAll, the plain way, on
// bodies of a declared size: go test ./panther -run '^$' -bench ReadBody -benchmem
func BenchmarkReadBody(b *testing.B) {
	for _, n := range []int{16 << 10, 256 << 10, 4 << 20} {
		body := bytes.Repeat([]byte("x"), n)
		b.Run("readBody/"+strconv.Itoa(n>>10)+"KiB", func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				if _, err := readBody(io.NopCloser(bytes.NewReader(body)), int64(n), DefaultMaxResponseBytes); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ReadAll/"+strconv.Itoa(n>>10)+"KiB", func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				if _, err := io.ReadAll(io.LimitReader(bytes.NewReader(body), DefaultMaxResponseBytes+1)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
