package panthertest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// apiKeyDoer adds the X-API-Key header, as the SDK's client does.
type apiKeyDoer struct {
	srv *panthertest.Server
}

func (d apiKeyDoer) Do(req *http.Request) (*http.Response, error) {
	req.Header.Set("X-API-Key", d.srv.Token())
	return http.DefaultClient.Do(req)
}

func p[T any](v T) *T { return &v }

// genCase calls one generated operation function against a fresh server.
type genCase struct {
	name string
	call func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error)
}

func genCases(t *testing.T) []genCase {
	zipData := detectionsZip(t)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prefixes := []generated.S3PrefixLogTypesInput{{Prefix: "", LogTypes: []string{"AWS.CloudTrail"}, ExcludedPrefixes: []string{}}}
	queryID := func(ctx context.Context, c graphql.Client) string {
		r, err := generated.ExecuteDataLakeQuery(ctx, c, generated.ExecuteDataLakeQueryInput{Sql: "SELECT * FROM panther_logs.aws_cloudtrail"})
		if err != nil {
			t.Fatal(err)
		}
		return r.ExecuteDataLakeQuery.Id
	}
	events := generated.AISummarizeLogEventsInput{Events: []string{`{"eventName":"ConsoleLogin"}`}}
	return []genCase{
		{"UpdateAlertsAssigneeByEmail", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateAlertsAssigneeByEmail(ctx, c, generated.UpdateAlertsAssigneeByEmailInput{Ids: []string{id.alert}, AssigneeEmail: &id.userEmail})
		}},
		{"UpdateAlertsAssigneeByID", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateAlertsAssigneeByID(ctx, c, generated.UpdateAlertsAssigneeByIdInput{Ids: []string{id.alert}, AssigneeId: &id.user})
		}},
		{"CancelDataLakeQuery", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.CancelDataLakeQuery(ctx, c, generated.CancelDataLakeQueryInput{Id: queryID(ctx, c)})
		}},
		{"CreateAlertComment", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.CreateAlertComment(ctx, c, generated.CreateAlertCommentInput{AlertId: id.alert, Body: "seen", Format: p(generated.CommentFormatPlainText)})
		}},
		{"CreateCloudAccount", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.CreateCloudAccount(ctx, c, generated.CreateCloudAccountInput{AwsAccountId: "123456789012", Label: "New",
				AwsScanConfig: generated.AWSScanConfigInput{AuditRole: "arn:aws:iam::123456789012:role/Audit"}})
		}},
		{"CreateOrUpdateSchema", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.CreateOrUpdateSchema(ctx, c, generated.CreateOrUpdateSchemaInput{Name: "Custom.Gen", Spec: "fields:\n  - name: a\n    type: string\n"})
		}},
		{"CreateRole", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.CreateRole(ctx, c, generated.CreateRoleInput{Name: "Gen", Permissions: []generated.Permission{generated.PermissionAlertread}})
		}},
		{"CreateS3Source", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.CreateS3Source(ctx, c, generated.CreateS3SourceInput{AwsAccountId: "123456789012", Label: "Gen", LogProcessingRole: "arn:aws:iam::123456789012:role/R",
				LogStreamType: generated.LogStreamTypeJson, S3Bucket: "gen-bucket", S3PrefixLogTypes: prefixes})
		}},
		{"DataLakeQueryResultRows", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.DataLakeQueryResultRows(ctx, c, id.query, nil, &generated.DataLakeQueryResultsInput{PageSize: p(5)})
		}},
		{"DataLakeQueryResults", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.DataLakeQueryResults(ctx, c, id.query, nil, &generated.DataLakeQueryResultsInput{PageSize: p(5)})
		}},
		{"DeleteCloudAccount", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.DeleteCloudAccount(ctx, c, generated.DeleteCloudAccountInput{Id: id.cloudAccount})
		}},
		{"DeleteDetections", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.DeleteDetections(ctx, c, generated.DeleteDetectionsInput{Ids: s.DetectionIDs()[:1]})
		}},
		{"DeleteRole", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			r, err := generated.CreateRole(ctx, c, generated.CreateRoleInput{Name: "Tmp", Permissions: []generated.Permission{generated.PermissionAlertread}})
			if err != nil {
				return nil, err
			}
			return generated.DeleteRole(ctx, c, generated.DeleteRoleInput{Id: r.CreateRole.Role.Id})
		}},
		{"DeleteSavedQueriesByName", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.DeleteSavedQueriesByName(ctx, c, generated.DeleteSavedQueriesByNameInput{Names: s.SavedQueryNames()[:1]})
		}},
		{"DeleteSource", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.DeleteSource(ctx, c, generated.DeleteSourceInput{Id: id.source})
		}},
		{"DeleteUser", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.DeleteUser(ctx, c, generated.DeleteUserInput{Id: id.user})
		}},
		{"ExecuteAlertActorQuery", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ExecuteAlertActorQuery(ctx, c, generated.ExecuteAlertActorQueryInput{AlertId: id.alert})
		}},
		{"ExecuteDataLakeQuery", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ExecuteDataLakeQuery(ctx, c, generated.ExecuteDataLakeQueryInput{Sql: "SELECT 1"})
		}},
		{"ExecuteIndicatorSearchQuery", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ExecuteIndicatorSearchQuery(ctx, c, generated.ExecuteIndicatorSearchQueryInput{Indicators: []string{"192.0.2.1"},
				IndicatorName: p(generated.IndicatorTypePAnyIpAddresses), StartTime: start, EndTime: start.Add(24 * time.Hour)})
		}},
		{"GetAIInferenceStream", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			r, err := generated.SummarizeLogEvents(ctx, c, events)
			if err != nil {
				return nil, err
			}
			return generated.GetAIInferenceStream(ctx, c, r.AiSummarizeLogEvents.StreamId)
		}},
		{"GetActorProfile", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetActorProfile(ctx, c, id.userEmail)
		}},
		{"GetAlert", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetAlert(ctx, c, id.alert, &generated.AlertEventsInput{PageSize: p(3)})
		}},
		{"GetCachedAISummary", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			if _, err := generated.SummarizeLogEvents(ctx, c, events); err != nil {
				return nil, err
			}
			return generated.GetCachedAISummary(ctx, c, events)
		}},
		{"GetCloudAccount", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetCloudAccount(ctx, c, id.cloudAccount)
		}},
		{"GetDataLakeDatabase", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetDataLakeDatabase(ctx, c, "panther_logs")
		}},
		{"GetDataLakeDatabaseTable", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetDataLakeDatabaseTable(ctx, c, generated.DataLakeDatabaseTableInput{DatabaseName: "panther_logs", TableName: "okta_systemlog"})
		}},
		{"GetDataLakeQuery", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetDataLakeQuery(ctx, c, queryID(ctx, c), nil)
		}},
		{"GetDetectionEntitiesUploadStatus", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			r, err := generated.UploadDetectionEntitiesAsync(ctx, c, generated.UploadDetectionEntitiesAsyncInput{Data: zipData})
			if err != nil {
				return nil, err
			}
			return generated.GetDetectionEntitiesUploadStatus(ctx, c, r.UploadDetectionEntitiesAsync.ReceiptId)
		}},
		{"GetGeneralSettings", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetGeneralSettings(ctx, c)
		}},
		{"GetMetrics", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetMetrics(ctx, c, generated.MetricsInput{FromDate: s.Now().Add(-7 * 24 * time.Hour), ToDate: s.Now()})
		}},
		{"GetRoleByID", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetRoleByID(ctx, c, id.role)
		}},
		{"GetRoleByName", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetRoleByName(ctx, c, "ReadOnly")
		}},
		{"GetSource", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetSource(ctx, c, id.source)
		}},
		{"GetUserByEmail", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetUserByEmail(ctx, c, id.userEmail)
		}},
		{"GetUserByID", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.GetUserByID(ctx, c, id.user)
		}},
		{"InviteUser", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.InviteUser(ctx, c, generated.InviteUserInput{Email: "gen@example.com", GivenName: "Gen", FamilyName: "Erated",
				Role: generated.UserRoleInput{Kind: generated.UserRoleInputKindId, Value: id.role}})
		}},
		{"ListAlertEvents", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListAlertEvents(ctx, c, id.alert, &generated.AlertEventsInput{PageSize: p(2)})
		}},
		{"ListAlertsPage", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			after, before := s.Now().Add(-15*24*time.Hour), s.Now()
			return generated.ListAlertsPage(ctx, c, generated.AlertsInput{CreatedAtAfter: &after, CreatedAtBefore: &before, PageSize: p(10)})
		}},
		{"ListCloudAccounts", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListCloudAccounts(ctx, c, nil)
		}},
		{"ListDataLakeDatabaseTables", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListDataLakeDatabaseTables(ctx, c, generated.DataLakeDatabaseTablesInput{DatabaseName: "panther_logs"})
		}},
		{"ListDataLakeDatabases", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListDataLakeDatabases(ctx, c)
		}},
		{"ListDataLakeQueries", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListDataLakeQueries(ctx, c, nil)
		}},
		{"ListRoles", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListRoles(ctx, c, nil)
		}},
		{"ListSchemas", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListSchemas(ctx, c, generated.SchemasInput{})
		}},
		{"ListSources", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListSources(ctx, c, nil)
		}},
		{"ListUsers", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.ListUsers(ctx, c)
		}},
		{"RotateAPIToken", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.RotateAPIToken(ctx, c)
		}},
		{"SummarizeAlert", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.SummarizeAlert(ctx, c, generated.AISummarizeAlertInput{AlertId: id.alert})
		}},
		{"SummarizeLogEvents", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.SummarizeLogEvents(ctx, c, events)
		}},
		{"UpdateAlertStatus", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateAlertStatus(ctx, c, generated.UpdateAlertStatusByIdInput{Ids: []string{id.alert}, Status: generated.AlertStatusResolved})
		}},
		{"UpdateCloudAccount", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateCloudAccount(ctx, c, generated.UpdateCloudAccountInput{Id: id.cloudAccount, Label: "Renamed",
				AwsScanConfig: generated.AWSScanConfigInput{AuditRole: "arn:aws:iam::123456789012:role/Audit"}})
		}},
		{"UpdateRole", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateRole(ctx, c, generated.UpdateRoleInput{Id: id.role, Name: p("Renamed")})
		}},
		{"UpdateS3Source", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateS3Source(ctx, c, generated.UpdateS3SourceInput{Id: id.source, Label: "Renamed", LogProcessingRole: "arn:aws:iam::123456789012:role/R",
				LogStreamType: generated.LogStreamTypeLines, S3PrefixLogTypes: prefixes})
		}},
		{"UpdateSchemaStatus", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateSchemaStatus(ctx, c, generated.UpdateSchemaStatusInput{Name: "Custom.Nginx", IsArchived: true})
		}},
		{"UpdateUser", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UpdateUser(ctx, c, generated.UpdateUserInput{Id: id.user, GivenName: p("Renamed")})
		}},
		{"UploadDetectionEntities", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UploadDetectionEntities(ctx, c, generated.UploadDetectionEntitiesInput{Data: zipData})
		}},
		{"UploadDetectionEntitiesAsync", func(ctx context.Context, c graphql.Client, s *panthertest.Server, id ids) (any, error) {
			return generated.UploadDetectionEntitiesAsync(ctx, c, generated.UploadDetectionEntitiesAsyncInput{Data: zipData})
		}},
	}
}

// TestGeneratedOperations runs every generated operation function of the
// SDK against the server: each must succeed and return data.
func TestGeneratedOperations(t *testing.T) {
	cases := genCases(t)
	var names []string
	for _, c := range cases {
		names = append(names, c.name)
	}
	sort.Strings(names)
	exported := generatedOperations(t)
	if strings.Join(names, ",") != strings.Join(exported, ",") {
		t.Fatalf("table covers\n%v\nbut package generated has operations\n%v", names, exported)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := panthertest.Start(t, panthertest.WithQueryPolls(0))
			c := graphql.NewClient(s.GraphQLURL(), apiKeyDoer{s})
			resp, err := tc.call(context.Background(), c, s, lookupIDs(t, s))
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			v := reflect.ValueOf(resp)
			if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().IsZero() {
				t.Fatalf("%s returned no data: %#v", tc.name, resp)
			}
		})
	}
}

// generatedOperations lists the operation names in generated/operations.json,
// the manifest genqlient writes next to the generated functions; every
// operation is a function of the same name.
func generatedOperations(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "generated", "operations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Operations []struct {
			OperationName string `json:"operationName"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range m.Operations {
		names = append(names, o.OperationName)
	}
	sort.Strings(names)
	return names
}
