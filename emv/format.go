package emv

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors of the format parsers; every error they return is a
// *DataError that wraps one of these (test with errors.Is).
var (
	// ErrNotDigit: a nibble or character that should be 0-9 is not.
	ErrNotDigit = errors.New("emv: not a decimal digit")
	// ErrPadding: F padding where digits must be, or padding that is not
	// a single trailing F.
	ErrPadding = errors.New("emv: misplaced F padding")
	// ErrTooManyDigits: more digits than the field holds.
	ErrTooManyDigits = errors.New("emv: too many digits")
	// ErrTooFewDigits: fewer digits than the field needs.
	ErrTooFewDigits = errors.New("emv: too few digits")
	// ErrInvalidDate: a month or day out of range.
	ErrInvalidDate = errors.New("emv: invalid date")
	// ErrUndefinedValue: a well-formed code the specification does not define.
	ErrUndefinedValue = errors.New("emv: undefined value")
	// ErrSeparator: Track 2 data without its field separator D.
	ErrSeparator = errors.New("emv: track 2 field separator D missing")
)

// DataError reports a malformed data element value: which element, which
// part of it, at which nibble (or character) and why.
type DataError struct {
	Field  string // the data element, e.g. "Track 2 Equivalent Data"
	Part   string // the part of it, e.g. "expiry date"; may be empty
	Pos    int    // 0-based nibble index (character index when Text), or -1
	Text   bool   // the input was text: Pos counts characters, not nibbles
	Detail string
	Err    error // the sentinel
}

func (e *DataError) Error() string {
	var sb strings.Builder
	sb.WriteString("emv: ")
	sb.WriteString(e.Field)
	if e.Part != "" {
		sb.WriteString(": " + e.Part)
	}
	if e.Pos >= 0 && e.Text {
		fmt.Fprintf(&sb, " at character %d", e.Pos)
	} else if e.Pos >= 0 {
		fmt.Fprintf(&sb, " at nibble %d", e.Pos)
	}
	sb.WriteString(": ")
	if e.Detail != "" {
		sb.WriteString(e.Detail)
	} else {
		sb.WriteString(strings.TrimPrefix(e.Err.Error(), "emv: "))
	}
	return sb.String()
}

// Unwrap returns the sentinel.
func (e *DataError) Unwrap() error { return e.Err }

// nibble returns the i-th nibble of b (0 is the high nibble of b[0]).
func nibble(b []byte, i int) byte {
	if i%2 == 0 {
		return b[i/2] >> 4
	}
	return b[i/2] & 0x0F
}

// packNibbles packs digits ('0'-'9', or 'D'/'F' for the track 2 separator
// and padding) two to a byte.
func packNibbles(s string) []byte {
	out := make([]byte, (len(s)+1)/2)
	for i := 0; i < len(s); i++ {
		v := hexValue(s[i])
		if i%2 == 0 {
			out[i/2] = v << 4
		} else {
			out[i/2] |= v
		}
	}
	if len(s)%2 == 1 {
		out[len(out)-1] |= 0x0F
	}
	return out
}

func hexValue(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0x0F
}

// notDigit reports the character s[i] of text input that is not a digit.
func notDigit(field, s string, i int) error {
	return &DataError{Field: field, Pos: i, Text: true, Err: ErrNotDigit,
		Detail: fmt.Sprintf("%q is not a digit", s[i])}
}

// checkDigits returns the index of the first byte of s that is not 0-9,
// or -1.
func checkDigits(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return i
		}
	}
	return -1
}

// EncodeNumeric encodes digits in EMV format n (Book 3 §4.3): BCD,
// right-justified and left-padded with zeros, in n bytes. More digits than
// 2n is an error, never a silent truncation.
func EncodeNumeric(digits string, n int) ([]byte, error) {
	if i := checkDigits(digits); i >= 0 {
		return nil, notDigit("numeric (n)", digits, i)
	}
	if n < 0 || len(digits) > 2*n {
		return nil, &DataError{Field: "numeric (n)", Pos: -1, Err: ErrTooManyDigits,
			Detail: fmt.Sprintf("%d digits do not fit in %d bytes", len(digits), n)}
	}
	return packNibbles(strings.Repeat("0", 2*n-len(digits)) + digits), nil
}

