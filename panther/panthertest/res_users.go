package panthertest

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// emailPattern is the pattern the schema documents for the Email scalar.
var emailPattern = regexp.MustCompile(`^.+@[^"\\-].+$`)

func validEmail(e string) error {
	if len(e) < 3 || len(e) > 254 || !emailPattern.MatchString(e) {
		return invalidInput("%q is not a valid email address", e)
	}
	local, _, _ := strings.Cut(e, "@")
	if len(local) > 64 {
		return invalidInput("%q is not a valid email address: more than 64 characters before @", e)
	}
	return nil
}

func (s *store) userByID(in args) (any, error) {
	id := in.str("id")
	u, ok := s.users[id]
	if !ok {
		return nil, notFound("user %s not found", id)
	}
	return s.userMap(u, actorDepth), nil
}

func (s *store) userByEmailQuery(in args) (any, error) {
	email := in.str("email")
	u := s.userByEmail(email)
	if u == nil {
		return nil, notFound("user with email %s not found", email)
	}
	return s.userMap(u, actorDepth), nil
}

func (s *store) sortedUsers() []*User {
	out := make([]*User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out
}

func (s *store) usersQuery(args) (any, error) {
	var out []any
	for _, u := range s.sortedUsers() {
		out = append(out, s.userMap(u, actorDepth))
	}
	return out, nil
}

// roleFromInput resolves a UserRoleInput.
func (s *store) roleFromInput(in args) (*Role, error) {
	v := in.str("value")
	if in.str("kind") == "ID" {
		if r, ok := s.roles[v]; ok {
			return r, nil
		}
		return nil, notFound("role %s not found", v)
	}
	if r := s.roleByName(v); r != nil {
		return r, nil
	}
	return nil, notFound("role named %q not found", v)
}

func (s *store) inviteUser(in args) (any, error) {
	in = in.input("input")
	email := strings.TrimSpace(in.str("email"))
	if err := validEmail(email); err != nil {
		return nil, err
	}
	if s.userByEmail(email) != nil {
		return nil, alreadyExists("a user with email %s already exists", email)
	}
	given, family := strings.TrimSpace(in.str("givenName")), strings.TrimSpace(in.str("familyName"))
	if given == "" || family == "" {
		return nil, invalidInput("givenName and familyName must not be empty")
	}
	role, err := s.roleFromInput(in.input("role"))
	if err != nil {
		return nil, err
	}
	u := &User{
		ID: s.uuid(), Email: email, GivenName: ptr(given), FamilyName: ptr(family), RoleID: role.ID,
		Enabled: true, Status: "FORCE_CHANGE_PASSWORD", CreatedAt: s.clock(),
	}
	s.users[u.ID] = u
	return map[string]any{"user": s.userMap(u, actorDepth)}, nil
}

func (s *store) updateUser(in args) (any, error) {
	in = in.input("input")
	id := in.str("id")
	u, ok := s.users[id]
	if !ok {
		return nil, notFound("user %s not found", id)
	}
	// Validate everything before changing anything.
	next := u.clone()
	if in.has("email") {
		email, ok := in.optStr("email")
		if !ok {
			return nil, invalidInput("email cannot be null: a user must have an email address")
		}
		if err := validEmail(email); err != nil {
			return nil, err
		}
		if other := s.userByEmail(email); other != nil && other.ID != u.ID {
			return nil, alreadyExists("a user with email %s already exists", email)
		}
		next.Email = email
	}
	if in.has("givenName") {
		next.GivenName = nil
		if v, ok := in.optStr("givenName"); ok {
			next.GivenName = &v
		}
	}
	if in.has("familyName") {
		next.FamilyName = nil
		if v, ok := in.optStr("familyName"); ok {
			next.FamilyName = &v
		}
	}
	if in.has("role") {
		if in.isNull("role") {
			return nil, invalidInput("role cannot be null: a user must have a role")
		}
		r, err := s.roleFromInput(in.input("role"))
		if err != nil {
			return nil, err
		}
		next.RoleID = r.ID
	}
	*u = next
	return map[string]any{"user": s.userMap(u, actorDepth)}, nil
}

func (s *store) deleteUser(in args) (any, error) {
	id := in.input("input").str("id")
	if _, ok := s.users[id]; !ok {
		return nil, notFound("user %s not found", id)
	}
	delete(s.users, id)
	for _, a := range s.alerts {
		if a.AssigneeID == id {
			a.AssigneeID = ""
		}
	}
	return map[string]any{"id": id}, nil
}

func (s *store) roleByID(in args) (any, error) {
	id := in.str("id")
	r, ok := s.roles[id]
	if !ok {
		return nil, notFound("role %s not found", id)
	}
	return s.roleMap(r, actorDepth), nil
}

func (s *store) roleByNameQuery(in args) (any, error) {
	name := in.str("name")
	r := s.roleByName(name)
	if r == nil {
		return nil, notFound("role named %q not found", name)
	}
	return s.roleMap(r, actorDepth), nil
}

func (s *store) rolesQuery(in args) (any, error) {
	in = in.input("input")
	contains := strings.ToLower(in.str("nameContains"))
	var list []*Role
	for _, r := range s.roles {
		if contains == "" || strings.Contains(strings.ToLower(r.Name), contains) {
			list = append(list, r)
		}
	}
	desc := in.str("sortDir") == "descending"
	sort.Slice(list, func(i, j int) bool {
		a, b := strings.ToLower(list[i].Name), strings.ToLower(list[j].Name)
		if desc {
			return a > b
		}
		return a < b
	})
	out := make([]any, 0, len(list))
	for _, r := range list {
		out = append(out, s.roleMap(r, actorDepth))
	}
	return out, nil
}

// checkLogTypeAccess validates a role's log type access settings.
func checkLogTypeAccess(kind string, access []string, hasAccess bool) error {
	switch kind {
	case "ALLOW_ALL", "DENY_ALL":
		if hasAccess && len(access) > 0 {
			return invalidInput("logTypeAccess must be omitted when logTypeAccessKind is %s", kind)
		}
	case "ALLOW", "DENY":
		if len(access) == 0 {
			return invalidInput("logTypeAccess must list at least one log type when logTypeAccessKind is %s", kind)
		}
	}
	return nil
}

func checkPermissions(perms []string) error {
	if len(perms) == 0 {
		return invalidInput("a role needs at least one permission")
	}
	return nil
}

func (s *store) createRole(in args) (any, error) {
	in = in.input("input")
	name := strings.TrimSpace(in.str("name"))
	if name == "" {
		return nil, invalidInput("role name must not be empty")
	}
	if s.roleByName(name) != nil {
		return nil, alreadyExists("a role named %q already exists", name)
	}
	perms := in.strs("permissions")
	if err := checkPermissions(perms); err != nil {
		return nil, err
	}
	kind := cmpOr(in.str("logTypeAccessKind"), "ALLOW_ALL")
	access := in.strs("logTypeAccess")
	if err := checkLogTypeAccess(kind, access, in.has("logTypeAccess") && !in.isNull("logTypeAccess")); err != nil {
		return nil, err
	}
	now := s.clock()
	r := &Role{ID: s.uuid(), Name: name, Permissions: dedupe(perms), LogTypeAccessKind: kind, CreatedAt: now, UpdatedAt: now}
	if kind == "ALLOW" || kind == "DENY" {
		r.LogTypeAccess = access
	}
	s.roles[r.ID] = r
	return map[string]any{"role": s.roleMap(r, actorDepth)}, nil
}

func (s *store) updateRole(in args) (any, error) {
	in = in.input("input")
	id := in.str("id")
	r, ok := s.roles[id]
	if !ok {
		return nil, notFound("role %s not found", id)
	}
	next := r.clone()
	if name, ok := in.optStr("name"); ok {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, invalidInput("role name must not be empty")
		}
		if other := s.roleByName(name); other != nil && other.ID != id {
			return nil, alreadyExists("a role named %q already exists", name)
		}
		next.Name = name
	}
	if in.has("permissions") && !in.isNull("permissions") {
		perms := in.strs("permissions")
		if err := checkPermissions(perms); err != nil {
			return nil, err
		}
		next.Permissions = dedupe(perms)
	}
	if kind, ok := in.optStr("logTypeAccessKind"); ok {
		next.LogTypeAccessKind = kind
		next.LogTypeAccess = nil
	}
	hasAccess := in.has("logTypeAccess") && !in.isNull("logTypeAccess")
	if hasAccess {
		next.LogTypeAccess = in.strs("logTypeAccess")
	}
	if err := checkLogTypeAccess(next.LogTypeAccessKind, next.LogTypeAccess, hasAccess); err != nil {
		return nil, err
	}
	if next.LogTypeAccessKind == "ALLOW_ALL" || next.LogTypeAccessKind == "DENY_ALL" {
		next.LogTypeAccess = nil
	}
	next.UpdatedAt = s.clock()
	if next.UpdatedAt.Equal(next.CreatedAt) {
		next.UpdatedAt = next.UpdatedAt.Add(time.Millisecond)
	}
	*r = next
	return map[string]any{"role": s.roleMap(r, actorDepth)}, nil
}

func (s *store) deleteRole(in args) (any, error) {
	id := in.input("input").str("id")
	r, ok := s.roles[id]
	if !ok {
		return nil, notFound("role %s not found", id)
	}
	var holders []string
	for _, u := range s.sortedUsers() {
		if u.RoleID == id {
			holders = append(holders, u.Email)
		}
	}
	if len(holders) > 0 {
		return nil, invalidInput("role %q is assigned to %d user(s) (%s); reassign them first", r.Name, len(holders), strings.Join(holders, ", "))
	}
	delete(s.roles, id)
	return map[string]any{"id": id}, nil
}

func (s *store) rotateAPIToken(args) (any, error) {
	now := s.clock()
	s.token.value = fmt.Sprintf("pt-%016x%016x", s.rng.Uint64(), s.rng.Uint64())
	s.token.RotatedAt = now
	s.token.UpdatedAt = now
	return map[string]any{"token": s.tokenMap(actorDepth, true)}, nil
}

func dedupe(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
