package kernel

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

// acResult is what one GENERATE AC gave.
type acResult struct {
	done      bool
	requested emv.CryptogramType
	cda       bool // CDA was requested
	cid       emv.CID
	ac        []byte
	atc       []byte
}

// onlineState is what online processing gave.
type onlineState struct {
	skip     bool // not going online: CDA failed on an ARQC
	sent     bool // the host was asked
	unsent   bool // unable to go online (no host, or the request was not sent)
	unknown  bool // the request may have reached the issuer but no answer came
	approved bool
	scripts  []byte
}

// cryptogramLevel orders cryptogram types: a card may answer a lower one
// than requested (AAC < ARQC < TC), never a higher one (Book 3 §9.3).
func cryptogramLevel(c emv.CryptogramType) int {
	switch c {
	case emv.CryptogramAAC:
		return 0
	case emv.CryptogramARQC:
		return 1
	case emv.CryptogramTC:
		return 2
	}
	return 3
}

// firstGenerateAC sends the first GENERATE AC with CDOL1 data, asking for
// CDA when CDA is under way and the request is not an AAC, and processes
// the answer (card action analysis, Book 3 §10.8).
func (t *Transaction) firstGenerateAC(ctx context.Context, want emv.CryptogramType) error {
	cdol, _ := t.icc.get(0x8C)
	data, err := t.buildCDOL(cdol)
	if err != nil {
		return err
	}
	t.cdol1Data = data
	cda := t.oda.pending && want != emv.CryptogramAAC
	var r oda.GenerateACResponse
	if err := t.generateAC(ctx, want, cda, data, &t.ac1, &r); err != nil {
		return err
	}
	t.tsi.Set(emv.TSICardRiskManagementPerformed)
	if cda {
		t.verifyCDA(&r, nil)
	}
	t.cvrMismatch = t.cvrContradicts()
	switch t.ac1.cid.Type() {
	case emv.CryptogramTC:
		if t.tvr.Has(emv.TVRCDAFailed) && cda {
			t.finish(ResultDeclined, "the card approved offline but its CDA signature failed")
			return nil
		}
		if t.cvrMismatch {
			t.finish(ResultDeclined, "the CVM Results claim an offline PIN the card's Issuer Application Data says it never verified (a wedge?): not approved")
			return nil
		}
		t.finish(ResultApproved, "approved offline by the card (TC)")
		t.logApproval()
	case emv.CryptogramAAC:
		t.finish(ResultDeclined, "declined offline by the card (AAC)")
	case emv.CryptogramARQC:
		if cda && t.tvr.Has(emv.TVRCDAFailed) {
			t.online.skip = true // Book 2 §6.6: a failed CDA on an ARQC is completed as a decline
		}
	}
	return nil
}

// buildCDOL parses a CDOL and builds its data, computing the TC Hash Value
// (98) from the TDOL when the CDOL asks for it.
func (t *Transaction) buildCDOL(cdol []byte) ([]byte, error) {
	var buf dolBuf
	dol, err := emv.AppendDOL(buf[:0], cdol)
	if err != nil {
		return nil, fmt.Errorf("%w: CDOL: %v", ErrCardData, err)
	}
	if dol.Contains(0x98) {
		tdol, ok := t.icc.get(0x97)
		if !ok {
			tdol = t.app.DefaultTDOL
			if len(tdol) > 0 {
				t.tvr.Set(emv.TVRDefaultTDOLUsed)
			}
		}
		td, err := emv.ParseDOL(tdol)
		if err != nil {
			return nil, fmt.Errorf("%w: TDOL: %v", ErrCardData, err)
		}
		h := sha1.Sum(td.Build(t.lookup))
		t.term.set(0x98, t.keep(h[:]))
	}
	// The data is built in the transaction's buffer: it is kept for CDA.
	start := len(t.termBuf)
	t.termBuf = dol.AppendBuild(t.termBuf, t.lookup)
	data := t.termBuf[start:len(t.termBuf):len(t.termBuf)]
	if len(data) > apdu.MaxShortNc {
		return nil, cardDataError("CDOL asks for %d bytes, more than one command carries", len(data))
	}
	return data, nil
}

