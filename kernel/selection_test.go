package kernel_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/kernel"
)

// The selection tests script the card's answers exactly as EMV 4.3 Book 1
// §12 (as summarised in shared/refs/SELECTION.md) makes the terminal ask;
// the strict replayer fails on any other command.

func TestSelectionPolicies(t *testing.T) {
	type want struct {
		aid      []byte
		rule     kernel.Rule
		order    [][]byte
		override bool
		reason   string
	}
	cases := []struct {
		name              string
		country, currency string
		policy            kernel.SelectionPolicy
		pref              kernel.SelectionPolicy
		cardholder        kernel.Cardholder
		upPrio, amexPrio  byte
		want              want
	}{
		{name: "issuer priority takes 87=01", country: "CN", currency: "CNY", upPrio: 2, amexPrio: 1,
			want: want{aid: aidAmex, rule: kernel.RuleIssuerPriority, order: [][]byte{aidAmex, aidUP}, reason: "highest Application Priority Indicator of 2 candidates (87=01)"}},
		{name: "issuer priority, other order", country: "US", currency: "USD", upPrio: 1, amexPrio: 2,
			want: want{aid: aidUP, rule: kernel.RuleIssuerPriority, order: [][]byte{aidUP, aidAmex}}},
		{name: "domestic preference in China picks UnionPay", country: "CN", currency: "CNY", upPrio: 2, amexPrio: 1,
			policy: kernel.PolicyDomesticPreference,
			want:   want{aid: aidUP, rule: kernel.RuleDomesticPreference, order: [][]byte{aidUP, aidAmex}, reason: "equal UICS CREDIT's country and currency"}},
		{name: "domestic preference abroad picks the international app", country: "US", currency: "USD", upPrio: 1, amexPrio: 2,
			policy: kernel.PolicyDomesticPreference,
			want:   want{aid: aidAmex, rule: kernel.RuleDomesticPreference, order: [][]byte{aidAmex, aidUP}, reason: "international application"}},
		{name: "China but in USD is not domestic", country: "CN", currency: "USD", upPrio: 1, amexPrio: 2,
			policy: kernel.PolicyDomesticPreference,
			want:   want{aid: aidAmex, rule: kernel.RuleDomesticPreference, order: [][]byte{aidAmex, aidUP}}},
		{name: "cardholder overrides the proposal", country: "CN", currency: "CNY", upPrio: 2, amexPrio: 1,
			policy: kernel.PolicyCardholderChoice, cardholder: kernel.ChooseAID(aidUP),
			want: want{aid: aidUP, rule: kernel.RuleCardholderChoice, order: [][]byte{aidAmex, aidUP}, override: true, reason: "chose UICS CREDIT over the proposed AMERICAN EXPRESS"}},
		{name: "cardholder accepts a domestic proposal", country: "CN", currency: "CNY", upPrio: 2, amexPrio: 1,
			policy: kernel.PolicyCardholderChoice, pref: kernel.PolicyDomesticPreference, cardholder: kernel.AcceptProposal{},
			want: want{aid: aidUP, rule: kernel.RuleCardholderChoice, order: [][]byte{aidUP, aidAmex}, reason: "accepted the proposed UICS CREDIT"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, tc.country, tc.currency)
			cfg.Selection.Policy, cfg.Selection.Preference, cfg.Cardholder = tc.policy, tc.pref, tc.cardholder
			c := dualPSE(&conv{}, tc.upPrio, tc.amexPrio)
			c.on(apdu.Select(tc.want.aid, false), appFCI(tc.want.aid, "X", 1), 0x9000)
			sel, err := selectOnly(t, cfg, c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sel.AID, tc.want.aid) || sel.Rule != tc.want.rule || sel.Override != tc.want.override || sel.Method != "pse" {
				t.Errorf("selected %X by %s (override %v, %s), want %X by %s (override %v)", sel.AID, sel.Rule, sel.Override, sel.Method, tc.want.aid, tc.want.rule, tc.want.override)
			}
			if len(sel.Candidates) != len(tc.want.order) {
				t.Fatalf("%d candidates, want %d", len(sel.Candidates), len(tc.want.order))
			}
			for i, a := range tc.want.order {
				if !bytes.Equal(sel.Candidates[i].AID, a) {
					t.Errorf("candidate %d is %X, want %X", i, sel.Candidates[i].AID, a)
				}
			}
			if !strings.Contains(sel.Reason, tc.want.reason) {
				t.Errorf("reason %q does not say %q", sel.Reason, tc.want.reason)
			}
		})
	}
}

