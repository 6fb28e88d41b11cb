package cardsim

import (
	"slices"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// tagSMSupport is DF69, which a domestic application's PDOL lists to learn
// whether the terminal supports the SM algorithms: 01 yes, 00 no
// (shared/refs/DOMESTIC.md, from an open qPBOC kernel).
const tagSMSupport emv.Tag = 0xDF69

// cmdGPO is GET PROCESSING OPTIONS (EMV Book 3 §6.5.8): it starts the
// transaction, checks the PDOL data in template 83, increments the ATC and
// saves it before answering with the AIP and the AFL in format 1 (80) or
// format 2 (77).
func (c *Card) cmdGPO(cmd *apdu.Command, _ []byte) apdu.Response {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return status(apdu.SWIncorrectP1P2)
	}
	a := c.app()
	if a == nil || c.sess.txn != nil {
		return status(apdu.SWConditionsNotSatisfied)
	}
	pdolData, sw := a.parseGPOData(cmd.Data)
	if sw != apdu.SWNoError {
		return status(sw)
	}
	if a.state.ATC == 0xFFFF {
		return status(apdu.SWConditionsNotSatisfied)
	}
	if a.needsSM() {
		if v, found := dolField(a.pdol, pdolData, tagSMSupport); found && !(len(v) == 1 && v[0] == 0x01) {
			// The application works with the SM algorithms only: a
			// terminal without them must choose another application
			// (6985 sends it back to selection, EMV Book 3 §10.1).
			return status(apdu.SWConditionsNotSatisfied)
		}
	}
	a.state.ATC++
	if err := c.save(); err != nil {
		return status(swMemoryFailure)
	}
	c.sess.txn = &txn{atc: a.state.ATC, pdolData: pdolData}
	return ok(a.gpoResponse())
}

// parseGPOData checks the command data: exactly one template 83 whose
// value is as long as the PDOL asks (empty without a PDOL).
func (a *app) parseGPOData(data []byte) ([]byte, apdu.StatusWord) {
	if len(data) == 0 {
		return nil, apdu.SWWrongLength
	}
	s := emv.Scanner(data)
	var v []byte
	if !s.ReadTagged(0x83, &v) {
		var t emv.Tag
		var other []byte
		if s.ReadObject(&t, &other) {
			return nil, apdu.SWIncorrectData // some other template
		}
		return nil, apdu.SWWrongLength // 83 with a length that overruns
	}
	if !s.Empty() || len(v) != a.pdol.Len() {
		return nil, apdu.SWWrongLength
	}
	return slices.Clone(v), apdu.SWNoError
}

// needsSM reports whether the application works only with the SM
// algorithms.
func (a *app) needsSM() bool { return a.prof.Crypto.Algorithm == "sm4" }

// gpoResponse is the AIP and AFL in the profile's response format.
func (a *app) gpoResponse() []byte {
	afl := aflBytes(a.afl)
	if a.prof.ResponseFormat == 1 {
		return emv.AppendTLV(nil, 0x80, append(slices.Clone(a.prof.AIP), afl...))
	}
	body := emv.AppendTLV(nil, 0x82, a.prof.AIP)
	body = emv.AppendTLV(body, 0x94, afl)
	return emv.AppendTLV(nil, 0x77, body)
}

// dolField returns the value of the first entry for tag in data built for
// dol.
func dolField(dol emv.DOL, data []byte, tag emv.Tag) ([]byte, bool) {
	fields, err := dol.Split(data)
	if err != nil {
		return nil, false
	}
	for _, f := range fields {
		if f.Tag == tag {
			return f.Value, true
		}
	}
	return nil, false
}
