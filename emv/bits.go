package emv

import (
	"errors"
	"fmt"
	"strings"
)

// Bit names one bit of a multi-byte bit field: the 0-based byte index in
// the high byte and the bit's mask in the low byte, so 0x0380 is EMV's
// "byte 4 b8". Each field has its own named type of Bit (TVRBit, AIPBit …)
// so that a TSI bit cannot be tested in a TVR by mistake.
type Bit uint16

// MakeBit returns the Bit at EMV's 1-based byte number and bit number
// (b1 is the least significant bit, b8 the most). It returns 0 when either
// is out of range.
func MakeBit(byteNum, bitNum int) Bit {
	if byteNum < 1 || byteNum > 255 || bitNum < 1 || bitNum > 8 {
		return 0
	}
	return Bit(byteNum-1)<<8 | Bit(1)<<(bitNum-1)
}

// Byte returns the 0-based index of the byte that holds the bit.
func (b Bit) Byte() int { return int(b >> 8) }

// Mask returns the bit's mask within its byte.
func (b Bit) Mask() byte { return byte(b) }

// String names the position the way EMV writes it: "byte 4 b8".
func (b Bit) String() string {
	return fmt.Sprintf("byte %d b%d", b.Byte()+1, bitNumber(b.Mask()))
}

// bitNumber returns EMV's b1..b8 number of the lowest bit set in mask.
func bitNumber(mask byte) int {
	for n := 1; n <= 8; n++ {
		if mask&(1<<(n-1)) != 0 {
			return n
		}
	}
	return 0
}

// ErrFieldLength is wrapped by the errors of parsers given a value of the
// wrong length for a fixed-length field.
var ErrFieldLength = errors.New("emv: wrong length")

// BitDef names one bit of a bit field: the 0-based byte index, the bit's
// mask in that byte and its name as the specification words it.
type BitDef struct {
	Byte int
	Mask byte
	Name string
}

// Bit returns the position as a Bit.
func (d BitDef) Bit() Bit { return Bit(d.Byte)<<8 | Bit(d.Mask) }

// codedField is a group of bits that carries a number rather than flags,
// such as the kernel version in 9F6E byte 4 b3-b1.
type codedField struct {
	Byte   int
	Mask   byte
	Name   string
	Values map[byte]string // keyed by the field's value, shifted down
}

// bitTable describes one bit field: its named bits, coded subfields and
// RFU bits. Every bit of every byte is exactly one of those three, which
// bits_test.go checks.
type bitTable struct {
	name  string
	size  int
	bits  []BitDef
	codes []codedField
	rfu   []byte
}

// BitTable returns the named bits of the bit field that tag t carries
// (82, 95, 9B, 9F07, 9F0D–9F0F, 9F33, 9F40, 9F66, 9F6C, 9F6E), in byte
// and bit order, and false for any other tag.
func BitTable(t Tag) ([]BitDef, bool) {
	tab, ok := bitTables[t]
	if !ok {
		return nil, false
	}
	return append([]BitDef(nil), tab.bits...), true
}

func (t *bitTable) lookup(b Bit) (string, bool) {
	for _, d := range t.bits {
		if d.Bit() == b {
			return d.Name, true
		}
	}
	return "", false
}

// bitName names a bit for the String method of a typed bit.
func (t *bitTable) bitName(b Bit) string {
	if name, ok := t.lookup(b); ok {
		return name
	}
	return t.name + " " + b.String()
}

