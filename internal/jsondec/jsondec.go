// Package jsondec reads JSON for the single-pass decoders in package
// generated (written by tools/gendecode).
//
// A Decoder accepts only what it can decode exactly as encoding/json would:
// the first time it meets anything else (invalid JSON, a value of the wrong
// type, a number out of range, a duplicate or case-folded object key, an
// escaped key) it fails, and stays failed. Its callers then decode the same
// bytes again with encoding/json, so that a failure costs time, never a
// different result.
package jsondec

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Decoder reads one JSON value from a byte slice.
type Decoder struct {
	data   []byte
	pos    int
	failed bool
}

// New returns a Decoder reading data.
func New(data []byte) Decoder { return Decoder{data: data} }

// Fail marks the decoding as failed.
func (d *Decoder) Fail() { d.failed = true }

// Failed reports whether the decoding failed.
func (d *Decoder) Failed() bool { return d.failed }

// End reports whether the decoding succeeded and nothing but white space
// follows the value.
func (d *Decoder) End() bool {
	d.ws()
	return !d.failed && d.pos == len(d.data)
}

func (d *Decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// Start skips white space and returns the offset of the next value, for
// Rewind and Copy.
func (d *Decoder) Start() int {
	d.ws()
	return d.pos
}

// Rewind goes back to offset pos, to decode a value once more.
func (d *Decoder) Rewind(pos int) { d.pos = pos }

// Copy returns a copy of the bytes from offset start to the current one.
func (d *Decoder) Copy(start int) []byte {
	if d.failed {
		return nil
	}
	return append([]byte(nil), d.data[start:d.pos]...)
}

// peek skips white space and returns the next byte, or 0 at the end.
func (d *Decoder) peek() byte {
	d.ws()
	if d.failed || d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

func (d *Decoder) literal(lit string) bool {
	if len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	d.failed = true
	return false
}

// Null consumes a null and reports whether there was one.
func (d *Decoder) Null() bool {
	if d.peek() != 'n' {
		return false
	}
	return d.literal("null")
}

// Object consumes the '{' that starts an object, or fails.
func (d *Decoder) Object() bool {
	if d.peek() != '{' {
		d.failed = true
		return false
	}
	d.pos++
	return true
}

// Key returns the next key of an object whose '{' was consumed and
// consumes the ':' after it; first says whether it is the first. At the
// '}' that ends the object it consumes it and returns false, as it does
// after a failure. A key with an escape fails: encoding/json would match
// it after unescaping.
func (d *Decoder) Key(first bool) ([]byte, bool) {
	c := d.peek()
	if c == '}' {
		d.pos++
		return nil, false
	}
	if !first {
		if c != ',' {
			d.failed = true
			return nil, false
		}
		d.pos++
		c = d.peek()
	}
	if c != '"' {
		d.failed = true
		return nil, false
	}
	start := d.pos + 1
	i := start
	for ; i < len(d.data); i++ {
		b := d.data[i]
		if b == '"' {
			break
		}
		if b == '\\' || b < 0x20 {
			d.failed = true
			return nil, false
		}
	}
	if i >= len(d.data) {
		d.failed = true
		return nil, false
	}
	key := d.data[start:i]
	d.pos = i + 1
	if d.peek() != ':' {
		d.failed = true
		return nil, false
	}
	d.pos++
	return key, true
}

// Seen marks bit i of *seen, failing if it was already marked: the key it
// stands for occurred twice in one object.
func (d *Decoder) Seen(seen *uint64, i uint) {
	if *seen&(1<<i) != 0 {
		d.failed = true
	}
	*seen |= 1 << i
}

// Unknown handles a key that is none of the object's known keys (given in
// upper case, ASCII only). encoding/json matches keys case-insensitively,
// with Unicode folding: a key that folds to a known one, or any key that is
// not ASCII, fails; any other is skipped with its value.
func (d *Decoder) Unknown(key []byte, upper []string) {
	for _, b := range key {
		if b >= utf8.RuneSelf {
			d.failed = true
			return
		}
	}
	for _, u := range upper {
		if len(u) == len(key) && asciiUpperEqual(key, u) {
			d.failed = true
			return
		}
	}
	d.Skip()
}

func asciiUpperEqual(key []byte, upper string) bool {
	for i, b := range key {
		if 'a' <= b && b <= 'z' {
			b -= 'a' - 'A'
		}
		if b != upper[i] {
			return false
		}
	}
	return true
}

// Array consumes the '[' that starts an array, or fails.
func (d *Decoder) Array() bool {
	if d.peek() != '[' {
		d.failed = true
		return false
	}
	d.pos++
	return true
}

// Elem reports whether the array whose '[' was consumed has another
// element, consuming the ',' before it; first says whether it would be the
// first. At the ']' that ends the array it consumes it and returns false,
// as it does after a failure.
func (d *Decoder) Elem(first bool) bool {
	c := d.peek()
	if d.failed {
		return false
	}
	if c == ']' {
		d.pos++
		return false
	}
	if !first {
		if c != ',' {
			d.failed = true
			return false
		}
		d.pos++
	}
	return true
}

// String decodes a string.
func (d *Decoder) String() string {
	b, _ := d.str()
	return string(b)
}

// StringBytes decodes a string into bytes that are valid until the data
// passed to New changes: for a caller that keeps the string only when it is
// not one it already has.
func (d *Decoder) StringBytes() []byte {
	b, _ := d.str()
	return b
}

// str decodes a string: its bytes in the input when plain, else a new
// unescaped copy.
func (d *Decoder) str() (b []byte, plain bool) {
	if d.peek() != '"' {
		d.failed = true
		return nil, false
	}
	start := d.pos + 1
	plain = true
	i := start
	for ; i < len(d.data); i++ {
		c := d.data[i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			d.failed = true
			return nil, false
		}
		if c == '\\' {
			plain = false
			i++ // the escaped byte; a bad escape is found below
		} else if c >= utf8.RuneSelf {
			plain = false
		}
	}
	if i >= len(d.data) {
		d.failed = true
		return nil, false
	}
	d.pos = i + 1
	inner := d.data[start:i]
	if plain || (!hasByte(inner, '\\') && utf8.Valid(inner)) {
		return inner, true
	}
	out, ok := unquote(inner)
	if !ok {
		d.failed = true
		return nil, false
	}
	return out, false
}

// unquote returns the contents of a JSON string (without its quotes) that
// has escapes or bytes that are not valid UTF-8, decoded as encoding/json
// decodes them: invalid UTF-8 and lone surrogates become U+FFFD. It refuses
// the escapes encoding/json's scanner refuses.
func unquote(s []byte) ([]byte, bool) {
	b := make([]byte, 0, len(s)+utf8.UTFMax)
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			r++
			if r >= len(s) {
				return nil, false
			}
			switch s[r] {
			case '"', '\\', '/':
				b = append(b, s[r])
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r-1:])
				if rr < 0 {
					return nil, false
				}
				r += 5
				if utf16.IsSurrogate(rr) {
					if rr1 := getu4(s[r:]); rr1 >= 0 {
						if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
							r += 6
							b = utf8.AppendRune(b, dec)
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default:
				return nil, false
			}
			r++
		case c == '"' || c < ' ':
			return nil, false
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return b, true
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

func hasByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// Bool decodes true or false.
func (d *Decoder) Bool() bool {
	switch d.peek() {
	case 't':
		return d.literal("true")
	case 'f':
		d.literal("false")
		return false
	}
	d.failed = true
	return false
}

// number consumes a number and returns its bytes and whether it is an
// integer (no fraction, no exponent).
func (d *Decoder) number() ([]byte, bool) {
	d.ws()
	start, i := d.pos, d.pos
	n := len(d.data)
	if i < n && d.data[i] == '-' {
		i++
	}
	switch {
	case i < n && d.data[i] == '0':
		i++
	case i < n && '1' <= d.data[i] && d.data[i] <= '9':
		for i < n && '0' <= d.data[i] && d.data[i] <= '9' {
			i++
		}
	default:
		d.failed = true
		return nil, false
	}
	integer := true
	if i < n && d.data[i] == '.' {
		integer = false
		i++
		if i >= n || d.data[i] < '0' || d.data[i] > '9' {
			d.failed = true
			return nil, false
		}
		for i < n && '0' <= d.data[i] && d.data[i] <= '9' {
			i++
		}
	}
	if i < n && (d.data[i] == 'e' || d.data[i] == 'E') {
		integer = false
		i++
		if i < n && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if i >= n || d.data[i] < '0' || d.data[i] > '9' {
			d.failed = true
			return nil, false
		}
		for i < n && '0' <= d.data[i] && d.data[i] <= '9' {
			i++
		}
	}
	d.pos = i
	return d.data[start:i], integer
}

// Int64 decodes an integer that fits an int64. encoding/json refuses a
// fraction or an exponent for an integer field, and so does Int64.
func (d *Decoder) Int64() int64 {
	b, integer := d.number()
	if d.failed {
		return 0
	}
	if !integer {
		d.failed = true
		return 0
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 19 {
		d.failed = true
		return 0
	}
	var u uint64
	for _, c := range b {
		u = u*10 + uint64(c-'0')
	}
	switch {
	case !neg && u <= math.MaxInt64:
		return int64(u)
	case neg && u <= 1<<63:
		return int64(-u)
	}
	d.failed = true
	return 0
}

// Int decodes an integer that fits an int.
func (d *Decoder) Int() int {
	v := d.Int64()
	if v < math.MinInt || v > math.MaxInt {
		d.failed = true
		return 0
	}
	return int(v)
}

// Float64 decodes a number as encoding/json does into a float64.
func (d *Decoder) Float64() float64 {
	b, _ := d.number()
	if d.failed {
		return 0
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		d.failed = true
		return 0
	}
	return f
}

// Raw returns a copy of the next value's bytes, as json.RawMessage decodes.
func (d *Decoder) Raw() json.RawMessage {
	start := d.Start()
	d.Skip()
	return d.Copy(start)
}

// View returns the next value's bytes, not copied: valid until the data
// passed to New changes.
func (d *Decoder) View() []byte {
	start := d.Start()
	d.Skip()
	if d.failed {
		return nil
	}
	return d.data[start:d.pos]
}

// Skip consumes the next value, checking that it is valid JSON.
func (d *Decoder) Skip() {
	switch c := d.peek(); {
	case d.failed:
	case c == '{':
		d.pos++
		for first := true; ; first = false {
			if _, ok := d.Key(first); !ok {
				return
			}
			d.Skip()
		}
	case c == '[':
		d.pos++
		for first := true; d.Elem(first); first = false {
			d.Skip()
		}
	case c == '"':
		d.str()
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	default:
		d.number()
	}
}

// Typename returns the string value of the "__typename" key of the object
// that starts at the current offset, without consuming anything. It fails
// where encoding/json might see the member otherwise (the key twice, in
// another case, escaped) and where the value is not a string.
func (d *Decoder) Typename() string {
	start := d.Start()
	defer d.Rewind(start)
	if !d.Object() {
		return ""
	}
	found := false
	var name string
	for first := true; ; first = false {
		key, ok := d.Key(first)
		if !ok {
			break
		}
		if string(key) != "__typename" {
			d.Unknown(key, typenameUpper)
			continue
		}
		if found {
			d.failed = true
			return ""
		}
		found = true
		if !d.Null() {
			name = d.String()
		}
	}
	if d.failed {
		return ""
	}
	return name
}

var typenameUpper = []string{"__TYPENAME"}
