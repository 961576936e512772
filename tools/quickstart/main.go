// Command quickstart is the README's quickstart: it connects to Panther,
// prints the Panther version and lists the last day's alerts.
//
// With PANTHER_API_TOKEN set it talks to your Panther (see panther.NewFromEnv
// for the variables it reads). Without it, it starts a local fake Panther
// (package panthertest) and says so, so that it runs anywhere.
//
//	go run ./tools/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	client, closeFake, err := connect(out)
	if err != nil {
		return err
	}
	defer closeFake()

	settings, err := generated.GetGeneralSettings(ctx, client)
	if err != nil {
		return err
	}
	version := "unknown"
	if v := settings.GeneralSettings.PantherVersion; v != nil {
		version = *v
	}
	fmt.Fprintln(out, "Panther version:", version)

	day := panther.AlertFilter{Since: time.Now().Add(-24 * time.Hour)}
	n := 0
	for alert, err := range panther.ListAlerts(ctx, client, day) {
		if err != nil {
			return err
		}
		n++
		if n <= 10 {
			fmt.Fprintf(out, "  %s  %-8s %-8s %s\n",
				alert.CreatedAt.Format(time.RFC3339), alert.Severity, alert.Status, alert.Title)
		}
	}
	if n > 10 {
		fmt.Fprintf(out, "  ... and %d more\n", n-10)
	}
	fmt.Fprintf(out, "%d alerts in the last 24 hours\n", n)
	return nil
}

// connect returns a client for the Panther in the environment, or for a
// local fake Panther when no token is set, and a func that stops the fake.
func connect(out io.Writer) (*panther.Client, func(), error) {
	if os.Getenv(panther.EnvAPIToken) != "" {
		fmt.Fprintln(out, "Using the Panther API configured in the environment.")
		c, err := panther.NewFromEnv()
		return c, func() {}, err
	}
	srv := panthertest.NewServer()
	fmt.Fprintf(out, "%s is not set: using a local fake Panther (panthertest) at %s.\n"+
		"Set %s and %s to use your own Panther.\n",
		panther.EnvAPIToken, srv.GraphQLURL(), panther.EnvAPIToken, panther.EnvAPIHost)
	c, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}
