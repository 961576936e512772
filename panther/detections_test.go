package panther_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"sync"
	"testing"

	"github.com/panthersdk/panther-go/generated/rest"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// restFake starts panthertest and returns a client for it and a counter of
// the requests it received: every one, whatever its path, and the REST
// ones by operationId.
func restFake(t *testing.T, opts ...panthertest.Option) (*panthertest.Server, *panther.Client, *restCounter) {
	t.Helper()
	rc := &restCounter{ops: map[string]int{}}
	opts = append(opts, panthertest.WithLogf(func(format string, args ...any) {
		if strings.HasPrefix(format, "panthertest: request ") {
			rc.mu.Lock()
			rc.total++
			rc.mu.Unlock()
		}
	}))
	srv := panthertest.Start(t, opts...)
	srv.SetFaultRule(func(n int, op string) panthertest.Fault {
		rc.mu.Lock()
		rc.ops[op]++
		rc.mu.Unlock()
		return panthertest.Fault{}
	})
	c, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return srv, c, rc
}

type restCounter struct {
	mu    sync.Mutex
	ops   map[string]int
	total int
}

func (r *restCounter) count(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ops[op]
}

func (r *restCounter) all() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("after %d items: %v", len(out), err)
		}
		out = append(out, v)
	}
	return out
}

func TestPutDetectionsOfEveryKind(t *testing.T) {
	_, c, _ := restFake(t)
	ctx := context.Background()
	tests := []rest.RuleAPIUnitTest{{Name: "ok", Resource: `{}`, ExpectedResult: true}}
	rule, err := panther.PutRule(ctx, c, rest.RuleAPIModifyRule{ID: "T.Rule", Body: "def rule(e): return True", Severity: "LOW", Tests: &tests})
	if err != nil || rule == nil || *rule.ID != "T.Rule" {
		t.Fatalf("PutRule: %v %+v", err, rule)
	}
	pol, err := panther.PutPolicy(ctx, c, rest.PolicyAPIModifyPolicy{ID: "T.Policy", Body: "def policy(r): return True", Severity: "MEDIUM", ResourceTypes: &[]string{"AWS.S3.Bucket"}})
	if err != nil || pol == nil || *pol.ID != "T.Policy" {
		t.Fatalf("PutPolicy: %v %+v", err, pol)
	}
	sr, err := panther.PutScheduledRule(ctx, c, rest.ScheduledRuleAPIModifyRule{ID: "T.Scheduled", Body: "def rule(e): return True", Severity: "HIGH", ScheduledQueries: &[]string{"Failed Console Logins"}})
	if err != nil || sr == nil || *sr.ID != "T.Scheduled" {
		t.Fatalf("PutScheduledRule: %v %+v", err, sr)
	}
	simple, err := panther.PutSimpleRule(ctx, c, rest.SimpleRuleAPIModifyRule{ID: "T.Simple", Detection: "MatchFilters: []", Severity: "INFO"})
	if err != nil || simple == nil || *simple.ID != "T.Simple" {
		t.Fatalf("PutSimpleRule: %v %+v", err, simple)
	}
	// Each is listed and fetched as its own kind.
	if r, err := panther.GetRule(ctx, c, "T.Rule"); err != nil || *r.Severity != "LOW" {
		t.Errorf("GetRule: %v", err)
	}
	if p, err := panther.GetPolicy(ctx, c, "T.Policy"); err != nil || *p.Severity != "MEDIUM" {
		t.Errorf("GetPolicy: %v", err)
	}
	if s, err := panther.GetScheduledRule(ctx, c, "T.Scheduled"); err != nil || *s.Severity != "HIGH" {
		t.Errorf("GetScheduledRule: %v", err)
	}
	if s, err := panther.GetSimpleRule(ctx, c, "T.Simple"); err != nil || *s.Severity != "INFO" {
		t.Errorf("GetSimpleRule: %v", err)
	}
	found := func(ids []string, id string) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	var ids []string
	for _, r := range collect(t, panther.Rules(ctx, c, nil)) {
		ids = append(ids, *r.ID)
	}
	if !found(ids, "T.Rule") || found(ids, "T.Simple") {
		t.Errorf("Rules: %v", ids)
	}
	ids = nil
	for _, r := range collect(t, panther.SimpleRules(ctx, c, nil)) {
		ids = append(ids, *r.ID)
	}
	if !found(ids, "T.Simple") {
		t.Errorf("SimpleRules: %v", ids)
	}
	// Deleting each kind.
	for name, del := range map[string]func(context.Context, *panther.Client, []string) ([]panther.DetectionResult, error){
		"T.Rule": panther.DeleteRules, "T.Policy": panther.DeletePolicies, "T.Scheduled": panther.DeleteScheduledRules, "T.Simple": panther.DeleteSimpleRules,
	} {
		if res, err := del(ctx, c, []string{name}); err != nil || len(res) != 1 || res[0].Err != nil {
			t.Errorf("delete %s: %v %+v", name, err, res)
		}
	}
	if _, err := panther.GetRule(ctx, c, "T.Rule"); !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("deleted rule: %v", err)
	}
}

