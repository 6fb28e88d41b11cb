package kernel

import "github.com/yixin-emv/yixin/emv"

// cvrOfflinePIN reads, from Issuer Application Data (9F10) whose layout is
// known, whether the card itself says it verified an offline PIN. It
// reports known = false for any other layout. Two layouts are read:
//
//   - EMV Common Core Definitions, IAD format A (EMV Book 3 Annex C7): byte 1
//     the length 0F, byte 2 the Common Core Identifier with format code A in
//     its high nibble, byte 3 the DKI, bytes 4–8 the CVR, whose byte 2 b4 is
//     "offline PIN verification performed";
//   - the Visa (VIS) layout that PBOC 3.0 follows (shared/refs/DOMESTIC.md):
//     byte 1 the length 06 or 07, byte 2 the DKI, byte 3 the CVN, byte 4 the
//     CVR length 03, bytes 5–7 the CVR, whose byte 1 b3 is "offline PIN
//     verification performed".
//
// The terminal compares it with its own CVM Results: a wedge between
// terminal and card ("Chip and PIN is Broken", Murdoch et al., IEEE S&P
// 2010) answers VERIFY with 9000 without the card seeing it, and only the
// card's CVR says so. Under CDA the IAD is signed, so the man in the middle
// cannot hide it.
func cvrOfflinePIN(iad []byte) (performed, known bool) {
	switch {
	case len(iad) >= 8 && iad[0] == 0x0F && iad[1]>>4 == 0x0A:
		return iad[4]&0x08 != 0, true
	case len(iad) >= 7 && (iad[0] == 0x06 || iad[0] == 0x07) && iad[3] == 0x03:
		return iad[4]&0x04 != 0, true
	}
	return false, false
}

// offlinePINClaimed reports whether the CVM Results say an offline PIN
// CVM (plaintext or enciphered, alone or with signature) was performed
// and did not fail.
func offlinePINClaimed(cvm emv.CVMResults) bool {
	switch cvm.Method() {
	case cvmPlaintextPIN, cvmPlaintextPINSign, cvmEncipheredPIN, cvmEncipheredPINSign:
		return cvm.Result() != emv.CVMResultFailed
	}
	return false
}

// cvrContradicts reports whether the card's CVR contradicts the terminal's
// claim of an offline PIN.
func (t *Transaction) cvrContradicts() bool {
	if !offlinePINClaimed(t.cvm) {
		return false
	}
	iad, ok := t.icc.get(0x9F10)
	if !ok {
		return false
	}
	performed, known := cvrOfflinePIN(iad)
	return known && !performed
}
