// Command gendecode completes genqlient's output in generated/ with
// single-pass decoders and with values for union and interface members the
// SDK does not know yet. `make generate` runs it after genqlient:
//
//	go run ./tools/gendecode
//
// It reads generated/genqlient.go, finds its types by their shape (never by
// their names, which genqlient's typename directives may change), and:
//
//   - rewrites genqlient.go so that a concrete type genqlient did not know
//     decodes into an Unknown<Interface> value instead of failing, and
//     encodes back to the JSON it came from;
//   - writes generated/decoders.go: the Unknown types, and for every
//     operation's response type an UnmarshalJSON that decodes the whole
//     response in one pass, falling back to genqlient's decoding for input
//     the single pass cannot decode exactly as genqlient would;
//   - writes generated/decoders_test.go: the operations and abstract types,
//     for the tests that hold the two decodings equal.
//
// Running it twice gives the same files.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

const runtimeImport = "github.com/panthersdk/panther-go/internal/jsondec"

func main() {
	dir := flag.String("dir", "generated", "the directory of genqlient's output")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gendecode:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	src := filepath.Join(dir, "genqlient.go")
	in, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	g, err := load(in)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	rewritten, err := g.rewrite()
	if err != nil {
		return err
	}
	decoders, tests, err := g.emit()
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{
		"genqlient.go":     rewritten,
		"decoders.go":      decoders,
		"decoders_test.go": tests,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// gen is what load found in genqlient's output.
type gen struct {
	fset    *token.FileSet
	file    *ast.File
	src     []byte
	pkg     string
	imports map[string]string // package name -> path
	types   map[string]*ast.TypeSpec
	methods map[string]map[string]*ast.FuncDecl // receiver type -> method
	ifaces  map[string]*iface
	ops     []op
	enums   map[string][]enumValue // named string type -> its constants
}

type enumValue struct{ name, value string }

// iface is a GraphQL union or interface as genqlient renders it: a Go
// interface with one implementation per known member.
type iface struct {
	name      string // Go interface
	graphql   string // the GraphQL abstract type, from genqlient's error message
	members   []member
	getters   []getter // the common fields, GetTypename excluded
	unmarshal *ast.FuncDecl
	marshal   *ast.FuncDecl
}

type member struct{ typename, goType string }

type getter struct {
	name   string // GetX
	field  string // X, the Unknown type's field
	result string // the Go type, as written
}

// op is one operation function and its response type.
type op struct{ name, response string }

func load(src []byte) (*gen, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "genqlient.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	g := &gen{
		fset: fset, file: f, src: src, pkg: f.Name.Name,
		imports: map[string]string{},
		types:   map[string]*ast.TypeSpec{},
		methods: map[string]map[string]*ast.FuncDecl{},
		ifaces:  map[string]*iface{},
		enums:   map[string][]enumValue{},
	}
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		g.imports[name] = path
	}
	var funcs []*ast.FuncDecl
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					g.types[s.Name.Name] = s
				case *ast.ValueSpec:
					id, ok := s.Type.(*ast.Ident)
					if d.Tok != token.CONST || !ok || len(s.Names) != 1 || len(s.Values) != 1 {
						continue
					}
					if lit, ok := s.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						g.enums[id.Name] = append(g.enums[id.Name], enumValue{s.Names[0].Name, v})
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				funcs = append(funcs, d)
				continue
			}
			recv := strings.TrimPrefix(types.ExprString(d.Recv.List[0].Type), "*")
			if g.methods[recv] == nil {
				g.methods[recv] = map[string]*ast.FuncDecl{}
			}
			g.methods[recv][d.Name.Name] = d
		}
	}
	// Abstract types: interfaces with genqlient's marker method.
	for name, ts := range g.types {
		it, ok := ts.Type.(*ast.InterfaceType)
		if !ok {
			continue
		}
		for _, m := range it.Methods.List {
			if len(m.Names) == 1 && strings.HasPrefix(m.Names[0].Name, "implementsGraphQLInterface") {
				g.ifaces[name] = &iface{name: name}
			}
		}
	}
	for _, fn := range funcs {
		// Decoding and encoding functions of the abstract types:
		// func(b []byte, v *X) error and func(v *X) ([]byte, error).
		params := fn.Type.Params.List
		if n := len(params); n == 2 && types.ExprString(params[0].Type) == "[]byte" {
			if it := g.ifaces[strings.TrimPrefix(types.ExprString(params[1].Type), "*")]; it != nil && strings.HasPrefix(fn.Name.Name, "__unmarshal") {
				it.unmarshal = fn
			}
		} else if n == 1 && fn.Type.Results != nil && len(fn.Type.Results.List) == 2 {
			if it := g.ifaces[strings.TrimPrefix(types.ExprString(params[0].Type), "*")]; it != nil && strings.HasPrefix(fn.Name.Name, "__marshal") {
				it.marshal = fn
			}
		}
		// Operations: exported, taking a graphql.Client, returning
		// (*Response, error).
		if !fn.Name.IsExported() || fn.Type.Results == nil || len(fn.Type.Results.List) != 2 {
			continue
		}
		takesClient := false
		for _, p := range params {
			if types.ExprString(p.Type) == "graphql.Client" {
				takesClient = true
			}
		}
		if res := types.ExprString(fn.Type.Results.List[0].Type); takesClient && strings.HasPrefix(res, "*") {
			g.ops = append(g.ops, op{name: fn.Name.Name, response: res[1:]})
		}
	}
	sort.Slice(g.ops, func(i, j int) bool { return g.ops[i].name < g.ops[j].name })
	for _, it := range g.ifaces {
		if err := g.analyzeIface(it); err != nil {
			return nil, err
		}
	}
	if len(g.ops) == 0 {
		return nil, fmt.Errorf("no operation functions found")
	}
	return g, nil
}