// generateAC sends one GENERATE AC and checks and stores its answer, the
// parsed response in r (the caller's, on its stack).
func (t *Transaction) generateAC(ctx context.Context, want emv.CryptogramType, cda bool, data []byte, res *acResult, r *oda.GenerateACResponse) error {
	p1 := byte(want)
	if cda {
		p1 |= apdu.RefControlCDA
	}
	res.requested, res.cda = want, cda
	cmd := apdu.GenerateAC(p1, nil) // without its copy of the data: encoded at once
	cmd.Data = data
	resp, sw, err := t.transmit(ctx, cmd)
	if err != nil {
		return err
	}
	if sw != apdu.SWNoError {
		return terminated(t.next, sw, fmt.Errorf("%w: GENERATE AC answered %v", ErrCardStatus, sw))
	}
	p, err := oda.ParseGenerateAC(resp)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCardData, err)
	}
	*r = *p
	if len(r.CID) != 1 || len(r.ATC) != 2 {
		return cardDataError("GENERATE AC response with a CID of %d bytes and an ATC of %d", len(r.CID), len(r.ATC))
	}
	cid := emv.CID(r.CID[0])
	res.cid, res.atc, res.ac, res.done = cid, r.ATC, r.AC, true
	t.icc.set(0x9F27, r.CID)
	t.icc.set(0x9F36, r.ATC)
	if r.IAD != nil {
		t.icc.set(0x9F10, r.IAD)
	}
	if r.AC != nil {
		t.icc.set(0x9F26, r.AC)
	}
	if cid.Type() == emv.CryptogramAAR || cryptogramLevel(cid.Type()) > cryptogramLevel(want) {
		return fmt.Errorf("%w: asked for %v, the card answered %v", ErrServiceNotAllowed, want, cid.Type())
	}
	if cid.Reason() == 1 {
		return fmt.Errorf("%w: the CID says service not allowed", ErrServiceNotAllowed)
	}
	if r.AC == nil && !cda && cid.Type() != emv.CryptogramAAC { // under CDA the AC is in the signature
		return cardDataError("GENERATE AC response without an application cryptogram")
	}
	return nil
}

// verifyCDA checks the signature of a GENERATE AC answered with CDA
// requested (Book 2 §6.6.2). An AAC carries none; a TC or ARQC without a
// valid one sets "CDA failed".
func (t *Transaction) verifyCDA(r *oda.GenerateACResponse, cdol2Data []byte) {
	res := &t.ac1
	if cdol2Data != nil {
		res = &t.ac2
	}
	if res.cid.Type() == emv.CryptogramAAC {
		t.oda.pending = false
		return
	}
	if t.oda.icc == nil {
		t.odaFailed(&oda.Error{Object: oda.ObjectCDA, Err: oda.ErrMissingData})
		return
	}
	if r.SDAD == nil {
		t.odaFailed(&oda.Error{Object: oda.ObjectCDA, Err: fmt.Errorf("%w: no signed dynamic application data (9F4B)", oda.ErrResponseFormat)})
		return
	}
	un, _ := t.term.get(0x9F37)
	in := oda.CDAInput{SDAD: r.SDAD, CID: byte(res.cid), UN: un, PDOLData: t.pdolData,
		CDOL1Data: t.cdol1Data, CDOL2Data: cdol2Data, Response: r.Signed}
	cr, err := oda.VerifyCDA(t.oda.icc.Key, in)
	if err != nil {
		t.odaFailed(err)
		return
	}
	res.ac = cr.AC
	t.icc.set(0x9F26, cr.AC)
	t.term.set(0x9F4C, cr.IDN)
	t.oda.ok, t.oda.pending = true, cdol2Data == nil
}

