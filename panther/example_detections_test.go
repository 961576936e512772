package panther_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/panthersdk/panther-go/generated/rest"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// List the enabled rules on CloudTrail logs.
func ExampleRules() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	filter := &rest.RuleListParams{
		State:   panther.Ptr(rest.RuleListParamsStateEnabled),
		LogType: &[]string{"AWS.CloudTrail"},
	}
	for rule, err := range panther.Rules(context.Background(), client, filter, panther.WithPageSize(50)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(panther.Deref(rule.ID), panther.Deref(rule.Severity))
	}
	// Output:
	// AWS.CloudTrail.ConsoleLoginWithoutMFA MEDIUM
	// AWS.CloudTrail.RootActivity HIGH
	// AWS.CloudTrail.SecurityGroupChanged LOW
	// AWS.IAM.AccessKeyCompromised CRITICAL
}

// Fetch one rule.
func ExampleGetRule() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	rule, err := panther.GetRule(context.Background(), client, "AWS.CloudTrail.RootActivity")
	if err != nil {
		log.Fatal(err) // errors.Is(err, panther.ErrNotFound) for an unknown id
	}
	// Optional fields are pointers; Deref reads a nil one as its zero value.
	fmt.Println(panther.Deref(rule.ID), panther.Deref(rule.Severity), panther.Deref(rule.Enabled), panther.Deref(rule.LogTypes))

	_, err = panther.GetRule(context.Background(), client, "No.Such.Rule")
	fmt.Println(errors.Is(err, panther.ErrNotFound))
	// Output:
	// AWS.CloudTrail.RootActivity HIGH true [AWS.CloudTrail]
	// true
}

// Create or update a rule from code. Panther runs its unit tests first and
// saves it only when they pass.
func ExamplePutRule() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	rule := rest.RuleAPIModifyRule{
		ID:       "Okta.AdminRoleAssigned",
		Body:     "def rule(event):\n    return event.get('eventType') == 'user.account.privilege.grant'\n",
		Severity: rest.RuleAPIModifyRuleSeverityHIGH,
		LogTypes: &[]string{"Okta.SystemLog"},
		Enabled:  panther.Ptr(true),
		Tests: &[]rest.RuleAPIUnitTest{{
			Name:           "admin granted",
			Resource:       `{"eventType": "user.account.privilege.grant"}`,
			ExpectedResult: true,
		}},
	}
	saved, err := panther.PutRule(ctx, client, rule)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved", *saved.ID, *saved.Severity)

	// A failing unit test: nothing is saved, and the results say why.
	// (panthertest cannot run Python: a test's resource tells it what the
	// rule returns, under panthertest.TestReturnsKey.)
	rule.Severity = rest.RuleAPIModifyRuleSeverityCRITICAL
	rule.Tests = &[]rest.RuleAPIUnitTest{{
		Name:           "admin granted",
		Resource:       `{"eventType": "user.account.privilege.grant", "panthertest:returns": false}`,
		ExpectedResult: true,
	}}
	_, err = panther.PutRule(ctx, client, rule)
	var testsErr *panther.DetectionTestsError
	if errors.As(err, &testsErr) {
		for _, r := range testsErr.Failed() {
			fmt.Printf("test %q failed: %s\n", r.Name, r.Error.Message)
		}
	}
	current, err := panther.GetRule(ctx, client, rule.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("still", *current.Severity)
	// Output:
	// saved Okta.AdminRoleAssigned HIGH
	// test "admin granted" failed: expected true, the detection returned false
	// still HIGH
}

// Run a rule's unit tests without saving it.
func ExampleWithTestsOnly() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	rule := rest.RuleAPIModifyRule{
		ID:       "Draft.Rule",
		Body:     "def rule(event):\n    return True\n",
		Severity: rest.RuleAPIModifyRuleSeverityLOW,
		Tests: &[]rest.RuleAPIUnitTest{
			{Name: "matches", Resource: `{}`, ExpectedResult: true},
		},
	}
	saved, err := panther.PutRule(ctx, client, rule, panther.WithTestsOnly())
	fmt.Println("tests passed:", err == nil, "saved:", saved != nil)
	_, err = panther.GetRule(ctx, client, rule.ID)
	fmt.Println("exists:", !errors.Is(err, panther.ErrNotFound))
	// Output:
	// tests passed: true saved: false
	// exists: false
}

// Delete rules in bulk; each id gets its own result.
func ExampleDeleteRules() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	ids := []string{"AWS.CloudTrail.RootActivity", "No.Such.Rule", "AWS.CloudTrail.SecurityGroupChanged"}
	results, err := panther.DeleteRules(context.Background(), client, ids)
	for _, r := range results {
		switch {
		case r.Err == nil:
			fmt.Println("deleted", r.ID)
		case errors.Is(r.Err, panther.ErrNotFound):
			fmt.Println("not found", r.ID)
		default:
			fmt.Println("failed", r.ID, r.Err)
		}
	}
	var bulk *panther.DetectionBulkError
	if errors.As(err, &bulk) {
		fmt.Printf("%d of %d failed\n", len(bulk.Failed), bulk.Total)
	}
	// Output:
	// deleted AWS.CloudTrail.RootActivity
	// not found No.Such.Rule
	// deleted AWS.CloudTrail.SecurityGroupChanged
	// 1 of 3 failed
}
