package panther_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/generated/rest"
	"github.com/panthersdk/panther-go/internal/restsamples"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// goName is the name oapi-codegen gives an operationId's method:
// "api token#list" is APITokenList.
func goName(opID string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(opID, func(r rune) bool { return r == ' ' || r == '#' }) {
		switch w {
		case "api", "http":
			b.WriteString(strings.ToUpper(w))
		default:
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// callREST calls the generated method of the operation opID through
// client.REST(): path (filled in, with a query) gives the path parameters
// and the query string, body the JSON body. It returns the status and body
// of the response.
func callREST(t *testing.T, client *panther.Client, opID, path, body string) (int, []byte, error) {
	t.Helper()
	var op rest.Operation
	for _, o := range rest.Operations {
		if o.ID == opID {
			op = o
		}
	}
	if op.ID == "" {
		t.Fatalf("%s: not in rest.Operations", opID)
	}
	p, query, _ := strings.Cut(path, "?")
	var ids []string
	tmpl, segs := strings.Split(op.Path, "/"), strings.Split(p, "/")
	if len(tmpl) != len(segs) {
		t.Fatalf("%s: path %s does not fit %s", opID, p, op.Path)
	}
	for i, s := range tmpl {
		if strings.HasPrefix(s, "{") {
			v, _ := url.PathUnescape(segs[i])
			ids = append(ids, v)
		}
	}
	name := goName(opID) + "WithResponse"
	if body != "" {
		name = goName(opID) + "WithBodyWithResponse"
	}
	m := reflect.ValueOf(client.REST()).MethodByName(name)
	if !m.IsValid() {
		t.Fatalf("%s: no method %s on the REST client", opID, name)
	}
	editor := rest.RequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.URL.RawQuery = query // the sample's query, as written
		return nil
	})
	ft := m.Type()
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	strs := 0
	for i := 1; i < ft.NumIn(); i++ {
		in := ft.In(i)
		switch {
		case ft.IsVariadic() && i == ft.NumIn()-1:
			args = append(args, reflect.ValueOf(editor))
		case in.Kind() == reflect.String && strs < len(ids):
			args = append(args, reflect.ValueOf(ids[strs]).Convert(in))
			strs++
		case in.Kind() == reflect.String:
			args = append(args, reflect.ValueOf("application/json"))
		case in == reflect.TypeFor[io.Reader]():
			args = append(args, reflect.ValueOf(io.Reader(strings.NewReader(body))))
		default:
			args = append(args, reflect.Zero(in))
		}
	}
	out := m.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		return 0, nil, err
	}
	resp := out[0]
	status := int(resp.MethodByName("StatusCode").Call(nil)[0].Int())
	return status, resp.Elem().FieldByName("Body").Bytes(), nil
}

