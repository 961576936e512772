// Command panthertest serves a fake Panther (its GraphQL API and its REST
// API) on a loopback address, for trying the SDK from a shell, from another language, or in the
// README quickstart without a Panther account.
//
//	go run ./tools/panthertest -addr 127.0.0.1:8080 -seed 1
//
// It prints the GraphQL URL, the REST API's base URL and the API token to
// use, as environment variable assignments. The token is a development token of a fake server
// and is printed on purpose. The server only listens on loopback addresses.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "panthertest:", err)
		os.Exit(2)
	}
}

// run parses args, starts the server and blocks until ctx is done or the
// process is interrupted.
func run(ctx context.Context, argv []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("panthertest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback `host:port` to listen on (port 0 picks a free one)")
	seed := fs.Int64("seed", panthertest.DefaultSeed, "seed for the generated data")
	token := fs.String("token", "", "API token to accept (default: derived from the seed)")
	alerts := fs.Int("alerts", panthertest.DefaultAlerts, "number of alerts to seed")
	polls := fs.Int("query-polls", panthertest.DefaultQueryPolls, "polls a data lake query stays running")
	rows := fs.Int("result-rows", panthertest.DefaultResultRows, "rows a succeeded data lake query returns")
	verbose := fs.Bool("v", false, "log every request to stderr")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: panthertest [flags]\n\nServes a fake Panther GraphQL and REST API on a loopback address.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(argv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	opts := []panthertest.Option{
		panthertest.WithListener(l), panthertest.WithSeed(*seed), panthertest.WithAlerts(*alerts),
		panthertest.WithQueryPolls(*polls), panthertest.WithResultRows(*rows),
	}
	if *token != "" {
		opts = append(opts, panthertest.WithToken(*token))
	}
	if *verbose {
		opts = append(opts, panthertest.WithLogf(log.New(stderr, "", log.LstdFlags).Printf))
	}
	srv := panthertest.NewServer(opts...)
	defer srv.Close()

	fmt.Fprintf(stdout, "fake Panther GraphQL API listening at %s\n", srv.GraphQLURL())
	fmt.Fprintf(stdout, "fake Panther REST API listening at %s (for example %s/alerts)\n\n", srv.URL, srv.URL)
	fmt.Fprintf(stdout, "export PANTHER_GQL_API_URL=%s\n", srv.GraphQLURL())
	fmt.Fprintf(stdout, "export PANTHER_API_TOKEN=%s\n\n", srv.Token())
	fmt.Fprintf(stdout, "The token changes if a client rotates it (rotateAPIToken or POST /api-tokens/self/rotate). Press Ctrl-C to stop.\n")

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// checkLoopback rejects listen addresses that are not on a loopback
// interface: a fake server with a well-known token must not be reachable
// from other machines.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to listen on %q: -addr must be a loopback address such as 127.0.0.1:8080 or [::1]:8080", addr)
	}
	return nil
}
