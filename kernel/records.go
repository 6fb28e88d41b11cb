package kernel

import (
	"context"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

// maxRecords bounds the records one AFL may make the terminal read (a
// hostile AFL can list 63 × 254); real cards list a few dozen at most.
const maxRecords = 128

// mandatory lists the data objects Book 3 §10.2 requires the card to
// have given by the end of read application data.
var mandatory = []emv.Tag{0x5F24, 0x5A, 0x8C, 0x8D}

// readRecords is read application data (Book 3 §10.2): READ RECORD of
// every record the AFL lists, keeping those flagged for offline data
// authentication exactly as read.
func (t *Transaction) readRecords(ctx context.Context) error {
	var buf aflBuf
	afl := t.aflEntries(&buf)
	n, nODA := 0, 0
	for _, e := range afl {
		n += e.Last - e.First + 1
		nODA += min(e.ODACount, e.Last-e.First+1)
	}
	if n > maxRecords {
		return cardDataError("the AFL lists %d records, more than the %d this terminal reads", n, maxRecords)
	}
	switch { // only the records flagged for ODA are kept
	case nODA > len(t.mem.records):
		t.records = make([]oda.Record, 0, nODA)
	case nODA > 0:
		t.records = t.mem.records[:0]
	}
	for _, e := range afl {
		for rec := e.First; rec <= e.Last; rec++ {
			if err := t.readRecord(ctx, e, rec); err != nil {
				return err
			}
		}
	}
	for _, tag := range mandatory {
		if !t.icc.has(tag) {
			return cardDataError("mandatory %s (%s) missing", tag, tag.Name())
		}
	}
	pan, _ := t.icc.get(0x5A)
	p, err := emv.ParsePAN(pan)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCardData, err)
	}
	t.pan = p
	if t.cfg.BrandCheck != "off" {
		if b := t.selectedBrand(); brandMismatch(b, p) {
			return fmt.Errorf("%w: the AID %X is %s, the PAN %s is not", ErrBrandMismatch, t.sel.AID, b, emv.MaskPAN(p))
		}
	}
	return nil
}

// aflBuf is room on a caller's stack for the entries of a typical AFL.
type aflBuf [8]emv.AFLEntry

// aflEntries returns the entries of the AFL, which initiate checked, in
// buf when they fit: the AFL is kept as the card sent it (four bytes an
// entry) rather than as entries in the transaction.
func (t *Transaction) aflEntries(buf *aflBuf) []emv.AFLEntry {
	afl, _ := emv.AppendAFL(buf[:0], t.afl)
	return afl
}

// readRecord reads one record and stores its data objects.
func (t *Transaction) readRecord(ctx context.Context, e emv.AFLEntry, rec int) error {
	cmd, err := apdu.ReadRecord(e.SFI, rec)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCardData, err)
	}
	data, sw, err := t.transmit(ctx, cmd)
	if err != nil {
		return err
	}
	if sw != apdu.SWNoError {
		return terminated(PhaseReadRecords, sw, fmt.Errorf("%w: READ RECORD SFI %d record %d answered %v", ErrCardStatus, e.SFI, rec, sw))
	}
	if e.IsODA(rec) {
		t.records = append(t.records, oda.Record{SFI: e.SFI, Number: rec, Data: data})
	}
	body, ok := singleObject(data, 0x70)
	if !ok {
		if e.SFI <= 10 {
			return cardDataError("SFI %d record %d is not a template 70", e.SFI, rec)
		}
		return nil // SFI 11–30 may hold proprietary data: kept for ODA only
	}
	dup, err := t.icc.addObjects(body)
	if err != nil {
		return cardDataError("SFI %d record %d: %v", e.SFI, rec, err)
	}
	if dup != 0 {
		return cardDataError("SFI %d record %d repeats %s (%s)", e.SFI, rec, dup, dup.Name())
	}
	return nil
}

// selectedBrand is the brand of the selected application.
func (t *Transaction) selectedBrand() Brand {
	if t.app != nil && t.app.Brand != "" {
		return t.app.Brand
	}
	return BrandOfAID(t.sel.AID)
}

// odaCardData gathers the objects offline data authentication uses, in one
// pass over the store (which holds each tag once). The values alias the
// card's responses, which the transaction keeps. The result is the
// caller's, on its stack, rather than a field that every transaction would
// carry; it is returned by value so that filling it needs no write
// barrier.
func (t *Transaction) odaCardData() (d oda.CardData) {
	for i, tag := range t.icc.tags[:t.icc.n] {
		v := t.icc.vals[i]
		switch tag {
		case 0x5A:
			d.PAN = v
		case 0x8F:
			d.CAIndex = v
		case 0x90:
			d.IssuerCert = v
		case 0x92:
			d.IssuerRemainder = v
		case 0x9F32:
			d.IssuerExponent = v
		case 0x9F46:
			d.ICCCert = v
		case 0x9F48:
			d.ICCRemainder = v
		case 0x9F47:
			d.ICCExponent = v
		case 0x93:
			d.SSAD = v
		case 0x9F4A:
			d.SDATagList = v
		case 0x82:
			d.AIP = v
		case 0x9F49:
			d.DDOL = v
		case 0x8C:
			d.CDOL1 = v
		}
	}
	return d
}
