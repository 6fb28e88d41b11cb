package cardsim

import (
	"fmt"
	"slices"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// cmdReadRecord is READ RECORD (EMV Book 1 §11.2): P1 the record number,
// P2 the SFI in b8–b4 and 100 in b3–b1 ("P1 is a record number"). The
// records of the PSE directory are read while the PSE is selected, an
// application's while it is.
func (c *Card) cmdReadRecord(cmd *apdu.Command, _ []byte) apdu.Response {
	if cmd.P1 == 0 || cmd.P2&0x07 != 0x04 {
		return status(apdu.SWIncorrectP1P2)
	}
	sfi := int(cmd.P2 >> 3)
	if sfi == 0 {
		// SFI 0 is "the current EF"; an EMV card has none.
		return status(swIncompatibleFile)
	}
	rec := int(cmd.P1)
	switch c.sess.df {
	case dfPSE:
		return c.readDirectory(sfi, rec)
	case dfApp:
		return c.sess.app.readRecord(sfi, rec)
	case dfPPSE:
		return status(apdu.SWFileNotFound)
	}
	return status(apdu.SWConditionsNotSatisfied)
}

func (c *Card) readDirectory(sfi, rec int) apdu.Response {
	pse := c.file.Profile.PSE
	if sfi != pse.SFI {
		return status(apdu.SWFileNotFound)
	}
	recs := c.file.Profile.pseRecords()
	if rec > len(recs) {
		return status(apdu.SWRecordNotFound)
	}
	return ok(recs[rec-1])
}

// readRecord returns a record as last personalised or updated by a script.
func (a *app) readRecord(sfi, rec int) apdu.Response {
	if v, ok2 := a.state.Records[recordKey(sfi, rec)]; ok2 {
		return ok(slices.Clone(v))
	}
	if v, ok2 := a.records[[2]int{sfi, rec}]; ok2 {
		return ok(slices.Clone(v))
	}
	if !a.hasFile(sfi) {
		return status(apdu.SWFileNotFound)
	}
	return status(apdu.SWRecordNotFound)
}

// hasFile reports whether the application has a file with this SFI.
func (a *app) hasFile(sfi int) bool {
	for k := range a.records {
		if k[0] == sfi {
			return true
		}
	}
	return false
}

func recordKey(sfi, rec int) string { return fmt.Sprintf("%d/%d", sfi, rec) }

// cmdGetData is GET DATA (EMV Book 3 §6.5.7): P1 P2 is the tag; the card
// answers the whole data object. It knows the ATC (9F36), the Last Online
// ATC Register (9F13), the PIN Try Counter (9F17) and the tags the profile
// lists in get_data; others are 6A88.
func (c *Card) cmdGetData(cmd *apdu.Command, _ []byte) apdu.Response {
	a := c.app()
	if a == nil {
		return status(apdu.SWConditionsNotSatisfied)
	}
	t := emv.Tag(uint32(cmd.P1)<<8 | uint32(cmd.P2))
	if cmd.P1 == 0 {
		t = emv.Tag(cmd.P2)
	}
	v, found := a.getData(t)
	if !found {
		return status(swReferencedNotFound)
	}
	return ok(emv.AppendTLV(nil, t, v))
}

// getData returns a data object GET DATA may read.
func (a *app) getData(t emv.Tag) ([]byte, bool) {
	switch t {
	case 0x9F36:
		return u16(a.state.ATC), true
	case 0x9F13:
		return u16(a.state.LastOnlineATC), true
	case 0x9F17:
		return []byte{byte(a.state.PINTries)}, true
	}
	if !slices.Contains(a.prof.GetData, t.String()) {
		return nil, false
	}
	v := a.dataValue(t)
	return v, v != nil
}

// dataValue returns the current value of a data object: as an issuer
// script set it, else as personalised.
func (a *app) dataValue(t emv.Tag) []byte {
	if v, ok2 := a.state.Data[t.String()]; ok2 {
		return v
	}
	v, err := a.prof.value(t, nil)
	if err != nil {
		return nil
	}
	return v
}

// fciValue is dataValue for the FCI.
func (a *app) fciValue(t emv.Tag) []byte { return a.dataValue(t) }

// lcol and ucol are the consecutive offline limits now in force.
func (a *app) lcol() int { return int(firstByte(a.dataValue(0x9F14), byte(a.prof.LCOL))) }
func (a *app) ucol() int { return int(firstByte(a.dataValue(0x9F23), byte(a.prof.UCOL))) }

func firstByte(b []byte, dflt byte) byte {
	if len(b) != 1 {
		return dflt
	}
	return b[0]
}

func u16(v uint16) []byte { return []byte{byte(v >> 8), byte(v)} }
