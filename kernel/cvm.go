package kernel

import (
	"context"
	"crypto/rsa"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/emv/pin"
)

// CVM codes of Book 3 Annex C3 (b6–b1 of the first byte of a CV rule).
const (
	cvmFail                   = 0x00
	cvmPlaintextPIN           = 0x01
	cvmOnlinePIN              = 0x02
	cvmPlaintextPINSign       = 0x03
	cvmEncipheredPIN          = 0x04
	cvmEncipheredPINSign      = 0x05
	cvmSignature              = 0x1E
	cvmNoCVM                  = 0x1F
	cvmApplySucceeding   byte = 0x40 // b7: apply the succeeding rule if this one fails
)

// cvmCode maps the configuration's names to CVM codes (a switch: it runs
// for every rule of every CVM list).
func cvmCode(m CVMethod) (byte, bool) {
	switch m {
	case CVMPlaintextPIN:
		return cvmPlaintextPIN, true
	case CVMOnlinePIN:
		return cvmOnlinePIN, true
	case CVMEncipheredPIN:
		return cvmEncipheredPIN, true
	case CVMSignature:
		return cvmSignature, true
	case CVMNoCVM:
		return cvmNoCVM, true
	}
	return 0, false
}

// cvmOutcome is how one CVM went.
type cvmOutcome int

const (
	cvmFailed cvmOutcome = iota
	cvmSucceeded
	cvmUnknown // performed, result unknown: signature, online PIN
)

// maxPINTries bounds the PIN entries of one transaction whatever the card
// answers.
const maxPINTries = 8

// verifyCardholder is cardholder verification (Book 3 §10.5, Book 4
// §6.3.4): the CVM list's rules in order, each applied when its condition
// is satisfied, until one succeeds or fails without "apply succeeding".
func (t *Transaction) verifyCardholder(ctx context.Context) error {
	t.cvm = emv.CVMResults{0x3F, 0x00, 0x00}
	if !t.aip.Has(emv.AIPCardholderVerificationSupported) {
		return nil
	}
	list, ok := t.icc.get(0x8E)
	if !ok || len(list) < 10 || len(list)%2 != 0 {
		// Absent, empty or malformed: no CVM performed, TSI bit not set
		// (Book 3 §10.5); ICC data missing as the AIP promised a list.
		t.tvr.Set(emv.TVRICCDataMissing)
		return nil
	}
	t.tsi.Set(emv.TSICardholderVerificationPerformed)
	x := int64(binary.BigEndian.Uint32(list[0:4]))
	y := int64(binary.BigEndian.Uint32(list[4:8]))
	var last []byte // the last rule performed, when it failed
	for r := list[8:]; len(r) >= 2; r = r[2:] {
		code, cond := r[0]&0x3F, r[1]
		if !t.conditionMet(cond, code, x, y) {
			continue
		}
		if !cvmRecognised(code) {
			t.tvr.Set(emv.TVRUnrecognisedCVM)
		} else if !t.cvmSupported(code) {
			if isPINCode(code) {
				t.tvr.Set(emv.TVRPINPadNotPresentOrNotWorking)
			}
		} else {
			out, err := t.performCVM(ctx, code)
			if err != nil {
				return err
			}
			if out != cvmFailed {
				res := emv.CVMResultSuccessful
				if out == cvmUnknown {
					res = emv.CVMResultUnknown
				}
				t.cvm = emv.CVMResults{r[0], cond, byte(res)}
				return nil
			}
			last = r[:2]
		}
		if r[0]&cvmApplySucceeding == 0 {
			break
		}
	}
	t.tvr.Set(emv.TVRCardholderVerificationNotSuccessful)
	if last != nil {
		t.cvm = emv.CVMResults{last[0], last[1], byte(emv.CVMResultFailed)}
	} else {
		t.cvm = emv.CVMResults{0x3F, 0x00, byte(emv.CVMResultFailed)}
	}
	return nil
}

