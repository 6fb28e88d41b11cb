package kernel_test

import (
	"testing"

	"github.com/yixin-emv/yixin/emv"
)

// notApplicable lists the TVR bits this contact EMV 4.3 kernel never sets,
// and why. Every other bit of Book 3 Annex C5 and every TSI bit of Annex
// C6 must be set by at least one scenario and clear in another.
var notApplicable = map[emv.TVRBit]string{
	emv.TVRXDASelected:                         "EMV 4.4 XDA (ECC) is not implemented",
	emv.TVRXDAFailed:                           "EMV 4.4 XDA (ECC) is not implemented",
	emv.TVRCAECCKeyMissing:                     "EMV 4.4 XDA (ECC) is not implemented",
	emv.TVRECCKeyRecoveryFailed:                "EMV 4.4 XDA (ECC) is not implemented",
	emv.TVRBiometricPerformedSuccessful:        "EMV 4.4 biometric CVMs are not implemented",
	emv.TVRBiometricTemplateFormatNotSupported: "EMV 4.4 biometric CVMs are not implemented",
	emv.TVRBiometricCaptureDeviceNotWorking:    "EMV 4.4 biometric CVMs are not implemented",
	emv.TVRBiometricSubtypeBypassed:            "EMV 4.4 biometric CVMs are not implemented",
	emv.TVRBiometricTryLimitExceeded:           "EMV 4.4 biometric CVMs are not implemented",
	emv.TVRBiometricTypeNotSupported:           "EMV 4.4 biometric CVMs are not implemented",
	emv.TVRRelayResistanceThresholdExceeded:    "relay resistance is a contactless (Book C-2) check",
}

// TestTVRTSICoverage runs every scenario and checks that each TVR and TSI
// bit is set by one and clear in another, so that no bit is untested or
// stuck.
func TestTVRTSICoverage(t *testing.T) {
	type seen struct{ set, clear string }
	tvrSeen := map[emv.Bit]*seen{}
	tsiSeen := map[emv.Bit]*seen{}
	tvrDefs, _ := emv.BitTable(0x95)
	tsiDefs, _ := emv.BitTable(0x9B)
	for _, d := range tvrDefs {
		tvrSeen[d.Bit()] = &seen{}
	}
	for _, d := range tsiDefs {
		tsiSeen[d.Bit()] = &seen{}
	}
	note := func(m map[emv.Bit]*seen, b emv.Bit, set bool, name string) {
		s := m[b]
		if set && s.set == "" {
			s.set = name
		}
		if !set && s.clear == "" {
			s.clear = name
		}
	}
	for _, sc := range scenarios {
		e := newEnv(t)
		if sc.setup != nil {
			sc.setup(e)
		}
		o, _ := e.run(t)
		for _, d := range tvrDefs {
			note(tvrSeen, d.Bit(), o.TVR.Has(emv.TVRBit(d.Bit())), sc.name)
		}
		for _, d := range tsiDefs {
			note(tsiSeen, d.Bit(), o.TSI.Has(emv.TSIBit(d.Bit())), sc.name)
		}
	}
	for _, d := range tvrDefs {
		s := tvrSeen[d.Bit()]
		if why, ok := notApplicable[emv.TVRBit(d.Bit())]; ok {
			if s.set != "" {
				t.Errorf("TVR %s (%s) set by %q although %s", d.Bit(), d.Name, s.set, why)
			}
			continue
		}
		if s.set == "" || s.clear == "" {
			t.Errorf("TVR %s (%s): set by %q, clear in %q — a scenario is missing", d.Bit(), d.Name, s.set, s.clear)
		}
	}
	for _, d := range tsiDefs {
		if s := tsiSeen[d.Bit()]; s.set == "" || s.clear == "" {
			t.Errorf("TSI %s (%s): set by %q, clear in %q — a scenario is missing", d.Bit(), d.Name, s.set, s.clear)
		}
	}
}
