package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	mbgraphql "github.com/machinebox/graphql"
	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	shurcool "github.com/shurcooL/graphql"
)

// A contender is one way of calling the API. Each method runs one scenario
// once and reports how many items it decoded. When out is not nil the
// method also appends what it decoded, in a form common to all contenders,
// for the tests that check every contender decodes the same data; the
// benchmarks pass nil.
type contender interface {
	Name() string
	// GeneralSettings runs GetGeneralSettings and returns pantherVersion.
	GeneralSettings(ctx context.Context) (string, error)
	// ListAlerts pages through every alert, pageSize at a time.
	ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error)
	// StreamRows reads every result row of the data lake query id, a page
	// of rowsPageSize at a time, calling onRow (if not nil) after each row.
	StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error)
}

// newTransport returns the transport every contender uses: keep-alive, with
// enough idle connections per host for the 16-goroutine scenario, so that
// no contender pays for new connections that another does not.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// newContenders returns one of each contender, talking to url, each with its
// own connection pool.
func newContenders(url string) ([]contender, error) {
	pc, err := panther.New(url, benchAPIToken, panther.WithHTTPClient(&http.Client{Transport: newTransport()}))
	if err != nil {
		return nil, err
	}
	endpoint := pc.Endpoint().GraphQL
	return []contender{
		&pantherGo{client: pc},
		&pantherGoLoop{client: pc},
		&rawClient{url: endpoint, token: benchAPIToken, hc: &http.Client{Transport: newTransport()}},
		&machinebox{
			client: mbgraphql.NewClient(endpoint, mbgraphql.WithHTTPClient(&http.Client{Transport: newTransport()})),
			token:  benchAPIToken,
		},
		&shurcooL{client: shurcool.NewClient(endpoint, &http.Client{
			Transport: apiKeyTransport{token: benchAPIToken, base: newTransport()},
		})},
	}, nil
}

// ---------------------------------------------------------------------------
// panther-go

// pantherGo uses the generated functions on a *panther.Client and the
// panther package's iterators: panther.Alerts for alerts and
// panther.DataLakeResults, which yields each row as json.RawMessage, for
// data lake rows.
type pantherGo struct{ client *panther.Client }

func (*pantherGo) Name() string { return "panther-go" }

func (p *pantherGo) GeneralSettings(ctx context.Context) (string, error) {
	resp, err := generated.GetGeneralSettings(ctx, p.client)
	if err != nil {
		return "", err
	}
	return deref(resp.GeneralSettings.PantherVersion), nil
}

func (p *pantherGo) ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error) {
	n := 0
	for a, err := range panther.Alerts(ctx, p.client, generated.AlertsInput{}, panther.WithPageSize(pageSize)) {
		if err != nil {
			return n, err
		}
		n++
		if out != nil {
			*out = append(*out, viewGenerated(&a))
		}
	}
	return n, nil
}

