package panther

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"

	"github.com/panthersdk/panther-go/generated/rest"
)

// restFetch adapts one REST listing call to the pager. op is the listing's
// operationId; cursorOK says whether it takes a cursor (without one, the
// listing is one page, and a start cursor cannot take effect); defLimit is
// the page size to send when the caller gave none with WithPageSize.
func restFetch[T any](client *Client, op string, cursorOK bool, defLimit *int64,
	list func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]T, *string, error)) FetchPage[T] {
	if client == nil {
		return nilClientFetch[T]()
	}
	return func(ctx context.Context, cursor *string, size int) ([]T, *string, bool, error) {
		if cursor != nil && !cursorOK {
			return nil, nil, false, &Error{Operation: op, rest: true,
				Err: fmt.Errorf("%w: %s takes no cursor: leave out WithStartCursor", ErrInvalidArgument, op)}
		}
		limit := defLimit
		if size > 0 {
			l := int64(size)
			limit = &l
		}
		items, next, err := list(ctx, client.REST(), cursor, limit)
		if err != nil {
			return nil, nil, false, err
		}
		if !cursorOK || next == nil || *next == "" {
			return items, nil, false, nil
		}
		return items, next, true, nil
	}
}

// cursorOf returns the Cursor of a listing's filter, nil for no filter.
func cursorOf[P any](filter *P, get func(*P) *string) *string {
	if filter == nil {
		return nil
	}
	return get(filter)
}

// limitOf returns the Limit of a listing's filter, nil for no filter.
func limitOf[P any](filter *P, get func(*P) *int64) *int64 {
	if filter == nil {
		return nil
	}
	return get(filter)
}

func derefSlice[T any](s *[]T) []T {
	if s == nil {
		return nil
	}
	return *s
}

// unexpectedStatus reports a 2xx answer whose body the spec does not
// declare for the operation, such as 204 where a page was expected.
func unexpectedStatus(op string, status int) error {
	return &Error{Operation: op, StatusCode: status, rest: true, notGraphQL: true,
		summary: "the API answered without the body the spec declares for this status"}
}

// RESTAlertComments iterates over the comments on the alert alertID, across
// pages (operation "comment#list"). The API's maximum page size is 50.
func RESTAlertComments(ctx context.Context, client *Client, alertID string, opts ...PageOption) iter.Seq2[rest.CommentAPIComment, error] {
	return paginate(ctx, fetchRESTAlertComments(client, alertID), "", opts)
}

// RESTAlertCommentPages is like [RESTAlertComments] but yields a page at a
// time.
func RESTAlertCommentPages(ctx context.Context, client *Client, alertID string, opts ...PageOption) iter.Seq2[Page[rest.CommentAPIComment], error] {
	return paginatePages(ctx, fetchRESTAlertComments(client, alertID), "", opts)
}

func fetchRESTAlertComments(client *Client, alertID string) FetchPage[rest.CommentAPIComment] {
	if strings.TrimSpace(alertID) == "" {
		return invalidFetch[rest.CommentAPIComment]("comment#list", "empty alert id")
	}
	return restFetch(client, "comment#list", true, nil, func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]rest.CommentAPIComment, *string, error) {
		r, err := rc.CommentListWithResponse(ctx, &rest.CommentListParams{AlertID: alertID, Cursor: cursor, Limit: limit})
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, unexpectedStatus("comment#list", r.StatusCode())
		}
		return r.JSON200.Results, r.JSON200.Next, nil
	})
}

// RESTAlertEvents iterates over the events of the alert alertID, each as
// the JSON object Panther stored, across pages (operation "alert#events").
// The API's maximum page size is 50.
func RESTAlertEvents(ctx context.Context, client *Client, alertID string, opts ...PageOption) iter.Seq2[json.RawMessage, error] {
	return paginate(ctx, fetchRESTAlertEvents(client, alertID), "", opts)
}

// RESTAlertEventPages is like [RESTAlertEvents] but yields a page at a time.
func RESTAlertEventPages(ctx context.Context, client *Client, alertID string, opts ...PageOption) iter.Seq2[Page[json.RawMessage], error] {
	return paginatePages(ctx, fetchRESTAlertEvents(client, alertID), "", opts)
}

func fetchRESTAlertEvents(client *Client, alertID string) FetchPage[json.RawMessage] {
	if strings.TrimSpace(alertID) == "" {
		return invalidFetch[json.RawMessage]("alert#events", "empty alert id")
	}
	return restFetch(client, "alert#events", true, nil, func(ctx context.Context, rc *rest.ClientWithResponses, cursor *string, limit *int64) ([]json.RawMessage, *string, error) {
		r, err := rc.AlertEvents(ctx, alertID, &rest.AlertEventsParams{Cursor: cursor, Limit: limit})
		if err != nil {
			return nil, nil, err
		}
		defer r.Body.Close()
		// The events are free-form: keep each one's JSON as sent.
		var page struct {
			Next    *string           `json:"next"`
			Results []json.RawMessage `json:"results"`
		}
		if err := json.NewDecoder(r.Body).Decode(&page); err != nil {
			return nil, nil, &Error{Operation: "alert#events", StatusCode: r.StatusCode, rest: true, badData: true, Err: err}
		}
		return page.Results, page.Next, nil
	})
}

// invalidFetch fails a listing whose arguments are wrong, before anything
// is sent.
func invalidFetch[T any](op, format string, args ...any) FetchPage[T] {
	return func(context.Context, *string, int) ([]T, *string, bool, error) {
		return nil, nil, false, &Error{Operation: op, rest: true,
			Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...)}
	}
}
