package scalar

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The allocation-free path for plain RFC 3339 strings gives what the
// layouts give.
func TestUnmarshalFastPathMatchesLayouts(t *testing.T) {
	for _, s := range []string{
		"2026-11-27T09:02:03.456Z", "2026-11-27T09:02:03Z", "2026-11-27T09:02:03.123456789+02:00",
		"2026-11-27T09:02:03-07:30", "2026-11-27t09:02:03z", "2026-11-27T24:00:00Z", "2026-02-30T00:00:00Z",
		" 2026-11-27T09:02:03Z ", "2026-11-27T09:02:03.Z", "2026-11-27T09:02:03,5Z", "2026-11-27T09:02:03+24:00",
		"2026-11-27 09:02:03.000", "2026-11-27T09:02:03.000", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
	} {
		var want time.Time
		var wantErr error
		for _, layout := range layouts {
			if v, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
				want, wantErr = v.UTC(), nil
				break
			}
			wantErr = errors.New("no layout")
		}
		var got time.Time
		err := UnmarshalDateTime([]byte(`"`+s+`"`), &got)
		if (err == nil) != (wantErr == nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("%q: got %v (%v), want %v (%v)", s, got, err, want, wantErr)
		}
	}
}