func (p *pantherGo) StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error) {
	n := 0
	for row, err := range panther.DataLakeResults(ctx, p.client, id, panther.WithPageSize(rowsPageSize)) {
		if err != nil {
			return n, err
		}
		n++
		if onRow != nil {
			onRow()
		}
		if out != nil {
			if err := appendRow(out, row); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// pantherGoLoop is panther-go without the iterators: a hand-written loop
// over the generated functions. Next to pantherGo it shows what the
// iterators cost.
type pantherGoLoop struct{ client *panther.Client }

func (*pantherGoLoop) Name() string { return "panther-go-loop" }

func (p *pantherGoLoop) GeneralSettings(ctx context.Context) (string, error) {
	return (&pantherGo{p.client}).GeneralSettings(ctx)
}

func (p *pantherGoLoop) ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error) {
	n := 0
	in := generated.AlertsInput{PageSize: &pageSize}
	for {
		resp, err := generated.ListAlerts(ctx, p.client, in)
		if err != nil {
			return n, err
		}
		for i := range resp.Alerts.Edges {
			n++
			if out != nil {
				*out = append(*out, viewGenerated(&resp.Alerts.Edges[i].Node))
			}
		}
		pi := resp.Alerts.PageInfo
		if !pi.HasNextPage || pi.EndCursor == nil {
			return n, nil
		}
		in.Cursor = pi.EndCursor
	}
}

func (p *pantherGoLoop) StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error) {
	return streamRowsLoop(ctx, p.client, id, out, onRow)
}

// streamRowsLoop reads the rows of query id with a loop over
// generated.DataLakeQueryResults.
func streamRowsLoop(ctx context.Context, client *panther.Client, id string, out *[]map[string]any, onRow func()) (int, error) {
	n := 0
	size := rowsPageSize
	in := generated.DataLakeQueryResultsInput{PageSize: &size}
	for {
		resp, err := generated.DataLakeQueryResults(ctx, client, id, nil, &in)
		if err != nil {
			return n, err
		}
		res := resp.DataLakeQuery.Results
		if res == nil {
			return n, errors.New("no results")
		}
		for _, e := range res.Edges {
			n++
			if onRow != nil {
				onRow()
			}
			if out != nil {
				if err := appendRow(out, e.Node); err != nil {
					return n, err
				}
			}
		}
		if !res.PageInfo.HasNextPage || res.PageInfo.EndCursor == nil {
			return n, nil
		}
		in.Cursor = res.PageInfo.EndCursor
	}
}

// ---------------------------------------------------------------------------
// raw: the floor

// rawClient is what a careful programmer writes without a GraphQL library:
// net/http, encoding/json and structs with only the selected fields. It
// sends the same operation documents as panther-go.
type rawClient struct {
	url, token string
	hc         *http.Client
}

func (*rawClient) Name() string { return "raw" }

type rawRequest struct {
	Query         string `json:"query"`
	Variables     any    `json:"variables,omitempty"`
	OperationName string `json:"operationName,omitempty"`
}

func (c *rawClient) do(ctx context.Context, op, query string, vars, data any) error {
	body, err := json.Marshal(rawRequest{Query: query, Variables: vars, OperationName: op})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", c.token)
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", op, resp.StatusCode)
	}
	env := rawEnvelope{Data: data}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	// Read to EOF so that the connection goes back to the pool.
	_, _ = io.Copy(io.Discard, resp.Body)
	if len(env.Errors) > 0 {
		return fmt.Errorf("%s: %s", op, env.Errors[0].Message)
	}
	return nil
}

