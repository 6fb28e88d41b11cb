package kerneltest_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/kernel"
)

// The helpers of the adversarial tests (attack_test.go, fault_test.go,
// fuzz_test.go, race_test.go, un_test.go). Their names start with atk so
// that they cannot clash with the helpers of the harness's own tests in
// this package.

// atkCardFile is cardsim's golden dual-cn card (profile dual-cn, seed 1): a
// domestic PBOC application (SM2, SM4) and an international CCD one (RSA
// with CDA, TDES). Loading it is fast; personalising would generate keys.
const atkCardFile = "../../cardsim/testdata/cards/dual-cn.json"

var (
	atkAIDDomestic = atkHex("A000000333010102") // UICS credit, CNY, SM2
	atkAIDIntl     = atkHex("A000000025010402") // American Express style, USD, CDA
)

// atkTime is the fixed transaction time: inside the card's validity
// (250101–301231) and its certificates'.
var atkTime = time.Date(2025, 6, 15, 12, 34, 56, 0, time.UTC)

func atkHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// atkLoaded caches the golden card file and its CA store: both are read
// only once loaded, and the CA store is shared by every terminal of these
// tests (race_test.go relies on that).
var atkLoaded = sync.OnceValues(func() (*atkGolden, error) {
	cf, err := cardsim.LoadCardFile(atkCardFile)
	if err != nil {
		return nil, err
	}
	store, err := cf.CAStore()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", atkCardFile, err)
	}
	return &atkGolden{cf: cf, store: store}, nil
})

type atkGolden struct {
	cf    *cardsim.CardFile
	store *oda.Store
}

func atkGoldenCard(t testing.TB) *atkGolden {
	t.Helper()
	g, err := atkLoaded()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// atkSim is one simulated dual-cn card with the issuer host that knows
// its keys and the cardholder who knows its PINs.
type atkSim struct {
	cf     *cardsim.CardFile
	card   *cardsim.Card
	store  *oda.Store
	issuer *issuer.Host
	host   *atkHost
	pins   atkPINs
}

// atkNewSim builds a fresh card (new state: ATC of a new card) and a
// fresh issuer host. Each account gets the scripted answers given, then
// the host's default rules decide.
func atkNewSim(t testing.TB, answers ...issuer.Answer) *atkSim {
	t.Helper()
	g := atkGoldenCard(t)
	card, err := cardsim.New(g.cf, &cardsim.Options{Rand: cardsim.SeededReader(2)})
	if err != nil {
		t.Fatal(err)
	}
	s := &atkSim{cf: g.cf, card: card, store: g.store, pins: atkPINs{}}
	var accs []issuer.Account
	for i := range g.cf.Applications {
		acc, err := atkAccount(g.cf, i, answers)
		if err != nil {
			t.Fatal(err)
		}
		accs = append(accs, acc)
		s.pins[g.cf.Profile.Applications[i].PAN] = g.cf.Profile.Applications[i].PIN
	}
	if s.issuer, err = issuer.New(accs...); err != nil {
		t.Fatal(err)
	}
	s.host = &atkHost{h: s.issuer}
	return s
}

// atkAccount describes application i of the card file to the issuer: the
// profile's crypto section with the issuer master keys personalisation
// generated (the wiring of cmd/yixin/pay.go).
func atkAccount(cf *cardsim.CardFile, i int, answers []issuer.Answer) (issuer.Account, error) {
	p, ap := &cf.Profile.Applications[i], &cf.Applications[i]
	var c issuer.Crypto
	b, err := json.Marshal(p.Crypto)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return issuer.Account{}, err
	}
	c.IssuerMasterKeys = &issuer.MasterKeys{AC: issuer.Key(ap.IssuerMasterKeys.AC),
		SMI: issuer.Key(ap.IssuerMasterKeys.SMI), SMC: issuer.Key(ap.IssuerMasterKeys.SMC)}
	return issuer.Account{Name: p.Name, PAN: p.PAN, PSN: p.PSN, AID: issuer.Hex(p.AID),
		CDOL1: issuer.Hex(p.CDOL1), Crypto: c, Answers: answers}, nil
}

// atkHost adapts the simulated issuer to kernel.Host and keeps every
// request and response, so that a test can see what went online and why
// the issuer decided as it did.
type atkHost struct {
	h  *issuer.Host
	mu sync.Mutex
	// reqs and rsps are the requests and the issuer's responses, in order.
	reqs []kernel.AuthorizationRequest
	rsps []issuer.Response
}

func (a *atkHost) Authorize(ctx context.Context, req *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
	r, err := a.h.Authorise(ctx, atkIssuerRequest(req))
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.reqs = append(a.reqs, *req)
	a.rsps = append(a.rsps, r)
	a.mu.Unlock()
	return &kernel.AuthorizationResponse{Approved: r.Approved, ResponseCode: string(r.ARC[:]),
		IssuerAuthenticationData: r.IssuerAuthenticationData, Scripts: r.Scripts}, nil
}

func atkIssuerRequest(req *kernel.AuthorizationRequest) issuer.Request {
	return issuer.Request{PAN: req.PAN, PANSequence: req.PANSequence, AID: req.AID, DE55: req.DE55}
}

