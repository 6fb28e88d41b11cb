package cryptogram

import (
	"crypto/subtle"
	"fmt"
)

// ACLen is the length of an application cryptogram (9F26).
const ACLen = 8

// GenerateAC computes the 8-byte application cryptogram (ARQC, TC or AAC) of
// EMV Book 2 §8.1 under the AC session key sk over the concatenated CDOL
// data: the leftmost 8 bytes of [MAC] (alg, sk, data, pad).
//
// For SM4 this is the leftmost 8 bytes of the SM4 CBC-MAC — an inference
// from the TDES rule, since no public PBOC cryptogram vector was found. For
// AES pad is ignored (CMAC pads itself).
func GenerateAC(alg Algorithm, sk, data []byte, pad Padding) ([]byte, error) {
	m, err := MAC(alg, sk, data, pad)
	if err != nil {
		return nil, err
	}
	return m[:ACLen], nil
}

// VerifyAC recomputes the application cryptogram and compares it with ac in
// constant time. It returns nil on a match and an error wrapping
// [ErrCryptogramMismatch] otherwise.
func VerifyAC(alg Algorithm, sk, data []byte, pad Padding, ac []byte) error {
	if err := checkLen("application cryptogram", ac, ACLen); err != nil {
		return err
	}
	want, err := GenerateAC(alg, sk, data, pad)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(want, ac) != 1 {
		return fmt.Errorf("%w: application cryptogram", ErrCryptogramMismatch)
	}
	return nil
}

// ARPCMethod1 computes the 8-byte ARPC of EMV Book 2 §8.2.1 from the ARQC and
// the 2-byte Authorisation Response Code: ALG(SK)[ARQC ⊕ (ARC ‖ 00…00)].
// The Issuer Authentication Data (91) is then ARPC ‖ ARC.
//
// For the 16-byte block ciphers the ARQC and the ARC are both zero-padded to
// one block and the ARPC is the leftmost 8 bytes of the result, so that 91
// stays within its 16-byte maximum. This is our reading of the specification
// for AES and an inference for SM4.
func ARPCMethod1(alg Algorithm, sk, arqc, arc []byte) ([]byte, error) {
	b, err := alg.newCipher("session", sk)
	if err != nil {
		return nil, err
	}
	if err := checkLen("ARQC", arqc, ACLen); err != nil {
		return nil, err
	}
	if err := checkLen("authorisation response code", arc, 2); err != nil {
		return nil, err
	}
	y := make([]byte, b.BlockSize())
	copy(y, arqc)
	y[0] ^= arc[0]
	y[1] ^= arc[1]
	b.Encrypt(y, y)
	return y[:ACLen], nil
}

// ARPCMethod2 computes the 4-byte ARPC of EMV Book 2 §8.2.2: the leftmost 4
// bytes of the MAC (padding method 2) over ARQC ‖ CSU ‖ proprietary
// authentication data. csu is the 4-byte Card Status Update and prop 0 to 8
// bytes. The Issuer Authentication Data (91) is then ARPC ‖ CSU ‖ prop.
func ARPCMethod2(alg Algorithm, sk, arqc, csu, prop []byte) ([]byte, error) {
	if err := checkLen("ARQC", arqc, ACLen); err != nil {
		return nil, err
	}
	if err := checkLen("card status update", csu, 4); err != nil {
		return nil, err
	}
	if len(prop) > 8 {
		return nil, fmt.Errorf("%w: proprietary authentication data is %d bytes, want at most 8", ErrLength, len(prop))
	}
	var buf [20]byte
	data := append(append(append(buf[:0], arqc...), csu...), prop...)
	m, err := MAC(alg, sk, data, Pad2)
	if err != nil {
		return nil, err
	}
	return m[:4], nil
}

// VerifyARPCMethod1 is the card's check of an ARPC of method 1, in constant
// time; a mismatch wraps [ErrCryptogramMismatch].
func VerifyARPCMethod1(alg Algorithm, sk, arqc, arc, arpc []byte) error {
	if err := checkLen("ARPC", arpc, ACLen); err != nil {
		return err
	}
	want, err := ARPCMethod1(alg, sk, arqc, arc)
	if err != nil {
		return err
	}
	return compareARPC(want, arpc)
}

// VerifyARPCMethod2 is the card's check of an ARPC of method 2, in constant
// time; a mismatch wraps [ErrCryptogramMismatch].
func VerifyARPCMethod2(alg Algorithm, sk, arqc, csu, prop, arpc []byte) error {
	if err := checkLen("ARPC", arpc, 4); err != nil {
		return err
	}
	want, err := ARPCMethod2(alg, sk, arqc, csu, prop)
	if err != nil {
		return err
	}
	return compareARPC(want, arpc)
}

func compareARPC(want, got []byte) error {
	if subtle.ConstantTimeCompare(want, got) != 1 {
		return fmt.Errorf("%w: ARPC", ErrCryptogramMismatch)
	}
	return nil
}
