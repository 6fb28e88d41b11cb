package cryptogram

import (
	"bytes"
	"crypto/des"
	"encoding/hex"
	"strings"
	"testing"
)

// h decodes hex written with optional spaces; it fails the test on bad hex.
func h(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// kcv returns the leftmost n bytes of TDES(key)[00…00], the key check value
// the pyemv tests quote instead of whole keys.
func kcv(t testing.TB, key []byte, n int) string {
	t.Helper()
	k := append(append([]byte{}, key...), key[:8]...)
	b, err := des.NewTripleDESCipher(k)
	if err != nil {
		t.Fatal(err)
	}
	var z [8]byte
	b.Encrypt(z[:], z[:])
	return strings.ToUpper(hex.EncodeToString(z[:n]))
}

func eqHex(t testing.TB, what string, got []byte, want string) {
	t.Helper()
	if w := strings.ReplaceAll(want, " ", ""); !bytes.Equal(got, h(t, w)) {
		t.Errorf("%s = %X, want %s", what, got, w)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
