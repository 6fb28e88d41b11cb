package cardsim

import (
	"bytes"

	"github.com/yixin-emv/yixin/apdu"
)

// SELECT parameters, EMV Book 1 §11.3.2.
const (
	selectByName    = 0x04
	selectFirst     = 0x00
	selectNext      = 0x02
	minPartialMatch = 5 // a RID: the shortest name that may select by partial AID
)

// cmdSelect is SELECT by DF name (EMV Book 1 §11.3): the PSE, the PPSE or
// an application by its full AID or a leading part of it, first or next
// occurrence. A blocked card answers 6A81 to every SELECT (Book 3 §6.5.3);
// a blocked application is selected but answers 6283 with its FCI (Book 3
// §6.5.1).
func (c *Card) cmdSelect(cmd *apdu.Command, _ []byte) apdu.Response {
	if cmd.P1 != selectByName || (cmd.P2 != selectFirst && cmd.P2 != selectNext) {
		return status(apdu.SWIncorrectP1P2)
	}
	if len(cmd.Data) == 0 || len(cmd.Data) > 16 {
		return status(apdu.SWWrongLength)
	}
	if c.st.CardBlocked {
		return status(apdu.SWFunctionNotSupported)
	}
	p := c.file.Profile
	switch {
	case bytes.Equal(cmd.Data, pseName):
		if p.PSE == nil || cmd.P2 == selectNext {
			return status(apdu.SWFileNotFound)
		}
		c.sess = session{df: dfPSE}
		return ok(p.pseFCI())
	case bytes.Equal(cmd.Data, ppseName):
		if !p.PPSE || cmd.P2 == selectNext {
			return status(apdu.SWFileNotFound)
		}
		c.sess = session{df: dfPPSE}
		return ok(p.ppseFCI())
	}
	a := c.findApp(cmd.Data, cmd.P2 == selectNext)
	if a == nil {
		return status(apdu.SWFileNotFound)
	}
	c.sess = session{df: dfApp, app: a}
	rsp := ok(a.prof.appFCI(a.fciValue))
	if a.blocked() {
		rsp.SW = apdu.SWSelectedFileInvalidated
	}
	return rsp
}

// findApp returns the application a SELECT names: the first whose AID
// starts with name, or with next the first such one after the application
// currently selected (ISO/IEC 7816-4 §7.1.1, "next occurrence").
func (c *Card) findApp(name []byte, next bool) *app {
	start := 0
	if next {
		if cur := c.app(); cur != nil && bytes.HasPrefix(cur.prof.AID, name) {
			for i, a := range c.apps {
				if a == cur {
					start = i + 1
				}
			}
		}
	}
	for _, a := range c.apps[start:] {
		aid := a.prof.AID
		if bytes.Equal(aid, name) || (len(name) >= minPartialMatch && bytes.HasPrefix(aid, name)) {
			return a
		}
	}
	return nil
}

// blocked reports whether the application may only decline: blocked by an
// issuer script, or its ATC exhausted (EMV Book 2 Annex D: an ATC never
// wraps).
func (a *app) blocked() bool {
	return a.state.Blocked || a.state.ATC == 0xFFFF
}
