package issuer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/emv"
)

// TestParseCCD decodes CVRs in IAD format A, bit by bit, with the
// positions of EMV Book 3 Annex C (C7.3) as lumag/emv-tools decodes them
// (emv_tags.c, EMV_CVR).
func TestParseCCD(t *testing.T) {
	// 0F, CCI A5 (format A, CVN 5), DKI 01, CVR, counters, 0F, 15 zeros.
	iad := func(cvr string) []byte {
		return h(t, "0FA501"+cvr+"0000000000000000"+"0F"+strings.Repeat("00", 15))
	}
	tests := []struct {
		cvr   string
		check func(c *CVR) bool
	}{
		{"A000000000", func(c *CVR) bool {
			return c.FirstAC == emv.CryptogramARQC && !c.SecondACRequested && c.PINTryCounter == 0 && !c.OfflinePINPerformed
		}},
		{"5800000000", func(c *CVR) bool { // second TC, first TC, CDA
			return c.FirstAC == emv.CryptogramTC && c.SecondACRequested && c.SecondAC == emv.CryptogramTC && c.CDAPerformed && !c.DDAPerformed
		}},
		{"0700000000", func(c *CVR) bool { // AAC, AAC, DDA, issuer auth not performed and failed
			return c.FirstAC == emv.CryptogramAAC && c.SecondAC == emv.CryptogramAAC && c.DDAPerformed && c.IssuerAuthNotPerformed && c.IssuerAuthFailed
		}},
		{"A03C000000", func(c *CVR) bool { // PTC 3, offline PIN performed and failed
			return c.PINTryCounter == 3 && c.OfflinePINPerformed && c.OfflinePINFailed && !c.PINTryLimitExceeded
		}},
		{"A003000000", func(c *CVR) bool { return c.PINTryLimitExceeded && c.LastOnlineNotCompleted && c.PINTryCounter == 0 }},
		{"A000100000", func(c *CVR) bool { return c.OfflineLimitsExceeded }},
		{"A000080000", func(c *CVR) bool { return !c.OfflineLimitsExceeded }}, // issuer-discretionary bit
		{"A000001F00", func(c *CVR) bool {
			return c.ScriptsLast == 1 && c.ScriptFailedLast && c.ODAFailedLast && c.GoOnlineNext && c.UnableToGoOnline
		}},
	}
	for _, tt := range tests {
		c, err := parseCVR("ccd", iad(tt.cvr))
		if err != nil {
			t.Fatalf("%s: %v", tt.cvr, err)
		}
		if !tt.check(c) || c.CVN != 5 || !bytes.Equal(c.Raw, h(t, tt.cvr)) {
			t.Errorf("CVR %s decoded as %+v", tt.cvr, c)
		}
	}
	for _, bad := range []string{"", "0FA501A0000000", "0EA501A000000000", "0F9501A000000000"} {
		if _, err := parseCVR("ccd", h(t, bad)); err == nil {
			t.Errorf("IAD %s accepted", bad)
		}
	}
}

// TestParseVIS decodes the VIS CVR (VIS 1.4 Annex A; the byte 1 bits as
// paymentcardtools.com's IAD decoder names them, byte 2 and 3 as
// binaryfoo/emv-bertlv VisaCardVerificationResultsDecoder).
func TestParseVIS(t *testing.T) {
	tests := []struct {
		iad   string
		check func(c *CVR) bool
	}{
		{"06010A03A06010", func(c *CVR) bool { // the pyemv CVN 10 vector
			return c.CVN == 10 && c.FirstAC == emv.CryptogramARQC && !c.SecondACRequested && c.PINTryLimitExceeded &&
				c.OfflineLimitsExceeded && c.ScriptsLast == 1 && !c.NewCard
		}},
		{"06011203A0B800", func(c *CVR) bool { // the pyemv CVN 18 vector
			return c.CVN == 18 && c.LastOnlineNotCompleted && c.OfflineLimitsExceeded && c.NewCard && c.IssuerAuthFailedLast && !c.PINTryLimitExceeded
		}},
		{"070101036F00000400", func(c *CVR) bool { // PBOC IAD as cardsim writes it: second TC, first ARQC, auth failed, PIN performed and failed, unable to go online
			return c.SecondACRequested && c.SecondAC == emv.CryptogramTC && c.FirstAC == emv.CryptogramARQC &&
				c.IssuerAuthFailed && c.OfflinePINPerformed && c.OfflinePINFailed && c.UnableToGoOnline
		}},
		{"070101039F050E0400", func(c *CVR) bool {
			return c.IssuerAuthNotPerformed && c.ODAFailedLast && c.DDAPerformed && c.ScriptFailedLast && c.PINTryCounter == -1
		}},
	}
	for _, tt := range tests {
		c, err := parseCVR("vis", h(t, tt.iad))
		if err != nil {
			t.Fatalf("%s: %v", tt.iad, err)
		}
		if !tt.check(c) {
			t.Errorf("IAD %s decoded as %+v", tt.iad, c)
		}
	}
	for _, bad := range []string{"", "06010A", "06010A02A060", "06010A05A06010"} {
		if _, err := parseCVR("vis", h(t, bad)); err == nil {
			t.Errorf("IAD %s accepted", bad)
		}
	}
}

func TestOfflinePINClaimed(t *testing.T) {
	for cvm, want := range map[string]bool{
		"410302": true, "010002": true, "030002": true, "440302": true, "050002": true,
		"410301": false, "420302": false, "1E0300": false, "3F0000": false, "4103": false,
	} {
		if got := offlinePINClaimed(h(t, cvm)); got != want {
			t.Errorf("9F34 %s: %v, want %v", cvm, got, want)
		}
	}
}

func TestConditionNames(t *testing.T) {
	names := ConditionNames()
	if len(names) != len(conditions) || !strings.HasPrefix(names[3], "cvm_mismatch: ") {
		t.Errorf("%q", names)
	}
}
