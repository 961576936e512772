package panther

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/panthersdk/panther-go/generated/rest"
)

// Detections as code: get, create-or-update (PUT) and delete rules,
// policies, scheduled rules and simple rules through Panther's REST API.
// List them with Rules, Policies, ScheduledRules and SimpleRules
// (restlists.go).

var errNilRESTClient = fmt.Errorf("%w: nil *panther.Client", ErrInvalidArgument)

// DetectionOption configures [PutRule], [PutPolicy], [PutScheduledRule] and
// [PutSimpleRule].
type DetectionOption func(*detectionConfig)

type detectionConfig struct {
	skipTests bool // run-tests-first=false
	testsOnly bool // run-tests-only=true
}

// WithoutTestsFirst saves the detection without running its unit tests
// first (the API's run-tests-first=false). By default Panther runs them and
// refuses to save a detection whose tests fail.
func WithoutTestsFirst() DetectionOption {
	return func(c *detectionConfig) { c.skipTests = true }
}

// WithTestsOnly runs the detection's unit tests without saving it (the API's
// run-tests-only=true). The Put function then returns a nil detection and a
// nil error when every test passed, and a [*DetectionTestsError] when any
// failed. It cannot be combined with [WithoutTestsFirst].
func WithTestsOnly() DetectionOption {
	return func(c *detectionConfig) { c.testsOnly = true }
}

// DetectionTestResult is the outcome of one unit test of a detection, as
// Panther reports it.
type DetectionTestResult struct {
	// Name is the test's name.
	Name string `json:"name"`
	// Passed reports whether the detection returned what the test expects.
	Passed bool `json:"passed"`
	// Errored reports that running the test failed (for example the
	// resource was not valid JSON, or the detection raised).
	Errored bool `json:"errored"`
	// TriggerAlert reports whether the detection matched the test's event.
	TriggerAlert bool `json:"triggerAlert"`
	// Error says why the test did not pass, or is nil.
	Error *DetectionTestMessage `json:"error,omitempty"`
	// Functions holds the output of each of the detection's functions Panther
	// ran, keyed by name ("detection", "title", "dedup", ...).
	Functions map[string]DetectionFunctionResult `json:"functions,omitempty"`
}

// DetectionTestMessage is an error code and message in a test result.
type DetectionTestMessage struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// DetectionFunctionResult is what one function of a detection returned in a
// unit test, or the error it raised.
type DetectionFunctionResult struct {
	Output string                `json:"output"`
	Error  *DetectionTestMessage `json:"error,omitempty"`
}

// DetectionTestsError is returned by the Put functions when Panther ran the
// detection's unit tests and some failed, so that it did not save the
// detection (or, under [WithTestsOnly], only reports the failures). It wraps
// Panther's 400 response, so errors.Is(err, ErrInvalidArgument) holds.
type DetectionTestsError struct {
	// ID is the detection's id.
	ID string
	// Results are the outcomes of every test Panther ran, in its order.
	Results []DetectionTestResult
	// Err is Panther's response.
	Err *Error
}

// Failed returns the results of the tests that did not pass.
func (e *DetectionTestsError) Failed() []DetectionTestResult {
	var out []DetectionTestResult
	for _, r := range e.Results {
		if !r.Passed {
			out = append(out, r)
		}
	}
	return out
}

// Error names the failed tests and why, e.g.
//
//	panther: rule#put: 1 of 2 unit tests of AWS.Root.Login failed: "root login" (AssertionError: expected true, the detection returned false)
func (e *DetectionTestsError) Error() string {
	failed := e.Failed()
	var b strings.Builder
	fmt.Fprintf(&b, "panther: %s: %d of %d unit tests of %s failed", e.Err.Operation, len(failed), len(e.Results), e.ID)
	for i, r := range failed {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(failed)-i)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(fmt.Sprintf("%q", truncate(oneLine(r.Name), 80)))
		if r.Error != nil {
			fmt.Fprintf(&b, " (%s: %s)", truncate(oneLine(r.Error.Code), 40), truncate(oneLine(r.Error.Message), 200))
		}
	}
	return b.String()
}

