package panther

// The iterators over the REST API's listings. Each is a package-level
// function taking the client, like the GraphQL iterators, and runs on the
// same pager, so page size, prefetch, start cursor and the loop guards work
// the same way.

import (
	"context"
	"iter"

	"github.com/panthersdk/panther-go/generated/rest"
)

// Rules iterates over every rule (Python detection on log events), across
// pages (operation "rule#list"). filter (may be nil) holds the listing's
// filters. Its Cursor, if set, is where the listing starts, and its Limit
// the page size unless [WithPageSize] is given; the API's maximum applies.
func Rules(ctx context.Context, client *Client, filter *rest.RuleListParams, opts ...PageOption) iter.Seq2[rest.RuleAPIRule, error] {
	return paginate(ctx, fetchRules(client, filter), "", startAt(cursorOf(filter, func(f *rest.RuleListParams) *string { return f.Cursor }), opts))
}

// RulePages is like [Rules] but yields a page at a time.
func RulePages(ctx context.Context, client *Client, filter *rest.RuleListParams, opts ...PageOption) iter.Seq2[Page[rest.RuleAPIRule], error] {
	return paginatePages(ctx, fetchRules(client, filter), "", startAt(cursorOf(filter, func(f *rest.RuleListParams) *string { return f.Cursor }), opts))
}

func fetchRules(client *Client, filter *rest.RuleListParams) FetchPage[rest.RuleAPIRule] {
	return restFetch(client, "rule#list", true, limitOf(filter, func(f *rest.RuleListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.RuleAPIRule, *string, error) {
		p := rest.RuleListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.RuleListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("rule#list", r.StatusCode())
		}
		return derefSlice(r.JSON200.Results), r.JSON200.Next, nil
	})
}

// Policies iterates over every policy (detection on cloud resources), across
// pages (operation "policy#list"). filter (may be nil) holds the listing's
// filters. Its Cursor, if set, is where the listing starts, and its Limit
// the page size unless [WithPageSize] is given; the API's maximum applies.
func Policies(ctx context.Context, client *Client, filter *rest.PolicyListParams, opts ...PageOption) iter.Seq2[rest.PolicyAPIPolicy, error] {
	return paginate(ctx, fetchPolicies(client, filter), "", startAt(cursorOf(filter, func(f *rest.PolicyListParams) *string { return f.Cursor }), opts))
}

// PolicyPages is like [Policies] but yields a page at a time.
func PolicyPages(ctx context.Context, client *Client, filter *rest.PolicyListParams, opts ...PageOption) iter.Seq2[Page[rest.PolicyAPIPolicy], error] {
	return paginatePages(ctx, fetchPolicies(client, filter), "", startAt(cursorOf(filter, func(f *rest.PolicyListParams) *string { return f.Cursor }), opts))
}

func fetchPolicies(client *Client, filter *rest.PolicyListParams) FetchPage[rest.PolicyAPIPolicy] {
	return restFetch(client, "policy#list", true, limitOf(filter, func(f *rest.PolicyListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.PolicyAPIPolicy, *string, error) {
		p := rest.PolicyListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.PolicyListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("policy#list", r.StatusCode())
		}
		return derefSlice(r.JSON200.Results), r.JSON200.Next, nil
	})
}

// ScheduledRules iterates over every scheduled rule (detection on the
// results of scheduled queries), across pages (operation "scheduled
// rule#list"). filter (may be nil) holds the listing's filters. Its Cursor,
// if set, is where the listing starts, and its Limit the page size unless
// [WithPageSize] is given; the API's maximum applies.
func ScheduledRules(ctx context.Context, client *Client, filter *rest.ScheduledRuleListParams, opts ...PageOption) iter.Seq2[rest.ScheduledRuleAPIScheduledRule, error] {
	return paginate(ctx, fetchScheduledRules(client, filter), "", startAt(cursorOf(filter, func(f *rest.ScheduledRuleListParams) *string { return f.Cursor }), opts))
}

