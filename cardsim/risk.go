package cardsim

import (
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// indicator is a set of the conditions card risk management looks at.
// Each has a name, used by the risk lists of a profile.
type indicator uint32

const (
	indPINTryLimitExceeded indicator = 1 << iota
	indOfflinePINFailed
	indOfflinePINNotPerformed
	indLastOnlineNotCompleted
	indIssuerAuthFailedLast
	indScriptFailedLast
	indODAFailedLast
	indGoOnlineNext
	indNewCard
	indLowerCountExceeded
	indUpperCountExceeded
	indLowerAmountExceeded
	indUpperAmountExceeded
	indODAFailed
	indIssuerAuthFailed
	indIssuerAuthNotPerformed
)

// indicatorNames is the table of indicator names and what sets each.
var indicatorNames = []struct {
	name string
	ind  indicator
	doc  string
}{
	{"pin_try_limit_exceeded", indPINTryLimitExceeded, "the PIN try counter is 0"},
	{"offline_pin_failed", indOfflinePINFailed, "offline PIN verification was performed in this transaction and the PIN was not verified"},
	{"offline_pin_not_performed", indOfflinePINNotPerformed, "no offline PIN verification in this transaction"},
	{"last_online_not_completed", indLastOnlineNotCompleted, "an earlier transaction asked to go online (ARQC) and never got its second GENERATE AC"},
	{"issuer_auth_failed_last", indIssuerAuthFailedLast, "issuer authentication failed in the last online transaction"},
	{"script_failed_last", indScriptFailedLast, "an issuer script command failed in the last online transaction"},
	{"oda_failed_last", indODAFailedLast, "offline data authentication failed in an earlier transaction that was declined offline"},
	{"go_online_next", indGoOnlineNext, "the issuer set \"go online on next transaction\" (Card Status Update)"},
	{"new_card", indNewCard, "the card has never completed an online transaction (Last Online ATC Register is 0)"},
	{"lower_offline_count_exceeded", indLowerCountExceeded, "consecutive offline transactions reached LCOL (9F14)"},
	{"upper_offline_count_exceeded", indUpperCountExceeded, "consecutive offline transactions reached UCOL (9F23)"},
	{"lower_offline_amount_exceeded", indLowerAmountExceeded, "the cumulative offline amount with this one would pass lcota, or the currency differs"},
	{"upper_offline_amount_exceeded", indUpperAmountExceeded, "the cumulative offline amount with this one would pass ucota"},
	{"oda_failed", indODAFailed, "the TVR in the CDOL data says SDA, DDA or CDA failed"},
	{"issuer_auth_failed", indIssuerAuthFailed, "issuer authentication failed in this transaction"},
	{"issuer_auth_not_performed", indIssuerAuthNotPerformed, "the transaction went online but no issuer authentication data came back"},
}

// parseIndicators turns a list of names into a set.
func parseIndicators(names []string) (indicator, error) {
	var set indicator
	for _, n := range names {
		found := false
		for _, e := range indicatorNames {
			if e.name == n {
				set |= e.ind
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown risk indicator %q (known: %s)", n, indicatorList())
		}
	}
	return set, nil
}

func indicatorList() string {
	names := make([]string, len(indicatorNames))
	for i, e := range indicatorNames {
		names[i] = e.name
	}
	return strings.Join(names, ", ")
}

// String lists the names of the indicators set.
func (s indicator) String() string {
	var names []string
	for _, e := range indicatorNames {
		if s&e.ind != 0 {
			names = append(names, e.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// riskRules are a RiskProfile parsed.
type riskRules struct {
	decline, online, dflt, onlineDecline indicator
}

func (r *RiskProfile) rules() (riskRules, error) {
	var rr riskRules
	var err error
	for _, f := range []struct {
		dst   *indicator
		names []string
	}{{&rr.decline, r.Decline}, {&rr.online, r.Online}, {&rr.dflt, r.Default}, {&rr.onlineDecline, r.OnlineDecline}} {
		if *f.dst, err = parseIndicators(f.names); err != nil {
			return riskRules{}, err
		}
	}
	return rr, nil
}

// firstDecision is card action analysis at the first GENERATE AC (EMV
// Book 3 §9.3, §10.8): the card may only lower what the terminal asked
// for (AAC < ARQC < TC). It declines when a "decline" indicator is set,
// goes online when the terminal asked to or an "online" indicator is set,
// and otherwise approves offline.
func (r riskRules) firstDecision(requested emv.CryptogramType, ind indicator, blocked bool) emv.CryptogramType {
	switch {
	case blocked || requested == emv.CryptogramAAC:
		return emv.CryptogramAAC
	case ind&r.decline != 0:
		return emv.CryptogramAAC
	case requested == emv.CryptogramARQC || ind&r.online != 0:
		return emv.CryptogramARQC
	}
	return emv.CryptogramTC
}

// secondDecision is the card's decision at the second GENERATE AC. When
// the terminal could not go online the "default" indicators decline;
// after an online authorisation the issuer's answer and the
// "online_decline" indicators decide.
func (r riskRules) secondDecision(requested emv.CryptogramType, ind indicator, wentOnline, approved, blocked bool) emv.CryptogramType {
	switch {
	case blocked || requested != emv.CryptogramTC:
		return emv.CryptogramAAC
	case !wentOnline:
		if ind&r.dflt != 0 {
			return emv.CryptogramAAC
		}
		return emv.CryptogramTC
	case !approved || ind&r.onlineDecline != 0:
		return emv.CryptogramAAC
	}
	return emv.CryptogramTC
}
