package cryptogram

import (
	"fmt"
)

// DeriveCommonSessionKey is the common session key derivation function of
// EMV Book 2 Annex A1.3.1 for a diversification value r of one block (n = 8
// bytes for TDES, 16 for AES). With k the key length in bits:
//
//   - k = 8n (AES-128): SK = ALG(MK)[R];
//   - 8n < k ≤ 16n (two-key TDES, AES-192/256): F1 = R0‖R1‖F0‖R3…Rn−1 and
//     F2 = R0‖R1‖0F‖R3…Rn−1, SK = leftmost k bits of ALG(MK)[F1] ‖
//     ALG(MK)[F2].
//
// TDES session keys are returned with odd parity. R is ATC‖00…00 for the
// application cryptogram key (see [DeriveSessionKey]), the ARQC followed by
// zeros for secure-messaging keys, or a scheme's own value.
func DeriveCommonSessionKey(alg Algorithm, mk, r []byte) ([]byte, error) {
	if alg == SM4 {
		return nil, fmt.Errorf("%w: the common session key derivation is not defined for SM4 (use DeriveSessionKey)", ErrAlgorithm)
	}
	b, err := alg.newCipher("master", mk)
	if err != nil {
		return nil, err
	}
	n := alg.BlockSize()
	if err := checkLen("diversification value R", r, n); err != nil {
		return nil, err
	}
	if len(mk) == n {
		sk := make([]byte, n)
		b.Encrypt(sk, r)
		return sk, nil
	}
	f := make([]byte, 2*n)
	copy(f, r)
	copy(f[n:], r)
	f[2], f[n+2] = 0xf0, 0x0f
	b.Encrypt(f[:n], f[:n])
	b.Encrypt(f[n:], f[n:])
	sk := f[:len(mk)]
	if alg == TDES {
		SetOddParity(sk)
	}
	return sk, nil
}

// DeriveSessionKey derives the application cryptogram session key from the
// ICC master key mk and the 2-byte ATC:
//
//   - TDES and AES: the EMV common session key (Book 2 Annex A1.3.1, see
//     [DeriveCommonSessionKey]) with R = ATC‖00…00 of one block;
//   - SM4: the PBOC rule SK = SM4(MK)[00·6 ‖ ATC ‖ 00·6 ‖ (ATC ⊕ FFFF)]
//     (checked against a published vector; see the tests).
func DeriveSessionKey(alg Algorithm, mk, atc []byte) ([]byte, error) {
	if err := checkLen("ATC", atc, 2); err != nil {
		return nil, err
	}
	switch alg {
	case TDES, AES:
		r := make([]byte, alg.BlockSize())
		copy(r, atc)
		return DeriveCommonSessionKey(alg, mk, r)
	case SM4:
		b, err := SM4.newCipher("master", mk)
		if err != nil {
			return nil, err
		}
		sk := make([]byte, 16)
		sk[6], sk[7] = atc[0], atc[1]
		sk[14], sk[15] = ^atc[0], ^atc[1]
		b.Encrypt(sk, sk)
		return sk, nil
	}
	return nil, fmt.Errorf("%w: %v", ErrAlgorithm, alg)
}

// DeriveSessionKeyMastercard is the Mastercard proprietary session key
// derivation (M/Chip "SKD", also used by Interac CVN 133): the TDES common
// session key function with R = ATC ‖ 00 ‖ 00 ‖ UN, where UN is the 4-byte
// terminal Unpredictable Number (9F37). The result has odd parity.
func DeriveSessionKeyMastercard(mk, atc, un []byte) ([]byte, error) {
	if err := checkLen("ATC", atc, 2); err != nil {
		return nil, err
	}
	if err := checkLen("unpredictable number", un, 4); err != nil {
		return nil, err
	}
	var r [8]byte
	copy(r[:], atc)
	copy(r[4:], un)
	return DeriveCommonSessionKey(TDES, mk, r[:])
}

// DeriveSessionKeyVisaSM is the Visa secure-messaging session key (VIS, CVN
// 10 and 18): SK_L = MK_L ⊕ (00·6 ‖ ATC), SK_R = MK_R ⊕ (00·6 ‖ (ATC ⊕
// FFFF)), with odd parity. No encipherment is involved.
func DeriveSessionKeyVisaSM(mk, atc []byte) ([]byte, error) {
	if err := TDES.checkKey("master", mk); err != nil {
		return nil, err
	}
	if err := checkLen("ATC", atc, 2); err != nil {
		return nil, err
	}
	sk := make([]byte, 16)
	copy(sk, mk)
	sk[6] ^= atc[0]
	sk[7] ^= atc[1]
	sk[14] ^= ^atc[0]
	sk[15] ^= ^atc[1]
	return SetOddParity(sk), nil
}