// declineAll is a cardholder who confirms nothing.
type declineAll struct{}

func (declineAll) ChooseApplication(_ context.Context, _ []kernel.Candidate, p int) (int, error) {
	return p, nil
}
func (declineAll) ConfirmApplication(context.Context, kernel.Candidate) (bool, error) {
	return false, nil
}

func TestSelectionConfirmation(t *testing.T) {
	cases := []struct {
		name       string
		cardholder kernel.Cardholder
		want       []byte
		confirmed  bool
		removed    bool
	}{
		{"no cardholder interface excludes it", nil, aidUP, false, true},
		{"cardholder confirms", kernel.AcceptProposal{}, aidAmex, true, false},
		{"cardholder refuses", declineAll{}, aidUP, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, "CN", "CNY")
			cfg.Cardholder = tc.cardholder
			c := dualPSE(&conv{}, 0x02, 0x81) // Amex first, confirmation required
			c.on(apdu.Select(tc.want, false), appFCI(tc.want, "X", 1), 0x9000)
			sel, err := selectOnly(t, cfg, c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sel.AID, tc.want) || sel.Confirmed != tc.confirmed || (len(sel.Removed) > 0) != tc.removed {
				t.Errorf("got %X confirmed %v removed %v, want %X %v %v", sel.AID, sel.Confirmed, sel.Removed, tc.want, tc.confirmed, tc.removed)
			}
		})
	}
}

func TestSelectionOnlyCandidateNeedingConfirmation(t *testing.T) {
	cfg := testConfig(t, "CN", "CNY")
	c := (&conv{}).on(apdu.SelectPSE(), pseFCI(1), 0x9000).
		on(mustCmd(apdu.ReadRecord(1, 1)), tlv(0x70, dirEntry(aidUP, "UICS", 0x81)), 0x9000).
		on(mustCmd(apdu.ReadRecord(1, 2)), nil, 0x6A83)
	_, err := selectOnly(t, cfg, c)
	var te *kernel.TerminatedError
	if !errors.As(err, &te) || !errors.Is(err, kernel.ErrNotAccepted) || te.Phase != kernel.PhaseSelection {
		t.Fatalf("err = %v, want not accepted in selection", err)
	}
}

func TestFinalSelectRetry(t *testing.T) {
	cases := []struct {
		name   string
		data   []byte
		sw     uint16
		reason string
	}{
		{"SELECT fails", nil, 0x6A82, "6A82"},
		{"application blocked at final SELECT", appFCI(aidAmex, "X", 1), 0x6283, "6283"},
		{"DF name differs", appFCI(h("A000000025010403"), "X", 1), 0x9000, "DF name A000000025010403"},
		{"FCI malformed", h("6F05840300"), 0x9000, "malformed FCI"},
		{"FCI without A5", tlv(0x6F, tlv(0x84, aidAmex)), 0x9000, "malformed FCI"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, "CN", "CNY")
			c := dualPSE(&conv{}, 2, 1)
			c.on(apdu.Select(aidAmex, false), tc.data, tc.sw)
			c.on(apdu.Select(aidUP, false), appFCI(aidUP, "UICS", 2), 0x9000)
			sel, err := selectOnly(t, cfg, c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sel.AID, aidUP) || len(sel.Removed) != 1 || !strings.Contains(sel.Removed[0].Reason, tc.reason) {
				t.Errorf("got %X removed %+v, want UnionPay after removing Amex for %q", sel.AID, sel.Removed, tc.reason)
			}
			if sel.Rule != kernel.RuleOnlyCandidate {
				t.Errorf("rule %s, want only-candidate once Amex is gone", sel.Rule)
			}
		})
	}
}

