package pin

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	"testing"
)

// rsaKey builds an RSA key with public exponent e (3 or 65537, the two EMV
// allows), which rsa.GenerateKey cannot do for 3.
func rsaKey(t testing.TB, bits, e int) *rsa.PrivateKey {
	t.Helper()
	E := big.NewInt(int64(e))
	one := big.NewInt(1)
	for {
		p, err := rand.Prime(rand.Reader, bits/2)
		if err != nil {
			t.Fatal(err)
		}
		q, err := rand.Prime(rand.Reader, bits-bits/2)
		if err != nil {
			t.Fatal(err)
		}
		n := new(big.Int).Mul(p, q)
		if p.Cmp(q) == 0 || n.BitLen() != bits {
			continue
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(E, phi)
		if d == nil {
			continue
		}
		return &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: e}, D: d, Primes: []*big.Int{p, q}}
	}
}

// No published vector exists for the enciphered PIN (its padding is
// random). The test deciphers with bare math/big and checks the layout EMV
// Book 2 §7.2 prescribes: 7F ‖ PIN block ‖ ICC UN ‖ random pad (N − 17),
// then checks the card's side against it.
func TestEncipherOfflineLayout(t *testing.T) {
	challenge := h(t, "0102030405060708")
	for _, e := range []int{3, 65537} {
		for _, bits := range []int{768, 1024, 1984} {
			priv := rsaKey(t, bits, e)
			k := (bits + 7) / 8
			pad := bytes.Repeat([]byte{0x5A}, k-17)
			enc, err := EncipherOfflinePIN(&priv.PublicKey, "1234", challenge, bytes.NewReader(pad))
			if err != nil {
				t.Fatal(err)
			}
			if len(enc) != k {
				t.Fatalf("%d bits: %d bytes", bits, len(enc))
			}
			m := new(big.Int).Exp(new(big.Int).SetBytes(enc), priv.D, priv.N).FillBytes(make([]byte, k))
			want := append(append(h(t, "7F 241234FFFFFFFFFF"), challenge...), pad...)
			if !bytes.Equal(m, want) {
				t.Errorf("e=%d %d bits: plaintext %X", e, bits, m)
			}
			b, err := DecipherOffline(priv, enc, challenge)
			if err != nil {
				t.Fatal(err)
			}
			eqHex(t, "recovered block", b, "241234FFFFFFFFFF")
			if err := VerifyOffline(priv, enc, challenge, "1234"); err != nil {
				t.Errorf("VerifyOffline: %v", err)
			}
		}
	}
}

func TestOfflineErrors(t *testing.T) {
	priv := rsaKey(t, 1024, 3)
	pub := &priv.PublicKey
	challenge := h(t, "0102030405060708")
	enc, err := EncipherOfflinePIN(pub, "1234", challenge, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyOffline(priv, enc, challenge, "1235"); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong PIN: %v", err)
	}
	if err := VerifyOffline(priv, enc, h(t, "0102030405060709"), "1234"); !errors.Is(err, ErrChallenge) {
		t.Errorf("other challenge: %v", err)
	}
	if _, err := DecipherOffline(priv, enc[1:], challenge); !errors.Is(err, ErrLength) {
		t.Errorf("short data: %v", err)
	}
	if _, err := DecipherOffline(priv, enc, challenge[:7]); !errors.Is(err, ErrLength) {
		t.Errorf("7-byte challenge: %v", err)
	}
	if _, err := DecipherOffline(priv, priv.N.FillBytes(make([]byte, 128)), challenge); !errors.Is(err, ErrLength) {
		t.Errorf("data = modulus: %v", err)
	}

	// Messages built by hand with the raw public operation, each with one
	// defect the card must see.
	raw := func(m []byte) []byte {
		return new(big.Int).Exp(new(big.Int).SetBytes(m), big.NewInt(3), priv.N).FillBytes(make([]byte, 128))
	}
	msg := func(header byte, block string) []byte {
		m := make([]byte, 128)
		m[0] = header
		copy(m[1:], h(t, block))
		copy(m[9:], challenge)
		return m
	}
	for _, c := range []struct {
		m    []byte
		want error
	}{
		{msg(0x6F, "241234FFFFFFFFFF"), ErrHeader},
		{msg(0x7F, "041234FFFFFFFFFF"), ErrFormat},
		{msg(0x7F, "2412F4FFFFFFFFFF"), ErrDigit},
		{msg(0x7F, "241234FFFFFFFFFE"), ErrFiller},
		{msg(0x7F, "231234FFFFFFFFFF"), ErrPINLength},
	} {
		if _, err := DecipherOffline(priv, raw(c.m), challenge); !errors.Is(err, c.want) {
			t.Errorf("header %02X block %X: %v, want %v", c.m[0], c.m[1:9], err, c.want)
		}
	}

	if _, err := EncipherOffline(pub, h(t, "041234FFFFFFFFFF"), challenge, nil); !errors.Is(err, ErrFormat) {
		t.Errorf("format 0 block: %v", err)
	}
	if _, err := EncipherOffline(pub, h(t, "241234FFFFFFFF"), challenge, nil); !errors.Is(err, ErrLength) {
		t.Errorf("7-byte block: %v", err)
	}
	if _, err := EncipherOffline(pub, h(t, "241234FFFFFFFFFF"), challenge[:4], nil); !errors.Is(err, ErrLength) {
		t.Errorf("4-byte challenge: %v", err)
	}
	if _, err := EncipherOffline(&rsa.PublicKey{N: big.NewInt(1 << 62), E: 3}, h(t, "241234FFFFFFFFFF"), challenge, nil); !errors.Is(err, ErrLength) {
		t.Errorf("8-byte modulus: %v", err)
	}
	if _, err := EncipherOffline(nil, h(t, "241234FFFFFFFFFF"), challenge, nil); !errors.Is(err, ErrLength) {
		t.Errorf("nil key: %v", err)
	}
	if _, err := EncipherOffline(pub, h(t, "241234FFFFFFFFFF"), challenge, bytes.NewReader(nil)); err == nil {
		t.Error("empty random source accepted")
	}
	if _, err := EncipherOfflinePIN(pub, "12", challenge, nil); !errors.Is(err, ErrPIN) {
		t.Errorf("2-digit PIN: %v", err)
	}
	if err := VerifyOffline(priv, enc, challenge, "12"); !errors.Is(err, ErrPIN) {
		t.Errorf("bad reference PIN: %v", err)
	}
}
