package oda

// FDDAInput is what a contactless Kernel 3 (Visa) reader holds when it
// verifies fast DDA.
type FDDAInput struct {
	// SDAD is the signed dynamic application data (9F4B) the card returned.
	SDAD []byte
	// UN is the reader's unpredictable number (9F37), 4 bytes.
	UN []byte
	// Amount is Amount, Authorised (9F02), 6 bytes.
	Amount []byte
	// Currency is the transaction currency code (5F2A), 2 bytes.
	Currency []byte
	// CardAuthData is the card authentication related data (9F69): fDDA
	// version number (1), card unpredictable number (4), card transaction
	// qualifiers (2). Nil for fDDA version 00 cards, which send none.
	CardAuthData []byte
}

// FDDATerminalData returns the terminal dynamic data the card signed in
// fDDA (EMV Contactless Book C-3, Kernel 3, offline data authentication:
// fDDA): for fDDA version 01 — the first byte of 9F69 — the unpredictable
// number, amount authorised, transaction currency code and the card
// authentication related data, in that order; for version 00 (no 9F69, or
// its first byte 00) the unpredictable number alone. The version 01 list is
// the card's fixed DDOL 9F37 04 9F02 06 5F2A 02 9F69 var. The section
// numbers of Book C-3 were not at hand: the layout is Book C-3's as quoted
// in public reader code, and no published fDDA vector was found (the tests
// are round trips; see TestFDDATerminalData).
func FDDATerminalData(in *FDDAInput) ([]byte, error) {
	if len(in.UN) != 4 {
		return nil, fail(ObjectFDDA, ErrMissingData, "unpredictable number (9F37) of %d bytes", len(in.UN))
	}
	if len(in.CardAuthData) == 0 || in.CardAuthData[0] == 0x00 {
		return in.UN, nil
	}
	if in.CardAuthData[0] != 0x01 {
		return nil, fail(ObjectFDDA, ErrDynamicDataFormat, "fDDA version %02X is neither 00 nor 01", in.CardAuthData[0])
	}
	if len(in.Amount) != 6 || len(in.Currency) != 2 {
		return nil, fail(ObjectFDDA, ErrMissingData, "amount authorised (9F02, 6 bytes) or currency code (5F2A, 2 bytes) missing")
	}
	return sm2Concat(in.UN, in.Amount, in.Currency, in.CardAuthData), nil
}

// VerifyFDDA verifies fDDA signed dynamic application data with the ICC key:
// the signature is recovered and checked exactly like DDA's (Book 2 §6.5.2),
// over the terminal data of FDDATerminalData. It returns the ICC dynamic
// data; Visa cards put the ATC there as the ICC dynamic number.
func VerifyFDDA(icc PublicKey, in FDDAInput) (*DynamicData, error) {
	td, err := FDDATerminalData(&in)
	if err != nil {
		return nil, err
	}
	return verifyDynamic(ObjectFDDA, &icc, in.SDAD, td)
}
