package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/generated/rest"
)

func init() {
	register("raw", rankRaw, func(e *contenderEnv) (contender, error) {
		return &rawClient{name: "raw", url: e.endpoint, restBase: e.restBase, token: e.token, hc: e.httpClient()}, nil
	})
	register("raw-stream", rankRawStream, func(e *contenderEnv) (contender, error) {
		return &rawClient{name: "raw-stream", url: e.endpoint, restBase: e.restBase, token: e.token, hc: e.httpClient(), stream: true}, nil
	})
	register("floor", rankFloor, func(e *contenderEnv) (contender, error) {
		return newFloor(e)
	})
}

// ---------------------------------------------------------------------------
// raw: the baseline

// rawClient is what a careful programmer writes without a GraphQL library:
// net/http, encoding/json and structs with only the selected fields. It
// sends the same operation documents as panther-go.
//
// raw, the baseline, reads the whole body into a buffer sized from
// Content-Length and decodes it with one json.Unmarshal, as panther-go
// does. raw-stream (stream set) decodes with json.NewDecoder on the body
// instead, which is the common idiom but buffers and copies more.
type rawClient struct {
	name       string
	url, token string
	restBase   string
	hc         *http.Client
	stream     bool
}

func (c *rawClient) Name() string { return c.name }

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
	if c.stream {
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		// Read to EOF so that the connection goes back to the pool.
		_, _ = io.Copy(io.Discard, resp.Body)
	} else {
		b, err := readWhole(resp)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if err := json.Unmarshal(b, &env); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if len(env.Errors) > 0 {
		return fmt.Errorf("%s: %s", op, env.Errors[0].Message)
	}
	return nil
}

// readWhole reads a response body into one buffer, sized from
// Content-Length when the server sent one.
func readWhole(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n < 1<<30 {
		b := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return io.ReadAll(resp.Body)
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

// rawRowsPage is the part of a results page both row operations select.
type rawRowsPage struct {
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
	PageInfo rawPageInfo `json:"pageInfo"`
}

// rawRows is a DataLakeQueryResultRows response.
type rawRows struct {
	DataLakeQuery struct {
		ID      string       `json:"id"`
		Status  string       `json:"status"`
		Message string       `json:"message"`
		Results *rawRowsPage `json:"results"`
	} `json:"dataLakeQuery"`
}

// rawResults is a DataLakeQueryResults response.
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
			rawRowsPage
			ActorProfiles []rawActorProfile `json:"actorProfiles"`
		} `json:"results"`
	} `json:"dataLakeQuery"`
}

func (r *rawResults) summary() summaryView {
	q := &r.DataLakeQuery
	return summaryView{
		ID: q.ID, Name: deref(q.Name), SQL: q.SQL, Status: q.Status, Message: q.Message,
		IsScheduled: q.IsScheduled, StartedAt: q.StartedAt, CompletedAt: q.CompletedAt,
		IssuedBy: viewRawActor(q.IssuedBy),
	}
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
		return c.do(ctx, "ListAlertsPage", generated.ListAlertsPage_Operation, vars, data)
	})
}

func (c *rawClient) StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error) {
	return streamRawRows(id, out, onRow, func(vars rawResultsVars, data *rawRows) error {
		return c.do(ctx, "DataLakeQueryResultRows", generated.DataLakeQueryResultRows_Operation, vars, data)
	})
}