func TestSelectionTerminates(t *testing.T) {
	cfg := testConfig(t, "CN", "CNY")
	small := *cfg
	small.Applications = cfg.Applications[:1] // Visa A0000000031010 only
	visa := h("A0000000031010")
	cases := []struct {
		name string
		cfg  *kernel.Config
		c    *conv
		want error
		sw   apdu.StatusWord
	}{
		{"PSE 6A81", cfg, (&conv{}).on(apdu.SelectPSE(), nil, 0x6A81), kernel.ErrCardBlocked, 0},
		{"list of AIDs 6A81", &small, (&conv{}).on(apdu.SelectPSE(), nil, 0x6A82).on(apdu.Select(visa, false), nil, 0x6A81), kernel.ErrCardBlocked, 0},
		{"final SELECT 6A81", cfg, dualPSE(&conv{}, 2, 1).on(apdu.Select(aidAmex, false), nil, 0x6A81), kernel.ErrCardBlocked, 0},
		{"no candidate", &small, (&conv{}).on(apdu.SelectPSE(), nil, 0x6A82).on(apdu.Select(visa, false), nil, 0x6A82), kernel.ErrNotAccepted, 0},
		{"every final SELECT fails", cfg, dualPSE(&conv{}, 2, 1).on(apdu.Select(aidAmex, false), nil, 0x6A82).on(apdu.Select(aidUP, false), nil, 0x6A82), kernel.ErrNotAccepted, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := selectOnly(t, tc.cfg, tc.c)
			var te *kernel.TerminatedError
			if !errors.As(err, &te) || !errors.Is(err, tc.want) || te.Phase != kernel.PhaseSelection {
				t.Fatalf("err = %v, want %v in selection", err, tc.want)
			}
			if errors.Is(err, kernel.ErrCardBlocked) && te.SW != 0x6A81 {
				t.Errorf("SW %v, want the card's 6A81", te.SW)
			}
		})
	}
}

// listConfig accepts Visa A0000000031010 with partial matching and
// Mastercard A0000000041010 with exact matching only.
func listConfig(t *testing.T) *kernel.Config {
	cfg := testConfig(t, "CN", "CNY")
	visa, mc := cfg.Applications[0], cfg.Applications[4]
	mc.PartialMatch = false
	cfg.Applications = []kernel.Application{visa, mc}
	return cfg
}

func TestListOfAIDs(t *testing.T) {
	visa, mc := h("A0000000031010"), h("A0000000041010")
	v1, v2, v3 := h("A000000003101001"), h("A000000003101002"), h("A000000003101003")
	cases := []struct {
		name string
		pse  func(*conv) *conv
		card func(*conv) *conv
		want [][]byte
	}{
		{"no PSE, partial matches with SELECT next, blocked one excluded",
			func(c *conv) *conv { return c.on(apdu.SelectPSE(), nil, 0x6A82) },
			func(c *conv) *conv {
				return c.on(apdu.Select(visa, false), appFCI(v1, "VISA 1", 2), 0x9000).
					on(apdu.Select(visa, true), appFCI(v2, "VISA 2", 1), 0x6283).
					on(apdu.Select(visa, true), appFCI(v3, "VISA 3", 1), 0x9000).
					on(apdu.Select(visa, true), nil, 0x6A82).
					on(apdu.Select(mc, false), appFCI(h("A000000004101001"), "MC", 1), 0x9000) // partial, ASI exact: not added
			},
			[][]byte{v3, v1}},
		{"PSE blocked, exact match",
			func(c *conv) *conv { return c.on(apdu.SelectPSE(), nil, 0x6283) },
			func(c *conv) *conv {
				return c.on(apdu.Select(visa, false), nil, 0x6A82).
					on(apdu.Select(mc, false), appFCI(mc, "MC", 0), 0x9000)
			},
			[][]byte{mc}},
		{"exact match blocked is excluded",
			func(c *conv) *conv { return c.on(apdu.SelectPSE(), nil, 0x6A82) },
			func(c *conv) *conv {
				return c.on(apdu.Select(visa, false), appFCI(visa, "VISA", 1), 0x6283).
					on(apdu.Select(mc, false), appFCI(mc, "MC", 0), 0x9000)
			},
			[][]byte{mc}},
		{"PSE without SFI",
			func(c *conv) *conv {
				return c.on(apdu.SelectPSE(), fci([]byte(apdu.PSEName), tlv(0x5F2D, []byte("en"))), 0x9000)
			},
			func(c *conv) *conv {
				return c.on(apdu.Select(visa, false), nil, 0x6A82).on(apdu.Select(mc, false), appFCI(mc, "MC", 0), 0x9000)
			},
			[][]byte{mc}},
		{"PSE FCI malformed",
			func(c *conv) *conv { return c.on(apdu.SelectPSE(), h("6F10"), 0x9000) },
			func(c *conv) *conv {
				return c.on(apdu.Select(visa, false), nil, 0x6A82).on(apdu.Select(mc, false), appFCI(mc, "MC", 0), 0x9000)
			},
			[][]byte{mc}},
		{"empty PSE directory",
			func(c *conv) *conv {
				return c.on(apdu.SelectPSE(), pseFCI(1), 0x9000).on(mustCmd(apdu.ReadRecord(1, 1)), nil, 0x6A83)
			},
			func(c *conv) *conv {
				return c.on(apdu.Select(visa, false), nil, 0x6A82).on(apdu.Select(mc, false), appFCI(mc, "MC", 0), 0x9000)
			},
			[][]byte{mc}},
		{"PSE lists nothing the terminal supports",
			func(c *conv) *conv {
				return c.on(apdu.SelectPSE(), pseFCI(1), 0x9000).
					on(mustCmd(apdu.ReadRecord(1, 1)), tlv(0x70, dirEntry(h("A0000009990101"), "OTHER", 1)), 0x9000).
					on(mustCmd(apdu.ReadRecord(1, 2)), nil, 0x6A83)
			},
			func(c *conv) *conv {
				return c.on(apdu.Select(visa, false), nil, 0x6A82).on(apdu.Select(mc, false), appFCI(mc, "MC", 0), 0x9000)
			},
			[][]byte{mc}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.card(tc.pse(&conv{}))
			c.on(apdu.Select(tc.want[0], false), appFCI(tc.want[0], "X", 0), 0x9000)
			sel, err := selectOnly(t, listConfig(t), c)
			if err != nil {
				t.Fatal(err)
			}
			if sel.Method != "list-of-aids" {
				t.Errorf("method %s", sel.Method)
			}
			if len(sel.Candidates) != len(tc.want) {
				t.Fatalf("candidates %d, want %d", len(sel.Candidates), len(tc.want))
			}
			for i := range tc.want {
				if !bytes.Equal(sel.Candidates[i].AID, tc.want[i]) {
					t.Errorf("candidate %d = %X, want %X", i, sel.Candidates[i].AID, tc.want[i])
				}
			}
		})
	}
}

func TestPSEDirectoryDetails(t *testing.T) {
	cfg := testConfig(t, "CN", "CNY")
	ddf := h("D156000001")
	up2 := h("A000000333010101")
	// Record 1: a malformed entry (skipped), a DDF entry, UnionPay credit
	// without priority. The DDF lists UnionPay debit with priority 3 and a
	// preferred name in code table 1. Record 2 fails (skipped).
	c := (&conv{}).on(apdu.SelectPSE(), pseFCI(1), 0x9000).
		on(mustCmd(apdu.ReadRecord(1, 1)), tlv(0x70, h("61034F01A0"), tlv(0x61, tlv(0x9D, ddf)), dirEntry(aidUP, "UICS CREDIT", 0)), 0x9000).
		on(apdu.Select(ddf, false), fci(ddf, tlv(0x88, []byte{2})), 0x9000).
		on(mustCmd(apdu.ReadRecord(2, 1)), tlv(0x70, dirEntry(up2, "UICS DEBIT", 3, tlv(0x9F12, []byte("Yinlian Debit")), tlv(0x9F11, []byte{1}))), 0x9000).
		on(mustCmd(apdu.ReadRecord(2, 2)), nil, 0x6A83).
		on(mustCmd(apdu.ReadRecord(1, 2)), nil, 0x6985).
		on(mustCmd(apdu.ReadRecord(1, 3)), nil, 0x6A83).
		on(apdu.Select(up2, false), appFCI(up2, "UICS DEBIT", 3), 0x9000)
	sel, err := selectOnly(t, cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Candidates) != 2 || !bytes.Equal(sel.Candidates[0].AID, up2) || !bytes.Equal(sel.Candidates[1].AID, aidUP) {
		t.Fatalf("candidates %+v: want the prioritised debit before the credit without priority", sel.Candidates)
	}
	if sel.Name != "Yinlian Debit" {
		t.Errorf("display name %q, want the preferred name (code table 1 supported)", sel.Name)
	}
}

func TestGPO6985ReturnsToSelection(t *testing.T) {
	cfg := testConfig(t, "CN", "CNY")
	c := dualPSE(&conv{}, 2, 1).
		on(apdu.Select(aidAmex, false), appFCI(aidAmex, "AMEX", 1), 0x9000).
		on(apdu.GetProcessingOptions(nil), nil, 0x6985).
		on(apdu.Select(aidUP, false), appFCI(aidUP, "UICS", 2), 0x9000).
		on(apdu.GetProcessingOptions(nil), h("80 06 5800 08010100"), 0x9000)
	r := c.replayer()
	tx, err := kernel.NewTransaction(cfg, r, kernel.Params{Amount: 100})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := tx.Select(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Initiate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	o := tx.Outcome()
	if !bytes.Equal(o.AID, aidUP) || len(o.Selection.Removed) != 1 || !strings.Contains(o.Selection.Removed[0].Reason, "6985") {
		t.Errorf("after 6985: AID %X removed %+v", o.AID, o.Selection.Removed)
	}
	if o.Phase != kernel.PhaseInitiation {
		t.Errorf("phase %s", o.Phase)
	}
}

func TestGPO6985LastApplication(t *testing.T) {
	cfg := testConfig(t, "CN", "CNY")
	c := (&conv{}).on(apdu.SelectPSE(), pseFCI(1), 0x9000).
		on(mustCmd(apdu.ReadRecord(1, 1)), tlv(0x70, dirEntry(aidUP, "UICS", 1)), 0x9000).
		on(mustCmd(apdu.ReadRecord(1, 2)), nil, 0x6A83).
		on(apdu.Select(aidUP, false), appFCI(aidUP, "UICS", 1), 0x9000).
		on(apdu.GetProcessingOptions(nil), nil, 0x6985)
	tx, _ := kernel.NewTransaction(cfg, c.replayer(), kernel.Params{})
	_, err := tx.Run(context.Background())
	var te *kernel.TerminatedError
	if !errors.As(err, &te) || te.Phase != kernel.PhaseInitiation || te.SW != 0x6985 || !errors.Is(err, kernel.ErrNotAccepted) {
		t.Fatalf("err = %v, want not accepted after 6985 in initiation", err)
	}
}

func TestPhaseOrder(t *testing.T) {
	cfg := testConfig(t, "CN", "CNY")
	tx, _ := kernel.NewTransaction(cfg, (&conv{}).replayer(), kernel.Params{})
	if err := tx.ReadRecords(context.Background()); !errors.Is(err, kernel.ErrPhaseOrder) {
		t.Fatalf("ReadRecords before selection: %v", err)
	}
}
