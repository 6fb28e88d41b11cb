package cardsim

import (
	"bytes"
	"slices"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/oda"
)

// GENERATE AC reference control parameter (P1), EMV Book 3 §6.5.5.2.
const (
	p1TypeMask = 0xC0
	p1CDA      = 0x10
)

// CID reason codes (b3–b1), EMV Book 3 §6.5.5.4.
const (
	cidPINTryLimitExceeded = 0x02
	cidIssuerAuthFailed    = 0x03
)

// Authorisation Response Codes that mean the terminal could not go online
// (EMV Book 4 Annex A6): Y3 approve offline, Z3 decline offline.
var unableOnlineARCs = [][]byte{[]byte("Y3"), []byte("Z3")}

// Authorisation Response Codes that approve.
var approvingARCs = [][]byte{[]byte("00"), []byte("10"), []byte("11")}

// cmdGenerateAC is GENERATE AC (EMV Book 3 §6.5.5). The card decides the
// cryptogram type by card risk management (risk.go), updates and saves its
// counters, builds the Card Verification Results into the Issuer
// Application Data, and computes the cryptogram with the session key of
// the transaction's ATC (emv/cryptogram). With P1 b5 and an AIP that
// announces CDA it signs the response (emv/oda) instead of returning the
// cryptogram in clear; no signature comes with an AAC.
func (c *Card) cmdGenerateAC(cmd *apdu.Command, _ []byte) apdu.Response {
	requested := emv.CryptogramType(cmd.P1 & p1TypeMask)
	if cmd.P2 != 0 || requested == emv.CryptogramAAR {
		return status(apdu.SWIncorrectP1P2)
	}
	a, t := c.app(), c.sess.txn
	if a == nil || t == nil || t.secondDone || (t.firstDone && t.first != emv.CryptogramARQC) {
		return status(apdu.SWConditionsNotSatisfied)
	}
	if !t.firstDone {
		return c.firstAC(a, t, requested, cmd)
	}
	if requested == emv.CryptogramARQC {
		return status(apdu.SWIncorrectP1P2)
	}
	return c.secondAC(a, t, requested, cmd)
}

func (c *Card) firstAC(a *app, t *txn, requested emv.CryptogramType, cmd *apdu.Command) apdu.Response {
	if len(cmd.Data) != a.cdol1.Len() {
		return status(apdu.SWWrongLength)
	}
	t.cdol1Data = slices.Clone(cmd.Data)
	a.readTerminalData(t, a.cdol1, t.cdol1Data)
	ind := c.indicators(a, t)
	decision := a.rules.firstDecision(requested, ind, a.blocked())
	st := a.state
	f := &cvrFacts{first: decision, dda: t.ddaDone, ptc: st.PINTries, pinTried: t.pinTried, pinFailed: t.pinFailed,
		ind: ind, st: st, scripts: st.ScriptsLast, scriptFailed: st.ScriptFailedLast,
		authNotDone: st.IssuerAuthNotPerformedLast, authFailed: st.IssuerAuthFailedLast}
	switch decision {
	case emv.CryptogramARQC:
		st.LastOnlineNotCompleted = true
		st.ScriptsLast, st.ScriptFailedLast = 0, false // this transaction's scripts count from here
	case emv.CryptogramTC:
		addOffline(st, t.amount)
	default:
		recordODAFailure(st, t)
	}
	f.cda = requestedCDA(cmd) && a.cdaCapable() && decision != emv.CryptogramAAC
	if a.prof.Crypto.Scheme == schemePBOC {
		f.authFailed = false // PBOC's byte 1 b4 is about this transaction
	}
	if err := c.save(); err != nil {
		return status(swMemoryFailure)
	}
	t.firstDone, t.first, t.firstInd = true, decision, ind
	cid := byte(decision)
	if decision == emv.CryptogramAAC && ind&indPINTryLimitExceeded != 0 {
		cid |= cidPINTryLimitExceeded
	}
	return c.acResponse(a, t, cid, f, t.cdol1Data, nil, f.cda)
}

