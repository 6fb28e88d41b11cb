package pin

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"
)

// Format4Len is the length of an ISO 9564-1 format 4 PIN field, PAN field
// and enciphered PIN block.
const Format4Len = 16

// Format4PINField builds the plaintext PIN field of ISO 9564-1 format 4
// (§9.4.2.2.2): 4 ‖ N ‖ PIN ‖ A fill to 8 bytes, then 8 random bytes from
// rand (crypto/rand when nil).
func Format4PINField(pin string, rand io.Reader) (Block, error) {
	if err := checkPIN(pin); err != nil {
		return nil, err
	}
	b := make(Block, Format4Len)
	for i := range 8 {
		b[i] = 0xaa
	}
	packPIN(b, ISO4, pin)
	if _, err := io.ReadFull(randReader(rand), b[8:]); err != nil {
		return nil, fmt.Errorf("pin: reading random fill: %w", err)
	}
	return b, nil
}

// Format4PANField builds the plaintext PAN field of format 4 (§9.4.2.2.3):
// M ‖ PAN ‖ 0 fill to 16 bytes, where the PAN (1 to 19 digits, check digit
// included) has 12 + M digits; a PAN shorter than 12 digits is
// right-justified in 12 digits with leading zeros and M = 0.
func Format4PANField(pan string) ([]byte, error) {
	if err := checkPAN(pan, 1, 19); err != nil {
		return nil, err
	}
	p := make([]byte, Format4Len)
	m := 0
	if len(pan) > 12 {
		m = len(pan) - 12
	}
	setNibble(p, 0, byte(m))
	start := 1 + max(0, 12-len(pan))
	for i := 0; i < len(pan); i++ {
		setNibble(p, start+i, pan[i]-'0')
	}
	return p, nil
}

// EncipherFormat4 builds and enciphers a format 4 PIN block with the AES key
// (16, 24 or 32 bytes) per ISO 9564-1 §9.4.2.3: A = AES(K)[PIN field], B = A
// ⊕ PAN field, block = AES(K)[B].
func EncipherFormat4(key []byte, pin, pan string, rand io.Reader) (Block, error) {
	field, err := Format4PINField(pin, rand)
	if err != nil {
		return nil, err
	}
	return EncipherFormat4Field(key, field, pan)
}

// EncipherFormat4Field enciphers an existing plaintext format 4 PIN field.
func EncipherFormat4Field(key []byte, pinField []byte, pan string) (Block, error) {
	if len(pinField) != Format4Len {
		return nil, fmt.Errorf("%w: format 4 PIN field is %d bytes, want %d", ErrLength, len(pinField), Format4Len)
	}
	c, err := newAES(key)
	if err != nil {
		return nil, err
	}
	p, err := Format4PANField(pan)
	if err != nil {
		return nil, err
	}
	b := make(Block, Format4Len)
	c.Encrypt(b, pinField)
	for i := range b {
		b[i] ^= p[i]
	}
	c.Encrypt(b, b)
	return b, nil
}

// DecipherFormat4 reverses [EncipherFormat4] and returns the PIN after the
// checks of [Parse].
func DecipherFormat4(key []byte, block []byte, pan string) (string, error) {
	if len(block) != Format4Len {
		return "", fmt.Errorf("%w: format 4 PIN block is %d bytes, want %d", ErrLength, len(block), Format4Len)
	}
	c, err := newAES(key)
	if err != nil {
		return "", err
	}
	p, err := Format4PANField(pan)
	if err != nil {
		return "", err
	}
	var b [Format4Len]byte
	c.Decrypt(b[:], block)
	for i := range b {
		b[i] ^= p[i]
	}
	c.Decrypt(b[:], b[:])
	pin, _, err := parseField(b[:], ISO4, 16, isA)
	clear(b[:])
	return pin, err
}

func newAES(key []byte) (cipher.Block, error) {
	switch len(key) {
	case 16, 24, 32:
		return aes.NewCipher(key)
	}
	return nil, fmt.Errorf("%w: AES key is %d bytes, want 16, 24 or 32", ErrLength, len(key))
}
