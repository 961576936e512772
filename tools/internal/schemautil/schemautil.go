// Package schemautil loads, normalizes and prints GraphQL schemas (SDL),
// converts introspection results to SDL, compares two schemas and validates
// operations against a schema. It backs the schemafetch and schemadiff
// commands.
package schemautil

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// ErrNotSDL reports content that is not a GraphQL schema at all, such as an
// HTML error page served by a proxy or a JSON error body. It is wrapped by
// *NotSDLError.
var ErrNotSDL = errors.New("content is not a GraphQL schema")

// NotSDLError describes content that is not GraphQL SDL.
type NotSDLError struct {
	// Name is the file name or URL the content came from.
	Name string
	// Reason says what the content looks like instead, e.g. "an HTML page".
	Reason string
	// Err is the parse or validation error, if any.
	Err error
}

func (e *NotSDLError) Error() string {
	msg := fmt.Sprintf("%s: %v (%s)", e.Name, ErrNotSDL, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap makes errors.Is(err, ErrNotSDL) and errors.As on the parse error
// work.
func (e *NotSDLError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrNotSDL}
	}
	return []error{ErrNotSDL, e.Err}
}

// sniff recognizes content that is plainly not SDL and says what it is,
// for error messages that tell the user what they actually downloaded. It
// returns "" for anything that may be SDL.
func sniff(src []byte) string {
	head := bytes.ToLower(bytes.TrimSpace(src[:min(len(src), 512)]))
	switch {
	case len(head) == 0:
		return "it is empty"
	case !utf8.Valid(src):
		return "it is binary data, not UTF-8 text"
	case bytes.HasPrefix(head, []byte("<!doctype html")), bytes.HasPrefix(head, []byte("<html")),
		bytes.Contains(head, []byte("<head>")), bytes.Contains(head, []byte("<body")):
		return "it is an HTML page"
	case bytes.HasPrefix(head, []byte("<?xml")), bytes.HasPrefix(head, []byte("<error")):
		return "it is an XML document (an S3 or proxy error?)"
	case bytes.HasPrefix(head, []byte("{")), bytes.HasPrefix(head, []byte("[")):
		return "it is JSON (an introspection result or an error body?)"
	default:
		return ""
	}
}

// Load parses and validates SDL. name is used in error messages (a file
// name or URL). Content that is not a schema at all gives a *NotSDLError;
// a schema that parses as SDL but is invalid (e.g. a field of an undefined
// type) gives the validation error from gqlparser, also wrapped in
// *NotSDLError so callers treat it the same way.
func Load(name string, src []byte) (*ast.Schema, error) {
	if reason := sniff(src); reason != "" {
		return nil, &NotSDLError{Name: name, Reason: reason}
	}
	doc, err := parser.ParseSchema(&ast.Source{Name: name, Input: string(src)})
	if err != nil {
		return nil, &NotSDLError{Name: name, Reason: "it does not parse as GraphQL SDL", Err: err}
	}
	if len(doc.Definitions)+len(doc.Extensions)+len(doc.Directives)+len(doc.Schema) == 0 {
		return nil, &NotSDLError{Name: name, Reason: "it contains no type definitions"}
	}
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: string(src)})
	if err != nil {
		return nil, &NotSDLError{Name: name, Reason: "it is not a valid GraphQL schema", Err: err}
	}
	if schema.Query == nil {
		return nil, &NotSDLError{Name: name, Reason: "it defines no Query type"}
	}
	return schema, nil
}

// Normalize returns src in a canonical form: comments dropped, type
// definitions, fields, arguments, enum values, union members, interfaces
// and directive definitions sorted by name, descriptions kept, formatted
// by gqlparser's formatter with two-space indentation. Two schemas that
// differ only in order or layout normalize to the same bytes, so their
// normalized forms diff cleanly. The result is validated with
// gqlparser.LoadSchema.
func Normalize(name string, src []byte) ([]byte, error) {
	if _, err := Load(name, src); err != nil {
		return nil, err
	}
	doc, err := parser.ParseSchema(&ast.Source{Name: name, Input: string(src)})
	if err != nil {
		return nil, &NotSDLError{Name: name, Reason: "it does not parse as GraphQL SDL", Err: err}
	}
	return Print(doc), nil
}

// Print sorts doc in place (see Normalize) and formats it as SDL.
func Print(doc *ast.SchemaDocument) []byte {
	sortDocument(doc)
	var buf bytes.Buffer
	formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatSchemaDocument(doc)
	// The formatter separates definitions with blank lines but may end
	// the file with several; keep exactly one trailing newline so the
	// output is stable under repeated normalization.
	out := bytes.TrimRight(buf.Bytes(), "\n")
	return append(out, '\n')
}

func byName[T any](name func(T) string) func(a, b T) int {
	return func(a, b T) int { return strings.Compare(name(a), name(b)) }
}

func sortDocument(doc *ast.SchemaDocument) {
	for _, defs := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		slices.SortStableFunc(defs, byName(func(d *ast.Definition) string { return d.Name }))
		for _, d := range defs {
			sortDefinition(d)
		}
	}
	slices.SortStableFunc(doc.Directives, byName(func(d *ast.DirectiveDefinition) string { return d.Name }))
	for _, d := range doc.Directives {
		slices.SortStableFunc(d.Arguments, byName(func(a *ast.ArgumentDefinition) string { return a.Name }))
		slices.SortStableFunc(d.Locations, func(a, b ast.DirectiveLocation) int { return strings.Compare(string(a), string(b)) })
	}
	for _, s := range append(slices.Clone(doc.Schema), doc.SchemaExtension...) {
		slices.SortStableFunc(s.OperationTypes, func(a, b *ast.OperationTypeDefinition) int {
			return operationRank(a.Operation) - operationRank(b.Operation)
		})
	}
}

func operationRank(op ast.Operation) int {
	switch op {
	case ast.Query:
		return 0
	case ast.Mutation:
		return 1
	default:
		return 2
	}
}

func sortDefinition(d *ast.Definition) {
	// Comments are not part of the schema and would otherwise survive as
	// noise (e.g. a licence header attached to the first type).
	d.BeforeDescriptionComment, d.AfterDescriptionComment, d.EndOfDefinitionComment = nil, nil, nil
	slices.Sort(d.Interfaces)
	slices.Sort(d.Types)
	d.TypePositions = nil // parallel to Types, which is now reordered
	slices.SortStableFunc(d.Fields, byName(func(f *ast.FieldDefinition) string { return f.Name }))
	for _, f := range d.Fields {
		f.BeforeDescriptionComment, f.AfterDescriptionComment = nil, nil
		slices.SortStableFunc(f.Arguments, byName(func(a *ast.ArgumentDefinition) string { return a.Name }))
		for _, a := range f.Arguments {
			a.BeforeDescriptionComment, a.AfterDescriptionComment = nil, nil
		}
	}
	slices.SortStableFunc(d.EnumValues, byName(func(v *ast.EnumValueDefinition) string { return v.Name }))
	for _, v := range d.EnumValues {
		v.BeforeDescriptionComment, v.AfterDescriptionComment = nil, nil
	}
}
