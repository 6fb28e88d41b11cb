package kernel_test

import (
	"context"
	"sync"
	"testing"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/kernel"
	"github.com/yixin-emv/yixin/kernel/kerneltest"
)

// personalised caches the personalisation of the built-in profiles (seed
// 1, as "yixin pay --profile" uses): RSA key generation is slow, and a
// card file is never modified.
var personalised = sync.Map{} // profile name → *personalisation

type personalisation struct {
	once sync.Once
	cf   *cardsim.CardFile
	keys []oda.CAKey
	err  error
}

func personalise(t testing.TB, profile string) (*cardsim.CardFile, []oda.CAKey) {
	t.Helper()
	v, _ := personalised.LoadOrStore(profile, &personalisation{})
	p := v.(*personalisation)
	p.once.Do(func() {
		pr, err := cardsim.BuiltinProfile(profile)
		if err != nil {
			p.err = err
			return
		}
		p.cf, p.keys, p.err = cardsim.Personalise(pr, cardsim.SeededReader(1))
	})
	if p.err != nil {
		t.Skipf("profile %s: %v", profile, p.err)
	}
	return p.cf, p.keys
}

// sim is a fresh simulated card of a built-in profile, with its test CA
// keys, an issuer host that knows its keys, and a cardholder who knows
// its PINs.
type sim struct {
	cf    *cardsim.CardFile
	card  *cardsim.Card
	keys  []oda.CAKey
	store *oda.Store
	host  kernel.Host
	pins  pinByPAN
}

func newSim(t testing.TB, profile string, answers ...issuer.Answer) *sim {
	t.Helper()
	cf, keys := personalise(t, profile)
	card, err := cardsim.New(cf, &cardsim.Options{Rand: cardsim.SeededReader(2)})
	if err != nil {
		t.Fatal(err)
	}
	store, err := cf.CAStore()
	if err != nil {
		t.Fatal(err)
	}
	s := &sim{cf: cf, card: card, keys: keys, store: store, pins: pinByPAN{}}
	accs, err := kerneltest.IssuerAccounts(cf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range accs {
		accs[i].Answers = answers
		s.pins[cf.Profile.Applications[i].PAN] = cf.Profile.Applications[i].PIN
	}
	h, err := issuer.New(accs...)
	if err != nil {
		t.Fatal(err)
	}
	s.host = kerneltest.IssuerHost{Host: h}
	return s
}

// config returns a terminal for the card: the built-in configuration with
// the card's CA keys, its issuer and its cardholder.
func (s *sim) config(t testing.TB, country, currency string, policy kernel.SelectionPolicy) *kernel.Config {
	c := testConfig(t, country, currency)
	c.Selection.Policy = policy
	c.CAKeys, c.Host, c.PINPad, c.Cardholder = s.store, s.host, s.pins, kernel.AcceptProposal{}
	return c
}

// pinByPAN is the cardholder at the PIN pad, who knows the PIN of each of
// their applications.
type pinByPAN map[string]string

func (p pinByPAN) OfflinePIN(_ context.Context, r kernel.PINRequest) (string, error) {
	if v, ok := p[r.PAN]; ok {
		return v, nil
	}
	return "", kernel.ErrPINBypassed
}

func (p pinByPAN) OnlinePIN(ctx context.Context, r kernel.PINRequest) ([]byte, error) {
	v, ok := p[r.PAN]
	if !ok {
		return nil, kernel.ErrPINBypassed
	}
	return kernel.FixedPIN{PIN: v}.OnlinePIN(ctx, r)
}