// Unwrap returns Panther's response.
func (e *DetectionTestsError) Unwrap() error { return e.Err }

// putDetection checks a Put call's arguments before anything is sent.
func putDetection(client *Client, op, id, body, bodyField, severity string, opts []DetectionOption) (*bool, *bool, error) {
	var cfg detectionConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	invalid := func(format string, args ...any) error {
		return &Error{Operation: op, rest: true, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...)}
	}
	switch {
	case client == nil:
		return nil, nil, errNilRESTClient
	case strings.TrimSpace(id) == "":
		return nil, nil, invalid("the detection's ID is empty")
	case strings.TrimSpace(body) == "":
		return nil, nil, invalid("the detection's %s is empty", bodyField)
	case severity == "":
		return nil, nil, invalid("the detection's Severity is empty")
	case cfg.skipTests && cfg.testsOnly:
		return nil, nil, invalid("WithTestsOnly and WithoutTestsFirst contradict each other")
	}
	var first, only *bool
	if cfg.skipTests {
		first = Ptr(false)
	}
	if cfg.testsOnly {
		only = Ptr(true)
	}
	return first, only, nil
}

// detectionError turns Panther's 400 with test results into a
// *DetectionTestsError.
func detectionError(id string, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 400 {
		return err
	}
	var body struct {
		TestResults []DetectionTestResult `json:"testResults"`
	}
	if !restErrorDetail(err, &body) || len(body.TestResults) == 0 {
		return err
	}
	return &DetectionTestsError{ID: id, Results: body.TestResults, Err: e}
}

func firstOf[T any](ps ...*T) *T {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// PutRule creates the rule, or replaces the rule with the same ID (operation
// "rule#put"). ID, Body and Severity are required; an optional field left
// nil is not sent, and Panther keeps its default. Panther runs the rule's
// unit tests first (see [WithoutTestsFirst] and [WithTestsOnly]); when any
// fails it saves nothing and the error is a [*DetectionTestsError]. It
// returns the rule as saved.
func PutRule(ctx context.Context, client *Client, rule rest.RuleAPIModifyRule, opts ...DetectionOption) (*rest.RuleAPIRule, error) {
	first, only, err := putDetection(client, "rule#put", rule.ID, rule.Body, "Body", string(rule.Severity), opts)
	if err != nil {
		return nil, err
	}
	r, err := client.REST().RulePutWithResponse(orBackground(ctx), rule.ID, &rest.RulePutParams{RunTestsFirst: first, RunTestsOnly: only}, rule)
	if err != nil {
		return nil, detectionError(rule.ID, err)
	}
	return firstOf(r.JSON200, r.JSON201), nil
}

// PutPolicy creates the policy, or replaces the policy with the same ID
// (operation "policy#put"), like [PutRule].
func PutPolicy(ctx context.Context, client *Client, policy rest.PolicyAPIModifyPolicy, opts ...DetectionOption) (*rest.PolicyAPIPolicy, error) {
	first, only, err := putDetection(client, "policy#put", policy.ID, policy.Body, "Body", string(policy.Severity), opts)
	if err != nil {
		return nil, err
	}
	r, err := client.REST().PolicyPutWithResponse(orBackground(ctx), policy.ID, &rest.PolicyPutParams{RunTestsFirst: first, RunTestsOnly: only}, policy)
	if err != nil {
		return nil, detectionError(policy.ID, err)
	}
	return firstOf(r.JSON200, r.JSON201), nil
}

// PutScheduledRule creates the scheduled rule, or replaces the one with the
// same ID (operation "scheduled rule#put"), like [PutRule]. Its
// ScheduledQueries must name saved queries that exist.
func PutScheduledRule(ctx context.Context, client *Client, rule rest.ScheduledRuleAPIModifyRule, opts ...DetectionOption) (*rest.ScheduledRuleAPIScheduledRule, error) {
	first, only, err := putDetection(client, "scheduled rule#put", rule.ID, rule.Body, "Body", string(rule.Severity), opts)
	if err != nil {
		return nil, err
	}
	r, err := client.REST().ScheduledRulePutWithResponse(orBackground(ctx), rule.ID, &rest.ScheduledRulePutParams{RunTestsFirst: first, RunTestsOnly: only}, rule)
	if err != nil {
		return nil, detectionError(rule.ID, err)
	}
	return firstOf(r.JSON200, r.JSON201), nil
}

// PutSimpleRule creates the simple (YAML) rule, or replaces the one with the
// same ID (operation "simple rule#put"), like [PutRule]; its Detection (the
// YAML) takes the place of a rule's Body.
func PutSimpleRule(ctx context.Context, client *Client, rule rest.SimpleRuleAPIModifyRule, opts ...DetectionOption) (*rest.SimpleRuleAPISimpleRule, error) {
	first, only, err := putDetection(client, "simple rule#put", rule.ID, rule.Detection, "Detection", string(rule.Severity), opts)
	if err != nil {
		return nil, err
	}
	r, err := client.REST().SimpleRulePutWithResponse(orBackground(ctx), rule.ID, &rest.SimpleRulePutParams{RunTestsFirst: first, RunTestsOnly: only}, rule)
	if err != nil {
		return nil, detectionError(rule.ID, err)
	}
	return firstOf(r.JSON200, r.JSON201), nil
}

// GetRule returns the rule with the given ID (operation "rule#get"); an
// unknown ID is an error matching [ErrNotFound].
func GetRule(ctx context.Context, client *Client, id string) (*rest.RuleAPIRule, error) {
	if client == nil {
		return nil, errNilRESTClient
	}
	r, err := client.REST().RuleGetWithResponse(orBackground(ctx), id)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, unexpectedStatus("rule#get", r.StatusCode())
	}
	return r.JSON200, nil
}

