package issuer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
)

// Request is an authorisation request as the issuer receives it. It holds
// what a terminal kernel sends online (ISO 8583 DE 2, DE 23 and DE 55) so
// that a kernel's host interface adapts to it field by field.
type Request struct {
	// PAN is the Application PAN (DE 2).
	PAN string
	// PANSequence is the PAN Sequence Number (5F34, one byte of format n
	// 2, DE 23); nil takes 5F34 from DE55, and 00 when absent there too.
	PANSequence []byte
	// AID is the application that ran; nil takes 4F, 84 or 9F06 from
	// DE55. It picks the account when one PAN has several.
	AID []byte
	// DE55 is the ICC data: TLV objects, among them 9F26 (ARQC), 9F27,
	// 9F36 (ATC), 9F10 (IAD), 82 (AIP) and those of the card's CDOL1.
	DE55 []byte
	// CDOL1Data, when set, is the exact data of the first GENERATE AC.
	// Otherwise the host rebuilds it from DE55 with the account's CDOL1.
	CDOL1Data []byte
}

// Response is the issuer's answer.
type Response struct {
	// Approved is the decision; ARC the Authorisation Response Code (8A).
	Approved bool
	ARC      ARC
	// IssuerAuthenticationData is 91: ARPC ‖ ARC (method 1) or ARPC ‖
	// CSU ‖ proprietary data (method 2). Nil when the ARQC did not verify.
	IssuerAuthenticationData []byte
	// Scripts are the issuer script templates (71, 72), TLV-encoded.
	Scripts []byte
	// Reason says why, Detail in words (never a PAN or a key).
	Reason Reason
	Detail string
	// Account is the account's name (or its masked PAN).
	Account string
	// ARQCValid reports that the cryptogram verified.
	ARQCValid bool
	// CVR is the card's Card Verification Results, nil when unreadable.
	CVR *CVR
}

// ICCData returns the ICC data of the response message (DE 55): 91 and the
// script templates.
func (r *Response) ICCData() []byte {
	var b []byte
	if r.IssuerAuthenticationData != nil {
		b = emv.AppendTLV(b, 0x91, r.IssuerAuthenticationData)
	}
	return append(b, r.Scripts...)
}

// Reason is why the issuer decided as it did.
type Reason string

// The reasons, and the response code each gives by default.
const (
	ReasonApproved      Reason = "approved"                      // 00
	ReasonAnswer        Reason = "scripted answer"               // the answer's, 00 or 05
	ReasonFormat        Reason = "format error"                  // 30: DE 55 malformed or incomplete
	ReasonUnknownCard   Reason = "unknown card"                  // 14
	ReasonNotARQC       Reason = "not an ARQC"                   // 30: 9F27 announces a TC or an AAC
	ReasonCryptogram    Reason = "cryptogram does not verify"    // 05
	ReasonCVN           Reason = "unexpected cryptogram version" // 05
	ReasonATCReplay     Reason = "ATC not above the last one"    // 05: a replayed or pre-played cryptogram
	ReasonAmount        Reason = "amount over limit"             // 61
	ReasonCVRUnreadable Reason = "CVR unreadable"                // 05
	ReasonCVR           Reason = "card verification results"     // the condition's: 55, 75 or 05
)

var reasonARC = map[Reason]string{
	ReasonApproved: "00", ReasonFormat: "30", ReasonUnknownCard: "14", ReasonNotARQC: "30",
	ReasonCryptogram: "05", ReasonCVN: "05", ReasonATCReplay: "05", ReasonAmount: "61",
	ReasonCVRUnreadable: "05", ReasonCVR: "05",
}

// Host is an issuer host for simulated and test cards. It is safe for
// concurrent use; it keeps, per account, the position in the scripted
// answers and the highest ATC seen.
type Host struct {
	mu       sync.Mutex
	accounts []*account
}

// account is a compiled Account and its state.
type account struct {
	*compiled
	answered int
	lastATC  int // -1 before the first authorisation
}

