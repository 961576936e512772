package panther

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/google/go-cmp/cmp"

	"github.com/panthersdk/panther-go/generated"
)

// decodeTarget has the shapes generated types have: a pointer, a slice,
// scalars.
type decodeTarget struct {
	Thing *struct {
		Name  string   `json:"name"`
		Tags  []string `json:"tags"`
		Count int      `json:"count"`
	} `json:"thing"`
}

// selfDecoding is a target that decodes itself, as the generated response
// types do; decodeResponse finds its data without encoding/json.
type selfDecoding struct{ T decodeTarget }

func (s *selfDecoding) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &s.T)
}

// decodeOutcome is everything decoding a response hands back.
type decodeOutcome struct {
	HasData, Failed, DataErr bool
	Summary, Body            string
	Err                      bool
	Data                     any
	Errors                   []GraphQLError
	Extensions               map[string]any
	GQLErrors                int
}

func outcome(res decodeResult, data any, resp *graphql.Response, e *Error) decodeOutcome {
	return decodeOutcome{
		HasData: res.hasData, Failed: res.failed, DataErr: res.dataErr,
		Summary: res.summary, Body: res.body, Err: res.err != nil,
		Data: data, Errors: e.Errors, Extensions: resp.Extensions, GQLErrors: len(resp.Errors),
	}
}

// The one-pass fast path of decodeResponse must be invisible: for any body,
// the outcome is the one the member-by-member decoding gives.
func FuzzDecodeOnePassMatchesCareful(f *testing.F) {
	for _, body := range []string{
		`{"data":{"thing":{"name":"x","tags":["a"],"count":1}}}`,
		` { "data" : {"thing":null}, "extensions":{"cost":1} } `,
		`{"data":{"thing":{"name":"x"}},"errors":[{"message":"m","path":["thing",0]}]}`,
		`{"data":{"thing":{"name":"x"}},"errors":[]}`,
		`{"data":{"thing":{"name":"x"}},"errors":null}`,
		`{"data":null}`,
		`{"data":{"thing":{"count":"NaN"}}}`,
		`{"data":{"thing":{}},"data":null}`,
		`{"data":{"thing":{"name":"x"}}} trailing`,
		`{"data":{"thing":{"name":"x"}},"extensions":[1]}`,
		`{"extensions":{},"data":{"thing":{"name":"x"}}}`,
		`{"dataa":{}}`,
		`{"data":1}`,
		`[{"data":{}}]`,
	} {
		f.Add([]byte(body))
	}
	for _, body := range []string{
		`{"data":{"thing":{"name":"x"}},"data":{"thing":{"count":2}}}`,
		`{"data":{"thing":{"name":"x"}},"DATA":null}`,
		`{"data":{"thing":{"name":"x"}},"Errors":[{"message":"m"}]}`,
		`{"data":{"thing":{"name":"x"}},"errors":null,"errors":[]}`,
		`{"data":{"thing":{"name":"x"}},"extra":{"deep":[1,2,{"x":null}]}}`,
		`{"data":{"alerts":{"edges":[{"node":{"id":"a","origin":{"__typename":"Future"}}}]}}}`,
	} {
		f.Add([]byte(body))
	}
	tok := newSecret(testToken)
	check := func(t *testing.T, body []byte, fast, careful any) {
		fastResp, carefulResp := &graphql.Response{Data: fast}, &graphql.Response{Data: careful}
		fastErr, carefulErr := &Error{}, &Error{}
		got := outcome(decodeResponse(body, "application/json", tok, fastResp, fastErr), fast, fastResp, fastErr)
		trimmed := bytes.TrimSpace(body)
		want := outcome(decodeCareful(body, trimmed, "application/json", tok, carefulResp, carefulErr), careful, carefulResp, carefulErr)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("decodeResponse(%q) into %T differs from decodeCareful (-careful +decodeResponse):\n%s", body, fast, diff)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		check(t, body, new(decodeTarget), new(decodeTarget))
		check(t, body, new(selfDecoding), new(selfDecoding))
		check(t, body, new(generated.ListAlertsResponse), new(generated.ListAlertsResponse))
	})
}

// A response whose data cannot be told apart from an absent one without
// looking at the members goes the careful way and still fails.
func TestDecodeResponseWithoutDataFails(t *testing.T) {
	for _, body := range []string{
		`{"extensions":{"data":1}}`,
		`{"errors":null,"x":{"data":{}}}`,
	} {
		var data decodeTarget
		res := decodeResponse([]byte(body), "application/json", newSecret(testToken), &graphql.Response{Data: &data}, &Error{})
		if !res.failed || res.hasData {
			t.Errorf("decodeResponse(%s) = %+v, want a failure without data", body, res)
		}
	}
}

// failingReader returns its data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// readBody trusts a Content-Length only to size its buffer: whatever the
// declared size, it returns what the body holds, within the cap.
func TestReadBodyWhateverTheDeclaredSize(t *testing.T) {
	const max = 10
	boom := errors.New("connection reset")
	for _, tc := range []struct {
		name    string
		body    string
		readErr error // after the body, instead of io.EOF
		size    int64
		want    string
		wantErr error
	}{
		{name: "exact", body: "0123456789", size: 10, want: "0123456789"},
		{name: "unknown size", body: "01234", size: -1, want: "01234"},
		{name: "declared longer", body: "01234", size: 8, want: "01234"},
		{name: "declared shorter", body: "0123456", size: 3, want: "0123456"},
		{name: "declared shorter, over the cap", body: "0123456789A", size: 3, wantErr: ErrResponseTooLarge},
		{name: "over the cap", body: "0123456789A", size: 11, wantErr: ErrResponseTooLarge},
		{name: "over the cap, unknown size", body: "0123456789A", size: -1, wantErr: ErrResponseTooLarge},
		{name: "one over the declared size", body: "01234", size: 4, want: "01234"},
		{name: "fails mid-body", body: "012", readErr: boom, size: 5, wantErr: boom},
		{name: "fails after the declared size", body: "01234", readErr: boom, size: 5, wantErr: boom},
		{name: "empty", body: "", size: 0, want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			end := tc.readErr
			if end == nil {
				end = io.EOF
			}
			got, err := readBody(io.NopCloser(&failingReader{data: []byte(tc.body), err: end}), tc.size, max)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("readBody: err = %v, want %v", err, tc.wantErr)
			}
			if err == nil && string(got) != tc.want {
				t.Errorf("readBody = %q, want %q", got, tc.want)
			}
		})
	}
}
