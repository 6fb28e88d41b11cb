package oda

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"testing"
)

func TestKeyPartsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		bits, e int
	}{{1024, 3}, {1152, 65537}, {1408, 3}} {
		k, err := GenerateRSAKey(seeded(byte(tc.bits+tc.e)), tc.bits, tc.e)
		if err != nil {
			t.Fatal(err)
		}
		p, q, ok := k.RSAPrimes()
		if !ok {
			t.Fatal("RSAPrimes of an RSA key")
		}
		k2, err := NewRSAPrivateKey(p, q, tc.e)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(k2.Public.Modulus, k.Public.Modulus) || !bytes.Equal(k2.Public.Exponent, k.Public.Exponent) {
			t.Fatalf("%d/%d: rebuilt key differs", tc.bits, tc.e)
		}
		// The crypto/rsa form is a valid key that signs what the public
		// key verifies.
		r := k2.RSA()
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256([]byte("yixin"))
		if tc.e == 65537 {
			sig, err := rsa.SignPKCS1v15(rand.Reader, r, 0, h[:])
			if err != nil || rsa.VerifyPKCS1v15(&r.PublicKey, 0, h[:], sig) != nil {
				t.Fatalf("signature with RSA(): %v", err)
			}
		}
		// Raw private then public operation is the identity.
		x := make([]byte, k2.Public.Len())
		x[1] = 0x42
		if got := k2.Public.rsaPublic(k2.rsaPrivate(x)); !bytes.Equal(got, x) {
			t.Fatal("rebuilt key does not invert its public operation")
		}
		if _, ok := k.SM2Scalar(); ok {
			t.Error("SM2Scalar of an RSA key")
		}
	}
}

func TestSM2KeyPartsRoundTrip(t *testing.T) {
	k, err := GenerateSM2Key(seeded(7))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := k.SM2Scalar()
	if !ok || len(d) != 32 {
		t.Fatalf("SM2Scalar = %X, %v", d, ok)
	}
	k2, err := NewSM2PrivateKey(d)
	if err != nil || !bytes.Equal(k2.Public.Modulus, k.Public.Modulus) {
		t.Fatalf("rebuilt SM2 key differs: %v", err)
	}
	if k2.RSA() != nil {
		t.Error("RSA() of an SM2 key")
	}
	if _, _, ok := k2.RSAPrimes(); ok {
		t.Error("RSAPrimes of an SM2 key")
	}
}

func TestKeyPartsRejects(t *testing.T) {
	k, _ := GenerateRSAKey(seeded(9), 1024, 3)
	p, q, _ := k.RSAPrimes()
	notPrime := append([]byte(nil), p...)
	notPrime[len(notPrime)-1] ^= 2
	tests := []struct {
		name string
		p, q []byte
		e    int
	}{
		{"exponent 5", p, q, 5},
		{"p not prime", notPrime, q, 3},
		{"p equals q", p, p, 3},
		{"too small", []byte{11}, []byte{13}, 3},
	}
	for _, tt := range tests {
		if _, err := NewRSAPrivateKey(tt.p, tt.q, tt.e); !errors.Is(err, ErrKeyParts) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	for _, d := range [][]byte{nil, make([]byte, 31), make([]byte, 32), bytes.Repeat([]byte{0xFF}, 32)} {
		if _, err := NewSM2PrivateKey(d); !errors.Is(err, ErrKeyParts) {
			t.Errorf("NewSM2PrivateKey(%X): %v", d, err)
		}
	}
}

// TestPublicKeyRSA: RSA hands crypto/rsa the key's own modulus and its
// exponent; a hand-built key gets one computed; an SM2 key has none.
func TestPublicKeyRSA(t *testing.T) {
	mod := bytes.Repeat([]byte{0xC5}, 144) // odd, no leading zero
	for _, e := range [][]byte{{3}, {1, 0, 1}} {
		k, err := NewRSAPublicKey(mod, e)
		if err != nil {
			t.Fatal(err)
		}
		pub, ok := k.RSA()
		want := 3
		if len(e) == 3 {
			want = 65537
		}
		if !ok || !bytes.Equal(pub.N.Bytes(), mod) || pub.E != want || pub.N != k.n {
			t.Errorf("exponent %X: RSA() = %v, %v", e, pub, ok)
		}
		hand := PublicKey{Algorithm: RSA, Modulus: mod, Exponent: e}
		if pub, ok := hand.RSA(); !ok || !bytes.Equal(pub.N.Bytes(), mod) || pub.E != want {
			t.Errorf("hand-built key, exponent %X: RSA() = %v, %v", e, pub, ok)
		}
	}
	if _, ok := (&PublicKey{Algorithm: RSA, Modulus: mod, Exponent: []byte{5}}).RSA(); ok {
		t.Error("RSA() accepted exponent 5")
	}
	sm2, err := NewSM2PublicKey(unhex(t, upIssuerKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sm2.RSA(); ok {
		t.Error("RSA() of an SM2 key reported ok")
	}
}
