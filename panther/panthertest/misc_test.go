package panthertest_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

func zipOf(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestUploadDetectionEntities(t *testing.T) {
	s := panthertest.Start(t)
	data := zipOf(t, map[string]string{
		"rules/root.yml":      "AnalysisType: rule\nRuleID: AWS.CloudTrail.RootActivity\nDisplayName: Root Activity\nSeverity: High\n",
		"rules/new.yml":       "AnalysisType: rule\nRuleID: New.Rule\nSeverity: Low\n",
		"policies/p.yaml":     "AnalysisType: policy\nPolicyID: New.Policy\n",
		"queries/q.yml":       "AnalysisType: saved_query\nQueryName: New Query\nQuery: SELECT 1\n",
		"rules/new.py":        "def rule(event):\n    return True\n",
		"README.md":           "ignored",
		"global_helpers/x.py": "",
	})
	m := `mutation($d: String!) { uploadDetectionEntities(input: {data: $d}) {
		rules { total new modified newIds modifiedIds } policies { total new } queries { total new } dataModels { total } } }`
	var out struct {
		UploadDetectionEntities struct {
			Rules struct {
				Total, New, Modified int
				NewIds, ModifiedIds  []string
			}
			Policies, Queries, DataModels struct{ Total, New int }
		}
	}
	mustData(t, s, m, map[string]any{"d": data}, &out)
	u := out.UploadDetectionEntities
	if u.Rules.Total != 2 || u.Rules.New != 1 || u.Rules.Modified != 1 || u.Rules.NewIds[0] != "New.Rule" ||
		u.Policies.New != 1 || u.Queries.New != 1 || u.DataModels.Total != 0 {
		t.Fatalf("statistics %+v", u)
	}
	ids := strings.Join(s.DetectionIDs(), ",")
	if !strings.Contains(ids, "New.Rule") || !strings.Contains(ids, "New.Policy") || !strings.Contains(strings.Join(s.SavedQueryNames(), ","), "New Query") {
		t.Errorf("upload not applied: %s", ids)
	}
	// Uploading again modifies instead of adding.
	mustData(t, s, m, map[string]any{"d": data}, &out)
	if out.UploadDetectionEntities.Rules.New != 0 || out.UploadDetectionEntities.Rules.Modified != 2 {
		t.Errorf("second upload %+v", out.UploadDetectionEntities.Rules)
	}
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString([]byte("not a zip")), zipOf(t, map[string]string{"a.txt": "x"})} {
		if e := mustFail(t, s, m, map[string]any{"d": bad}); code(e) != "INVALID_INPUT" {
			t.Errorf("bad upload: %+v", e)
		}
	}
}

func TestUploadAsyncStatus(t *testing.T) {
	s := panthertest.Start(t)
	var r struct{ UploadDetectionEntitiesAsync struct{ ReceiptID string } }
	mustData(t, s, `mutation($d: String!) { uploadDetectionEntitiesAsync(input: {data: $d, dryRun: true}) { receiptId } }`,
		map[string]any{"d": zipOf(t, map[string]string{"r.yml": "AnalysisType: rule\nRuleID: Dry.Rule\n"})}, &r)
	q := `query($id: ID!) { detectionEntitiesUploadStatus(receiptId: $id) { status error result { rules { new newIds } } } }`
	var st struct {
		DetectionEntitiesUploadStatus struct {
			Status string
			Result *struct{ Rules struct{ New int } }
		}
	}
	mustData(t, s, q, map[string]any{"id": r.UploadDetectionEntitiesAsync.ReceiptID}, &st)
	if st.DetectionEntitiesUploadStatus.Status != "NOT_PROCESSED" || st.DetectionEntitiesUploadStatus.Result != nil {
		t.Fatalf("first status %+v", st)
	}
	mustData(t, s, q, map[string]any{"id": r.UploadDetectionEntitiesAsync.ReceiptID}, &st)
	if st.DetectionEntitiesUploadStatus.Status != "COMPLETED" || st.DetectionEntitiesUploadStatus.Result.Rules.New != 1 {
		t.Fatalf("second status %+v", st)
	}
	if strings.Contains(strings.Join(s.DetectionIDs(), ","), "Dry.Rule") {
		t.Error("dry run applied the upload")
	}
}

