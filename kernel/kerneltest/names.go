package kerneltest

import (
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// tvrNames gives each TVR bit a short name for case files; emv's full
// names (emv.TVR.Names) are accepted too. The README's table is checked
// against this one by a test.
var tvrNames = []struct {
	name string
	bit  emv.TVRBit
}{
	{"oda-not-performed", emv.TVROfflineDataAuthNotPerformed},
	{"sda-failed", emv.TVRSDAFailed},
	{"icc-data-missing", emv.TVRICCDataMissing},
	{"exception-file", emv.TVRCardOnExceptionFile},
	{"dda-failed", emv.TVRDDAFailed},
	{"cda-failed", emv.TVRCDAFailed},
	{"sda-selected", emv.TVRSDASelected},
	{"xda-selected", emv.TVRXDASelected},
	{"different-versions", emv.TVRICCAndTerminalDifferentVersions},
	{"expired-application", emv.TVRExpiredApplication},
	{"not-yet-effective", emv.TVRApplicationNotYetEffective},
	{"service-not-allowed", emv.TVRServiceNotAllowed},
	{"new-card", emv.TVRNewCard},
	{"cvm-not-successful", emv.TVRCardholderVerificationNotSuccessful},
	{"unrecognised-cvm", emv.TVRUnrecognisedCVM},
	{"pin-try-limit-exceeded", emv.TVRPINTryLimitExceeded},
	{"pin-pad-not-working", emv.TVRPINPadNotPresentOrNotWorking},
	{"pin-not-entered", emv.TVRPINNotEntered},
	{"online-pin-entered", emv.TVROnlinePINEntered},
	{"floor-limit-exceeded", emv.TVRFloorLimitExceeded},
	{"lcol-exceeded", emv.TVRLowerConsecutiveOfflineLimitExceeded},
	{"ucol-exceeded", emv.TVRUpperConsecutiveOfflineLimitExceeded},
	{"random-selected", emv.TVRRandomlySelectedOnline},
	{"merchant-forced-online", emv.TVRMerchantForcedOnline},
	{"xda-failed", emv.TVRXDAFailed},
	{"default-tdol-used", emv.TVRDefaultTDOLUsed},
	{"issuer-auth-failed", emv.TVRIssuerAuthenticationFailed},
	{"script-failed-before", emv.TVRScriptFailedBeforeFinalGenAC},
	{"script-failed-after", emv.TVRScriptFailedAfterFinalGenAC},
	{"ca-ecc-key-missing", emv.TVRCAECCKeyMissing},
	{"ecc-key-recovery-failed", emv.TVRECCKeyRecoveryFailed},
}

// tsiNames gives each TSI bit a short name.
var tsiNames = []struct {
	name string
	bit  emv.TSIBit
}{
	{"oda-performed", emv.TSIODAPerformed},
	{"cvm-performed", emv.TSICardholderVerificationPerformed},
	{"card-risk-management-performed", emv.TSICardRiskManagementPerformed},
	{"issuer-auth-performed", emv.TSIIssuerAuthenticationPerformed},
	{"terminal-risk-management-performed", emv.TSITerminalRiskManagementPerformed},
	{"script-processing-performed", emv.TSIScriptProcessingPerformed},
}

// A bitName is one bit of a bit field, by its position in the value.
type bitName struct {
	index int  // byte, from 0
	mask  byte // the bit
}

// lookupTVR returns the TVR bit a case names: a short name, or emv's name
// of the bit (case does not matter).
func lookupTVR(name string) (bitName, error) {
	for _, n := range tvrNames {
		var v emv.TVR
		v.Set(n.bit)
		if strings.EqualFold(name, n.name) || strings.EqualFold(name, n.bit.String()) {
			return bitOf(v[:]), nil
		}
	}
	return bitName{}, fmt.Errorf("unknown TVR bit %q (see testdata/cases/README.md)", name)
}

// lookupTSI is lookupTVR for the TSI.
func lookupTSI(name string) (bitName, error) {
	for _, n := range tsiNames {
		var v emv.TSI
		v.Set(n.bit)
		if strings.EqualFold(name, n.name) || strings.EqualFold(name, n.bit.String()) {
			return bitOf(v[:]), nil
		}
	}
	return bitName{}, fmt.Errorf("unknown TSI bit %q (see testdata/cases/README.md)", name)
}

// bitOf finds the one bit set in v.
func bitOf(v []byte) bitName {
	for i, b := range v {
		if b != 0 {
			return bitName{index: i, mask: b}
		}
	}
	return bitName{}
}

// tvrShortNames lists the set bits of a TVR by short name (emv's name
// for a bit the table does not have).
func tvrShortNames(v emv.TVR) []string {
	var out []string
	for i := range len(v) * 8 {
		var one emv.TVR
		one[i/8] = 0x80 >> (i % 8)
		if v[i/8]&one[i/8] == 0 {
			continue
		}
		out = append(out, shortTVR(one))
	}
	return out
}

func shortTVR(one emv.TVR) string {
	for _, n := range tvrNames {
		var v emv.TVR
		v.Set(n.bit)
		if v == one {
			return n.name
		}
	}
	return strings.Join(one.Names(), "; ")
}

// tsiShortNames lists the set bits of a TSI by short name.
func tsiShortNames(v emv.TSI) []string {
	var out []string
	for i := range len(v) * 8 {
		var one emv.TSI
		one[i/8] = 0x80 >> (i % 8)
		if v[i/8]&one[i/8] == 0 {
			continue
		}
		name := strings.Join(one.Names(), "; ")
		for _, n := range tsiNames {
			var w emv.TSI
			w.Set(n.bit)
			if w == one {
				name = n.name
			}
		}
		out = append(out, name)
	}
	return out
}