// goOnline is online processing (Book 3 §10.9) when the card asked for
// it: the authorisation request, the issuer's answer, and issuer
// authentication by EXTERNAL AUTHENTICATE unless CDOL2 carries 91.
func (t *Transaction) goOnline(ctx context.Context) error {
	if !t.ac1.done || t.ac1.cid.Type() != emv.CryptogramARQC || t.online.skip {
		return nil
	}
	h := t.cfg.Host
	if h == nil {
		t.online.unsent = true
		return nil
	}
	req := t.authorizationRequest()
	t.online.sent = true
	resp, err := h.Authorize(ctx, req)
	if err != nil || resp == nil {
		if errors.Is(err, ErrHostUnavailable) {
			t.online.unsent = true
		} else {
			t.online.unknown = true // a reply may be lost: the request counts as sent
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return nil
	}
	t.online.approved = resp.Approved
	arc := []byte(resp.ResponseCode)
	if len(arc) != 2 {
		arc = []byte("05")
		if resp.Approved {
			arc = []byte("00")
		}
	}
	t.term.set(0x8A, arc)
	t.online.scripts = resp.Scripts
	if iad := resp.IssuerAuthenticationData; len(iad) > 0 {
		t.term.set(0x91, iad)
		return t.authenticateIssuer(ctx, iad)
	}
	return nil
}

// authenticateIssuer performs issuer authentication when the AIP says the
// card supports it: EXTERNAL AUTHENTICATE, unless CDOL2 asks for 91, in
// which case the second GENERATE AC carries it.
func (t *Transaction) authenticateIssuer(ctx context.Context, iad []byte) error {
	if !t.aip.Has(emv.AIPIssuerAuthenticationSupported) {
		return nil
	}
	t.tsi.Set(emv.TSIIssuerAuthenticationPerformed)
	if cdol2, ok := t.icc.get(0x8D); ok {
		if dol, err := emv.ParseDOL(cdol2); err == nil && dol.Contains(0x91) {
			return nil
		}
	}
	if len(iad) < 8 || len(iad) > 16 {
		t.tvr.Set(emv.TVRIssuerAuthenticationFailed)
		return nil
	}
	cmd := apdu.ExternalAuthenticate(nil) // without its copy of the data: encoded at once
	cmd.Data = iad
	_, sw, err := t.transmit(ctx, cmd)
	if err != nil {
		return err
	}
	if sw != apdu.SWNoError {
		t.tvr.Set(emv.TVRIssuerAuthenticationFailed)
	}
	return nil
}

// complete is completion (Book 3 §10.11): for an ARQC, the issuer scripts
// 71, the second GENERATE AC with the terminal's decision, then the
// scripts 72.
func (t *Transaction) complete(ctx context.Context) error {
	if !t.ac1.done || t.ac1.cid.Type() != emv.CryptogramARQC {
		return nil
	}
	if err := t.runScripts(ctx, 0x71); err != nil {
		return err
	}
	want := t.completionDecision()
	cdol2, _ := t.icc.get(0x8D)
	data, err := t.buildCDOL(cdol2)
	if err != nil {
		return err
	}
	cda := t.oda.method == ODACDA && t.oda.ok && want == emv.CryptogramTC
	var r oda.GenerateACResponse
	if err := t.generateAC(ctx, want, cda, data, &t.ac2, &r); err != nil {
		return err
	}
	if t.ac2.cid.Type() == emv.CryptogramARQC {
		return fmt.Errorf("%w: the second GENERATE AC answered an ARQC", ErrServiceNotAllowed)
	}
	if cda {
		t.verifyCDA(&r, data)
	}
	t.settle()
	return t.runScripts(ctx, 0x72)
}

// completionDecision is what the second GENERATE AC asks for.
func (t *Transaction) completionDecision() emv.CryptogramType {
	switch {
	case t.online.skip:
		t.term.set(0x8A, arcUnableDeclined)
		return emv.CryptogramAAC
	case t.online.unsent || t.online.unknown:
		if t.defaultAction() == emv.CryptogramTC && !t.online.unknown {
			t.term.set(0x8A, arcUnableApproved)
			return emv.CryptogramTC
		}
		t.term.set(0x8A, arcUnableDeclined)
		return emv.CryptogramAAC
	case t.online.approved:
		return emv.CryptogramTC
	}
	return emv.CryptogramAAC
}

// settle sets the result from the second GENERATE AC.
func (t *Transaction) settle() {
	tc := t.ac2.cid.Type() == emv.CryptogramTC && !(t.ac2.cda && t.tvr.Has(emv.TVRCDAFailed))
	online := t.online.sent && !t.online.unsent && !t.online.unknown
	switch {
	case tc && online:
		t.finish(ResultOnlineApproved, "approved by the issuer and the card (TC)")
		t.logApproval()
	case tc:
		t.finish(ResultApproved, "unable to go online; approved by the default action codes and the card (TC)")
		t.logApproval()
	case online && t.online.approved:
		t.reversal = true
		t.finish(ResultOnlineDeclined, "approved by the issuer but declined by the card (AAC): a reversal is owed")
	case online:
		t.finish(ResultOnlineDeclined, "declined by the issuer (AAC)")
	case t.online.skip:
		t.finish(ResultDeclined, "CDA failed on the ARQC: declined without going online (AAC)")
	default:
		if t.online.unknown {
			t.reversal = true
			t.finish(ResultDeclined, "no answer from the host: declined (AAC), a reversal is owed")
			return
		}
		t.finish(ResultDeclined, "unable to go online; declined (AAC)")
	}
}

// finish records the result.
func (t *Transaction) finish(r Result, reason string) { t.result, t.reason = r, reason }

// logApproval adds an approved transaction to the split-sale log.
func (t *Transaction) logApproval() {
	if t.cfg.Log != nil {
		psn, _ := t.icc.get(0x5F34)
		t.cfg.Log.Add(t.pan, psn, t.params.Amount)
	}
}

// authorizationRequest builds what goes to the host.
func (t *Transaction) authorizationRequest() *AuthorizationRequest {
	cur := t.cfg.Terminal.currency()
	psn, _ := t.icc.get(0x5F34)
	tr2, _ := t.icc.get(0x57)
	return &AuthorizationRequest{
		AID: t.sel.AID, PAN: t.pan, PANSequence: psn, Track2: tr2,
		Amount:      emv.Amount{Minor: t.params.Amount, Currency: cur},
		OtherAmount: emv.Amount{Minor: t.params.OtherAmount, Currency: cur},
		Type:        t.params.Type, PINBlock: t.pinBlock, DE55: t.DataRecord(),
	}
}