// conditionMet evaluates a CVM condition code (Book 3 Annex C3 Table 40).
// Codes it does not know (RFU, payment-system specific) are never met.
func (t *Transaction) conditionMet(cond, code byte, x, y int64) bool {
	p := &t.params
	cash := p.Type == TypeCash
	cashback := p.Type == TypePurchaseCashback || (p.Type == TypePurchase && p.OtherAmount > 0)
	unattended := !emv.TerminalType(t.cfg.Terminal.Type[0]).Attended()
	switch cond {
	case 0x00: // always
		return true
	case 0x01: // if unattended cash
		return cash && unattended
	case 0x02: // if not unattended cash and not manual cash and not purchase with cashback
		return !cash && !cashback
	case 0x03: // if terminal supports the CVM
		return cvmRecognised(code) && t.cvmSupported(code)
	case 0x04: // if manual cash
		return cash && !unattended
	case 0x05: // if purchase with cashback
		return cashback
	case 0x06, 0x07, 0x08, 0x09: // amounts in the application currency
		cur, ok := t.icc.get(0x9F42)
		tc := t.cfg.Terminal.Currency.Code()
		if !ok || len(cur) != 2 || cur[0] != tc[0] || cur[1] != tc[1] {
			return false
		}
		a := p.Amount
		switch cond {
		case 0x06:
			return a < x
		case 0x07:
			return a > x
		case 0x08:
			return a < y
		default:
			return a > y
		}
	}
	return false
}

func cvmRecognised(code byte) bool {
	switch code {
	case cvmFail, cvmPlaintextPIN, cvmOnlinePIN, cvmPlaintextPINSign, cvmEncipheredPIN,
		cvmEncipheredPINSign, cvmSignature, cvmNoCVM:
		return true
	}
	return false
}

func isPINCode(code byte) bool {
	switch code {
	case cvmPlaintextPIN, cvmOnlinePIN, cvmPlaintextPINSign, cvmEncipheredPIN, cvmEncipheredPINSign:
		return true
	}
	return false
}

// cvmSupported reports whether the terminal supports a recognised CVM:
// the application's CVM list when configured, else Terminal Capabilities.
func (t *Transaction) cvmSupported(code byte) bool {
	switch code {
	case cvmFail:
		return true
	case cvmPlaintextPINSign:
		return t.cvmSupported(cvmPlaintextPIN) && t.cvmSupported(cvmSignature)
	case cvmEncipheredPINSign:
		return t.cvmSupported(cvmEncipheredPIN) && t.cvmSupported(cvmSignature)
	}
	if t.app != nil && t.app.CVMs != nil {
		for _, m := range t.app.CVMs {
			if c, ok := cvmCode(m); ok && c == code {
				return true
			}
		}
		return false
	}
	caps := emv.TerminalCapabilities(t.cfg.Terminal.Capabilities)
	switch code {
	case cvmPlaintextPIN:
		return caps.Has(emv.TCPlaintextPINForICC)
	case cvmOnlinePIN:
		return caps.Has(emv.TCEncipheredPINOnline)
	case cvmEncipheredPIN:
		return caps.Has(emv.TCEncipheredPINOffline)
	case cvmSignature:
		return caps.Has(emv.TCSignature)
	case cvmNoCVM:
		return caps.Has(emv.TCNoCVMRequired)
	}
	return false
}

// performCVM performs one supported CVM.
func (t *Transaction) performCVM(ctx context.Context, code byte) (cvmOutcome, error) {
	switch code {
	case cvmNoCVM:
		return cvmSucceeded, nil
	case cvmSignature:
		t.signature = true
		return cvmUnknown, nil
	case cvmOnlinePIN:
		return t.onlinePIN(ctx), nil
	case cvmPlaintextPIN, cvmEncipheredPIN:
		return t.offlinePIN(ctx, code == cvmEncipheredPIN)
	case cvmPlaintextPINSign, cvmEncipheredPINSign:
		out, err := t.offlinePIN(ctx, code == cvmEncipheredPINSign)
		if err != nil || out == cvmFailed {
			return out, err
		}
		t.signature = true
		return cvmUnknown, nil // the signature is still to come
	}
	return cvmFailed, nil // fail CVM processing
}

