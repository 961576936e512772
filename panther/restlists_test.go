package panther_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"

	"github.com/panthersdk/panther-go/generated/rest"
	"github.com/panthersdk/panther-go/panther"
)

// keys runs a listing and returns a key of each item, failing on an error.
func keys[T any](t *testing.T, seq iter.Seq2[T, error], key func(T) string) []string {
	t.Helper()
	var out []string
	for v, err := range seq {
		if err != nil {
			t.Fatalf("after %d items: %v", len(out), err)
		}
		out = append(out, key(v))
	}
	return out
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// TestRESTIteratorsPageThroughEverything lists everything with pages of one
// item, with and without prefetch, and compares with one large page: the
// same items, in the same order, each once.
func TestRESTIteratorsPageThroughEverything(t *testing.T) {
	_, c, counter := restFake(t)
	ctx := context.Background()
	alertID := ""
	for a, err := range panther.RESTAlerts(ctx, c, nil) {
		if err != nil {
			t.Fatal(err)
		}
		alertID = a.ID
		break
	}
	for i := range 3 {
		if _, err := c.REST().CommentCreateWithResponse(ctx, rest.CommentAPIModifyCommentReq{AlertID: alertID, Body: fmt.Sprintf("comment %d", i), Format: "PLAIN_TEXT"}); err != nil {
			t.Fatal(err)
		}
	}
	type listing struct {
		name, op string
		list     func(opts ...panther.PageOption) []string
		max      int // the API's maximum page size
	}
	listings := []listing{
		{"Rules", "rule#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.Rules(ctx, c, nil, o...), func(r rest.RuleAPIRule) string { return str(r.ID) })
		}, 0},
		{"Policies", "policy#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.Policies(ctx, c, nil, o...), func(r rest.PolicyAPIPolicy) string { return str(r.ID) })
		}, 0},
		{"ScheduledRules", "scheduled rule#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.ScheduledRules(ctx, c, nil, o...), func(r rest.ScheduledRuleAPIScheduledRule) string { return str(r.ID) })
		}, 0},
		{"Globals", "global#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.Globals(ctx, c, nil, o...), func(r rest.GlobalAPIGlobal) string { return str(r.ID) })
		}, 0},
		{"DataModels", "data model#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.DataModels(ctx, c, nil, o...), func(r rest.DataModelAPIDataModel) string { return str(r.ID) })
		}, 0},
		{"SavedQueries", "query#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.SavedQueries(ctx, c, nil, o...), func(r rest.QueryAPIQuery) string { return str(r.ID) })
		}, 0},
		{"Users", "user#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.Users(ctx, c, nil, o...), func(r rest.UserAPIUser) string { return str(r.ID) })
		}, 60},
		{"RESTAlerts", "alert#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.RESTAlerts(ctx, c, nil, o...), func(r rest.AlertAPIAlert) string { return r.ID })
		}, 50},
		{"RESTAlertComments", "comment#list", func(o ...panther.PageOption) []string {
			return keys(t, panther.RESTAlertComments(ctx, c, alertID, o...), func(r rest.CommentAPIComment) string { return str(r.ID) })
		}, 50},
		{"RESTAlertEvents", "alert#events", func(o ...panther.PageOption) []string {
			return keys(t, panther.RESTAlertEvents(ctx, c, alertID, o...), func(r json.RawMessage) string { return string(r) })
		}, 50},
	}
	for _, l := range listings {
		big := 100
		if l.max > 0 {
			big = l.max
		}
		all := l.list(panther.WithPageSize(big))
		if len(all) < 2 {
			t.Errorf("%s: only %d items in the fake; the paging test needs 2", l.name, len(all))
			continue
		}
		before := counter.count(l.op)
		one := l.list(panther.WithPageSize(1))
		if sent := counter.count(l.op) - before; sent < len(all) {
			t.Errorf("%s: %d items in pages of 1 took %d requests", l.name, len(all), sent)
		}
		if !slices.Equal(one, all) {
			t.Errorf("%s: pages of 1 gave %v, one page %v", l.name, one, all)
		}
		if pre := l.list(panther.WithPageSize(1), panther.WithPrefetch()); !slices.Equal(pre, all) {
			t.Errorf("%s: prefetch gave %v, want %v", l.name, pre, all)
		}
	}
	// One-page listings.
	if roles := keys(t, panther.Roles(ctx, c, nil), func(r rest.RoleAPIRole) string { return str(r.ID) }); len(roles) == 0 {
		t.Error("no roles")
	}
	if toks := keys(t, panther.APITokens(ctx, c), func(r rest.APITokenAPIAPIToken) string { return r.ID }); len(toks) == 0 {
		t.Error("no API tokens")
	}
}

