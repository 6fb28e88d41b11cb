package kerneltest

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// Actual is what a case's transaction produced, in the terms of Expect.
type Actual struct {
	Result string `json:"result"`
	Reason string `json:"reason"`
	// Error is the termination's message, ErrorName its cause by the names
	// of Expect.Error, SW its status word.
	Error           string `json:"error,omitempty"`
	ErrorName       string `json:"error_name,omitempty"`
	SW              string `json:"sw,omitempty"`
	Phase           string `json:"phase"`
	TerminatedPhase string `json:"terminated_phase,omitempty"`

	AID             string   `json:"aid,omitempty"`
	SelectionRule   string   `json:"selection_rule,omitempty"`
	SelectionMethod string   `json:"selection_method,omitempty"`
	SelectionReason string   `json:"selection_reason,omitempty"`
	Candidates      []string `json:"candidates,omitempty"`
	Removed         []string `json:"removed,omitempty"`
	Confirmed       bool     `json:"confirmed"`
	Override        bool     `json:"override"`

	ODA      string `json:"oda"`
	ODAOK    bool   `json:"oda_ok"`
	ODAError string `json:"oda_error,omitempty"`

	TVR        string   `json:"tvr"`
	TVRNames   []string `json:"tvr_names"`
	TSI        string   `json:"tsi"`
	TSINames   []string `json:"tsi_names"`
	CVMResults string   `json:"cvm_results"`
	CVMText    string   `json:"cvm_text"`
	Signature  bool     `json:"signature"`
	OnlinePIN  bool     `json:"online_pin"`

	CID       []string   `json:"cid"`
	Exchanges []Exchange `json:"exchanges"`

	DE55     string   `json:"de55"`
	DE55Tags []string `json:"de55_tags"`
	Online   bool     `json:"online"`
	// OnlineDE55 is the DE 55 of the authorisation request, "" when none
	// went out.
	OnlineDE55    string `json:"online_de55,omitempty"`
	ARC           string `json:"arc,omitempty"`
	ScriptResults string `json:"script_results,omitempty"`
	Reversal      bool   `json:"reversal"`
	ATC           int    `json:"atc"`

	CardAfter map[string]*cardsim.AppState `json:"card_after,omitempty"`
	Events    []string                     `json:"events,omitempty"`

	de55       map[string]string // tag → value (hex)
	onlineDE55 map[string]string // the same for the authorisation request
	appNames   map[string]string // AID (hex) → application name
}

func hexU(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// actual reads what the transaction produced.
func (w *world) actual(o *kernel.Outcome, err error) *Actual {
	a := &Actual{Result: string(o.Result), Reason: o.Reason, Phase: o.Phase.String(),
		AID: hexU(o.AID), SelectionRule: string(o.Selection.Rule), SelectionMethod: o.Selection.Method,
		SelectionReason: o.Selection.Reason, Confirmed: o.Selection.Confirmed, Override: o.Selection.Override,
		ODA: string(o.ODA), ODAOK: o.ODAOK, ODAError: o.ODAError,
		TVR: hexU(o.TVR[:]), TVRNames: tvrShortNames(o.TVR), TSI: hexU(o.TSI[:]), TSINames: tsiShortNames(o.TSI),
		CVMResults: hexU(o.CVMResults[:]), CVMText: o.CVMResults.String(), Signature: o.Signature, OnlinePIN: o.OnlinePIN,
		DE55: hexU(o.DataRecord), ARC: o.ResponseCode, ScriptResults: hexU(o.ScriptResults), Reversal: o.Reversal,
		ATC: int(o.ATC), Exchanges: w.log.exchanges(), de55: map[string]string{}}
	if err != nil {
		a.Error = err.Error()
		a.ErrorName = errorName(err)
		if te := terminatedError(err); te != nil {
			a.TerminatedPhase = te.Phase.String()
			if te.SW != 0 {
				a.SW = fmt.Sprintf("%04X", uint16(te.SW))
			}
		}
	}
	for _, c := range o.Selection.Candidates {
		a.Candidates = append(a.Candidates, hexU(c.AID))
	}
	for _, r := range o.Selection.Removed {
		a.Removed = append(a.Removed, hexU(r.AID))
	}
	for _, x := range a.Exchanges {
		if x.Name == "GENERATE AC" && x.CID != "" {
			a.CID = append(a.CID, x.CID)
		}
	}
	a.DE55Tags, a.de55 = tlvIndex(o.DataRecord)
	if w.host != nil {
		a.Online = w.host.online.Load()
		if p := w.host.de55.Load(); p != nil {
			a.OnlineDE55 = hexU(*p)
			_, a.onlineDE55 = tlvIndex(*p)
		}
	}
	a.CardAfter = cardAfter(w.cf, w.card.State())
	a.appNames = map[string]string{}
	for i, app := range w.cf.Applications {
		a.appNames[hexU(app.AID)] = w.cf.Profile.Applications[i].Name
	}
	if w.attack != nil {
		for _, e := range w.attack.Events() {
			a.Events = append(a.Events, e.String())
		}
	}
	return a
}

// tlvIndex lists the top-level tags of TLV data and their values in hex.
func tlvIndex(b []byte) ([]string, map[string]string) {
	var tags []string
	m := map[string]string{}
	objs, err := emv.Decode(b)
	if err != nil {
		return nil, m
	}
	for _, obj := range objs {
		tags = append(tags, obj.Tag.String())
		m[obj.Tag.String()] = hexU(obj.Value)
	}
	return tags, m
}

// cardAfter is the card's state by application name.
func cardAfter(cf *cardsim.CardFile, st *cardsim.State) map[string]*cardsim.AppState {
	m := map[string]*cardsim.AppState{}
	for i, a := range cf.Applications {
		if s := appState(st, hex.EncodeToString(a.AID)); s != nil {
			m[cf.Profile.Applications[i].Name] = s
		}
	}
	return m
}