func TestPutRuleFailingTestsTyped(t *testing.T) {
	_, c, _ := restFake(t)
	ctx := context.Background()
	tests := []rest.RuleAPIUnitTest{
		{Name: "passes", Resource: `{}`, ExpectedResult: true},
		{Name: "fails", Resource: `{"panthertest:returns": false}`, ExpectedResult: true},
		{Name: "errors", Resource: `not json`, ExpectedResult: false},
	}
	_, err := panther.PutRule(ctx, c, rest.RuleAPIModifyRule{ID: "T.Failing", Body: "def rule(e): return True", Severity: "LOW", Tests: &tests})
	var te *panther.DetectionTestsError
	if !errors.As(err, &te) {
		t.Fatalf("%v (%T), want *DetectionTestsError", err, err)
	}
	if te.ID != "T.Failing" || len(te.Results) != 3 || len(te.Failed()) != 2 {
		t.Errorf("results %+v", te.Results)
	}
	if f := te.Failed(); f[0].Name != "fails" || f[0].Error == nil || f[0].Error.Code != "AssertionError" || !f[1].Errored {
		t.Errorf("failed %+v", f)
	}
	if !errors.Is(err, panther.ErrInvalidArgument) || te.Err.StatusCode != 400 || te.Err.Operation != "rule#put" {
		t.Errorf("%v: StatusCode %d Operation %q", err, te.Err.StatusCode, te.Err.Operation)
	}
	if msg := err.Error(); !strings.Contains(msg, `2 of 3 unit tests of T.Failing failed`) || !strings.Contains(msg, `"fails" (AssertionError`) {
		t.Errorf("message %q", msg)
	}
	if _, err := panther.GetRule(ctx, c, "T.Failing"); !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("a rule whose tests failed was saved: %v", err)
	}
	// Without tests first, it is saved all the same.
	if _, err := panther.PutRule(ctx, c, rest.RuleAPIModifyRule{ID: "T.Failing", Body: "def rule(e): return True", Severity: "LOW", Tests: &tests}, panther.WithoutTestsFirst()); err != nil {
		t.Fatal(err)
	}
	if _, err := panther.GetRule(ctx, c, "T.Failing"); err != nil {
		t.Errorf("WithoutTestsFirst: %v", err)
	}
	// Tests only: reported, not saved.
	_, err = panther.PutRule(ctx, c, rest.RuleAPIModifyRule{ID: "T.Draft", Body: "x", Severity: "LOW", Tests: &tests}, panther.WithTestsOnly())
	if !errors.As(err, &te) {
		t.Errorf("WithTestsOnly: %v", err)
	}
	if _, err := panther.GetRule(ctx, c, "T.Draft"); !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("WithTestsOnly saved the rule: %v", err)
	}
}

