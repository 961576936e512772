package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/internal/jsondec"
)

// The BenchmarkDecode* benchmarks take HTTP out of the picture: each op
// decodes one precomputed response body, the same body for every row. They
// split the cost of panther-go between its response handling and the
// generated types:
//
//   - raw: one json.Unmarshal of the body into the hand-written types.
//   - json-envelope: one json.Unmarshal of the body into an envelope whose
//     Data holds the generated response type: encoding/json scans the
//     body, then hands data to the type's generated single-pass
//     UnmarshalJSON.
//   - panther-go: the steps of panther/decode.go decodeOnePass on a good
//     response, with the same functions: jsondec.Envelope finds data in one
//     scan of the body, then the generated UnmarshalJSON decodes it. This
//     is what every generated function and iterator costs on such a
//     response, before the HTTP round trip.

// decodePanther is panther/decode.go decodeOnePass on a good response,
// without its zero-value check and extensions (which this body has none
// of).
func decodePanther(body []byte, data json.Unmarshaler) error {
	raw, _, ok := jsondec.Envelope(bytes.TrimSpace(body))
	if !ok {
		return errors.New("not a plain data response")
	}
	return data.UnmarshalJSON(raw)
}

func decodeEnvelope(body []byte, data any) error {
	env := struct {
		Data       any             `json:"data"`
		Errors     json.RawMessage `json:"errors"`
		Extensions json.RawMessage `json:"extensions"`
	}{Data: data}
	return json.Unmarshal(body, &env)
}

func benchDecode(b *testing.B, body []byte, decoders map[string]func() error) {
	for _, name := range []string{"raw", "json-envelope", "panther-go"} {
		dec, ok := decoders[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			if err := dec(); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := dec(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeAlertsPage decodes one page of 100 alerts.
func BenchmarkDecodeAlertsPage(b *testing.B) {
	body := server().alertFirst[100].body
	benchDecode(b, body, map[string]func() error{
		"raw": func() error {
			var v rawAlerts
			return json.Unmarshal(body, &rawEnvelope{Data: &v})
		},
		"json-envelope": func() error {
			var v generated.ListAlertsPageResponse
			return decodeEnvelope(body, &v)
		},
		"panther-go": func() error {
			var v generated.ListAlertsPageResponse
			return decodePanther(body, &v)
		},
	})
}

// BenchmarkDecodeRowsPage decodes one page of 999 data lake rows of the
// DataLakeQueryResultRows operation, which panther.DataLakeResults sends.
func BenchmarkDecodeRowsPage(b *testing.B) {
	body := server().leanPages[queryIDLarge][1].body
	benchDecode(b, body, map[string]func() error{
		"raw": func() error {
			var v rawRows
			return json.Unmarshal(body, &rawEnvelope{Data: &v})
		},
		"json-envelope": func() error {
			var v generated.DataLakeQueryResultRowsResponse
			return decodeEnvelope(body, &v)
		},
		"panther-go": func() error {
			var v generated.DataLakeQueryResultRowsResponse
			return decodePanther(body, &v)
		},
	})
}
