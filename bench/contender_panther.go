package bench

import (
	"context"
	"errors"
	"fmt"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/generated/rest"
	"github.com/panthersdk/panther-go/panther"
)

func init() {
	register("panther-go", rankPantherGo, func(e *contenderEnv) (contender, error) {
		c, err := e.pantherClient()
		return &pantherGo{client: c}, err
	})
	register("panther-go-loop", rankGenerated, func(e *contenderEnv) (contender, error) {
		c, err := e.pantherClient()
		return &pantherGoLoop{client: c}, err
	})
}

// pantherGo is what the panther-go documentation recommends for each
// scenario: the generated function for the small query, and the panther
// iterators (panther.Alerts; panther.DataLakeResults, which yields each row
// as json.RawMessage) for listings.
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

func (p *pantherGo) ListRules(ctx context.Context, out *[]rest.RuleAPIRule) (int, error) {
	n := 0
	for r, err := range panther.Rules(ctx, p.client, nil, panther.WithPageSize(rulesPageSize)) {
		if err != nil {
			return n, err
		}
		n++
		if out != nil {
			*out = append(*out, r)
		}
	}
	return n, nil
}

func (p *pantherGo) GetRule(ctx context.Context, id string, out *rest.RuleAPIRule) (string, error) {
	resp, err := p.client.REST().RuleGetWithResponse(ctx, id)
	if err != nil {
		return "", err
	}
	if resp.JSON200 == nil {
		return "", fmt.Errorf("rule#get: HTTP %d", resp.StatusCode())
	}
	if out != nil {
		*out = *resp.JSON200
	}
	return deref(resp.JSON200.DisplayName), nil
}

// pantherGoLoop calls the generated functions directly, in a hand-written
// paging loop: generated.ListAlertsPage, generated.DataLakeQueryResultRows and
// generated.DataLakeQueryResults. Most calls of the SDK look like this.
type pantherGoLoop struct{ client *panther.Client }

func (*pantherGoLoop) Name() string { return "panther-go-loop" }

func (p *pantherGoLoop) GeneralSettings(ctx context.Context) (string, error) {
	return (&pantherGo{p.client}).GeneralSettings(ctx)
}

func (p *pantherGoLoop) ListAlerts(ctx context.Context, pageSize int, out *[]alertView) (int, error) {
	n := 0
	in := generated.AlertsInput{PageSize: &pageSize}
	for {
		resp, err := generated.ListAlertsPage(ctx, p.client, in)
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
	n := 0
	size := rowsPageSize
	in := generated.DataLakeQueryResultsInput{PageSize: &size}
	for {
		resp, err := generated.DataLakeQueryResultRows(ctx, p.client, id, nil, &in)
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

func (p *pantherGoLoop) ResultPages(ctx context.Context, id string, out *[]map[string]any, sum *summaryView) (int, error) {
	n := 0
	size := rowsPageSize
	in := generated.DataLakeQueryResultsInput{PageSize: &size}
	for {
		resp, err := generated.DataLakeQueryResults(ctx, p.client, id, nil, &in)
		if err != nil {
			return n, err
		}
		q := &resp.DataLakeQuery
		res := q.Results
		if res == nil {
			return n, errors.New("no results")
		}
		for _, e := range res.Edges {
			n++
			if out != nil {
				if err := appendRow(out, e.Node); err != nil {
					return n, err
				}
			}
		}
		if sum != nil {
			s := &q.DataLakeQuerySummary
			*sum = summaryView{
				ID: s.Id, Name: deref(s.Name), SQL: s.Sql, Status: string(s.Status), Message: s.Message,
				IsScheduled: s.IsScheduled, StartedAt: s.StartedAt, CompletedAt: s.CompletedAt,
				IssuedBy: viewActorRef(s.IssuedBy),
			}
		}
		if !res.PageInfo.HasNextPage || res.PageInfo.EndCursor == nil {
			return n, nil
		}
		in.Cursor = res.PageInfo.EndCursor
	}
}
