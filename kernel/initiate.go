package kernel

import (
	"context"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// maxReselections bounds how often GET PROCESSING OPTIONS may send the
// terminal back to selection (each 6985 removes a candidate anyway).
const maxReselections = maxCandidates

// initiate is initiate application processing (Book 3 §10.1): build the
// PDOL data, send GET PROCESSING OPTIONS, and read the AIP and AFL from
// its answer. 6985 removes the application and returns to final
// selection.
func (t *Transaction) initiate(ctx context.Context) error {
	for range maxReselections {
		data, sw, err := t.gpo(ctx)
		if err != nil {
			return err
		}
		if sw == apdu.SWConditionsNotSatisfied {
			if err := t.reselect(ctx); err != nil {
				return terminated(PhaseInitiation, sw, err)
			}
			continue
		}
		if sw != apdu.SWNoError {
			return terminated(PhaseInitiation, sw, fmt.Errorf("%w: GET PROCESSING OPTIONS answered %v", ErrCardStatus, sw))
		}
		return t.parseGPO(data)
	}
	return ErrNotAccepted
}

// gpo builds the PDOL data and sends GET PROCESSING OPTIONS.
func (t *Transaction) gpo(ctx context.Context) ([]byte, apdu.StatusWord, error) {
	t.pdolData = nil
	if p, ok := t.fciData.get(0x9F38); ok {
		var buf dolBuf
		dol, err := emv.AppendDOL(buf[:0], p)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: PDOL: %v", ErrCardData, err)
		}
		start := len(t.termBuf) // built in the transaction's buffer: kept for CDA
		t.termBuf = dol.AppendBuild(t.termBuf, t.lookup)
		t.pdolData = t.termBuf[start:len(t.termBuf):len(t.termBuf)]
		if len(t.pdolData) > apdu.MaxShortNc-2 {
			return nil, 0, cardDataError("PDOL asks for %d bytes, more than one command carries", len(t.pdolData))
		}
	}
	// apdu.GetProcessingOptions, with the command template 83 built on the
	// stack rather than allocated: transmit encodes the command at once.
	var data [2 + apdu.MaxShortNc]byte
	return t.transmit(ctx, apdu.Command{CLA: 0x80, INS: apdu.INSGetProcessingOptions, Ne: apdu.MaxShortNe,
		Data: append(emv.AppendLength(append(data[:0], 0x83), len(t.pdolData)), t.pdolData...)})
}

// parseGPO reads the response to GET PROCESSING OPTIONS: format 1 (80:
// AIP and AFL) or format 2 (77: data objects including 82 and 94).
func (t *Transaction) parseGPO(data []byte) error {
	var tag emv.Tag
	var v []byte
	sc := emv.Scanner(data)
	sc.SkipPadding()
	if !sc.ReadObject(&tag, &v) {
		return cardDataError("GET PROCESSING OPTIONS response is not TLV")
	}
	if sc.SkipPadding(); sc.More() {
		return cardDataError("GET PROCESSING OPTIONS response has data after its template")
	}
	switch tag {
	case 0x80:
		if len(v) < 2 || (len(v)-2)%4 != 0 {
			return cardDataError("format 1 GET PROCESSING OPTIONS response of %d bytes", len(v))
		}
		t.icc.set(0x82, v[:2])
		if len(v) > 2 {
			t.icc.set(0x94, v[2:])
		}
	case 0x77:
		dup, err := t.icc.addObjects(v)
		if err != nil {
			return cardDataError("GET PROCESSING OPTIONS response: %v", err)
		}
		if dup != 0 {
			return cardDataError("GET PROCESSING OPTIONS response holds %s twice", dup)
		}
	default:
		return cardDataError("GET PROCESSING OPTIONS response template %s is neither 80 nor 77", tag)
	}
	aip, ok := t.icc.get(0x82)
	if !ok {
		return cardDataError("Application Interchange Profile (82) missing")
	}
	if t.aip, ok = parseAIP(aip); !ok {
		return cardDataError("Application Interchange Profile of %d bytes", len(aip))
	}
	afl, ok := t.icc.get(0x94)
	if !ok {
		return cardDataError("Application File Locator (94) missing")
	}
	var buf aflBuf
	if _, err := emv.AppendAFL(buf[:0], afl); err != nil {
		return fmt.Errorf("%w: %w", ErrCardData, err)
	}
	t.afl = afl
	return nil
}

func parseAIP(b []byte) (emv.AIP, bool) {
	a, err := emv.ParseAIP(b)
	return a, err == nil
}
