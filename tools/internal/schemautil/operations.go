package schemautil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// Operations are GraphQL documents (queries, mutations, fragments) read
// from files, such as the queries/*.graphql genqlient compiles. Like
// genqlient, all files form one document, so that an operation may use a
// fragment defined in another file.
type Operations struct {
	sources []*ast.Source
}

// ReadOperations reads the files matching the glob patterns (e.g.
// "queries/*.graphql"). It fails when a pattern matches nothing.
func ReadOperations(patterns ...string) (*Operations, error) {
	ops := &Operations{}
	for _, p := range patterns {
		files, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("bad operations pattern %q: %w", p, err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("no operation files match %q", p)
		}
		sort.Strings(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			ops.sources = append(ops.sources, &ast.Source{Name: f, Input: string(b)})
		}
	}
	return ops, nil
}

// NewOperations builds Operations from in-memory documents keyed by file
// name.
func NewOperations(files map[string]string) *Operations {
	ops := &Operations{}
	for _, name := range sortedKeys(files) {
		ops.sources = append(ops.sources, &ast.Source{Name: name, Input: files[name]})
	}
	return ops
}

// parse returns a fresh document (validation annotates the AST, so every
// schema gets its own copy).
func (o *Operations) parse() (*ast.QueryDocument, error) {
	doc := &ast.QueryDocument{}
	for _, src := range o.sources {
		d, err := parser.ParseQuery(src)
		if err != nil {
			return nil, fmt.Errorf("operations do not parse: %w", err)
		}
		doc.Operations = append(doc.Operations, d.Operations...)
		doc.Fragments = append(doc.Fragments, d.Fragments...)
	}
	return doc, nil
}

// OperationError is an operation that does not validate against a schema.
type OperationError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Operation is the operation or fragment holding the fault, e.g.
	// "query ListAlerts" or "fragment AlertDetails".
	Operation string `json:"operation"`
	// Field is the schema coordinate at fault when known, e.g.
	// "Alert.title" or "Query.alerts(input:)".
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e OperationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s", e.File, e.Line, e.Column, e.Operation)
	if e.Field != "" {
		fmt.Fprintf(&b, " (%s)", e.Field)
	}
	b.WriteString(": " + e.Message)
	return b.String()
}

// Validate checks every operation against schema with gqlparser's
// validator (the same validation genqlient runs) and returns one
// OperationError per problem, or an error when the documents do not parse.
func (o *Operations) Validate(schema *ast.Schema) ([]OperationError, error) {
	doc, err := o.parse()
	if err != nil {
		return nil, err
	}
	errs := validator.Validate(schema, doc)
	var out []OperationError
	seen := map[OperationError]bool{}
	for _, e := range errs {
		// A fault in a fragment is reported once per operation using it.
		oe := o.describe(doc, e)
		if !seen[oe] {
			seen[oe] = true
			out = append(out, oe)
		}
	}
	slices.SortStableFunc(out, func(a, b OperationError) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		return a.Line - b.Line
	})
	return out, nil
}

func (o *Operations) describe(doc *ast.QueryDocument, e *gqlerror.Error) OperationError {
	oe := OperationError{Message: e.Message}
	if f, ok := e.Extensions["file"].(string); ok {
		oe.File = f
	}
	if len(e.Locations) == 0 {
		return oe
	}
	oe.Line, oe.Column = e.Locations[0].Line, e.Locations[0].Column
	// The enclosing operation or fragment is the last one in the same file
	// starting at or before the error.
	bestLine := -1
	consider := func(pos *ast.Position, name string) {
		if pos != nil && pos.Src != nil && pos.Src.Name == oe.File && pos.Line <= oe.Line && pos.Line > bestLine {
			bestLine, oe.Operation = pos.Line, name
		}
	}
	for _, op := range doc.Operations {
		consider(op.Position, string(op.Operation)+" "+op.Name)
	}
	for _, fr := range doc.Fragments {
		consider(fr.Position, "fragment "+fr.Name)
	}
	oe.Field = faultAt(doc, oe.File, oe.Line, oe.Column)
	// Unknown arguments are reported at the field; name the argument too.
	if m := unknownArgument.FindStringSubmatch(e.Message); m != nil && oe.Field != "" && !strings.HasSuffix(oe.Field, ":)") {
		oe.Field += "(" + m[1] + ":)"
	}
	return oe
}

var unknownArgument = regexp.MustCompile(`^Unknown argument "(\w+)"`)

