package apdu

import "fmt"

// StatusWord is the status SW1 SW2 that ends every response APDU, as one
// number: 0x6A82 is SW1 6A, SW2 82.
//
// A StatusWord is an error value, so that a card's refusal can travel as
// an error and be tested for with errors.Is:
//
//	if errors.Is(err, apdu.StatusWord(0x6985)) { … }
//
// Its message is the status in hex and its meaning, "6A82: file or
// application not found". Success is usually reported as a nil error (see
// Response.Err), not as StatusWord(0x9000).
type StatusWord uint16

// Common status words.
const (
	SWNoError                    StatusWord = 0x9000
	SWSelectedFileInvalidated    StatusWord = 0x6283 // application blocked (EMV)
	SWWrongLength                StatusWord = 0x6700
	SWSecurityStatusNotSatisfied StatusWord = 0x6982
	SWAuthMethodBlocked          StatusWord = 0x6983
	SWReferenceDataNotUsable     StatusWord = 0x6984
	SWConditionsNotSatisfied     StatusWord = 0x6985
	SWIncorrectData              StatusWord = 0x6A80
	SWFunctionNotSupported       StatusWord = 0x6A81
	SWFileNotFound               StatusWord = 0x6A82
	SWRecordNotFound             StatusWord = 0x6A83
	SWIncorrectP1P2              StatusWord = 0x6A86
	SWReferencedDataNotFound     StatusWord = 0x6A88
	SWWrongP1P2                  StatusWord = 0x6B00
	SWINSNotSupported            StatusWord = 0x6D00
	SWCLANotSupported            StatusWord = 0x6E00
	SWNoPreciseDiagnosis         StatusWord = 0x6F00
)

// SW1 returns the first status byte.
func (sw StatusWord) SW1() byte { return byte(sw >> 8) }

// SW2 returns the second status byte.
func (sw StatusWord) SW2() byte { return byte(sw) }

// OK reports whether the status is 9000, normal processing. (61xx, also
// normal processing, is resolved by GET RESPONSE before a caller sees it;
// see T0Transport.)
func (sw StatusWord) OK() bool { return sw == SWNoError }

// IsWarning reports whether the status is a warning, 62xx or 63xx
// (ISO/IEC 7816-4 §5.1.3): the command was processed and the response may
// carry data.
func (sw StatusWord) IsWarning() bool { return sw.SW1() == 0x62 || sw.SW1() == 0x63 }

// Counter returns x of a 63Cx status, "counter x" — after a failed VERIFY
// the number of PIN tries left — and whether the status is one.
func (sw StatusWord) Counter() (int, bool) {
	if sw&0xFFF0 != 0x63C0 {
		return 0, false
	}
	return int(sw & 0x0F), true
}

// String returns the status word in upper-case hex, "6A82".
func (sw StatusWord) String() string { return fmt.Sprintf("%04X", uint16(sw)) }

// Error returns the status word and its meaning, "6A82: file or
// application not found".
func (sw StatusWord) Error() string { return sw.String() + ": " + sw.Meaning() }

// Meaning returns what the status word means, from the table of ISO/IEC
// 7816-4:2005 §5.1.3 (Tables 5 and 6) with the readings EMV 4.3 gives
// some of them (Book 1 §11, Book 3 §6.3.5 and §6.5: 6283 "application
// blocked" after SELECT, 63Cx "PIN tries left" after VERIFY, 6985 to GET
// PROCESSING OPTIONS "conditions of use not satisfied").
func (sw StatusWord) Meaning() string {
	for _, e := range statusTable {
		if sw&e.mask == e.sw {
			return e.meaning(sw)
		}
	}
	if !validSW1(sw.SW1()) {
		return "invalid status word (SW1 must be 61–6F or 9X)"
	}
	return "unknown status"
}

// validSW1 reports whether b may be SW1: 61 to 6F or 9X (ISO/IEC 7816-3
// §10.3.3; 60 is the NULL procedure byte).
func validSW1(b byte) bool {
	return b > 0x60 && b <= 0x6F || b&0xF0 == 0x90
}

// swParam says how an entry's text takes a number from SW2.
type swParam uint8

const (
	paramNone   swParam = iota
	paramLength         // SW2 is a length, 00 meaning 256
	paramNibble         // the low four bits of SW2 are a counter
)

// statusEntry matches the status words s with s&mask == sw.
type statusEntry struct {
	sw, mask StatusWord
	text     string
	param    swParam
}

func (e statusEntry) meaning(sw StatusWord) string {
	switch e.param {
	case paramLength:
		n := int(sw.SW2())
		if n == 0 {
			n = 256
		}
		return fmt.Sprintf(e.text, n)
	case paramNibble:
		return fmt.Sprintf(e.text, int(sw&0x0F))
	}
	return e.text
}

