package oda

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/emmansun/gmsm/sm2"
)

// ErrKeyParts is wrapped by the errors of NewRSAPrivateKey and
// NewSM2PrivateKey when the parts do not make a usable key.
var ErrKeyParts = errors.New("oda: private key parts do not make a usable key")

// NewRSAPrivateKey builds an RSA private key from its primes (big-endian)
// and public exponent (3 or 65537), as stored in a card file. The modulus
// p·q must be a whole number of bytes between MinRSABits and MaxRSABits;
// both primes are checked to be prime (Baillie-PSW, which has no known
// counterexample, so that loading a card stays cheap).
func NewRSAPrivateKey(p, q []byte, exponent int) (*PrivateKey, error) {
	if exponent != 3 && exponent != 65537 {
		return nil, fmt.Errorf("%w: exponent %d, want 3 or 65537", ErrKeyParts, exponent)
	}
	bp, bq := new(big.Int).SetBytes(p), new(big.Int).SetBytes(q)
	if bp.Cmp(bq) == 0 || !bp.ProbablyPrime(0) || !bq.ProbablyPrime(0) {
		return nil, fmt.Errorf("%w: p and q must be two distinct primes", ErrKeyParts)
	}
	bits := new(big.Int).Mul(bp, bq).BitLen()
	if bits%8 != 0 || bits < MinRSABits || bits > MaxRSABits {
		return nil, fmt.Errorf("%w: modulus of %d bits, want a multiple of 8 from %d to %d", ErrKeyParts, bits, MinRSABits, MaxRSABits)
	}
	k, err := newRSAPrivateKey(bp, bq, exponent)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyParts, err)
	}
	return k, nil
}

// NewSM2PrivateKey builds an SM2 private key from its 32-byte scalar d.
func NewSM2PrivateKey(d []byte) (*PrivateKey, error) {
	if len(d) != 32 {
		return nil, fmt.Errorf("%w: SM2 private key of %d bytes, want 32", ErrKeyParts, len(d))
	}
	priv, err := sm2.NewPrivateKey(d)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyParts, err)
	}
	return newSM2PrivateKey(priv)
}

// RSAPrimes returns the primes of an RSA key, big-endian, to store it
// (NewRSAPrivateKey reads them back). ok is false for other keys.
func (k *PrivateKey) RSAPrimes() (p, q []byte, ok bool) {
	if k == nil || k.Public.Algorithm != RSA || k.p == nil {
		return nil, nil, false
	}
	return k.p.Bytes(), k.q.Bytes(), true
}

// SM2Scalar returns the 32-byte private scalar d of an SM2 key, to store
// it (NewSM2PrivateKey reads it back). ok is false for other keys.
func (k *PrivateKey) SM2Scalar() (d []byte, ok bool) {
	if k == nil || k.Public.Algorithm != SM2 || k.sm2 == nil {
		return nil, false
	}
	return k.sm2.D.FillBytes(make([]byte, 32)), true
}

// RSA returns the key as a crypto/rsa private key (for emv/pin, which
// deciphers an offline enciphered PIN with it), or nil for an SM2 key.
func (k *PrivateKey) RSA() *rsa.PrivateKey {
	if k == nil || k.Public.Algorithm != RSA || k.p == nil {
		return nil
	}
	e, _ := rsaExponent(k.Public.Exponent)
	priv := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: new(big.Int).Mul(k.p, k.q), E: e},
		D:         new(big.Int).Set(k.d),
		Primes:    []*big.Int{new(big.Int).Set(k.p), new(big.Int).Set(k.q)},
	}
	priv.Precompute()
	return priv
}
