package cardsim

import (
	"slices"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/pin"
)

// PIN CHANGE/UNBLOCK P2 (EMV Book 3 §6.5.10.2): 00 unblocks, 01 changes
// the PIN with the current PIN mixed into the data, 02 changes it without
// the current PIN. The published vector of knovichikhin/pyemv
// (tests/test_cvn_hsm.py, "PIN change without current PIN": 84 24 00 02 …)
// numbers them the same way.
const (
	pinUnblock          = 0x00
	pinChangeWithOld    = 0x01
	pinChangeWithoutOld = 0x02
)

// cmdScript runs an issuer script command (EMV Book 3 §6.5.1–§6.5.3,
// §6.5.10 and the PUT DATA and UPDATE RECORD of issuer scripts) received
// after the card asked to go online. Every one needs secure messaging
// (EMV Book 2 §9.2, format 2: the MAC ends the data field): without it
// the card answers 6982, with a wrong MAC 6988, and after a failure it
// refuses the rest of the script (6985). Confidential data (a new PIN) is
// deciphered with the confidentiality session key (Book 2 §9.3).
func (c *Card) cmdScript(cmd *apdu.Command, raw []byte) apdu.Response {
	if cmd.CLA&claSMIndicator == 0 {
		return status(apdu.SWSecurityStatusNotSatisfied)
	}
	a, t := c.app(), c.sess.txn
	if a == nil || t == nil || !t.firstDone || t.first != emv.CryptogramARQC || t.scriptBroken {
		return status(apdu.SWConditionsNotSatisfied)
	}
	cp := &a.prof.Crypto
	if cmd.Ne != 0 || len(cmd.Data) < cp.ScriptMACLen {
		return status(apdu.SWWrongLength)
	}
	sk, err := cp.ScriptSessionKey(a.pers.ICCMasterKeys.SMI, t.atc, t.ac)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	sc, err := cryptogram.VerifyScriptCommand(a.alg, sk, raw, cp.ScriptMACData(t.atc, t.ac), cp.ScriptMACLen)
	sw := swSMDataIncorrect
	if err == nil {
		sw = c.runScript(a, t, sc)
	}
	if sw == apdu.SWNoError {
		a.state.ScriptsLast++
	} else {
		a.state.ScriptFailedLast = true
		t.scriptBroken = true
	}
	if err := c.save(); err != nil {
		return status(swMemoryFailure)
	}
	return status(sw)
}

// runScript carries out a script command whose MAC is correct.
func (c *Card) runScript(a *app, t *txn, sc cryptogram.ScriptCommand) apdu.StatusWord {
	switch sc.INS {
	case apdu.INSApplicationBlock, apdu.INSApplicationUnblock, apdu.INSCardBlock:
		if sc.P1 != 0 || sc.P2 != 0 {
			return apdu.SWIncorrectP1P2
		}
		if len(sc.Data) != 0 {
			return apdu.SWWrongLength
		}
		switch sc.INS {
		case apdu.INSApplicationBlock:
			a.state.Blocked = true
		case apdu.INSApplicationUnblock:
			a.state.Blocked = false
		default:
			c.st.CardBlocked = true
		}
		return apdu.SWNoError
	case apdu.INSPINChangeUnblock:
		return c.pinChange(a, t, sc)
	case apdu.INSPutData:
		return a.putData(sc)
	}
	return a.updateRecord(sc)
}

// pinChange is PIN CHANGE/UNBLOCK: P2 00 resets the PIN try counter, P2 02
// also sets the new PIN, sent as an ISO 9564 format 2 PIN block enciphered
// under the confidentiality session key (EMV CCD's choice; Book 2 §9.3).
// P2 01, the change that mixes in the old PIN, is scheme-specific and not
// supported (6A86).
func (c *Card) pinChange(a *app, t *txn, sc cryptogram.ScriptCommand) apdu.StatusWord {
	if sc.P1 != 0 || (sc.P2 != pinUnblock && sc.P2 != pinChangeWithoutOld) {
		return apdu.SWIncorrectP1P2
	}
	if sc.P2 == pinUnblock {
		if len(sc.Data) != 0 {
			return apdu.SWWrongLength
		}
		a.state.PINTries = a.prof.PINTryLimit
		return apdu.SWNoError
	}
	cp := &a.prof.Crypto
	mode, err := cp.encipherment()
	if err != nil || len(sc.Data) == 0 {
		return apdu.SWWrongLength
	}
	sk, err := cp.ScriptSessionKey(a.pers.ICCMasterKeys.SMC, t.atc, t.ac)
	if err != nil {
		return apdu.SWNoPreciseDiagnosis
	}
	plain, err := cryptogram.DecryptScriptData(a.alg, sk, sc.Data, mode)
	if err != nil || len(plain) < pin.BlockLen {
		return apdu.SWIncorrectData
	}
	defer clear(plain)
	newPIN, f, err := pin.Parse(plain[:pin.BlockLen], "")
	if err != nil || f != pin.ISO2 {
		return apdu.SWIncorrectData
	}
	a.state.PIN = newPIN
	a.state.PINTries = a.prof.PINTryLimit
	return apdu.SWNoError
}

// putData is PUT DATA: P1 P2 the tag of a data object GET DATA may read,
// the data its new value. Counters are not writable.
func (a *app) putData(sc cryptogram.ScriptCommand) apdu.StatusWord {
	t := emv.Tag(uint32(sc.P1)<<8 | uint32(sc.P2))
	if sc.P1 == 0 {
		t = emv.Tag(sc.P2)
	}
	if !slices.Contains(a.prof.GetData, t.String()) {
		return swReferencedNotFound
	}
	if len(sc.Data) == 0 || len(sc.Data) > 252 {
		return apdu.SWWrongLength
	}
	if a.state.Data == nil {
		a.state.Data = map[string]HexBytes{}
	}
	a.state.Data[t.String()] = slices.Clone(sc.Data)
	return apdu.SWNoError
}

// updateRecord is UPDATE RECORD: P1 the record, P2 the SFI as in READ
// RECORD; the data replaces an existing record and must be a well-formed
// record (one template 70 for SFI 1–10).
func (a *app) updateRecord(sc cryptogram.ScriptCommand) apdu.StatusWord {
	if sc.P1 == 0 || sc.P2&0x07 != 0x04 || sc.P2>>3 == 0 {
		return apdu.SWIncorrectP1P2
	}
	sfi, rec := int(sc.P2>>3), int(sc.P1)
	if rsp := a.readRecord(sfi, rec); rsp.SW != apdu.SWNoError {
		return rsp.SW
	}
	if len(sc.Data) == 0 || len(sc.Data) > maxRecordLen {
		return apdu.SWWrongLength
	}
	if _, err := emv.ODARecord(sfi, sc.Data); err != nil || emv.Validate(sc.Data) != nil {
		return apdu.SWIncorrectData
	}
	if a.state.Records == nil {
		a.state.Records = map[string]HexBytes{}
	}
	a.state.Records[recordKey(sfi, rec)] = slices.Clone(sc.Data)
	return apdu.SWNoError
}
