package emv

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Tag is a BER-TLV tag as it appears on the wire, one to three bytes, held
// big-endian in the low bytes of a uint32: 0x9F26 is the two-byte tag 9F 26.
//
// EMV Book 3 Annex B uses tags of one and two bytes; three-byte tags (for
// example DF8101 of the contactless kernels) are accepted too. Longer tags
// are rejected by the scanner.
type Tag uint32

// MaxTagLen is the longest tag, in bytes, that the scanner accepts.
const MaxTagLen = 3

// Len returns the number of bytes of the tag's encoding (1 to 3; 1 for the
// zero Tag).
func (t Tag) Len() int {
	switch {
	case t > 0xFFFF:
		return 3
	case t > 0xFF:
		return 2
	default:
		return 1
	}
}

// first returns the tag's first byte, the one that carries class and form.
func (t Tag) first() byte { return byte(t >> (8 * uint(t.Len()-1))) }

// Constructed reports whether the tag's first byte has the constructed bit
// (b6) set, so that its value is itself a sequence of TLV objects.
func (t Tag) Constructed() bool { return t.first()&0x20 != 0 }

// Class is the class of a tag: bits b8–b7 of its first byte.
type Class byte

// The four tag classes of ISO/IEC 8825-1.
const (
	ClassUniversal   Class = 0
	ClassApplication Class = 1
	ClassContext     Class = 2
	ClassPrivate     Class = 3
)

// String names the class.
func (c Class) String() string {
	switch c {
	case ClassUniversal:
		return "universal"
	case ClassApplication:
		return "application"
	case ClassContext:
		return "context-specific"
	default:
		return "private"
	}
}

// Class returns the tag's class.
func (t Tag) Class() Class { return Class(t.first() >> 6) }

// AppendTo appends the tag's encoding to b.
func (t Tag) AppendTo(b []byte) []byte {
	switch t.Len() {
	case 3:
		return append(b, byte(t>>16), byte(t>>8), byte(t))
	case 2:
		return append(b, byte(t>>8), byte(t))
	default:
		return append(b, byte(t))
	}
}

// Bytes returns the tag's encoding.
func (t Tag) Bytes() []byte { return t.AppendTo(make([]byte, 0, 3)) }

// String returns the tag in upper-case hex, for example "9F26".
func (t Tag) String() string {
	const digits = "0123456789ABCDEF"
	var buf [6]byte
	n := t.Len()
	for i := 0; i < n; i++ {
		b := byte(t >> (8 * uint(n-1-i)))
		buf[2*i] = digits[b>>4]
		buf[2*i+1] = digits[b&0x0F]
	}
	return string(buf[:2*n])
}

// ParseTag parses a tag written in hex ("9F26", "9f26") and checks that it
// is a well-formed BER tag of at most three bytes.
func ParseTag(s string) (Tag, error) {
	raw, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("emv: tag %q is not hex: %w", s, err)
	}
	t, n, code := readTag(raw)
	if code != errNone {
		return 0, fmt.Errorf("emv: tag %q: %s", s, code)
	}
	if n != len(raw) {
		return 0, fmt.Errorf("emv: tag %q: %d bytes follow the end of the tag", s, len(raw)-n)
	}
	return t, nil
}

// MustParseTag is like ParseTag but panics on a malformed tag. It is meant
// for constants in tables and tests, never for input.
func MustParseTag(s string) Tag {
	t, err := ParseTag(s)
	if err != nil {
		panic(err)
	}
	return t
}