// e2eFixture creates, through the client, the objects the samples refer
// to, and returns their ids by placeholder name.
func e2eFixture(t *testing.T, srv *panthertest.Server, client *panther.Client) map[string]string {
	t.Helper()
	fx := map[string]string{}
	for _, a := range srv.Alerts() {
		if a.Type == "RULE" && a.CreatedAt.After(srv.Now().AddDate(0, 0, -14)) {
			fx["alert"] = a.ID
			break
		}
	}
	create := func(name, op, path, body, field string) {
		t.Helper()
		status, raw, err := callREST(t, client, op, path, body)
		if err != nil || status/100 != 2 {
			t.Fatalf("fixture %s: %s: %d %v", name, op, status, err)
		}
		var v map[string]any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		fx[name], _ = v[field].(string)
	}
	create("comment", "comment#create", "/alert-comments", `{"alertId":"`+fx["alert"]+`","body":"first","format":"PLAIN_TEXT"}`, "id")
	create("user", "user#create", "/users", `{"email":"fixture@example.com","givenName":"Fix","familyName":"Ture","role":{"name":"ReadOnly"}}`, "id")
	create("spareUser", "user#create", "/users", `{"email":"spare@example.com","givenName":"Spare","familyName":"User","role":{"name":"ReadOnly"}}`, "id")
	create("role", "role#create", "/roles", `{"name":"Fixture","permissions":["AlertRead"]}`, "id")
	create("spareRole", "role#create", "/roles", `{"name":"Spare","permissions":["AlertRead"]}`, "id")
	create("token", "api token#create", "/api-tokens", `{"name":"fixture","permissions":["AlertRead"]}`, "id")
	create("spareToken", "api token#create", "/api-tokens", `{"name":"spare","permissions":["AlertRead"]}`, "id")
	create("query", "query#create", "/queries", `{"name":"Fixture Query","sql":"SELECT 1"}`, "id")
	create("spareQuery", "query#create", "/queries", `{"name":"Spare Query","sql":"SELECT 1"}`, "id")
	create("spareRule", "rule#create", "/rules", `{"id":"Spare.Rule","body":"def rule(e): return True","severity":"LOW"}`, "id")
	create("simpleRule", "simple rule#create", "/simple-rules", `{"id":"Fixture.Simple","detection":"MatchFilters: []","severity":"LOW"}`, "id")
	create("spareSimpleRule", "simple rule#create", "/simple-rules", `{"id":"Spare.Simple","detection":"MatchFilters: []","severity":"LOW"}`, "id")
	create("source", "http source#create", "/log-sources/http", `{"integrationLabel":"fixture-hook","logTypes":["AWS.ALB"],"logStreamType":"JSON","authMethod":"None"}`, "integrationId")
	create("spareSource", "http source#create", "/log-sources/http", `{"integrationLabel":"spare-hook","logTypes":["AWS.ALB"],"logStreamType":"JSON","authMethod":"None"}`, "integrationId")
	for k, v := range fx {
		if v == "" {
			t.Fatalf("fixture %s has no id", k)
		}
	}
	return fx
}

