// Command schemafetch downloads Panther's public GraphQL schema and writes
// it, with its metadata, into the repository.
//
// Usage:
//
//	go run ./tools/schemafetch [flags]
//
// The source is one of:
//
//	-version latest|vX.Y.Z   Panther's published schema of a release (default latest)
//	-url URL                 a mirror of schema.public.graphql
//	-file PATH               a local file
//	-introspect DOMAIN       a live Panther API, via graphql-js's full introspection
//	                         query (deprecated arguments and input fields, repeatable
//	                         directives, @specifiedBy, the schema description; a server
//	                         that rejects it gets the older standard query); the token
//	                         comes from $PANTHER_API_TOKEN or -token
//
// A schema from -url or -file may be at most 32 MiB; a larger one, like an
// HTML page or JSON, is "not a schema" (exit 5).
//
// A published schema file is written byte for byte, so its sha256 in the
// metadata equals Panther's; an introspection result is printed as
// normalized SDL (sorted types, fields, arguments and enum values).
// -normalize normalizes published files too.
//
// The schema goes to -out (default schema/schema.public.graphql, "-" for
// standard output) and its metadata (source, version, sha256, fetchedAt) to
// -meta (default schema.meta.json next to -out). Both are written to a
// temporary file and renamed into place. When the schema and its source
// are unchanged, neither file is touched.
//
// Exit codes:
//
//	0  success
//	1  other failure (e.g. the output could not be written)
//	2  usage error (bad flags, bad version, bad endpoint)
//	3  the schema could not be fetched: network or HTTP error, timeout, unreadable file
//	4  unauthorized: HTTP 401/403, or no token for -introspect
//	5  the content is not a valid GraphQL schema (e.g. an HTML page, also one
//	   returned to -introspect with status 200), or is larger than 32 MiB
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/panthersdk/panther-go/tools/internal/fetch"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schemafetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		src       fetch.Flags
		out       = fs.String("out", "schema/schema.public.graphql", `write the schema here ("-" for standard output, no metadata)`)
		metaPath  = fs.String("meta", "", "write the metadata here (default schema.meta.json next to -out)")
		normalize = fs.Bool("normalize", false, "normalize a published schema instead of keeping Panther's bytes")
	)
	src.Register(fs, "latest")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: schemafetch [-version latest|vX.Y.Z | -url URL | -file PATH | -introspect DOMAIN] [-out FILE] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return fetch.ExitOK
		}
		return fetch.ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "schemafetch: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return fetch.ExitUsage
	}

	fail := func(err error) int {
		fmt.Fprintf(stderr, "schemafetch: %v\n", err)
		return fetch.ExitCode(err)
	}
	source, err := src.Source(nil)
	if err != nil {
		return fail(err)
	}
	if src.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, src.Timeout)
		defer cancel()
	}
	res, err := fetch.Fetch(ctx, source, fetch.Options{Normalize: *normalize})
	if err != nil {
		return fail(err)
	}

	if *out == "-" {
		if _, err := stdout.Write(res.SDL); err != nil {
			return fail(err)
		}
		return fetch.ExitOK
	}
	if *metaPath == "" {
		*metaPath = filepath.Join(filepath.Dir(*out), "schema.meta.json")
	}
	meta := fetch.NewMeta(res, time.Now())
	if unchanged(*out, *metaPath, meta) {
		fmt.Fprintf(stderr, "schemafetch: %s is up to date (%s, version %s, sha256 %s)\n", *out, meta.Source, meta.Version, meta.SHA256)
		return fetch.ExitOK
	}
	if err := fetch.Write(*out, res.SDL, *metaPath, meta); err != nil {
		return fail(fmt.Errorf("writing the schema: %w", err))
	}
	fmt.Fprintf(stderr, "schemafetch: wrote %s (%d bytes, sha256 %s) and %s from %s, version %s\n",
		*out, len(res.SDL), meta.SHA256, *metaPath, meta.Source, meta.Version)
	return fetch.ExitOK
}

// unchanged reports whether the files on disk already hold this schema
// from this source, so that a scheduled fetch does not produce a commit
// that only bumps fetchedAt.
func unchanged(out, metaPath string, meta fetch.Meta) bool {
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return false
	}
	var old fetch.Meta
	if json.Unmarshal(b, &old) != nil || old.SHA256 != meta.SHA256 || old.Source != meta.Source || old.Version != meta.Version {
		return false
	}
	cur, err := os.ReadFile(out)
	return err == nil && fetch.NewMeta(&fetch.Result{SDL: cur}, time.Time{}).SHA256 == meta.SHA256
}
