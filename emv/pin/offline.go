package pin

import (
	"crypto/rsa"
	"crypto/subtle"
	"fmt"
	"io"
	"math/big"
)

// ChallengeLen is the length of the ICC Unpredictable Number returned by
// GET CHALLENGE.
const ChallengeLen = 8

// offlineHeader is the data header of the enciphered PIN data (Book 2 §7.2).
const offlineHeader = 0x7f

// EncipherOffline builds the enciphered PIN data of EMV Book 2 §7.2 for
// VERIFY with P2 = 88: the N-byte message 7F ‖ PIN block (8 bytes, ISO 9564
// format 2) ‖ ICC Unpredictable Number (8 bytes, from GET CHALLENGE) ‖
// random padding (N − 17 bytes from rand, crypto/rand when nil), raised to
// the public exponent modulo the ICC PIN encipherment public key (9F2D,
// 9F2E, 9F2F) — or the ICC public key when the card has no separate one. N
// is the length of the modulus; the result has N bytes.
func EncipherOffline(pub *rsa.PublicKey, pinBlock, challenge []byte, rand io.Reader) ([]byte, error) {
	k, err := modulusLen(pub)
	if err != nil {
		return nil, err
	}
	if len(pinBlock) != BlockLen {
		return nil, fmt.Errorf("%w: PIN block is %d bytes, want %d", ErrLength, len(pinBlock), BlockLen)
	}
	if f := pinBlock[0] >> 4; f != byte(ISO2) {
		return nil, fmt.Errorf("%w: control field %X, EMV offline PIN uses format 2", ErrFormat, f)
	}
	if len(challenge) != ChallengeLen {
		return nil, fmt.Errorf("%w: ICC unpredictable number is %d bytes, want %d", ErrLength, len(challenge), ChallengeLen)
	}
	// The message is built in the buffer that receives the result: one
	// allocation, cleared before it is reused.
	out := make([]byte, k)
	out[0] = offlineHeader
	copy(out[1:], pinBlock)
	copy(out[1+BlockLen:], challenge)
	if _, err := io.ReadFull(randReader(rand), out[1+BlockLen+ChallengeLen:]); err != nil {
		clear(out)
		return nil, fmt.Errorf("pin: reading random padding: %w", err)
	}
	x := new(big.Int).SetBytes(out)
	clear(out)
	defer clear(x.Bits()) // the message holds the PIN block: wiped, not left to the collector
	if x.Cmp(pub.N) >= 0 {
		return nil, fmt.Errorf("%w: message does not fit under the modulus", ErrLength)
	}
	c := new(big.Int).Exp(x, exponent(pub.E), pub.N)
	return c.FillBytes(out), nil
}

// exponent3 and exponent65537 are the exponents EMV keys use, shared:
// math/big only reads an exponent.
var (
	exponent3     = big.NewInt(3)
	exponent65537 = big.NewInt(65537)
)

// exponent returns e as a big.Int without allocating for EMV's two.
func exponent(e int) *big.Int {
	switch e {
	case 3:
		return exponent3
	case 65537:
		return exponent65537
	}
	return big.NewInt(int64(e))
}

// EncipherOfflinePIN builds the format 2 PIN block of pin and enciphers it
// with [EncipherOffline].
func EncipherOfflinePIN(pub *rsa.PublicKey, pin string, challenge []byte, rand io.Reader) ([]byte, error) {
	var blk [BlockLen]byte // on the stack: the block never leaves this call
	b := Block(blk[:])
	defer clear(b)
	if err := format2(b, pin); err != nil {
		return nil, err
	}
	return EncipherOffline(pub, b, challenge, rand)
}

// DecipherOffline is the card's side of [EncipherOffline] (Book 2 §7.2): it
// recovers the message with the private key, checks the 7F header
// ([ErrHeader]) and the ICC Unpredictable Number the card issued
// ([ErrChallenge], compared in constant time), and that the PIN block is a
// well-formed format 2 block. It returns that PIN block.
//
// The private operation uses math/big and is not constant time: it serves the
// simulated card, not a production one.
func DecipherOffline(priv *rsa.PrivateKey, enc, challenge []byte) (Block, error) {
	k, err := modulusLen(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	if len(enc) != k {
		return nil, fmt.Errorf("%w: enciphered PIN data is %d bytes, want the %d-byte modulus length", ErrLength, len(enc), k)
	}
	if len(challenge) != ChallengeLen {
		return nil, fmt.Errorf("%w: ICC unpredictable number is %d bytes, want %d", ErrLength, len(challenge), ChallengeLen)
	}
	c := new(big.Int).SetBytes(enc)
	if c.Cmp(priv.N) >= 0 {
		return nil, fmt.Errorf("%w: enciphered PIN data is not below the modulus", ErrLength)
	}
	m := c.Exp(c, priv.D, priv.N).FillBytes(make([]byte, k))
	defer clear(m)
	if m[0] != offlineHeader {
		return nil, fmt.Errorf("%w: got %02X", ErrHeader, m[0])
	}
	if subtle.ConstantTimeCompare(m[1+BlockLen:1+BlockLen+ChallengeLen], challenge) != 1 {
		return nil, ErrChallenge
	}
	b := append(Block(nil), m[1:1+BlockLen]...)
	if _, _, err := parseField(b, ISO2, 16, isF); err != nil {
		clear(b)
		return nil, err
	}
	return b, nil
}

// VerifyOffline deciphers enciphered PIN data like [DecipherOffline] and
// compares the PIN block with the format 2 block of the reference PIN in
// constant time; a different PIN wraps [ErrMismatch].
func VerifyOffline(priv *rsa.PrivateKey, enc, challenge []byte, reference string) error {
	ref, err := Format2(reference)
	if err != nil {
		return fmt.Errorf("reference PIN: %w", err)
	}
	defer clear(ref)
	b, err := DecipherOffline(priv, enc, challenge)
	if err != nil {
		return err
	}
	defer clear(b)
	if subtle.ConstantTimeCompare(b, ref) != 1 {
		return ErrMismatch
	}
	return nil
}

// modulusLen returns the modulus length in bytes, which must leave room for
// the 17 fixed bytes and make 7F‖… smaller than the modulus.
func modulusLen(pub *rsa.PublicKey) (int, error) {
	if pub == nil || pub.N == nil || pub.N.Sign() <= 0 || pub.E < 2 {
		return 0, fmt.Errorf("%w: no usable RSA public key", ErrLength)
	}
	k := (pub.N.BitLen() + 7) / 8
	if k < 1+BlockLen+ChallengeLen+1 {
		return 0, fmt.Errorf("%w: %d-byte modulus is too short for enciphered PIN data", ErrLength, k)
	}
	return k, nil
}
