package apdu

import (
	"bytes"
	"fmt"
)

// Limits of the length fields of ISO/IEC 7816-3 §12.1.2.
const (
	// MaxShortNc is the longest command data field a short Lc can say.
	MaxShortNc = 255
	// MaxShortNe is the largest Ne a short Le can say: Le '00' means 256.
	MaxShortNe = 256
	// MaxExtendedNc is the longest command data field of all.
	MaxExtendedNc = 65535
	// MaxExtendedNe is the largest Ne of all: extended Le '0000' means
	// 65536.
	MaxExtendedNe = 65536
)

// Command is a command APDU: a four-byte header, an optional data field
// (whose length Nc is len(Data)) and an optional Ne, the maximum number of
// response data bytes expected.
//
// Ne is 0 when the command has no Le field. Le '00' — "up to 256 bytes",
// what EMV commands send — is Ne 256 (MaxShortNe); extended Le '0000' is
// Ne 65536 (MaxExtendedNe).
//
// The four cases of ISO/IEC 7816-3 §12.1.2 follow from Data and Ne: case 1
// (neither), case 2 (Ne only), case 3 (Data only), case 4 (both). Length
// fields are short unless Nc > 255 or Ne > 256, or Extended is set to force
// the extended form (a card tester may need that).
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Ne               int
	// Extended forces extended length fields even when short ones would
	// do. ParseCommand sets it when the input used the extended form, so
	// that parsing and encoding give back the same bytes.
	Extended bool
}

// Case returns the command's case, 1 to 4, per ISO/IEC 7816-3 §12.1.2.
func (c Command) Case() int {
	switch {
	case len(c.Data) == 0 && c.Ne == 0:
		return 1
	case len(c.Data) == 0:
		return 2
	case c.Ne == 0:
		return 3
	default:
		return 4
	}
}

// IsExtended reports whether Bytes encodes the command with extended length
// fields. A case 1 command has no length field and is never extended.
func (c Command) IsExtended() bool {
	if c.Case() == 1 {
		return false
	}
	return c.Extended || len(c.Data) > MaxShortNc || c.Ne > MaxShortNe
}

// Validate reports whether the command can be encoded: Nc at most 65535 and
// Ne from 0 to 65536. The error wraps ErrInvalidCommand.
func (c Command) Validate() error {
	if len(c.Data) > MaxExtendedNc {
		return fmt.Errorf("apdu: %w: data field of %d bytes (at most %d)", ErrInvalidCommand, len(c.Data), MaxExtendedNc)
	}
	if c.Ne < 0 || c.Ne > MaxExtendedNe {
		return fmt.Errorf("apdu: %w: Ne %d (0 to %d)", ErrInvalidCommand, c.Ne, MaxExtendedNe)
	}
	return nil
}

// Len returns the length of the command's encoding.
func (c Command) Len() int {
	n := 4 + len(c.Data)
	ext := c.IsExtended()
	if len(c.Data) > 0 {
		n += lenField(ext, 3, 1)
	}
	if c.Ne > 0 {
		n += lenField(ext, 2, 1)
		if ext && len(c.Data) == 0 {
			n++ // the leading 00 of an extended Le without Lc
		}
	}
	return n
}

func lenField(ext bool, long, short int) int {
	if ext {
		return long
	}
	return short
}

// Bytes returns the command's encoding, or an error wrapping
// ErrInvalidCommand when it cannot be encoded.
func (c Command) Bytes() ([]byte, error) {
	return c.AppendTo(make([]byte, 0, c.Len()))
}

// AppendTo appends the command's encoding to b. On error b is returned
// unchanged.
func (c Command) AppendTo(b []byte) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return b, err
	}
	b = append(b, c.CLA, c.INS, c.P1, c.P2)
	nc := len(c.Data)
	if c.IsExtended() {
		if nc > 0 {
			b = append(b, 0x00, byte(nc>>8), byte(nc))
			b = append(b, c.Data...)
		}
		if c.Ne > 0 {
			if nc == 0 {
				b = append(b, 0x00)
			}
			// 65536 encodes as 0000: byte() keeps the low 8 bits.
			b = append(b, byte(c.Ne>>8), byte(c.Ne))
		}
		return b, nil
	}
	if nc > 0 {
		b = append(b, byte(nc))
		b = append(b, c.Data...)
	}
	if c.Ne > 0 {
		b = append(b, byte(c.Ne)) // 256 encodes as 00
	}
	return b, nil
}

