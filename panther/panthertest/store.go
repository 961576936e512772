package panthertest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// store is the server's in-memory Panther. Every field is guarded by mu; the
// resolvers take mu for the duration of one root field and build the whole
// response value under it, so the engine never sees shared mutable state.
type store struct {
	mu sync.Mutex

	now  func() time.Time
	rng  *rand.Rand
	seed int64

	queryPolls int
	resultRows int
	version    string
	choices    choices

	alerts        map[string]*Alert
	alertOrder    []*Alert // alerts sorted by creation time; see sortedAlerts
	users         map[string]*User
	roles         map[string]*Role
	detections    map[string]*detection
	savedQueries  map[string]*savedQuery // by name
	sources       map[string]*logSource
	cloudAccounts map[string]*cloudAccount
	schemas       map[string]*logSchema // by name
	databases     []*database
	queries       map[string]*DataLakeQuery
	queryExtra    map[string]*queryExtra
	results       map[string]*results // built lazily, see queryMap
	profiles      map[string]*actorProfile
	streams       map[string]*aiStream
	uploads       map[string]*upload
	token         *apiToken   // the token Server.Token returns
	otherTokens   []*apiToken // created through POST /api-tokens, oldest first
	rest          *restStore
	failSQL       []failRule

	mutations map[string]int
}

type failRule struct {
	substr, message string
}

type detection struct {
	ID          string
	Name        string
	Type        string // RULE, POLICY, SCHEDULED_RULE, ...
	Description string
	Severity    string
	LogTypes    []string
	Resource    string // resource type for policies
	SavedQuery  string // name of the saved query a scheduled rule runs
	Runbook     string
	Reference   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedBy   string // user ID

	// REST-only state: the fields of the last REST write other than those
	// above, whether it is a simple (YAML) rule, and who last wrote it.
	doc       map[string]any
	simple    bool
	updatedBy string
}

type savedQuery struct {
	Name string
	SQL  string
}

type logSource struct {
	ID                         string
	Label                      string
	AWSAccountID               string
	S3Bucket                   string
	S3Prefix                   string
	KMSKey                     *string
	LogProcessingRole          string
	LogStreamType              string
	JSONArrayEnvelopeField     *string
	ManagedBucketNotifications bool
	PrefixLogTypes             []prefixLogTypes
	CreatedAt                  time.Time
	LastModified               time.Time
	LastEventReceived          time.Time
	Healthy                    bool
	CreatedBy                  string // user ID or token ID
}

type prefixLogTypes struct {
	Prefix   string
	LogTypes []string
	Excluded []string
}

func (s *logSource) logTypes() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range s.PrefixLogTypes {
		for _, lt := range p.LogTypes {
			if !seen[lt] {
				seen[lt] = true
				out = append(out, lt)
			}
		}
	}
	sort.Strings(out)
	return out
}

type cloudAccount struct {
	ID                  string
	AWSAccountID        string
	Label               string
	AuditRole           string
	RegionIgnoreList    []string
	ResourceRegexIgnore []string
	ResourceTypeIgnore  []string
	CreatedAt           time.Time
	LastModified        time.Time
	CreatedBy           string
}

type logSchema struct {
	Name                 string
	Description          *string
	ReferenceURL         *string
	Spec                 string
	DiscoveredSpec       string
	IsArchived           bool
	IsManaged            bool
	IsFieldDiscovery     bool
	Revision             int
	Version              int
	CreatedAt, UpdatedAt time.Time
}

type database struct {
	Name        string
	Description string
	Tables      []*table
}

type table struct {
	Name        string
	LogType     string
	Description string
	Columns     []column
}

type column struct {
	Name, Type, Description string
}

type apiToken struct {
	ID          string
	Name        string
	value       string
	Permissions []string
	CIDRs       []string
	CreatedAt   time.Time
	CreatedBy   string // user ID
	RotatedAt   time.Time
	LastUsedAt  time.Time
	UpdatedAt   time.Time
}

type actorProfile struct {
	EntityID      string
	DisplayNames  []string
	Emails        []string
	Usernames     []string
	Departments   []string
	JobTitles     []string
	Managers      []string
	Organizations []string
	Phones        []string
	Employment    []string
	City, Country string
	FirstObserved time.Time
	LastLogin     time.Time
}

type aiStream struct {
	ID       string
	Key      string // cache key of the request that started it
	Chunks   []string
	Served   int
	ErrorMsg string
}

type upload struct {
	ReceiptID string
	Mode      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Polls     int
	Result    map[string]any
	Err       string
}

func newStore(cfg *config) *store {
	s := &store{
		now:           cfg.now,
		rng:           rand.New(rand.NewPCG(uint64(cfg.seed), 0x9e3779b97f4a7c15)),
		seed:          cfg.seed,
		queryPolls:    cfg.queryPolls,
		resultRows:    cfg.resultRows,
		version:       cfg.version,
		choices:       cfg.choices,
		alerts:        map[string]*Alert{},
		users:         map[string]*User{},
		roles:         map[string]*Role{},
		detections:    map[string]*detection{},
		savedQueries:  map[string]*savedQuery{},
		sources:       map[string]*logSource{},
		cloudAccounts: map[string]*cloudAccount{},
		schemas:       map[string]*logSchema{},
		queries:       map[string]*DataLakeQuery{},
		queryExtra:    map[string]*queryExtra{},
		results:       map[string]*results{},
		profiles:      map[string]*actorProfile{},
		streams:       map[string]*aiStream{},
		uploads:       map[string]*upload{},
		mutations:     map[string]int{},
	}
	seedStore(s, cfg)
	s.rest = newRESTStore(s)
	return s
}

// clock returns the current time truncated to milliseconds, the precision of
// Panther's DateTime scalar, so values round-trip exactly.
func (s *store) clock() time.Time {
	return s.now().UTC().Truncate(time.Millisecond)
}

// uuid returns a random-looking but seed-deterministic version 4 UUID.
func (s *store) uuid() string {
	hi, lo := s.rng.Uint64(), s.rng.Uint64()
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// hexID returns a 32-character hex ID, the shape of Panther alert IDs.
func (s *store) hexID() string {
	return fmt.Sprintf("%016x%016x", s.rng.Uint64(), s.rng.Uint64())
}

func (s *store) userByEmail(email string) *User {
	for _, u := range s.users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

func (s *store) roleByName(name string) *Role {
	for _, r := range s.roles {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// sortedAlerts returns the alerts ordered by creation time, then ID, so that
// offset cursors stay stable between pages.
func (s *store) sortedAlerts(desc bool) []*Alert {
	// Alerts are only ever added or replaced (which resets alertOrder),
	// and their creation time and ID never change, so the order is
	// computed once per change, not once per page.
	if s.alertOrder == nil || len(s.alertOrder) != len(s.alerts) {
		s.alertOrder = make([]*Alert, 0, len(s.alerts))
		for _, a := range s.alerts {
			s.alertOrder = append(s.alertOrder, a)
		}
		sort.Slice(s.alertOrder, func(i, j int) bool {
			a, b := s.alertOrder[i], s.alertOrder[j]
			if !a.CreatedAt.Equal(b.CreatedAt) {
				return a.CreatedAt.Before(b.CreatedAt)
			}
			return a.ID < b.ID
		})
	}
	out := slices.Clone(s.alertOrder)
	if desc {
		slices.Reverse(out)
	}
	return out
}

func (s *store) countMutation(field string) {
	s.mutations[field]++
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only called with maps of plain values
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// allTokens returns every API token the server accepts, the primary first.
func (s *store) allTokens() []*apiToken {
	return append([]*apiToken{s.token}, s.otherTokens...)
}