// pinRequest prepares what the PIN pad shows.
func (t *Transaction) pinRequest(tries int) PINRequest {
	return PINRequest{Amount: emv.Amount{Minor: t.params.Amount, Currency: t.cfg.Terminal.currency()},
		PAN: t.pan, TriesLeft: tries}
}

// pinEntryFailed sets the TVR bit for a PIN pad error and reports failure.
func (t *Transaction) pinEntryFailed(err error) cvmOutcome {
	if errors.Is(err, ErrPINBypassed) {
		t.tvr.Set(emv.TVRPINNotEntered)
		t.pinBypassed = true // Book 4 §6.3.4.3: bypassed once, bypassed for later PIN CVMs
	} else {
		t.tvr.Set(emv.TVRPINPadNotPresentOrNotWorking)
	}
	return cvmFailed
}

// onlinePIN collects the enciphered PIN block for the issuer.
func (t *Transaction) onlinePIN(ctx context.Context) cvmOutcome {
	if t.pinBypassed {
		return t.pinEntryFailed(ErrPINBypassed)
	}
	if t.cfg.PINPad == nil {
		return t.pinEntryFailed(ErrPINPadUnavailable)
	}
	b, err := t.cfg.PINPad.OnlinePIN(ctx, t.pinRequest(-1))
	if err != nil || len(b) == 0 {
		if err == nil {
			err = ErrPINPadUnavailable
		}
		return t.pinEntryFailed(err)
	}
	t.pinBlock = b
	t.tvr.Set(emv.TVROnlinePINEntered)
	return cvmUnknown
}

// offlinePIN verifies the PIN by the card: plaintext (VERIFY P2 80) or
// enciphered with the card's key (P2 88), with the PIN try counter.
func (t *Transaction) offlinePIN(ctx context.Context, enciphered bool) (cvmOutcome, error) {
	if t.pinBypassed {
		return t.pinEntryFailed(ErrPINBypassed), nil
	}
	if t.cfg.PINPad == nil {
		return t.pinEntryFailed(ErrPINPadUnavailable), nil
	}
	var key *rsa.PublicKey
	if enciphered {
		k, err := t.pinKey()
		if err != nil {
			t.cvmErr = err
			return cvmFailed, nil
		}
		key = k
	}
	tries, err := t.pinTryCounter(ctx)
	if err != nil {
		return cvmFailed, err
	}
	if tries == 0 {
		t.tvr.Set(emv.TVRPINTryLimitExceeded)
		return cvmFailed, nil
	}
	for n := 0; n < maxPINTries; n++ {
		req := t.pinRequest(tries)
		req.Retry = n > 0
		digits, err := t.cfg.PINPad.OfflinePIN(ctx, req)
		if err != nil {
			return t.pinEntryFailed(err), nil
		}
		out, again, left, err := t.verifyPIN(ctx, digits, key)
		if err != nil || !again {
			return out, err
		}
		tries = left
	}
	return cvmFailed, nil
}