// last returns the last request and response; ok is false when the
// terminal never went online.
func (a *atkHost) last() (kernel.AuthorizationRequest, issuer.Response, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.reqs) == 0 {
		return kernel.AuthorizationRequest{}, issuer.Response{}, false
	}
	return a.reqs[len(a.reqs)-1], a.rsps[len(a.rsps)-1], true
}

// atkPINs is the cardholder at the PIN pad, who knows the PIN of each of
// their applications (by PAN).
type atkPINs map[string]string

func (p atkPINs) OfflinePIN(_ context.Context, r kernel.PINRequest) (string, error) {
	if v, ok := p[r.PAN]; ok {
		return v, nil
	}
	return "", kernel.ErrPINBypassed
}

func (p atkPINs) OnlinePIN(ctx context.Context, r kernel.PINRequest) ([]byte, error) {
	v, ok := p[r.PAN]
	if !ok {
		return nil, kernel.ErrPINBypassed
	}
	return kernel.FixedPIN{PIN: v}.OnlinePIN(ctx, r)
}

// atkRepeat is a random source that gives the same byte for ever, so that
// a transaction is the same, byte for byte, every run.
type atkRepeat byte

func (r atkRepeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// atkConfig is a terminal in country (US or CN) with the built-in
// configuration, the domestic-preference policy (so that a US terminal
// runs the international application and a Chinese one the domestic),
// the card's test CA keys, its issuer and its cardholder, a fixed clock
// and a fixed random source.
func atkConfig(t testing.TB, s *atkSim, country string) *kernel.Config {
	t.Helper()
	currency := map[string]string{"US": "USD", "CN": "CNY"}[country]
	c, err := kernel.DefaultConfig(country, currency)
	if err != nil {
		t.Fatal(err)
	}
	c.Selection.Policy = kernel.PolicyDomesticPreference
	c.Rand = atkRepeat(0x11)
	c.Clock = func() time.Time { return atkTime }
	c.CAKeys, c.Host, c.PINPad, c.Cardholder = s.store, s.host, s.pins, kernel.AcceptProposal{}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// atkOffline makes a terminal that approves offline when nothing is
// wrong: a floor limit above the amount and Terminal Action Codes that
// ask for nothing (the card's IACs still apply).
func atkOffline(c *kernel.Config) {
	for i := range c.Applications {
		a := &c.Applications[i]
		a.FloorLimit = 100_000_00
		a.TACDenial, a.TACOnline, a.TACDefault = kernel.Hex{0, 0, 0, 0, 0}, kernel.Hex{0, 0, 0, 0, 0}, kernel.Hex{0, 0, 0, 0, 0}
	}
}

// atkRun runs one transaction and checks the invariant every transaction
// end must keep (atkCheckEnding).
func atkRun(t testing.TB, ctx context.Context, cfg *kernel.Config, card apdu.Transport, p kernel.Params) (*kernel.Outcome, error) {
	t.Helper()
	tx, err := kernel.NewTransaction(cfg, card, p)
	if err != nil {
		t.Fatal(err)
	}
	o, err := tx.Run(ctx)
	if cerr := atkCheckEnding(o, err); cerr != nil {
		t.Fatal(cerr)
	}
	return o, err
}

// atkWarmUp runs one approved online transaction so that the card is no
// longer new (a new card asks to go online) and may approve offline.
func atkWarmUp(t testing.TB, s *atkSim, country string) {
	t.Helper()
	cfg := atkConfig(t, s, country)
	o, err := atkRun(t, context.Background(), cfg, s.card, kernel.Params{Amount: 100})
	if err != nil || o.Result != kernel.ResultOnlineApproved {
		t.Fatalf("warm-up transaction: %s (%s), %v", o.Result, o.Reason, err)
	}
	s.card.Reset()
}

// atkCheckEnding is the invariant of every transaction's end: an
// Outcome; either no error and a final result after completion, or a
// *TerminatedError and the result "terminated" in the phase the error
// names; a reversal only when an authorisation request went out.
func atkCheckEnding(o *kernel.Outcome, err error) error {
	if o == nil {
		return errors.New("nil outcome")
	}
	if err != nil {
		var te *kernel.TerminatedError
		if !errors.As(err, &te) {
			return fmt.Errorf("error %v (%T) is not a *kernel.TerminatedError", err, err)
		}
		if o.Result != kernel.ResultTerminated || te.Phase != o.Phase {
			return fmt.Errorf("terminated in %s but outcome %s in %s", te.Phase, o.Result, o.Phase)
		}
	} else {
		switch o.Result {
		case kernel.ResultApproved, kernel.ResultDeclined, kernel.ResultOnlineApproved, kernel.ResultOnlineDeclined:
		default:
			return fmt.Errorf("no error but result %q (%s)", o.Result, o.Reason)
		}
		if o.Phase != kernel.PhaseCompletion {
			return fmt.Errorf("no error but last phase %s", o.Phase)
		}
	}
	if o.Reversal && o.Phase < kernel.PhaseOnline {
		return fmt.Errorf("reversal owed in phase %s, before any authorisation", o.Phase)
	}
	return nil
}
