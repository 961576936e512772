package panther

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"unicode"
	"unicode/utf8"
)

const redacted = "[REDACTED]"

// secret holds the API token. Every way of printing, logging or encoding a
// secret yields "[REDACTED]". fmt cannot call methods on unexported struct
// fields, so types that hold a secret keep it behind a pointer (printed as
// an address) and implement fmt.Formatter themselves as well.
type secret struct {
	value  string
	header []string // value as a header value, shared by every request
}

// newSecret returns the secret for token.
func newSecret(token string) *secret {
	return &secret{value: token, header: []string{token}}
}

func (secret) String() string               { return redacted }
func (secret) GoString() string             { return redacted }
func (secret) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }
func (secret) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
func (secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// redact replaces every occurrence of the token in text, ignoring ASCII
// case: a server may echo it in a host name, which URL parsing lowercases.
func (s *secret) redact(text string) string {
	if s == nil || s.value == "" || len(text) < len(s.value) {
		return text
	}
	return string(redactBytes([]byte(text), s.value))
}

// redactBytes is redact for a byte slice. It returns b itself when the token
// does not occur, and otherwise a redacted copy.
func redactBytes(b []byte, token string) []byte {
	if token == "" || len(b) < len(token) {
		return b
	}
	// Tokens are ASCII (see checkToken), so folding ASCII letters keeps
	// byte offsets of the folded copy and the original in step.
	folded := asciiLower(b)
	needle := asciiLower([]byte(token))
	i := bytes.Index(folded, needle)
	if i < 0 {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b))
	for i >= 0 {
		out.Write(b[:i])
		out.WriteString(redacted)
		b, folded = b[i+len(needle):], folded[i+len(needle):]
		i = bytes.Index(folded, needle)
	}
	out.Write(b)
	return out.Bytes()
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// checkToken reports why token cannot be sent in an HTTP header, without
// ever including the token in the error.
func checkToken(token string) error {
	if token == "" {
		return fmt.Errorf("%w: empty", ErrInvalidToken)
	}
	for _, r := range token {
		switch {
		case r == utf8.RuneError:
			return fmt.Errorf("%w: not valid UTF-8", ErrInvalidToken)
		case unicode.IsSpace(r):
			return fmt.Errorf("%w: contains whitespace (check for a trailing newline)", ErrInvalidToken)
		case unicode.IsControl(r):
			return fmt.Errorf("%w: contains a control character", ErrInvalidToken)
		case r >= utf8.RuneSelf:
			return fmt.Errorf("%w: contains a non-ASCII character", ErrInvalidToken)
		}
	}
	return nil
}

// snippet returns a short, single-line, printable excerpt of a response body
// for an error message: HTML tags removed, whitespace collapsed, control
// characters and invalid UTF-8 dropped, the token redacted, at most max
// bytes.
func snippet(body []byte, tok *secret, max int) string {
	// Never scan a huge body just to print a few bytes of it, but redact
	// before the final cut, so that no prefix of the token survives.
	limit := 8 * max
	if tok != nil {
		if len(body) > limit+len(tok.value) {
			body = body[:limit+len(tok.value)]
		}
		body = redactBytes(body, tok.value)
	}
	if len(body) > limit {
		body = body[:limit]
	}
	var b strings.Builder
	inTag, space := false, false
	s := string(body)
	for i, r := range s {
		switch {
		case r == '<' && i+1 < len(s) && (isASCIILetter(s[i+1]) || s[i+1] == '/' || s[i+1] == '!'):
			inTag = true
		case inTag:
			if r == '>' {
				inTag, space = false, true
			}
		case r == utf8.RuneError, unicode.IsSpace(r), unicode.IsControl(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
		if b.Len() > 2*max {
			break
		}
	}
	return truncate(b.String(), max)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// sanitizeHeader returns a response header value fit for an error or log:
// printable ASCII only, at most 128 bytes, the token redacted.
func sanitizeHeader(v string, tok *secret) string {
	v = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, v)
	return truncate(tok.redact(v), 128)
}
