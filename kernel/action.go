package kernel

import (
	"context"

	"github.com/yixin-emv/yixin/emv"
)

// Authorisation Response Codes (8A) the terminal sets itself (Book 4
// Annex A6).
var (
	arcOfflineApproved  = []byte("Y1")
	arcOfflineDeclined  = []byte("Z1")
	arcUnableApproved   = []byte("Y3")
	arcUnableDeclined   = []byte("Z3")
	defaultIACDenial    = emv.TVR{}
	defaultIACOnlineDef = emv.TVR{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
)

// analyseActions is terminal action analysis (Book 3 §10.7) followed by
// the first GENERATE AC, whose answer is card action analysis (§10.8).
func (t *Transaction) analyseActions(ctx context.Context) error {
	want := t.terminalDecision()
	switch want {
	case emv.CryptogramTC:
		t.term.set(0x8A, arcOfflineApproved)
	case emv.CryptogramAAC:
		t.term.set(0x8A, arcOfflineDeclined)
	}
	return t.firstGenerateAC(ctx, want)
}

// terminalDecision compares the TVR with the issuer and terminal action
// codes: denial first; then online when the terminal can go online;
// default when it cannot.
func (t *Transaction) terminalDecision() emv.CryptogramType {
	if t.tvr.Intersects(t.actionCode(0x9F0E, defaultIACDenial, t.app.TACDenial)) {
		return emv.CryptogramAAC
	}
	tt := emv.TerminalType(t.cfg.Terminal.Type[0])
	if tt.OnlineCapable() {
		if !tt.OfflineCapable() || t.tvr.Intersects(t.actionCode(0x9F0F, defaultIACOnlineDef, t.app.TACOnline)) {
			return emv.CryptogramARQC
		}
		return emv.CryptogramTC
	}
	return t.defaultAction()
}

// defaultAction is the decision of a terminal that cannot go online (Book
// 3 §10.7, and after "unable to go online"): the default action codes.
func (t *Transaction) defaultAction() emv.CryptogramType {
	if t.tvr.Intersects(t.actionCode(0x9F0D, defaultIACOnlineDef, t.app.TACDefault)) {
		return emv.CryptogramAAC
	}
	return emv.CryptogramTC
}

// actionCode is the union of an Issuer Action Code (the card's, or its
// default when absent or malformed) and the Terminal Action Code.
func (t *Transaction) actionCode(iacTag emv.Tag, def emv.TVR, tac Hex) emv.TVR {
	code := def
	if v, ok := t.icc.get(iacTag); ok && len(v) == 5 {
		code = emv.TVR(v)
	}
	if len(tac) == 5 {
		for i := range code {
			code[i] |= tac[i]
		}
	}
	return code
}
