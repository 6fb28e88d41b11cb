package cryptogram

import (
	"bytes"
	"testing"
)

// FuzzScriptCommand feeds arbitrary card-side input to the two parsers of
// issuer script secure messaging: VerifyScriptCommand (an APDU with a
// trailing MAC) and DecryptScriptData (enciphered command data). Neither may
// panic; a MAC accepted must be the one SecureScriptCommand computes; and
// deciphered ECB/CBC data must encipher back to the same bytes. Seeds:
// testdata/fuzz/FuzzScriptCommand (the published commands of the tests).
func FuzzScriptCommand(f *testing.F) {
	keys := map[Algorithm][]byte{
		TDES: {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10},
		SM4:  {0xB6, 0xFA, 0x9E, 0x08, 0x5B, 0x57, 0x73, 0xC1, 0xE3, 0xAA, 0x2E, 0x47, 0x38, 0x83, 0x1F, 0x73},
	}
	f.Fuzz(func(t *testing.T, apdu, txn []byte, sm4 bool, macLen uint8, mode uint8) {
		alg := TDES
		if sm4 {
			alg = SM4
		}
		sk := keys[alg]
		if c, err := VerifyScriptCommand(alg, sk, apdu, txn, int(macLen)); err == nil {
			again, err := SecureScriptCommand(alg, sk, c, txn, int(macLen))
			if err != nil || !bytes.Equal(again, apdu) {
				t.Fatalf("accepted %X but SecureScriptCommand gives %X, %v", apdu, again, err)
			}
		}
		m := Encipherment(mode%4 + 1) // includes one invalid mode
		pt, err := DecryptScriptData(alg, sk, apdu, m)
		if err != nil || m == CBCPadIfNeeded {
			return
		}
		ct, err := EncryptScriptData(alg, sk, pt, m)
		if err != nil || !bytes.Equal(ct, apdu) {
			t.Fatalf("mode %d: %X deciphers to %X which enciphers to %X, %v", m, apdu, pt, ct, err)
		}
	})
}
