// Package scalar converts Panther's custom GraphQL scalars to and from Go
// types. The generated code in package generated is bound to these
// functions through genqlient.yaml, so users only ever see ordinary Go types:
//
//	DateTime  -> time.Time  (sent as YYYY-MM-DDThh:mm:ss.000Z, in UTC)
//	Timestamp -> time.Time  (sent as RFC 3339 with nanoseconds, in UTC)
//	Long      -> int64
//	JSON      -> json.RawMessage (decode it into what you expect)
//	Email     -> string
package scalar

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// DateTimeLayout is the format Panther documents for its DateTime scalar:
// "A date in UTC with a format of YYYY-MM-DDThh:mm:ss.000Z".
const DateTimeLayout = "2006-01-02T15:04:05.000Z"

// layouts that Panther has been seen to return for DateTime and Timestamp
// values. Decoding is lenient, so that a server that drops the milliseconds
// or adds an offset still decodes; encoding is strict.
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999", // no zone: Panther stores UTC
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", // data-lake style
}

// MarshalDateTime encodes t as a Panther DateTime: UTC, millisecond
// precision, with a literal Z.
func MarshalDateTime(t *time.Time) ([]byte, error) {
	if t == nil {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(DateTimeLayout))
}

// UnmarshalDateTime decodes a Panther DateTime. JSON null leaves t unchanged.
func UnmarshalDateTime(b []byte, t *time.Time) error {
	return unmarshalTime("DateTime", b, t)
}

// MarshalTimestamp encodes t as an ISO 8601 timestamp in UTC.
func MarshalTimestamp(t *time.Time) ([]byte, error) {
	if t == nil {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}

// UnmarshalTimestamp decodes a Panther Timestamp. JSON null leaves t
// unchanged.
func UnmarshalTimestamp(b []byte, t *time.Time) error {
	return unmarshalTime("Timestamp", b, t)
}

func unmarshalTime(scalar string, b []byte, t *time.Time) error {
	if string(b) == "null" {
		return nil
	}
	// The form servers send, RFC 3339 in a plain JSON string, parses
	// without allocating; it gives what time.Parse(time.RFC3339Nano, s),
	// the first layout below, gives.
	var v time.Time
	if len(b) > 2 && b[0] == '"' && v.UnmarshalJSON(b) == nil {
		*t = v.UTC()
		return nil
	}
	s, ok := plainString(b)
	if !ok {
		// Escapes or something that is not a string: let encoding/json
		// decide. Only the rare escaped time pays for this.
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("panther %s: want a JSON string, got %.40s", scalar, b)
		}
	}
	s = strings.TrimSpace(s)
	for _, layout := range layouts {
		if v, err := time.Parse(layout, s); err == nil {
			*t = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("panther %s: cannot parse %q as an ISO 8601 time", scalar, s)
}

// plainString returns the contents of a JSON string literal that has no
// escapes and no control characters, which is how every server writes a
// time. It avoids a json.Unmarshal (a decoder, a scan and a copy) for each
// time field of every decoded object; anything else reports !ok.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	return string(inner), true
}
