package panther

// Ptr returns a pointer to v. Optional fields of the generated input types
// are pointers, so that an unset field is told apart from a zero value and
// left out of the request:
//
//	generated.UpdateUserInput{Id: id, GivenName: panther.Ptr("Ada")}
func Ptr[T any](v T) *T { return &v }

// Deref returns *p, or the zero value of T when p is nil. Fields of the
// generated REST types are pointers, because the spec marks them optional
// and Panther may leave them out:
//
//	fmt.Println(panther.Deref(rule.ID), panther.Deref(rule.Severity))
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
