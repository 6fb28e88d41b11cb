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
// rule (00–49 are 20xx). A malformed MMYY is an error.
func certExpired(mmyy []byte, date time.Time) (bool, error) {
	s, err := emv.DecodeNumeric(mmyy)
	if err != nil || len(s) != 4 {
		return true, fmt.Errorf("expiry %X is not MMYY", mmyy)
	}
	first, err := emv.ParseDateString(s[2:] + s[:2] + "01")
	if err != nil {
		return true, fmt.Errorf("expiry %X is not a valid MMYY", mmyy)
	}
	firstAfter := dateTime(first).AddDate(0, 1, 0)
	return !day(date).Before(firstAfter), nil
}