const (
	exact = 0xFFFF // the whole status word
	sw1   = 0xFF00 // any SW2
)

// statusTable is searched in order: exact status words before the ranges
// that contain them.
var statusTable = [...]statusEntry{
	{0x9000, exact, "normal processing", paramNone},
	{0x6100, sw1, "normal processing, %d response bytes still available (GET RESPONSE)", paramLength},

	{0x6200, exact, "warning: no information given, non-volatile memory unchanged", paramNone},
	{0x6281, exact, "warning: part of returned data may be corrupted", paramNone},
	{0x6282, exact, "warning: end of file or record reached before reading Ne bytes", paramNone},
	{0x6283, exact, "warning: selected file invalidated (application blocked)", paramNone},
	{0x6284, exact, "warning: file control information not formatted per ISO/IEC 7816-4", paramNone},
	{0x6285, exact, "warning: selected file in termination state", paramNone},
	{0x6286, exact, "warning: no input data available from a sensor on the card", paramNone},
	{0x6200, sw1, "warning: non-volatile memory unchanged", paramNone},

	{0x6300, exact, "warning: no information given, non-volatile memory changed", paramNone},
	{0x6381, exact, "warning: file filled up by the last write", paramNone},
	{0x63C0, 0xFFF0, "warning: counter %d (after VERIFY: PIN tries left)", paramNibble},
	{0x6300, sw1, "warning: non-volatile memory changed", paramNone},

	{0x6400, exact, "execution error: non-volatile memory unchanged", paramNone},
	{0x6401, exact, "execution error: immediate response required by the card", paramNone},
	{0x6400, sw1, "execution error: non-volatile memory unchanged", paramNone},
	{0x6500, exact, "execution error: non-volatile memory changed", paramNone},
	{0x6581, exact, "execution error: memory failure", paramNone},
	{0x6500, sw1, "execution error: non-volatile memory changed", paramNone},
	{0x6600, sw1, "execution error: security-related issue", paramNone},

	{0x6700, exact, "wrong length", paramNone},
	{0x6800, exact, "functions in CLA not supported", paramNone},
	{0x6881, exact, "logical channel not supported", paramNone},
	{0x6882, exact, "secure messaging not supported", paramNone},
	{0x6883, exact, "last command of the chain expected", paramNone},
	{0x6884, exact, "command chaining not supported", paramNone},
	{0x6800, sw1, "functions in CLA not supported", paramNone},

	{0x6900, exact, "command not allowed", paramNone},
	{0x6981, exact, "command incompatible with file structure", paramNone},
	{0x6982, exact, "security status not satisfied", paramNone},
	{0x6983, exact, "authentication method blocked", paramNone},
	{0x6984, exact, "reference data not usable (invalidated)", paramNone},
	{0x6985, exact, "conditions of use not satisfied", paramNone},
	{0x6986, exact, "command not allowed (no current EF)", paramNone},
	{0x6987, exact, "expected secure messaging data objects missing", paramNone},
	{0x6988, exact, "incorrect secure messaging data objects", paramNone},
	{0x6900, sw1, "command not allowed", paramNone},

	{0x6A00, exact, "wrong parameters P1-P2", paramNone},
	{0x6A80, exact, "incorrect parameters in the command data field", paramNone},
	{0x6A81, exact, "function not supported", paramNone},
	{0x6A82, exact, "file or application not found", paramNone},
	{0x6A83, exact, "record not found", paramNone},
	{0x6A84, exact, "not enough memory space in the file", paramNone},
	{0x6A85, exact, "Nc inconsistent with TLV structure", paramNone},
	{0x6A86, exact, "incorrect parameters P1-P2", paramNone},
	{0x6A87, exact, "Nc inconsistent with parameters P1-P2", paramNone},
	{0x6A88, exact, "referenced data or reference data not found", paramNone},
	{0x6A89, exact, "file already exists", paramNone},
	{0x6A8A, exact, "DF name already exists", paramNone},
	{0x6A00, sw1, "wrong parameters P1-P2", paramNone},

	{0x6B00, exact, "wrong parameters P1-P2", paramNone},
	{0x6C00, sw1, "wrong Le field: %d data bytes available", paramLength},
	{0x6D00, exact, "instruction code not supported or invalid", paramNone},
	{0x6E00, exact, "class not supported", paramNone},
	{0x6F00, exact, "no precise diagnosis", paramNone},

	{0x9000, 0xF000, "proprietary status", paramNone},
}