// New returns a Host for the accounts, which it validates (errors wrap
// ErrConfig).
func New(accounts ...Account) (*Host, error) {
	h := &Host{}
	for i := range accounts {
		if err := h.Add(accounts[i]); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Add adds an account.
func (h *Host) Add(a Account) error {
	c, err := a.compile()
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	last := -1
	if a.LastATC != nil {
		if *a.LastATC < 0 || *a.LastATC > 0xFFFF {
			return fmt.Errorf("%w: last_atc %d is not an ATC (0 to FFFF)", ErrConfig, *a.LastATC)
		}
		last = *a.LastATC
	}
	h.accounts = append(h.accounts, &account{compiled: c, lastATC: last})
	return nil
}

// txn is one authorisation being decided.
type txn struct {
	req     *Request
	objs    map[emv.Tag][]byte
	psn     string
	arqc    []byte
	atc     []byte
	iad     []byte
	aip     []byte
	cid     byte
	acct    *account
	acKey   []byte
	cvr     *CVR
	missing []emv.Tag // CDOL1 tags absent from DE 55
}

// Authorise checks the ARQC of a request, decides, and answers with an
// ARC, an ARPC and any issuer scripts. A declined request is not an
// error; errors are for a done context and for an account whose
// configuration cannot work (wrapping ErrConfig or ErrUnsupported).
func (h *Host) Authorise(ctx context.Context, req Request) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, fmt.Errorf("issuer: %w", err)
	}
	t := &txn{req: &req}
	if r, done := t.parse(); done {
		return r, nil
	}
	if r, done := h.find(t); done {
		return r, nil
	}
	resp := Response{Account: t.acct.name}
	if r, done, err := t.verify(); err != nil || done {
		r.Account = resp.Account
		return r, err
	}
	resp.ARQCValid, resp.CVR = true, t.cvr
	if r, done := h.checkATC(t); done {
		r.Account, r.ARQCValid, r.CVR = resp.Account, true, t.cvr
		return r, nil
	}
	ans, reason, detail := h.decide(t)
	resp.Approved, resp.Reason, resp.Detail = ans.Approve, reason, detail
	if err := t.answer(&resp, ans); err != nil {
		return Response{}, err
	}
	return resp, nil
}

// decline is a response declining for a reason.
func decline(reason Reason, format string, args ...any) Response {
	return Response{Reason: reason, ARC: MakeARC(reasonARC[reason]), Detail: fmt.Sprintf(format, args...)}
}

// parse reads DE 55: the objects the host needs must be there, once, with
// their lengths.
func (t *txn) parse() (Response, bool) {
	objs, err := emv.Decode(t.req.DE55)
	if err != nil {
		return decline(ReasonFormat, "DE 55: %v", err), true
	}
	t.objs = map[emv.Tag][]byte{}
	var walk func([]emv.Object)
	walk = func(os []emv.Object) {
		for _, o := range os {
			if _, dup := t.objs[o.Tag]; !dup {
				t.objs[o.Tag] = o.Value
			}
			walk(o.Children)
		}
	}
	walk(objs)
	for _, f := range []struct {
		tag      emv.Tag
		min, max int
		dst      *[]byte
	}{{0x9F26, 8, 8, &t.arqc}, {0x9F36, 2, 2, &t.atc}, {0x9F10, 1, 32, &t.iad}, {0x82, 2, 2, &t.aip}} {
		v, ok := t.objs[f.tag]
		if !ok || len(v) < f.min || len(v) > f.max {
			return decline(ReasonFormat, "DE 55: %s (%s) absent or of the wrong length", f.tag, f.tag.Name()), true
		}
		*f.dst = v
	}
	if cid, ok := t.objs[0x9F27]; ok {
		if len(cid) != 1 {
			return decline(ReasonFormat, "DE 55: 9F27 of %d bytes", len(cid)), true
		}
		t.cid = cid[0]
		if emv.CryptogramType(t.cid&0xC0) != emv.CryptogramARQC {
			return decline(ReasonNotARQC, "9F27 %02X announces a %s", t.cid, emv.CryptogramType(t.cid&0xC0)), true
		}
	}
	return t.psnOf()
}