// ScheduledRulePages is like [ScheduledRules] but yields a page at a time.
func ScheduledRulePages(ctx context.Context, client *Client, filter *rest.ScheduledRuleListParams, opts ...PageOption) iter.Seq2[Page[rest.ScheduledRuleAPIScheduledRule], error] {
	return paginatePages(ctx, fetchScheduledRules(client, filter), "", startAt(cursorOf(filter, func(f *rest.ScheduledRuleListParams) *string { return f.Cursor }), opts))
}

func fetchScheduledRules(client *Client, filter *rest.ScheduledRuleListParams) FetchPage[rest.ScheduledRuleAPIScheduledRule] {
	return restFetch(client, "scheduled rule#list", true, limitOf(filter, func(f *rest.ScheduledRuleListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.ScheduledRuleAPIScheduledRule, *string, error) {
		p := rest.ScheduledRuleListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.ScheduledRuleListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("scheduled rule#list", r.StatusCode())
		}
		return derefSlice(r.JSON200.Results), r.JSON200.Next, nil
	})
}

// SimpleRules iterates over every simple rule (YAML detection), across pages
// (operation "simple rule#list"). filter (may be nil) holds the listing's
// filters. Its Cursor, if set, is where the listing starts, and its Limit
// the page size unless [WithPageSize] is given; the API's maximum applies.
func SimpleRules(ctx context.Context, client *Client, filter *rest.SimpleRuleListParams, opts ...PageOption) iter.Seq2[rest.SimpleRuleAPISimpleRule, error] {
	return paginate(ctx, fetchSimpleRules(client, filter), "", startAt(cursorOf(filter, func(f *rest.SimpleRuleListParams) *string { return f.Cursor }), opts))
}

// SimpleRulePages is like [SimpleRules] but yields a page at a time.
func SimpleRulePages(ctx context.Context, client *Client, filter *rest.SimpleRuleListParams, opts ...PageOption) iter.Seq2[Page[rest.SimpleRuleAPISimpleRule], error] {
	return paginatePages(ctx, fetchSimpleRules(client, filter), "", startAt(cursorOf(filter, func(f *rest.SimpleRuleListParams) *string { return f.Cursor }), opts))
}

func fetchSimpleRules(client *Client, filter *rest.SimpleRuleListParams) FetchPage[rest.SimpleRuleAPISimpleRule] {
	return restFetch(client, "simple rule#list", true, limitOf(filter, func(f *rest.SimpleRuleListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.SimpleRuleAPISimpleRule, *string, error) {
		p := rest.SimpleRuleListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.SimpleRuleListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("simple rule#list", r.StatusCode())
		}
		return derefSlice(r.JSON200.Results), r.JSON200.Next, nil
	})
}

// Globals iterates over every global helper module, across pages (operation
// "global#list"). filter (may be nil) holds the listing's filters. Its
// Cursor, if set, is where the listing starts, and its Limit the page size
// unless [WithPageSize] is given; the API's maximum applies.
func Globals(ctx context.Context, client *Client, filter *rest.GlobalListParams, opts ...PageOption) iter.Seq2[rest.GlobalAPIGlobal, error] {
	return paginate(ctx, fetchGlobals(client, filter), "", startAt(cursorOf(filter, func(f *rest.GlobalListParams) *string { return f.Cursor }), opts))
}

// GlobalPages is like [Globals] but yields a page at a time.
func GlobalPages(ctx context.Context, client *Client, filter *rest.GlobalListParams, opts ...PageOption) iter.Seq2[Page[rest.GlobalAPIGlobal], error] {
	return paginatePages(ctx, fetchGlobals(client, filter), "", startAt(cursorOf(filter, func(f *rest.GlobalListParams) *string { return f.Cursor }), opts))
}

func fetchGlobals(client *Client, filter *rest.GlobalListParams) FetchPage[rest.GlobalAPIGlobal] {
	return restFetch(client, "global#list", true, limitOf(filter, func(f *rest.GlobalListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.GlobalAPIGlobal, *string, error) {
		p := rest.GlobalListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.GlobalListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("global#list", r.StatusCode())
		}
		return derefSlice(r.JSON200.Results), r.JSON200.Next, nil
	})
}