// DecodeNumeric decodes EMV format n: every nibble must be 0-9. It returns
// all 2*len(b) digits, leading zeros included.
func DecodeNumeric(b []byte) (string, error) {
	out := make([]byte, 2*len(b))
	for i := range out {
		d := nibble(b, i)
		if d > 9 {
			return "", &DataError{Field: "numeric (n)", Pos: i, Err: ErrNotDigit,
				Detail: fmt.Sprintf("nibble %X is not a digit", d)}
		}
		out[i] = '0' + d
	}
	return string(out), nil
}

// EncodeCompressedNumeric encodes digits in EMV format cn (Book 3 §4.3):
// BCD, left-justified and right-padded with F, in n bytes.
func EncodeCompressedNumeric(digits string, n int) ([]byte, error) {
	if i := checkDigits(digits); i >= 0 {
		return nil, notDigit("compressed numeric (cn)", digits, i)
	}
	if n < 0 || len(digits) > 2*n {
		return nil, &DataError{Field: "compressed numeric (cn)", Pos: -1, Err: ErrTooManyDigits,
			Detail: fmt.Sprintf("%d digits do not fit in %d bytes", len(digits), n)}
	}
	return packNibbles(digits + strings.Repeat("F", 2*n-len(digits))), nil
}

// DecodeCompressedNumeric decodes EMV format cn: digits, then only F
// nibbles to the end. It returns the digits without the padding.
func DecodeCompressedNumeric(b []byte) (string, error) {
	return decodeCN("compressed numeric (cn)", b)
}

func decodeCN(field string, b []byte) (string, error) {
	out := make([]byte, 0, 2*len(b))
	for i := 0; i < 2*len(b); i++ {
		d := nibble(b, i)
		switch {
		case d <= 9 && len(out) == i:
			out = append(out, '0'+d)
		case d == 0x0F:
		case d <= 9:
			return "", &DataError{Field: field, Pos: i, Err: ErrPadding,
				Detail: "digit after F padding"}
		default:
			return "", &DataError{Field: field, Pos: i, Err: ErrNotDigit,
				Detail: fmt.Sprintf("nibble %X is not a digit", d)}
		}
	}
	return string(out), nil
}

// MaxPANDigits is the longest PAN EMV allows (Book 3 Annex A, 5A: cn up
// to 19 digits).
const MaxPANDigits = 19

// LuhnValid reports whether digits is a non-empty string of decimal
// digits whose last digit is a correct Luhn check digit (ISO/IEC 7812-1
// Annex B).
func LuhnValid(digits string) bool {
	if len(digits) == 0 || checkDigits(digits) >= 0 {
		return false
	}
	return luhnSum(digits, false)%10 == 0
}

// LuhnDigit returns the ASCII check digit ('0'-'9') that makes partial
// followed by it Luhn-valid.
func LuhnDigit(partial string) (byte, error) {
	if i := checkDigits(partial); i >= 0 {
		return 0, notDigit("PAN", partial, i)
	}
	return byte('0' + (10-luhnSum(partial, true)%10)%10), nil
}

// luhnSum adds the digits, doubling every second one from the right; the
// rightmost digit is doubled when doubleLast (it is then followed by the
// check digit still to be found).
func luhnSum(digits string, doubleLast bool) int {
	sum, double := 0, doubleLast
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum
}

// ParsePAN reads an Application PAN (5A, format cn): 1 to 19 digits
// followed by F padding only.
func ParsePAN(b []byte) (string, error) {
	if len(b) > (MaxPANDigits+1)/2 {
		return "", &DataError{Field: "PAN", Pos: -1, Err: ErrTooManyDigits,
			Detail: fmt.Sprintf("%d bytes, at most 10", len(b))}
	}
	pan, err := decodeCN("PAN", b)
	if err != nil {
		return "", err
	}
	if len(pan) == 0 {
		return "", &DataError{Field: "PAN", Pos: -1, Err: ErrTooFewDigits, Detail: "no digits"}
	}
	if len(pan) > MaxPANDigits {
		return "", &DataError{Field: "PAN", Pos: -1, Err: ErrTooManyDigits,
			Detail: fmt.Sprintf("%d digits, at most 19", len(pan))}
	}
	return pan, nil
}

