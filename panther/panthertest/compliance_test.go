package panthertest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// postAccept sends a GraphQL request with the given Accept header (none
// when accept is empty) and returns the status, content type and errors.
func postAccept(t *testing.T, s *panthertest.Server, accept, query string, vars map[string]any) (int, string, gqlResponse) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.GraphQLURL(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", s.Token())
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out gqlResponse
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), out
}

// A document with a literal graphql-js rejects at validation time does not
// execute at all: the mutation before the bad literal is not applied.
func TestValidationBeforeExecution(t *testing.T) {
	s := faultServer(t)
	for name, bad := range map[string]string{
		"Int beyond 32 bits": `limit: 2147483648`,
		"Float for Int":      `limit: 2.5`,
		"string for Int":     `limit: "5"`,
	} {
		t.Run(name, func(t *testing.T) {
			doc := `mutation {
  updateAlertStatusById(input: {ids: ["f1"], status: RESOLVED}) { alerts { id } }
  executeAlertActorQuery(input: {alertId: "f1", ` + bad + `}) { id }
}`
			r := do(t, s, doc, nil)
			if r.Data != nil || len(r.Errors) == 0 || code(r.Errors[0]) != "GRAPHQL_VALIDATION_FAILED" {
				t.Fatalf("response = %+v, want a GRAPHQL_VALIDATION_FAILED error and no data", r)
			}
			if n := s.MutationCount("updateAlertStatusById"); n != 0 {
				t.Errorf("MutationCount = %d, want 0: the document executed", n)
			}
			if a, _ := s.Alert("f1"); a.Status != "OPEN" {
				t.Errorf("status = %s, want OPEN", a.Status)
			}
		})
	}
}

func TestRequestErrorCodesAndStatus(t *testing.T) {
	s := faultServer(t)
	const (
		graphQLResponse = "application/graphql-response+json"
		sdkAccept       = "application/graphql-response+json, application/json"
	)
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		code  string // "" for a request that executes
	}{
		{"parse", `{ alerts(`, nil, "GRAPHQL_PARSE_FAILED"},
		{"validation", `{ nope }`, nil, "GRAPHQL_VALIDATION_FAILED"},
		{"literal out of range", `{ alerts(input: {pageSize: 2147483648}) { pageInfo { hasNextPage } } }`, nil, "GRAPHQL_VALIDATION_FAILED"},
		{"DateTime literal", `{ alerts(input: {detectionId: "x", createdAtAfter: 99999999999}) { pageInfo { hasNextPage } } }`, nil, "GRAPHQL_VALIDATION_FAILED"},
		{"variable coercion", `query($n: Int) { alerts(input: {detectionId: "x", pageSize: $n}) { pageInfo { hasNextPage } } }`, map[string]any{"n": 2.5}, "BAD_USER_INPUT"},
		{"DateTime variable", `query($t: DateTime) { alerts(input: {detectionId: "x", createdAtAfter: $t}) { pageInfo { hasNextPage } } }`, map[string]any{"t": 99999999999}, "BAD_USER_INPUT"},
		{"named operation executes", `query A { generalSettings { pantherVersion } }`, nil, ""},
		{"field error executes", `{ alert(id: "nope") { id } }`, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, accept := range []string{"", "application/json", sdkAccept, graphQLResponse, "application/json, application/graphql-response+json;q=0.9"} {
				status, ct, r := postAccept(t, s, accept, tc.query, tc.vars)
				wantCT := "application/json"
				if accept == sdkAccept || accept == graphQLResponse {
					wantCT = graphQLResponse
				}
				wantStatus := http.StatusOK
				if tc.code != "" && wantCT == graphQLResponse {
					wantStatus = http.StatusBadRequest
				}
				if status != wantStatus || ct != wantCT {
					t.Errorf("Accept %q: status %d, Content-Type %q; want %d, %q", accept, status, ct, wantStatus, wantCT)
				}
				if tc.code == "" {
					for _, e := range r.Errors {
						if c := code(e); strings.HasPrefix(c, "GRAPHQL_") || c == "BAD_USER_INPUT" {
							t.Errorf("Accept %q: executed request has a request error %+v", accept, e)
						}
					}
					continue
				}
				if r.Data != nil || len(r.Errors) == 0 {
					t.Fatalf("Accept %q: response %+v, want errors and no data", accept, r)
				}
				for _, e := range r.Errors {
					if code(e) != tc.code {
						t.Errorf("Accept %q: error %q has code %q, want %s", accept, e.Message, code(e), tc.code)
					}
				}
				if m := r.Errors[0].Message; strings.Contains(tc.name, "DateTime") && !strings.Contains(m, "createdAtAfter") && !strings.Contains(m, `"$t"`) {
					t.Errorf("message %q names neither the field nor the variable", m)
				}
			}
		})
	}
}

