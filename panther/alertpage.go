package panther

import (
	"context"
	"errors"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther/scalar"
)

// Alert listings are the largest responses most programs read, and
// generated.AlertSummary decodes slowly: its UnmarshalJSON decodes every
// alert twice, and the origin and updatedBy unions and each DateTime field
// once more, each with a json.Unmarshal of its own (three to four times the
// time and allocations of plain structs). fetchAlertPage sends the same
// ListAlerts document with the same variables but decodes the page into
// leanAlertPage, whose only custom decoding is the DateTime scalar, and then
// builds the generated values.
//
// leanAlert reuses generated.AlertSummary for every field encoding/json can
// decode by itself; only the fields AlertSummary decodes by hand (its
// `json:"-"` fields) are declared again here. TestLeanAlertPageMatchesGenerated
// fails if AlertSummary gains a field this file does not fill.

// leanAlertPage is generated.ListAlertsResponse with leanAlert nodes.
type leanAlertPage struct {
	Alerts struct {
		Edges []struct {
			Node leanAlert `json:"node"`
		} `json:"edges"`
		PageInfo generated.ListAlertsAlertsAlertsOutputPageInfo `json:"pageInfo"`
	} `json:"alerts"`
}

// leanAlert decodes an AlertSummary. The embedded AlertSummary takes every
// field with a JSON name; graphql.NoUnmarshalJSON hides AlertSummary's own
// UnmarshalJSON (two promoted methods of the same name cancel out), so that
// encoding/json decodes leanAlert field by field.
type leanAlert struct {
	generated.AlertSummary
	CreatedAt            leanTime    `json:"createdAt"`
	UpdatedAt            *leanTime   `json:"updatedAt"`
	FirstEventOccurredAt *leanTime   `json:"firstEventOccurredAt"`
	LastReceivedEventAt  leanTime    `json:"lastReceivedEventAt"`
	Origin               *leanOrigin `json:"origin"`
	UpdatedBy            *leanActor  `json:"updatedBy"`
	graphql.NoUnmarshalJSON
}

// leanTime is a DateTime decoded by scalar.UnmarshalDateTime, as the
// generated code does. Its underlying type is time.Time, so that a
// *leanTime converts to a *time.Time without a copy.
type leanTime time.Time

func (t *leanTime) UnmarshalJSON(b []byte) error {
	return scalar.UnmarshalDateTime(b, (*time.Time)(t))
}

// leanOrigin holds the fields of every member of the AlertOrigin union
// that AlertSummary selects.
type leanOrigin struct {
	Typename         string                     `json:"__typename"`
	Id               string                     `json:"id"`
	Name             string                     `json:"name"`
	DetectionType    generated.DetectionType    `json:"detectionType"`
	RelatedComponent generated.RelatedComponent `json:"relatedComponent"`
	ErrorType        generated.SystemErrorType  `json:"errorType"`
}

// leanActor holds the fields of every member of the Actor interface that
// the ActorRef fragment selects.
type leanActor struct {
	Typename   string  `json:"__typename"`
	Id         string  `json:"id"`
	Email      string  `json:"email"`
	GivenName  *string `json:"givenName"`
	FamilyName *string `json:"familyName"`
	Name       string  `json:"name"`
}

// errUnknownMember reports a union member the lean types do not know (a
// newer Panther, or a missing __typename); the generated types then decide.
var errUnknownMember = errors.New("unknown union member")

