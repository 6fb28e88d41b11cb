package oda

import (
	"fmt"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

// dateTime returns midnight UTC of an EMV date.
func dateTime(d emv.Date) time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// parseYYMMDD reads a date written as six digits (CA key expiry, --date).
func parseYYMMDD(s string) (time.Time, error) {
	d, err := emv.ParseDateString(s)
	if err != nil {
		return time.Time{}, err
	}
	return dateTime(d), nil
}

// day truncates t to its calendar date (in t's own location) as midnight UTC,
// so that dates compare by day whatever clock produced them.
func day(t time.Time) time.Time { return dateTime(emv.DateOf(t)) }

// certExpired reports whether a certificate expiry MMYY (packed BCD) lies
// before the transaction date: Book 2 §5.3 step 9 — the certificate is
// valid through the last day of its month. Two-digit years follow emv's
// rule (00–49 are 20xx, EMV 4.4 Book 4 §6.7.3). A malformed MMYY is an
// error. It reads the digits in place: it runs in every transaction.
func certExpired(mmyy [2]byte, date time.Time) (bool, error) {
	if !bcd(mmyy[0]) || !bcd(mmyy[1]) {
		return true, fmt.Errorf("expiry %X is not MMYY", mmyy)
	}
	month := int(mmyy[0]>>4)*10 + int(mmyy[0]&0x0F)
	year := int(mmyy[1]>>4)*10 + int(mmyy[1]&0x0F)
	if month < 1 || month > 12 {
		return true, fmt.Errorf("expiry %X is not a valid MMYY", mmyy)
	}
	if year < 50 {
		year += 2000
	} else {
		year += 1900
	}
	// Expired from the first day of the following month on: when the
	// transaction's month (in the date's own location) is later.
	y, m, _ := date.Date()
	return y*12+int(m) > year*12+month, nil
}

// bcd reports whether both nibbles of b are decimal digits.
func bcd(b byte) bool { return b>>4 <= 9 && b&0x0F <= 9 }
