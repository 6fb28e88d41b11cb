package cardsim

import (
	"slices"
	"strconv"

	"github.com/yixin-emv/yixin/emv"
)

// cvrFacts is what the Card Verification Results report about a
// transaction, gathered when a GENERATE AC is answered.
type cvrFacts struct {
	second       bool // this is the second GENERATE AC
	first        emv.CryptogramType
	secondType   emv.CryptogramType
	cda, dda     bool
	authNotDone  bool // issuer authentication not performed (this one or the last online)
	authFailed   bool // issuer authentication failed (this one)
	pinTried     bool
	pinFailed    bool
	ptc          int
	ind          indicator
	unableOnline bool
	scripts      int  // issuer script commands of the last online transaction
	scriptFailed bool // and whether one failed
	st           *AppState
}

// acBits encodes a cryptogram type in the two bits the CVRs use: 00 AAC,
// 01 TC, 10 ARQC or "second GENERATE AC not requested".
func acBits(t emv.CryptogramType) byte {
	switch t {
	case emv.CryptogramTC:
		return 1
	case emv.CryptogramARQC:
		return 2
	}
	return 0
}

func bit(b bool, mask byte) byte {
	if b {
		return mask
	}
	return 0
}

func (f *cvrFacts) secondBits() byte {
	if !f.second {
		return 2 // second GENERATE AC not requested
	}
	return acBits(f.secondType)
}

// ccdCVR is the 5-byte Card Verification Results of the Common Core
// Definitions (EMV Book 3 Annex C; bit positions as decoded by
// lumag/emv-tools emv_tags.c EMV_CVR and the CPA CVR table in
// "Chip & PIN is definitely broken", Inverse Path 2011).
func (f *cvrFacts) ccdCVR() []byte {
	cvr := make([]byte, 5)
	cvr[0] = f.secondBits()<<6 | acBits(f.first)<<4 | bit(f.cda, 0x08) | bit(f.dda, 0x04) |
		bit(f.authNotDone, 0x02) | bit(f.authFailed, 0x01)
	cvr[1] = byte(f.ptc&0x0F)<<4 | bit(f.pinTried, 0x08) | bit(f.pinFailed, 0x04) |
		bit(f.ptc == 0, 0x02) | bit(f.ind&indLastOnlineNotCompleted != 0, 0x01)
	cvr[2] = bit(f.ind&indLowerCountExceeded != 0, 0x80) | bit(f.ind&indUpperCountExceeded != 0, 0x40) |
		bit(f.ind&indLowerAmountExceeded != 0, 0x20) | bit(f.ind&indUpperAmountExceeded != 0, 0x10)
	cvr[3] = byte(min(f.scripts, 15))<<4 | bit(f.scriptFailed, 0x08) |
		bit(f.ind&indODAFailedLast != 0, 0x04) | bit(f.ind&indGoOnlineNext != 0, 0x02) | bit(f.unableOnline, 0x01)
	return cvr
}

// pbocCVR is the 3-byte CVR of the domestic application, in the layout
// PBOC shares with Visa VIS 1.x (decoded the same way by
// binaryfoo/emv-bertlv VisaCardVerificationResultsDecoder, from VIS 1.4.0
// Annex A): AC types, issuer authentication, offline PIN, unable to go
// online; last online not completed, PIN try limit, velocity, new card,
// last issuer authentication, SDA failed last; scripts, DDA.
func (f *cvrFacts) pbocCVR() []byte {
	velocity := f.ind&(indLowerCountExceeded|indUpperCountExceeded|indLowerAmountExceeded|indUpperAmountExceeded) != 0
	cvr := make([]byte, 3)
	cvr[0] = f.secondBits()<<6 | acBits(f.first)<<4 | bit(f.authFailed, 0x08) |
		bit(f.pinTried, 0x04) | bit(f.pinFailed, 0x02) | bit(f.unableOnline, 0x01)
	cvr[1] = bit(f.ind&indLastOnlineNotCompleted != 0, 0x80) | bit(f.ptc == 0, 0x40) | bit(velocity, 0x20) |
		bit(f.ind&indNewCard != 0, 0x10) | bit(f.st.IssuerAuthFailedLast, 0x08) |
		bit(f.st.IssuerAuthNotPerformedLast, 0x04) | bit(f.st.SDAFailedLast, 0x01)
	cvr[2] = byte(min(f.scripts, 15))<<4 | bit(f.scriptFailed, 0x08) |
		bit(f.st.DDAFailedLast, 0x04) | bit(f.dda || f.cda, 0x02)
	return cvr
}

// issuerApplicationData builds 9F10.
//
// ccd: format A of EMV Book 3 Annex C (32 bytes): 0F, CCI (A in b8–b5,
// the cryptogram version in b4–b1), DKI, CVR (5), counters (8), 0F,
// issuer discretionary data (15). The counters are ours to choose
// ("payment system specific"): the consecutive offline count (2 bytes)
// and the cumulative offline amount (n12, 6 bytes).
//
// pboc: 07, DKI, CVN, 03, CVR (3), algorithm indicator (01 TDES, 04 SM4),
// then the issuer discretionary data length, 00 (shared/refs/DOMESTIC.md).
func (c *CryptoProfile) issuerApplicationData(f *cvrFacts) []byte {
	if c.Scheme == schemePBOC {
		iad := []byte{0x07, byte(c.DKI), byte(c.CVN), 0x03}
		iad = append(iad, f.pbocCVR()...)
		algInd := byte(0x01)
		if c.Algorithm == "sm4" {
			algInd = 0x04
		}
		return append(iad, algInd, 0x00)
	}
	iad := []byte{0x0F, 0xA0 | byte(c.CVN&0x0F), byte(c.DKI)}
	iad = append(iad, f.ccdCVR()...)
	iad = append(iad, u16(uint16(min(f.st.OfflineCount, 0xFFFF)))...)
	amt, _ := emv.EncodeNumeric(itoa(min(f.st.OfflineAmount, 999999999999)), 6)
	iad = append(iad, amt...)
	iad = append(iad, 0x0F)
	return append(iad, make([]byte, 15)...)
}

// ACInput returns the data an application cryptogram is computed over,
// for the card and for the issuer host that checks it:
//
//   - ccd: the CDOL data, the AIP, the ATC and the whole Issuer
//     Application Data (EMV Book 2 and Book 3 Annex C, CCD);
//   - pboc: the CDOL data, the AIP, the ATC and the CVR with its length
//     byte (bytes 4–7 of 9F10), as Visa CVN 10 and PBOC do (the VIS CVN 10
//     vector of shared/refs/VECTORS.md has this layout).
func (c *CryptoProfile) ACInput(cdolData, aip []byte, atc uint16, iad []byte) []byte {
	in := slices.Concat(cdolData, aip, u16(atc))
	if c.Scheme == schemePBOC {
		if len(iad) >= 7 {
			return append(in, iad[3:7]...)
		}
		return in
	}
	return append(in, iad...)
}

// cardStatusUpdate is the CSU of an ARPC of method 2, EMV Book 3 Annex C
// (CCD): byte 1 b8 proprietary data included, b4–b1 a PIN try counter;
// byte 2 b8 issuer approves, b7 card block, b6 application block, b5 update
// the PIN try counter, b4 go online on next transaction, b3 created by a
// proxy, b2–b1 update the offline counters.
type cardStatusUpdate [4]byte

func (s cardStatusUpdate) approves() bool      { return s[1]&0x80 != 0 }
func (s cardStatusUpdate) cardBlock() bool     { return s[1]&0x40 != 0 }
func (s cardStatusUpdate) appBlock() bool      { return s[1]&0x20 != 0 }
func (s cardStatusUpdate) updatePTC() bool     { return s[1]&0x10 != 0 }
func (s cardStatusUpdate) goOnlineNext() bool  { return s[1]&0x08 != 0 }
func (s cardStatusUpdate) ptc() int            { return int(s[0] & 0x0F) }
func (s cardStatusUpdate) counterUpdate() byte { return s[1] & 0x03 }

func newCSU(b []byte) (s cardStatusUpdate) {
	copy(s[:], b)
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