// String returns the command's header, case and lengths, for messages. It
// never prints the data field, which may hold secrets.
func (c Command) String() string {
	s := fmt.Sprintf("%02X %02X %02X %02X (case %d", c.CLA, c.INS, c.P1, c.P2, c.Case())
	if len(c.Data) > 0 {
		s += fmt.Sprintf(", Nc %d", len(c.Data))
	}
	if c.Ne > 0 {
		s += fmt.Sprintf(", Ne %d", c.Ne)
	}
	if c.IsExtended() {
		s += ", extended"
	}
	return s + ")"
}

// ParseCommand decodes a command APDU strictly, telling its case from the
// length of its body as ISO/IEC 7816-3 §12.1.3 does. With L the number of
// bytes after the header and B1, B2, B3 the first ones:
//
//	L = 0                                   case 1
//	L = 1                                   case 2S, Ne = B1 ('00' = 256)
//	B1 != 0, L = 1 + B1                     case 3S, Nc = B1
//	B1 != 0, L = 2 + B1                     case 4S
//	B1 = 0, L = 3                           case 2E, Ne = B2B3 ('0000' = 65536)
//	B1 = 0, B2B3 != 0, L = 3 + B2B3         case 3E, Nc = B2B3
//	B1 = 0, B2B3 != 0, L = 5 + B2B3         case 4E, last two bytes Le
//
// Anything else is an error wrapping ErrMalformedCommand. Data is a copy;
// for every input ParseCommand accepts, Bytes gives the input back.
//
// CLA 'FF' is accepted although ISO/IEC 7816-3 reserves it for PPS: PC/SC
// readers use it for their own pseudo-APDUs, and a card answers it with
// 6E00 rather than failing to parse it.
func ParseCommand(b []byte) (Command, error) {
	if len(b) < 4 {
		return Command{}, malformedCommand("%d bytes, shorter than the 4-byte header", len(b))
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3]}
	body := b[4:]
	switch {
	case len(body) == 0:
		return c, nil
	case len(body) == 1:
		c.Ne = shortNe(body[0])
		return c, nil
	case body[0] != 0:
		return parseShort(c, body)
	default:
		return parseExtended(c, body)
	}
}

func parseShort(c Command, body []byte) (Command, error) {
	nc := int(body[0])
	switch len(body) {
	case 1 + nc:
		c.Data = bytes.Clone(body[1:])
	case 2 + nc:
		c.Data = bytes.Clone(body[1 : 1+nc])
		c.Ne = shortNe(body[1+nc])
	default:
		return Command{}, malformedCommand("short Lc %02X announces %d data bytes, so the body should be %d (case 3) or %d (case 4) bytes, not %d",
			body[0], nc, 1+nc, 2+nc, len(body))
	}
	return c, nil
}

func parseExtended(c Command, body []byte) (Command, error) {
	if len(body) < 3 {
		return Command{}, malformedCommand("body %X starts with 00 but is too short for an extended length field", body)
	}
	c.Extended = true
	n := int(body[1])<<8 | int(body[2])
	if len(body) == 3 {
		c.Ne = extendedNe(n)
		return c, nil
	}
	if n == 0 {
		return Command{}, malformedCommand("extended Lc 0000 followed by %d bytes", len(body)-3)
	}
	switch len(body) {
	case 3 + n:
		c.Data = bytes.Clone(body[3:])
	case 5 + n:
		c.Data = bytes.Clone(body[3 : 3+n])
		c.Ne = extendedNe(int(body[3+n])<<8 | int(body[4+n]))
	default:
		return Command{}, malformedCommand("extended Lc %04X announces %d data bytes, so the body should be %d (case 3E) or %d (case 4E) bytes, not %d",
			n, n, 3+n, 5+n, len(body))
	}
	return c, nil
}

func shortNe(le byte) int {
	if le == 0 {
		return MaxShortNe
	}
	return int(le)
}

func extendedNe(le int) int {
	if le == 0 {
		return MaxExtendedNe
	}
	return le
}

func malformedCommand(format string, args ...any) error {
	return fmt.Errorf("apdu: %w: "+format, append([]any{ErrMalformedCommand}, args...)...)
}