func TestRESTIteratorsResumeFromCursor(t *testing.T) {
	_, c, _ := restFake(t)
	ctx := context.Background()
	var all []string
	var second *string
	for page, err := range panther.RulePages(ctx, c, nil, panther.WithPageSize(3)) {
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			all = append(all, *r.ID)
		}
		if page.Number == 1 {
			second = page.NextCursor
		}
	}
	if second == nil {
		t.Fatal("no second page")
	}
	rest1 := keys(t, panther.Rules(ctx, c, nil, panther.WithPageSize(3), panther.WithStartCursor(second)), func(r rest.RuleAPIRule) string { return *r.ID })
	if !slices.Equal(rest1, all[3:]) {
		t.Errorf("resumed at the cursor: %v, want %v", rest1, all[3:])
	}
	// The filter's Cursor and Limit do the same.
	rest2 := keys(t, panther.Rules(ctx, c, &rest.RuleListParams{Cursor: second, Limit: panther.Ptr(int64(3))}), func(r rest.RuleAPIRule) string { return *r.ID })
	if !slices.Equal(rest2, all[3:]) {
		t.Errorf("filter cursor: %v, want %v", rest2, all[3:])
	}
}

func TestRESTIteratorsFilter(t *testing.T) {
	_, c, _ := restFake(t)
	ctx := context.Background()
	for r, err := range panther.Rules(ctx, c, &rest.RuleListParams{Severity: &[]rest.RuleListParamsSeverity{"HIGH"}}, panther.WithPageSize(2)) {
		if err != nil {
			t.Fatal(err)
		}
		if *r.Severity != "HIGH" {
			t.Errorf("severity filter: got %s %s", *r.ID, *r.Severity)
		}
	}
}

func TestRESTIteratorsBadInputNeverSent(t *testing.T) {
	_, c, counter := restFake(t)
	ctx := context.Background()
	check := func(name string, seq iter.Seq2[any, error]) {
		t.Helper()
		n := 0
		for _, err := range seq {
			n++
			if !errors.Is(err, panther.ErrInvalidArgument) {
				t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
			}
		}
		if n != 1 {
			t.Errorf("%s: %d values yielded, want 1 error", name, n)
		}
	}
	anySeq := func(seq func(func(rest.AlertAPIAlert, error) bool)) iter.Seq2[any, error] {
		return func(yield func(any, error) bool) {
			for v, err := range seq {
				if !yield(v, err) {
					return
				}
			}
		}
	}
	check("alerts page size 51", anySeq(panther.RESTAlerts(ctx, c, nil, panther.WithPageSize(51))))
	check("alerts filter limit 51", anySeq(panther.RESTAlerts(ctx, c, &rest.AlertListParams{Limit: panther.Ptr(int64(51))})))
	check("alerts negative page size", anySeq(panther.RESTAlerts(ctx, c, nil, panther.WithPageSize(-1))))
	for name, seq := range map[string]iter.Seq2[rest.RoleAPIRole, error]{
		"roles page size":    panther.Roles(ctx, c, nil, panther.WithPageSize(5)),
		"roles start cursor": panther.Roles(ctx, c, nil, panther.WithStartCursor(panther.Ptr("x"))),
	} {
		for _, err := range seq {
			if !errors.Is(err, panther.ErrInvalidArgument) {
				t.Errorf("%s: %v", name, err)
			}
			break
		}
	}
	for _, err := range panther.RESTAlertComments(ctx, c, "") {
		if !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("comments of an empty alert id: %v", err)
		}
		break
	}
	for _, err := range panther.RESTAlertEvents(ctx, c, "../alerts") {
		if !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("events of ../alerts: %v", err)
		}
		break
	}
	for _, err := range panther.Rules(ctx, nil, nil) {
		if !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("nil client: %v", err)
		}
		break
	}
	if n := counter.all(); n != 0 {
		t.Errorf("the server received %d requests", n)
	}
}