// GetPolicy returns the policy with the given ID (operation "policy#get"),
// like [GetRule].
func GetPolicy(ctx context.Context, client *Client, id string) (*rest.PolicyAPIPolicy, error) {
	if client == nil {
		return nil, errNilRESTClient
	}
	r, err := client.REST().PolicyGetWithResponse(orBackground(ctx), id)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, unexpectedStatus("policy#get", r.StatusCode())
	}
	return r.JSON200, nil
}

// GetScheduledRule returns the scheduled rule with the given ID (operation
// "scheduled rule#get"), like [GetRule].
func GetScheduledRule(ctx context.Context, client *Client, id string) (*rest.ScheduledRuleAPIScheduledRule, error) {
	if client == nil {
		return nil, errNilRESTClient
	}
	r, err := client.REST().ScheduledRuleGetWithResponse(orBackground(ctx), id)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, unexpectedStatus("scheduled rule#get", r.StatusCode())
	}
	return r.JSON200, nil
}

// GetSimpleRule returns the simple rule with the given ID (operation
// "simple rule#get"), like [GetRule].
func GetSimpleRule(ctx context.Context, client *Client, id string) (*rest.SimpleRuleAPISimpleRule, error) {
	if client == nil {
		return nil, errNilRESTClient
	}
	r, err := client.REST().SimpleRuleGetWithResponse(orBackground(ctx), id, nil)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, unexpectedStatus("simple rule#get", r.StatusCode())
	}
	return r.JSON200, nil
}

// DetectionResult is the outcome of a bulk detection change for one id.
type DetectionResult struct {
	// ID is the detection's id, as given.
	ID string
	// Err is nil when the change was applied. Otherwise it is the error of
	// the request for this id (errors.Is(err, ErrNotFound) for an unknown
	// id), or matches [ErrInvalidArgument] for an empty id, which is not
	// sent.
	Err error
}

// DetectionBulkError is returned by the bulk detection helpers when the
// change failed for some ids. Its Unwrap returns the distinct errors, so
// errors.Is(err, ErrNotFound) and the like work on it.
type DetectionBulkError struct {
	// Failed are the results with a non-nil Err, in input order.
	Failed []DetectionResult
	// Total is the number of ids given.
	Total int
}