func (c *Card) secondAC(a *app, t *txn, requested emv.CryptogramType, cmd *apdu.Command) apdu.Response {
	if len(cmd.Data) != a.cdol2.Len() {
		return status(apdu.SWWrongLength)
	}
	t.cdol2Data = slices.Clone(cmd.Data)
	arc, _ := dolField(a.cdol2, t.cdol2Data, 0x8A)
	if arc == nil {
		arc = t.arc
	}
	unable := containsBytes(unableOnlineARCs, arc)
	if v, found := dolField(a.cdol2, t.cdol2Data, 0x91); found && !unable && !t.issuerAuthDone && !allZero(v) {
		c.issuerAuthenticate(a, t, v)
	}
	approved := containsBytes(approvingARCs, arc)
	if t.csu != nil {
		approved = newCSU(t.csu).approves()
	}
	ind := t.firstInd &^ indLastOnlineNotCompleted
	if t.issuerAuthDone && !t.issuerAuthOK {
		ind |= indIssuerAuthFailed
	}
	if !unable && !t.issuerAuthDone {
		ind |= indIssuerAuthNotPerformed
	}
	decision := a.rules.secondDecision(requested, ind, !unable, approved, a.blocked())
	c.completeOnline(a, t, unable, approved, decision)
	if err := c.save(); err != nil {
		return status(swMemoryFailure)
	}
	t.secondDone, t.second = true, decision
	st := a.state
	f := &cvrFacts{second: true, first: t.first, secondType: decision, dda: t.ddaDone, ptc: st.PINTries,
		pinTried: t.pinTried, pinFailed: t.pinFailed, ind: ind, st: st, unableOnline: unable,
		scripts: st.ScriptsLast, scriptFailed: st.ScriptFailedLast,
		authNotDone: ind&indIssuerAuthNotPerformed != 0, authFailed: ind&indIssuerAuthFailed != 0}
	f.cda = requestedCDA(cmd) && a.cdaCapable() && decision != emv.CryptogramAAC
	cid := byte(decision)
	if decision == emv.CryptogramAAC && ind&indIssuerAuthFailed != 0 {
		cid |= cidIssuerAuthFailed
	}
	return c.acResponse(a, t, cid, f, t.cdol2Data, t.cdol2Data, f.cda)
}

func requestedCDA(cmd *apdu.Command) bool { return cmd.P1&p1CDA != 0 }

// completeOnline updates the non-volatile state at the end of a
// transaction that asked to go online.
func (c *Card) completeOnline(a *app, t *txn, unable, approved bool, decision emv.CryptogramType) {
	st := a.state
	st.LastOnlineNotCompleted = false
	if unable {
		if decision == emv.CryptogramTC {
			addOffline(st, t.amount)
		}
	} else {
		st.IssuerAuthNotPerformedLast = !t.issuerAuthDone
		st.IssuerAuthFailedLast = t.issuerAuthDone && !t.issuerAuthOK
		canAuth := a.aip().Has(emv.AIPIssuerAuthenticationSupported) || a.cdol2.Contains(0x91)
		if t.issuerAuthOK || (!canAuth && approved) {
			st.LastOnlineATC = t.atc
			st.GoOnlineNext = false
			if t.csu != nil {
				c.applyCSU(a, t)
			} else if approved {
				st.OfflineCount, st.OfflineAmount = 0, 0
			}
		}
	}
	if decision == emv.CryptogramAAC {
		recordODAFailure(st, t)
	}
}

// applyCSU carries out a verified Card Status Update (EMV Book 3 Annex C,
// CCD).
func (c *Card) applyCSU(a *app, t *txn) {
	s, st := newCSU(t.csu), a.state
	if s.cardBlock() {
		c.st.CardBlocked = true
	}
	if s.appBlock() {
		st.Blocked = true
	}
	if s.updatePTC() {
		st.PINTries = min(s.ptc(), a.prof.PINTryLimit)
	}
	st.GoOnlineNext = s.goOnlineNext()
	switch s.counterUpdate() {
	case 1: // set the offline counters to their upper limits
		st.OfflineCount, st.OfflineAmount = a.ucol(), a.prof.UCOTA
	case 2: // reset them
		st.OfflineCount, st.OfflineAmount = 0, 0
	case 3: // add this transaction
		addOffline(st, t.amount)
	}
}

// addOffline counts a transaction approved offline.
func addOffline(st *AppState, amount int64) {
	st.OfflineCount = min(st.OfflineCount+1, 0xFFFF)
	st.OfflineAmount = min(st.OfflineAmount+amount, 999999999999)
}

// recordODAFailure remembers, for the next transaction, that one declined
// offline had failed offline data authentication.
func recordODAFailure(st *AppState, t *txn) {
	if t.odaFailed.sda {
		st.SDAFailedLast = true
	}
	if t.odaFailed.dynamic {
		st.DDAFailedLast = true
	}
}

// readTerminalData takes from the first GENERATE AC's data what card risk
// management uses: the amount (9F02) and its currency (5F2A), and the TVR
// (95).
func (a *app) readTerminalData(t *txn, dol emv.DOL, data []byte) {
	fields, err := dol.Split(data)
	if err != nil {
		return
	}
	for _, f := range fields {
		switch f.Tag {
		case 0x9F02:
			if s, err := emv.DecodeNumeric(f.Value); err == nil {
				t.amount = int64(atoi64(s))
			}
		case 0x5F2A:
			if s, err := emv.DecodeNumeric(f.Value); err == nil && atoi(s) != atoi(a.prof.Currency) {
				t.foreignCurrency = true
			}
		case 0x95:
			if len(f.Value) == 5 {
				tvr := emv.TVR(f.Value)
				t.odaFailed.sda = tvr.Has(emv.TVRSDAFailed)
				t.odaFailed.dynamic = tvr.Has(emv.TVRDDAFailed) || tvr.Has(emv.TVRCDAFailed)
			}
		}
	}
}

