package panthertest

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// resolver implements gqlengine.Resolver on top of the store.
type resolver struct {
	s *store
}

type rootFunc func(s *store, in args) (any, error)

// queries and mutations map every root field of the schema to its resolver.
// Each runs with the store locked; its result is a self-contained snapshot.
var (
	queries = map[string]rootFunc{
		"actorProfileInfo":              (*store).actorProfileInfo,
		"aiInferenceStream":             (*store).aiInferenceStream,
		"alert":                         (*store).alert,
		"alerts":                        (*store).alertsQuery,
		"cachedAISummaryData":           (*store).cachedAISummaryData,
		"cloudAccount":                  (*store).cloudAccount,
		"cloudAccounts":                 (*store).cloudAccountsQuery,
		"dataLakeDatabase":              (*store).dataLakeDatabase,
		"dataLakeDatabaseTable":         (*store).dataLakeDatabaseTable,
		"dataLakeDatabaseTables":        (*store).dataLakeDatabaseTables,
		"dataLakeDatabases":             (*store).dataLakeDatabases,
		"dataLakeQueries":               (*store).dataLakeQueries,
		"dataLakeQuery":                 (*store).dataLakeQuery,
		"detectionEntitiesUploadStatus": (*store).detectionEntitiesUploadStatus,
		"generalSettings":               (*store).generalSettings,
		"metrics":                       (*store).metrics,
		"roleById":                      (*store).roleByID,
		"roleByName":                    (*store).roleByNameQuery,
		"roles":                         (*store).rolesQuery,
		"schemas":                       (*store).schemasQuery,
		"source":                        (*store).source,
		"sources":                       (*store).sourcesQuery,
		"userByEmail":                   (*store).userByEmailQuery,
		"userById":                      (*store).userByID,
		"users":                         (*store).usersQuery,
	}
	mutations = map[string]rootFunc{
		"aiSummarizeAlert":             (*store).aiSummarizeAlert,
		"aiSummarizeLogEvents":         (*store).aiSummarizeLogEvents,
		"cancelDataLakeQuery":          (*store).cancelDataLakeQuery,
		"createAlertComment":           (*store).createAlertComment,
		"createCloudAccount":           (*store).createCloudAccount,
		"createOrUpdateSchema":         (*store).createOrUpdateSchema,
		"createRole":                   (*store).createRole,
		"createS3Source":               (*store).createS3Source,
		"deleteCloudAccount":           (*store).deleteCloudAccount,
		"deleteDetections":             (*store).deleteDetections,
		"deleteRole":                   (*store).deleteRole,
		"deleteSavedQueriesByName":     (*store).deleteSavedQueriesByName,
		"deleteSource":                 (*store).deleteSource,
		"deleteUser":                   (*store).deleteUser,
		"executeAlertActorQuery":       (*store).executeAlertActorQuery,
		"executeDataLakeQuery":         (*store).executeDataLakeQuery,
		"executeIndicatorSearchQuery":  (*store).executeIndicatorSearchQuery,
		"inviteUser":                   (*store).inviteUser,
		"rotateAPIToken":               (*store).rotateAPIToken,
		"updateAlertStatusById":        (*store).updateAlertStatusByID,
		"updateAlertsAssigneeByEmail":  (*store).updateAlertsAssigneeByEmail,
		"updateAlertsAssigneeById":     (*store).updateAlertsAssigneeByID,
		"updateCloudAccount":           (*store).updateCloudAccount,
		"updateRole":                   (*store).updateRole,
		"updateS3Source":               (*store).updateS3Source,
		"updateSchemaStatus":           (*store).updateSchemaStatus,
		"updateUser":                   (*store).updateUser,
		"uploadDetectionEntities":      (*store).uploadDetectionEntities,
		"uploadDetectionEntitiesAsync": (*store).uploadDetectionEntitiesAsync,
	}
)

// ResolveRoot implements gqlengine.Resolver.
func (r *resolver) ResolveRoot(ctx context.Context, opType, field string, a map[string]any) (any, error) {
	table := queries
	if opType == "mutation" {
		table = mutations
	}
	fn, ok := table[field]
	if !ok {
		// Unreachable for validated documents: every root field has an entry.
		return nil, apiError(CodeServerError, "%s field %q is not implemented", opType, field)
	}
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	out, err := fn(r.s, args(a))
	if err == nil && opType == "mutation" {
		r.s.countMutation(field)
	}
	return out, err
}

// Cursors are opaque to clients: base64 of "<list>:<offset>". The list name
// keeps a cursor from one list from being accepted by another.

func encodeCursor(list string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + ":" + strconv.Itoa(offset)))
}

func decodeCursor(list, cursor string, n int) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		rest, ok := strings.CutPrefix(string(raw), list+":")
		if ok {
			off, err := strconv.Atoi(rest)
			if err == nil && off >= 0 && off <= n {
				return off, nil
			}
		}
	}
	return 0, invalidInput("invalid cursor %q", cursor)
}

