package scalar_test

import (
	"testing"
	"time"

	"github.com/panthersdk/panther-go/panther/scalar"
)

func TestMarshalDateTimeIsUTCWithMilliseconds(t *testing.T) {
	in := time.Date(2026, 11, 27, 1, 2, 3, 456789000, time.FixedZone("PST", -8*3600))
	b, err := scalar.MarshalDateTime(&in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `"2026-11-27T09:02:03.456Z"`; got != want {
		t.Errorf("MarshalDateTime = %s, want %s", got, want)
	}
}

func TestMarshalTimestampKeepsNanoseconds(t *testing.T) {
	in := time.Date(2026, 11, 27, 1, 2, 3, 456789000, time.FixedZone("CET", 3600))
	b, err := scalar.MarshalTimestamp(&in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `"2026-11-27T00:02:03.456789Z"`; got != want {
		t.Errorf("MarshalTimestamp = %s, want %s", got, want)
	}
}

func TestUnmarshalAcceptsTheFormsPantherSends(t *testing.T) {
	want := time.Date(2026, 11, 27, 9, 2, 3, 456000000, time.UTC)
	for _, in := range []string{
		`"2026-11-27T09:02:03.456Z"`,
		`"2026-11-27T10:02:03.456+01:00"`,
		`"2026-11-27T09:02:03.456"`,
		`"2026-11-27 09:02:03.456"`,
	} {
		var got time.Time
		if err := scalar.UnmarshalDateTime([]byte(in), &got); err != nil {
			t.Errorf("UnmarshalDateTime(%s): %v", in, err)
			continue
		}
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("UnmarshalDateTime(%s) = %v, want %v in UTC", in, got, want)
		}
	}
}

func TestUnmarshalNullLeavesValue(t *testing.T) {
	keep := time.Unix(1, 0)
	got := keep
	if err := scalar.UnmarshalTimestamp([]byte("null"), &got); err != nil || !got.Equal(keep) {
		t.Errorf("null: got %v, %v", got, err)
	}
}

func TestUnmarshalRejectsGarbage(t *testing.T) {
	var got time.Time
	for _, in := range []string{`"last tuesday"`, `12345`, `{"a":1}`, `"2026-13-01T00:00:00Z"`} {
		if err := scalar.UnmarshalDateTime([]byte(in), &got); err == nil {
			t.Errorf("UnmarshalDateTime(%s) accepted garbage as %v", in, got)
		}
	}
}

// A time written with JSON escapes is unusual but valid JSON; it must decode
// like the plain form and not only the escape-free fast path.
func TestUnmarshalEscapedString(t *testing.T) {
	want := time.Date(2026, 11, 27, 9, 2, 3, 456000000, time.UTC)
	for _, in := range []string{
		`"\u0032026-11-27T09:02:03.456Z"`,
		`"2\u003026-11-27T09:02:03.456Z"`,
		`"2026-11-27T09:02:03.456\u005a"`,
		`" 2026-11-27T09:02:03.456Z\n"`,
	} {
		var got time.Time
		if err := scalar.UnmarshalTimestamp([]byte(in), &got); err != nil {
			t.Errorf("UnmarshalTimestamp(%s): %v", in, err)
			continue
		}
		if !got.Equal(want) {
			t.Errorf("UnmarshalTimestamp(%s) = %v, want %v", in, got, want)
		}
	}
}

func TestUnmarshalRejectsBrokenStrings(t *testing.T) {
	var got time.Time
	for _, in := range []string{`"`, `"2026-11-27T09:02:03.456Z`, `"2026-11-27T09:02:03.456Z\"`, "\"2026-11-27T09:02:03.456Z\x01\""} {
		if err := scalar.UnmarshalDateTime([]byte(in), &got); err == nil {
			t.Errorf("UnmarshalDateTime(%q) accepted a broken string as %v", in, got)
		}
	}
}
