package kernel

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

// odaState is what offline data authentication found.
type odaState struct {
	method  ODAMethod // the method performed (sda, dda, cda) or none
	sm2     bool      // the CA key is an SM2 key: the domestic variant
	ok      bool      // performed and succeeded (CDA: once the signature verified)
	err     error     // why it failed, nil if it did not
	icc     *oda.ICCCertificate
	issuer  *oda.IssuerCertificate
	pending bool // CDA: keys retrieved, the signature comes with GENERATE AC
}

// authenticate is offline data authentication (Book 3 §10.3): CDA if both
// the card and the terminal support it, else DDA, else SDA, else none. A
// failure sets the method's TVR bit and the transaction goes on.
func (t *Transaction) authenticate(ctx context.Context) error {
	m := t.chooseODA()
	t.oda.method = m
	if m == ODANone {
		t.tvr.Set(emv.TVROfflineDataAuthNotPerformed)
		return nil
	}
	t.tsi.Set(emv.TSIODAPerformed)
	if m == ODASDA {
		t.tvr.Set(emv.TVRSDASelected)
	}
	var err error
	switch m {
	case ODASDA:
		err = t.sda()
	case ODADDA:
		err = t.dda(ctx)
	case ODACDA:
		err = t.cdaKeys()
	}
	if t.oda.issuer != nil {
		t.oda.sm2 = t.oda.issuer.Key.Algorithm == oda.SM2
	} else {
		t.oda.sm2 = t.caKeyIsSM2()
	}
	if err != nil {
		var te *TerminatedError
		if errors.As(err, &te) {
			return err // the card could not be reached: terminate
		}
		t.odaFailed(err)
	}
	return nil
}

// caKeyIsSM2 reports whether the CA key the card names is an SM2 key, for
// the Outcome when the issuer key could not be retrieved.
func (t *Transaction) caKeyIsSM2() bool {
	idx, ok := t.icc.get(0x8F)
	if t.cfg.CAKeys == nil || !ok || len(idx) != 1 {
		return false
	}
	rid, err := oda.RID(t.sel.AID)
	if err != nil {
		return false
	}
	k, ok := t.cfg.CAKeys.Lookup(rid, idx[0])
	return ok && k.Key.Algorithm == oda.SM2
}

// chooseODA picks the method: the strongest that the card's AIP and the
// terminal (9F33 and the application's list) both support.
func (t *Transaction) chooseODA() ODAMethod {
	caps := emv.TerminalCapabilities(t.cfg.Terminal.Capabilities)
	allowed := func(m ODAMethod, bit emv.TerminalCapabilitiesBit) bool {
		if t.app != nil && t.app.ODA != nil {
			return slices.Contains(t.app.ODA, m)
		}
		return caps.Has(bit)
	}
	switch {
	case t.aip.Has(emv.AIPCDASupported) && allowed(ODACDA, emv.TCCDA):
		return ODACDA
	case t.aip.Has(emv.AIPDDASupported) && allowed(ODADDA, emv.TCDDA):
		return ODADDA
	case t.aip.Has(emv.AIPSDASupported) && allowed(ODASDA, emv.TCSDA):
		return ODASDA
	}
	return ODANone
}

// staticBuf is room on a caller's stack for typical static data.
type staticBuf [512]byte

// staticData appends the static data to be authenticated to buf, as
// oda.StaticData assembles it (the records the AFL flags, in AFL order,
// then the AIP when 9F4A asks for it): the callers hash it once and do
// not keep it, so that it need not be allocated.
func (t *Transaction) staticData(buf []byte) ([]byte, error) {
	out := buf[:0]
	var ab aflBuf
	for _, e := range t.aflEntries(&ab) {
		for n := e.First; n < e.First+e.ODACount; n++ {
			var r []byte
			for _, rec := range t.records {
				if rec.SFI == e.SFI && rec.Number == n {
					r = rec.Data
					break
				}
			}
			if r == nil {
				return nil, &oda.Error{Object: oda.ObjectStaticData,
					Err: fmt.Errorf("%w: SFI %d record %d is flagged for ODA but was not read", oda.ErrMissingData, e.SFI, n)}
			}
			var err error
			if out, err = oda.AppendODARecord(out, e.SFI, r); err != nil {
				return nil, err
			}
		}
	}
	tl, _ := t.icc.get(0x9F4A)
	aip, _ := t.icc.get(0x82)
	return oda.AppendTagListData(out, tl, aip)
}

// issuerKey retrieves the issuer public key (Book 2 §5.3, §6.3).
func (t *Transaction) issuerKey() (*oda.IssuerCertificate, error) {
	d := t.odaCardData()
	return t.issuerKeyOf(&d)
}

// issuerKeyOf is issuerKey with the card data gathered.
func (t *Transaction) issuerKeyOf(d *oda.CardData) (*oda.IssuerCertificate, error) {
	if t.cfg.CAKeys == nil {
		return nil, &oda.Error{Object: oda.ObjectCAKey, Err: oda.ErrCAKeyNotFound}
	}
	rid, err := oda.RID(t.sel.AID)
	if err != nil {
		return nil, err
	}
	v := oda.Verifier{Store: t.cfg.CAKeys, Date: t.now}
	ic := &t.mem.issuerCert
	if err := v.IssuerKeyTo(ic, rid, d); err != nil {
		return nil, err
	}
	t.oda.issuer = ic
	return ic, nil
}