// page slices items for one page and builds its pageInfo.
func page[T any](list string, items []T, in args, pageSize int) ([]T, map[string]any, error) {
	off := 0
	if c, ok := in.optStr("cursor"); ok && c != "" {
		var err error
		if off, err = decodeCursor(list, c, len(items)); err != nil {
			return nil, nil, err
		}
	}
	end := min(off+pageSize, len(items))
	info := map[string]any{
		"hasNextPage":     end < len(items),
		"hasPreviousPage": off > 0,
		"startCursor":     nil,
		"endCursor":       nil,
	}
	if off > 0 {
		info["startCursor"] = encodeCursor(list, off)
	}
	if end < len(items) {
		info["endCursor"] = encodeCursor(list, end)
	}
	return items[off:end], info, nil
}

// pageSize reads and validates the pageSize argument.
func (s *store) pageSize(in args, def int) (int, error) {
	maxSize := s.choices.maxPageSize
	n, ok := in.optInt("pageSize")
	if !ok {
		return min(def, maxSize), nil
	}
	if n < 1 || n > maxSize {
		return 0, invalidInput("pageSize must be between 1 and %d, got %d", maxSize, n)
	}
	return n, nil
}

func edges[T any](items []T, node func(T) any) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, map[string]any{"node": node(it)})
	}
	return out
}

// timeOrNil maps the zero time to GraphQL null.
func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func strOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func strList(s []string) []any {
	out := make([]any, 0, len(s))
	for _, v := range s {
		out = append(out, v)
	}
	return out
}

// actorDepth bounds how deep actor references (a role's updatedBy, a token's
// createdBy) are expanded. The graph is cyclic; three levels answer every
// realistic selection.
const actorDepth = 3

// actor returns the Actor union value for a user or API token ID.
func (s *store) actor(id string, depth int) any {
	if id == "" || depth <= 0 {
		return nil
	}
	if s.token != nil && id == s.token.ID {
		return s.tokenMap(depth, false)
	}
	if u, ok := s.users[id]; ok {
		m := s.userMap(u, depth)
		m["__typename"] = "User"
		return m
	}
	return nil
}

func (s *store) tokenMap(depth int, withValue bool) map[string]any {
	t := s.token
	m := map[string]any{
		"__typename":        "APIToken",
		"id":                t.ID,
		"name":              t.Name,
		"permissions":       strList(t.Permissions),
		"allowedCIDRBlocks": strList(t.CIDRs),
		"createdAt":         t.CreatedAt,
		"createdBy":         s.userOrGhost(t.CreatedBy, depth-1),
		"expiresAt":         nil,
		"lastUsedAt":        timeOrNil(t.LastUsedAt),
		"rotatedAt":         timeOrNil(t.RotatedAt),
		"rotatedBy":         nil,
		"updatedAt":         timeOrNil(t.UpdatedAt),
		"updatedBy":         nil,
		"value":             nil,
	}
	if !t.RotatedAt.IsZero() && depth > 1 {
		m["rotatedBy"] = s.tokenMap(depth-1, false)
	}
	if withValue {
		m["value"] = t.value
	}
	return m
}

func (s *store) userMap(u *User, depth int) map[string]any {
	return map[string]any{
		"__typename":     "User",
		"id":             u.ID,
		"email":          u.Email,
		"givenName":      strOrNil(u.GivenName),
		"familyName":     strOrNil(u.FamilyName),
		"enabled":        u.Enabled,
		"status":         u.Status,
		"createdAt":      u.CreatedAt,
		"lastLoggedInAt": timeOrNil(u.LastLoggedIn),
		"role":           s.roleOrGhost(u.RoleID, depth-1),
	}
}

// userOrGhost returns the user, or a placeholder for a deleted one, for
// non-null User fields such as APIToken.createdBy.
func (s *store) userOrGhost(id string, depth int) map[string]any {
	if u, ok := s.users[id]; ok {
		return s.userMap(u, depth)
	}
	return s.userMap(&User{ID: id, Email: "deleted-user@example.com", Status: "DELETED"}, depth)
}

func (s *store) roleOrGhost(id string, depth int) map[string]any {
	if r, ok := s.roles[id]; ok {
		return s.roleMap(r, depth)
	}
	return s.roleMap(&Role{ID: id, Name: "Deleted role", LogTypeAccessKind: "DENY_ALL"}, depth)
}

func (s *store) roleMap(r *Role, depth int) map[string]any {
	m := map[string]any{
		"id":                r.ID,
		"name":              r.Name,
		"permissions":       strList(r.Permissions),
		"logTypeAccessKind": r.LogTypeAccessKind,
		"logTypeAccess":     nil,
		"createdAt":         r.CreatedAt,
		"updatedAt":         r.UpdatedAt,
		"updatedBy":         nil,
	}
	if r.LogTypeAccess != nil {
		m["logTypeAccess"] = strList(r.LogTypeAccess)
	}
	if !r.UpdatedAt.Equal(r.CreatedAt) {
		m["updatedBy"] = s.actor(s.token.ID, depth)
	}
	return m
}

// validWindow reports whether a time window from start to end is acceptable:
// start before end, or equal to it with WithEmptyWindows.
func (s *store) validWindow(start, end time.Time) bool {
	return start.Before(end) || s.choices.emptyWindows && start.Equal(end)
}

// lookupNotFound is the answer of a lookup with a nullable result for an
// unknown ID: null, with a NOT_FOUND error unless WithNullableLookupErrors
// turned them off.
func (s *store) lookupNotFound(format string, args ...any) (any, error) {
	if !s.choices.nullableLookupErrors {
		return nil, nil
	}
	return nil, notFound(format, args...)
}
