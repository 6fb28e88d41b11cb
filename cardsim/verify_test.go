package cardsim

import (
	"bytes"
	"crypto/rsa"
	"math/big"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv/pin"
)

// TestVerifyPlaintext walks the PIN try counter down and back: 63C2, 63C1,
// a right PIN resets it, then three wrong ones block it (63C0, then 6983
// even for the right PIN).
func TestVerifyPlaintext(t *testing.T) {
	c := newTestCard(t, "dual-cn")
	r := startTxn(t, c, "domestic", nil)
	steps := []struct {
		pin  string
		want apdu.StatusWord
	}{
		{"1111", swTriesLeft | 2},
		{"2222", swTriesLeft | 1},
		{"1234", apdu.SWNoError},
		{"1111", swTriesLeft | 2},
		{"1111", swTriesLeft | 1},
		{"1111", swTriesLeft | 0},
		{"1234", apdu.SWAuthMethodBlocked},
	}
	for i, s := range steps {
		if sw := r.verifyPIN(s.pin); sw != s.want {
			t.Fatalf("step %d, PIN %s…: %s, want %s", i+1, s.pin[:1], sw, s.want)
		}
	}
	if _, sw := r.tm.send(mustHex("0020008000")); sw != apdu.SWAuthMethodBlocked {
		t.Errorf("status of a blocked PIN: %s, want 6983", sw)
	}
	if got := c.State().Apps["A000000333010102"].PINTries; got != 0 {
		t.Errorf("saved PIN try counter %d, want 0", got)
	}
	if c.State().Apps["A000000025010402"].PINTries != 3 {
		t.Error("the other application's PIN try counter changed")
	}
}

// iccPublic returns the RSA public key of an application's ICC key.
func iccPublic(t *testing.T, cf *CardFile, i int) *rsa.PublicKey {
	t.Helper()
	k, err := loadICCKey(cf.Applications[i].ICCKey)
	if err != nil {
		t.Fatal(err)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(k.oda.Public.Modulus), E: int(new(big.Int).SetBytes(k.oda.Public.Exponent).Int64())}
}

// TestVerifyEnciphered sends an offline enciphered PIN the way a terminal
// builds it with emv/pin (EMV Book 2 §7: 7F, format 2 PIN block, the GET
// CHALLENGE number, random padding, RSA with the ICC public key).
func TestVerifyEnciphered(t *testing.T) {
	cf := goldenCard(t, "dual-cn")
	c, err := New(cf, &Options{Rand: SeededReader(3)})
	if err != nil {
		t.Fatal(err)
	}
	pub := iccPublic(t, cf, 1)
	r := startTxn(t, c, "international", nil)
	send := func(p string, challenge []byte) apdu.StatusWord {
		enc, err := pin.EncipherOfflinePIN(pub, p, challenge, SeededReader(4))
		if err != nil {
			t.Fatal(err)
		}
		_, sw := r.tm.cmd(apdu.Verify(apdu.VerifyEncipheredPIN, enc))
		return sw
	}
	ch := r.tm.must(apdu.GetChallenge())
	if len(ch) != 8 {
		t.Fatalf("challenge %X is not 8 bytes", ch)
	}
	if sw := send("4321", ch); sw != apdu.SWNoError {
		t.Fatalf("right PIN: %s", sw)
	}
	if sw := send("4321", ch); sw != apdu.SWConditionsNotSatisfied {
		t.Errorf("reused challenge: %s, want 6985 (a challenge is good once)", sw)
	}
	ch2 := r.tm.must(apdu.GetChallenge())
	if bytes.Equal(ch, ch2) {
		t.Error("GET CHALLENGE gave the same number twice")
	}
	if sw := send("4321", ch); sw != swTriesLeft|2 {
		t.Errorf("PIN enciphered with an old challenge: %s, want 63C2", sw)
	}
	ch3 := r.tm.must(apdu.GetChallenge())
	if sw := send("1234", ch3); sw != swTriesLeft|1 {
		t.Errorf("wrong PIN: %s, want 63C1", sw)
	}
}