// verifyPIN sends one VERIFY. again reports a wrong PIN with tries left.
func (t *Transaction) verifyPIN(ctx context.Context, digits string, key *rsa.PublicKey) (out cvmOutcome, again bool, left int, err error) {
	var data []byte
	p2 := apdu.VerifyPlaintextPIN
	if key == nil {
		blk, err := pin.Format2(digits)
		if err != nil {
			return t.pinEntryFailed(err), false, 0, nil
		}
		data = []byte(blk)
	} else {
		ch, sw, err := t.transmit(ctx, apdu.GetChallenge())
		if err != nil {
			return cvmFailed, false, 0, err
		}
		if sw != apdu.SWNoError || len(ch) != pin.ChallengeLen {
			t.cvmErr = fmt.Errorf("GET CHALLENGE answered %v with %d bytes", sw, len(ch))
			return cvmFailed, false, 0, nil
		}
		if data, err = pin.EncipherOfflinePIN(key, digits, ch, t.rand); err != nil {
			return t.pinEntryFailed(err), false, 0, nil
		}
		p2 = apdu.VerifyEncipheredPIN
	}
	cmd := apdu.Verify(p2, nil) // without its copy of the PIN data: encoded at once, then cleared
	cmd.Data = data
	_, sw, err := t.transmit(ctx, cmd)
	clear(data)
	clear(t.cmd[:cap(t.cmd)])
	if err != nil {
		return cvmFailed, false, 0, err
	}
	if sw == apdu.SWNoError {
		return cvmSucceeded, false, 0, nil
	}
	if n, ok := sw.Counter(); ok {
		t.ptc = n
		if n == 0 {
			t.tvr.Set(emv.TVRPINTryLimitExceeded)
			return cvmFailed, false, 0, nil
		}
		return cvmFailed, true, n, nil
	}
	if sw == apdu.SWAuthMethodBlocked || sw == apdu.SWReferenceDataNotUsable {
		t.ptc = 0
		t.tvr.Set(emv.TVRPINTryLimitExceeded)
		return cvmFailed, false, 0, nil
	}
	// Book 3 §6.5.12.4 allows no other status.
	return cvmFailed, false, 0, terminated(PhaseCVM, sw, fmt.Errorf("%w: VERIFY answered %v", ErrCardStatus, sw))
}

// pinTryCounter returns the PIN Try Counter (9F17), read with GET DATA
// once per transaction and then kept up to date from the VERIFY answers;
// -1 when the card does not give it.
func (t *Transaction) pinTryCounter(ctx context.Context) (int, error) {
	if t.ptcRead {
		return t.ptc, nil
	}
	t.ptcRead, t.ptc = true, -1
	cmd, _ := apdu.GetData(0x9F17)
	data, sw, err := t.transmit(ctx, cmd)
	if err != nil {
		return -1, err
	}
	if sw != apdu.SWNoError {
		return -1, nil
	}
	if v, ok := emv.Find(data, 0x9F17); ok && len(v) == 1 {
		t.ptc = int(v[0])
	}
	return t.ptc, nil
}

// pinKey retrieves the key that enciphers the offline PIN (Book 2 §7.1):
// the ICC PIN Encipherment Public Key (9F2D, 9F2E, 9F2F) when the card has
// one, else the ICC public key.
func (t *Transaction) pinKey() (*rsa.PublicKey, error) {
	var k oda.PublicKey
	if cert, ok := t.icc.get(0x9F2D); ok {
		ic := t.oda.issuer
		if ic == nil {
			var err error
			if ic, err = t.issuerKey(); err != nil {
				return nil, err
			}
		}
		rem, _ := t.icc.get(0x9F2F)
		exp, _ := t.icc.get(0x9F2E)
		pc, err := oda.RecoverICCCertificate(ic.Key, cert, rem, exp, nil)
		if err != nil {
			return nil, err
		}
		pan, _ := t.icc.get(0x5A)
		if err := pc.Check(pan, t.now); err != nil {
			return nil, err
		}
		k = pc.Key
	} else {
		cc := t.oda.icc
		if cc == nil {
			var err error
			if cc, err = t.iccKey(); err != nil {
				return nil, err
			}
		}
		k = cc.Key
	}
	if k.Algorithm != oda.RSA {
		// No public specification of an SM2 offline enciphered PIN was
		// found; the kernel does not guess one.
		return nil, fmt.Errorf("offline enciphered PIN with a %v key is not supported", k.Algorithm)
	}
	pub, ok := k.RSA() // the key's own big.Int: only read
	if !ok {
		return nil, fmt.Errorf("PIN encipherment key exponent %X is not 3 or 65537", k.Exponent)
	}
	t.pinPub = pub
	return &t.pinPub, nil
}