// DataModels iterates over every data model, across pages (operation "data
// model#list"). filter (may be nil) holds the listing's filters. Its Cursor,
// if set, is where the listing starts, and its Limit the page size unless
// [WithPageSize] is given; the API's maximum applies.
func DataModels(ctx context.Context, client *Client, filter *rest.DataModelListParams, opts ...PageOption) iter.Seq2[rest.DataModelAPIDataModel, error] {
	return paginate(ctx, fetchDataModels(client, filter), "", startAt(cursorOf(filter, func(f *rest.DataModelListParams) *string { return f.Cursor }), opts))
}

// DataModelPages is like [DataModels] but yields a page at a time.
func DataModelPages(ctx context.Context, client *Client, filter *rest.DataModelListParams, opts ...PageOption) iter.Seq2[Page[rest.DataModelAPIDataModel], error] {
	return paginatePages(ctx, fetchDataModels(client, filter), "", startAt(cursorOf(filter, func(f *rest.DataModelListParams) *string { return f.Cursor }), opts))
}

func fetchDataModels(client *Client, filter *rest.DataModelListParams) FetchPage[rest.DataModelAPIDataModel] {
	return restFetch(client, "data model#list", true, limitOf(filter, func(f *rest.DataModelListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.DataModelAPIDataModel, *string, error) {
		p := rest.DataModelListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.DataModelListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("data model#list", r.StatusCode())
		}
		return derefSlice(r.JSON200.Results), r.JSON200.Next, nil
	})
}

// SavedQueries iterates over every saved query, across pages (operation
// "query#list"). filter (may be nil) holds the listing's filters. Its
// Cursor, if set, is where the listing starts, and its Limit the page size
// unless [WithPageSize] is given; the API's maximum applies.
func SavedQueries(ctx context.Context, client *Client, filter *rest.QueryListParams, opts ...PageOption) iter.Seq2[rest.QueryAPIQuery, error] {
	return paginate(ctx, fetchSavedQueries(client, filter), "", startAt(cursorOf(filter, func(f *rest.QueryListParams) *string { return f.Cursor }), opts))
}

// SavedQueryPages is like [SavedQueries] but yields a page at a time.
func SavedQueryPages(ctx context.Context, client *Client, filter *rest.QueryListParams, opts ...PageOption) iter.Seq2[Page[rest.QueryAPIQuery], error] {
	return paginatePages(ctx, fetchSavedQueries(client, filter), "", startAt(cursorOf(filter, func(f *rest.QueryListParams) *string { return f.Cursor }), opts))
}

func fetchSavedQueries(client *Client, filter *rest.QueryListParams) FetchPage[rest.QueryAPIQuery] {
	return restFetch(client, "query#list", true, limitOf(filter, func(f *rest.QueryListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.QueryAPIQuery, *string, error) {
		p := rest.QueryListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.QueryListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("query#list", r.StatusCode())
		}
		return derefSlice(r.JSON200.Results), r.JSON200.Next, nil
	})
}

// Users iterates over every user, across pages (operation "user#list").
// filter (may be nil) holds the listing's filters. Its Cursor, if set, is
// where the listing starts, and its Limit the page size unless
// [WithPageSize] is given; the API's maximum applies.
func Users(ctx context.Context, client *Client, filter *rest.UserListParams, opts ...PageOption) iter.Seq2[rest.UserAPIUser, error] {
	return paginate(ctx, fetchUsers(client, filter), "", startAt(cursorOf(filter, func(f *rest.UserListParams) *string { return f.Cursor }), opts))
}

// UserPages is like [Users] but yields a page at a time.
func UserPages(ctx context.Context, client *Client, filter *rest.UserListParams, opts ...PageOption) iter.Seq2[Page[rest.UserAPIUser], error] {
	return paginatePages(ctx, fetchUsers(client, filter), "", startAt(cursorOf(filter, func(f *rest.UserListParams) *string { return f.Cursor }), opts))
}

func fetchUsers(client *Client, filter *rest.UserListParams) FetchPage[rest.UserAPIUser] {
	return restFetch(client, "user#list", true, limitOf(filter, func(f *rest.UserListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.UserAPIUser, *string, error) {
		p := rest.UserListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.UserListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("user#list", r.StatusCode())
		}
		return r.JSON200.Results, r.JSON200.Next, nil
	})
}