// names lists what is set in v, in byte order and from b8 to b1.
func (t *bitTable) names(v []byte) []string {
	out := []string{}
	for i := 0; i < t.size && i < len(v); i++ {
		for mask := byte(0x80); mask != 0; mask >>= 1 {
			if s, ok := t.describeBit(v[i], i, mask); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// describeBit says what bit mask of byte i (whose value is x) reports.
func (t *bitTable) describeBit(x byte, i int, mask byte) (string, bool) {
	for _, c := range t.codes {
		if c.Byte == i && c.Mask&mask != 0 {
			if mask != topBit(c.Mask) || x&c.Mask == 0 {
				return "", false
			}
			return c.describe(x), true
		}
	}
	if x&mask == 0 {
		return "", false
	}
	if name, ok := t.lookup(Bit(i)<<8 | Bit(mask)); ok {
		return name, true
	}
	return fmt.Sprintf("RFU bit b%d of byte %d set", bitNumber(mask), i+1), true
}

func (c codedField) describe(x byte) string {
	v := (x & c.Mask) >> (bitNumber(c.Mask) - 1)
	if s, ok := c.Values[v]; ok {
		return c.Name + " " + s
	}
	return fmt.Sprintf("%s RFU value %d", c.Name, v)
}

// topBit returns the most significant bit of mask.
func topBit(mask byte) byte {
	for m := byte(0x80); m != 0; m >>= 1 {
		if mask&m != 0 {
			return m
		}
	}
	return 0
}

func (t *bitTable) String(v []byte) string { return joinNames(t.names(v)) }

func joinNames(names []string) string {
	if len(names) == 0 {
		return "none set"
	}
	return strings.Join(names, "; ")
}

// parse copies b into dst after checking its length.
func (t *bitTable) parse(dst, b []byte) error {
	if len(b) != t.size {
		return fieldLengthError(t.name, t.size, len(b))
	}
	copy(dst, b)
	return nil
}

func fieldLengthError(name string, want, got int) error {
	return &DataError{Field: name, Pos: -1, Err: ErrFieldLength,
		Detail: fmt.Sprintf("%d bytes, want %d", got, want)}
}

func hasBit(v []byte, b Bit) bool {
	i := b.Byte()
	return b.Mask() != 0 && i < len(v) && v[i]&b.Mask() == b.Mask()
}

func setBit(v []byte, b Bit) {
	if i := b.Byte(); i < len(v) {
		v[i] |= b.Mask()
	}
}

func clearBit(v []byte, b Bit) {
	if i := b.Byte(); i < len(v) {
		v[i] &^= b.Mask()
	}
}

// DescribeBits returns, in words, what is set in the value of a tag whose
// value is a bit field or a coded byte: 82, 95, 9B, 9F07, 9F0D–9F0F (TVR
// layout), 9F27, 9F33, 9F34, 9F35, 9F40, 9F66, 9F6C and 9F6E (read as the
// terminal's Enhanced Contactless Reader Capabilities of Book C-4, not the
// card's Form Factor Indicator that Visa puts under the same tag). It
// returns false for any other tag or a value of the wrong length.
func DescribeBits(t Tag, value []byte) ([]string, bool) {
	if tab, ok := bitTables[t]; ok {
		if len(value) != tab.size {
			return nil, false
		}
		return tab.names(value), true
	}
	switch t {
	case 0x9F27:
		if len(value) == 1 {
			return CID(value[0]).Names(), true
		}
	case 0x9F34:
		if len(value) == 3 {
			return CVMResults(value).Names(), true
		}
	case 0x9F35:
		if len(value) == 1 {
			return TerminalType(value[0]).Names(), true
		}
	}
	return nil, false
}

// TVR is the Terminal Verification Results (95), EMV Book 3 Annex C5.
type TVR [5]byte

// ParseTVR reads a TVR (or an Issuer Action Code) from its 5-byte value.
func ParseTVR(b []byte) (TVR, error) {
	var v TVR
	err := tvrTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v TVR) Has(b TVRBit) bool { return hasBit(v[:], Bit(b)) }

// Set sets bit b.
func (v *TVR) Set(b TVRBit) { setBit(v[:], Bit(b)) }

// Clear clears bit b.
func (v *TVR) Clear(b TVRBit) { clearBit(v[:], Bit(b)) }

// Intersects reports whether v and code have a bit in common: the test
// terminal action analysis makes of the TVR against each action code.
func (v TVR) Intersects(code TVR) bool {
	for i := range v {
		if v[i]&code[i] != 0 {
			return true
		}
	}
	return false
}

// Names lists the set bits in byte and bit order.
func (v TVR) Names() []string { return tvrTable.names(v[:]) }

// String joins Names with "; ", or says "none set".
func (v TVR) String() string { return tvrTable.String(v[:]) }

// String returns the bit's name.
func (b TVRBit) String() string { return tvrTable.bitName(Bit(b)) }

// TSI is the Transaction Status Information (9B), EMV Book 3 Annex C6.
type TSI [2]byte

// ParseTSI reads a TSI from its 2-byte value.
func ParseTSI(b []byte) (TSI, error) {
	var v TSI
	err := tsiTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v TSI) Has(b TSIBit) bool { return hasBit(v[:], Bit(b)) }

// Set sets bit b.
func (v *TSI) Set(b TSIBit) { setBit(v[:], Bit(b)) }

// Clear clears bit b.
func (v *TSI) Clear(b TSIBit) { clearBit(v[:], Bit(b)) }

// Names lists the set bits in byte and bit order.
func (v TSI) Names() []string { return tsiTable.names(v[:]) }

// String joins Names with "; ", or says "none set".
func (v TSI) String() string { return tsiTable.String(v[:]) }

// String returns the bit's name.
func (b TSIBit) String() string { return tsiTable.bitName(Bit(b)) }

// AIP is the Application Interchange Profile (82), EMV Book 3 Annex C1.
type AIP [2]byte

// ParseAIP reads an AIP from its 2-byte value.
func ParseAIP(b []byte) (AIP, error) {
	var v AIP
	err := aipTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v AIP) Has(b AIPBit) bool { return hasBit(v[:], Bit(b)) }

// Set sets bit b.
func (v *AIP) Set(b AIPBit) { setBit(v[:], Bit(b)) }

// Clear clears bit b.
func (v *AIP) Clear(b AIPBit) { clearBit(v[:], Bit(b)) }

// Names lists the set bits in byte and bit order.
func (v AIP) Names() []string { return aipTable.names(v[:]) }

// String joins Names with "; ", or says "none set".
func (v AIP) String() string { return aipTable.String(v[:]) }

// String returns the bit's name.
func (b AIPBit) String() string { return aipTable.bitName(Bit(b)) }

// AUC is the Application Usage Control (9F07), EMV Book 3 Annex C2.
type AUC [2]byte

// ParseAUC reads an AUC from its 2-byte value.
func ParseAUC(b []byte) (AUC, error) {
	var v AUC
	err := aucTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v AUC) Has(b AUCBit) bool { return hasBit(v[:], Bit(b)) }

// Set sets bit b.
func (v *AUC) Set(b AUCBit) { setBit(v[:], Bit(b)) }

// Clear clears bit b.
func (v *AUC) Clear(b AUCBit) { clearBit(v[:], Bit(b)) }

// Names lists the set bits in byte and bit order.
func (v AUC) Names() []string { return aucTable.names(v[:]) }

// String joins Names with "; ", or says "none set".
func (v AUC) String() string { return aucTable.String(v[:]) }

// String returns the bit's name.
func (b AUCBit) String() string { return aucTable.bitName(Bit(b)) }

// TerminalCapabilities is the Terminal Capabilities (9F33), EMV Book 4
// Annex A2.
type TerminalCapabilities [3]byte

// ParseTerminalCapabilities reads 9F33 from its 3-byte value.
func ParseTerminalCapabilities(b []byte) (TerminalCapabilities, error) {
	var v TerminalCapabilities
	err := terminalCapabilitiesTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v TerminalCapabilities) Has(b TerminalCapabilitiesBit) bool { return hasBit(v[:], Bit(b)) }

// Set sets bit b.
func (v *TerminalCapabilities) Set(b TerminalCapabilitiesBit) { setBit(v[:], Bit(b)) }

// Clear clears bit b.
func (v *TerminalCapabilities) Clear(b TerminalCapabilitiesBit) { clearBit(v[:], Bit(b)) }

// Names lists the set bits in byte and bit order.
func (v TerminalCapabilities) Names() []string { return terminalCapabilitiesTable.names(v[:]) }

// String joins Names with "; ", or says "none set".
func (v TerminalCapabilities) String() string { return terminalCapabilitiesTable.String(v[:]) }

// String returns the bit's name.
func (b TerminalCapabilitiesBit) String() string {
	return terminalCapabilitiesTable.bitName(Bit(b))
}

// AdditionalTerminalCapabilities is the Additional Terminal Capabilities
// (9F40), EMV Book 4 Annex A3.
type AdditionalTerminalCapabilities [5]byte

// ParseAdditionalTerminalCapabilities reads 9F40 from its 5-byte value.
func ParseAdditionalTerminalCapabilities(b []byte) (AdditionalTerminalCapabilities, error) {
	var v AdditionalTerminalCapabilities
	err := additionalTerminalCapabilitiesTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v AdditionalTerminalCapabilities) Has(b AdditionalTerminalCapabilitiesBit) bool {
	return hasBit(v[:], Bit(b))
}

// Set sets bit b.
func (v *AdditionalTerminalCapabilities) Set(b AdditionalTerminalCapabilitiesBit) {
	setBit(v[:], Bit(b))
}

// Clear clears bit b.
func (v *AdditionalTerminalCapabilities) Clear(b AdditionalTerminalCapabilitiesBit) {
	clearBit(v[:], Bit(b))
}

// Names lists the set bits in byte and bit order.
func (v AdditionalTerminalCapabilities) Names() []string {
	return additionalTerminalCapabilitiesTable.names(v[:])
}

// String joins Names with "; ", or says "none set".
func (v AdditionalTerminalCapabilities) String() string {
	return additionalTerminalCapabilitiesTable.String(v[:])
}

// String returns the bit's name.
func (b AdditionalTerminalCapabilitiesBit) String() string {
	return additionalTerminalCapabilitiesTable.bitName(Bit(b))
}

// TTQ is the Terminal Transaction Qualifiers (9F66), EMV Contactless
// Book A and Book C-3.
type TTQ [4]byte

// ParseTTQ reads a TTQ from its 4-byte value.
func ParseTTQ(b []byte) (TTQ, error) {
	var v TTQ
	err := ttqTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v TTQ) Has(b TTQBit) bool { return hasBit(v[:], Bit(b)) }

// Set sets bit b.
func (v *TTQ) Set(b TTQBit) { setBit(v[:], Bit(b)) }

// Clear clears bit b.
func (v *TTQ) Clear(b TTQBit) { clearBit(v[:], Bit(b)) }

// Names lists the set bits in byte and bit order.
func (v TTQ) Names() []string { return ttqTable.names(v[:]) }

// String joins Names with "; ", or says "none set".
func (v TTQ) String() string { return ttqTable.String(v[:]) }

// String returns the bit's name.
func (b TTQBit) String() string { return ttqTable.bitName(Bit(b)) }

// CTQ is the Card Transaction Qualifiers (9F6C), EMV Contactless Book C-3.
type CTQ [2]byte

// ParseCTQ reads a CTQ from its 2-byte value.
func ParseCTQ(b []byte) (CTQ, error) {
	var v CTQ
	err := ctqTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v CTQ) Has(b CTQBit) bool { return hasBit(v[:], Bit(b)) }

// Set sets bit b.
func (v *CTQ) Set(b CTQBit) { setBit(v[:], Bit(b)) }

// Clear clears bit b.
func (v *CTQ) Clear(b CTQBit) { clearBit(v[:], Bit(b)) }

// Names lists the set bits in byte and bit order.
func (v CTQ) Names() []string { return ctqTable.names(v[:]) }

// String joins Names with "; ", or says "none set".
func (v CTQ) String() string { return ctqTable.String(v[:]) }

// String returns the bit's name.
func (b CTQBit) String() string { return ctqTable.bitName(Bit(b)) }

// ContactlessReaderCapabilities is the Enhanced Contactless Reader
// Capabilities (9F6E) of EMV Contactless Book C-4 (American Express).
type ContactlessReaderCapabilities [4]byte

// ParseContactlessReaderCapabilities reads 9F6E from its 4-byte value.
func ParseContactlessReaderCapabilities(b []byte) (ContactlessReaderCapabilities, error) {
	var v ContactlessReaderCapabilities
	err := contactlessReaderCapabilitiesTable.parse(v[:], b)
	return v, err
}

// Has reports whether bit b is set.
func (v ContactlessReaderCapabilities) Has(b ContactlessReaderCapabilitiesBit) bool {
	return hasBit(v[:], Bit(b))
}

// Set sets bit b.
func (v *ContactlessReaderCapabilities) Set(b ContactlessReaderCapabilitiesBit) {
	setBit(v[:], Bit(b))
}

// Clear clears bit b.
func (v *ContactlessReaderCapabilities) Clear(b ContactlessReaderCapabilitiesBit) {
	clearBit(v[:], Bit(b))
}

// KernelVersion returns byte 4 b3-b1: 1 for C-4 kernel versions 2.2–2.3,
// 2 for 2.4–2.6, 3 for 2.7, 0 when not given.
func (v ContactlessReaderCapabilities) KernelVersion() int { return int(v[3] & 0x07) }

// SetKernelVersion sets byte 4 b3-b1 (only the low three bits of n count).
func (v *ContactlessReaderCapabilities) SetKernelVersion(n int) {
	v[3] = v[3]&^0x07 | byte(n)&0x07
}

// Names lists the set bits and the kernel version in byte and bit order.
func (v ContactlessReaderCapabilities) Names() []string {
	return contactlessReaderCapabilitiesTable.names(v[:])
}

// String joins Names with "; ", or says "none set".
func (v ContactlessReaderCapabilities) String() string {
	return contactlessReaderCapabilitiesTable.String(v[:])
}

// String returns the bit's name.
func (b ContactlessReaderCapabilitiesBit) String() string {
	return contactlessReaderCapabilitiesTable.bitName(Bit(b))
}

// CryptogramType is the kind of Application Cryptogram that the
// Cryptogram Information Data announces (9F27 b8-b7).
type CryptogramType byte

// The cryptogram types of EMV Book 3 §6.5.5.4 Table 15.
const (
	CryptogramAAC  CryptogramType = 0x00 // transaction declined
	CryptogramTC   CryptogramType = 0x40 // transaction approved
	CryptogramARQC CryptogramType = 0x80 // online authorisation requested
	// CryptogramAAR is the Application Authorisation Referral of EMV 3.x;
	// EMV 4.x reserves the value (RFU).
	CryptogramAAR CryptogramType = 0xC0
)

// String returns "AAC", "TC", "ARQC" or "AAR".
func (c CryptogramType) String() string {
	switch c & 0xC0 {
	case CryptogramAAC:
		return "AAC"
	case CryptogramTC:
		return "TC"
	case CryptogramARQC:
		return "ARQC"
	}
	return "AAR"
}

// CID is the Cryptogram Information Data (9F27), EMV Book 3 §6.5.5.4:
// b8-b7 the cryptogram type, b6-b5 payment-system specific, b4 advice
// required, b3-b1 the reason/advice code.
type CID byte

// Type returns the cryptogram type.
func (c CID) Type() CryptogramType { return CryptogramType(c & 0xC0) }

// Advice reports whether the card asks for an advice (b4).
func (c CID) Advice() bool { return c&0x08 != 0 }

// Reason returns the reason/advice code (b3-b1): 0 no information given,
// 1 service not allowed, 2 PIN Try Limit exceeded, 3 issuer
// authentication failed; 4-7 are RFU.
func (c CID) Reason() int { return int(c & 0x07) }

// Names describes the cryptogram type, then what else is set.
func (c CID) Names() []string {
	out := []string{c.Type().String()}
	if ps := c & 0x30; ps != 0 {
		out = append(out, fmt.Sprintf("payment system-specific cryptogram bits %02b", ps>>4))
	}
	if c.Advice() {
		out = append(out, "advice required")
	}
	if r := c.Reason(); r != 0 {
		if r < len(cidReasonText) {
			out = append(out, "reason: "+cidReasonText[r])
		} else {
			out = append(out, fmt.Sprintf("reason: RFU code %d", r))
		}
	}
	return out
}

// String joins Names with "; ".
func (c CID) String() string { return joinNames(c.Names()) }

// CVMResultCode is byte 3 of the CVM Results: how the CVM went.
type CVMResultCode byte

// The CVM results of EMV Book 4 Annex A4 Table 33.
const (
	CVMResultUnknown    CVMResultCode = 0
	CVMResultFailed     CVMResultCode = 1
	CVMResultSuccessful CVMResultCode = 2
)

// String returns "unknown", "failed" or "successful".
func (r CVMResultCode) String() string {
	switch r {
	case CVMResultUnknown:
		return "unknown"
	case CVMResultFailed:
		return "failed"
	case CVMResultSuccessful:
		return "successful"
	}
	return fmt.Sprintf("RFU result %02X", byte(r))
}

// CVMResults is the Cardholder Verification Method Results (9F34), EMV
// Book 4 Annex A4: the CVM code performed (3F: none), its condition code,
// and the result.
type CVMResults [3]byte

// ParseCVMResults reads 9F34 from its 3-byte value.
func ParseCVMResults(b []byte) (CVMResults, error) {
	var v CVMResults
	if len(b) != len(v) {
		return v, fieldLengthError("CVM Results", len(v), len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Method returns the CVM code performed (b6-b1 of byte 1).
func (v CVMResults) Method() byte { return v[0] & 0x3F }

// Condition returns the CVM condition code (byte 2).
func (v CVMResults) Condition() byte { return v[1] }

// Result returns byte 3.
func (v CVMResults) Result() CVMResultCode { return CVMResultCode(v[2]) }

// Names returns the method, the condition and the result in words.
func (v CVMResults) Names() []string {
	return []string{cvmMethodName(v.Method()), cvmConditionName(v.Condition()), v.Result().String()}
}

// String says e.g. "offline plaintext PIN, if terminal supports the CVM;
// successful".
func (v CVMResults) String() string {
	n := v.Names()
	return n[0] + ", " + n[1] + "; " + n[2]
}

func cvmMethodName(code byte) string {
	if s, ok := cvmMethodText[code]; ok {
		return s
	}
	switch {
	case code >= 0x20 && code <= 0x2F:
		return fmt.Sprintf("payment system CVM %02X", code)
	case code >= 0x30 && code <= 0x3E:
		return fmt.Sprintf("issuer CVM %02X", code)
	}
	return fmt.Sprintf("RFU CVM %02X", code)
}

func cvmConditionName(cond byte) string {
	if int(cond) < len(cvmConditionText) {
		return cvmConditionText[cond]
	}
	if cond >= 0x80 {
		return fmt.Sprintf("payment system condition %02X", cond)
	}
	return fmt.Sprintf("RFU condition %02X", cond)
}

// TerminalType is the Terminal Type (9F35), two BCD digits (EMV Book 4
// Annex A1): who operates the terminal (1 financial institution, 2
// merchant, 3 cardholder) and its environment (1-3 attended, 4-6
// unattended; online only, offline with online capability, offline only).
type TerminalType byte

// ParseTerminalType reads 9F35 and checks that it is one of the values
// Book 4 defines (11-16, 21-26, 34-36).
func ParseTerminalType(b []byte) (TerminalType, error) {
	if len(b) != 1 {
		return 0, fieldLengthError("Terminal Type", 1, len(b))
	}
	t := TerminalType(b[0])
	if !t.Valid() {
		return t, &DataError{Field: "Terminal Type", Pos: -1, Err: ErrUndefinedValue,
			Detail: fmt.Sprintf("%02X is not a defined terminal type", b[0])}
	}
	return t, nil
}

// Control returns the first digit: 1 financial institution, 2 merchant,
// 3 cardholder.
func (t TerminalType) Control() int { return int(t >> 4) }

// Environment returns the second digit, 1 to 6.
func (t TerminalType) Environment() int { return int(t & 0x0F) }

// Valid reports whether t is one of the terminal types Book 4 defines.
func (t TerminalType) Valid() bool {
	c, e := t.Control(), t.Environment()
	switch c {
	case 1, 2:
		return e >= 1 && e <= 6
	case 3:
		return e >= 4 && e <= 6
	}
	return false
}

// Attended reports whether an attendant is present (environment 1-3).
func (t TerminalType) Attended() bool { e := t.Environment(); return e >= 1 && e <= 3 }

// OnlineCapable reports whether the terminal can go online (environment
// 1, 2, 4 or 5).
func (t TerminalType) OnlineCapable() bool {
	e := t.Environment()
	return e == 1 || e == 2 || e == 4 || e == 5
}

// OfflineCapable reports whether the terminal can approve offline
// (environment 2, 3, 5 or 6).
func (t TerminalType) OfflineCapable() bool {
	e := t.Environment()
	return e == 2 || e == 3 || e == 5 || e == 6
}

// Names returns who controls the terminal and its environment in words.
func (t TerminalType) Names() []string {
	if !t.Valid() {
		return []string{fmt.Sprintf("RFU terminal type %02X", byte(t))}
	}
	return []string{terminalControlText[t.Control()] + "-controlled", terminalEnvironmentText[t.Environment()]}
}

// String says e.g. "merchant-controlled, attended, offline with online
// capability".
func (t TerminalType) String() string { return strings.Join(t.Names(), ", ") }