type rawEnvelope struct {
	Data   any `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// The hand-written response types shared by raw and machinebox. They hold
// every field the operations select, typed as panther-go types them
// (times as time.Time, nullable fields as pointers), and the unions
// flattened into one struct with the union's fields.

type rawSettings struct {
	GeneralSettings struct {
		PantherVersion *string `json:"pantherVersion"`
	} `json:"generalSettings"`
}

type rawPageInfo struct {
	HasNextPage     bool    `json:"hasNextPage"`
	EndCursor       *string `json:"endCursor"`
	HasPreviousPage bool    `json:"hasPreviousPage"`
	StartCursor     *string `json:"startCursor"`
}

type rawActor struct {
	Typename   string  `json:"__typename"`
	ID         string  `json:"id"`
	Email      string  `json:"email"`
	GivenName  *string `json:"givenName"`
	FamilyName *string `json:"familyName"`
	Name       string  `json:"name"`
}

type rawAlert struct {
	ID                   string     `json:"id"`
	Title                string     `json:"title"`
	Severity             string     `json:"severity"`
	Status               string     `json:"status"`
	Type                 string     `json:"type"`
	Description          string     `json:"description"`
	Reference            string     `json:"reference"`
	Runbook              string     `json:"runbook"`
	CreatedAt            time.Time  `json:"createdAt"`
	UpdatedAt            *time.Time `json:"updatedAt"`
	FirstEventOccurredAt *time.Time `json:"firstEventOccurredAt"`
	LastReceivedEventAt  time.Time  `json:"lastReceivedEventAt"`
	Assignee             *struct {
		ID         string  `json:"id"`
		Email      string  `json:"email"`
		GivenName  *string `json:"givenName"`
		FamilyName *string `json:"familyName"`
	} `json:"assignee"`
	Origin struct {
		Typename         string `json:"__typename"`
		ID               string `json:"id"`
		Name             string `json:"name"`
		DetectionType    string `json:"detectionType"`
		RelatedComponent string `json:"relatedComponent"`
		ErrorType        string `json:"errorType"`
	} `json:"origin"`
	UpdatedBy *rawActor `json:"updatedBy"`
}

type rawAlerts struct {
	Alerts struct {
		Edges []struct {
			Node rawAlert `json:"node"`
		} `json:"edges"`
		PageInfo rawPageInfo `json:"pageInfo"`
	} `json:"alerts"`
}

type rawActorProfile struct {
	EntityID         string     `json:"entityId"`
	DisplayNames     []string   `json:"displayNames"`
	Usernames        []string   `json:"usernames"`
	Emails           []string   `json:"emails"`
	Phones           []string   `json:"phones"`
	JobTitles        []string   `json:"jobTitles"`
	Departments      []string   `json:"departments"`
	Organizations    []string   `json:"organizations"`
	Managers         []string   `json:"managers"`
	EmploymentStatus []string   `json:"employmentStatus"`
	FirstObservedAt  *time.Time `json:"firstObservedAt"`
	LastLoginAt      *time.Time `json:"lastLoginAt"`
	Addresses        []struct {
		StreetAddress *string `json:"streetAddress"`
		City          *string `json:"city"`
		Region        *string `json:"region"`
		PostalCode    *string `json:"postalCode"`
		CountryCode   *string `json:"countryCode"`
	} `json:"addresses"`
}

type rawResults struct {
	DataLakeQuery struct {
		ID          string     `json:"id"`
		Name        *string    `json:"name"`
		SQL         string     `json:"sql"`
		Status      string     `json:"status"`
		Message     string     `json:"message"`
		IsScheduled bool       `json:"isScheduled"`
		StartedAt   time.Time  `json:"startedAt"`
		CompletedAt *time.Time `json:"completedAt"`
		IssuedBy    *rawActor  `json:"issuedBy"`
		Results     *struct {
			TryAgain   bool `json:"tryAgain"`
			ColumnInfo struct {
				Order []string        `json:"order"`
				Types json.RawMessage `json:"types"`
			} `json:"columnInfo"`
			Stats struct {
				BytesScanned  float64 `json:"bytesScanned"`
				ExecutionTime float64 `json:"executionTime"`
				RowCount      float64 `json:"rowCount"`
			} `json:"stats"`
			Edges []struct {
				ID   *string         `json:"id"`
				Node json.RawMessage `json:"node"`
			} `json:"edges"`
			PageInfo      rawPageInfo       `json:"pageInfo"`
			ActorProfiles []rawActorProfile `json:"actorProfiles"`
		} `json:"results"`
	} `json:"dataLakeQuery"`
}

// Variables, encoded as panther-go encodes them.

type rawAlertsVars struct {
	Input rawPageInput `json:"input"`
}

type rawPageInput struct {
	Cursor   *string `json:"cursor,omitempty"`
	PageSize int     `json:"pageSize"`
}

type rawResultsVars struct {
	ID    string       `json:"id"`
	Input rawPageInput `json:"input"`
}

func (c *rawClient) GeneralSettings(ctx context.Context) (string, error) {
	var data rawSettings
	if err := c.do(ctx, "GetGeneralSettings", generated.GetGeneralSettings_Operation, nil, &data); err != nil {
		return "", err
	}
	return deref(data.GeneralSettings.PantherVersion), nil
}

func (c *rawClient) ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error) {
	return listRawAlerts(pageSize, out, func(vars rawAlertsVars, data *rawAlerts) error {
		return c.do(ctx, "ListAlerts", generated.ListAlerts_Operation, vars, data)
	})
}

func (c *rawClient) StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error) {
	return streamRawRows(id, out, onRow, func(vars rawResultsVars, data *rawResults) error {
		return c.do(ctx, "DataLakeQueryResults", generated.DataLakeQueryResults_Operation, vars, data)
	})
}

// listRawAlerts pages through the alerts with fetch, which decodes a page
// into the hand-written types.
func listRawAlerts(pageSize int, out *[]alertView, fetch func(rawAlertsVars, *rawAlerts) error) (int, error) {
	n := 0
	vars := rawAlertsVars{Input: rawPageInput{PageSize: pageSize}}
	for {
		var data rawAlerts
		if err := fetch(vars, &data); err != nil {
			return n, err
		}
		for i := range data.Alerts.Edges {
			n++
			if out != nil {
				*out = append(*out, viewRaw(&data.Alerts.Edges[i].Node))
			}
		}
		pi := data.Alerts.PageInfo
		if !pi.HasNextPage || pi.EndCursor == nil {
			return n, nil
		}
		vars.Input.Cursor = pi.EndCursor
	}
}

func streamRawRows(id string, out *[]map[string]any, onRow func(), fetch func(rawResultsVars, *rawResults) error) (int, error) {
	n := 0
	vars := rawResultsVars{ID: id, Input: rawPageInput{PageSize: rowsPageSize}}
	for {
		var data rawResults
		if err := fetch(vars, &data); err != nil {
			return n, err
		}
		res := data.DataLakeQuery.Results
		if res == nil {
			return n, errors.New("no results")
		}
		for _, e := range res.Edges {
			n++
			if onRow != nil {
				onRow()
			}
			if out != nil {
				if err := appendRow(out, e.Node); err != nil {
					return n, err
				}
			}
		}
		if !res.PageInfo.HasNextPage || res.PageInfo.EndCursor == nil {
			return n, nil
		}
		vars.Input.Cursor = res.PageInfo.EndCursor
	}
}

// ---------------------------------------------------------------------------
// github.com/machinebox/graphql

// machinebox sends the same documents as raw and decodes into the same
// hand-written types.
type machinebox struct {
	client *mbgraphql.Client
	token  string
}

func (*machinebox) Name() string { return "machinebox" }

func (m *machinebox) run(ctx context.Context, query string, vars map[string]any, data any) error {
	req := mbgraphql.NewRequest(query)
	for k, v := range vars {
		req.Var(k, v)
	}
	req.Header.Set("X-API-Key", m.token)
	return m.client.Run(ctx, req, data)
}

func (m *machinebox) GeneralSettings(ctx context.Context) (string, error) {
	var data rawSettings
	if err := m.run(ctx, generated.GetGeneralSettings_Operation, nil, &data); err != nil {
		return "", err
	}
	return deref(data.GeneralSettings.PantherVersion), nil
}

func (m *machinebox) ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error) {
	return listRawAlerts(pageSize, out, func(vars rawAlertsVars, data *rawAlerts) error {
		return m.run(ctx, generated.ListAlerts_Operation, map[string]any{"input": vars.Input}, data)
	})
}

func (m *machinebox) StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error) {
	return streamRawRows(id, out, onRow, func(vars rawResultsVars, data *rawResults) error {
		return m.run(ctx, generated.DataLakeQueryResults_Operation, map[string]any{"id": vars.ID, "input": vars.Input}, data)
	})
}

// ---------------------------------------------------------------------------
// github.com/shurcooL/graphql

// shurcooL builds each query from tagged structs and decodes with its own
// reflection-based decoder. That decoder can only put a JSON object into a
// struct whose fields name every key, so the JSON scalars (a result row,
// columnInfo.types) are decoded into typed structs: more work than keeping
// them as raw JSON, which the other contenders do.
type shurcooL struct{ client *shurcool.Client }

func (*shurcooL) Name() string { return "shurcool" }

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
			PageInfo      shurPageInfo       `graphql:"pageInfo"`
			ActorProfiles []shurActorProfile `graphql:"actorProfiles"`
		} `graphql:"results(input: $input)"`
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
	in := DataLakeQueryResultsInput{PageSize: rowsPageSize}
	for {
		var q shurResultsQuery
		if err := s.client.Query(ctx, &q, map[string]any{"id": shurcool.ID(id), "input": in}); err != nil {
			return n, err
		}
		res := q.DataLakeQuery.Results
		if res == nil {
			return n, errors.New("no results")
		}
		for i := range res.Edges {
			n++
			if onRow != nil {
				onRow()
			}
			if out != nil {
				b, err := json.Marshal((*ctRow)(&res.Edges[i].Node))
				if err != nil {
					return n, err
				}
				if err := appendRow(out, b); err != nil {
					return n, err
				}
			}
		}
		if !res.PageInfo.HasNextPage || res.PageInfo.EndCursor == nil {
			return n, nil
		}
		in.Cursor = res.PageInfo.EndCursor
	}
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
