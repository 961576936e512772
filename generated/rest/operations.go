package rest

// Operation describes one operation of Panther's REST API as the
// specification declares it. The table of all of them, Operations, is
// generated from the specification by tools/restops.
type Operation struct {
	// ID is the operationId, e.g. "rule#list".
	ID string
	// Method is the HTTP method, e.g. "GET".
	Method string
	// Path is the path template, e.g. "/rules/{id}".
	Path string
	// Cursor reports whether the operation takes a "cursor" query
	// parameter (it is a paginated listing).
	Cursor bool
	// LimitDefault and LimitMax are the default and maximum of the
	// "limit" query parameter, 0 when the operation has none or the spec
	// declares none.
	LimitDefault, LimitMax int
}
