package panthertest

import (
	"fmt"

	"github.com/panthersdk/panther-go/panther/panthertest/internal/gqlengine"
)

// Error codes set in the "code" extension of the GraphQL errors the server
// returns. They mirror the values of Panther's ErrorCode enum, spelled the
// way Panther spells them in error extensions.
const (
	CodeNotFound      = "NOT_FOUND"
	CodeInvalidInput  = "INVALID_INPUT"
	CodeAlreadyExists = "ALREADY_EXISTS"
	CodeServerError   = "SERVER_ERROR"
)

func apiError(code, format string, args ...any) error {
	return &gqlengine.ResolverError{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": code},
	}
}

func notFound(format string, args ...any) error {
	return apiError(CodeNotFound, format, args...)
}

func invalidInput(format string, args ...any) error {
	return apiError(CodeInvalidInput, format, args...)
}

func alreadyExists(format string, args ...any) error {
	return apiError(CodeAlreadyExists, format, args...)
}