func (c *rawClient) ResultPages(ctx context.Context, id string, out *[]map[string]any, sum *summaryView) (int, error) {
	return rawResultPages(id, out, sum, func(vars rawResultsVars, data *rawResults) error {
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

// eachRow hands the rows of a page to out and onRow, and returns the
// variables of the next page (nil after the last).
func eachRow(res *rawRowsPage, vars rawResultsVars, n *int, out *[]map[string]any, onRow func()) (*rawResultsVars, error) {
	for _, e := range res.Edges {
		*n++
		if onRow != nil {
			onRow()
		}
		if out != nil {
			if err := appendRow(out, e.Node); err != nil {
				return nil, err
			}
		}
	}
	if !res.PageInfo.HasNextPage || res.PageInfo.EndCursor == nil {
		return nil, nil
	}
	vars.Input.Cursor = res.PageInfo.EndCursor
	return &vars, nil
}

func streamRawRows(id string, out *[]map[string]any, onRow func(), fetch func(rawResultsVars, *rawRows) error) (int, error) {
	n := 0
	vars := &rawResultsVars{ID: id, Input: rawPageInput{PageSize: rowsPageSize}}
	for vars != nil {
		var data rawRows
		if err := fetch(*vars, &data); err != nil {
			return n, err
		}
		res := data.DataLakeQuery.Results
		if res == nil {
			return n, errors.New("no results")
		}
		var err error
		if vars, err = eachRow(res, *vars, &n, out, onRow); err != nil {
			return n, err
		}
	}
	return n, nil
}

func rawResultPages(id string, out *[]map[string]any, sum *summaryView, fetch func(rawResultsVars, *rawResults) error) (int, error) {
	n := 0
	vars := &rawResultsVars{ID: id, Input: rawPageInput{PageSize: rowsPageSize}}
	for vars != nil {
		var data rawResults
		if err := fetch(*vars, &data); err != nil {
			return n, err
		}
		res := data.DataLakeQuery.Results
		if res == nil {
			return n, errors.New("no results")
		}
		if sum != nil {
			*sum = data.summary()
		}
		var err error
		if vars, err = eachRow(&res.rawRowsPage, *vars, &n, out, nil); err != nil {
			return n, err
		}
	}
	return n, nil
}

// get sends a REST GET of path (with query, if any) and decodes the JSON
// body into data, as do does for GraphQL.
func (c *rawClient) get(ctx context.Context, op, path string, query url.Values, data any) error {
	u := c.restBase + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-API-Key", c.token)
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", op, resp.StatusCode)
	}
	if c.stream {
		if err := json.NewDecoder(resp.Body).Decode(data); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	b, err := readWhole(resp)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := json.Unmarshal(b, data); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// ListRules decodes into the REST API's generated types: a hand-written
// struct with the same fields would decode the same way.
func (c *rawClient) ListRules(ctx context.Context, out *[]rest.RuleAPIRule) (int, error) {
	n := 0
	q := url.Values{"limit": {strconv.Itoa(rulesPageSize)}}
	for {
		var page rest.RuleAPIListResp
		if err := c.get(ctx, "rule#list", "/rules", q, &page); err != nil {
			return n, err
		}
		if page.Results != nil {
			n += len(*page.Results)
			if out != nil {
				*out = append(*out, *page.Results...)
			}
		}
		if page.Next == nil || *page.Next == "" {
			return n, nil
		}
		q.Set("cursor", *page.Next)
	}
}

func (c *rawClient) GetRule(ctx context.Context, id string, out *rest.RuleAPIRule) (string, error) {
	var r rest.RuleAPIRule
	if err := c.get(ctx, "rule#get", "/rules/"+url.PathEscape(id), nil, &r); err != nil {
		return "", err
	}
	if out != nil {
		*out = r
	}
	return deref(r.DisplayName), nil
}

// ---------------------------------------------------------------------------
// floor: the round trip alone

// floor sends the small query's request body, encoded once up front, with
// the same headers as raw, and reads the whole response without decoding
// it: what any client pays for a loopback HTTP round trip. Only the small
// query has a floor.
type floor struct {
	url, token string
	body       []byte
	hc         *http.Client
}

func newFloor(e *contenderEnv) (*floor, error) {
	body, err := json.Marshal(rawRequest{Query: generated.GetGeneralSettings_Operation, OperationName: "GetGeneralSettings"})
	if err != nil {
		return nil, err
	}
	return &floor{url: e.endpoint, token: e.token, body: body, hc: e.httpClient()}, nil
}

func (*floor) Name() string { return "floor" }

func (f *floor) GeneralSettings(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(f.body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", f.token)
	resp, err := f.hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := readWhole(resp)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK || len(b) == 0 {
		return "", fmt.Errorf("GetGeneralSettings: HTTP %d, %d bytes", resp.StatusCode, len(b))
	}
	return pantherVer, nil
}
