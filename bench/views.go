package bench

import (
	"encoding/json"
	"time"

	"github.com/panthersdk/panther-go/generated"
)

// alertView is an alert in a form common to all contenders, for checking
// that they decode the same data. Unions are flattened; a null name is "".
type alertView struct {
	ID, Title, Severity, Status, Type  string
	Description, Reference, Runbook    string
	CreatedAt, LastReceivedEventAt     time.Time
	UpdatedAt, FirstEventOccurredAt    *time.Time
	Assignee                           *actorView
	OriginTypename, OriginID           string
	OriginName, OriginDetectionType    string
	OriginRelatedComponent, OriginType string
	UpdatedBy                          *actorView
}

type actorView struct {
	Typename, ID, Email, GivenName, FamilyName, Name string
}

// viewWire is the ground truth: the alert the server encoded.
func viewWire(a *wireAlert) alertView {
	v := alertView{
		ID: a.ID, Title: a.Title, Severity: a.Severity, Status: a.Status, Type: a.Type,
		Description: a.Description, Reference: a.Reference, Runbook: a.Runbook,
		CreatedAt:              mustTime(a.CreatedAt),
		LastReceivedEventAt:    mustTime(a.LastReceivedEventAt),
		OriginTypename:         a.Origin.Typename,
		OriginID:               a.Origin.ID,
		OriginName:             a.Origin.Name,
		OriginDetectionType:    a.Origin.DetectionType,
		OriginRelatedComponent: a.Origin.RelatedComponent,
		OriginType:             a.Origin.ErrorType,
	}
	if a.UpdatedAt != nil {
		v.UpdatedAt = ptr(mustTime(*a.UpdatedAt))
	}
	if a.FirstEventOccurredAt != nil {
		v.FirstEventOccurredAt = ptr(mustTime(*a.FirstEventOccurredAt))
	}
	if u := a.Assignee; u != nil {
		v.Assignee = &actorView{Typename: "User", ID: u.ID, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName)}
	}
	if u := a.UpdatedBy; u != nil {
		v.UpdatedBy = &actorView{Typename: u.Typename, ID: u.ID, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName), Name: u.Name}
	}
	return v
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func viewGenerated(a *generated.AlertSummary) alertView {
	v := alertView{
		ID: a.Id, Title: a.Title, Severity: string(a.Severity), Status: string(a.Status), Type: string(a.Type),
		Description: a.Description, Reference: a.Reference, Runbook: a.Runbook,
		CreatedAt: a.CreatedAt, LastReceivedEventAt: a.LastReceivedEventAt,
		UpdatedAt: a.UpdatedAt, FirstEventOccurredAt: a.FirstEventOccurredAt,
	}
	if u := a.Assignee; u != nil {
		v.Assignee = &actorView{Typename: "User", ID: u.Id, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName)}
	}
	switch o := a.Origin.(type) {
	case *generated.AlertSummaryOriginDetection:
		v.OriginTypename, v.OriginID, v.OriginName, v.OriginDetectionType = deref(o.Typename), o.Id, o.Name, string(o.DetectionType)
	case *generated.AlertSummaryOriginDeletedDetection:
		v.OriginTypename, v.OriginID = deref(o.Typename), o.Id
	case *generated.AlertSummaryOriginSystemError:
		v.OriginTypename, v.OriginRelatedComponent, v.OriginType = deref(o.Typename), string(o.RelatedComponent), string(o.ErrorType)
	}
	v.UpdatedBy = viewActorRef(a.UpdatedBy)
	return v
}

func viewActorRef(a generated.ActorRef) *actorView {
	switch u := a.(type) {
	case *generated.ActorRefUser:
		return &actorView{Typename: deref(u.Typename), ID: u.Id, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName)}
	case *generated.ActorRefAPIToken:
		return &actorView{Typename: deref(u.Typename), ID: u.Id, Name: u.Name}
	}
	return nil
}

func viewRawActor(u *rawActor) *actorView {
	if u == nil {
		return nil
	}
	return &actorView{Typename: u.Typename, ID: u.ID, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName), Name: u.Name}
}

func viewShurActor(u *shurActor) *actorView {
	if u == nil {
		return nil
	}
	v := &actorView{Typename: u.Typename}
	switch u.Typename {
	case "User":
		v.ID, v.Email = u.User.ID, u.User.Email
		v.GivenName, v.FamilyName = deref(u.User.GivenName), deref(u.User.FamilyName)
	case "APIToken":
		v.ID, v.Name = u.APIToken.ID, u.APIToken.Name
	}
	return v
}

func viewRaw(a *rawAlert) alertView {
	v := alertView{
		ID: a.ID, Title: a.Title, Severity: a.Severity, Status: a.Status, Type: a.Type,
		Description: a.Description, Reference: a.Reference, Runbook: a.Runbook,
		CreatedAt: a.CreatedAt, LastReceivedEventAt: a.LastReceivedEventAt,
		UpdatedAt: a.UpdatedAt, FirstEventOccurredAt: a.FirstEventOccurredAt,
		OriginTypename:         a.Origin.Typename,
		OriginID:               a.Origin.ID,
		OriginName:             a.Origin.Name,
		OriginDetectionType:    a.Origin.DetectionType,
		OriginRelatedComponent: a.Origin.RelatedComponent,
		OriginType:             a.Origin.ErrorType,
	}
	if u := a.Assignee; u != nil {
		v.Assignee = &actorView{Typename: "User", ID: u.ID, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName)}
	}
	v.UpdatedBy = viewRawActor(a.UpdatedBy)
	return v
}

func viewShurcooL(a *shurAlert) alertView {
	v := alertView{
		ID: a.ID, Title: a.Title, Severity: a.Severity, Status: a.Status, Type: a.Type,
		Description: a.Description, Reference: a.Reference, Runbook: a.Runbook,
		CreatedAt: a.CreatedAt, LastReceivedEventAt: a.LastReceivedEventAt,
		UpdatedAt: a.UpdatedAt, FirstEventOccurredAt: a.FirstEventOccurredAt,
		OriginTypename: a.Origin.Typename,
	}
	switch o := &a.Origin; o.Typename {
	case "Detection":
		v.OriginID, v.OriginName, v.OriginDetectionType = o.Detection.ID, o.Detection.Name, o.Detection.DetectionType
	case "DeletedDetection":
		v.OriginID = o.DeletedDetection.ID
	case "SystemError":
		v.OriginRelatedComponent, v.OriginType = o.SystemError.RelatedComponent, o.SystemError.ErrorType
	}
	if u := a.Assignee; u != nil {
		v.Assignee = &actorView{Typename: "User", ID: u.ID, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName)}
	}
	v.UpdatedBy = viewShurActor(a.UpdatedBy)
	return v
}

// appendRow decodes a result row into a map and appends it to out.
func appendRow(out *[]map[string]any, row []byte) error {
	var m map[string]any
	if err := json.Unmarshal(row, &m); err != nil {
		return err
	}
	*out = append(*out, m)
	return nil
}