// analyzeIface reads an abstract type's members from genqlient's decoding
// function and its common fields from the interface's getters.
func (g *gen) analyzeIface(it *iface) error {
	if it.unmarshal == nil || it.marshal == nil {
		return fmt.Errorf("interface %s: no genqlient decoding/encoding function", it.name)
	}
	sw := findSwitch(it.unmarshal.Body)
	if sw == nil {
		return fmt.Errorf("%s: no switch on __typename", it.unmarshal.Name.Name)
	}
	if defaultClause(sw) == nil || defaultTypeClause(it.marshal.Body) == nil {
		return fmt.Errorf("%s: no default case", it.name)
	}
	for _, s := range sw.Body.List {
		cc := s.(*ast.CaseClause)
		if len(cc.List) != 1 {
			continue
		}
		lit, ok := cc.List[0].(*ast.BasicLit)
		if !ok {
			continue
		}
		tn, _ := strconv.Unquote(lit.Value)
		if tn == "" {
			// "response was missing <GraphQL type>.__typename"
			ast.Inspect(cc, func(n ast.Node) bool {
				if l, ok := n.(*ast.BasicLit); ok && l.Kind == token.STRING {
					msg, _ := strconv.Unquote(l.Value)
					if rest, ok := strings.CutPrefix(msg, "response was missing "); ok {
						it.graphql = strings.TrimSuffix(rest, ".__typename")
					}
				}
				return true
			})
			continue
		}
		var goType string
		ast.Inspect(cc, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && types.ExprString(c.Fun) == "new" && goType == "" {
				goType = types.ExprString(c.Args[0])
			}
			return true
		})
		if goType == "" {
			return fmt.Errorf("%s: case %q: no member type", it.unmarshal.Name.Name, tn)
		}
		it.members = append(it.members, member{typename: tn, goType: goType})
	}
	if len(it.members) == 0 {
		return fmt.Errorf("%s: no members", it.name)
	}
	if it.graphql == "" {
		it.graphql = it.name
	}
	for _, m := range g.types[it.name].Type.(*ast.InterfaceType).Methods.List {
		if len(m.Names) != 1 {
			return fmt.Errorf("interface %s: embedded interface", it.name)
		}
		name := m.Names[0].Name
		if strings.HasPrefix(name, "implementsGraphQLInterface") || name == "GetTypename" {
			continue
		}
		ft := m.Type.(*ast.FuncType)
		if len(ft.Params.List) != 0 || ft.Results == nil || len(ft.Results.List) != 1 || !strings.HasPrefix(name, "Get") {
			return fmt.Errorf("interface %s: method %s is not a getter", it.name, name)
		}
		it.getters = append(it.getters, getter{name: name, field: strings.TrimPrefix(name, "Get"), result: types.ExprString(ft.Results.List[0].Type)})
	}
	return nil
}

func findSwitch(body *ast.BlockStmt) *ast.SwitchStmt {
	var sw *ast.SwitchStmt
	ast.Inspect(body, func(n ast.Node) bool {
		if s, ok := n.(*ast.SwitchStmt); ok && sw == nil {
			sw = s
		}
		return sw == nil
	})
	return sw
}

func defaultClause(sw *ast.SwitchStmt) *ast.CaseClause {
	for _, s := range sw.Body.List {
		if cc := s.(*ast.CaseClause); cc.List == nil {
			return cc
		}
	}
	return nil
}

