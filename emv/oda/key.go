package oda

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
	"math/big"
	"math/bits"

	"github.com/emmansun/gmsm/sm2"
)

// Algorithm is a public key algorithm.
type Algorithm uint8

// Public key algorithms.
const (
	RSA Algorithm = iota + 1 // EMV RSA (Book 2), indicator 01
	SM2                      // SM2 over SM3 (JR/T 0025.17), indicator 04
)

// String returns "rsa" or "sm2", the words of the capk.txt format.
func (a Algorithm) String() string {
	switch a {
	case RSA:
		return "rsa"
	case SM2:
		return "sm2"
	}
	return fmt.Sprintf("algorithm(%d)", uint8(a))
}

// Limits from EMV Book 2 §5.1 and Annex B2.1: a CA modulus is at most 248
// bytes, and exponents are 3 or 2^16+1.
const (
	MaxRSAModulusLen = 248
	sm2KeyLen        = 64
)

// PublicKey is an RSA or SM2 public key as EMV carries it: for RSA the
// modulus and exponent bytes, for SM2 the point X‖Y (64 bytes) in Modulus.
// Build one with NewRSAPublicKey or NewSM2PublicKey so that it is checked
// and ready for use.
type PublicKey struct {
	Algorithm Algorithm
	Modulus   []byte
	Exponent  []byte

	n   *big.Int         // RSA modulus, set by NewRSAPublicKey
	e   *big.Int         // RSA exponent
	pub *ecdsa.PublicKey // SM2 point, set by NewSM2PublicKey
}

// NewRSAPublicKey checks an RSA public key as EMV allows it — a modulus of
// 1 to 248 bytes without a leading zero byte, odd, and an exponent of 3 or
// 65537 — and returns it. The slices are copied.
func NewRSAPublicKey(modulus, exponent []byte) (PublicKey, error) {
	return newRSAPublicKey(append([]byte(nil), modulus...), append([]byte(nil), exponent...))
}

// newRSAPublicKey is NewRSAPublicKey for slices the key may keep.
func newRSAPublicKey(modulus, exponent []byte) (PublicKey, error) {
	return newRSAPublicKeyIn(modulus, exponent, nil)
}

// rsaKeyMem is room for an RSA public key that a certificate carries: its
// modulus and exponent bytes, and the modulus as a big.Int with the words
// behind it, so that the key needs no allocation of its own.
type rsaKeyMem struct {
	b     [MaxRSAModulusLen + 3]byte
	words [(MaxRSAModulusLen*8 + bits.UintSize - 1) / bits.UintSize]big.Word
	n     big.Int
}

// newRSAPublicKeyIn is newRSAPublicKey with the big.Int of the modulus in
// mem when mem is not nil (modulus and exponent may then alias mem.b).
func newRSAPublicKeyIn(modulus, exponent []byte, mem *rsaKeyMem) (PublicKey, error) {
	e, ok := rsaExponent(exponent)
	if !ok {
		return PublicKey{}, fmt.Errorf("%w: exponent %X", ErrExponent, exponent)
	}
	if len(modulus) == 0 || len(modulus) > MaxRSAModulusLen || modulus[0] == 0 || modulus[len(modulus)-1]&1 == 0 {
		return PublicKey{}, fmt.Errorf("%w: RSA modulus of %d bytes is empty, too long, even or has a leading zero byte", ErrInvalidKey, len(modulus))
	}
	var n *big.Int
	if mem != nil {
		n = mem.n.SetBits(mem.words[:0]) // SetBytes fills the words: they hold any modulus EMV allows
	} else {
		n = new(big.Int)
	}
	return PublicKey{
		Algorithm: RSA,
		Modulus:   modulus,
		Exponent:  exponent,
		n:         n.SetBytes(modulus),
		e:         exponentInt(e),
	}, nil
}

// RSA returns the key as a crypto/rsa public key, for an RSA operation
// this package does not perform itself (the offline PIN encipherment of
// emv/pin). N is the key's own modulus, shared rather than copied: the
// caller must not modify it. ok is false for an SM2 key.
func (k *PublicKey) RSA() (pub rsa.PublicKey, ok bool) {
	if k.Algorithm != RSA {
		return rsa.PublicKey{}, false
	}
	e, ok := rsaExponent(k.Exponent)
	if !ok {
		return rsa.PublicKey{}, false
	}
	n := k.n
	if n == nil { // a PublicKey built by hand
		n = new(big.Int).SetBytes(k.Modulus)
	}
	return rsa.PublicKey{N: n, E: e}, true
}

// NewSM2PublicKey checks that xy (X‖Y, 64 bytes) is a point of the SM2
// curve and returns the key.
func NewSM2PublicKey(xy []byte) (PublicKey, error) {
	if len(xy) != sm2KeyLen {
		return PublicKey{}, fmt.Errorf("%w: SM2 key is %d bytes, not 64", ErrKeyLength, len(xy))
	}
	pub, err := sm2.NewPublicKey(append([]byte{0x04}, xy...))
	if err != nil {
		return PublicKey{}, fmt.Errorf("%w: SM2 point: %v", ErrInvalidKey, err)
	}
	return PublicKey{Algorithm: SM2, Modulus: append([]byte(nil), xy...), pub: pub}, nil
}

// Len returns the key's length in bytes as EMV counts it: the modulus length
// for RSA (N_CA, N_I, N_IC of Book 2), 64 for SM2.
func (k PublicKey) Len() int { return len(k.Modulus) }

// rsaExponent accepts 03 and 010001 (and their zero-padded forms, which
// some key files use) and returns the value.
func rsaExponent(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		if v > 1<<16 {
			return 0, false
		}
		v = v<<8 | int(c)
	}
	if len(b) == 0 || len(b) > 3 || (v != 3 && v != 65537) {
		return 0, false
	}
	return v, true
}

// rsaPublic returns x^e mod n as len(n) bytes (the EMV recovery function,
// Book 2 Annex A2.1). x must be as long as the modulus.
func (k *PublicKey) rsaPublic(x []byte) []byte { return k.rsaPublicTo(nil, x) }

// rsaPublicTo is rsaPublic writing to dst when it is long enough, else to
// a new slice.
func (k *PublicKey) rsaPublicTo(dst, x []byte) []byte {
	n, e := k.n, k.e
	if n == nil || e == nil { // a PublicKey built by hand: compute what the constructor caches
		n = new(big.Int).SetBytes(k.Modulus)
		v, _ := rsaExponent(k.Exponent)
		e = exponentInt(v)
	}
	if len(dst) < len(k.Modulus) {
		dst = make([]byte, len(k.Modulus))
	}
	m := new(big.Int).SetBytes(x)
	m.Exp(m, e, n)
	return m.FillBytes(dst[:len(k.Modulus)])
}

// The two exponents EMV allows, shared by every key: math/big only reads
// an exponent, and nothing in this package writes one.
var (
	exponent3     = big.NewInt(3)
	exponent65537 = big.NewInt(65537)
)

// exponentInt returns v (3 or 65537, as rsaExponent accepts) as a big.Int.
func exponentInt(v int) *big.Int {
	if v == 3 {
		return exponent3
	}
	return exponent65537
}

// sm2Key returns the gmsm form of an SM2 key.
func (k *PublicKey) sm2Key() (*ecdsa.PublicKey, error) {
	if k.pub != nil {
		return k.pub, nil
	}
	kk, err := NewSM2PublicKey(k.Modulus)
	return kk.pub, err
}
