package panthertest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestWithSchemaServesThatSchema(t *testing.T) {
	const sdl = `type Query { hello(name: String @deprecated(reason: "unused")): String }`
	srv := Start(t, WithSchema(sdl))
	body := `{"query":"{ __type(name: \"Query\") { fields { args(includeDeprecated: true) { name isDeprecated deprecationReason } } } }"}`
	req, _ := http.NewRequest(http.MethodPost, srv.GraphQLURL(), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if want := `{"name":"name","isDeprecated":true,"deprecationReason":"unused"}`; !strings.Contains(string(b), want) {
		t.Errorf("introspection of the given schema = %s, want it to contain %s", b, want)
	}
}

func TestWithSchemaInvalidAnswers500(t *testing.T) {
	srv := NewServer(WithSchema(`type Query { x: Nope }`))
	defer srv.Close()
	resp, err := http.Post(srv.GraphQLURL(), "application/json", strings.NewReader(`{"query":"{ x }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(b), "WithSchema") || !strings.Contains(string(b), "Nope") {
		t.Errorf("status %d body %q, want 500 naming WithSchema and the undefined type", resp.StatusCode, b)
	}
}
