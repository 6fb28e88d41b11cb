package cryptogram

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"errors"
	"fmt"
	"strings"

	"github.com/emmansun/gmsm/sm4"
)

// Errors returned by this package. Each error wraps one of them, so callers
// test with errors.Is.
var (
	// ErrAlgorithm reports an unknown or unsupported algorithm, option,
	// padding or mode.
	ErrAlgorithm = errors.New("cryptogram: unsupported algorithm")
	// ErrKeyLength reports a key of the wrong length for its algorithm.
	ErrKeyLength = errors.New("cryptogram: bad key length")
	// ErrLength reports an input (ATC, ARQC, UN, MAC length …) of the wrong
	// length.
	ErrLength = errors.New("cryptogram: bad input length")
	// ErrDigits reports a PAN or PAN sequence number that is not made of
	// decimal digits or has the wrong number of them.
	ErrDigits = errors.New("cryptogram: bad PAN or PAN sequence number")
	// ErrPadding reports deciphered data whose padding or length byte is
	// wrong.
	ErrPadding = errors.New("cryptogram: bad padding")
	// ErrCryptogramMismatch reports an application cryptogram or ARPC that
	// does not match the one computed.
	ErrCryptogramMismatch = errors.New("cryptogram: cryptogram does not match")
	// ErrMACMismatch reports a secure-messaging MAC that does not match.
	ErrMACMismatch = errors.New("cryptogram: MAC does not match")
)

// Algorithm is the block cipher an application uses for its cryptograms.
type Algorithm int

// The algorithms. The zero value is invalid.
const (
	// TDES is two-key triple DES (112-bit keys, 8-byte blocks); its MAC is
	// ISO/IEC 9797-1 algorithm 3 (EMV Book 2 Annex A1.2.1).
	TDES Algorithm = iota + 1
	// AES is AES-128/192/256 (16-byte blocks); its MAC is CMAC (EMV Book 2
	// Annex A1.2.2, ISO/IEC 9797-1 algorithm 5).
	AES
	// SM4 is the Chinese national block cipher (128-bit keys, 16-byte
	// blocks) of the domestic application; its MAC is SM4 CBC-MAC.
	SM4
)

var algorithmNames = [...]string{TDES: "tdes", AES: "aes", SM4: "sm4"}

// String returns "tdes", "aes" or "sm4".
func (a Algorithm) String() string {
	if a < TDES || a > SM4 {
		return fmt.Sprintf("Algorithm(%d)", int(a))
	}
	return algorithmNames[a]
}

// ParseAlgorithm reads "tdes", "aes" or "sm4" (case-insensitive).
func ParseAlgorithm(s string) (Algorithm, error) {
	for a := TDES; a <= SM4; a++ {
		if strings.EqualFold(s, algorithmNames[a]) {
			return a, nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want tdes, aes or sm4)", ErrAlgorithm, s)
}

// BlockSize returns the cipher block size in bytes (8 or 16), or 0 for an
// invalid algorithm.
func (a Algorithm) BlockSize() int {
	switch a {
	case TDES:
		return des.BlockSize
	case AES, SM4:
		return 16
	}
	return 0
}

// checkKey validates the key length for a.
func (a Algorithm) checkKey(what string, key []byte) error {
	ok := false
	switch a {
	case TDES:
		ok = len(key) == 16
	case AES:
		ok = len(key) == 16 || len(key) == 24 || len(key) == 32
	case SM4:
		ok = len(key) == 16
	default:
		return fmt.Errorf("%w: %v", ErrAlgorithm, a)
	}
	if !ok {
		return fmt.Errorf("%w: %s key is %d bytes, want %s", ErrKeyLength, what, len(key), a.keyLengths())
	}
	return nil
}

func (a Algorithm) keyLengths() string {
	if a == AES {
		return "16, 24 or 32"
	}
	return "16"
}

// newCipher returns the block cipher for a and key, after checking the key
// length. A 16-byte TDES key K1‖K2 is used as K1‖K2‖K1.
func (a Algorithm) newCipher(what string, key []byte) (cipher.Block, error) {
	if err := a.checkKey(what, key); err != nil {
		return nil, err
	}
	switch a {
	case TDES:
		var k [24]byte
		copy(k[:], key)
		copy(k[16:], key[:8])
		return des.NewTripleDESCipher(k[:])
	case AES:
		return aes.NewCipher(key)
	default:
		return sm4.NewCipher(key)
	}
}

// Padding is an ISO/IEC 9797-1 padding method.
type Padding int

// The padding methods used by EMV.
const (
	// Pad1 is padding method 1: zero bytes up to a block boundary, none if
	// the data already ends on one (an empty message becomes one zero
	// block). Visa CVN 10 cryptograms use it.
	Pad1 Padding = 1
	// Pad2 is padding method 2: a mandatory 80 byte, then zero bytes up to
	// a block boundary. EMV Book 2 Annex A1.2 uses it.
	Pad2 Padding = 2
)

func (p Padding) check() error {
	if p != Pad1 && p != Pad2 {
		return fmt.Errorf("%w: padding method %d (want 1 or 2)", ErrAlgorithm, int(p))
	}
	return nil
}

// SetOddParity sets the low bit of every byte of key so that each byte has
// an odd number of one bits, as DES keys require, and returns key.
func SetOddParity(key []byte) []byte {
	for i, b := range key {
		b &^= 1
		if parity8(b) == 0 {
			b |= 1
		}
		key[i] = b
	}
	return key
}

// OddParity reports whether every byte of key has odd parity.
func OddParity(key []byte) bool {
	for _, b := range key {
		if parity8(b) == 0 {
			return false
		}
	}
	return true
}

// parity8 returns 1 if b has an odd number of one bits.
func parity8(b byte) byte {
	b ^= b >> 4
	b ^= b >> 2
	b ^= b >> 1
	return b & 1
}

func checkLen(what string, b []byte, want int) error {
	if len(b) != want {
		return fmt.Errorf("%w: %s is %d bytes, want %d", ErrLength, what, len(b), want)
	}
	return nil
}

func xorInto(dst, a, b []byte) {
	for i := range dst {
		dst[i] = a[i] ^ b[i]
	}
}