func defaultTypeClause(body *ast.BlockStmt) *ast.CaseClause {
	var dc *ast.CaseClause
	ast.Inspect(body, func(n ast.Node) bool {
		if s, ok := n.(*ast.TypeSwitchStmt); ok && dc == nil {
			for _, c := range s.Body.List {
				if cc := c.(*ast.CaseClause); cc.List == nil {
					dc = cc
				}
			}
		}
		return dc == nil
	})
	return dc
}

// genqlientUnmarshal is the name gendecode gives genqlient's UnmarshalJSON
// of a response type, whose UnmarshalJSON becomes the single-pass one.
const genqlientUnmarshal = "unmarshalGenqlient"

// rewrite returns genqlient.go with unknown members decoded and encoded,
// and the UnmarshalJSON of response types renamed to genqlientUnmarshal.
// It edits the source text, so that all else stays byte for byte.
func (g *gen) rewrite() ([]byte, error) {
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	off := func(p token.Pos) int { return g.fset.Position(p).Offset }
	body := func(cc *ast.CaseClause, text string) {
		if len(cc.Body) == 0 {
			return
		}
		edits = append(edits, edit{off(cc.Body[0].Pos()), off(cc.Body[len(cc.Body)-1].End()), text})
	}
	for _, it := range g.sortedIfaces() {
		body(defaultClause(findSwitch(it.unmarshal.Body)), fmt.Sprintf("return __unmarshalUnknown%s(b, tn.TypeName, v)", it.name))
		body(defaultTypeClause(it.marshal.Body), fmt.Sprintf("return __marshalUnknown%s(v)", it.name))
	}
	for _, o := range g.ops {
		if m := g.methods[o.response]["UnmarshalJSON"]; m != nil {
			edits = append(edits, edit{off(m.Name.Pos()), off(m.Name.End()), genqlientUnmarshal})
			g.methods[o.response][genqlientUnmarshal] = m
			delete(g.methods[o.response], "UnmarshalJSON")
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	src := append([]byte(nil), g.src...)
	for _, e := range edits {
		src = append(src[:e.start:e.start], append([]byte(e.text), src[e.end:]...)...)
	}
	return format.Source(src)
}

func (g *gen) sortedIfaces() []*iface {
	var out []*iface
	for _, it := range g.ifaces {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// ---------------------------------------------------------------------------
// Struct analysis

// kind says how a Go value is decoded.
type kind int

const (
	kString   kind = iota // string or a named string type (an enum)
	kBool                 // bool or a named bool type
	kInt                  // int
	kInt64                // int64
	kFloat                // float64
	kRaw                  // json.RawMessage
	kStruct               // a generated struct
	kIface                // a generated abstract type
	kScalar               // a value decoded by a custom unmarshaler
	kPtr                  // a pointer
	kSlice                // a slice
	kDelegate             // anything else: encoding/json decodes it
)

type typ struct {
	kind kind
	expr string // the Go type, as written
	elem *typ   // kPtr, kSlice
	fn   string // kScalar: the unmarshaler
	// kString: a function returning the value for the string's bytes
	// without allocating when it is one of the values it knows.
	intern string
}

// field is one destination of a JSON key.
type field struct {
	path string // Go selector from the struct, e.g. "DataLakeQuerySummary.Id"
	t    *typ
}

// keyed is a JSON key of a struct and every field it decodes into (more
// than one when a fragment spread selects a field again).
type keyed struct {
	key    string
	fields []field
}

// structInfo returns the JSON keys of struct name, with its fragments'
// keys merged in, in order of first appearance.
func (g *gen) structInfo(name string) ([]keyed, error) {
	var out []keyed
	index := map[string]int{}
	var walk func(name, prefix string) error
	walk = func(name, prefix string) error {
		ts := g.types[name]
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return fmt.Errorf("%s is not a struct", name)
		}
		custom, err := g.customFields(name)
		if err != nil {
			return err
		}
		for _, f := range st.Fields.List {
			tag := ""
			if f.Tag != nil {
				s, _ := strconv.Unquote(f.Tag.Value)
				tag = reflect.StructTag(s).Get("json")
			}
			if len(f.Names) == 0 {
				// A fragment spread: genqlient decodes the whole
				// object into it.
				frag := types.ExprString(f.Type)
				if tag != "-" || g.types[frag] == nil {
					return fmt.Errorf("%s: embedded %s with tag %q", name, frag, tag)
				}
				if err := walk(frag, prefix+frag+"."); err != nil {
					return err
				}
				continue
			}
			for _, n := range f.Names {
				key, _, _ := strings.Cut(tag, ",")
				var t *typ
				if c, ok := custom[n.Name]; ok {
					key = c.key
					t, err = g.customType(f.Type, c.fn)
				} else {
					if key == "-" {
						return fmt.Errorf("%s.%s: json:\"-\" without custom decoding", name, n.Name)
					}
					if key == "" {
						key = n.Name
					}
					t, err = g.plainType(f.Type)
				}
				if err != nil {
					return fmt.Errorf("%s.%s: %w", name, n.Name, err)
				}
				if key == "__typename" {
					// The member types' names: known strings.
					st := t
					if st.kind == kPtr {
						st = st.elem
					}
					if st.kind == kString && st.expr == "string" {
						st.intern = "internTypename"
					}
				}
				fd := field{path: prefix + n.Name, t: t}
				if i, ok := index[key]; ok {
					out[i].fields = append(out[i].fields, fd)
				} else {
					index[key] = len(out)
					out = append(out, keyed{key: key, fields: []field{fd}})
				}
			}
		}
		return nil
	}
	if err := walk(name, ""); err != nil {
		return nil, err
	}
	return out, nil
}

type customField struct{ key, fn string }

// customFields reads genqlient's UnmarshalJSON of struct name: the fields
// its first pass leaves as raw JSON (their JSON key) and the function that
// then decodes each.
func (g *gen) customFields(name string) (map[string]customField, error) {
	m := g.methods[name]["UnmarshalJSON"]
	if m == nil {
		m = g.methods[name][genqlientUnmarshal]
	}
	out := map[string]customField{}
	if m == nil {
		return out, nil
	}
	var firstPass *ast.StructType
	ast.Inspect(m.Body, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && firstPass == nil && len(vs.Names) == 1 && vs.Names[0].Name == "firstPass" {
			firstPass, _ = vs.Type.(*ast.StructType)
		}
		return firstPass == nil
	})
	if firstPass == nil {
		return nil, fmt.Errorf("%s.UnmarshalJSON: no first pass", name)
	}
	for _, f := range firstPass.Fields.List {
		if len(f.Names) == 0 {
			continue
		}
		s, _ := strconv.Unquote(f.Tag.Value)
		key, _, _ := strings.Cut(reflect.StructTag(s).Get("json"), ",")
		out[f.Names[0].Name] = customField{key: key}
	}
	// Each custom field is decoded in a block { dst := &v.F; ...; err = fn(src, dst) }.
	for _, s := range m.Body.List {
		blk, ok := s.(*ast.BlockStmt)
		if !ok || len(blk.List) == 0 {
			continue
		}
		as, ok := blk.List[0].(*ast.AssignStmt)
		if !ok || types.ExprString(as.Lhs[0]) != "dst" {
			continue
		}
		fname := strings.TrimPrefix(types.ExprString(as.Rhs[0]), "&v.")
		var fn string
		ast.Inspect(blk, func(n ast.Node) bool {
			if a, ok := n.(*ast.AssignStmt); ok && types.ExprString(a.Lhs[0]) == "err" {
				if c, ok := a.Rhs[0].(*ast.CallExpr); ok && fn == "" {
					fn = types.ExprString(c.Fun)
				}
			}
			return true
		})
		c, ok := out[fname]
		if !ok || fn == "" {
			return nil, fmt.Errorf("%s.UnmarshalJSON: cannot read how %s is decoded", name, fname)
		}
		c.fn = fn
		out[fname] = c
	}
	for f, c := range out {
		if c.fn == "" {
			return nil, fmt.Errorf("%s.UnmarshalJSON: %s has no decoding", name, f)
		}
	}
	return out, nil
}

// customType is the type of a field genqlient decodes by hand.
func (g *gen) customType(e ast.Expr, fn string) (*typ, error) {
	expr := types.ExprString(e)
	if it := g.ifaces[expr]; it != nil {
		return &typ{kind: kIface, expr: expr}, nil
	}
	if strings.HasPrefix(fn, "__unmarshal") {
		return nil, fmt.Errorf("%s decoded by %s: unsupported shape (extend tools/gendecode)", expr, fn)
	}
	if p, ok := e.(*ast.StarExpr); ok {
		return &typ{kind: kPtr, expr: expr, elem: &typ{kind: kScalar, expr: types.ExprString(p.X), fn: fn}}, nil
	}
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return &typ{kind: kScalar, expr: expr, fn: fn}, nil
	}
	return nil, fmt.Errorf("%s decoded by %s: unsupported shape (extend tools/gendecode)", expr, fn)
}

// plainType is the type of a field encoding/json decodes.
func (g *gen) plainType(e ast.Expr) (*typ, error) {
	expr := types.ExprString(e)
	switch e := e.(type) {
	case *ast.StarExpr:
		el, err := g.plainType(e.X)
		if err != nil {
			return nil, err
		}
		return &typ{kind: kPtr, expr: expr, elem: el}, nil
	case *ast.ArrayType:
		if e.Len != nil {
			return &typ{kind: kDelegate, expr: expr}, nil
		}
		el, err := g.plainType(e.Elt)
		if err != nil {
			return nil, err
		}
		return &typ{kind: kSlice, expr: expr, elem: el}, nil
	case *ast.SelectorExpr:
		if expr == "json.RawMessage" {
			return &typ{kind: kRaw, expr: expr}, nil
		}
		return &typ{kind: kDelegate, expr: expr}, nil
	case *ast.Ident:
		switch expr {
		case "string":
			return &typ{kind: kString, expr: expr}, nil
		case "bool":
			return &typ{kind: kBool, expr: expr}, nil
		case "int":
			return &typ{kind: kInt, expr: expr}, nil
		case "int64":
			return &typ{kind: kInt64, expr: expr}, nil
		case "float64":
			return &typ{kind: kFloat, expr: expr}, nil
		}
		if g.ifaces[expr] != nil {
			return nil, fmt.Errorf("abstract type %s decoded without genqlient's help", expr)
		}
		ts := g.types[expr]
		if ts == nil {
			return &typ{kind: kDelegate, expr: expr}, nil
		}
		if _, hasMethod := g.methods[expr]["UnmarshalJSON"]; !hasMethod {
			if u, ok := ts.Type.(*ast.Ident); ok {
				switch u.Name {
				case "string":
					t := &typ{kind: kString, expr: expr}
					if len(g.enums[expr]) > 0 {
						t.intern = "intern" + expr
					}
					return t, nil
				case "bool":
					return &typ{kind: kBool, expr: expr}, nil
				}
			}
		}
		if _, ok := ts.Type.(*ast.StructType); ok {
			return &typ{kind: kStruct, expr: expr}, nil
		}
		return &typ{kind: kDelegate, expr: expr}, nil
	}
	return &typ{kind: kDelegate, expr: expr}, nil
}

// ---------------------------------------------------------------------------
// Emitting

type emitter struct {
	g       *gen
	buf     bytes.Buffer
	done    map[string]bool
	pending []string          // struct and interface types still to write
	n       int               // for unique variable names
	interns map[string]string // intern function -> its type
}

func (e *emitter) p(format string, args ...any) { fmt.Fprintf(&e.buf, format+"\n", args...) }

func (e *emitter) need(name string) string {
	if !e.done[name] {
		e.done[name] = true
		e.pending = append(e.pending, name)
	}
	return "fast" + name
}

func (e *emitter) tmp(base string) string {
	e.n++
	return fmt.Sprintf("%s%d", base, e.n)
}

// value writes code decoding the next JSON value into lvalue lv of type t.
func (e *emitter) value(lv string, t *typ) {
	switch t.kind {
	case kString, kBool:
		if t.intern != "" {
			e.interns[t.intern] = t.expr
			e.p("if !d.Null() { %s = %s(d.StringBytes()) }", lv, t.intern)
			return
		}
		read := "d.String()"
		if t.kind == kBool {
			read = "d.Bool()"
		}
		if t.expr != "string" && t.expr != "bool" {
			read = t.expr + "(" + read + ")"
		}
		e.p("if !d.Null() { %s = %s }", lv, read)
	case kInt:
		e.p("if !d.Null() { %s = d.Int() }", lv)
	case kInt64:
		e.p("if !d.Null() { %s = d.Int64() }", lv)
	case kFloat:
		e.p("if !d.Null() { %s = d.Float64() }", lv)
	case kRaw:
		e.p("%s = d.Raw()", lv)
	case kStruct, kIface:
		e.p("%s(d, &%s)", e.need(t.expr), lv)
	case kScalar:
		raw := e.tmp("raw")
		e.p("if %s := d.View(); !d.Failed() && string(%s) != \"null\" {", raw, raw)
		e.p("if %s(%s, &%s) != nil { d.Fail() }", t.fn, raw, lv)
		e.p("}")
	case kPtr:
		ptr := e.tmp("p")
		if t.elem.kind == kScalar {
			raw := e.tmp("raw")
			e.p("if %s := d.View(); !d.Failed() && string(%s) != \"null\" {", raw, raw)
			e.p("%s := new(%s)", ptr, t.elem.expr)
			e.p("%s = %s", lv, ptr)
			e.p("if %s(%s, %s) != nil { d.Fail() }", t.elem.fn, raw, ptr)
			e.p("}")
			return
		}
		e.p("if d.Null() { %s = nil } else {", lv)
		e.p("%s := new(%s)", ptr, t.elem.expr)
		e.value("*"+ptr, t.elem)
		e.p("%s = %s", lv, ptr)
		e.p("}")
	case kSlice:
		s := e.tmp("s")
		e.p("if d.Null() { %s = nil } else if d.Array() {", lv)
		e.p("var %s %s", s, t.expr)
		e.p("for first := true; d.Elem(first); first = false {")
		e.p("%s = append(%s, *new(%s))", s, s, t.elem.expr)
		e.value(fmt.Sprintf("%s[len(%s)-1]", s, s), t.elem)
		e.p("}")
		e.p("if %s == nil { %s = %s{} }", s, s, t.expr)
		e.p("%s = %s", lv, s)
		e.p("}")
	case kDelegate:
		raw := e.tmp("raw")
		e.p("if %s := d.View(); !d.Failed() && json.Unmarshal(%s, &%s) != nil { d.Fail() }", raw, raw, lv)
	}
}

func (e *emitter) structDecoder(name string) error {
	keys, err := e.g.structInfo(name)
	if err != nil {
		return err
	}
	if len(keys) > 64 {
		return fmt.Errorf("%s: %d JSON keys, more than gendecode handles (64)", name, len(keys))
	}
	e.p("func fast%s(d *jsondec.Decoder, v *%s) {", name, name)
	e.p("if d.Null() || !d.Object() { return }")
	e.p("var seen uint64")
	e.p("for first := true; ; first = false {")
	e.p("key, ok := d.Key(first)")
	e.p("if !ok { return }")
	e.p("switch string(key) {")
	var upper []string
	for i, k := range keys {
		upper = append(upper, strconv.Quote(strings.ToUpper(k.key)))
		e.p("case %s:", strconv.Quote(k.key))
		e.p("d.Seen(&seen, %d)", i)
		if len(k.fields) == 1 {
			e.value("v."+k.fields[0].path, k.fields[0].t)
			continue
		}
		// Selected again by a fragment spread: decode the value into
		// each field, as genqlient's passes do.
		start := e.tmp("start")
		e.p("%s := d.Start()", start)
		for j, f := range k.fields {
			if j > 0 {
				e.p("d.Rewind(%s)", start)
			}
			e.value("v."+f.path, f.t)
		}
	}
	e.p("default:")
	if len(keys) == 0 {
		e.p("d.Unknown(key, nil)")
	} else {
		e.p("d.Unknown(key, upper%s)", name)
	}
	e.p("}")
	e.p("}")
	e.p("}")
	e.p("")
	if len(keys) > 0 {
		e.p("var upper%s = []string{%s}", name, strings.Join(upper, ", "))
		e.p("")
	}
	return nil
}

func (e *emitter) ifaceDecoder(it *iface) {
	name := it.name
	e.p("func fast%s(d *jsondec.Decoder, v *%s) {", name, name)
	e.p("if d.Null() { *v = nil; return }")
	e.p("start := d.Start()")
	e.p("tn := d.Typename()")
	e.p("if tn == \"\" { d.Fail(); return }")
	e.p("switch tn {")
	for _, m := range it.members {
		e.p("case %s:", strconv.Quote(m.typename))
		e.p("m := new(%s)", m.goType)
		e.p("*v = m")
		e.p("%s(d, m)", e.need(m.goType))
	}
	e.p("default:")
	e.p("u := &Unknown%s{Typename: tn}", name)
	e.p("*v = u")
	if len(it.getters) == 0 {
		e.p("d.Skip()")
	} else {
		m := it.members[0].goType
		e.p("var m %s", m)
		e.p("%s(d, &m)", e.need(m))
		for _, gt := range it.getters {
			e.p("u.%s = m.%s()", gt.field, gt.name)
		}
	}
	e.p("u.Raw = d.Copy(start)")
	e.p("}")
	e.p("}")
	e.p("")
}

func (e *emitter) unknownType(it *iface) {
	name := it.name
	u := "Unknown" + name
	e.p("// %s is a %s whose GraphQL type this version of the SDK does not", u, name)
	e.p("// know: a %s Panther added after the SDK was generated. Decoding", it.graphql)
	e.p("// gives one instead of failing, so that the rest of the response (the")
	e.p("// other items of a listing) still decodes. Typename names the type and")
	e.p("// Raw holds the JSON object as received, to decode by hand;")
	if len(it.getters) > 0 {
		e.p("// the fields every %s has are decoded as for the known types, and", name)
		e.p("// its getters return them. A type switch over %s tells it apart", name)
	} else {
		e.p("// a type switch over %s tells it apart", name)
	}
	e.p("// from the known members. Encoding it gives back Raw.")
	e.p("type %s struct {", u)
	e.p("// Typename is the GraphQL type name the server sent in __typename.")
	e.p("Typename string")
	e.p("// Raw is the JSON object as the server sent it.")
	e.p("Raw json.RawMessage")
	for _, gt := range it.getters {
		e.p("// %s is the value of the interface field %s returns.", gt.field, gt.name)
		e.p("%s %s", gt.field, gt.result)
	}
	e.p("}")
	e.p("")
	e.p("func (v *%s) implementsGraphQLInterface%s() {}", u, name)
	e.p("")
	e.p("// GetTypename returns %s.Typename.", u)
	e.p("func (v *%s) GetTypename() *string { return &v.Typename }", u)
	e.p("")
	for _, gt := range it.getters {
		e.p("// %s returns %s.%s.", gt.name, u, gt.field)
		e.p("func (v *%s) %s() %s { return v.%s }", u, gt.name, gt.result, gt.field)
		e.p("")
	}
	e.p("// MarshalJSON returns Raw, or an object with only __typename when Raw is")
	e.p("// empty.")
	e.p("func (v *%s) MarshalJSON() ([]byte, error) {", u)
	e.p("if len(v.Raw) > 0 { return v.Raw, nil }")
	e.p("return json.Marshal(struct{ Typename string `json:\"__typename\"` }{v.Typename})")
	e.p("}")
	e.p("")
	// genqlient's decoding and encoding call these for a type they do not know.
	e.p("func __unmarshalUnknown%s(b []byte, typename string, v *%s) error {", name, name)
	e.p("u := &%s{Typename: typename, Raw: append(json.RawMessage(nil), b...)}", u)
	if len(it.getters) > 0 {
		e.p("var m %s", it.members[0].goType)
		e.p("if err := json.Unmarshal(b, &m); err != nil { return err }")
		for _, gt := range it.getters {
			e.p("u.%s = m.%s()", gt.field, gt.name)
		}
	}
	e.p("*v = u")
	e.p("return nil")
	e.p("}")
	e.p("")
	e.p("func __marshalUnknown%s(v %s) ([]byte, error) {", name, name)
	e.p("if u, ok := v.(*%s); ok { return u.MarshalJSON() }", u)
	e.p("return nil, fmt.Errorf(`unexpected concrete type for %s: \"%%T\"`, v)", name)
	e.p("}")
	e.p("")
}

func (g *gen) emit() (decoders, tests []byte, err error) {
	e := &emitter{g: g, done: map[string]bool{}, interns: map[string]string{}}
	for _, it := range g.sortedIfaces() {
		if g.types["Unknown"+it.name] != nil {
			return nil, nil, fmt.Errorf("genqlient generated a type Unknown%s; gendecode needs that name", it.name)
		}
		e.unknownType(it)
	}
	for _, o := range g.ops {
		r := o.response
		e.p("// UnmarshalJSON decodes a %s response in one pass. For the", o.name)
		e.p("// rare input that pass cannot decode exactly as genqlient's types do,")
		e.p("// it decodes with them instead.")
		e.p("func (v *%s) UnmarshalJSON(b []byte) error {", r)
		e.p("if v.decodeFast(b) { return nil }")
		e.p("return v.%s(b)", genqlientUnmarshal)
		e.p("}")
		e.p("")
		e.p("// decodeFast decodes b into v, which must be zero, in one pass, and")
		e.p("// reports whether it did; if not, v is still zero.")
		e.p("func (v *%s) decodeFast(b []byte) bool {", r)
		e.p("if !reflect.ValueOf(v).Elem().IsZero() { return false }")
		e.p("d := jsondec.New(b)")
		e.p("%s(&d, v)", e.need(r))
		e.p("if d.End() { return true }")
		e.p("*v = %s{}", r)
		e.p("return false")
		e.p("}")
		e.p("")
		if g.methods[r]["UnmarshalJSON"] == nil && g.methods[r][genqlientUnmarshal] == nil {
			e.p("// %s decodes b as genqlient's types do.", genqlientUnmarshal)
			e.p("func (v *%s) %s(b []byte) error {", r, genqlientUnmarshal)
			e.p("type plain %s", r)
			e.p("return json.Unmarshal(b, (*plain)(v))")
			e.p("}")
			e.p("")
		}
	}
	for len(e.pending) > 0 {
		name := e.pending[0]
		e.pending = e.pending[1:]
		if it := g.ifaces[name]; it != nil {
			e.ifaceDecoder(it)
			continue
		}
		if err := e.structDecoder(name); err != nil {
			return nil, nil, err
		}
	}
	var names []string
	for fn := range e.interns {
		names = append(names, fn)
	}
	sort.Strings(names)
	for _, fn := range names {
		typ := e.interns[fn]
		var vals []enumValue
		if fn == "internTypename" {
			seen := map[string]bool{}
			for _, it := range g.sortedIfaces() {
				for _, m := range it.members {
					if !seen[m.typename] {
						seen[m.typename] = true
						vals = append(vals, enumValue{strconv.Quote(m.typename), m.typename})
					}
				}
			}
			sort.Slice(vals, func(i, j int) bool { return vals[i].value < vals[j].value })
		} else {
			vals = g.enums[typ]
		}
		e.p("// %s returns b as a %s, without a copy of the bytes when it is a", fn, typ)
		e.p("// known value.")
		e.p("func %s(b []byte) %s {", fn, typ)
		e.p("switch string(b) {")
		for _, v := range vals {
			e.p("case %s:", strconv.Quote(v.value))
			e.p("return %s", v.name)
		}
		e.p("}")
		e.p("return %s(b)", typ)
		e.p("}")
		e.p("")
	}
	body := e.buf.String()
	decoders, err = g.file2("decoders.go", body, []string{"encoding/json", "fmt", "reflect", runtimeImport})
	if err != nil {
		return nil, nil, err
	}

	// The test tables.
	var t bytes.Buffer
	fmt.Fprintf(&t, "// operations are the response types of every operation.\n")
	fmt.Fprintf(&t, "var operations = []operation{\n")
	for _, o := range g.ops {
		fmt.Fprintf(&t, "{%q, func() response { return new(%s) }},\n", o.name, o.response)
	}
	fmt.Fprintf(&t, "}\n\n")
	fmt.Fprintf(&t, "// abstractTypes are the union and interface types, with their members.\n")
	fmt.Fprintf(&t, "var abstractTypes = map[reflect.Type]abstractType{\n")
	for _, it := range g.sortedIfaces() {
		fmt.Fprintf(&t, "reflect.TypeFor[%s](): {\n", it.name)
		fmt.Fprintf(&t, "graphql: %q,\n", it.graphql)
		fmt.Fprintf(&t, "members: map[string]func() any{\n")
		for _, m := range it.members {
			fmt.Fprintf(&t, "%q: func() any { return new(%s) },\n", m.typename, m.goType)
		}
		fmt.Fprintf(&t, "},\n")
		fmt.Fprintf(&t, "unknown: func(typename string, raw []byte, m any) any {\n")
		fmt.Fprintf(&t, "u := &Unknown%s{Typename: typename, Raw: raw}\n", it.name)
		if len(it.getters) > 0 {
			fmt.Fprintf(&t, "if m, ok := m.(*%s); ok {\n", it.members[0].goType)
			for _, gt := range it.getters {
				fmt.Fprintf(&t, "u.%s = m.%s()\n", gt.field, gt.name)
			}
			fmt.Fprintf(&t, "}\n")
		}
		fmt.Fprintf(&t, "return u\n},\n")
		fmt.Fprintf(&t, "},\n")
	}
	fmt.Fprintf(&t, "}\n")
	tests, err = g.file2("decoders_test.go", t.String(), []string{"reflect"})
	return decoders, tests, err
}

// file2 formats a file of package g.pkg with body, importing fixed and the
// genqlient imports body uses.
func (g *gen) file2(name, body string, fixed []string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by tools/gendecode from genqlient.go, DO NOT EDIT.\n\npackage %s\n\nimport (\n", g.pkg)
	paths := map[string]bool{}
	for _, p := range fixed {
		paths[p] = true
	}
	for n, p := range g.imports {
		if strings.Contains(body, n+".") {
			paths[p] = true
		}
	}
	var sorted []string
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	for _, p := range sorted {
		fmt.Fprintf(&b, "%q\n", p)
	}
	fmt.Fprintf(&b, ")\n\n%s", body)
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", name, err, b.String())
	}
	return out, nil
}
