package bench

import (
	"context"

	mbgraphql "github.com/machinebox/graphql"
	"github.com/panthersdk/panther-go/generated"
)

func init() {
	register("machinebox", rankPeers, func(e *contenderEnv) (contender, error) {
		return &machinebox{
			client: mbgraphql.NewClient(e.endpoint, mbgraphql.WithHTTPClient(e.httpClient())),
			token:  e.token,
		}, nil
	})
}

// machinebox is github.com/machinebox/graphql. It sends the same documents
// as raw and decodes into the same hand-written types.
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
		return m.run(ctx, generated.ListAlertsPage_Operation, map[string]any{"input": vars.Input}, data)
	})
}

func (m *machinebox) StreamRows(ctx context.Context, id string, out *[]map[string]any, onRow func()) (int, error) {
	return streamRawRows(id, out, onRow, func(vars rawResultsVars, data *rawRows) error {
		return m.run(ctx, generated.DataLakeQueryResultRows_Operation, map[string]any{"id": vars.ID, "input": vars.Input}, data)
	})
}

func (m *machinebox) ResultPages(ctx context.Context, id string, out *[]map[string]any, sum *summaryView) (int, error) {
	return rawResultPages(id, out, sum, func(vars rawResultsVars, data *rawResults) error {
		return m.run(ctx, generated.DataLakeQueryResults_Operation, map[string]any{"id": vars.ID, "input": vars.Input}, data)
	})
}
