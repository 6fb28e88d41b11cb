package kerneltest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/kernel"
)

// IssuerAccounts describes the applications of a personalised card to the
// issuer host of package cardsim/issuer: each profile's crypto section is
// the issuer's (same JSON members), with the issuer master keys that
// personalisation generated.
func IssuerAccounts(cf *cardsim.CardFile) ([]issuer.Account, error) {
	var accs []issuer.Account
	for i := range cf.Applications {
		p, ap := &cf.Profile.Applications[i], &cf.Applications[i]
		var c issuer.Crypto
		b, err := json.Marshal(p.Crypto)
		if err == nil {
			err = json.Unmarshal(b, &c)
		}
		if err != nil {
			return nil, fmt.Errorf("issuer account of %X: %w", []byte(p.AID), err)
		}
		c.IssuerMasterKeys = &issuer.MasterKeys{AC: issuer.Key(ap.IssuerMasterKeys.AC),
			SMI: issuer.Key(ap.IssuerMasterKeys.SMI), SMC: issuer.Key(ap.IssuerMasterKeys.SMC)}
		accs = append(accs, issuer.Account{Name: p.Name, PAN: p.PAN, PSN: p.PSN, AID: issuer.Hex(p.AID),
			CDOL1: issuer.Hex(p.CDOL1), Crypto: c})
	}
	return accs, nil
}

// IssuerHost adapts an issuer host of package cardsim/issuer to the
// kernel's Host interface.
type IssuerHost struct{ Host *issuer.Host }

// Authorize sends the request to the issuer host.
func (h IssuerHost) Authorize(ctx context.Context, req *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
	r, err := h.Host.Authorise(ctx, issuer.Request{PAN: req.PAN, PANSequence: req.PANSequence, AID: req.AID, DE55: req.DE55})
	if err != nil {
		return nil, err
	}
	return &kernel.AuthorizationResponse{Approved: r.Approved, ResponseCode: string(r.ARC[:]),
		IssuerAuthenticationData: r.IssuerAuthenticationData, Scripts: r.Scripts}, nil
}

// errAnswerLost is the host error of the issuer mode "lost": the request
// went out and no answer came back, so the outcome is unknown.
var errAnswerLost = errors.New("kerneltest: the issuer's answer was lost")

// caseHost is the case's issuer: the simulated issuer host, the mode the
// case asks for, and a record of whether a request went out.
type caseHost struct {
	mode   string
	inner  kernel.Host
	raw    []byte
	online atomic.Bool
	de55   atomic.Pointer[[]byte] // DE 55 of the last request that went out
}

// host builds the issuer host of a case, nil when the terminal has none.
func (c *Case) host(cf *cardsim.CardFile) (*caseHost, error) {
	is := &c.Issuer
	if is.Mode == "none" {
		return nil, nil
	}
	accs, err := IssuerAccounts(cf)
	if err != nil {
		return nil, err
	}
	answers, err := c.answers()
	if err != nil {
		return nil, err
	}
	for i := range accs {
		accs[i].Answers = answers
		accs[i].Rules = is.Rules
		accs[i].LastATC = is.LastATC
	}
	h, err := issuer.New(accs...)
	if err != nil {
		return nil, caseErr(c, "issuer", "%w", err)
	}
	raw, _ := hexBytes(is.RawScripts)
	return &caseHost{mode: is.Mode, inner: IssuerHost{h}, raw: raw}, nil
}

// answers are the issuer's scripted answers for the case's mode.
func (c *Case) answers() ([]issuer.Answer, error) {
	is := &c.Issuer
	if len(is.Answers) > 0 {
		return is.Answers, nil
	}
	a := issuer.Answer{Approve: true, Scripts: is.Scripts}
	switch is.Mode {
	case "decline":
		a.Approve = false
	case "bad_arpc":
		a.CorruptARPC = true
	case "no_arpc":
		a.NoARPC = true
	}
	if is.ARC != "" {
		a.ARC = issuer.NewARC(is.ARC)
	}
	if a.Approve && len(a.Scripts) == 0 && a.ARC == nil && !a.CorruptARPC && !a.NoARPC {
		return nil, nil // the issuer's rules decide
	}
	// One answer per authorisation the case can make.
	return []issuer.Answer{a, a, a, a}, nil
}

// Authorize implements kernel.Host.
func (h *caseHost) Authorize(ctx context.Context, req *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
	if h.mode == "unavailable" {
		return nil, fmt.Errorf("kerneltest: issuer mode unavailable: %w", kernel.ErrHostUnavailable)
	}
	h.online.Store(true)
	de55 := append([]byte(nil), req.DE55...)
	h.de55.Store(&de55)
	r, err := h.inner.Authorize(ctx, req)
	if err != nil {
		return nil, err
	}
	if h.mode == "lost" {
		return nil, errAnswerLost
	}
	if len(h.raw) > 0 {
		r.Scripts = append(append([]byte(nil), r.Scripts...), h.raw...)
	}
	return r, nil
}
