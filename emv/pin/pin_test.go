package pin

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func h(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func eqHex(t testing.TB, what string, got []byte, want string) {
	t.Helper()
	if !bytes.Equal(got, h(t, want)) {
		t.Errorf("%s = %X, want %s", what, []byte(got), strings.ReplaceAll(want, " ", ""))
	}
}

// fixed is an io.Reader that returns its bytes, then fails.
func fixed(t testing.TB, s string) *bytes.Reader { return bytes.NewReader(h(t, s)) }

// Format 0. Sources: ilya-dubinsky/cfpp c/test/test_pin.c (PAN
// 0123456789012345) and knovichikhin/psec tests/test_pinblock.py and the
// psec/pinblock.py docstrings.
func TestFormat0Vectors(t *testing.T) {
	tests := []struct{ pin, pan, want string }{
		{"1234", "0123456789012345", "041200A9876FEDCB"},
		{"12345", "0123456789012345", "05120009876FEDCB"},
		{"1234", "5555555551234567", "041261AAAAEDCBA9"},
		{"123456789012", "5555555551234567", "0C1261032D8226A9"},
		{"1234", "5544332211009966", "041277CDDEEFF669"},
	}
	for _, tt := range tests {
		b, err := Format0(tt.pin, tt.pan)
		if err != nil {
			t.Fatal(err)
		}
		eqHex(t, "format 0", b, tt.want)
	}
	for _, tt := range []struct{ block, pin string }{
		{"041261AAAAEDCBA9", "1234"}, {"091261032D8DCBA9", "123456789"},
		{"0A1261032D82CBA9", "1234567890"}, {"0C1261032D8226A9", "123456789012"},
	} {
		checkParse(t, tt.block, "5555555551234567", tt.pin, ISO0)
	}
}

// Format 2. Sources: pyemv/sm.py format_iso9564_2_pin_block docstring and
// tests/test_sm_hsm.py (VECTORS.md), psec tests/test_pinblock.py.
func TestFormat2Vectors(t *testing.T) {
	for _, tt := range []struct{ pin, want string }{
		{"9999", "249999FFFFFFFFFF"}, {"123456789012", "2C123456789012FF"},
		{"1234", "241234FFFFFFFFFF"}, {"123456789", "29123456789FFFFF"},
		{"1234567890", "2A1234567890FFFF"},
	} {
		b, err := Format2(tt.pin)
		if err != nil {
			t.Fatal(err)
		}
		eqHex(t, "format 2", b, tt.want)
		checkParse(t, tt.want, "", tt.pin, ISO2)
	}
}

// Format 1. Source: openemv/pinblock test/pinblock_format1_test.c: PIN 12345
// with the unique field 9A33C56F87A9CBED gives 1512345EDCBA9876. That
// library consumes its nonce from the last byte backwards; our random bytes
// are consumed in order, high nibble first, so the same fill comes from the
// bytes ED CB A9 87 6F.
func TestFormat1Vector(t *testing.T) {
	b, err := Format1("12345", fixed(t, "EDCBA9876F"))
	if err != nil {
		t.Fatal(err)
	}
	eqHex(t, "format 1", b, "1512345EDCBA9876")
	checkParse(t, "1512345EDCBA9876", "", "12345", ISO1)
	if _, err := Format1("12345", fixed(t, "EDCB")); err == nil {
		t.Error("short random source accepted")
	}
}

// Format 3. Source: psec tests/test_pinblock.py (decode vectors, encode
// prefixes) and the decode_pinblock_iso_3 docstring. A random byte v gives
// the fill digit A + v mod 6, so the bytes below reproduce the published
// blocks exactly.
func TestFormat3Vectors(t *testing.T) {
	b, err := Format3("1234", "5555555551234567", fixed(t, "05050505050505050505"))
	if err != nil {
		t.Fatal(err)
	}
	eqHex(t, "format 3 F fill", b, "341261AAAAEDCBA9")
	b, err = Format3("1234", "5544332211009966", fixed(t, "FF 03 02 02 04 03 02 01 03 00 00"))
	if err != nil {
		t.Fatal(err)
	}
	eqHex(t, "format 3 docstring", b, "341277EEEFCCB43C") // FF is rejected, not used
	b, err = Format3("123456789012", "5555555551234567", nil)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(b)[:14] != "3c1261032d8226" {
		t.Errorf("format 3 prefix %X, want 3C1261032D8226…", []byte(b))
	}
	for _, tt := range []struct{ block, pin string }{
		{"341261AAAAEDCBA9", "1234"}, {"391261032D8DCBA9", "123456789"},
		{"3A1261032D82CBA9", "1234567890"}, {"3C1261032D8226A9", "123456789012"},
	} {
		checkParse(t, tt.block, "5555555551234567", tt.pin, ISO3)
	}
	checkParse(t, "341277EEEFCCB43C", "5544332211009966", "1234", ISO3)
}

// Random fill is A–F and every PIN length round-trips, over crypto/rand.
func TestRandomFormatsRoundTrip(t *testing.T) {
	for n := 4; n <= 12; n++ {
		p := "987654321098"[:n]
		b3, err := Format3(p, "4012345678909", nil)
		if err != nil {
			t.Fatal(err)
		}
		b1, err := Format1(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			b Block
			f Format
		}{{b3, ISO3}, {b1, ISO1}} {
			got, f, err := Parse(c.b, "4012345678909")
			if err != nil || got != p || f != c.f {
				t.Errorf("length %d format %d: %q %d %v", n, c.f, got, f, err)
			}
		}
	}
}

func checkParse(t *testing.T, block, pan, pin string, f Format) {
	t.Helper()
	got, gf, err := Parse(h(t, block), pan)
	if err != nil || got != pin || gf != f {
		t.Errorf("Parse(%s) = %q, %d, %v; want %q, %d", block, got, gf, err, pin, f)
	}
}

// Parse errors. The 8-byte cases are psec tests/test_pinblock.py
// test_decode_pinblock_iso_{0,2,3}_exception; the others flip one thing.
func TestParseErrors(t *testing.T) {
	const pan = "5555555551234567"
	tests := []struct {
		block, pan string
		want       error
	}{
		{"241261AAAAEDCBA9", pan, ErrFiller}, // format 2 block whose fill is not F
		{"041261AAAAEDCB", pan, ErrLength},
		{"0F1261AAAAEDCBA9", pan, ErrPINLength},
		{"021261AAAAEDCBA9", pan, ErrPINLength},
		{"041261AAAAEDCBAA", pan, ErrFiller},
		{"051261AAAAEDCBA9", pan, ErrDigit},
		{"051261AAAAEDCBA9", "555555555123A", ErrPAN},
		{"041261AAAAEDCBA9", "", ErrPAN},
		{"2F123456789012FF", "", ErrPINLength},
		{"22123456789012FF", "", ErrPINLength},
		{"2C123456789012CF", "", ErrFiller},
		{"2C12345678901FFF", "", ErrDigit},
		{"3F1261AAAAEDCBA9", pan, ErrPINLength},
		{"341261AAAAEDCBA2", pan, ErrFiller},
		{"351261AAAAEDCBA9", pan, ErrDigit},
		{"741234FFFFFFFFFF", "", ErrFormat},
		{"441234FFFFFFFFFF", "", ErrFormat}, // format 4 needs 16 bytes
		{"1412", "", ErrLength},
		{"", "", ErrLength},
		// psec test_decode_pinblock_iso_4_exception (plaintext PIN fields).
		{"541234AAAAAAAAAA548ED7FD65495950", "", ErrFormat},
		{"43123AAAAAAAAAAA548ED7FD65495950", "", ErrPINLength},
		{"441234ABCDEFABCD548ED7FD65495950", "", ErrFiller},
		{"4412D4AAAAAAAAAA548ED7FD65495950", "", ErrDigit},
		{"441234AAAAAAAAAA548ED7FD6549595000", "", ErrLength},
	}
	for _, tt := range tests {
		_, _, err := Parse(h(t, tt.block), tt.pan)
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%s): %v, want %v", tt.block, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "1234") {
			t.Errorf("error %q shows PIN digits", err)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, p := range []string{"123", "1234567890123", "123A", ""} {
		if _, err := Format2(p); !errors.Is(err, ErrPIN) {
			t.Errorf("Format2(%q): %v", p, err)
		}
		if _, err := Format0(p, "5555555551234567"); !errors.Is(err, ErrPIN) {
			t.Errorf("Format0(%q): %v", p, err)
		}
	}
	for _, pan := range []string{"", "5", "55555555512345678901", "5555X"} {
		if _, err := Format0("1234", pan); !errors.Is(err, ErrPAN) {
			t.Errorf("Format0 PAN %q: %v", pan, err)
		}
	}
	if _, err := Format3("1234", "5555555551234567", fixed(t, "0505")); err == nil {
		t.Error("Format3 with a short random source succeeded")
	}
}

// A short PAN is right-justified with zeros (ISO 9564-1 §9.3.2.3), as in
// openemv/pinblock's format 0 encoder.
func TestShortPANField(t *testing.T) {
	p, err := panField("123456789")
	if err != nil {
		t.Fatal(err)
	}
	eqHex(t, "PAN field", p[:], "0000000012345678")
}

func TestBlockIsMasked(t *testing.T) {
	b, _ := Format2("1234")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "% x", "%d", "%q", "%08b"} {
		s := fmt.Sprintf(verb, b)
		if strings.Contains(strings.ToUpper(s), "1234") || strings.Contains(s, "36") || !strings.Contains(s, "masked") {
			t.Errorf("%s prints %q", verb, s)
		}
	}
	if s := fmt.Sprint([]Block{b}); strings.Contains(s, "1234") {
		t.Errorf("slice prints %q", s)
	}
	if s := fmt.Sprintf("%X", []byte(b)); s != "241234FFFFFFFFFF" {
		t.Errorf("deliberate conversion prints %q", s)
	}
}
