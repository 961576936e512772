package panthertest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// This file turns an introspection result back into SDL, as a client such
// as schemafetch -introspect does, so that the tests can compare it with the
// committed schema. Both sides are printed by gqlparser's formatter, which
// normalises layout and leaves out built-in definitions.

// formatSDL parses sdl as a schema and prints it with gqlparser's formatter.
func formatSDL(sdl string) (string, error) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: sdl})
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	formatter.NewFormatter(&buf).FormatSchema(s)
	return buf.String(), nil
}

type introType struct {
	Kind           string       `json:"kind"`
	Name           string       `json:"name"`
	Description    *string      `json:"description"`
	SpecifiedByURL *string      `json:"specifiedByURL"`
	IsOneOf        bool         `json:"isOneOf"`
	Fields         []introField `json:"fields"`
	InputFields    []introInput `json:"inputFields"`
	Interfaces     []introRef   `json:"interfaces"`
	EnumValues     []introEnum  `json:"enumValues"`
	PossibleTypes  []introRef   `json:"possibleTypes"`
	OfType         *introRef    `json:"ofType"`
}

type introRef struct {
	Kind   string    `json:"kind"`
	Name   string    `json:"name"`
	OfType *introRef `json:"ofType"`
}

type introField struct {
	Name              string       `json:"name"`
	Description       *string      `json:"description"`
	Args              []introInput `json:"args"`
	Type              introRef     `json:"type"`
	IsDeprecated      bool         `json:"isDeprecated"`
	DeprecationReason *string      `json:"deprecationReason"`
}

type introInput struct {
	Name              string   `json:"name"`
	Description       *string  `json:"description"`
	Type              introRef `json:"type"`
	DefaultValue      *string  `json:"defaultValue"`
	IsDeprecated      bool     `json:"isDeprecated"`
	DeprecationReason *string  `json:"deprecationReason"`
}

type introEnum struct {
	Name              string  `json:"name"`
	Description       *string `json:"description"`
	IsDeprecated      bool    `json:"isDeprecated"`
	DeprecationReason *string `json:"deprecationReason"`
}

type introDirective struct {
	Name         string       `json:"name"`
	Description  *string      `json:"description"`
	IsRepeatable bool         `json:"isRepeatable"`
	Locations    []string     `json:"locations"`
	Args         []introInput `json:"args"`
}

// builtInDirectives are the directives of the GraphQL specification, which
// printed schemas leave out.
var builtInDirectives = map[string]bool{"include": true, "skip": true, "deprecated": true, "specifiedBy": true, "oneOf": true}