func TestPutDetectionBadInputNeverSent(t *testing.T) {
	_, c, counter := restFake(t)
	ctx := context.Background()
	for name, rule := range map[string]rest.RuleAPIModifyRule{
		"empty id":       {Body: "b", Severity: "LOW"},
		"empty body":     {ID: "x", Severity: "LOW"},
		"empty severity": {ID: "x", Body: "b"},
		"slash in id":    {ID: "a/b", Body: "b", Severity: "LOW"},
		"dot-dot id":     {ID: "..", Body: "b", Severity: "LOW"},
	} {
		if _, err := panther.PutRule(ctx, c, rule); !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
		}
	}
	if _, err := panther.PutRule(ctx, c, rest.RuleAPIModifyRule{ID: "x", Body: "b", Severity: "LOW"}, panther.WithTestsOnly(), panther.WithoutTestsFirst()); !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("contradicting options: %v", err)
	}
	if _, err := panther.PutSimpleRule(ctx, c, rest.SimpleRuleAPIModifyRule{ID: "x", Severity: "LOW"}); !errors.Is(err, panther.ErrInvalidArgument) || !strings.Contains(err.Error(), "Detection") {
		t.Errorf("simple rule without Detection: %v", err)
	}
	for _, id := range []string{"", "..", "a/b"} {
		if _, err := panther.GetRule(ctx, c, id); !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("GetRule(%q): %v", id, err)
		}
	}
	res, err := panther.DeleteRules(ctx, c, []string{"", "../rules"})
	if len(res) != 2 || !errors.Is(res[0].Err, panther.ErrInvalidArgument) || !errors.Is(res[1].Err, panther.ErrInvalidArgument) || !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("DeleteRules: %+v %v", res, err)
	}
	if _, err := panther.PutRule(ctx, nil, rest.RuleAPIModifyRule{ID: "x", Body: "b", Severity: "LOW"}); !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("nil client: %v", err)
	}
	if _, err := panther.DeleteRules(ctx, nil, []string{"x"}); !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("nil client: %v", err)
	}
	if n := counter.all(); n != 0 {
		t.Errorf("the server received %d requests: %v", n, counter.ops)
	}
	// The counter does count: one valid call is one request.
	if _, err := panther.GetRule(ctx, c, "AWS.CloudTrail.RootActivity"); err != nil || counter.all() != 1 {
		t.Errorf("GetRule: %v; %d requests counted", err, counter.all())
	}
}

func TestPanthersBadRequestTyped(t *testing.T) {
	_, c, counter := restFake(t)
	// The body's id differs from the path's: Panther's validation answers
	// 400, which matches ErrInvalidArgument and carries its message.
	_, err := c.REST().RulePutWithResponse(context.Background(), "A", nil, rest.RuleAPIModifyRule{ID: "B", Body: "b", Severity: "LOW"})
	var e *panther.Error
	if !errors.As(err, &e) || !errors.Is(err, panther.ErrInvalidArgument) || e.StatusCode != 400 || !strings.Contains(e.Message, "differs") {
		t.Errorf("%v", err)
	}
	// A severity the spec does not allow: the fake's validator refuses it.
	_, err = c.REST().RulePutWithResponse(context.Background(), "A", nil, rest.RuleAPIModifyRule{ID: "A", Body: "b", Severity: "EXTREME"})
	if !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("bad enum: %v", err)
	}
	if n := counter.count("rule#put"); n != 2 {
		t.Errorf("rule#put sent %d times, want 2 (a 400 is not retried)", n)
	}
}

func TestDeleteRulesDuplicatesAndUnknown(t *testing.T) {
	_, c, counter := restFake(t)
	res, err := panther.DeleteRules(context.Background(), c, []string{"AWS.CloudTrail.RootActivity", "Nope", "AWS.CloudTrail.RootActivity"})
	var be *panther.DetectionBulkError
	if !errors.As(err, &be) || be.Total != 3 || len(be.Failed) != 1 || be.Failed[0].ID != "Nope" || !errors.Is(err, panther.ErrNotFound) {
		t.Fatalf("%v", err)
	}
	if res[0].Err != nil || res[2].Err != nil || !errors.Is(res[1].Err, panther.ErrNotFound) {
		t.Errorf("results %+v", res)
	}
	if n := counter.count("rule#delete"); n != 2 {
		t.Errorf("rule#delete sent %d times, want 2 (duplicates once)", n)
	}
}