// TestRESTEveryOperationAgainstPanthertest calls every operation of the
// spec through client.REST() against panthertest and fails naming each one
// that does not succeed, or that has no sample.
func TestRESTEveryOperationAgainstPanthertest(t *testing.T) {
	srv, client, _ := restFake(t)
	fx := e2eFixture(t, srv, client)
	var ids []string
	for _, op := range rest.Operations {
		ids = append(ids, op.ID)
	}
	sort.Strings(ids)
	var failed []string
	ok := 0
	for _, id := range ids {
		s, have := restsamples.Requests[id]
		if !have {
			failed = append(failed, id+": no sample request")
			continue
		}
		fill := func(x string) string {
			for k, v := range fx {
				x = strings.ReplaceAll(x, "{"+k+"}", v)
			}
			return x
		}
		status, _, err := callREST(t, client, id, fill(s.Path), fill(s.Body))
		if err != nil || status/100 != 2 {
			failed = append(failed, id+": "+http.StatusText(status)+" "+errString(err))
			continue
		}
		ok++
	}
	t.Logf("REST operations that succeed through *panther.Client against panthertest: %d/%d", ok, len(ids))
	if len(failed) > 0 {
		t.Errorf("operations that failed:\n  %s", strings.Join(failed, "\n  "))
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestRESTSharedStateWithGraphQL: what one API writes, the other reads.
func TestRESTSharedStateWithGraphQL(t *testing.T) {
	srv, client, _ := restFake(t, panthertest.WithAlerts(10))
	ctx := context.Background()

	// An alert closed through REST is closed through GraphQL.
	alertID := srv.Alerts()[0].ID
	if _, err := client.REST().AlertPatchWithResponse(ctx, alertID, rest.AlertAPIPatchAlertReq{Status: panther.Ptr(rest.AlertAPIPatchAlertReqStatus("CLOSED"))}); err != nil {
		t.Fatal(err)
	}
	got, err := generated.GetAlert(ctx, client, alertID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.GetAlert().Status; s != generated.AlertStatusClosed {
		t.Errorf("GraphQL sees status %s after REST closed the alert", s)
	}

	// A user invited through GraphQL is listed by REST.
	if _, err := generated.InviteUser(ctx, client, generated.InviteUserInput{
		Email: "grace@example.com", GivenName: "Grace", FamilyName: "Hopper",
		Role: generated.UserRoleInput{Kind: generated.UserRoleInputKindName, Value: "Admin"},
	}); err != nil {
		t.Fatal(err)
	}
	found := false
	for u, err := range panther.Users(ctx, client, nil) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || u.Email == "grace@example.com"
	}
	if !found {
		t.Error("a user invited through GraphQL is not listed by REST")
	}

	// A rule created through REST is deleted through GraphQL.
	if _, err := panther.PutRule(ctx, client, rest.RuleAPIModifyRule{ID: "Shared.Rule", Body: "def rule(e): return True", Severity: "LOW"}); err != nil {
		t.Fatal(err)
	}
	if _, err := generated.DeleteDetections(ctx, client, generated.DeleteDetectionsInput{Ids: []string{"Shared.Rule"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := panther.GetRule(ctx, client, "Shared.Rule"); !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("a rule deleted through GraphQL is still there through REST: %v", err)
	}
}

// TestRESTFaults: panthertest's faults on REST requests, and the retry
// rules: reads and PUT/DELETE are retried, POST/PATCH are not once sent,
// and a 429 is waited out.
func TestRESTFaults(t *testing.T) {
	ctx := context.Background()
	put := rest.RuleAPIModifyRule{ID: "Fault.Rule", Body: "def rule(e): return True", Severity: "LOW"}
	calls := map[string]func(c *panther.Client) error{
		"rule#get": func(c *panther.Client) error {
			_, err := panther.GetRule(ctx, c, "AWS.CloudTrail.RootActivity")
			return err
		},
		"rule#put": func(c *panther.Client) error {
			_, err := panther.PutRule(ctx, c, put)
			return err
		},
		"rule#delete": func(c *panther.Client) error {
			_, err := c.REST().RuleDeleteWithResponse(ctx, "AWS.CloudTrail.RootActivity")
			return err
		},
		"rule#create": func(c *panther.Client) error {
			_, err := c.REST().RuleCreateWithResponse(ctx, nil, put)
			return err
		},
	}
	for _, tc := range []struct {
		op      string
		fault   panthertest.Fault
		retried bool
	}{
		{"rule#get", panthertest.FaultStatus(503), true},
		{"rule#get", panthertest.FaultConnectionReset(), true},
		{"rule#get", panthertest.FaultRateLimit(time.Second), true},
		{"rule#put", panthertest.FaultStatus(502), true},
		{"rule#put", panthertest.FaultConnectionReset().AfterApply(), true},
		{"rule#delete", panthertest.FaultStatus(504), true},
		{"rule#create", panthertest.FaultStatus(503).AfterApply(), false},
		{"rule#create", panthertest.FaultConnectionReset().AfterApply(), false},
		{"alert#patch", panthertest.FaultStatus(502), false},
	} {
		srv := panthertest.Start(t, panthertest.WithAlerts(3))
		var attempts atomic.Int32
		srv.SetFaultRule(func(n int, op string) panthertest.Fault {
			if op == tc.op && attempts.Add(1) == 1 {
				return tc.fault // the first attempt only
			}
			return panthertest.Fault{}
		})
		client, err := panther.New(srv.GraphQLURL(), srv.Token(), panther.WithRetry(panther.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Second}))
		if err != nil {
			t.Fatal(err)
		}
		call := calls[tc.op]
		if tc.op == "alert#patch" { // needs an alert of this server
			alertID := srv.Alerts()[0].ID
			call = func(c *panther.Client) error {
				_, err := c.REST().AlertPatchWithResponse(ctx, alertID, rest.AlertAPIPatchAlertReq{Assignee: panther.Ptr("u")})
				return err
			}
		}
		err = call(client)
		name := tc.op + " after " + tc.fault.String()
		if tc.retried {
			if err != nil || attempts.Load() != 2 {
				t.Errorf("%s: %d attempts, %v; want a retry that succeeds", name, attempts.Load(), err)
			}
		} else {
			var e *panther.Error
			if !errors.As(err, &e) || attempts.Load() != 1 || !e.MayHaveBeenApplied() {
				t.Errorf("%s: %d attempts, %v; want 1 attempt and an error saying it may have been applied", name, attempts.Load(), err)
			}
		}
		client.CloseIdleConnections()
	}
}
