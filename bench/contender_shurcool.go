package bench

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	shurcool "github.com/shurcooL/graphql"
)

func init() {
	register("shurcool", rankPeers+1, func(e *contenderEnv) (contender, error) {
		return &shurcooL{client: shurcool.NewClient(e.endpoint, &http.Client{
			Transport: apiKeyTransport{token: e.token, base: newTransport()},
		})}, nil
	})
}

// shurcooL builds each query from tagged structs and decodes with its own
// reflection-based decoder. That decoder can only put a JSON object into a
// struct whose fields name every key, so the JSON scalars (a result row,
// columnInfo.types) are decoded into typed structs: more work than keeping
// them as raw JSON, which the other contenders do.
type shurcooL struct{ client *shurcool.Client }

func (*shurcooL) Name() string { return "shurcool" }

// smallStreamsOnly keeps shurcool out of the 100,000-row streams: it takes
// about ten times raw's time there (tens of seconds an op on a small
// machine), which would make every round of the benchmarks several times
// longer, and it still streams the 10,000-row query in
// DataLakeResultPages, the peak-heap benchmark and the decoding test.
func (*shurcooL) smallStreamsOnly() {}

// apiKeyTransport adds the API key header. shurcooL/graphql has no hook for
// headers; the request it passes is built afresh for each call and never
// reused, so setting the header on it in place is safe here.
type apiKeyTransport struct {
	token string
	base  http.RoundTripper
}

func (t apiKeyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r.Header.Set("X-API-Key", t.token)
	return t.base.RoundTrip(r)
}

// Variable types: shurcooL names a variable's GraphQL type after its Go
// type.
type (
	// AlertsInput is the AlertsInput input type, as far as the benchmark
	// uses it.
	AlertsInput struct {
		Cursor   *string `json:"cursor,omitempty"`
		PageSize int     `json:"pageSize"`
	}
	// DataLakeQueryResultsInput is the DataLakeQueryResultsInput input
	// type.
	DataLakeQueryResultsInput struct {
		Cursor   *string `json:"cursor,omitempty"`
		PageSize int     `json:"pageSize"`
	}
)

type shurPageInfo struct {
	HasNextPage     bool    `graphql:"hasNextPage"`
	EndCursor       *string `graphql:"endCursor"`
	HasPreviousPage bool    `graphql:"hasPreviousPage"`
	StartCursor     *string `graphql:"startCursor"`
}

type shurActor struct {
	Typename string `graphql:"__typename"`
	User     struct {
		ID         string  `graphql:"id"`
		Email      string  `graphql:"email"`
		GivenName  *string `graphql:"givenName"`
		FamilyName *string `graphql:"familyName"`
	} `graphql:"... on User"`
	APIToken struct {
		ID   string `graphql:"id"`
		Name string `graphql:"name"`
	} `graphql:"... on APIToken"`
}

type shurAlert struct {
	ID                   string     `graphql:"id"`
	Title                string     `graphql:"title"`
	Severity             string     `graphql:"severity"`
	Status               string     `graphql:"status"`
	Type                 string     `graphql:"type"`
	Description          string     `graphql:"description"`
	Reference            string     `graphql:"reference"`
	Runbook              string     `graphql:"runbook"`
	CreatedAt            time.Time  `graphql:"createdAt"`
	UpdatedAt            *time.Time `graphql:"updatedAt"`
	FirstEventOccurredAt *time.Time `graphql:"firstEventOccurredAt"`
	LastReceivedEventAt  time.Time  `graphql:"lastReceivedEventAt"`
	Assignee             *struct {
		ID         string  `graphql:"id"`
		Email      string  `graphql:"email"`
		GivenName  *string `graphql:"givenName"`
		FamilyName *string `graphql:"familyName"`
	} `graphql:"assignee"`
	Origin struct {
		Typename  string `graphql:"__typename"`
		Detection struct {
			ID            string `graphql:"id"`
			Name          string `graphql:"name"`
			DetectionType string `graphql:"detectionType: type"`
		} `graphql:"... on Detection"`
		DeletedDetection struct {
			ID string `graphql:"id"`
		} `graphql:"... on DeletedDetection"`
		SystemError struct {
			RelatedComponent string `graphql:"relatedComponent"`
			ErrorType        string `graphql:"errorType: type"`
		} `graphql:"... on SystemError"`
	} `graphql:"origin"`
	UpdatedBy *shurActor `graphql:"updatedBy"`
}