// Roles iterates over every role, across pages (operation "role#list").
// filter (may be nil) holds the listing's filters. The REST API returns
// every role in one page: it takes no cursor and no page size, so
// [WithStartCursor] and a positive [WithPageSize] are errors matching
// [ErrInvalidArgument].
func Roles(ctx context.Context, client *Client, filter *rest.RoleListParams, opts ...PageOption) iter.Seq2[rest.RoleAPIRole, error] {
	return paginate(ctx, fetchRoles(client, filter), "roles", opts)
}

// RolePages is like [Roles] but yields a page at a time.
func RolePages(ctx context.Context, client *Client, filter *rest.RoleListParams, opts ...PageOption) iter.Seq2[Page[rest.RoleAPIRole], error] {
	return paginatePages(ctx, fetchRoles(client, filter), "roles", opts)
}

func fetchRoles(client *Client, filter *rest.RoleListParams) FetchPage[rest.RoleAPIRole] {
	return restFetch(client, "role#list", false, nil, func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.RoleAPIRole, *string, error) {
		p := rest.RoleListParams{}
		if filter != nil {
			p = *filter
		}
		r, err := rc.RoleListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("role#list", r.StatusCode())
		}
		return r.JSON200.Results, r.JSON200.Next, nil
	})
}

// APITokens iterates over every API token, across pages (operation "api
// token#list"). The REST API returns every API token in one page: it takes
// no cursor and no page size, so [WithStartCursor] and a positive
// [WithPageSize] are errors matching [ErrInvalidArgument].
func APITokens(ctx context.Context, client *Client, opts ...PageOption) iter.Seq2[rest.APITokenAPIAPIToken, error] {
	return paginate(ctx, fetchAPITokens(client), "API tokens", opts)
}

// APITokenPages is like [APITokens] but yields a page at a time.
func APITokenPages(ctx context.Context, client *Client, opts ...PageOption) iter.Seq2[Page[rest.APITokenAPIAPIToken], error] {
	return paginatePages(ctx, fetchAPITokens(client), "API tokens", opts)
}

func fetchAPITokens(client *Client) FetchPage[rest.APITokenAPIAPIToken] {
	return restFetch(client, "api token#list", false, nil, func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.APITokenAPIAPIToken, *string, error) {
		r, err := rc.APITokenListWithResponse(ctx)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("api token#list", r.StatusCode())
		}
		return r.JSON200.Results, r.JSON200.Next, nil
	})
}

// RESTAlerts iterates over every alert that matches filter, as the REST API
// returns it, across pages (operation "alert#list"). filter (may be nil)
// holds the listing's filters. Its Cursor, if set, is where the listing
// starts, and its Limit the page size unless [WithPageSize] is given; the
// API's maximum applies.
func RESTAlerts(ctx context.Context, client *Client, filter *rest.AlertListParams, opts ...PageOption) iter.Seq2[rest.AlertAPIAlert, error] {
	return paginate(ctx, fetchRESTAlerts(client, filter), "", startAt(cursorOf(filter, func(f *rest.AlertListParams) *string { return f.Cursor }), opts))
}

// RESTAlertPages is like [RESTAlerts] but yields a page at a time.
func RESTAlertPages(ctx context.Context, client *Client, filter *rest.AlertListParams, opts ...PageOption) iter.Seq2[Page[rest.AlertAPIAlert], error] {
	return paginatePages(ctx, fetchRESTAlerts(client, filter), "", startAt(cursorOf(filter, func(f *rest.AlertListParams) *string { return f.Cursor }), opts))
}

func fetchRESTAlerts(client *Client, filter *rest.AlertListParams) FetchPage[rest.AlertAPIAlert] {
	return restFetch(client, "alert#list", true, limitOf(filter, func(f *rest.AlertListParams) *int64 { return f.Limit }), func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.AlertAPIAlert, *string, error) {
		p := rest.AlertListParams{}
		if filter != nil {
			p = *filter
		}
		p.Cursor = cursor
		p.Limit = limit
		r, err := rc.AlertListWithResponse(ctx, &p)
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("alert#list", r.StatusCode())
		}
		return r.JSON200.Results, r.JSON200.Next, nil
	})
}