// EncodePAN encodes a PAN of 1 to 19 digits in format cn, padded with one
// F when the number of digits is odd.
func EncodePAN(digits string) ([]byte, error) {
	if err := checkPAN(digits); err != nil {
		return nil, err
	}
	return packNibbles(digits), nil
}

func checkPAN(digits string) error {
	if i := checkDigits(digits); i >= 0 {
		return notDigit("PAN", digits, i)
	}
	if len(digits) == 0 || len(digits) > MaxPANDigits {
		return &DataError{Field: "PAN", Pos: -1, Err: ErrTooManyDigits,
			Detail: fmt.Sprintf("%d digits, want 1 to 19", len(digits))}
	}
	return nil
}

// MaskPAN hides the middle of a PAN for display and logs, keeping the
// first 6 and last 4 digits as PCI DSS allows ("5375050000160110" becomes
// "537505******0110"). A PAN of 10 digits or fewer keeps only its last 4,
// and one of 4 or fewer is hidden entirely, so that at least the
// account-identifying middle is never shown.
func MaskPAN(pan string) string {
	n := len(pan)
	var buf [MaxPANDigits + 13]byte // room for any PAN and then some, on the stack
	b := buf[:0]
	if n > len(buf) {
		b = make([]byte, 0, n)
	}
	keepHead, keepTail := 6, 4
	switch {
	case n <= 4:
		keepHead, keepTail = 0, 0
	case n <= 10:
		keepHead = 0
	}
	b = append(b, pan[:keepHead]...)
	for range n - keepHead - keepTail {
		b = append(b, '*')
	}
	return string(append(b, pan[n-keepTail:]...))
}

// Track2 is the content of Track 2 Equivalent Data (57): the PAN, the
// separator D, the expiry date YYMM, the service code and the
// discretionary data, all decimal digits (ISO/IEC 7813 track 2 layout).
type Track2 struct {
	PAN           string
	Expiry        string // YYMM
	ServiceCode   string // 3 digits
	Discretionary string
}

// MaxTrack2Len is the longest Track 2 Equivalent Data (57) EMV allows:
// 19 bytes (Book 3 Annex A), 37 characters plus one F pad nibble.
const MaxTrack2Len = 19

const track2Field = "Track 2 Equivalent Data"

func track2Error(part string, pos int, err error, detail string) error {
	return &DataError{Field: track2Field, Part: part, Pos: pos, Err: err, Detail: detail}
}

// ParseTrack2 reads Track 2 Equivalent Data: PAN (1-19 digits), D,
// expiry YYMM (month 01-12), service code (3 digits), discretionary
// digits, and one trailing F when needed to fill the last byte. Errors
// name the part that is wrong and the nibble.
func ParseTrack2(b []byte) (Track2, error) {
	var t Track2
	if len(b) > MaxTrack2Len {
		return t, track2Error("", -1, ErrTooManyDigits, fmt.Sprintf("%d bytes, at most %d", len(b), MaxTrack2Len))
	}
	n := 2 * len(b)
	if n > 0 && nibble(b, n-1) == 0x0F {
		n-- // the pad nibble
	}
	sep := -1
	for i := 0; i < n && sep < 0; i++ {
		switch d := nibble(b, i); {
		case d == 0x0D:
			sep = i
		case d > 9:
			return t, track2Nibble("PAN", i, d)
		}
	}
	if err := checkTrack2Parts(sep, n); err != nil {
		return t, err
	}
	for i := sep + 1; i < n; i++ {
		if d := nibble(b, i); d > 9 {
			return t, track2Nibble(track2Part(i-sep-1), i, d)
		}
	}
	s := nibbleString(b, n)
	t = Track2{PAN: s[:sep], Expiry: s[sep+1 : sep+5], ServiceCode: s[sep+5 : sep+8], Discretionary: s[sep+8:]}
	if m := t.Expiry[2:]; m < "01" || m > "12" {
		return Track2{}, track2Error("expiry date", sep+3, ErrInvalidDate, "month "+m)
	}
	return t, nil
}