type shurAlertsQuery struct {
	Alerts struct {
		Edges []struct {
			Node shurAlert `graphql:"node"`
		} `graphql:"edges"`
		PageInfo shurPageInfo `graphql:"pageInfo"`
	} `graphql:"alerts(input: $input)"`
}

// shurRow is a result row. Its UnmarshalJSON makes shurcooL treat it as a
// scalar when writing the query (it selects `node`, not `node { ... }`);
// when decoding, shurcooL walks the object into the fields itself.
type shurRow ctRow

// UnmarshalJSON decodes a row.
func (r *shurRow) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, (*ctRow)(r)) }

// shurColumnTypes is columnInfo.types; see shurRow.
type shurColumnTypes ctColumnTypes

// UnmarshalJSON decodes a column-to-type mapping.
func (t *shurColumnTypes) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, (*ctColumnTypes)(t))
}

type shurActorProfile struct {
	EntityID         string     `graphql:"entityId"`
	DisplayNames     []string   `graphql:"displayNames"`
	Usernames        []string   `graphql:"usernames"`
	Emails           []string   `graphql:"emails"`
	Phones           []string   `graphql:"phones"`
	JobTitles        []string   `graphql:"jobTitles"`
	Departments      []string   `graphql:"departments"`
	Organizations    []string   `graphql:"organizations"`
	Managers         []string   `graphql:"managers"`
	EmploymentStatus []string   `graphql:"employmentStatus"`
	FirstObservedAt  *time.Time `graphql:"firstObservedAt"`
	LastLoginAt      *time.Time `graphql:"lastLoginAt"`
	Addresses        []struct {
		StreetAddress *string `graphql:"streetAddress"`
		City          *string `graphql:"city"`
		Region        *string `graphql:"region"`
		PostalCode    *string `graphql:"postalCode"`
		CountryCode   *string `graphql:"countryCode"`
	} `graphql:"addresses"`
}

type shurResultsQuery struct {
	DataLakeQuery struct {
		ID          string     `graphql:"id"`
		Name        *string    `graphql:"name"`
		SQL         string     `graphql:"sql"`
		Status      string     `graphql:"status"`
		Message     string     `graphql:"message"`
		IsScheduled bool       `graphql:"isScheduled"`
		StartedAt   time.Time  `graphql:"startedAt"`
		CompletedAt *time.Time `graphql:"completedAt"`
		IssuedBy    *shurActor `graphql:"issuedBy"`
		Results     *struct {
			shurRowsPage
			ActorProfiles []shurActorProfile `graphql:"actorProfiles"`
		} `graphql:"results(input: $input)"`
	} `graphql:"dataLakeQuery(id: $id)"`
}

// shurRowsPage is the part of a results page both row operations select.
type shurRowsPage struct {
	TryAgain   bool `graphql:"tryAgain"`
	ColumnInfo struct {
		Order []string        `graphql:"order"`
		Types shurColumnTypes `graphql:"types"`
	} `graphql:"columnInfo"`
	Stats struct {
		BytesScanned  float64 `graphql:"bytesScanned"`
		ExecutionTime float64 `graphql:"executionTime"`
		RowCount      float64 `graphql:"rowCount"`
	} `graphql:"stats"`
	Edges []struct {
		ID   *string `graphql:"id"`
		Node shurRow `graphql:"node"`
	} `graphql:"edges"`
	PageInfo shurPageInfo `graphql:"pageInfo"`
}

