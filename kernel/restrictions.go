package kernel

import (
	"bytes"
	"context"

	"github.com/yixin-emv/yixin/emv"
)

// checkRestrictions is processing restrictions (Book 3 §10.4): the
// application version, the Application Usage Control and the effective
// and expiration dates. Each failed check sets its TVR bit; none
// terminates the transaction.
func (t *Transaction) checkRestrictions(context.Context) error {
	t.checkVersion()
	t.checkUsage()
	t.checkDates()
	return nil
}

// checkVersion compares the card's Application Version Number (9F08) with
// the terminal's (9F09). When the card has none, the versions are assumed
// compatible.
func (t *Transaction) checkVersion() {
	v, ok := t.icc.get(0x9F08)
	if !ok || t.app == nil || len(t.app.Versions) == 0 {
		return
	}
	for _, tv := range t.app.Versions {
		if bytes.Equal(tv, v) {
			return
		}
	}
	t.tvr.Set(emv.TVRICCAndTerminalDifferentVersions)
}

// checkUsage checks the Application Usage Control (9F07), when present,
// against the terminal (ATM or not) and, when the Issuer Country Code
// (5F28) is present, against the transaction type as domestic or
// international.
func (t *Transaction) checkUsage() {
	v, ok := t.icc.get(0x9F07)
	if !ok {
		return
	}
	auc, err := emv.ParseAUC(v)
	if err != nil {
		t.tvr.Set(emv.TVRServiceNotAllowed) // an AUC that cannot be read allows nothing
		return
	}
	var allowed bool
	if t.isATM() {
		allowed = auc.Has(emv.AUCATMs)
	} else {
		allowed = auc.Has(emv.AUCNonATMTerminals)
	}
	if cc, ok := t.icc.get(0x5F28); ok && allowed {
		tc := t.cfg.Terminal.Country.Code()
		domestic := bytes.Equal(cc, tc[:])
		allowed = t.usageAllows(auc, domestic)
	}
	if !allowed {
		t.tvr.Set(emv.TVRServiceNotAllowed)
	}
}

// usageAllows checks the transaction type against the AUC.
func (t *Transaction) usageAllows(auc emv.AUC, domestic bool) bool {
	pick := func(d, i emv.AUCBit) bool {
		if domestic {
			return auc.Has(d)
		}
		return auc.Has(i)
	}
	goods := func() bool {
		if t.params.Services {
			return pick(emv.AUCDomesticServices, emv.AUCInternationalServices)
		}
		return pick(emv.AUCDomesticGoods, emv.AUCInternationalGoods)
	}
	switch t.params.Type {
	case TypeCash:
		return pick(emv.AUCDomesticCash, emv.AUCInternationalCash)
	case TypePurchase:
		if t.params.OtherAmount > 0 {
			return goods() && pick(emv.AUCDomesticCashback, emv.AUCInternationalCashback)
		}
		return goods()
	case TypePurchaseCashback:
		return goods() && pick(emv.AUCDomesticCashback, emv.AUCInternationalCashback)
	}
	return true // other types (refund, …): the AUC says nothing about them
}

// isATM applies Book 4 Annex A1: terminal types 14, 15 and 16 with cash
// disbursement capability are ATMs.
func (t *Transaction) isATM() bool {
	tt := t.cfg.Terminal.Type[0]
	atc := emv.AdditionalTerminalCapabilities(t.cfg.Terminal.AdditionalCaps)
	return (tt == 0x14 || tt == 0x15 || tt == 0x16) && atc.Has(emv.ATCCash)
}

// checkDates compares the Application Effective Date (5F25) and
// Expiration Date (5F24) with the transaction date. A date that cannot be
// read counts as failing its check (an unreadable expiry as expired).
func (t *Transaction) checkDates() {
	today := emv.DateOf(t.now)
	if v, ok := t.icc.get(0x5F25); ok {
		if d, err := emv.ParseDate(v); err != nil || d.After(today) {
			t.tvr.Set(emv.TVRApplicationNotYetEffective)
		}
	}
	if v, ok := t.icc.get(0x5F24); ok {
		if d, err := emv.ParseDate(v); err != nil || today.After(d) {
			t.tvr.Set(emv.TVRExpiredApplication)
		}
	}
}
