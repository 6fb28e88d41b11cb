package cardsim

import (
	"fmt"

	"github.com/yixin-emv/yixin/emv"
)

// Names of the two environments the card may hold.
var (
	pseName  = []byte("1PAY.SYS.DDF01")
	ppseName = []byte("2PAY.SYS.DDF01")
)

// odaTags are the data objects personalisation generates: the CA index,
// the certificates, the remainders and exponents, the signed static data.
var odaTags = map[emv.Tag]bool{
	0x8F: true, 0x90: true, 0x92: true, 0x9F32: true, 0x93: true,
	0x9F46: true, 0x9F47: true, 0x9F48: true,
}

// optionalODATags may turn out empty (a key that fits in its certificate
// has no remainder); a record then simply leaves them out.
var optionalODATags = map[emv.Tag]bool{0x92: true, 0x9F48: true}

// canProvide reports whether a record may list tag t.
func (a *AppProfile) canProvide(t emv.Tag) bool {
	if _, ok := a.tagValue(t); ok {
		return true
	}
	if odaTags[t] {
		return a.ODA != nil
	}
	v, err := a.generated(t)
	return err == nil && v != nil
}

// generated returns the value of a data object that follows from the
// application's fields, or nil when none does.
func (a *AppProfile) generated(t emv.Tag) ([]byte, error) {
	switch t {
	case 0x5A:
		return emv.EncodePAN(a.PAN)
	case 0x5F34:
		if a.PSN == "" {
			return nil, nil
		}
		return emv.EncodeNumeric(a.PSN, 1)
	case 0x5F24:
		return emv.EncodeNumeric(a.Expiry, 3)
	case 0x5F25:
		return emv.EncodeNumeric(a.Effective, 3)
	case 0x57:
		return a.track2()
	case 0x5F20:
		return nonEmpty([]byte(a.CardholderName)), nil
	case 0x5F30:
		return emv.EncodeNumeric(a.ServiceCode, 2)
	case 0x5F28:
		return emv.EncodeNumeric(a.Country, 2)
	case 0x9F42:
		return emv.EncodeNumeric(a.Currency, 2)
	case 0x9F44:
		return emv.EncodeNumeric(fmt.Sprint(a.CurrencyExponent), 1)
	case 0x9F14:
		return []byte{byte(a.LCOL)}, nil
	case 0x9F23:
		return []byte{byte(a.UCOL)}, nil
	}
	return a.generatedData(t), nil
}

// generatedData returns the byte-string fields of the profile by tag.
func (a *AppProfile) generatedData(t emv.Tag) []byte {
	switch t {
	case 0x9F07:
		return a.AUC
	case 0x8E:
		return a.CVMList
	case 0x9F0D:
		return a.IAC.Default
	case 0x9F0E:
		return a.IAC.Denial
	case 0x9F0F:
		return a.IAC.Online
	case 0x8C:
		return a.CDOL1
	case 0x8D:
		return a.CDOL2
	case 0x9F49:
		return nonEmpty(a.DDOL)
	case 0x9F38:
		return nonEmpty(a.PDOL)
	case 0x50:
		return []byte(a.Label)
	case 0x9F12:
		return nonEmpty([]byte(a.PreferredName))
	case 0x5F2D:
		return nonEmpty([]byte(a.Language))
	case 0x87:
		return []byte{a.priorityIndicator()}
	}
	return nil
}

func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// priorityIndicator is the value of 87: priority in b4–b1, cardholder
// confirmation required in b8 (EMV Book 1 §12.2.3).
func (a *AppProfile) priorityIndicator() byte {
	v := byte(a.Priority & 0x0F)
	if a.ConfirmationRequired {
		v |= 0x80
	}
	return v
}

// track2 builds Track 2 Equivalent Data from the PAN, the expiry month,
// the service code and the discretionary data.
func (a *AppProfile) track2() ([]byte, error) {
	t := emv.Track2{PAN: a.PAN, Expiry: a.Expiry[:min(4, len(a.Expiry))], ServiceCode: a.ServiceCode, Discretionary: a.Track2Discretionary}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t.Encode(), nil
}

// value returns the value of a data object for a record or the FCI: the
// profile's Data first, then what follows from its fields. extra supplies
// the generated ODA objects at personalisation.
func (a *AppProfile) value(t emv.Tag, extra map[emv.Tag][]byte) ([]byte, error) {
	if v, ok := a.tagValue(t); ok {
		return v, nil
	}
	if odaTags[t] {
		return extra[t], nil
	}
	return a.generated(t)
}

// buildRecord encodes one record: template 70 holding the listed objects.
func (a *AppProfile) buildRecord(r RecordLayout, extra map[emv.Tag][]byte) ([]byte, error) {
	var body []byte
	for _, k := range r.Tags {
		t, err := emv.ParseTag(k)
		if err != nil {
			return nil, err
		}
		v, err := a.value(t, extra)
		if err != nil {
			return nil, fmt.Errorf("SFI %d record %d: tag %s: %w", r.SFI, r.Record, t, err)
		}
		if len(v) == 0 {
			if optionalODATags[t] {
				continue
			}
			return nil, fmt.Errorf("SFI %d record %d: tag %s has no value", r.SFI, r.Record, t)
		}
		body = emv.AppendTLV(body, t, v)
	}
	rec := emv.AppendTLV(nil, 0x70, body)
	if len(rec) > maxRecordLen {
		return nil, fmt.Errorf("SFI %d record %d is %d bytes, more than the %d a record may hold: move a tag to another record",
			r.SFI, r.Record, len(rec), maxRecordLen)
	}
	return rec, nil
}