func TestAIStream(t *testing.T) {
	s := panthertest.Start(t)
	var r struct{ AiSummarizeAlert struct{ StreamID string } }
	mustData(t, s, `mutation($id: ID!) { aiSummarizeAlert(input: {alertId: $id}) { streamId } }`, map[string]any{"id": s.Alerts()[0].ID}, &r)
	var prev string
	for i := 0; ; i++ {
		var st struct {
			AiInferenceStream struct {
				ResponseText string
				Finished     bool
			}
		}
		mustData(t, s, `query($id: String!) { aiInferenceStream(streamId: $id) { responseText finished } }`, map[string]any{"id": r.AiSummarizeAlert.StreamID}, &st)
		if !strings.HasPrefix(st.AiInferenceStream.ResponseText, prev) || len(st.AiInferenceStream.ResponseText) <= len(prev) {
			t.Fatalf("poll %d: text does not grow: %q after %q", i, st.AiInferenceStream.ResponseText, prev)
		}
		prev = st.AiInferenceStream.ResponseText
		if st.AiInferenceStream.Finished {
			break
		}
		if i > 10 {
			t.Fatal("stream never finishes")
		}
	}
	if e := mustFail(t, s, `{ aiInferenceStream(streamId: "nope") { finished } }`, nil); code(e) != "NOT_FOUND" {
		t.Errorf("unknown stream: %+v", e)
	}
	if e := mustFail(t, s, `{ cachedAISummaryData(input: {events: ["{}"]}) { streamId } }`, nil); code(e) != "NOT_FOUND" {
		t.Errorf("uncached summary: %+v", e)
	}
	if e := mustFail(t, s, `mutation { aiSummarizeLogEvents(input: {events: ["not json"]}) { streamId } }`, nil); code(e) != "INVALID_INPUT" {
		t.Errorf("non-JSON event: %+v", e)
	}
}

func TestMetricsCountAlertsInWindow(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithNow(fixedClock))
	from, to := fixedNow.Add(-3*24*time.Hour), fixedNow
	want := 0
	perSeverity := map[string]float64{}
	for _, a := range s.Alerts() {
		if !a.CreatedAt.Before(from) && a.CreatedAt.Before(to) {
			want++
			perSeverity[a.Severity]++
		}
	}
	var m struct {
		Metrics struct {
			TotalAlerts       float64
			AlertsPerSeverity []struct {
				Label string
				Value float64
			}
		}
	}
	mustData(t, s, `query($f: DateTime!, $t: DateTime!) { metrics(input: {fromDate: $f, toDate: $t, intervalInMinutes: 60}) { totalAlerts alertsPerSeverity { label value breakdown } } }`,
		map[string]any{"f": from.Format("2006-01-02T15:04:05.000Z"), "t": to.Format("2006-01-02T15:04:05.000Z")}, &m)
	if int(m.Metrics.TotalAlerts) != want || want == 0 {
		t.Errorf("totalAlerts = %v, want %d", m.Metrics.TotalAlerts, want)
	}
	for _, sv := range m.Metrics.AlertsPerSeverity {
		if sv.Value != perSeverity[sv.Label] {
			t.Errorf("%s: %v, want %v", sv.Label, sv.Value, perSeverity[sv.Label])
		}
	}
	if e := mustFail(t, s, `{ metrics(input: {fromDate: "2026-03-14T00:00:00.000Z", toDate: "2026-03-13T00:00:00.000Z"}) { totalAlerts } }`, nil); code(e) != "INVALID_INPUT" {
		t.Errorf("reversed window: %+v", e)
	}
}

func TestCloudAccountUpdateKeepsAbsentLists(t *testing.T) {
	s := panthertest.Start(t)
	var c struct {
		CreateCloudAccount struct{ CloudAccount struct{ ID string } }
	}
	mustData(t, s, `mutation { createCloudAccount(input: {awsAccountId: "111122223333", label: "A", awsScanConfig: {auditRole: "arn:aws:iam::111122223333:role/A"},
		awsRegionIgnoreList: ["eu-west-1"]}) { cloudAccount { id } } }`, nil, &c)
	var u struct {
		UpdateCloudAccount struct {
			CloudAccount struct {
				Label               string
				AwsRegionIgnoreList []string
			}
		}
	}
	mustData(t, s, `mutation($id: String!) { updateCloudAccount(input: {id: $id, label: "B", awsScanConfig: {auditRole: "arn:aws:iam::111122223333:role/A"}}) {
		cloudAccount { label awsRegionIgnoreList } } }`, map[string]any{"id": c.CreateCloudAccount.CloudAccount.ID}, &u)
	if u.UpdateCloudAccount.CloudAccount.Label != "B" || strings.Join(u.UpdateCloudAccount.CloudAccount.AwsRegionIgnoreList, ",") != "eu-west-1" {
		t.Errorf("after update %+v", u)
	}
	if e := mustFail(t, s, `mutation { createCloudAccount(input: {awsAccountId: "111122223333", label: "dup", awsScanConfig: {auditRole: "arn:aws:iam::111122223333:role/A"}}) { cloudAccount { id } } }`, nil); code(e) != "ALREADY_EXISTS" {
		t.Errorf("duplicate account: %+v", e)
	}
	if e := mustFail(t, s, `mutation { createCloudAccount(input: {awsAccountId: "12345", label: "x", awsScanConfig: {auditRole: "arn:aws:iam::111122223333:role/A"}}) { cloudAccount { id } } }`, nil); code(e) != "INVALID_INPUT" {
		t.Errorf("short account id: %+v", e)
	}
}
