package oda

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/emmansun/gmsm/sm2"
)

// PrivateKey is a signing key of the issuance side: a CA, issuer or ICC
// key, RSA or SM2. Its Public half is what certificates carry.
//
// The RSA operations use math/big, which is not constant-time: these keys
// sign test certificates and simulated cards, they are not for a production
// CA or a real card's secrets.
type PrivateKey struct {
	Public PublicKey

	// RSA: private exponent and CRT values.
	d, p, q, dp, dq, qinv *big.Int
	// SM2.
	sm2 *sm2.PrivateKey
}

// Key sizes this package issues: EMV moduli are whole bytes, at most 248
// (1984 bits); 512 bits is the smallest that still holds an ICC certificate
// with room for a key.
const (
	MinRSABits = 512
	MaxRSABits = MaxRSAModulusLen * 8
)

// GenerateRSAKey generates an RSA key of bits bits (a multiple of 8, 512 to
// 1984) with public exponent 3 or 65537, reading all its randomness from
// rand, so that the same bytes give the same key.
//
// crypto/rsa cannot serve here: since Go 1.26 GenerateKey ignores its
// io.Reader (unless GODEBUG=cryptocustomrand=1, a setting due to go away),
// always uses exponent 65537, and refuses keys under 1024 bits. The
// procedure, documented so that others can reproduce a key from a seed:
//
//  1. p gets (bits+1)/2 bits, q the rest. For each, read ceil(b/8) bytes
//     from rand, clear the bits above b, set the top two bits (so that p·q
//     has exactly bits bits) and the lowest bit.
//  2. Step by 2 from that value until the candidate is prime by
//     math/big ProbablyPrime(20) (20 Miller–Rabin rounds and Baillie–PSW,
//     deterministic) and p−1 is prime to e. If the search leaves the bit
//     length (or runs 2^19 steps), read new bytes and start again.
//  3. Draw q the same way, again if it equals p.
//  4. d = e⁻¹ mod lcm(p−1, q−1); CRT values as PKCS #1.
//
// Searching upward from a random start favours primes after long gaps a
// little; for test keys that is of no consequence.
func GenerateRSAKey(rand io.Reader, bits, exponent int) (*PrivateKey, error) {
	if bits%8 != 0 || bits < MinRSABits || bits > MaxRSABits {
		return nil, fmt.Errorf("oda: RSA key of %d bits: want a multiple of 8 from %d to %d", bits, MinRSABits, MaxRSABits)
	}
	if exponent != 3 && exponent != 65537 {
		return nil, fmt.Errorf("oda: %w: %d", ErrExponent, exponent)
	}
	e := big.NewInt(int64(exponent))
	p, err := randomPrime(rand, (bits+1)/2, e)
	if err != nil {
		return nil, err
	}
	var q *big.Int
	for q == nil || q.Cmp(p) == 0 {
		if q, err = randomPrime(rand, bits/2, e); err != nil {
			return nil, err
		}
	}
	return newRSAPrivateKey(p, q, exponent)
}

var one = big.NewInt(1)

func randomPrime(rand io.Reader, bits int, e *big.Int) (*big.Int, error) {
	buf := make([]byte, (bits+7)/8)
	pm1, g, c := new(big.Int), new(big.Int), new(big.Int)
	primes := smallPrimes()
	rems := make([]uint64, len(primes))
	for {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, fmt.Errorf("oda: reading randomness: %w", err)
		}
		if extra := len(buf)*8 - bits; extra > 0 {
			buf[0] &= 0xFF >> extra
		}
		base := new(big.Int).SetBytes(buf)
		base.SetBit(base, bits-1, 1)
		base.SetBit(base, bits-2, 1)
		base.SetBit(base, 0, 1)
		for i, q := range primes {
			rems[i] = g.Mod(base, pm1.SetUint64(q)).Uint64()
		}
		// Step by 2 from base. Candidates with a small factor are skipped
		// before ProbablyPrime, which would refuse them anyway: the prime
		// found is the same, only sooner.
	next:
		for delta := uint64(0); delta < 1<<20; delta += 2 {
			for i, q := range primes {
				if (rems[i]+delta)%q == 0 {
					continue next
				}
			}
			c.Add(base, pm1.SetUint64(delta))
			if c.BitLen() != bits {
				break
			}
			if !c.ProbablyPrime(20) {
				continue
			}
			if g.GCD(nil, nil, pm1.Sub(c, one), e).Cmp(one) == 0 {
				return new(big.Int).Set(c), nil
			}
		}
	}
}

// smallPrimes are the odd primes below 2000, for sieving candidates.
var smallPrimes = sync.OnceValue(func() []uint64 {
	var ps []uint64
	for n := uint64(3); n < 2000; n += 2 {
		prime := true
		for _, p := range ps {
			if p*p > n {
				break
			}
			if n%p == 0 {
				prime = false
				break
			}
		}
		if prime {
			ps = append(ps, n)
		}
	}
	return ps
})

