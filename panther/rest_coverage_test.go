package panther

import (
	"context"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/panthersdk/panther-go/schema"
)

// specOperations reads every operation of the REST spec: operationId ->
// "METHOD /path/template".
func specOperations(t *testing.T) map[string]string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(schema.OpenAPI, &doc); err != nil {
		t.Fatalf("reading %s: %v", schema.OpenAPIFilename, err)
	}
	ops := map[string]string{}
	for path, methods := range doc.Paths {
		for method, op := range methods {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
			default:
				continue // parameters, summary, ...
			}
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
				continue
			}
			ops[op.OperationID] = strings.ToUpper(method) + " " + path
		}
	}
	return ops
}

// matchTemplate reports whether "METHOD /escaped/path" is an instance of
// "METHOD /path/{template}".
func matchTemplate(tmpl, got string) bool {
	tm, tp, _ := strings.Cut(tmpl, " ")
	gm, gp, _ := strings.Cut(got, " ")
	if tm != gm {
		return false
	}
	ts, gs := strings.Split(tp, "/"), strings.Split(gp, "/")
	if len(ts) != len(gs) {
		return false
	}
	for i := range ts {
		if !strings.HasPrefix(ts[i], "{") && ts[i] != gs[i] {
			return false
		}
	}
	return true
}

// TestRESTCoverage calls every method of the generated REST client through
// a *Client and fails naming each operation of the spec that no method
// reaches.
func TestRESTCoverage(t *testing.T) {
	ops := specOperations(t)
	if len(ops) == 0 {
		t.Fatal("no operations in the spec")
	}
	var mu sync.Mutex
	var sent []string
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = append(sent, r.Method+" "+r.URL.EscapedPath())
		mu.Unlock()
		writeREST(w, 200, `{}`)
	})
	c, _ := newTestClient(t, srv.URL)
	rc := reflect.ValueOf(c.REST())
	reached := map[string]string{} // operationId -> method name
	for i := 0; i < rc.NumMethod(); i++ {
		m := rc.Type().Method(i)
		if !strings.HasSuffix(m.Name, "WithResponse") || strings.HasSuffix(m.Name, "WithBodyWithResponse") {
			continue
		}
		fn := rc.Method(i)
		ft := fn.Type()
		args := []reflect.Value{reflect.ValueOf(context.Background())}
		for a := 1; a < ft.NumIn(); a++ {
			in := ft.In(a)
			if ft.IsVariadic() && a == ft.NumIn()-1 {
				break
			}
			if in.Kind() == reflect.String {
				args = append(args, reflect.ValueOf("id1").Convert(in))
			} else {
				args = append(args, reflect.Zero(in))
			}
		}
		mu.Lock()
		before := len(sent)
		mu.Unlock()
		out := fn.Call(args)
		mu.Lock()
		got := append([]string(nil), sent[before:]...)
		mu.Unlock()
		if len(got) != 1 {
			t.Errorf("%s sent %d requests (error %v)", m.Name, len(got), out[1].Interface())
			continue
		}
		for id, tmpl := range ops {
			if matchTemplate(tmpl, got[0]) {
				reached[id] = m.Name
			}
		}
	}
	var missing []string
	for id, tmpl := range ops {
		if _, ok := reached[id]; !ok {
			missing = append(missing, id+" ("+tmpl+")")
		}
	}
	sort.Strings(missing)
	t.Logf("REST operations callable through *panther.Client: %d/%d", len(ops)-len(missing), len(ops))
	if len(missing) > 0 {
		t.Errorf("operations of %s without a generated method callable through *panther.Client:\n  %s",
			schema.OpenAPIFilename, strings.Join(missing, "\n  "))
	}
}