// shurRowsQuery is DataLakeQueryResultRows.
type shurRowsQuery struct {
	DataLakeQuery struct {
		ID      string        `graphql:"id"`
		Status  string        `graphql:"status"`
		Message string        `graphql:"message"`
		Results *shurRowsPage `graphql:"results(input: $input)"`
	} `graphql:"dataLakeQuery(id: $id)"`
}

func (s *shurcooL) GeneralSettings(ctx context.Context) (string, error) {
	var q struct {
		GeneralSettings struct {
			PantherVersion *string `graphql:"pantherVersion"`
		} `graphql:"generalSettings"`
	}
	if err := s.client.Query(ctx, &q, nil); err != nil {
		return "", err
	}
	return deref(q.GeneralSettings.PantherVersion), nil
}

func (s *shurcooL) ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error) {
	n := 0
	in := AlertsInput{PageSize: pageSize}
	for {
		var q shurAlertsQuery
		if err := s.client.Query(ctx, &q, map[string]any{"input": in}); err != nil {
			return n, err
		}
		for i := range q.Alerts.Edges {
			n++
			if out != nil {
				*out = append(*out, viewShurcooL(&q.Alerts.Edges[i].Node))
			}
		}
		pi := q.Alerts.PageInfo
		if !pi.HasNextPage || pi.EndCursor == nil {
			return n, nil
		}
		in.Cursor = pi.EndCursor
	}
}

func (s *shurcooL) StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error) {
	n := 0
	in := &DataLakeQueryResultsInput{PageSize: rowsPageSize}
	for in != nil {
		var q shurRowsQuery
		if err := s.client.Query(ctx, &q, map[string]any{"id": shurcool.ID(id), "input": *in}); err != nil {
			return n, err
		}
		res := q.DataLakeQuery.Results
		if res == nil {
			return n, errors.New("no results")
		}
		var err error
		if in, err = shurEachRow(res, *in, &n, out, onRow); err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *shurcooL) ResultPages(ctx context.Context, id string, out *[]map[string]any, sum *summaryView) (int, error) {
	n := 0
	in := &DataLakeQueryResultsInput{PageSize: rowsPageSize}
	for in != nil {
		var q shurResultsQuery
		if err := s.client.Query(ctx, &q, map[string]any{"id": shurcool.ID(id), "input": *in}); err != nil {
			return n, err
		}
		d := &q.DataLakeQuery
		if d.Results == nil {
			return n, errors.New("no results")
		}
		if sum != nil {
			*sum = summaryView{
				ID: d.ID, Name: deref(d.Name), SQL: d.SQL, Status: d.Status, Message: d.Message,
				IsScheduled: d.IsScheduled, StartedAt: d.StartedAt, CompletedAt: d.CompletedAt,
				IssuedBy: viewShurActor(d.IssuedBy),
			}
		}
		var err error
		if in, err = shurEachRow(&d.Results.shurRowsPage, *in, &n, out, nil); err != nil {
			return n, err
		}
	}
	return n, nil
}

// shurEachRow hands the rows of a page to out and onRow, and returns the
// input of the next page (nil after the last).
func shurEachRow(res *shurRowsPage, in DataLakeQueryResultsInput, n *int, out *[]map[string]any, onRow func()) (*DataLakeQueryResultsInput, error) {
	for i := range res.Edges {
		*n++
		if onRow != nil {
			onRow()
		}
		if out != nil {
			b, err := json.Marshal((*ctRow)(&res.Edges[i].Node))
			if err != nil {
				return nil, err
			}
			if err := appendRow(out, b); err != nil {
				return nil, err
			}
		}
	}
	if !res.PageInfo.HasNextPage || res.PageInfo.EndCursor == nil {
		return nil, nil
	}
	in.Cursor = res.PageInfo.EndCursor
	return &in, nil
}
