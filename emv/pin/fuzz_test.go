package pin

import (
	"bytes"
	"testing"
)

// FuzzParsePINBlock checks that Parse never panics on any bytes and PAN, and
// that whatever it accepts re-encodes to the same block for the formats
// without random fill (0 and 2) and to the same fixed part for format 4.
// Seeds: testdata/fuzz/FuzzParsePINBlock (the published vectors of the
// tests, valid and broken).
func FuzzParsePINBlock(f *testing.F) {
	f.Fuzz(func(t *testing.T, block []byte, pan string) {
		pin, format, err := Parse(block, pan)
		if err != nil {
			return
		}
		if len(pin) < 4 || len(pin) > 12 {
			t.Fatalf("accepted a %d-digit PIN", len(pin))
		}
		var again Block
		switch format {
		case ISO0:
			again, err = Format0(pin, pan)
		case ISO2:
			again, err = Format2(pin)
		case ISO4:
			again, err = Format4PINField(pin, bytes.NewReader(block[8:]))
		default:
			return
		}
		if err != nil {
			t.Fatalf("re-encoding an accepted format %d block: %v", format, err)
		}
		if !bytes.Equal(again, block) {
			t.Fatalf("format %d block %X re-encodes to %X", format, block, []byte(again))
		}
	})
}
