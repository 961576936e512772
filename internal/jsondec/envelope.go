package jsondec

import "bytes"

// Envelope finds the members of the common GraphQL response body,
// {"data": {...}, "extensions": ...} with "data" first, non-null, and
// "errors" absent or null, in one scan that also checks the whole body is
// valid JSON. It returns the bytes of data and of extensions (nil when
// absent), which alias b. It reports false for anything else (errors, data
// null, absent or not first, invalid JSON, a member twice, or a key
// encoding/json would match case-insensitively), which the caller decodes
// the careful way.
func Envelope(b []byte) (data, extensions []byte, ok bool) {
	// Servers put data first; requiring it keeps this path simple.
	if !dataFirst(b) {
		return nil, nil, false
	}
	d := New(b)
	if !d.Object() {
		return nil, nil, false
	}
	var seen uint64
	for first := true; ; first = false {
		key, ok := d.Key(first)
		if !ok {
			break
		}
		switch string(key) {
		case "data":
			d.Seen(&seen, 0)
			data = d.View()
		case "errors":
			d.Seen(&seen, 1)
			if !d.Null() {
				return nil, nil, false
			}
		case "extensions":
			d.Seen(&seen, 2)
			extensions = d.View()
		default:
			d.Unknown(key, envelopeKeys)
		}
	}
	if !d.End() || data == nil || string(data) == "null" {
		return nil, nil, false
	}
	return data, extensions, true
}

// envelopeKeys are the members of a response Envelope reads, in upper case,
// for Decoder.Unknown.
var envelopeKeys = []string{"DATA", "ERRORS", "EXTENSIONS"}

// dataFirst reports whether b is an object whose first member is "data".
func dataFirst(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if !bytes.HasPrefix(b, []byte(`"data"`)) {
		return false
	}
	b = bytes.TrimLeft(b[len(`"data"`):], " \t\r\n")
	return len(b) > 0 && b[0] == ':'
}