// layoutAFL derives the Application File Locator from the record layout:
// consecutive records of one SFI form an entry, and the records flagged
// for ODA must come first in their entry (EMV Book 3 §10.2), so a flagged
// record after an unflagged one starts a new entry.
func layoutAFL(records []RecordLayout) ([]emv.AFLEntry, error) {
	var afl []emv.AFLEntry
	for i, r := range records {
		n := len(afl)
		if n > 0 && i > 0 {
			prev := records[i-1]
			e := &afl[n-1]
			if r.SFI == prev.SFI && r.Record == prev.Record+1 && (!r.ODA || prev.ODA) {
				e.Last = r.Record
				if r.ODA {
					e.ODACount++
				}
				continue
			}
		}
		e := emv.AFLEntry{SFI: r.SFI, First: r.Record, Last: r.Record}
		if r.ODA {
			e.ODACount = 1
		}
		afl = append(afl, e)
	}
	if len(afl) == 0 {
		return nil, fmt.Errorf("no records")
	}
	if 4*len(afl) > 252 {
		return nil, fmt.Errorf("%d AFL entries are too many", len(afl))
	}
	return afl, nil
}

// aflBytes encodes the AFL.
func aflBytes(afl []emv.AFLEntry) []byte {
	var b []byte
	for _, e := range afl {
		b = append(b, e.Bytes()...)
	}
	return b
}

// appFCI builds the FCI an application returns to SELECT (EMV Book 1
// §11.3.4): 6F{84, A5{50, 87, 9F38, 5F2D, 9F11, 9F12, BF0C}}.
func (a *AppProfile) appFCI(data func(emv.Tag) []byte) []byte {
	var prop []byte
	prop = emv.AppendTLV(prop, 0x50, []byte(a.Label))
	prop = emv.AppendTLV(prop, 0x87, []byte{a.priorityIndicator()})
	if len(a.PDOL) > 0 {
		prop = emv.AppendTLV(prop, 0x9F38, a.PDOL)
	}
	if a.Language != "" {
		prop = emv.AppendTLV(prop, 0x5F2D, []byte(a.Language))
	}
	if a.IssuerCodeTable > 0 && a.PreferredName != "" {
		prop = emv.AppendTLV(prop, 0x9F11, []byte{byte(a.IssuerCodeTable)})
		prop = emv.AppendTLV(prop, 0x9F12, []byte(a.PreferredName))
	}
	var idd []byte
	for _, k := range a.FCIIssuerData {
		t := emv.MustParseTag(k)
		idd = emv.AppendTLV(idd, t, data(t))
	}
	if len(idd) > 0 {
		prop = emv.AppendTLV(prop, 0xBF0C, idd)
	}
	fci := emv.AppendTLV(nil, 0x84, a.AID)
	fci = emv.AppendTLV(fci, 0xA5, prop)
	return emv.AppendTLV(nil, 0x6F, fci)
}

// directoryEntry is the Application Template (61) of a PSE record or of
// the PPSE FCI: 4F, 50, 9F12 (PSE only), 87.
func (a *AppProfile) directoryEntry(withPreferredName bool) []byte {
	var e []byte
	e = emv.AppendTLV(e, 0x4F, a.AID)
	e = emv.AppendTLV(e, 0x50, []byte(a.Label))
	if withPreferredName && a.PreferredName != "" {
		e = emv.AppendTLV(e, 0x9F12, []byte(a.PreferredName))
	}
	e = emv.AppendTLV(e, 0x87, []byte{a.priorityIndicator()})
	return emv.AppendTLV(nil, 0x61, e)
}

// pseFCI is the FCI of 1PAY.SYS.DDF01: 6F{84, A5{88, 5F2D, 9F11}}.
func (p *Profile) pseFCI() []byte {
	prop := emv.AppendTLV(nil, 0x88, []byte{byte(p.PSE.SFI)})
	if p.PSE.Language != "" {
		prop = emv.AppendTLV(prop, 0x5F2D, []byte(p.PSE.Language))
	}
	if p.PSE.IssuerCodeTable > 0 {
		prop = emv.AppendTLV(prop, 0x9F11, []byte{byte(p.PSE.IssuerCodeTable)})
	}
	fci := emv.AppendTLV(nil, 0x84, pseName)
	fci = emv.AppendTLV(fci, 0xA5, prop)
	return emv.AppendTLV(nil, 0x6F, fci)
}

// pseRecords are the records of the PSE directory file: one application
// per record, 70{61{…}}.
func (p *Profile) pseRecords() [][]byte {
	recs := make([][]byte, 0, len(p.Applications))
	for i := range p.Applications {
		recs = append(recs, emv.AppendTLV(nil, 0x70, p.Applications[i].directoryEntry(true)))
	}
	return recs
}

// ppseFCI is the FCI of 2PAY.SYS.DDF01 (EMV Contactless Book B §3.3):
// 6F{84, A5{BF0C{61{4F, 50, 87}…}}}.
func (p *Profile) ppseFCI() []byte {
	var dir []byte
	for i := range p.Applications {
		dir = append(dir, p.Applications[i].directoryEntry(false)...)
	}
	prop := emv.AppendTLV(nil, 0xBF0C, dir)
	fci := emv.AppendTLV(nil, 0x84, ppseName)
	fci = emv.AppendTLV(fci, 0xA5, prop)
	return emv.AppendTLV(nil, 0x6F, fci)
}
