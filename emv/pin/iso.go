package pin

import (
	"fmt"
	"io"
)

// BlockLen is the length of an ISO 9564-1 format 0–3 PIN block.
const BlockLen = 8

// Format0 builds an ISO 9564-1 format 0 PIN block (§9.3.2): the PIN field
// 0 ‖ N ‖ PIN ‖ F…F XORed with the PAN field 0000 ‖ the rightmost 12 PAN
// digits excluding the check digit. pan is 2 to 19 digits; shorter account
// numbers are left-padded with zeros (§9.3.2.3).
func Format0(pin, pan string) (Block, error) {
	return fillXorPAN(ISO0, pin, pan, nil)
}

// Format1 builds an ISO 9564-1 format 1 PIN block (§9.3.3): 1 ‖ N ‖ PIN,
// then fill digits 0–F taken from rand (crypto/rand when nil), one byte
// giving two fill digits, high nibble first.
func Format1(pin string, rand io.Reader) (Block, error) {
	if err := checkPIN(pin); err != nil {
		return nil, err
	}
	b := make(Block, BlockLen)
	packPIN(b, ISO1, pin)
	fill := 14 - len(pin)
	var r [7]byte
	if _, err := io.ReadFull(randReader(rand), r[:(fill+1)/2]); err != nil {
		return nil, fmt.Errorf("pin: reading random fill: %w", err)
	}
	for i := 0; i < fill; i++ {
		setNibble(b, 2+len(pin)+i, nibble(r[:], i))
	}
	return b, nil
}

// Format2 builds an ISO 9564-1 format 2 PIN block (§9.3.4): 2 ‖ N ‖ PIN ‖
// F…F. It is the plaintext PIN block of EMV offline PIN verification.
func Format2(pin string) (Block, error) {
	b := make(Block, BlockLen)
	if err := format2(b, pin); err != nil {
		return nil, err
	}
	return b, nil
}

// format2 is Format2 into b (BlockLen bytes).
func format2(b Block, pin string) error {
	if err := checkPIN(pin); err != nil {
		return err
	}
	copy(b, Block{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	packPIN(b, ISO2, pin)
	return nil
}

// Format3 builds an ISO 9564-1 format 3 PIN block (§9.3.5): as format 0 but
// the fill digits are random values A to F drawn uniformly from rand
// (crypto/rand when nil).
func Format3(pin, pan string, rand io.Reader) (Block, error) {
	return fillXorPAN(ISO3, pin, pan, randReader(rand))
}

// fillXorPAN builds formats 0 (rand nil: F fill) and 3 (random A–F fill).
func fillXorPAN(f Format, pin, pan string, rand io.Reader) (Block, error) {
	if err := checkPIN(pin); err != nil {
		return nil, err
	}
	p, err := panField(pan)
	if err != nil {
		return nil, err
	}
	b := Block{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	packPIN(b, f, pin)
	if rand != nil {
		if err := randomAF(b, 2+len(pin), rand); err != nil {
			return nil, err
		}
	}
	for i := range b {
		b[i] ^= p[i]
	}
	return b, nil
}

// randomAF sets nibbles from..15 of b to uniform random values A–F: one byte
// per nibble, bytes ≥ 252 rejected so that 6 divides the range.
func randomAF(b []byte, from int, rand io.Reader) error {
	var r [1]byte
	for i := from; i < 16; {
		if _, err := io.ReadFull(rand, r[:]); err != nil {
			return fmt.Errorf("pin: reading random fill: %w", err)
		}
		if r[0] >= 252 {
			continue
		}
		setNibble(b, i, 0xa+r[0]%6)
		i++
	}
	return nil
}

// panField returns the format 0/3 account number field: 0000 ‖ the 12
// rightmost PAN digits excluding the check digit, left-padded with zeros.
func panField(pan string) ([BlockLen]byte, error) {
	var p [BlockLen]byte
	if err := checkPAN(pan, 2, 19); err != nil {
		return p, err
	}
	digits := pan[:len(pan)-1]
	if len(digits) > 12 {
		digits = digits[len(digits)-12:]
	}
	for i := 0; i < len(digits); i++ {
		setNibble(p[:], 16-len(digits)+i, digits[i]-'0')
	}
	return p, nil
}

// Parse reads the PIN from a plaintext PIN block: an 8-byte block of format
// 0, 1, 2 or 3, or a 16-byte format 4 plaintext PIN field (see
// [DecipherFormat4] for an enciphered format 4 block). pan is needed for
// formats 0 and 3 and ignored otherwise. It checks the PIN length (4 to 12),
// every PIN digit and every fill digit the format defines (F for 0 and 2, A–F
// for 3, A for the first 8 bytes of format 4; any value for 1). Errors wrap
// the sentinels of this package and give positions, never digits.
func Parse(block []byte, pan string) (pin string, f Format, err error) {
	switch len(block) {
	case BlockLen:
	case Format4Len:
		return parseField(block, ISO4, 16, isA)
	default:
		return "", 0, fmt.Errorf("%w: PIN block is %d bytes, want %d or %d", ErrLength, len(block), BlockLen, Format4Len)
	}
	f = Format(block[0] >> 4)
	switch f {
	case ISO1:
		return parseField(block, f, 16, anyFill)
	case ISO2:
		return parseField(block, f, 16, isF)
	case ISO0, ISO3:
		if pan == "" {
			return "", f, fmt.Errorf("%w: format %d needs the PAN", ErrPAN, f)
		}
		p, err := panField(pan)
		if err != nil {
			return "", f, err
		}
		var clear [BlockLen]byte
		for i := range clear {
			clear[i] = block[i] ^ p[i]
		}
		fill := isF
		if f == ISO3 {
			fill = isAF
		}
		return parseField(clear[:], f, 16, fill)
	}
	return "", f, fmt.Errorf("%w: control field %X", ErrFormat, int(f))
}

// parseField checks control nibble f, the length nibble, the PIN digits and
// the fill digits up to nibble end, and returns the PIN.
func parseField(b []byte, f Format, end int, fill func(byte) bool) (string, Format, error) {
	if c := Format(b[0] >> 4); c != f {
		return "", c, fmt.Errorf("%w: control field %X, want %d", ErrFormat, int(c), f)
	}
	n := int(b[0] & 0x0f)
	if n < 4 || n > 12 {
		return "", f, fmt.Errorf("%w: %d", ErrPINLength, n)
	}
	digits := make([]byte, n)
	for i := range n {
		d := nibble(b, 2+i)
		if d > 9 {
			return "", f, fmt.Errorf("%w: PIN digit %d", ErrDigit, i+1)
		}
		digits[i] = '0' + d
	}
	for i := 2 + n; i < end; i++ {
		if !fill(nibble(b, i)) {
			return "", f, fmt.Errorf("%w: nibble %d of a format %d block", ErrFiller, i+1, f)
		}
	}
	return string(digits), f, nil
}

func isF(d byte) bool   { return d == 0xf }
func isA(d byte) bool   { return d == 0xa }
func isAF(d byte) bool  { return d >= 0xa }
func anyFill(byte) bool { return true }