func newRSAPrivateKey(p, q *big.Int, exponent int) (*PrivateKey, error) {
	n := new(big.Int).Mul(p, q)
	e := big.NewInt(int64(exponent))
	pm1, qm1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
	g := new(big.Int).GCD(nil, nil, pm1, qm1)
	lcm := new(big.Int).Div(new(big.Int).Mul(pm1, qm1), g)
	d := new(big.Int).ModInverse(e, lcm)
	if d == nil {
		return nil, errors.New("oda: exponent not invertible (p or q unsuitable)")
	}
	expBytes := []byte{3}
	if exponent == 65537 {
		expBytes = []byte{1, 0, 1}
	}
	pub, err := NewRSAPublicKey(n.Bytes(), expBytes)
	if err != nil {
		return nil, err
	}
	return &PrivateKey{
		Public: pub, d: d, p: p, q: q,
		dp:   new(big.Int).Mod(d, pm1),
		dq:   new(big.Int).Mod(d, qm1),
		qinv: new(big.Int).ModInverse(q, p),
	}, nil
}

// usable reports whether k can sign with its algorithm: a PrivateKey must
// come from this package's generators.
func (k *PrivateKey) usable() error {
	if k == nil || (k.Public.Algorithm == RSA && k.p == nil) || (k.Public.Algorithm == SM2 && k.sm2 == nil) || (k.Public.Algorithm != RSA && k.Public.Algorithm != SM2) {
		return errors.New("oda: private key not made by GenerateRSAKey, GenerateSM2Key or GenerateKey")
	}
	return nil
}

// rsaPrivate returns x^d mod n as len(n) bytes, by the CRT.
func (k *PrivateKey) rsaPrivate(x []byte) []byte {
	c := new(big.Int).SetBytes(x)
	m1 := new(big.Int).Exp(c, k.dp, k.p)
	m2 := new(big.Int).Exp(c, k.dq, k.q)
	h := m1.Sub(m1, m2)
	h.Mul(h, k.qinv).Mod(h, k.p)
	h.Mul(h, k.q).Add(h, m2)
	return h.FillBytes(make([]byte, k.Public.Len()))
}

// GenerateSM2Key generates an SM2 key, reading its randomness from rand:
// 32 bytes at a time until they make a valid private key (1 ≤ d ≤ n−2), so
// that the same bytes give the same key (gmsm's own GenerateKey does not
// promise that). In particular, 32 bytes that are a valid private key d
// give that key: a stored d is loaded with GenerateSM2Key(bytes.NewReader(d)).
func GenerateSM2Key(rand io.Reader) (*PrivateKey, error) {
	buf := make([]byte, 32)
	for {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, fmt.Errorf("oda: reading randomness: %w", err)
		}
		priv, err := sm2.NewPrivateKey(buf)
		if err != nil {
			continue
		}
		return newSM2PrivateKey(priv)
	}
}

func newSM2PrivateKey(priv *sm2.PrivateKey) (*PrivateKey, error) {
	xy := make([]byte, sm2KeyLen)
	priv.PublicKey.X.FillBytes(xy[:32])
	priv.PublicKey.Y.FillBytes(xy[32:])
	pub, err := NewSM2PublicKey(xy)
	if err != nil {
		return nil, err
	}
	return &PrivateKey{Public: pub, sm2: priv}, nil
}

// GenerateKey generates a key of either algorithm: RSA of bits bits with
// the given exponent, or SM2 (bits and exponent ignored).
func GenerateKey(rand io.Reader, alg Algorithm, bits, exponent int) (*PrivateKey, error) {
	switch alg {
	case RSA:
		return GenerateRSAKey(rand, bits, exponent)
	case SM2:
		return GenerateSM2Key(rand)
	}
	return nil, fmt.Errorf("oda: cannot generate a key of %s", alg)
}

// sm2Sign signs msg with the default user ID and returns r‖s. gmsm may read
// one extra byte from rand, or not, at random (randutil.MaybeReadByte), to
// keep callers from depending on its output; singleByteSkipper hides those
// one-byte reads so that a seeded rand gives the same signature every time.
// (The nonce still comes from rand: do not give two different messages the
// same seeded stream and key — that would reveal the key, which for a seeded
// test key is public anyway.)
func (k *PrivateKey) sm2Sign(rand io.Reader, msg []byte) ([]byte, error) {
	r, s, err := sm2.SignWithSM2(singleByteSkipper{rand}, &k.sm2.PrivateKey, defaultUID, msg)
	if err != nil {
		return nil, fmt.Errorf("oda: SM2 signature: %w", err)
	}
	sig := make([]byte, sm2SigLen)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return sig, nil
}

type singleByteSkipper struct{ r io.Reader }

func (s singleByteSkipper) Read(p []byte) (int, error) {
	if len(p) == 1 {
		p[0] = 0
		return 1, nil
	}
	return s.r.Read(p)
}