// psnOf reads the PAN Sequence Number from the request or DE 55.
func (t *txn) psnOf() (Response, bool) {
	raw := t.req.PANSequence
	if raw == nil {
		raw = t.objs[0x5F34]
	}
	if raw == nil {
		t.psn = "00"
		return Response{}, false
	}
	s, err := emv.DecodeNumeric(raw)
	if err != nil || len(raw) != 1 {
		return decline(ReasonFormat, "PAN sequence number %X is not one byte of format n", raw), true
	}
	t.psn = s
	return Response{}, false
}

// find picks the account of the request: same PAN and PSN, and the AID
// when the account names one.
func (h *Host) find(t *txn) (Response, bool) {
	aid := t.req.AID
	for _, tag := range []emv.Tag{0x4F, 0x84, 0x9F06} {
		if aid == nil {
			aid = t.objs[tag]
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, a := range h.accounts {
		psn := a.acct.PSN
		if psn == "" {
			psn = "00"
		}
		if a.acct.PAN == t.req.PAN && psn == t.psn && (a.acct.AID == nil || bytes.Equal(a.acct.AID, aid)) {
			t.acct = a
			return Response{}, false
		}
	}
	return decline(ReasonUnknownCard, "no account for PAN %s PSN %s AID %X", emv.MaskPAN(t.req.PAN), t.psn, aid), true
}

// verify recomputes the ARQC. Its done result is true when the request
// is declined.
func (t *txn) verify() (Response, bool, error) {
	m := t.acct.m
	cvr, cvrErr := parseCVR(m.cvr, t.iad)
	if m.cvn != 0 && cvrErr == nil && cvr.CVN != m.cvn {
		return decline(ReasonCVN, "9F10 announces CVN %d, the account uses %d", cvr.CVN, m.cvn), true, nil
	}
	cdol := t.req.CDOL1Data
	if cdol == nil {
		cdol = t.acct.cdol1.Build(func(tag emv.Tag) ([]byte, bool) {
			v, ok := t.objs[tag]
			if !ok {
				t.missing = append(t.missing, tag)
			}
			return v, ok
		})
	}
	key, err := m.acKey(t.acct.keys.AC, t.atc)
	if err != nil {
		return Response{}, true, fmt.Errorf("%w: account %s: %w", ErrConfig, t.acct.name, err)
	}
	err = cryptogram.VerifyAC(m.alg, key, m.acInput(cdol, t.aip, t.atc, t.iad), m.padding, t.arqc)
	if errors.Is(err, cryptogram.ErrCryptogramMismatch) {
		r := decline(ReasonCryptogram, "ARQC %X does not verify (scheme %s, ATC %X)", t.arqc, m.name, t.atc)
		if len(t.missing) > 0 {
			r.Detail += fmt.Sprintf("; CDOL1 objects absent from DE 55, filled with zeros: %v", t.missing)
		}
		r.CVR = cvr
		return r, true, nil
	}
	if err != nil {
		return Response{}, true, fmt.Errorf("%w: account %s: %w", ErrConfig, t.acct.name, err)
	}
	t.acKey, t.cvr = key, cvr
	return Response{}, false, nil
}

// checkATC declines an ATC that is not above the highest one seen, and
// records the new one.
func (h *Host) checkATC(t *txn) (Response, bool) {
	atc := int(t.atc[0])<<8 | int(t.atc[1])
	h.mu.Lock()
	defer h.mu.Unlock()
	a := t.acct
	if atc <= a.lastATC && !a.rules.AllowATCReplay {
		return decline(ReasonATCReplay, "ATC %04X, the last one seen was %04X", atc, a.lastATC), true
	}
	a.lastATC = max(a.lastATC, atc)
	return Response{}, false
}

// decide takes the next scripted answer, or applies the rules.
func (h *Host) decide(t *txn) (Answer, Reason, string) {
	h.mu.Lock()
	a := t.acct
	if a.answered < len(a.acct.Answers) {
		ans := a.acct.Answers[a.answered]
		a.answered++
		h.mu.Unlock()
		return ans, ReasonAnswer, "answer " + strconv.Itoa(a.answered) + " of " + strconv.Itoa(len(a.acct.Answers))
	}
	h.mu.Unlock()
	r := &a.rules
	no := func(reason Reason, arc string, format string, args ...any) (Answer, Reason, string) {
		return Answer{ARC: NewARC(arc)}, reason, fmt.Sprintf(format, args...)
	}
	if r.MaxAmount > 0 {
		amt, ok := t.objs[0x9F02]
		s, err := emv.DecodeNumeric(amt)
		if !ok || len(amt) != 6 || err != nil {
			return no(ReasonFormat, reasonARC[ReasonFormat], "9F02 absent or not n 12: cannot check the amount limit")
		}
		if n, _ := strconv.ParseInt(s, 10, 64); n > r.MaxAmount {
			return no(ReasonAmount, reasonARC[ReasonAmount], "amount %d over the limit %d", n, r.MaxAmount)
		}
	}
	if len(r.Decline) > 0 && t.cvr == nil {
		_, err := parseCVR(a.m.cvr, t.iad)
		return no(ReasonCVRUnreadable, reasonARC[ReasonCVRUnreadable], "%v", err)
	}
	for _, name := range r.Decline {
		c, _ := findCondition(name)
		if c.holds(t.cvr, t.objs[0x9F34]) {
			return no(ReasonCVR, c.arc, "%s: %s", c.name, c.doc)
		}
	}
	return Answer{Approve: true, Scripts: r.Scripts}, ReasonApproved, "the rules approve"
}

// answer fills in the ARC, the Issuer Authentication Data and the scripts.
func (t *txn) answer(resp *Response, ans Answer) error {
	switch {
	case ans.ARC != nil:
		resp.ARC = *ans.ARC
	case ans.Approve:
		resp.ARC = MakeARC("00")
	default:
		resp.ARC = MakeARC("05")
	}
	if !ans.NoARPC {
		iad, err := t.issuerAuthData(resp.ARC, ans)
		if err != nil {
			return err
		}
		resp.IssuerAuthenticationData = iad
	}
	if len(ans.Scripts) > 0 {
		k := &scriptKeys{m: t.acct.m, keys: t.acct.keys, atc: t.atc, ac: t.arqc}
		s, err := k.buildScripts(ans.Scripts)
		if err != nil {
			return fmt.Errorf("account %s: %w", t.acct.name, err)
		}
		resp.Scripts = s
	}
	return nil
}

// issuerAuthData computes 91 with the account's ARPC method, under the
// key of the application cryptogram (EMV Book 2 §8.2).
func (t *txn) issuerAuthData(arc ARC, ans Answer) ([]byte, error) {
	m := t.acct.m
	var iad []byte
	if m.arpcMethod == 1 {
		arpc, err := cryptogram.ARPCMethod1(m.alg, t.acKey, t.arqc, arc[:])
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		iad = append(arpc, arc[:]...)
	} else {
		csu := []byte(ans.CSU)
		if csu == nil {
			var err error
			if csu, err = ans.Status.csu(ans.Approve); err != nil {
				return nil, err
			}
			if len(ans.Proprietary) > 0 {
				csu[0] |= 0x80 // proprietary authentication data included
			}
		}
		arpc, err := cryptogram.ARPCMethod2(m.alg, t.acKey, t.arqc, csu, ans.Proprietary)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		iad = append(append(arpc, csu...), ans.Proprietary...)
	}
	if ans.CorruptARPC {
		iad[0] ^= 0x01
	}
	return iad, nil
}