func track2Nibble(part string, i int, d byte) error {
	if d == 0x0F {
		return track2Error(part, i, ErrPadding, "F padding before the end")
	}
	if d == 0x0D {
		return track2Error(part, i, ErrNotDigit, "second separator D")
	}
	return track2Error(part, i, ErrNotDigit, fmt.Sprintf("nibble %X is not a digit", d))
}

// checkTrack2Parts checks where the separator is and that the fixed
// fields after it are complete.
func checkTrack2Parts(sep, n int) error {
	switch {
	case sep < 0:
		return track2Error("separator", -1, ErrSeparator, "")
	case sep == 0:
		return track2Error("PAN", 0, ErrTooFewDigits, "no PAN digits before the separator")
	case sep > MaxPANDigits:
		return track2Error("PAN", MaxPANDigits, ErrTooManyDigits, fmt.Sprintf("%d digits, at most 19", sep))
	case n < sep+5:
		return track2Error("expiry date", n, ErrTooFewDigits, "fewer than 4 digits")
	case n < sep+8:
		return track2Error("service code", n, ErrTooFewDigits, "fewer than 3 digits")
	}
	return nil
}

// track2Part names the part at offset k after the separator.
func track2Part(k int) string {
	switch {
	case k < 4:
		return "expiry date"
	case k < 7:
		return "service code"
	}
	return "discretionary data"
}

// nibbleString returns the first n nibbles of b as characters 0-9, D, F.
func nibbleString(b []byte, n int) string {
	const hexDigits = "0123456789ABCDEF"
	out := make([]byte, n)
	for i := range out {
		out[i] = hexDigits[nibble(b, i)]
	}
	return string(out)
}

// Encode returns the Track 2 Equivalent Data bytes, with a trailing F
// when the number of characters is odd. It does not validate: encode only
// a Track2 that came from ParseTrack2 or passed Validate (a character that
// is not a digit would be encoded as F).
func (t Track2) Encode() []byte {
	return packNibbles(t.PAN + "D" + t.Expiry + t.ServiceCode + t.Discretionary)
}

// Validate checks t the way ParseTrack2 checks the bytes.
func (t Track2) Validate() error {
	s := t.PAN + "D" + t.Expiry + t.ServiceCode + t.Discretionary
	if len(t.Expiry) != 4 || len(t.ServiceCode) != 3 || checkDigits(t.PAN+t.Expiry+t.ServiceCode+t.Discretionary) >= 0 {
		return track2Error("", -1, ErrNotDigit, "fields must be digits: PAN, 4-digit expiry, 3-digit service code")
	}
	if (len(s)+1)/2 > MaxTrack2Len {
		return track2Error("", -1, ErrTooManyDigits, fmt.Sprintf("%d characters, at most 37", len(s)))
	}
	_, err := ParseTrack2(packNibbles(s))
	return err
}

// String shows t with the PAN masked as MaskPAN does and the
// discretionary data (which holds card verification values) replaced by
// '*': "537505******0110D2403221*************".
func (t Track2) String() string {
	return MaskPAN(t.PAN) + "D" + t.Expiry + t.ServiceCode + strings.Repeat("*", len(t.Discretionary))
}

// ExpiryDate returns the last day of the expiry month, the date after
// which the card is expired.
func (t Track2) ExpiryDate() (Date, error) {
	if len(t.Expiry) != 4 || checkDigits(t.Expiry) >= 0 {
		return Date{}, track2Error("expiry date", -1, ErrNotDigit, "want 4 digits YYMM")
	}
	y, m := centuryYear(int(t.Expiry[0]-'0')*10+int(t.Expiry[1]-'0')), int(t.Expiry[2]-'0')*10+int(t.Expiry[3]-'0')
	if m < 1 || m > 12 {
		return Date{}, track2Error("expiry date", -1, ErrInvalidDate, "month "+t.Expiry[2:])
	}
	return Date{y, m, daysIn(y, m)}, nil
}

