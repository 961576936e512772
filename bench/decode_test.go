package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/panthersdk/panther-go/generated"
)

// The BenchmarkDecode* benchmarks take HTTP out of the picture: each op
// decodes one precomputed response body. They split the cost of panther-go
// between its response handling and the generated types:
//
//   - raw: one json.Unmarshal of the body into the hand-written types.
//   - generated-1pass: one json.Unmarshal of the body into an envelope
//     whose Data holds the generated response type, as raw does (for rows:
//     DataLakeQueryResults, the operation that also returns the query's
//     summary fragment).
//   - panther-go: what panther/decode.go decodeResponse does with a good
//     response: its fast-path checks, then one pass into the generated
//     response type panther-go uses (decodePanther; for rows the lean
//     DataLakeQueryResultRows operation).
//     For alerts this is what generated.ListAlertsPage costs; panther.Alerts
//     with a *panther.Client decodes pages through a lean internal type
//     (panther/alertpage.go), which lean-convert approximates.
//   - lean-convert (alerts): one pass into the hand-written types, then
//     each alert copied into a generated.AlertSummary.

// decodePanther mirrors panther/decode.go decodeResponse on a good
// response: the checks that guard its one-pass path (a zero target, "data"
// as the first member, no errors), then one pass. Keep it in step with
// decode.go.
func decodePanther(body []byte, data any) error {
	trimmed := bytes.TrimSpace(body)
	if v := reflect.ValueOf(data); v.Kind() != reflect.Pointer || v.IsNil() || !v.Elem().IsZero() {
		return errors.New("target is not a pointer to a zero value")
	}
	if !bytes.HasPrefix(trimmed, []byte(`{"data":`)) {
		return errors.New(`"data" is not the first member`)
	}
	env := struct {
		Data       any             `json:"data"`
		Errors     json.RawMessage `json:"errors"`
		Extensions json.RawMessage `json:"extensions"`
	}{Data: data}
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return err
	}
	if env.Data == nil || len(env.Errors) > 0 && string(env.Errors) != "null" {
		return errors.New("not a plain data response")
	}
	return nil
}

func decodeOnePass(body []byte, data any) error {
	env := struct {
		Data       any             `json:"data"`
		Errors     json.RawMessage `json:"errors"`
		Extensions json.RawMessage `json:"extensions"`
	}{Data: data}
	return json.Unmarshal(body, &env)
}

func benchDecode(b *testing.B, body []byte, decoders map[string]func() error) {
	for _, name := range []string{"raw", "generated-1pass", "panther-go", "lean-convert"} {
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
		"generated-1pass": func() error {
			var v generated.ListAlertsPageResponse
			return decodeOnePass(body, &v)
		},
		"panther-go": func() error {
			var v generated.ListAlertsPageResponse
			return decodePanther(body, &v)
		},
		"lean-convert": func() error {
			var v rawAlerts
			if err := json.Unmarshal(body, &rawEnvelope{Data: &v}); err != nil {
				return err
			}
			out := make([]generated.AlertSummary, len(v.Alerts.Edges))
			for i := range v.Alerts.Edges {
				out[i] = toGenerated(&v.Alerts.Edges[i].Node)
			}
			return nil
		},
	})
}

// toGenerated copies a hand-decoded alert into the generated type, as a
// lean decoding path in panther.Alerts would.
func toGenerated(a *rawAlert) generated.AlertSummary {
	s := generated.AlertSummary{
		Id: a.ID, Title: a.Title, Severity: generated.Severity(a.Severity), Status: generated.AlertStatus(a.Status),
		Type: generated.AlertType(a.Type), Description: a.Description, Reference: a.Reference, Runbook: a.Runbook,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, FirstEventOccurredAt: a.FirstEventOccurredAt,
		LastReceivedEventAt: a.LastReceivedEventAt,
	}
	if u := a.Assignee; u != nil {
		s.Assignee = &generated.AlertSummaryAssigneeUser{Id: u.ID, Email: u.Email, GivenName: u.GivenName, FamilyName: u.FamilyName}
	}
	tn := a.Origin.Typename
	switch tn {
	case "Detection":
		s.Origin = &generated.AlertSummaryOriginDetection{Typename: &tn, Id: a.Origin.ID, Name: a.Origin.Name, DetectionType: generated.DetectionType(a.Origin.DetectionType)}
	case "DeletedDetection":
		s.Origin = &generated.AlertSummaryOriginDeletedDetection{Typename: &tn, Id: a.Origin.ID}
	case "SystemError":
		s.Origin = &generated.AlertSummaryOriginSystemError{Typename: &tn, RelatedComponent: generated.RelatedComponent(a.Origin.RelatedComponent), ErrorType: generated.SystemErrorType(a.Origin.ErrorType)}
	}
	if u := a.UpdatedBy; u != nil {
		tn := u.Typename
		switch tn {
		case "User":
			s.UpdatedBy = &generated.ActorRefUser{Typename: &tn, Id: u.ID, Email: u.Email, GivenName: u.GivenName, FamilyName: u.FamilyName}
		case "APIToken":
			s.UpdatedBy = &generated.ActorRefAPIToken{Typename: &tn, Id: u.ID, Name: u.Name}
		}
	}
	return s
}

// BenchmarkDecodeRowsPage decodes one page of 999 data lake rows.
func BenchmarkDecodeRowsPage(b *testing.B) {
	body := server().rowPages[queryIDLarge][1].body
	benchDecode(b, body, map[string]func() error{
		"raw": func() error {
			var v rawResults
			return json.Unmarshal(body, &rawEnvelope{Data: &v})
		},
		"generated-1pass": func() error {
			var v generated.DataLakeQueryResultsResponse
			return decodeOnePass(body, &v)
		},
		"panther-go": func() error {
			var v generated.DataLakeQueryResultRowsResponse
			return decodePanther(body, &v)
		},
	})
}
