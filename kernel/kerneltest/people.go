package kerneltest

import (
	"bytes"
	"context"
	"sync"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/kernel"
)

// pinPad is the cardholder at the PIN pad of a case.
type pinPad struct {
	spec *CardholderSpec
	pins map[string]string // PAN → the PIN the profile gives it
	mu   sync.Mutex
	n    int // entries so far
}

// pinPadFor returns the case's PIN pad, nil when the terminal has none.
func (c *Case) pinPadFor(cf *cardsim.CardFile) kernel.PINPad {
	if c.Cardholder.PINPad == "absent" {
		return nil
	}
	p := &pinPad{spec: &c.Cardholder, pins: map[string]string{}}
	for _, a := range cf.Profile.Applications {
		if _, dup := p.pins[a.PAN]; !dup {
			p.pins[a.PAN] = a.PIN
		}
	}
	return p
}

// entry returns the next PIN the cardholder enters.
func (p *pinPad) entry(req kernel.PINRequest) (string, error) {
	s := p.spec
	switch {
	case s.PINPad == "broken":
		return "", kernel.ErrPINPadUnavailable
	case s.Bypass:
		return "", kernel.ErrPINBypassed
	}
	p.mu.Lock()
	i := p.n
	p.n++
	p.mu.Unlock()
	if len(s.PINs) > 0 {
		return s.PINs[min(i, len(s.PINs)-1)], nil
	}
	right := s.PIN
	if right == "" {
		right = p.pins[req.PAN]
	}
	if i < s.WrongPIN {
		return wrongPIN(right), nil
	}
	return right, nil
}

// wrongPIN changes the last digit of a PIN.
func wrongPIN(pin string) string {
	if pin == "" {
		return "0000"
	}
	b := []byte(pin)
	b[len(b)-1] = '0' + (b[len(b)-1]-'0'+1)%10
	return string(b)
}

// OfflinePIN implements kernel.PINPad.
func (p *pinPad) OfflinePIN(_ context.Context, req kernel.PINRequest) (string, error) {
	return p.entry(req)
}

// OnlinePIN implements kernel.PINPad with a clear format 0 block (the
// test host can read it).
func (p *pinPad) OnlinePIN(ctx context.Context, req kernel.PINRequest) ([]byte, error) {
	pin, err := p.entry(req)
	if err != nil {
		return nil, err
	}
	return kernel.FixedPIN{PIN: pin}.OnlinePIN(ctx, req)
}

// cardholder answers application selection questions as the case says.
type cardholder struct {
	choose  []byte
	confirm bool
}

// cardholderFor returns the case's cardholder, nil when the terminal
// cannot ask anything.
func (c *Case) cardholderFor() kernel.Cardholder {
	h := &c.Cardholder
	if h.Interface != nil && !*h.Interface {
		return nil
	}
	aid, _ := hexBytes(h.ChooseAID)
	return cardholder{choose: aid, confirm: h.Confirm == nil || *h.Confirm}
}

// ChooseApplication picks the case's AID, else the proposal.
func (h cardholder) ChooseApplication(_ context.Context, cs []kernel.Candidate, proposed int) (int, error) {
	if h.choose != nil {
		for i, c := range cs {
			if bytes.Equal(c.AID, h.choose) {
				return i, nil
			}
		}
	}
	return proposed, nil
}

// ConfirmApplication answers as the case says.
func (h cardholder) ConfirmApplication(context.Context, kernel.Candidate) (bool, error) {
	return h.confirm, nil
}
