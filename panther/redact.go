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

// redact replaces every occurrence of the token in text, in any ASCII case
// (a server may echo it in a host name, which URL parsing lowercases) and
// in the encodings a server may echo it in: JSON \u escapes, URL percent
// escapes, HTML character references, in either case of hex digits, mixed
// with plain characters, and escaped twice over.
func (s *secret) redact(text string) string {
	if s == nil || s.value == "" || len(text) < len(s.value) {
		return text
	}
	return string(redactBytes([]byte(text), s.value))
}

// redactBytes is redact for a byte slice. It returns b itself when the token
// does not occur, and otherwise a redacted copy.
func redactBytes(b []byte, token string) []byte {
	// An encoded token is no shorter than the token.
	if token == "" || len(b) < len(token) {
		return b
	}
	if bytes.IndexAny(b, `\%&`) < 0 {
		return redactPlain(b, token)
	}
	var out []byte // nil until the token is found
	last := 0
	for i := 0; i+len(token) <= len(b); i++ {
		end, ok := matchEncoded(b, i, token)
		if !ok {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:i]...)
		out = append(out, redacted...)
		last = end
		i = end - 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// redactPlain is redactBytes for text without escapes.
func redactPlain(b []byte, token string) []byte {
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

// matchEncoded reports whether the token, each character plain or encoded,
// starts at b[i], and where it ends.
func matchEncoded(b []byte, i int, token string) (int, bool) {
	for k := 0; k < len(token); k++ {
		if i >= len(b) {
			return 0, false
		}
		if lowerASCII(b[i]) == lowerASCII(token[k]) {
			i++ // plain, even when it looks like the start of an escape
			continue
		}
		c, w := decodeChar(b[i:])
		if w <= 1 || lowerASCII(c) != lowerASCII(token[k]) {
			return 0, false
		}
		i += w
	}
	return i, true
}

// maxEscapeLen bounds the length of one encoded character decodeChar reads.
const maxEscapeLen = 16

// decodeChar decodes the ASCII character at the start of b, plain or
// escaped: \uXXXX after one or more backslashes (JSON, escaped again for
// every extra backslash), \/ (JSON), %XX with any number of 25s after the
// % (URL encoding, applied repeatedly), &#NN; and &#xHH; (HTML). It returns
// the character and the bytes it took, 0 for none.
func decodeChar(b []byte) (byte, int) {
	if len(b) == 0 {
		return 0, 0
	}
	switch b[0] {
	case '\\':
		n := 1
		for n < len(b) && n < maxEscapeLen-5 && b[n] == '\\' {
			n++
		}
		if n+5 <= len(b) && b[n] == 'u' {
			if v, ok := hexValue(b[n+1 : n+5]); ok && v < 0x80 {
				return byte(v), n + 5
			}
		}
		if n < len(b) && b[n] == '/' {
			return '/', n + 1
		}
	case '%':
		// %XX, where XX may itself be written as %25 followed by more
		// hex digits: "%2541" is "%41" is "A".
		n := 1
		for n+4 <= len(b) && n < maxEscapeLen-2 && b[n] == '2' && b[n+1] == '5' && isHex(b[n+2]) && isHex(b[n+3]) {
			n += 2
		}
		if n+2 <= len(b) {
			if v, ok := hexValue(b[n : n+2]); ok && v < 0x80 {
				return byte(v), n + 2
			}
		}
	case '&':
		if len(b) > 3 && b[1] == '#' {
			j, base := 2, 10
			if b[2] == 'x' || b[2] == 'X' {
				j, base = 3, 16
			}
			v, start := 0, j
			for j < len(b) && j < maxEscapeLen && (base == 16 && isHex(b[j]) || base == 10 && b[j] >= '0' && b[j] <= '9') {
				d, _ := hexValue(b[j : j+1])
				v = v*base + int(d)
				j++
			}
			if j > start && j < len(b) && b[j] == ';' && v < 0x80 {
				return byte(v), j + 1
			}
		}
	}
	return b[0], 1
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// hexValue parses hex digits of either case.
func hexValue(h []byte) (int, bool) {
	v := 0
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = lowerASCII(c)
	}
	return out
}

// checkToken reports why token cannot be sent in an HTTP header, without
// ever including the token in the error.
func checkToken(token string) error {
	if token == "" {
		return fmt.Errorf("%w: empty", ErrInvalidToken)
	}
	if len(token) > len("bearer ") && strings.EqualFold(token[:len("bearer ")], "bearer ") {
		return fmt.Errorf("%w: starts with \"Bearer \": Panther takes the bare token (sent in the X-API-Key header); drop the prefix", ErrInvalidToken)
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
	if len(token) < MinTokenLength {
		return fmt.Errorf("%w: %d characters, too short for a Panther API token (at least %d; tokens from the console are much longer): check that you copied all of it", ErrInvalidToken, len(token), MinTokenLength)
	}
	return nil
}

// MinTokenLength is the length of the shortest API token New, NewFromEnv
// and SetToken accept. Panther's tokens are far longer; a shorter value is a
// mistake (a cut-off paste, a placeholder), and redacting it from errors
// would blank out letters inside words.
const MinTokenLength = 8

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
