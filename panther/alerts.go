package panther

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
)

var errEmptyAlertID = fmt.Errorf("%w: empty alert id", ErrInvalidArgument)

// AlertFilter selects alerts for [ListAlerts]: detection alerts, newest
// first, created in a time window. Panther requires that window unless the
// alerts of one detection are asked for, so Since must be set unless
// DetectionID is. Other fields left zero do not filter.
type AlertFilter struct {
	// Since and Until bound the alerts' creation time: alerts created after
	// Since and before Until. Until defaults to the current time when Since
	// is set. Both may be zero when DetectionID is set.
	Since, Until time.Time
	// Severities keeps alerts of these severities.
	Severities []generated.Severity
	// Statuses keeps alerts in these statuses.
	Statuses []generated.AlertStatus
	// AssigneeIDs keeps alerts assigned to these user ids.
	AssigneeIDs []string
	// DetectionID keeps alerts of one detection (rule, scheduled rule or
	// policy).
	DetectionID string
	// LogSources keeps alerts from these log source ids.
	LogSources []string
	// LogTypes keeps alerts on these log types.
	LogTypes []string
	// ResourceTypes keeps alerts on these AWS resource types.
	ResourceTypes []string
	// NameContains keeps alerts whose title contains this text.
	NameContains string
	// Type lists detection errors or system errors instead of detection
	// alerts.
	Type generated.AlertListingType
	// Subtypes narrows Type further, e.g. RULE or POLICY.
	Subtypes []generated.AlertType
	// MinEvents and MaxEvents bound the number of events of an alert; 0 does
	// not bound.
	MinEvents, MaxEvents int
	// OldestFirst sorts by creation time ascending instead of descending.
	OldestFirst bool
}