// indicators evaluates what card risk management looks at, at the first
// GENERATE AC.
func (c *Card) indicators(a *app, t *txn) indicator {
	st := a.state
	var ind indicator
	set := func(cond bool, i indicator) {
		if cond {
			ind |= i
		}
	}
	set(st.PINTries == 0, indPINTryLimitExceeded)
	set(t.pinTried && t.pinFailed, indOfflinePINFailed)
	set(!t.pinTried, indOfflinePINNotPerformed)
	set(st.LastOnlineNotCompleted, indLastOnlineNotCompleted)
	set(st.IssuerAuthFailedLast, indIssuerAuthFailedLast)
	set(st.ScriptFailedLast, indScriptFailedLast)
	set(st.SDAFailedLast || st.DDAFailedLast, indODAFailedLast)
	set(st.GoOnlineNext, indGoOnlineNext)
	set(st.LastOnlineATC == 0, indNewCard)
	set(st.OfflineCount >= a.lcol(), indLowerCountExceeded)
	set(st.OfflineCount >= a.ucol(), indUpperCountExceeded)
	limits := a.prof.LCOTA > 0 || a.prof.UCOTA > 0
	set(limits && t.foreignCurrency, indLowerAmountExceeded)
	set(a.prof.LCOTA > 0 && st.OfflineAmount+t.amount > a.prof.LCOTA, indLowerAmountExceeded)
	set(a.prof.UCOTA > 0 && st.OfflineAmount+t.amount > a.prof.UCOTA, indUpperAmountExceeded)
	set(t.odaFailed.any(), indODAFailed)
	return ind
}

// cdaCapable reports whether the application can sign a GENERATE AC.
func (a *app) cdaCapable() bool {
	return a.icc != nil && a.aip().Has(emv.AIPCDASupported)
}

// acResponse computes the cryptogram and builds the GENERATE AC response:
// format 1 (80: CID, ATC, AC, IAD) or format 2 (77: 9F27, 9F36, 9F26, 9F10);
// with CDA always format 2 with 9F4B in place of 9F26 (EMV Book 3 §6.5.5.4,
// Book 2 §6.6.1).
func (c *Card) acResponse(a *app, t *txn, cid byte, f *cvrFacts, cdolData, cdol2Data []byte, cda bool) apdu.Response {
	iad := a.prof.Crypto.issuerApplicationData(f)
	sk, err := a.prof.Crypto.ACSessionKey(a.pers.ICCMasterKeys.AC, t.atc)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	ac, err := cryptogram.GenerateAC(a.alg, sk, a.prof.Crypto.ACInput(cdolData, a.prof.AIP, t.atc, iad), acPadding)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	if !f.second {
		t.ac = ac
	}
	atc := u16(t.atc)
	if !cda {
		if a.prof.ResponseFormat == 1 {
			return ok(emv.AppendTLV(nil, 0x80, slices.Concat([]byte{cid}, atc, ac, iad)))
		}
		body := emv.AppendTLV(nil, 0x9F27, []byte{cid})
		body = emv.AppendTLV(body, 0x9F36, atc)
		body = emv.AppendTLV(body, 0x9F26, ac)
		body = emv.AppendTLV(body, 0x9F10, iad)
		return ok(emv.AppendTLV(nil, 0x77, body))
	}
	return c.cdaResponse(a, t, cid, ac, atc, iad, cdol2Data)
}

// cdaResponse signs the response: 77{9F27, 9F36, 9F4B, 9F10}, the
// transaction data hash covering the PDOL data, the CDOL data and 9F27,
// 9F36, 9F10 as sent.
func (c *Card) cdaResponse(a *app, t *txn, cid byte, ac, atc, iad, cdol2Data []byte) apdu.Response {
	head := emv.AppendTLV(nil, 0x9F27, []byte{cid})
	head = emv.AppendTLV(head, 0x9F36, atc)
	tail := emv.AppendTLV(nil, 0x9F10, iad)
	un, _ := dolField(a.cdol1, t.cdol1Data, 0x9F37)
	if cdol2Data != nil {
		if v, found := dolField(a.cdol2, cdol2Data, 0x9F37); found {
			un = v
		}
	}
	in := &oda.CDAInput{UN: un, PDOLData: t.pdolData, CDOL1Data: t.cdol1Data, CDOL2Data: cdol2Data,
		Response: slices.Concat(head, tail)}
	idn, err := c.random(idnLen)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	sdad, err := oda.SignCDA(c.rand, a.icc.oda, idn, cid, ac, in)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	t.cdaDone = true
	body := slices.Concat(head, emv.AppendTLV(nil, 0x9F4B, sdad), tail)
	return ok(emv.AppendTLV(nil, 0x77, body))
}

func containsBytes(set [][]byte, b []byte) bool {
	return slices.ContainsFunc(set, func(s []byte) bool { return bytes.Equal(s, b) })
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

func atoi64(s string) int64 {
	var n int64
	for i := 0; i < len(s) && i < 18; i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}