// summary returns the generated.AlertSummary the generated code would have
// decoded from the same JSON.
func (a *leanAlert) summary() (generated.AlertSummary, error) {
	s := a.AlertSummary
	s.CreatedAt = time.Time(a.CreatedAt)
	s.UpdatedAt = (*time.Time)(a.UpdatedAt)
	s.FirstEventOccurredAt = (*time.Time)(a.FirstEventOccurredAt)
	s.LastReceivedEventAt = time.Time(a.LastReceivedEventAt)
	if o := a.Origin; o != nil {
		// Typename points into the leanOrigin, which lives on with it:
		// one allocation fewer per alert than a copy of the string.
		switch o.Typename {
		case "Detection":
			s.Origin = &generated.AlertSummaryOriginDetection{Typename: &o.Typename, Id: o.Id, Name: o.Name, DetectionType: o.DetectionType}
		case "DeletedDetection":
			s.Origin = &generated.AlertSummaryOriginDeletedDetection{Typename: &o.Typename, Id: o.Id}
		case "SystemError":
			s.Origin = &generated.AlertSummaryOriginSystemError{Typename: &o.Typename, RelatedComponent: o.RelatedComponent, ErrorType: o.ErrorType}
		default:
			return s, errUnknownMember
		}
	}
	if u := a.UpdatedBy; u != nil {
		switch u.Typename {
		case "User":
			s.UpdatedBy = &generated.ActorRefUser{Typename: &u.Typename, Id: u.Id, Email: u.Email, GivenName: u.GivenName, FamilyName: u.FamilyName}
		case "APIToken":
			s.UpdatedBy = &generated.ActorRefAPIToken{Typename: &u.Typename, Id: u.Id, Name: u.Name}
		default:
			return s, errUnknownMember
		}
	}
	return s, nil
}

// listAlertsVars are the variables of ListAlerts, as generated.ListAlerts
// sends them. It is sent as a pointer, so that AlertsInput's MarshalJSON
// (a pointer method) applies.
type listAlertsVars struct {
	Input generated.AlertsInput `json:"input"`
}

// fetchAlertPage runs ListAlerts with input and returns the page's alerts,
// as generated.ListAlerts would. Whenever the lean decoding cannot give
// exactly what the generated types would (data that does not fit, an
// unknown union member) it asks again through generated.ListAlerts, so that
// the caller sees the generated types' result or error. Only a *Client
// tells a response that did not decode from other failures, so any other
// graphql.Client goes through generated.ListAlerts directly.
func fetchAlertPage(ctx context.Context, client graphql.Client, input generated.AlertsInput) ([]generated.AlertSummary, generated.ListAlertsAlertsAlertsOutputPageInfo, error) {
	if _, ok := client.(*Client); !ok {
		return fetchAlertPageGenerated(ctx, client, input)
	}
	var page leanAlertPage
	err := client.MakeRequest(ctx, &graphql.Request{
		OpName:    "ListAlerts",
		Query:     generated.ListAlerts_Operation,
		Variables: &listAlertsVars{Input: input},
	}, &graphql.Response{Data: &page})
	if err == nil {
		items := make([]generated.AlertSummary, len(page.Alerts.Edges))
		for i := range page.Alerts.Edges {
			if items[i], err = page.Alerts.Edges[i].Node.summary(); err != nil {
				break
			}
		}
		if err == nil {
			return items, page.Alerts.PageInfo, nil
		}
	} else if e := (*Error)(nil); !errors.As(err, &e) || !e.badData {
		// Not about decoding: the generated types would have failed
		// the same way.
		return nil, generated.ListAlertsAlertsAlertsOutputPageInfo{}, err
	}
	return fetchAlertPageGenerated(ctx, client, input)
}

// fetchAlertPageGenerated is fetchAlertPage through generated.ListAlerts.
func fetchAlertPageGenerated(ctx context.Context, client graphql.Client, input generated.AlertsInput) ([]generated.AlertSummary, generated.ListAlertsAlertsAlertsOutputPageInfo, error) {
	resp, err := generated.ListAlerts(ctx, client, input)
	if err != nil {
		return nil, generated.ListAlertsAlertsAlertsOutputPageInfo{}, err
	}
	items := make([]generated.AlertSummary, len(resp.Alerts.Edges))
	for i, e := range resp.Alerts.Edges {
		items[i] = e.Node
	}
	return items, resp.Alerts.PageInfo, nil
}
