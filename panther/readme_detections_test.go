package panther_test

// The README's "Manage detections" snippets: each function's body is a Go
// block of README.md, run here against panthertest.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing"

	"github.com/panthersdk/panther-go/generated/rest"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// listDetections lists the enabled high-severity rules on CloudTrail logs.
func listDetections(ctx context.Context, client *panther.Client) error {
	filter := &rest.RuleListParams{
		State:    panther.Ptr(rest.RuleListParamsStateEnabled),
		LogType:  &[]string{"AWS.CloudTrail"},
		Severity: &[]rest.RuleListParamsSeverity{rest.RuleListParamsSeverityHIGH, rest.RuleListParamsSeverityCRITICAL},
	}
	for rule, err := range panther.Rules(ctx, client, filter) {
		if err != nil {
			return err
		}
		// Fields Panther may leave out are pointers; Deref reads nil as zero.
		fmt.Println(panther.Deref(rule.ID), panther.Deref(rule.Severity), panther.Deref(rule.LastModified))
	}
	return nil
}

// deployRule creates or updates one rule from a file, tests first.
func deployRule(ctx context.Context, client *panther.Client, dir string) error {
	body, err := os.ReadFile(filepath.Join(dir, "okta_admin_role_assigned.py"))
	if err != nil {
		return err
	}
	rule := rest.RuleAPIModifyRule{
		ID:       "Okta.AdminRoleAssigned",
		Body:     string(body),
		Severity: rest.RuleAPIModifyRuleSeverityHIGH,
		LogTypes: &[]string{"Okta.SystemLog"},
		Enabled:  panther.Ptr(true),
		Tests: &[]rest.RuleAPIUnitTest{{
			Name:           "admin granted",
			Resource:       `{"eventType": "user.account.privilege.grant"}`,
			ExpectedResult: true,
		}},
	}
	saved, err := panther.PutRule(ctx, client, rule) // panther.WithTestsOnly() to test without saving
	var failed *panther.DetectionTestsError
	if errors.As(err, &failed) {
		for _, r := range failed.Failed() {
			log.Printf("%s: test %q: %+v", rule.ID, r.Name, r.Error)
		}
		return err // nothing was saved
	}
	if err != nil {
		return err // e.g. errors.Is(err, panther.ErrInvalidArgument) for a body Panther rejects
	}
	fmt.Println("deployed", *saved.ID, "at", *saved.LastModified)
	return nil
}

// retireRules deletes rules, each id with its own result.
func retireRules(ctx context.Context, client *panther.Client, ids []string) error {
	results, err := panther.DeleteRules(ctx, client, ids)
	for _, r := range results {
		if errors.Is(r.Err, panther.ErrNotFound) {
			continue // already gone
		}
		if r.Err != nil {
			return r.Err
		}
		fmt.Println("deleted", r.ID)
	}
	var bulk *panther.DetectionBulkError
	if err != nil && !errors.As(err, &bulk) {
		return err // rejected before anything was sent
	}
	return nil
}

func TestREADMEManageDetections(t *testing.T) {
	_, client, counter := restFake(t)
	ctx := t.Context()
	if err := listDetections(ctx, client); err != nil {
		t.Fatal(err)
	}
	if counter.count("rule#list") != 1 {
		t.Errorf("rule#list sent %d times", counter.count("rule#list"))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "okta_admin_role_assigned.py"), []byte("def rule(event):\n    return event.get('eventType') == 'user.account.privilege.grant'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := deployRule(ctx, client, dir); err != nil {
		t.Fatal(err)
	}
	if r, err := panther.GetRule(ctx, client, "Okta.AdminRoleAssigned"); err != nil || *r.Severity != "HIGH" {
		t.Fatalf("deployed rule: %v", err)
	}
	if err := retireRules(ctx, client, []string{"Okta.AdminRoleAssigned", "Never.Existed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := panther.GetRule(ctx, client, "Okta.AdminRoleAssigned"); !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("retired rule: %v", err)
	}
}

// restCall calls REST operations that have no helper, through the same
// client.
func restCall(ctx context.Context, client *panther.Client, alertID string) error {
	resp, err := client.REST().DataModelGetWithResponse(ctx, "Standard.AWS.CloudTrail")
	if err != nil {
		return err // a *panther.Error: errors.Is(err, panther.ErrNotFound), e.Code, e.Message, ...
	}
	model := resp.JSON200 // the decoded 200 body; nil for any other status
	if model == nil {
		return fmt.Errorf("data model#get: HTTP %d without a body", resp.StatusCode())
	}
	fmt.Println(panther.Deref(model.ID), panther.Deref(model.Enabled))

	// A partial update: only the fields set are sent, here {"status":"RESOLVED"}.
	_, err = client.REST().AlertPatchWithResponse(ctx, alertID, rest.AlertAPIPatchAlertReq{
		Status: panther.Ptr(rest.AlertAPIPatchAlertReqStatusRESOLVED),
	})
	return err
}

func TestREADMERESTCall(t *testing.T) {
	srv, client, counter := restFake(t, panthertest.WithAlerts(30))
	var a panthertest.Alert
	for _, x := range srv.Alerts() {
		if x.AssigneeID != "" && x.Status != "RESOLVED" {
			a = x
			break
		}
	}
	if a.ID == "" {
		t.Fatal("no assigned alert in the fake")
	}
	if err := restCall(t.Context(), client, a.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := srv.Alert(a.ID)
	if after.Status != "RESOLVED" || after.AssigneeID != a.AssigneeID {
		t.Errorf("after the patch: status %s, assignee %q (was %q): a partial update must not clear a field", after.Status, after.AssigneeID, a.AssigneeID)
	}
	if counter.count("data model#get") != 1 || counter.count("alert#patch") != 1 {
		t.Errorf("requests: %v", counter.ops)
	}
}
