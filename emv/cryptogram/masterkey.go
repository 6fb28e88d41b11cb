package cryptogram

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
)

// Option selects the ICC master key derivation method of EMV Book 2 Annex
// A1.4.
type Option int

// The derivation options.
const (
	// OptionAuto uses Option A for PANs of up to 16 digits and Option B for
	// longer ones, as Book 2 Annex A1.4.2 recommends.
	OptionAuto Option = iota
	// OptionA: Y is the rightmost 16 digits of PAN‖PSN (left-padded with
	// zeros when shorter).
	OptionA
	// OptionB: for PANs longer than 16 digits, Y is 16 decimal digits taken
	// from SHA-1(PAN‖PSN) (Book 2 Annex A1.4.2). For a PAN of 16 digits or
	// fewer it is Option A, as the annex says.
	OptionB
)

// String returns "auto", "a" or "b".
func (o Option) String() string {
	switch o {
	case OptionAuto:
		return "auto"
	case OptionA:
		return "a"
	case OptionB:
		return "b"
	}
	return fmt.Sprintf("Option(%d)", int(o))
}

// DeriveICCMasterKey derives the 16-byte TDES ICC master key from the issuer
// master key imk (EMV Book 2 Annex A1.4): Y is built from the PAN and the
// PAN sequence number as opt says, and MK = TDES(IMK)[Y] ‖ TDES(IMK)[Y ⊕
// FF…FF] with odd parity. pan is 1 to 19 decimal digits; psn is two digits,
// or empty for "00" (Book 2: an absent PSN counts as 00).
func DeriveICCMasterKey(imk []byte, pan, psn string, opt Option) ([]byte, error) {
	b, err := TDES.newCipher("issuer master", imk)
	if err != nil {
		return nil, err
	}
	y, err := derivationY(pan, psn, opt)
	if err != nil {
		return nil, err
	}
	mk := make([]byte, 16)
	b.Encrypt(mk[:8], y[:])
	for i := range y {
		y[i] ^= 0xff
	}
	b.Encrypt(mk[8:], y[:])
	return SetOddParity(mk), nil
}

// DeriveICCMasterKeySM4 derives a 16-byte SM4 card master key for the
// domestic application as MK = SM4(IMK)[Y ‖ (Y ⊕ FF…FF)], with Y chosen
// exactly as for [DeriveICCMasterKey].
//
// This is an inference, not a verified rule: no public PBOC 3.0 / JR/T 0025
// vector was found. It transposes Option A to a 16-byte block cipher, where
// the two 8-byte halves Y and its complement form one block. Personalise
// and verify with the same function and treat it as configurable.
func DeriveICCMasterKeySM4(imk []byte, pan, psn string, opt Option) ([]byte, error) {
	b, err := SM4.newCipher("issuer master", imk)
	if err != nil {
		return nil, err
	}
	y, err := derivationY(pan, psn, opt)
	if err != nil {
		return nil, err
	}
	mk := make([]byte, 16)
	copy(mk, y[:])
	for i := range y {
		mk[8+i] = ^y[i]
	}
	b.Encrypt(mk, mk)
	return mk, nil
}

// derivationY returns the 8-byte value Y of Book 2 Annex A1.4.
func derivationY(pan, psn string, opt Option) ([8]byte, error) {
	var y [8]byte
	if err := checkDigits("PAN", pan, 1, 19); err != nil {
		return y, err
	}
	if psn == "" {
		psn = "00"
	}
	if err := checkDigits("PAN sequence number", psn, 2, 2); err != nil {
		return y, err
	}
	var digits string
	switch opt {
	case OptionAuto, OptionA, OptionB:
		if opt == OptionA || len(pan) <= 16 {
			digits = optionADigits(pan + psn)
		} else {
			digits = optionBDigits(pan + psn)
		}
	default:
		return y, fmt.Errorf("%w: master key derivation %v", ErrAlgorithm, opt)
	}
	hex.Decode(y[:], []byte(digits)) // 16 decimal digits: cannot fail
	return y, nil
}

// optionADigits returns the rightmost 16 digits of x, left-padded with '0'.
func optionADigits(x string) string {
	if len(x) >= 16 {
		return x[len(x)-16:]
	}
	return "0000000000000000"[len(x):] + x
}

// optionBDigits implements Book 2 Annex A1.4.2 steps 1–3: SHA-1 over x as
// packed BCD (left-padded with one 0 digit to an even length), then the
// decimal digits of the hash in order, then, if fewer than 16, its hex
// letters A–F in order decimalised as 0–5.
func optionBDigits(x string) string {
	if len(x)%2 == 1 {
		x = "0" + x
	}
	packed := make([]byte, len(x)/2)
	hex.Decode(packed, []byte(x)) // digits only: cannot fail
	sum := sha1.Sum(packed)
	h := hex.EncodeToString(sum[:])
	out := make([]byte, 0, 16)
	for i := 0; i < len(h) && len(out) < 16; i++ {
		if h[i] <= '9' {
			out = append(out, h[i])
		}
	}
	for i := 0; i < len(h) && len(out) < 16; i++ {
		if h[i] >= 'a' {
			out = append(out, h[i]-'a'+'0')
		}
	}
	return string(out)
}

func checkDigits(what, s string, min, max int) error {
	if len(s) < min || len(s) > max {
		return fmt.Errorf("%w: %s has %d digits, want %d to %d", ErrDigits, what, len(s), min, max)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Errorf("%w: %s has a non-digit at position %d", ErrDigits, what, i+1)
		}
	}
	return nil
}