// iccKey retrieves the ICC public key (Book 2 §6.4) after the issuer's.
func (t *Transaction) iccKey() (*oda.ICCCertificate, error) {
	var sb staticBuf
	static, err := t.staticData(sb[:])
	if err != nil {
		return nil, err
	}
	d := t.odaCardData()
	ic, err := t.issuerKeyOf(&d)
	if err != nil {
		return nil, err
	}
	v := oda.Verifier{Store: t.cfg.CAKeys, Date: t.now}
	cc := &t.mem.iccCert
	if err := v.ICCKeyTo(cc, ic, &d, static); err != nil {
		return nil, err
	}
	t.oda.icc = cc
	return cc, nil
}

// sda is static data authentication (Book 2 §5).
func (t *Transaction) sda() error {
	var sb staticBuf
	static, err := t.staticData(sb[:])
	if err != nil {
		return err
	}
	ic, err := t.issuerKey()
	if err != nil {
		return err
	}
	ssad, ok := t.icc.get(0x93)
	if !ok || ssad == nil {
		return &oda.Error{Object: oda.ObjectSSAD, Err: oda.ErrMissingData}
	}
	dac, err := oda.VerifySSAD(ic.Key, ssad, static)
	if err != nil {
		return err
	}
	t.term.set(0x9F45, t.keep(dac[:]))
	t.oda.ok = true
	return nil
}

// dda is dynamic data authentication (Book 2 §6.5): INTERNAL AUTHENTICATE
// with the DDOL data, then the signature.
func (t *Transaction) dda(ctx context.Context) error {
	cc, err := t.iccKey()
	if err != nil {
		return err
	}
	ddol, _ := t.icc.get(0x9F49)
	if ddol == nil && t.app != nil {
		ddol = t.app.DefaultDDOL
	}
	if len(ddol) == 0 {
		return &oda.Error{Object: oda.ObjectSDAD, Err: fmt.Errorf("%w: no DDOL (9F49) and no default DDOL", oda.ErrMissingData)}
	}
	dol, err := emv.ParseDOL(ddol)
	if err != nil {
		return &oda.Error{Object: oda.ObjectSDAD, Err: fmt.Errorf("%w: %v", oda.ErrResponseFormat, err)}
	}
	if !dol.Contains(0x9F37) { // Book 2 §6.5.1: the DDOL must ask for the unpredictable number
		return &oda.Error{Object: oda.ObjectSDAD, Err: fmt.Errorf("%w: DDOL without the unpredictable number 9F37", oda.ErrMissingData)}
	}
	data := dol.Build(t.lookup)
	if len(data) > apdu.MaxShortNc {
		return &oda.Error{Object: oda.ObjectSDAD, Err: fmt.Errorf("%w: the DDOL asks for %d bytes", oda.ErrResponseFormat, len(data))}
	}
	resp, sw, err := t.transmit(ctx, apdu.InternalAuthenticate(data))
	if err != nil {
		return terminated(PhaseODA, 0, err)
	}
	if sw != apdu.SWNoError {
		// Book 3 §6.5.9 allows only 9000; this kernel counts any other
		// status as a failed DDA rather than terminating, and lets the
		// action codes decide.
		return &oda.Error{Object: oda.ObjectSDAD, Err: fmt.Errorf("%w: INTERNAL AUTHENTICATE answered %v", oda.ErrResponseFormat, sw)}
	}
	sdad, err := oda.ParseInternalAuthenticate(resp)
	if err != nil {
		return err
	}
	dd, err := oda.VerifyDDA(cc.Key, sdad, data)
	if err != nil {
		return err
	}
	t.term.set(0x9F4C, dd.IDN)
	t.oda.ok = true
	return nil
}

// cdaKeys is the part of CDA that precedes GENERATE AC: the issuer and
// ICC keys (Book 2 §6.6). The signature is checked in genac.go.
func (t *Transaction) cdaKeys() error {
	if _, err := t.iccKey(); err != nil {
		return err
	}
	t.oda.pending = true
	return nil
}

// odaFailed records a failure of the selected method: its TVR bit, and
// "ICC data missing" when a required object was absent.
func (t *Transaction) odaFailed(err error) {
	t.oda.err = err
	t.oda.ok = false
	t.oda.pending = false
	if errors.Is(err, oda.ErrMissingData) || errors.Is(err, oda.ErrRemainderMissing) {
		t.tvr.Set(emv.TVRICCDataMissing)
	}
	switch t.oda.method {
	case ODASDA:
		t.tvr.Set(emv.TVRSDAFailed)
	case ODADDA:
		t.tvr.Set(emv.TVRDDAFailed)
	case ODACDA:
		t.tvr.Set(emv.TVRCDAFailed)
	}
}
