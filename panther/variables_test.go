package panther

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
)

// recordRequests is a graphql.Client that keeps the requests the generated
// functions make and answers none.
type recordRequests struct{ reqs []*graphql.Request }

func (r *recordRequests) MakeRequest(_ context.Context, req *graphql.Request, _ *graphql.Response) error {
	r.reqs = append(r.reqs, req)
	return errors.New("not sent")
}

// encodeTwoPass is how request bodies were encoded before the one-pass
// encoding: the variables on their own, then the body around them.
func encodeTwoPass(t *testing.T, req *graphql.Request) []byte {
	t.Helper()
	body := gqlRequest{Query: req.Query, OperationName: req.OpName}
	if req.Variables != nil {
		vars, err := json.Marshal(req.Variables)
		if err != nil {
			t.Fatal(err)
		}
		body.Variables = vars
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRequestBodiesUnchangedByOnePassEncoding checks that the request body
// of every kind of call, without explicit fields, is byte for byte what the
// two-pass encoding produced: no variables, typed nil variables, optional
// fields set and unset, times, strings that need escaping.
func TestRequestBodiesUnchangedByOnePassEncoding(t *testing.T) {
	rec := &recordRequests{}
	ctx := context.Background()
	size, cursor, root := 100, `c<u>r&s"o\r`, true
	after := time.Date(2026, 11, 1, 2, 3, 4, 5, time.UTC)
	_, _ = generated.GetGeneralSettings(ctx, rec)
	_, _ = generated.ListAlertsPage(ctx, rec, generated.AlertsInput{})
	_, _ = generated.ListAlertsPage(ctx, rec, generated.AlertsInput{PageSize: &size, Cursor: &cursor, CreatedAtAfter: &after, CreatedAtBefore: &after})
	_, _ = generated.DataLakeQueryResultRows(ctx, rec, "q\u2028id", &root, &generated.DataLakeQueryResultsInput{PageSize: &size})
	_, _ = generated.DataLakeQueryResultRows(ctx, rec, "id", nil, nil)
	_, _ = generated.ExecuteDataLakeQuery(ctx, rec, generated.ExecuteDataLakeQueryInput{Sql: "SELECT '<\x00>' -- é"})
	var typedNil *struct{ A int }
	rec.reqs = append(rec.reqs,
		&graphql.Request{Query: "query Q { a }", OpName: "Q", Variables: typedNil},
		&graphql.Request{Query: "{ a }", Variables: map[string]any{"z": 1, "a": []string{}, "m": nil}},
	)
	if len(rec.reqs) != 8 {
		t.Fatalf("recorded %d requests, want 8", len(rec.reqs))
	}
	for _, req := range rec.reqs {
		got, err := encodeRequest(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", req.OpName, err)
		}
		if want := encodeTwoPass(t, req); string(got) != string(want) {
			t.Errorf("%s: body\n%s\nwant\n%s", req.OpName, got, want)
		}
	}
}

func TestEncodeRequestNamesBadVariables(t *testing.T) {
	for _, vars := range []any{map[string]any{"x": math.Inf(1)}, map[string]any{"f": func() {}}} {
		_, err := encodeRequest(context.Background(), &graphql.Request{Query: "{ a }", Variables: vars})
		if err == nil || !strings.HasPrefix(err.Error(), "encoding variables: ") {
			t.Errorf("encodeRequest(%T) = %v, want an error about encoding variables", vars, err)
		}
		var ute *json.UnsupportedTypeError
		var uve *json.UnsupportedValueError
		if !errors.As(err, &ute) && !errors.As(err, &uve) {
			t.Errorf("encodeRequest: %v does not wrap encoding/json's error", err)
		}
	}
}
