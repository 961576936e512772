package panther_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// alertOrigins is the README's forward compatibility example: it tells a
// kind of alert origin newer than the SDK from the known ones.
func alertOrigins(ctx context.Context, client graphql.Client) error {
	lastDay := panther.AlertFilter{Since: time.Now().Add(-24 * time.Hour)}
	for alert, err := range panther.ListAlerts(ctx, client, lastDay) {
		if err != nil {
			return err
		}
		switch o := alert.Origin.(type) {
		case *generated.AlertSummaryOriginDetection:
			fmt.Println(alert.Id, "from detection", o.Id)
		case *generated.UnknownAlertSummaryOriginAlertOrigin:
			// A kind of origin Panther added after this SDK was built:
			// its GraphQL type name and its JSON, as Panther sent it.
			fmt.Println(alert.Id, "from a", o.Typename, string(o.Raw))
		}
	}
	return nil
}

// stdout runs f and returns what it printed.
func stdout(t *testing.T, f func() error) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	orig := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	ferr := f()
	os.Stdout = orig
	w.Close()
	out := <-done
	if ferr != nil {
		t.Fatal(ferr)
	}
	return out
}

func TestREADMEAlertOrigins(t *testing.T) {
	t.Run("known origins", func(t *testing.T) {
		srv := panthertest.Start(t, panthertest.WithSeed(1), panthertest.WithAlerts(20))
		client, err := panther.New(srv.GraphQLURL(), srv.Token())
		if err != nil {
			t.Fatal(err)
		}
		if out := stdout(t, func() error { return alertOrigins(t.Context(), client) }); !strings.Contains(out, "from detection") {
			t.Errorf("printed %q, want alerts from detections", out)
		}
	})
	t.Run("an origin newer than the SDK", func(t *testing.T) {
		page := `{"data":{"alerts":{"edges":[{"node":{"id":"a1","title":"t","severity":"HIGH","status":"OPEN","type":"RULE",
			"createdAt":"2026-11-27T09:02:03.456Z","lastReceivedEventAt":"2026-11-27T09:02:03.456Z",
			"origin":{"__typename":"AIDetection","model":"m-1"}}}],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}`
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, page)
		}))
		t.Cleanup(srv.Close)
		client, err := panther.New(srv.URL, "test-token-0123456789abcdef")
		if err != nil {
			t.Fatal(err)
		}
		want := `a1 from a AIDetection {"__typename":"AIDetection","model":"m-1"}` + "\n"
		if out := stdout(t, func() error { return alertOrigins(t.Context(), client) }); out != want {
			t.Errorf("printed %q, want %q", out, want)
		}
	})
}
