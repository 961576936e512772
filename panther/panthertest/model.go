package panthertest

import (
	"encoding/json"
	"math/rand/v2"
	"time"
)

// Alert is the server-side state of one Panther alert. Values of this type
// are copies: changing one does not change the server until it is passed to
// [Server.AddAlerts].
type Alert struct {
	ID          string
	Title       string
	Description string
	Reference   string
	Runbook     string
	// Severity is one of CRITICAL, HIGH, MEDIUM, LOW, INFO.
	Severity string
	// Status is one of OPEN, TRIAGED, RESOLVED, CLOSED.
	Status string
	// Type is one of RULE, POLICY, SCHEDULED_RULE, RULE_ERROR,
	// SCHEDULED_RULE_ERROR, SYSTEM_ERROR.
	Type string
	// DetectionID names the detection that generated the alert. While a
	// detection with this ID exists the alert's origin is that Detection;
	// once it is deleted the origin becomes a DeletedDetection. Ignored for
	// SYSTEM_ERROR alerts.
	DetectionID string
	// SystemErrorType and RelatedComponent describe the origin of a
	// SYSTEM_ERROR alert.
	SystemErrorType  string
	RelatedComponent string
	// AssigneeID is the ID of the assigned user, or "" when unassigned.
	AssigneeID string
	LogTypes   []string
	// LogSources are IDs of log sources, as filtered by AlertsInput.logSources.
	LogSources    []string
	ResourceTypes []string
	CreatedAt     time.Time
	// UpdatedAt is zero until the alert is first changed.
	UpdatedAt           time.Time
	FirstEventAt        time.Time
	LastReceivedEventAt time.Time
	// Events are the JSON log events that matched, served by Alert.events.
	Events     []json.RawMessage
	Deliveries []AlertDelivery
	Comments   []Comment
	// UpdatedByTokenID is the ID of the API token that last changed the
	// alert through the API, or "".
	UpdatedByTokenID string

	// lazy holds the recipe for seeded events until they are first read:
	// generating them is most of the cost of seeding a server.
	lazy *lazyEvents
}

type lazyEvents struct {
	seed    uint64
	logType string
	times   []time.Time
}

// eventCount returns the number of events without generating them.
func (a *Alert) eventCount() int {
	if a.lazy != nil {
		return len(a.lazy.times)
	}
	return len(a.Events)
}

// materialize generates seeded events on first use.
func (a *Alert) materialize() {
	if a.lazy == nil {
		return
	}
	r := rand.New(rand.NewPCG(a.lazy.seed, 0x6576656e7473))
	for _, t := range a.lazy.times {
		a.Events = append(a.Events, randomEvent(r, a.lazy.logType, t))
	}
	a.lazy = nil
}

// AlertDelivery is one attempt to deliver an alert to a destination.
type AlertDelivery struct {
	OutputID     string
	Label        string
	URL          string
	Message      string
	StatusCode   int
	Success      bool
	DispatchedAt time.Time
}

// Comment is a comment posted on an alert.
type Comment struct {
	ID        string
	Body      string
	Format    string // HTML or PLAIN_TEXT
	CreatedAt time.Time
}

// User is a Panther user account.
type User struct {
	ID         string
	Email      string
	GivenName  *string
	FamilyName *string
	RoleID     string
	Enabled    bool
	// Status is the authentication status, e.g. CONFIRMED or
	// FORCE_CHANGE_PASSWORD for an invited user who never logged in.
	Status       string
	CreatedAt    time.Time
	LastLoggedIn time.Time // zero if never
}

// Role is a Panther user role.
type Role struct {
	ID          string
	Name        string
	Permissions []string
	// LogTypeAccessKind is one of ALLOW, ALLOW_ALL, DENY, DENY_ALL.
	LogTypeAccessKind string
	// LogTypeAccess lists the log types for ALLOW and DENY; nil otherwise.
	LogTypeAccess []string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// DataLakeQuery is the server-side state of a data lake, indicator search or
// alert actor query.
type DataLakeQuery struct {
	ID          string
	Name        string // "" for ad-hoc queries
	SQL         string
	Database    string
	IsScheduled bool
	// Status is one of running, succeeded, failed, cancelled.
	Status      string
	Message     string
	StartedAt   time.Time
	CompletedAt time.Time // zero while running
	// IssuedBy is the ID of the user or API token that issued the query.
	IssuedBy string
	// PollsLeft is how many more reads of the query report it running.
	PollsLeft int
	// Rows is the number of result rows once succeeded.
	Rows int
}

// clone helpers give the public accessors deep copies, so callers cannot
// mutate server state through slices.

func (a Alert) clone() Alert {
	a.materialize()
	a.LogTypes = cloneSlice(a.LogTypes)
	a.LogSources = cloneSlice(a.LogSources)
	a.ResourceTypes = cloneSlice(a.ResourceTypes)
	a.Events = cloneSlice(a.Events)
	a.Deliveries = cloneSlice(a.Deliveries)
	a.Comments = cloneSlice(a.Comments)
	return a
}

func (u User) clone() User {
	if u.GivenName != nil {
		v := *u.GivenName
		u.GivenName = &v
	}
	if u.FamilyName != nil {
		v := *u.FamilyName
		u.FamilyName = &v
	}
	return u
}

func (r Role) clone() Role {
	r.Permissions = cloneSlice(r.Permissions)
	r.LogTypeAccess = cloneSlice(r.LogTypeAccess)
	return r
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}