// faultAt names the schema element used at a source position: a field
// ("Alert.title") or an argument ("Query.alerts(input:)").
func faultAt(doc *ast.QueryDocument, file string, line, col int) string {
	at := func(p *ast.Position) bool {
		return p != nil && p.Src != nil && p.Src.Name == file && p.Line == line && p.Column == col
	}
	var found string
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				parent := ""
				if s.ObjectDefinition != nil {
					parent = s.ObjectDefinition.Name + "."
				}
				if at(s.Position) {
					found = parent + s.Name
				}
				for _, a := range s.Arguments {
					if at(a.Position) || (a.Value != nil && at(a.Value.Position)) {
						found = parent + s.Name + "(" + a.Name + ":)"
					}
				}
				visit(s.SelectionSet)
			case *ast.InlineFragment:
				if at(s.Position) {
					found = "... on " + s.TypeCondition
				}
				visit(s.SelectionSet)
			case *ast.FragmentSpread:
				if at(s.Position) {
					found = "..." + s.Name
				}
			}
		}
	}
	for _, op := range doc.Operations {
		for _, v := range op.VariableDefinitions {
			if at(v.Position) {
				found = "$" + v.Variable + ": " + v.Type.String()
			}
		}
		visit(op.SelectionSet)
	}
	for _, fr := range doc.Fragments {
		if at(fr.Position) {
			found = "fragment on " + fr.TypeCondition
		}
		visit(fr.SelectionSet)
	}
	return found
}

// Usage returns the schema coordinates the operations depend on, in the
// form of Change.Coordinate: every type they mention, every field they
// select ("Alert.title"), every argument they pass ("Query.alerts(input:)")
// and, for every input type they send, all of its fields
// ("AlertsInput.pageSize"; generated input structs carry every field).
// The operations must validate against schema.
func (o *Operations) Usage(schema *ast.Schema) (map[string]bool, error) {
	doc, err := o.parse()
	if err != nil {
		return nil, err
	}
	if errs := validator.Validate(schema, doc); len(errs) > 0 {
		return nil, fmt.Errorf("operations do not validate against the schema: %w", errors.Join(errsOf(errs)...))
	}
	used := map[string]bool{}
	var useInput func(name string)
	useInput = func(name string) {
		if used[name] {
			return
		}
		used[name] = true
		def := schema.Types[name]
		if def == nil || def.Kind != ast.InputObject {
			return
		}
		for _, f := range def.Fields {
			used[name+"."+f.Name] = true
			useInput(f.Type.Name())
		}
	}
	var events validator.Events
	events.OnOperation(func(_ *validator.Walker, op *ast.OperationDefinition) {
		if root := rootType(schema, op.Operation); root != nil {
			used[root.Name] = true
		}
		for _, v := range op.VariableDefinitions {
			useInput(v.Type.Name())
		}
	})
	events.OnField(func(_ *validator.Walker, f *ast.Field) {
		if f.ObjectDefinition == nil || f.Definition == nil || strings.HasPrefix(f.Name, "__") {
			return
		}
		field := f.ObjectDefinition.Name + "." + f.Name
		used[f.ObjectDefinition.Name] = true
		used[field] = true
		used[f.Definition.Type.Name()] = true
		for _, a := range f.Arguments {
			used[field+"("+a.Name+":)"] = true
			if ad := f.Definition.Arguments.ForName(a.Name); ad != nil {
				useInput(ad.Type.Name())
			}
		}
	})
	events.OnFragment(func(_ *validator.Walker, fr *ast.FragmentDefinition) { used[fr.TypeCondition] = true })
	events.OnInlineFragment(func(_ *validator.Walker, in *ast.InlineFragment) {
		if in.TypeCondition != "" {
			used[in.TypeCondition] = true
		}
	})
	validator.Walk(schema, doc, &events)
	return used, nil
}

func rootType(s *ast.Schema, op ast.Operation) *ast.Definition {
	switch op {
	case ast.Mutation:
		return s.Mutation
	case ast.Subscription:
		return s.Subscription
	default:
		return s.Query
	}
}

func errsOf(l gqlerror.List) []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Affecting returns the changes whose Coordinate is in used.
func Affecting(changes []Change, used map[string]bool) []Change {
	var out []Change
	for _, c := range changes {
		if c.Coordinate != "" && used[c.Coordinate] {
			out = append(out, c)
		}
	}
	return out
}
