package panther

// Ptr returns a pointer to v. Optional fields of the generated input types
// are pointers, so that an unset field is told apart from a zero value and
// left out of the request:
//
//	generated.UpdateUserInput{Id: id, GivenName: panther.Ptr("Ada")}
func Ptr[T any](v T) *T { return &v }