// Error counts the failures and shows the first.
func (e *DetectionBulkError) Error() string {
	first := e.Failed[0]
	if len(e.Failed) == 1 {
		return fmt.Sprintf("panther: 1 of %d detections failed: %s: %v", e.Total, first.ID, first.Err)
	}
	return fmt.Sprintf("panther: %d of %d detections failed; first %s: %v", len(e.Failed), e.Total, first.ID, first.Err)
}

// Unwrap returns the distinct errors of the failed results.
func (e *DetectionBulkError) Unwrap() []error {
	var errs []error
	for _, r := range e.Failed {
		if reflect.TypeOf(r.Err).Comparable() && slices.Contains(errs, r.Err) {
			continue
		}
		errs = append(errs, r.Err)
	}
	return errs
}

// DeleteRules deletes the rules with the given ids (operation
// "rule#delete", one request per id; a DELETE is retried like a query).
//
// It returns one result per given id, in order, and a
// [*DetectionBulkError] when any failed. A failure does not stop the
// others; a cancelled ctx fails the ids not yet sent. Duplicate ids are sent
// once and get the same result.
func DeleteRules(ctx context.Context, client *Client, ids []string) ([]DetectionResult, error) {
	return deleteDetections(ctx, client, "rule#delete", ids, func(ctx context.Context, rc *rest.ClientWithResponses, id string) error {
		_, err := rc.RuleDeleteWithResponse(ctx, id)
		return err
	})
}

// DeletePolicies deletes the policies with the given ids (operation
// "policy#delete"), like [DeleteRules].
func DeletePolicies(ctx context.Context, client *Client, ids []string) ([]DetectionResult, error) {
	return deleteDetections(ctx, client, "policy#delete", ids, func(ctx context.Context, rc *rest.ClientWithResponses, id string) error {
		_, err := rc.PolicyDeleteWithResponse(ctx, id)
		return err
	})
}

// DeleteScheduledRules deletes the scheduled rules with the given ids
// (operation "scheduled rule#delete"), like [DeleteRules].
func DeleteScheduledRules(ctx context.Context, client *Client, ids []string) ([]DetectionResult, error) {
	return deleteDetections(ctx, client, "scheduled rule#delete", ids, func(ctx context.Context, rc *rest.ClientWithResponses, id string) error {
		_, err := rc.ScheduledRuleDeleteWithResponse(ctx, id)
		return err
	})
}

// DeleteSimpleRules deletes the simple rules with the given ids (operation
// "simple rule#delete"), like [DeleteRules].
func DeleteSimpleRules(ctx context.Context, client *Client, ids []string) ([]DetectionResult, error) {
	return deleteDetections(ctx, client, "simple rule#delete", ids, func(ctx context.Context, rc *rest.ClientWithResponses, id string) error {
		_, err := rc.SimpleRuleDeleteWithResponse(ctx, id)
		return err
	})
}

func deleteDetections(ctx context.Context, client *Client, op string, ids []string, del func(context.Context, *rest.ClientWithResponses, string) error) ([]DetectionResult, error) {
	if client == nil {
		return nil, errNilRESTClient
	}
	if len(ids) == 0 {
		return nil, nil
	}
	ctx = orBackground(ctx)
	outcome := make(map[string]error, len(ids))
	results := make([]DetectionResult, len(ids))
	var failed []DetectionResult
	for i, id := range ids {
		err, done := outcome[id]
		if !done {
			switch {
			case strings.TrimSpace(id) == "":
				err = &Error{Operation: op, rest: true, Err: fmt.Errorf("%w: empty detection id", ErrInvalidArgument)}
			case ctx.Err() != nil:
				err = ctx.Err()
			default:
				err = del(ctx, client.REST(), id)
			}
			outcome[id] = err
		}
		results[i] = DetectionResult{ID: id, Err: err}
		if err != nil {
			failed = append(failed, results[i])
		}
	}
	if len(failed) > 0 {
		return results, &DetectionBulkError{Failed: failed, Total: len(ids)}
	}
	return results, nil
}
