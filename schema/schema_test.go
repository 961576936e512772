package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestMetadataMatchesEmbeddedFiles checks that each metadata file records
// the sha256 of the contract that is embedded, so a copied-in update that
// forgets its metadata fails here.
func TestMetadataMatchesEmbeddedFiles(t *testing.T) {
	for _, tc := range []struct {
		meta, content string
	}{
		{"schema.meta.json", SDL},
		{"panther-rest-openapi.meta.json", string(OpenAPI)},
	} {
		raw, err := os.ReadFile(tc.meta)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Source, Version, SHA256 string
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", tc.meta, err)
		}
		sum := sha256.Sum256([]byte(tc.content))
		if got := hex.EncodeToString(sum[:]); got != m.SHA256 {
			t.Errorf("%s: sha256 %s, embedded file has %s", tc.meta, m.SHA256, got)
		}
		if m.Source == "" || m.Version == "" {
			t.Errorf("%s: source and version must be set", tc.meta)
		}
	}
	if !strings.HasPrefix(strings.TrimSpace(strings.SplitN(string(OpenAPI), "openapi:", 2)[1]), "3.0.3") {
		t.Errorf("%s is not an OpenAPI 3.0.3 document", OpenAPIFilename)
	}
}
