package kernel_test

import (
	"context"
	"errors"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim/attack"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// TestAttacks runs the kernel against every misbehaving card of
// cardsim/attack in front of the simulated dual-cn card, and checks the
// defence: a termination, a failed check in the TVR, or a decline.
func TestAttacks(t *testing.T) {
	cases := []struct {
		name     string
		country  string // CN (domestic application) or US (international)
		rules    []attack.Rule
		t0       bool // behind apdu.T0
		err      error
		result   kernel.Result
		tvr      []emv.TVRBit
		reversal bool
		check    func(t *testing.T, o *kernel.Outcome)
	}{
		{name: "wedge: VERIFY answered by the wedge", country: "CN", rules: []attack.Rule{attack.Wedge()},
			// The terminal believes the PIN was verified; the issuer sees the
			// CVM Results (9F34, in DE 55) contradict the card's CVR and declines.
			result: kernel.ResultOnlineDeclined,
			check: func(t *testing.T, o *kernel.Outcome) {
				if o.CVMResults.Result() != emv.CVMResultSuccessful {
					t.Errorf("CVM Results %s", o.CVMResults)
				}
				if v, ok := emv.Find(o.DataRecord, 0x9F34); !ok || v[2] != 0x02 {
					t.Error("the data record does not carry the CVM Results")
				}
			}},
		{name: "brand mixup: UnionPay shown as American Express", country: "US",
			rules: attack.BrandMixup(aidAmex, aidUP), err: kernel.ErrBrandMismatch, result: kernel.ResultTerminated},
		{name: "DF name swapped at final SELECT", country: "US",
			rules: []attack.Rule{attack.DFNameSwap(aidAmex, h("A000000025010499"))}, result: kernel.ResultOnlineApproved,
			check: func(t *testing.T, o *kernel.Outcome) {
				if len(o.Selection.Removed) != 1 || string(o.AID) != string(aidUP) {
					t.Errorf("selected %X, removed %+v: the swapped application must be dropped", o.AID, o.Selection.Removed)
				}
			}},
		{name: "CDA signature stripped", country: "US", rules: []attack.Rule{attack.StripCDA()},
			result: kernel.ResultDeclined, tvr: []emv.TVRBit{emv.TVRCDAFailed}},
		{name: "CDA request cleared, format 1 answer", country: "US", rules: []attack.Rule{attack.WithoutCDA(true)},
			result: kernel.ResultDeclined, tvr: []emv.TVRBit{emv.TVRCDAFailed}},
		// The AIP is signed (static data, 9F4A = 82) and in the ARQC's
		// input: SDA fails, and the issuer, recomputing the ARQC with the
		// AIP of DE 55, declines.
		{name: "AIP downgraded to SDA", country: "CN", rules: []attack.Rule{attack.AIPDowngrade(0x2100)},
			result: kernel.ResultOnlineDeclined, tvr: []emv.TVRBit{emv.TVRSDASelected, emv.TVRSDAFailed}},
		{name: "AIP downgraded to no ODA", country: "US", rules: []attack.Rule{attack.AIPDowngrade(0x6100)},
			result: kernel.ResultOnlineDeclined, tvr: []emv.TVRBit{emv.TVROfflineDataAuthNotPerformed}},
		// The ICC certificate no longer verifies over the static data:
		// "CDA failed" goes to the issuer in the TVR (the card's IAC-Online
		// BC70BC9800 sends it online; this issuer approves).
		{name: "ODA record changed", country: "US",
			rules:  []attack.Rule{attack.ChangeRecord(2, 1, 1, attack.Edit{Tag: 0x5F24, Value: h("351231")})},
			result: kernel.ResultOnlineApproved, tvr: []emv.TVRBit{emv.TVRCDAFailed},
			check: func(t *testing.T, o *kernel.Outcome) {
				if v, ok := emv.Find(o.DataRecord, 0x95); !ok || v[0]&0x04 == 0 {
					t.Error("the data record's TVR does not say CDA failed")
				}
				// Without the ICC key the offline enciphered PIN (44 03)
				// cannot be sent: the next rule, plaintext PIN, is used.
				if o.CVMError == "" || o.CVMResults.Method() != 0x01 {
					t.Errorf("CVM %s, CVM error %q", o.CVMResults, o.CVMError)
				}
			}},
		{name: "ODA record changed on a second reading (never read twice)", country: "US",
			rules:  []attack.Rule{attack.ChangeRecord(2, 1, 2, attack.Edit{Tag: 0x5F24, Value: h("351231")})},
			result: kernel.ResultOnlineApproved},
		{name: "61xx for ever", country: "CN", rules: attack.GetResponseForever(0x10), t0: true,
			err: apdu.ErrTooManyGetResponse, result: kernel.ResultTerminated},
		{name: "card removed during selection", country: "CN", rules: []attack.Rule{attack.RemoveAt(3)},
			err: attack.ErrCardRemoved, result: kernel.ResultTerminated},
		{name: "card removed at the second GENERATE AC", country: "US", rules: []attack.Rule{removeAtINS(0xAE, 2)},
			err: attack.ErrCardRemoved, result: kernel.ResultTerminated, reversal: true},
		{name: "garbage answer", country: "CN", rules: []attack.Rule{attack.FaultAt(6, attack.FaultGarbage)},
			err: kernel.ErrCardStatus, result: kernel.ResultTerminated},
		{name: "short answer", country: "CN", rules: []attack.Rule{attack.FaultAt(6, attack.FaultShort)},
			err: apdu.ErrMalformedResponse, result: kernel.ResultTerminated},
		{name: "empty answer", country: "CN", rules: []attack.Rule{attack.FaultAt(4, attack.FaultEmpty)},
			err: apdu.ErrMalformedResponse, result: kernel.ResultTerminated},
		{name: "6F00 to GET PROCESSING OPTIONS", country: "CN", rules: []attack.Rule{attack.FaultAt(6, "6F00")},
			err: kernel.ErrCardStatus, result: kernel.ResultTerminated},
		{name: "PAN duplicated in a record", country: "CN",
			rules: []attack.Rule{{Match: attack.Match{INS: ptr(attack.Byte(0xB2)), P2: ptr(attack.Byte(0x14)), Nth: 1},
				Action: attack.Action{ResponseEdits: attack.ResponseEdits{Duplicate: []attack.Tag{0x5A}}}}},
			err: kernel.ErrCardData, result: kernel.ResultTerminated},
		{name: "record overrun", country: "CN",
			rules: []attack.Rule{{Match: attack.Match{INS: ptr(attack.Byte(0xB2)), P2: ptr(attack.Byte(0x14)), Nth: 1},
				Action: attack.Action{ResponseEdits: attack.ResponseEdits{Overrun: attack.Tag(0x5A)}}}},
			err: kernel.ErrCardData, result: kernel.ResultTerminated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, "dual-cn")
			currency := map[string]string{"CN": "CNY", "US": "USD"}[c.country]
			cfg := s.config(t, c.country, currency, kernel.PolicyDomesticPreference)
			at, err := attack.New(s.card, c.rules...)
			if err != nil {
				t.Fatal(err)
			}
			var card apdu.Transport = at
			if c.t0 {
				card = apdu.T0(at)
			}
			tx, _ := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 2500})
			o, err := tx.Run(context.Background())
			if cerr := checkEnding(o, err); cerr != nil {
				t.Fatal(cerr)
			}
			if c.err != nil && !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if c.err == nil && err != nil {
				t.Fatalf("err = %v", err)
			}
			if o.Result != c.result || o.Reversal != c.reversal {
				t.Errorf("result %s (%s), reversal %v; want %s, %v", o.Result, o.Reason, o.Reversal, c.result, c.reversal)
			}
			for _, b := range c.tvr {
				if !o.TVR.Has(b) {
					t.Errorf("TVR %s lacks %v", o.TVR, b)
				}
			}
			if c.check != nil {
				c.check(t, o)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// removeAtINS removes the card at the n-th command with this INS.
func removeAtINS(ins byte, n int) attack.Rule {
	return attack.Rule{Name: "removal", Match: attack.Match{INS: ptr(attack.Byte(ins)), Nth: n},
		Action: attack.Action{Fault: attack.FaultRemoved}}
}
