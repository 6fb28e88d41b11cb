package cardsim

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/yixin-emv/yixin/emv/oda"
)

// iccKey is an application's ICC private key in the two forms the card
// needs: emv/oda's, to sign dynamic data, and crypto/rsa's, which emv/pin
// uses to decipher an enciphered PIN (nil for SM2).
type iccKey struct {
	oda *oda.PrivateKey
	rsa *rsa.PrivateKey
}

// Key files and emv/oda.
//
// emv/oda generates keys (deterministically from a random stream) but has
// no way yet to export a private key or to build one from its parts, and a
// card file must keep the ICC key. Until it has, this file bridges the gap
// with what oda documents about GenerateRSAKey and GenerateSM2Key:
//
//   - an SM2 key is the 32 bytes GenerateSM2Key read last (its private
//     scalar d); reading the same 32 bytes again gives the same key;
//   - an RSA key is p·q where p is the first prime found upward from a
//     (bits+1)/2-bit start read from the stream (top two bits and low bit
//     set), and q likewise with bits/2 bits. After generation, p is found
//     by trial division of the modulus upward from each start the stream
//     gave; to load a key, its p and q are handed back to GenerateRSAKey as
//     the stream, and being primes already they are returned unchanged.
//
// Both directions are checked (the public key must come out equal), so a
// change in oda's procedure fails loudly instead of giving a wrong key.

// recordingReader keeps every chunk read through it.
type recordingReader struct {
	r      io.Reader
	chunks [][]byte
}

func (rr *recordingReader) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	rr.chunks = append(rr.chunks, bytes.Clone(p[:n]))
	return n, err
}

// generateICCKey generates an ICC key with emv/oda and returns it with its
// key file.
func generateICCKey(rand io.Reader, o *ODAProfile) (*iccKey, *KeyFile, error) {
	rr := &recordingReader{r: rand}
	if o.Algorithm == "sm2" {
		k, err := oda.GenerateSM2Key(rr)
		if err != nil {
			return nil, nil, err
		}
		kf := &KeyFile{Algorithm: "sm2", D: rr.chunks[len(rr.chunks)-1]}
		return &iccKey{oda: k}, kf, nil
	}
	k, err := oda.GenerateRSAKey(rr, o.ICCBits, o.ICCExponent)
	if err != nil {
		return nil, nil, err
	}
	n := new(big.Int).SetBytes(k.Public.Modulus)
	p, err := findFactor(n, (o.ICCBits+1)/2, rr.chunks)
	if err != nil {
		return nil, nil, err
	}
	q := new(big.Int).Div(n, p)
	kf := &KeyFile{Algorithm: "rsa", P: p.Bytes(), Q: q.Bytes(), Exponent: o.ICCExponent}
	key, err := loadICCKey(kf)
	if err != nil {
		return nil, nil, err
	}
	return key, kf, nil
}

// maxPrimeSteps bounds the upward search for p from a start value: prime
// gaps near 2^1000 average about 700, so a million odd steps is far more
// than any real search takes.
const maxPrimeSteps = 1 << 20

// findFactor finds the prime factor of n that GenerateRSAKey drew first.
func findFactor(n *big.Int, bits int, chunks [][]byte) (*big.Int, error) {
	size := (bits + 7) / 8
	two, rem := big.NewInt(2), new(big.Int)
	for _, c := range chunks {
		if len(c) != size {
			continue
		}
		s := new(big.Int).SetBytes(c)
		if extra := size*8 - bits; extra > 0 {
			s.SetBytes(append([]byte{c[0] & (0xFF >> extra)}, c[1:]...))
		}
		s.SetBit(s, bits-1, 1)
		s.SetBit(s, bits-2, 1)
		s.SetBit(s, 0, 1)
		for i := 0; i < maxPrimeSteps && s.BitLen() == bits; i++ {
			if rem.Mod(n, s).Sign() == 0 {
				return s, nil
			}
			s.Add(s, two)
		}
	}
	return nil, errors.New("cardsim: cannot recover the ICC key's primes from emv/oda's key generation (has its procedure changed?)")
}

// loadICCKey rebuilds an ICC key from its key file.
func loadICCKey(kf *KeyFile) (*iccKey, error) {
	switch kf.Algorithm {
	case "sm2":
		if len(kf.D) != 32 {
			return nil, fmt.Errorf("SM2 private key of %d bytes, want 32", len(kf.D))
		}
		k, err := oda.GenerateSM2Key(bytes.NewReader(kf.D))
		if err != nil {
			return nil, err
		}
		return &iccKey{oda: k}, nil
	case "rsa":
		return loadRSAKey(kf)
	}
	return nil, fmt.Errorf("key algorithm %q, want rsa or sm2", kf.Algorithm)
}

func loadRSAKey(kf *KeyFile) (*iccKey, error) {
	p, q := new(big.Int).SetBytes(kf.P), new(big.Int).SetBytes(kf.Q)
	n := new(big.Int).Mul(p, q)
	bits := n.BitLen()
	if p.BitLen() != (bits+1)/2 || q.BitLen() != bits/2 || bits%8 != 0 {
		return nil, fmt.Errorf("RSA primes of %d and %d bits do not make a whole-byte modulus", p.BitLen(), q.BitLen())
	}
	stream := append(p.FillBytes(make([]byte, (p.BitLen()+7)/8)), q.FillBytes(make([]byte, (q.BitLen()+7)/8))...)
	k, err := oda.GenerateRSAKey(bytes.NewReader(stream), bits, kf.Exponent)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(k.Public.Modulus, n.Bytes()) {
		return nil, errors.New("the key file's primes do not rebuild the key (are they primes?)")
	}
	e := big.NewInt(int64(kf.Exponent))
	pm1, qm1 := new(big.Int).Sub(p, big.NewInt(1)), new(big.Int).Sub(q, big.NewInt(1))
	phi := new(big.Int).Mul(pm1, qm1)
	d := new(big.Int).ModInverse(e, phi)
	if d == nil {
		return nil, errors.New("the exponent is not invertible")
	}
	priv := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: kf.Exponent}, D: d, Primes: []*big.Int{p, q}}
	return &iccKey{oda: k, rsa: priv}, nil
}