// Input returns the AlertsInput that f describes, for use with [Alerts] or
// generated.ListAlertsPage. It fails with [ErrInvalidArgument] when the filter
// has neither Since nor DetectionID, when Until is before Since, or when an
// event bound is negative.
func (f AlertFilter) Input() (generated.AlertsInput, error) {
	var in generated.AlertsInput
	if f.DetectionID == "" {
		if f.Since.IsZero() {
			return in, fmt.Errorf("%w: alert filter: set Since (Panther lists alerts in a time window) or DetectionID", ErrInvalidArgument)
		}
		if f.Until.IsZero() {
			f.Until = time.Now()
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return in, fmt.Errorf("%w: alert filter: Until (%s) is before Since (%s)",
			ErrInvalidArgument, f.Until.Format(time.RFC3339), f.Since.Format(time.RFC3339))
	}
	if f.MinEvents < 0 || f.MaxEvents < 0 || (f.MaxEvents > 0 && f.MaxEvents < f.MinEvents) {
		return in, fmt.Errorf("%w: alert filter: event bounds %d..%d", ErrInvalidArgument, f.MinEvents, f.MaxEvents)
	}
	if !f.Since.IsZero() {
		t := f.Since
		in.CreatedAtAfter = &t
	}
	if !f.Until.IsZero() {
		t := f.Until
		in.CreatedAtBefore = &t
	}
	in.Severities = f.Severities
	in.Statuses = f.Statuses
	in.AssigneeIds = f.AssigneeIDs
	in.LogSources = f.LogSources
	in.LogTypes = f.LogTypes
	in.ResourceTypes = f.ResourceTypes
	in.Subtypes = f.Subtypes
	if f.DetectionID != "" {
		in.DetectionId = &f.DetectionID
	}
	if f.NameContains != "" {
		in.NameContains = &f.NameContains
	}
	if f.Type != "" {
		in.Type = &f.Type
	}
	if f.MinEvents > 0 {
		in.EventCountMin = &f.MinEvents
	}
	if f.MaxEvents > 0 {
		in.EventCountMax = &f.MaxEvents
	}
	if f.OldestFirst {
		by, dir := generated.AlertsSortFieldsEnumCreatedat, generated.SortDirEnumAscending
		in.SortBy, in.SortDir = &by, &dir
	}
	return in, nil
}

// ListAlerts iterates over the alerts that match f, across pages. A filter
// that [AlertFilter.Input] rejects is yielded as the only error.
func ListAlerts(ctx context.Context, client graphql.Client, f AlertFilter, opts ...PageOption) iter.Seq2[generated.AlertSummary, error] {
	in, err := f.Input()
	if err != nil {
		return func(yield func(generated.AlertSummary, error) bool) {
			yield(generated.AlertSummary{}, err)
		}
	}
	return Alerts(ctx, client, in, opts...)
}

// DefaultBatchSize is how many alert ids the bulk helpers send in one
// request unless [WithBatchSize] says otherwise.
const DefaultBatchSize = 100

// BulkOption configures the bulk alert helpers.
type BulkOption func(*bulkConfig)

type bulkConfig struct {
	batchSize int
}

// WithBatchSize sets how many alert ids go in one request. It must be
// positive.
func WithBatchSize(n int) BulkOption {
	return func(c *bulkConfig) { c.batchSize = n }
}

// ErrAlertNotUpdated is matched by the error of an [AlertResult] whose alert
// the server did not report as changed: it was missing from the response
// (for example, there is no alert with that id) or came back unchanged.
var ErrAlertNotUpdated = errors.New("panther: alert not updated")

// AlertResult is the outcome of a bulk change for one alert id.
type AlertResult struct {
	// ID is the alert id, as given.
	ID string
	// Err is nil when the change was applied. Otherwise it is the error of
	// the request that carried this id, or matches [ErrAlertNotUpdated], or
	// [ErrInvalidArgument] for an empty id.
	Err error
}

// BulkError is returned by the bulk alert helpers when the change failed for
// some ids. Its Unwrap returns the distinct errors, so errors.Is(err,
// ErrUnauthorized) and the like work on it.
type BulkError struct {
	// Failed are the results with a non-nil Err, in input order.
	Failed []AlertResult
	// Total is the number of ids given.
	Total int
}

// Error counts the failures and shows the first.
func (e *BulkError) Error() string {
	first := e.Failed[0]
	if len(e.Failed) == 1 {
		return fmt.Sprintf("panther: 1 of %d alerts failed: %s: %v", e.Total, first.ID, first.Err)
	}
	return fmt.Sprintf("panther: %d of %d alerts failed; first %s: %v", len(e.Failed), e.Total, first.ID, first.Err)
}

// Unwrap returns the distinct errors of the failed results.
func (e *BulkError) Unwrap() []error {
	var errs []error
	for _, r := range e.Failed {
		// Errors of uncomparable types cannot be tested for equality (==
		// would panic): keep each of them.
		if reflect.TypeOf(r.Err).Comparable() && slices.Contains(errs, r.Err) {
			continue
		}
		errs = append(errs, r.Err)
	}
	return errs
}

// SetAlertStatus sets the status of any number of alerts, in batches of
// [DefaultBatchSize] (see [WithBatchSize]).
//
// It returns one result per given id, in order, whether or not the change
// succeeded, and a [*BulkError] when it failed for any of them. A failed
// batch does not stop the others; a cancelled ctx fails the batches not yet
// sent. Duplicate ids are sent once and get the same result. Panther rejects
// a whole request when one of its ids does not exist; the unknown ids are
// then found (from the error, or by splitting the batch), reported with an
// error matching ErrNotFound, and the others are sent again.
//
// Invalid arguments (an empty status, a nil client, a bad option) send
// nothing and return no results, with an error matching
// [ErrInvalidArgument]; the same holds for the other bulk helpers.
//
// Setting a status is idempotent, so a batch is retried like a query (see
// [WithRetryMutation]), even after an attempt that may have been applied
// (a lost response, a 5xx): Panther may then apply the same change twice, to
// the effect of once. The same holds for [AssignAlerts],
// [AssignAlertsByEmail] and [UnassignAlerts], but not for
// [AddAlertComment].
func SetAlertStatus(ctx context.Context, client graphql.Client, ids []string, status generated.AlertStatus, opts ...BulkOption) ([]AlertResult, error) {
	if status == "" {
		return nil, fmt.Errorf("%w: empty alert status", ErrInvalidArgument)
	}
	return bulk(ctx, client, ids, opts, true, func(ctx context.Context, batch []string) (map[string]error, error) {
		resp, err := generated.UpdateAlertStatus(ctx, client, generated.UpdateAlertStatusByIdInput{Ids: batch, Status: status})
		got := make(map[string]error)
		if resp != nil {
			for _, a := range resp.UpdateAlertStatusById.Alerts {
				if a.Status != status {
					got[a.Id] = fmt.Errorf("%w: status is %s, not %s", ErrAlertNotUpdated, a.Status, status)
					continue
				}
				got[a.Id] = nil
			}
		}
		return got, err
	})
}

// AssignAlerts assigns any number of alerts to the user with id assigneeID.
// Batching and results are as for [SetAlertStatus], except that an unknown
// alert id is singled out only when Panther's error names it: otherwise the
// error may as well be about the assignee, and fails the whole batch. An
// empty assigneeID is an error; use [UnassignAlerts] to unassign.
func AssignAlerts(ctx context.Context, client graphql.Client, ids []string, assigneeID string, opts ...BulkOption) ([]AlertResult, error) {
	if assigneeID == "" {
		return nil, fmt.Errorf("%w: empty assignee id (use UnassignAlerts to unassign)", ErrInvalidArgument)
	}
	return assignByID(ctx, client, ids, &assigneeID, opts)
}

// UnassignAlerts removes the assignee of any number of alerts. Batching and
// results are as for [SetAlertStatus].
func UnassignAlerts(ctx context.Context, client graphql.Client, ids []string, opts ...BulkOption) ([]AlertResult, error) {
	return assignByID(ctx, client, ids, nil, opts)
}

func assignByID(ctx context.Context, client graphql.Client, ids []string, assigneeID *string, opts []BulkOption) ([]AlertResult, error) {
	// Without an assignee, a not-found error can only be about alerts.
	return bulk(ctx, client, ids, opts, assigneeID == nil, func(ctx context.Context, batch []string) (map[string]error, error) {
		resp, err := generated.UpdateAlertsAssigneeByID(ctx, client, generated.UpdateAlertsAssigneeByIdInput{Ids: batch, AssigneeId: assigneeID})
		got := make(map[string]error)
		if resp != nil {
			for _, a := range resp.UpdateAlertsAssigneeById.Alerts {
				switch {
				case assigneeID == nil && a.Assignee != nil:
					got[a.Id] = fmt.Errorf("%w: still assigned", ErrAlertNotUpdated)
				case assigneeID != nil && (a.Assignee == nil || a.Assignee.Id != *assigneeID):
					got[a.Id] = fmt.Errorf("%w: assignee did not change", ErrAlertNotUpdated)
				default:
					got[a.Id] = nil
				}
			}
		}
		return got, err
	})
}

// AssignAlertsByEmail assigns any number of alerts to the user with the
// given email address. Batching and results are as for [AssignAlerts].
func AssignAlertsByEmail(ctx context.Context, client graphql.Client, ids []string, email string, opts ...BulkOption) ([]AlertResult, error) {
	if email == "" {
		return nil, fmt.Errorf("%w: empty assignee email (use UnassignAlerts to unassign)", ErrInvalidArgument)
	}
	return bulk(ctx, client, ids, opts, false, func(ctx context.Context, batch []string) (map[string]error, error) {
		resp, err := generated.UpdateAlertsAssigneeByEmail(ctx, client, generated.UpdateAlertsAssigneeByEmailInput{Ids: batch, AssigneeEmail: &email})
		got := make(map[string]error)
		if resp != nil {
			for _, a := range resp.UpdateAlertsAssigneeByEmail.Alerts {
				if a.Assignee == nil || !strings.EqualFold(a.Assignee.Email, email) {
					got[a.Id] = fmt.Errorf("%w: assignee did not change", ErrAlertNotUpdated)
					continue
				}
				got[a.Id] = nil
			}
		}
		return got, err
	})
}

// sendBatch sends one batch and reports, for each id the server mentioned,
// nil or why that alert was not changed, along with the request's error.
type sendBatch func(ctx context.Context, batch []string) (map[string]error, error)

// bulk sends the distinct ids in batches and collects one result per given
// id. bisect allows splitting a batch that failed as not found without
// naming an id: only right when no other not-found cause (such as an unknown
// assignee) is possible, or every id would be tried alone in vain.
func bulk(ctx context.Context, client graphql.Client, ids []string, opts []BulkOption, bisect bool, send sendBatch) ([]AlertResult, error) {
	ctx = orBackground(ctx)
	cfg := bulkConfig{batchSize: DefaultBatchSize}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.batchSize <= 0 {
		return nil, fmt.Errorf("%w: batch size %d is not positive", ErrInvalidArgument, cfg.batchSize)
	}
	if client == nil {
		return nil, errNilClient
	}
	if len(ids) == 0 {
		return nil, nil
	}

	// Send each distinct, non-empty id once.
	outcome := make(map[string]error, len(ids))
	var unique []string
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, dup := outcome[id]; !dup {
			outcome[id] = nil
			unique = append(unique, id)
		}
	}

	// Setting a status or an assignee is idempotent, so the client may
	// retry these mutations like queries.
	rctx := WithRetryMutation(ctx)
	var run func(batch []string)
	run = func(batch []string) {
		for {
			if err := ctx.Err(); err != nil {
				for _, id := range batch {
					outcome[id] = err
				}
				return
			}
			got, err := send(rctx, batch)
			// Panther rejects a whole batch when one of its ids is unknown.
			// Find the unknown ids, report them, and change the others.
			if err != nil && len(got) == 0 && errors.Is(err, ErrNotFound) {
				if named := idsIn(err.Error(), batch); len(named) > 0 && len(named) < len(batch) {
					// The error names the culprits: drop them and resend.
					for _, id := range named {
						outcome[id] = err
					}
					batch = slices.DeleteFunc(slices.Clone(batch), func(id string) bool { return slices.Contains(named, id) })
					continue
				}
				if bisect && len(batch) > 1 {
					// It does not: halve the batch until they are isolated.
					run(batch[:len(batch)/2])
					run(batch[len(batch)/2:])
					return
				}
			}
			for _, id := range batch {
				res, ok := got[id]
				switch {
				case ok:
					outcome[id] = res
				case err != nil:
					outcome[id] = err
				default:
					outcome[id] = fmt.Errorf("%w: missing from the response", ErrAlertNotUpdated)
				}
			}
			return
		}
	}
	for start := 0; start < len(unique); start += cfg.batchSize {
		run(unique[start:min(start+cfg.batchSize, len(unique))])
	}

	results := make([]AlertResult, len(ids))
	var failed []AlertResult
	for i, id := range ids {
		r := AlertResult{ID: id, Err: outcome[id]}
		if id == "" {
			r.Err = errEmptyAlertID
		}
		results[i] = r
		if r.Err != nil {
			failed = append(failed, r)
		}
	}
	if failed != nil {
		return results, &BulkError{Failed: failed, Total: len(ids)}
	}
	return results, nil
}

