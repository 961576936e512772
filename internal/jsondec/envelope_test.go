package jsondec

import "testing"

func TestEnvelope(t *testing.T) {
	for _, tc := range []struct {
		body, data, ext string
		ok              bool
	}{
		{`{"data":{"a":1}}`, `{"a":1}`, "", true},
		{` {"data" : {"a":1}, "errors": null, "extensions": {"cost":2}} `, `{"a":1}`, `{"cost":2}`, true},
		{`{"data":{"a":1},"errors":[{"message":"x"}]}`, "", "", false}, // errors: the careful way
		{`{"errors":null,"data":{"a":1}}`, "", "", false},              // data not first
		{`{"data":null}`, "", "", false},
		{`{"data":{"a":1},"data":{"a":2}}`, "", "", false},            // a member twice
		{`{"data":{"a":1},"Errors":[1]}`, "", "", false},              // encoding/json would read it as errors
		{`{"data":{"a":1},"other":[1,{"b":2}]}`, `{"a":1}`, "", true}, // unknown members are skipped
		{`{"data":{"a":1}} x`, "", "", false},
		{`{"data":{"a":1}`, "", "", false},
		{``, "", "", false},
	} {
		data, ext, ok := Envelope([]byte(tc.body))
		if ok != tc.ok || string(data) != tc.data || string(ext) != tc.ext {
			t.Errorf("Envelope(%q) = %q, %q, %v; want %q, %q, %v", tc.body, data, ext, ok, tc.data, tc.ext, tc.ok)
		}
	}
}
