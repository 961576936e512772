package panthertest

import (
	"time"
)

// args wraps the coerced arguments or input object the engine hands to a
// resolver. The engine has already validated types against the schema, so the
// accessors only convert; a key that is absent was not sent by the caller,
// while a key mapped to nil was sent as an explicit null.
type args map[string]any

// input returns the nested input object under key, or an empty args when the
// caller did not send one.
func (a args) input(key string) args {
	if m, ok := a[key].(map[string]any); ok {
		return args(m)
	}
	return args{}
}

// has reports whether the caller sent key at all (null included).
func (a args) has(key string) bool {
	_, ok := a[key]
	return ok
}

// isNull reports whether the caller sent an explicit null for key.
func (a args) isNull(key string) bool {
	v, ok := a[key]
	return ok && v == nil
}

func (a args) str(key string) string {
	s, _ := a[key].(string)
	return s
}

// optStr returns the string under key and whether a non-null value was sent.
func (a args) optStr(key string) (string, bool) {
	s, ok := a[key].(string)
	return s, ok
}

func (a args) boolean(key string) bool {
	b, _ := a[key].(bool)
	return b
}

// optBool returns the bool under key and whether a non-null value was sent.
func (a args) optBool(key string) (bool, bool) {
	b, ok := a[key].(bool)
	return b, ok
}

// optInt returns the int under key and whether a non-null value was sent.
func (a args) optInt(key string) (int, bool) {
	switch v := a[key].(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		return int(v), true
	}
	return 0, false
}

func (a args) strs(key string) []string {
	list, _ := a[key].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (a args) objects(key string) []args {
	list, _ := a[key].([]any)
	out := make([]args, 0, len(list))
	for _, v := range list {
		if m, ok := v.(map[string]any); ok {
			out = append(out, args(m))
		}
	}
	return out
}

// dateTime parses a DateTime argument. ok is false when the key is absent or
// null; err is set when a value was sent that is not a valid DateTime.
func (a args) dateTime(key string) (t time.Time, ok bool, err error) {
	s, present := a.optStr(key)
	if !present {
		return time.Time{}, false, nil
	}
	t, err = parseDateTime(s)
	if err != nil {
		return time.Time{}, false, invalidInput("%s: %q is not a valid DateTime (want YYYY-MM-DDThh:mm:ss.000Z)", key, s)
	}
	return t, true, nil
}

func parseDateTime(s string) (time.Time, error) {
	var firstErr error
	for _, layout := range []string{"2006-01-02T15:04:05.000Z", time.RFC3339Nano} {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t.UTC(), nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, firstErr
}
