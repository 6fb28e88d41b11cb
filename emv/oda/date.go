package oda

import (
	"fmt"
	"time"
)

// Two-digit years follow the usual EMV terminal rule (Book 4 §6.7.3's
// advice for 5F24): 00–49 are 2000–2049, 50–99 are 1950–1999.
func century(yy int) int {
	if yy < 50 {
		return 2000 + yy
	}
	return 1900 + yy
}

// bcd2 decodes one packed BCD byte, reporting whether both nibbles are digits.
func bcd2(b byte) (int, bool) {
	hi, lo := int(b>>4), int(b&0x0F)
	return hi*10 + lo, hi <= 9 && lo <= 9
}

// ParseDate parses a date written YYMMDD (digits, as --date takes it) into
// midnight UTC of that day.
func ParseDate(s string) (time.Time, error) {
	if len(s) != 6 {
		return time.Time{}, fmt.Errorf("oda: date %q is not YYMMDD", s)
	}
	var v [3]int
	for i := range v {
		hi, lo := s[2*i]-'0', s[2*i+1]-'0'
		if hi > 9 || lo > 9 {
			return time.Time{}, fmt.Errorf("oda: date %q is not YYMMDD", s)
		}
		v[i] = int(hi)*10 + int(lo)
	}
	return makeDate(v[0], v[1], v[2], s)
}

// dateFromBCD decodes a packed BCD YYMMDD (n 6, like 9A or 5F24).
func dateFromBCD(b []byte) (time.Time, error) {
	if len(b) != 3 {
		return time.Time{}, fmt.Errorf("oda: date %X is not 3 bytes", b)
	}
	var v [3]int
	for i := range v {
		d, ok := bcd2(b[i])
		if !ok {
			return time.Time{}, fmt.Errorf("oda: date %X is not BCD", b)
		}
		v[i] = d
	}
	return makeDate(v[0], v[1], v[2], fmt.Sprintf("%X", b))
}

func makeDate(yy, mm, dd int, src string) (time.Time, error) {
	t := time.Date(century(yy), time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if mm < 1 || mm > 12 || t.Day() != dd {
		return time.Time{}, fmt.Errorf("oda: date %s is not a calendar date", src)
	}
	return t, nil
}

// day truncates t to its calendar date (in t's own location) as midnight UTC,
// so that dates compare by day whatever clock produced them.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// certExpired reports whether a certificate expiry MMYY (packed BCD) lies
// before the transaction date: Book 2 §5.3 step 9 — the certificate is
// valid through the last day of its month. A malformed MMYY is an error.
func certExpired(mmyy []byte, date time.Time) (bool, error) {
	if len(mmyy) != 2 {
		return true, fmt.Errorf("expiry %X is not MMYY", mmyy)
	}
	mm, ok1 := bcd2(mmyy[0])
	yy, ok2 := bcd2(mmyy[1])
	if !ok1 || !ok2 || mm < 1 || mm > 12 {
		return true, fmt.Errorf("expiry %X is not a valid MMYY", mmyy)
	}
	firstAfter := time.Date(century(yy), time.Month(mm)+1, 1, 0, 0, 0, 0, time.UTC)
	return !day(date).Before(firstAfter), nil
}