// MaskTrack2 renders Track 2 Equivalent Data for display with the PAN
// masked and the discretionary data replaced by '*', keeping the
// separator and pad nibbles: "537505******0110D2403221*************F".
// Data that does not parse as track 2 is shown as one '*' per nibble.
func MaskTrack2(b []byte) string {
	t, err := ParseTrack2(b)
	if err != nil {
		return strings.Repeat("*", 2*len(b))
	}
	s := t.String()
	if len(s)%2 == 1 {
		s += "F"
	}
	return s
}

// Date is a calendar date as EMV carries it in format n6 YYMMDD
// (Transaction Date 9A, Application Expiration and Effective Dates 5F24,
// 5F25).
type Date struct {
	Year, Month, Day int
}

// centuryYear expands a two-digit year: 00-49 are 2000-2049 and 50-99 are
// 1950-1999 (EMV 4.4 Book 4 §6.7.3).
func centuryYear(yy int) int {
	if yy < 50 {
		return 2000 + yy
	}
	return 1900 + yy
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ParseDate reads a 3-byte n6 YYMMDD date, checking the digits, the month
// and the day of the month (leap years included).
func ParseDate(b []byte) (Date, error) {
	if len(b) != 3 {
		return Date{}, fieldLengthError("date (n6 YYMMDD)", 3, len(b))
	}
	// The digits are read in place: the kernel reads dates on every
	// transaction, so the success path does not allocate.
	var digits [6]byte
	for i, c := range b {
		if c>>4 > 9 || c&0x0F > 9 {
			return Date{}, dateNibbleError(b)
		}
		digits[2*i], digits[2*i+1] = '0'+c>>4, '0'+c&0x0F
	}
	return parseYYMMDD(digits[:])
}

// dateNibbleError is DecodeNumeric's error for b, named as a date.
func dateNibbleError(b []byte) error {
	_, err := DecodeNumeric(b)
	if e := (*DataError)(nil); errors.As(err, &e) {
		e.Field = "date (n6 YYMMDD)"
		return e
	}
	return err
}

// ParseDateString reads a date written as the six digits YYMMDD.
func ParseDateString(s string) (Date, error) {
	if len(s) != 6 {
		return Date{}, &DataError{Field: "date (YYMMDD)", Pos: -1, Err: ErrFieldLength,
			Detail: fmt.Sprintf("%d characters, want 6", len(s))}
	}
	if i := checkDigits(s); i >= 0 {
		return Date{}, notDigit("date (YYMMDD)", s, i)
	}
	return parseYYMMDD([]byte(s))
}

// parseYYMMDD reads six ASCII digits, already checked, as a date.
func parseYYMMDD(s []byte) (Date, error) {
	two := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	d := Date{centuryYear(two(0)), two(2), two(4)}
	if d.Month < 1 || d.Month > 12 {
		return Date{}, &DataError{Field: "date", Part: "month", Pos: 2, Err: ErrInvalidDate, Detail: "month " + string(s[2:4])}
	}
	if d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
		return Date{}, &DataError{Field: "date", Part: "day", Pos: 4, Err: ErrInvalidDate,
			Detail: fmt.Sprintf("day %s of %04d-%02d", string(s[4:]), d.Year, d.Month)}
	}
	return d, nil
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, int(m), d}
}

// Numeric encodes d as n6 YYMMDD (the year modulo 100).
func (d Date) Numeric() [3]byte {
	var out [3]byte
	for i, v := range [3]int{d.Year % 100, d.Month, d.Day} {
		v = max(v, 0) % 100
		out[i] = byte(v/10)<<4 | byte(v%10)
	}
	return out
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	for _, c := range [3][2]int{{d.Year, o.Year}, {d.Month, o.Month}, {d.Day, o.Day}} {
		if c[0] != c[1] {
			if c[0] < c[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns the date as ISO 8601: "2026-11-27".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }
