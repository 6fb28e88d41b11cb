package kernel_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/yixin-emv/yixin/kernel"
)

// TestPoliciesOnDualProfiles runs whole transactions with each selection
// policy, at a terminal in China (CNY) and in the United States (USD),
// against both dual-application profiles of cardsim:
//
//   - dual-cn: UnionPay-style credit A000000333010102 (priority 1) and
//     American Express-style A000000025010402 (priority 2), two PANs;
//   - dual-same-pan: UnionPay debit A000000333010101 (CNY, priority 1) and
//     an international UnionPay application A000000333010103 (USD,
//     priority 2) under one PAN.
//
// Neither card states its country and currency at selection time (5F28 and
// 9F42 are only in the records), so domestic preference goes by the
// terminal's AID list. For dual-same-pan that list must say that
// A000000333010103 is not domestic (the built-in list, where it is UnionPay
// quasi-credit, calls it Chinese); the test configures it so.
func TestPoliciesOnDualProfiles(t *testing.T) {
	up, amex := aidUP, aidAmex
	debit, intl := h("A000000333010101"), h("A000000333010103")
	cases := []struct {
		profile           string
		country, currency string
		policy            kernel.SelectionPolicy
		chooser           kernel.Cardholder
		want              []byte
		rule              kernel.Rule
	}{
		{"dual-cn", "CN", "CNY", kernel.PolicyIssuerPriority, nil, up, kernel.RuleIssuerPriority},
		{"dual-cn", "US", "USD", kernel.PolicyIssuerPriority, nil, up, kernel.RuleIssuerPriority},
		{"dual-cn", "CN", "CNY", kernel.PolicyDomesticPreference, nil, up, kernel.RuleDomesticPreference},
		{"dual-cn", "US", "USD", kernel.PolicyDomesticPreference, nil, amex, kernel.RuleDomesticPreference},
		{"dual-cn", "CN", "CNY", kernel.PolicyCardholderChoice, kernel.ChooseAID(amex), amex, kernel.RuleCardholderChoice},
		{"dual-cn", "US", "USD", kernel.PolicyCardholderChoice, kernel.AcceptProposal{}, up, kernel.RuleCardholderChoice},
		{"dual-same-pan", "CN", "CNY", kernel.PolicyIssuerPriority, nil, debit, kernel.RuleIssuerPriority},
		{"dual-same-pan", "US", "USD", kernel.PolicyIssuerPriority, nil, debit, kernel.RuleIssuerPriority},
		{"dual-same-pan", "CN", "CNY", kernel.PolicyDomesticPreference, nil, debit, kernel.RuleDomesticPreference},
		{"dual-same-pan", "US", "USD", kernel.PolicyDomesticPreference, nil, intl, kernel.RuleDomesticPreference},
		{"dual-same-pan", "CN", "CNY", kernel.PolicyCardholderChoice, kernel.ChooseAID(intl), intl, kernel.RuleCardholderChoice},
		{"dual-same-pan", "US", "USD", kernel.PolicyCardholderChoice, kernel.AcceptProposal{}, debit, kernel.RuleCardholderChoice},
	}
	for _, c := range cases {
		t.Run(c.profile+"/"+c.country+"/"+string(c.policy), func(t *testing.T) {
			s := newSim(t, c.profile)
			cfg := s.config(t, c.country, c.currency, c.policy)
			cfg.Cardholder = c.chooser
			for i := range cfg.Applications {
				if bytes.Equal(cfg.Applications[i].AID, intl) {
					cfg.Applications[i].Domestic = nil
				}
			}
			tx, err := kernel.NewTransaction(cfg, s.card, kernel.Params{Amount: 2500})
			if err != nil {
				t.Fatal(err)
			}
			o, err := tx.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(o.AID, c.want) || o.Selection.Rule != c.rule || len(o.Selection.Candidates) != 2 {
				t.Errorf("selected %X by %s (%s) among %d, want %X by %s", o.AID, o.Selection.Rule, o.Selection.Reason, len(o.Selection.Candidates), c.want, c.rule)
			}
			if o.Result != kernel.ResultOnlineApproved || !o.ODAOK {
				t.Errorf("result %s (%s), ODA %s ok %v (%s)", o.Result, o.Reason, o.ODA, o.ODAOK, o.ODAError)
			}
		})
	}
}