// introspectionSDL prints the schema an introspection result describes as
// SDL and normalises it with formatSDL.
func introspectionSDL(data []byte) (string, error) {
	var r struct {
		Schema struct {
			Description      *string          `json:"description"`
			QueryType        *introRef        `json:"queryType"`
			MutationType     *introRef        `json:"mutationType"`
			SubscriptionType *introRef        `json:"subscriptionType"`
			Types            []introType      `json:"types"`
			Directives       []introDirective `json:"directives"`
		} `json:"__schema"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return "", err
	}
	var b strings.Builder
	desc := func(d *string, indent string) {
		if d != nil {
			fmt.Fprintf(&b, "%s%s\n", indent, quote(*d))
		}
	}
	deprecated := func(is bool, reason *string) string {
		if !is {
			return ""
		}
		if reason == nil || *reason == "No longer supported" {
			return " @deprecated"
		}
		return " @deprecated(reason: " + quote(*reason) + ")"
	}
	inputs := func(list []introInput, indent string) {
		for _, a := range list {
			desc(a.Description, indent)
			fmt.Fprintf(&b, "%s%s: %s", indent, a.Name, typeRef(a.Type))
			if a.DefaultValue != nil {
				fmt.Fprintf(&b, " = %s", *a.DefaultValue)
			}
			b.WriteString(deprecated(a.IsDeprecated, a.DeprecationReason) + "\n")
		}
	}
	s := r.Schema
	if s.Description != nil || s.QueryType != nil && s.QueryType.Name != "Query" ||
		s.MutationType != nil && s.MutationType.Name != "Mutation" ||
		s.SubscriptionType != nil && s.SubscriptionType.Name != "Subscription" {
		desc(s.Description, "")
		b.WriteString("schema {\n")
		for op, t := range map[string]*introRef{"query": s.QueryType, "mutation": s.MutationType, "subscription": s.SubscriptionType} {
			if t != nil {
				fmt.Fprintf(&b, "  %s: %s\n", op, t.Name)
			}
		}
		b.WriteString("}\n")
	}
	for _, d := range s.Directives {
		if builtInDirectives[d.Name] {
			continue
		}
		desc(d.Description, "")
		fmt.Fprintf(&b, "directive @%s", d.Name)
		if len(d.Args) > 0 {
			b.WriteString("(\n")
			inputs(d.Args, "  ")
			b.WriteString(")")
		}
		if d.IsRepeatable {
			b.WriteString(" repeatable")
		}
		fmt.Fprintf(&b, " on %s\n", strings.Join(d.Locations, " | "))
	}
	for _, t := range s.Types {
		if strings.HasPrefix(t.Name, "__") || t.Kind == "SCALAR" && builtInScalar(t.Name) {
			continue
		}
		desc(t.Description, "")
		switch t.Kind {
		case "SCALAR":
			fmt.Fprintf(&b, "scalar %s", t.Name)
			if t.SpecifiedByURL != nil {
				fmt.Fprintf(&b, " @specifiedBy(url: %s)", quote(*t.SpecifiedByURL))
			}
			b.WriteString("\n")
		case "OBJECT", "INTERFACE":
			kw := "type"
			if t.Kind == "INTERFACE" {
				kw = "interface"
			}
			fmt.Fprintf(&b, "%s %s", kw, t.Name)
			for i, it := range t.Interfaces {
				if i == 0 {
					b.WriteString(" implements ")
				} else {
					b.WriteString(" & ")
				}
				b.WriteString(it.Name)
			}
			b.WriteString(" {\n")
			for _, f := range t.Fields {
				desc(f.Description, "  ")
				b.WriteString("  " + f.Name)
				if len(f.Args) > 0 {
					b.WriteString("(\n")
					inputs(f.Args, "    ")
					b.WriteString("  )")
				}
				fmt.Fprintf(&b, ": %s%s\n", typeRef(f.Type), deprecated(f.IsDeprecated, f.DeprecationReason))
			}
			b.WriteString("}\n")
		case "UNION":
			names := make([]string, len(t.PossibleTypes))
			for i, p := range t.PossibleTypes {
				names[i] = p.Name
			}
			fmt.Fprintf(&b, "union %s = %s\n", t.Name, strings.Join(names, " | "))
		case "ENUM":
			fmt.Fprintf(&b, "enum %s {\n", t.Name)
			for _, v := range t.EnumValues {
				desc(v.Description, "  ")
				fmt.Fprintf(&b, "  %s%s\n", v.Name, deprecated(v.IsDeprecated, v.DeprecationReason))
			}
			b.WriteString("}\n")
		case "INPUT_OBJECT":
			fmt.Fprintf(&b, "input %s", t.Name)
			if t.IsOneOf {
				b.WriteString(" @oneOf")
			}
			b.WriteString(" {\n")
			inputs(t.InputFields, "  ")
			b.WriteString("}\n")
		default:
			return "", fmt.Errorf("type %s has kind %q", t.Name, t.Kind)
		}
	}
	return formatSDL(b.String())
}

func builtInScalar(name string) bool {
	switch name {
	case "Int", "Float", "String", "Boolean", "ID":
		return true
	}
	return false
}

// typeRef prints a type reference, e.g. [String!]!.
func typeRef(r introRef) string {
	switch r.Kind {
	case "NON_NULL":
		if r.OfType != nil {
			return typeRef(*r.OfType) + "!"
		}
	case "LIST":
		if r.OfType != nil {
			return "[" + typeRef(*r.OfType) + "]"
		}
	}
	return r.Name
}

// quote writes s as a GraphQL string literal: JSON's escapes are GraphQL's.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}
