package issuer

import (
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// CVR is the Card Verification Results the card put in its Issuer
// Application Data (9F10), decoded. Fields a layout does not have stay
// false (PINTryCounter -1).
//
// Two layouts are read:
//
//   - ccd: IAD format A of EMV Book 3 Annex C (Common Core Definitions):
//     0F, CCI (A in b8–b5, the CVN in b4–b1), DKI, then a 5-byte CVR
//     (C7.3). Bit positions as decoded by lumag/emv-tools (emv_tags.c,
//     EMV_CVR) and cardsim.
//   - vis: the Visa VIS 1.x IAD, shared by PBOC: length, DKI, CVN, then
//     the CVR with its length byte 03 and 3 bytes (VIS 1.4 Annex A, as
//     decoded by binaryfoo/emv-bertlv VisaCardVerificationResultsDecoder
//     and paymentcardtools.com's IAD decoder).
type CVR struct {
	Layout string // "ccd" or "vis"
	Raw    []byte // the CVR bytes (without the length byte)
	CVN    int    // the cryptogram version the IAD announces

	FirstAC  emv.CryptogramType // returned in the first GENERATE AC
	SecondAC emv.CryptogramType // returned in the second; see SecondACRequested
	// SecondACRequested is false in an ARQC's CVR ("second GENERATE AC
	// not requested").
	SecondACRequested bool

	CDAPerformed, DDAPerformed bool // ccd byte 1 b4, b3; vis byte 3 b2 (DDA)
	IssuerAuthFailed           bool // ccd byte 1 b1 (last online), vis byte 1 b4
	IssuerAuthNotPerformed     bool // ccd byte 1 b2, vis byte 2 b3 (last online)
	IssuerAuthFailedLast       bool // vis byte 2 b4
	OfflinePINPerformed        bool // ccd byte 2 b4, vis byte 1 b3
	OfflinePINFailed           bool // ccd byte 2 b3, vis byte 1 b2
	PINTryLimitExceeded        bool // ccd byte 2 b2, vis byte 2 b7
	PINTryCounter              int  // ccd byte 2 b8–b5; -1 for vis
	LastOnlineNotCompleted     bool // ccd byte 2 b1, vis byte 2 b8
	OfflineLimitsExceeded      bool // ccd byte 3 b8–b5, vis byte 2 b6
	NewCard                    bool // vis byte 2 b5
	ScriptFailedLast           bool // ccd byte 4 b4, vis byte 3 b4
	ScriptsLast                int  // ccd byte 4 b8–b5, vis byte 3 b8–b5
	ODAFailedLast              bool // ccd byte 4 b3; vis byte 2 b1 (SDA) or byte 3 b3 (DDA)
	GoOnlineNext               bool // ccd byte 4 b2
	UnableToGoOnline           bool // ccd byte 4 b1, vis byte 1 b1
}

// acType decodes the two CVR bits of a cryptogram type: 00 AAC, 01 TC,
// 10 ARQC (or, for the second GENERATE AC, "not requested").
func acType(bits byte) emv.CryptogramType {
	switch bits & 3 {
	case 1:
		return emv.CryptogramTC
	case 2:
		return emv.CryptogramARQC
	}
	return emv.CryptogramAAC
}

func has(b, mask byte) bool { return b&mask != 0 }

// parseCVR reads the CVR from the Issuer Application Data in the layout.
func parseCVR(layout string, iad []byte) (*CVR, error) {
	if layout == "ccd" {
		return parseCCD(iad)
	}
	return parseVIS(iad)
}

func parseCCD(iad []byte) (*CVR, error) {
	if len(iad) < 8 || iad[0] != 0x0F || iad[1]>>4 != 0xA {
		return nil, fmt.Errorf("9F10 %X is not IAD format A of the Common Core Definitions (0F, A-, DKI, CVR)", iad)
	}
	b := iad[3:8]
	c := &CVR{Layout: "ccd", Raw: append([]byte(nil), b...), CVN: int(iad[1] & 0x0F)}
	c.SecondACRequested = b[0]>>6 != 2
	c.SecondAC, c.FirstAC = acType(b[0]>>6), acType(b[0]>>4)
	c.CDAPerformed, c.DDAPerformed = has(b[0], 0x08), has(b[0], 0x04)
	c.IssuerAuthNotPerformed, c.IssuerAuthFailed = has(b[0], 0x02), has(b[0], 0x01)
	c.PINTryCounter = int(b[1] >> 4)
	c.OfflinePINPerformed, c.OfflinePINFailed = has(b[1], 0x08), has(b[1], 0x04)
	c.PINTryLimitExceeded, c.LastOnlineNotCompleted = has(b[1], 0x02), has(b[1], 0x01)
	c.OfflineLimitsExceeded = has(b[2], 0xF0)
	c.ScriptsLast, c.ScriptFailedLast = int(b[3]>>4), has(b[3], 0x08)
	c.ODAFailedLast, c.GoOnlineNext, c.UnableToGoOnline = has(b[3], 0x04), has(b[3], 0x02), has(b[3], 0x01)
	return c, nil
}

func parseVIS(iad []byte) (*CVR, error) {
	if len(iad) < 7 || iad[3] < 3 || len(iad) < 4+int(iad[3]) {
		return nil, fmt.Errorf("9F10 %X does not hold a VIS-style CVR (length, DKI, CVN, 03, CVR)", iad)
	}
	b := iad[4:7]
	c := &CVR{Layout: "vis", Raw: append([]byte(nil), iad[4:4+int(iad[3])]...), CVN: int(iad[2]), PINTryCounter: -1}
	c.SecondACRequested = b[0]>>6 != 2
	c.SecondAC, c.FirstAC = acType(b[0]>>6), acType(b[0]>>4)
	c.IssuerAuthFailed, c.OfflinePINPerformed = has(b[0], 0x08), has(b[0], 0x04)
	c.OfflinePINFailed, c.UnableToGoOnline = has(b[0], 0x02), has(b[0], 0x01)
	c.LastOnlineNotCompleted, c.PINTryLimitExceeded = has(b[1], 0x80), has(b[1], 0x40)
	c.OfflineLimitsExceeded, c.NewCard = has(b[1], 0x20), has(b[1], 0x10)
	c.IssuerAuthFailedLast, c.IssuerAuthNotPerformed = has(b[1], 0x08), has(b[1], 0x04)
	c.ODAFailedLast = has(b[1], 0x01) || has(b[2], 0x04)
	c.ScriptsLast, c.ScriptFailedLast = int(b[2]>>4), has(b[2], 0x08)
	c.DDAPerformed = has(b[2], 0x02)
	return c, nil
}

// condition is a named check on the CVR (and the CVM Results the terminal
// sent) that the rules can decline on, with the response code it gives.
type condition struct {
	name, doc string
	arc       string
	holds     func(c *CVR, cvmResults []byte) bool
}

// conditions is the table of CVR conditions.
var conditions = []condition{
	{"offline_pin_failed", "the card says offline PIN verification failed", "55",
		func(c *CVR, _ []byte) bool { return c.OfflinePINFailed }},
	{"pin_try_limit_exceeded", "the card's PIN try counter is 0", "75",
		func(c *CVR, _ []byte) bool { return c.PINTryLimitExceeded }},
	{"offline_pin_not_performed", "the card did not verify a PIN offline", "05",
		func(c *CVR, _ []byte) bool { return !c.OfflinePINPerformed }},
	{"cvm_mismatch", "the terminal's CVM Results (9F34) say an offline PIN succeeded but the card's CVR says it verified none (the wedge of Murdoch et al., IEEE S&P 2010)", "05",
		func(c *CVR, cvm []byte) bool {
			return offlinePINClaimed(cvm) && (!c.OfflinePINPerformed || c.OfflinePINFailed)
		}},
	{"last_online_not_completed", "the last online transaction was not completed", "05",
		func(c *CVR, _ []byte) bool { return c.LastOnlineNotCompleted }},
	{"issuer_auth_failed_last", "issuer authentication failed in an earlier online transaction", "05",
		func(c *CVR, _ []byte) bool { return c.IssuerAuthFailed || c.IssuerAuthFailedLast }},
	{"script_failed_last", "an issuer script failed in the last online transaction", "05",
		func(c *CVR, _ []byte) bool { return c.ScriptFailedLast }},
	{"oda_failed_last", "offline data authentication failed in an earlier transaction declined offline", "05",
		func(c *CVR, _ []byte) bool { return c.ODAFailedLast }},
	{"offline_limits_exceeded", "an offline count or amount limit was exceeded", "05",
		func(c *CVR, _ []byte) bool { return c.OfflineLimitsExceeded }},
	{"unable_to_go_online", "the card records that the terminal could not go online", "05",
		func(c *CVR, _ []byte) bool { return c.UnableToGoOnline }},
}

// offlinePINClaimed reports whether CVM Results (9F34: method, condition,
// result; EMV Book 4 Annex A4) say an offline PIN method succeeded: method
// b6–b1 01 (plaintext), 03 (plaintext and signature), 04 (enciphered), 05
// (enciphered and signature), result 02 (successful).
func offlinePINClaimed(cvm []byte) bool {
	if len(cvm) != 3 || cvm[2] != 0x02 {
		return false
	}
	switch cvm[0] & 0x3F {
	case 0x01, 0x03, 0x04, 0x05:
		return true
	}
	return false
}

func findCondition(name string) (*condition, bool) {
	for i := range conditions {
		if conditions[i].name == name {
			return &conditions[i], true
		}
	}
	return nil, false
}

// ConditionNames lists the CVR conditions the rules may name, each with
// what it means.
func ConditionNames() []string {
	out := make([]string, len(conditions))
	for i, c := range conditions {
		out[i] = c.name + ": " + c.doc
	}
	return out
}

func conditionList() string {
	names := make([]string, len(conditions))
	for i, c := range conditions {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}
