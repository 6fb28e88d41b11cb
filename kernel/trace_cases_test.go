package kernel_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// loadConfig reads a configuration of testdata/config with a fixed clock
// and random source.
func loadConfig(t testing.TB, name string, now time.Time) *kernel.Config {
	t.Helper()
	c, err := kernel.LoadConfig("../testdata/config/" + name)
	if err != nil {
		t.Fatal(err)
	}
	c.Rand = repeatReader(0x11)
	c.Clock = func() time.Time { return now }
	return c
}

func traceCases() []*traceCase {
	return append([]*traceCase{realMastercard()}, simTraces...)
}

// realMastercard is the Mastercard debit card of shared/refs/VECTORS.md
// ("A real card") read through the whole kernel: its published FCI, GPO
// response and records, its real certificates recovered with Mastercard's
// production CA key 05, its CVM list, action codes and CDOLs. Two answers
// were never published and are added, marked as such in the trace: the
// contact PSE (the card was read over the contactless interface) and the
// first GENERATE AC, answered with an AAC — the one answer that carries no
// CDA signature, which only the card's private key could make.
func realMastercard() *traceCase {
	date := time.Date(2023, 6, 1, 10, 0, 0, 0, time.UTC) // inside 5F25 220301 – 5F24 240331
	return &traceCase{
		name: "Mastercard-RealCard",
		header: `A real Mastercard debit card read through the kernel (terminal in
Germany, EUR 10.00, 2023-06-01, testdata/config/mastercard-de.json).
The FCI, GPO response and the four records are published, copied byte for
byte from MichaelsPlayground/TalkToYourCreditCardPart7, file
"docs/talk aab m mc debit.html" (commit 6f258af98fc022ccf1763132d70ea5f5c936cfff),
also in testdata/traces/Mastercard-ContactlessRead. The two answers marked
ADDED were written for the test: the contact PSE (6A82, the card was read
contactless) and the first GENERATE AC (an AAC, which needs no CDA
signature: only the card's key could sign a TC or ARQC).`,
		config: func(t testing.TB) *kernel.Config { return loadConfig(t, "mastercard-de.json", date) },
		params: kernel.Params{Amount: 1000},
		source: func(t testing.TB) (apdu.Transport, func(int) string, *kernel.Config) {
			f, err := os.Open(traceDir + "/Mastercard-ContactlessRead")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ex, err := apdu.ParseTrace(f)
			if err != nil {
				t.Fatal(err)
			}
			c := &servedCard{published: ex, source: "TalkToYourCreditCardPart7"}
			c.added = map[string]struct {
				resp []byte
				why  string
			}{
				"00A40400": {h("6A82"), "no contact PSE published"},
				"80AE9000": {cat(tlv(0x77, tlv(0x9F27, h("00")), tlv(0x9F36, h("0042")), tlv(0x9F26, h("1122334455667788")),
					tlv(0x9F10, h("0110A00003220000000000000000000000FF"))), h("9000")), "an AAC (never published)"},
			}
			return c, func(i int) string { return c.notes[i] }, nil
		},
		check: func(t *testing.T, o *kernel.Outcome, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if o.Result != kernel.ResultDeclined || !bytes.Equal(o.AID, h("A0000000041010")) || o.APDUs != 9 {
				t.Errorf("result %s (%s), AID %X, %d APDUs", o.Result, o.Reason, o.AID, o.APDUs)
			}
			// The real issuer and ICC certificates were recovered with the
			// production key: CDA was under way and nothing failed.
			if o.ODA != kernel.ODACDA || o.ODAError != "" || !o.TSI.Has(emv.TSIODAPerformed) ||
				o.TVR.Has(emv.TVRCDAFailed) || o.TVR.Has(emv.TVRICCDataMissing) {
				t.Errorf("ODA %s (%s), TVR %s", o.ODA, o.ODAError, o.TVR)
			}
			// CVM list 42 03, 1E 03, 1F 03: no PIN pad, so signature.
			if o.CVMResults != (emv.CVMResults{0x1E, 0x03, 0x00}) || !o.TVR.Has(emv.TVRPINPadNotPresentOrNotWorking) || !o.Signature {
				t.Errorf("CVM results %X, TVR %s", o.CVMResults[:], o.TVR)
			}
			// IAC online B470848000 and the terminal's FC50BCF800 against a
			// floor limit of 0: an ARQC was asked for, with CDA.
			if !o.TVR.Has(emv.TVRFloorLimitExceeded) || o.CID.Type() != emv.CryptogramAAC {
				t.Errorf("TVR %s CID %v", o.TVR, o.CID)
			}
		},
	}
}
