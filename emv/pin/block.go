package pin

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
)

// Errors returned by this package. Each error wraps one of them; test with
// errors.Is.
var (
	// ErrPIN reports a PIN to encode that is not 4 to 12 decimal digits.
	ErrPIN = errors.New("pin: PIN must be 4 to 12 digits")
	// ErrPAN reports a PAN that is missing, not decimal, or of the wrong
	// length.
	ErrPAN = errors.New("pin: bad PAN")
	// ErrLength reports a PIN block, key or challenge of the wrong length.
	ErrLength = errors.New("pin: bad length")
	// ErrFormat reports a PIN block whose control field is not the
	// expected format.
	ErrFormat = errors.New("pin: unexpected PIN block format")
	// ErrPINLength reports a PIN length field outside 4 to 12.
	ErrPINLength = errors.New("pin: PIN length field out of range")
	// ErrDigit reports a PIN digit that is not 0 to 9.
	ErrDigit = errors.New("pin: PIN digit not decimal")
	// ErrFiller reports a fill digit that the format does not allow.
	ErrFiller = errors.New("pin: bad fill digit")
	// ErrHeader reports deciphered offline PIN data without the 7F header.
	ErrHeader = errors.New("pin: enciphered PIN data header is not 7F")
	// ErrChallenge reports deciphered offline PIN data whose ICC
	// Unpredictable Number is not the one the card issued.
	ErrChallenge = errors.New("pin: ICC unpredictable number does not match")
	// ErrMismatch reports a PIN that does not match the reference PIN.
	ErrMismatch = errors.New("pin: PIN does not match")
)

// Format is an ISO 9564-1 PIN block format, 0 to 4.
type Format int

// The ISO 9564-1 formats.
const (
	ISO0 Format = 0 // PIN ‖ F fill, XOR PAN field (ANSI X9.8)
	ISO1 Format = 1 // PIN ‖ transaction/random fill, no PAN
	ISO2 Format = 2 // PIN ‖ F fill, no PAN: for the ICC (EMV offline PIN)
	ISO3 Format = 3 // PIN ‖ random A–F fill, XOR PAN field
	ISO4 Format = 4 // AES: 16-byte PIN field and PAN field, two encipherments
)

// Block is a PIN block — plaintext or enciphered — or a format 4 PIN field.
// It never prints its content: every fmt verb shows a masked placeholder.
type Block []byte

// String returns a masked placeholder.
func (b Block) String() string { return fmt.Sprintf("PIN block (masked, %d bytes)", len(b)) }

// GoString returns a masked placeholder.
func (b Block) GoString() string { return fmt.Sprintf("pin.Block{masked, %d bytes}", len(b)) }

// Format implements fmt.Formatter so that %x, %X, %v, %d and every other
// verb print the masked placeholder, never the bytes.
func (b Block) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, b.GoString())
		return
	}
	io.WriteString(f, b.String())
}

// randReader returns r, or crypto/rand's Reader when r is nil.
func randReader(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}

// checkPIN validates a PIN to encode: 4 to 12 decimal digits. The error
// gives positions, never digits.
func checkPIN(pin string) error {
	if len(pin) < 4 || len(pin) > 12 {
		return fmt.Errorf("%w: got %d digits", ErrPIN, len(pin))
	}
	for i := 0; i < len(pin); i++ {
		if pin[i] < '0' || pin[i] > '9' {
			return fmt.Errorf("%w: character %d is not a digit", ErrPIN, i+1)
		}
	}
	return nil
}

// checkPAN validates a PAN of min to max decimal digits.
func checkPAN(pan string, min, max int) error {
	if len(pan) < min || len(pan) > max {
		return fmt.Errorf("%w: %d digits, want %d to %d", ErrPAN, len(pan), min, max)
	}
	for i := 0; i < len(pan); i++ {
		if pan[i] < '0' || pan[i] > '9' {
			return fmt.Errorf("%w: character %d is not a digit", ErrPAN, i+1)
		}
	}
	return nil
}

// nibble returns nibble i (0 = high nibble of byte 0) of b.
func nibble(b []byte, i int) byte {
	if i%2 == 0 {
		return b[i/2] >> 4
	}
	return b[i/2] & 0x0f
}

// setNibble sets nibble i of b to v (0 to 15).
func setNibble(b []byte, i int, v byte) {
	if i%2 == 0 {
		b[i/2] = b[i/2]&0x0f | v<<4
	} else {
		b[i/2] = b[i/2]&0xf0 | v
	}
}

// packPIN writes control nibble c, the PIN length and the PIN digits into the
// first 2+len(pin) nibbles of b.
func packPIN(b []byte, c Format, pin string) {
	b[0] = byte(c)<<4 | byte(len(pin))
	for i := 0; i < len(pin); i++ {
		setNibble(b, 2+i, pin[i]-'0')
	}
}