// idsIn returns the ids that text mentions as whole words (not as part of a
// longer id).
func idsIn(text string, ids []string) []string {
	var out []string
	for _, id := range ids {
		for i := 0; ; {
			j := strings.Index(text[i:], id)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(id)
			if (start == 0 || !isIDByte(text[start-1])) && (end == len(text) || !isIDByte(text[end])) {
				out = append(out, id)
				break
			}
			i = start + 1
		}
	}
	return out
}

func isIDByte(b byte) bool {
	return b == '-' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// AlertComment is a comment created by [AddAlertComment].
type AlertComment = generated.CreateAlertCommentComment

// CommentOption configures [AddAlertComment].
type CommentOption func(*generated.CreateAlertCommentInput)

// CommentHTML marks the comment body as HTML rather than plain text.
func CommentHTML() CommentOption {
	return func(in *generated.CreateAlertCommentInput) {
		f := generated.CommentFormatHtml
		in.Format = &f
	}
}

// AddAlertComment adds a comment to the alert with id alertID. The body is
// plain text unless [CommentHTML] is given. Unlike the bulk helpers it is
// never sent again after an attempt that may have been applied, because
// that could post the comment twice: check [Error.MayHaveBeenApplied].
func AddAlertComment(ctx context.Context, client graphql.Client, alertID, body string, opts ...CommentOption) (*AlertComment, error) {
	ctx = orBackground(ctx)
	if client == nil {
		return nil, errNilClient
	}
	if alertID == "" {
		return nil, errEmptyAlertID
	}
	if strings.TrimSpace(body) == "" {
		return nil, fmt.Errorf("%w: empty comment body", ErrInvalidArgument)
	}
	in := generated.CreateAlertCommentInput{AlertId: alertID, Body: body}
	for _, o := range opts {
		if o != nil {
			o(&in)
		}
	}
	// Not retried as a query: a retry after a lost response would post the
	// comment twice.
	resp, err := generated.CreateAlertComment(ctx, client, in)
	if err != nil {
		return nil, fmt.Errorf("panther: commenting on alert %s: %w", alertID, err)
	}
	c := resp.CreateAlertComment.Comment
	return &c, nil
}