// corpusCase is one request of testdata/corpus.json.
type corpusCase struct {
	Name          string         `json:"name"`
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

// jsVerdict is graphql-js's verdict on a corpus case: accept, or reject with
// the stage that rejected it (parse, validation, operation, variables).
type jsVerdict struct {
	Verdict  string   `json:"verdict"`
	Kind     string   `json:"kind"`
	Messages []string `json:"messages"`
}

// requestErrorKinds maps the codes of request errors to graphql-js's stages.
var requestErrorKinds = map[string]string{
	"GRAPHQL_PARSE_FAILED":         "parse",
	"GRAPHQL_VALIDATION_FAILED":    "validation",
	"OPERATION_RESOLUTION_FAILURE": "operation",
	"BAD_USER_INPUT":               "variables",
}

// TestCorpusMatchesGraphQLJS sends every request of testdata/corpus.json to
// the fake and requires graphql-js 16's verdict, recorded in
// testdata/graphqljs/verdicts.json: a request graphql-js accepts executes
// (field errors such as NOT_FOUND are fine), one it rejects is rejected at
// the same stage.
func TestCorpusMatchesGraphQLJS(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	var corpus []corpusCase
	if err := json.Unmarshal(b, &corpus); err != nil {
		t.Fatal(err)
	}
	var verdicts struct {
		Cases map[string]jsVerdict `json:"cases"`
	}
	if err := json.Unmarshal(readTestdata(t, "verdicts.json"), &verdicts); err != nil {
		t.Fatal(err)
	}
	if len(corpus) < 150 || len(verdicts.Cases) != len(corpus) {
		t.Fatalf("%d cases and %d verdicts; regenerate with scripts/graphqljs/record.mjs", len(corpus), len(verdicts.Cases))
	}
	s := panthertest.Start(t)
	for _, c := range corpus {
		want, ok := verdicts.Cases[c.Name]
		if !ok {
			t.Errorf("%s: no graphql-js verdict; regenerate with scripts/graphqljs/record.mjs", c.Name)
			continue
		}
		body, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(http.MethodPost, s.GraphQLURL(), bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", s.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		if err := json.Unmarshal(rb, &r); err != nil {
			t.Fatalf("%s: status %d, body %s: %v", c.Name, resp.StatusCode, rb, err)
		}
		// A request error has no "data" member; an executed request has
		// one, null when a non-null root field failed (NOT_FOUND for the
		// corpus's made-up IDs, say).
		got := jsVerdict{Verdict: "accept"}
		if len(r.Data) == 0 {
			got.Verdict = "reject"
			for _, e := range r.Errors {
				got.Messages = append(got.Messages, e.Message)
			}
			if len(r.Errors) > 0 {
				got.Kind = requestErrorKinds[code(r.Errors[0])]
			}
		}
		if got.Verdict != want.Verdict || got.Kind != want.Kind {
			t.Errorf("%s:\n  panthertest: %s %s %q\n  graphql-js:  %s %s %q", c.Name, got.Verdict, got.Kind, got.Messages, want.Verdict, want.Kind, want.Messages)
		}
	}
}
