package attack

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// Hex is a byte string written in JSON as hex ("9F3704"). On input either
// case is accepted and spaces between digits are ignored, so that rules
// can be written readably ("A0 00 00 03 33").
type Hex []byte

// MarshalText writes upper-case hex.
func (h Hex) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%X", []byte(h))), nil }

// UnmarshalText reads hex digits.
func (h *Hex) UnmarshalText(b []byte) error {
	v, err := parseHex(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// String returns the upper-case hex.
func (h Hex) String() string { return fmt.Sprintf("%X", []byte(h)) }

// Byte is one byte written in JSON as two hex digits ("A4").
type Byte byte

// MarshalText writes two upper-case hex digits.
func (b Byte) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%02X", byte(b))), nil }

// UnmarshalText reads exactly two hex digits.
func (b *Byte) UnmarshalText(t []byte) error {
	v, err := parseHexN(string(t), 1)
	if err != nil {
		return err
	}
	*b = Byte(v[0])
	return nil
}

// Word is a two-byte value written in JSON as four hex digits: a status
// word ("6F00") or an AIP mask ("2100").
type Word uint16

// MarshalText writes four upper-case hex digits.
func (w Word) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%04X", uint16(w))), nil }

// UnmarshalText reads exactly four hex digits.
func (w *Word) UnmarshalText(t []byte) error {
	v, err := parseHexN(string(t), 2)
	if err != nil {
		return err
	}
	*w = Word(v[0])<<8 | Word(v[1])
	return nil
}

// Tag is a BER-TLV tag written in JSON as hex ("9F4B").
type Tag emv.Tag

// MarshalText writes the tag's hex.
func (t Tag) MarshalText() ([]byte, error) { return []byte(emv.Tag(t).String()), nil }

// UnmarshalText reads a tag of one to three bytes.
func (t *Tag) UnmarshalText(b []byte) error {
	v, err := emv.ParseTag(strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	*t = Tag(v)
	return nil
}

// String returns the tag's hex.
func (t Tag) String() string { return emv.Tag(t).String() }

func parseHex(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	v, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bad hex %q: %w", s, err)
	}
	return v, nil
}

func parseHexN(s string, n int) ([]byte, error) {
	v, err := parseHex(s)
	if err != nil {
		return nil, err
	}
	if len(v) != n {
		return nil, fmt.Errorf("hex %q is %d bytes, want %d", s, len(v), n)
	}
	return v, nil
}
