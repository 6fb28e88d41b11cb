package kernel_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// simCAPK holds the test CA keys of the simulated dual-cn card (seed 1),
// written when the traces are recorded.
const simCAPK = "testdata/dual-cn-capk.txt"

const simHeader = `Recorded from the simulated card of package cardsim: built-in profile
dual-cn personalised with seed 1 (cardsim.SeededReader(1)), card randomness
seed 2; its issuer host (cardsim/issuer) answered the authorisation, as the
host-response lines say. Test CA keys: kernel/testdata/dual-cn-capk.txt.
Terminal: kernel.DefaultConfig with a fixed clock (2025-06-15 12:34:56) and
random source (11 repeated).`

// profilePINs is the cardholder of the dual-cn card, who knows its PINs.
func profilePINs(t testing.TB) pinByPAN {
	p, err := cardsim.BuiltinProfile("dual-cn")
	if err != nil {
		t.Fatal(err)
	}
	m := pinByPAN{}
	for _, a := range p.Applications {
		m[a.PAN] = a.PIN
	}
	return m
}

// simTerminal is the terminal of a simulated-card trace at replay.
func simTerminal(country, currency string, edit func(*kernel.Config)) func(testing.TB) *kernel.Config {
	return func(t testing.TB) *kernel.Config {
		c := testConfig(t, country, currency)
		c.Selection.Policy = kernel.PolicyDomesticPreference
		keys, err := kernel.LoadCAKeys(simCAPK)
		if err != nil {
			t.Fatalf("%v (record the traces with -update)", err)
		}
		c.CAKeys, c.PINPad, c.Cardholder = keys, profilePINs(t), kernel.AcceptProposal{}
		if edit != nil {
			edit(c)
		}
		return c
	}
}

// simSource records from a fresh dual-cn card, after warm-up
// transactions when given, and saves the test CA keys.
func simSource(terminal func(testing.TB) *kernel.Config, warmUp ...kernel.Params) func(testing.TB) (apdu.Transport, func(int) string, *kernel.Config) {
	return func(t testing.TB) (apdu.Transport, func(int) string, *kernel.Config) {
		s := newSim(t, "dual-cn")
		text, err := cardsim.CAPKText(s.keys)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(simCAPK, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := terminal(t)
		cfg.CAKeys, cfg.Host = s.store, s.host
		for _, p := range warmUp {
			tx, _ := kernel.NewTransaction(cfg, s.card, p)
			if o, err := tx.Run(context.Background()); err != nil || o.Result != kernel.ResultOnlineApproved {
				t.Fatalf("warm-up: %v %v", o.Result, err)
			}
			s.card.Reset()
		}
		return s.card, nil, cfg
	}
}

func init() {
	simTraces = []*traceCase{
		dualCase("Dual-China-DomesticPreference", "CN", "CNY", 8800, nil, nil, func(t *testing.T, o *kernel.Outcome) {
			wantOutcome(t, o, kernel.ResultOnlineApproved, aidUP, kernel.RuleDomesticPreference, kernel.ODASM2)
			if o.CVMResults.Method() != 0x01 || !o.TSI.Has(emv.TSIIssuerAuthenticationPerformed) {
				t.Errorf("CVM %s, TSI %s", o.CVMResults, o.TSI)
			}
		}),
		dualCase("Dual-USA-DomesticPreference", "US", "USD", 2500, nil, nil, func(t *testing.T, o *kernel.Outcome) {
			wantOutcome(t, o, kernel.ResultOnlineApproved, aidAmex, kernel.RuleDomesticPreference, kernel.ODACDA)
			if o.CVMResults.Method() != 0x04 { // offline enciphered PIN
				t.Errorf("CVM %s", o.CVMResults)
			}
		}),
		dualCase("Dual-GPO6985-Fallback", "CN", "CNY", 8800, func(c *kernel.Config) { c.DisableSM = true }, nil,
			func(t *testing.T, o *kernel.Outcome) {
				// The domestic card refuses a terminal without SM algorithms
				// (DF69 = 00) with 6985: the kernel falls back to the other
				// application.
				wantOutcome(t, o, kernel.ResultOnlineApproved, aidAmex, kernel.RuleOnlyCandidate, kernel.ODACDA)
				if len(o.Selection.Removed) != 1 || !bytes.Equal(o.Selection.Removed[0].AID, aidUP) {
					t.Errorf("removed %+v", o.Selection.Removed)
				}
			}),
		dualCase("Dual-USA-OfflineCDA", "US", "USD", 2500, offlineTerminal, []kernel.Params{{Amount: 100}},
			func(t *testing.T, o *kernel.Outcome) {
				wantOutcome(t, o, kernel.ResultApproved, aidAmex, kernel.RuleDomesticPreference, kernel.ODACDA)
				if o.CID.Type() != emv.CryptogramTC || o.ResponseCode != "Y1" {
					t.Errorf("CID %v ARC %q", o.CID, o.ResponseCode)
				}
			}),
	}
}

var simTraces []*traceCase

// offlineTerminal approves offline when nothing is wrong.
func offlineTerminal(c *kernel.Config) {
	for i := range c.Applications {
		a := &c.Applications[i]
		a.FloorLimit, a.TACOnline, a.TACDefault = 100_000_00, kernel.Hex{0, 0, 0, 0, 0}, kernel.Hex{0, 0, 0, 0, 0}
	}
}

func dualCase(name, country, currency string, amount int64, edit func(*kernel.Config), warmUp []kernel.Params, check func(*testing.T, *kernel.Outcome)) *traceCase {
	term := simTerminal(country, currency, edit)
	return &traceCase{
		name: name, header: simHeader, config: term, params: kernel.Params{Amount: amount},
		source: simSource(term, warmUp...),
		check: func(t *testing.T, o *kernel.Outcome, err error) {
			if err != nil {
				t.Fatal(err)
			}
			check(t, o)
		},
	}
}

func wantOutcome(t *testing.T, o *kernel.Outcome, r kernel.Result, aid []byte, rule kernel.Rule, m kernel.ODAMethod) {
	t.Helper()
	if o.Result != r || !bytes.Equal(o.AID, aid) || o.Selection.Rule != rule || o.ODA != m || !o.ODAOK {
		t.Errorf("%s (%s), AID %X by %s, ODA %s ok %v (%s); want %s, %X by %s, %s ok",
			o.Result, o.Reason, o.AID, o.Selection.Rule, o.ODA, o.ODAOK, o.ODAError, r, aid, rule, m)
	}
}
