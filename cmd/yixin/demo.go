package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/kernel"
)

const demoUsage = `usage: yixin demo [--date YYMMDD] [--time HHMMSS] [--un HEX] [--quiet]

Runs two purchases with the built-in dual-application card (profile
dual-cn: a domestic UnionPay-style application in CNY with SM2 offline data
authentication, and an international American Express-style one in USD with
RSA and CDA) under the domestic-preference selection policy:

  1. at a terminal in China selling in CNY: the domestic application is
     chosen, because the terminal's country and currency are its own;
  2. at a terminal in the United States selling in USD: no application is
     domestic there, so the international one is chosen.

Each is shown as an annotated APDU trace (PAN, track 2 and PIN data
masked) followed by a short receipt that says which application was chosen
and why. The cardholder knows both PINs; a simulated issuer checks each
ARQC and answers with an ARPC.

  --date, --time, --un   fix the clock and the random source (see yixin pay)
  --quiet                receipts only, no APDU trace
`

// demoPurchase is one purchase of the demonstration.
type demoPurchase struct {
	title             string
	country, currency string
	amount            string
}

var demoPurchases = []demoPurchase{
	{"Purchase at a terminal in China, in CNY", "CN", "CNY", "88.00"},
	{"Purchase at a terminal in the United States, in USD", "US", "USD", "25.00"},
}

func runDemo(e *env) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a := &payArgs{online: "approve"}
	fs.StringVar(&a.date, "date", "", "")
	fs.StringVar(&a.clock, "time", "", "")
	fs.StringVar(&a.un, "un", "", "")
	quiet := fs.Bool("quiet", false, "")
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, demoUsage)
			return exitOK
		}
		fail(e, "demo: %v (run \"yixin demo -h\")", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fail(e, "demo: unexpected argument %q", fs.Arg(0))
		return exitUsage
	}
	if _, err := fixedClock(a.date, a.clock); err != nil {
		fail(e, "demo: %v", err)
		return exitUsage
	}
	if _, err := unReader(a.un); err != nil {
		fail(e, "demo: %v", err)
		return exitUsage
	}
	p, err := cardsim.BuiltinProfile(cardsim.DefaultProfile)
	if err != nil {
		fail(e, "demo: %v", err)
		return exitFailure
	}
	cf, _, err := cardsim.Personalise(p, cardsim.SeededReader(1))
	if err != nil {
		fail(e, "demo: %v", err)
		return exitFailure
	}
	sim, err := newSimCard(cf, "approve", nil)
	if err != nil {
		fail(e, "demo: %v", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "yixin demo: the card %q — %s\n", p.Name, p.Description)
	code := exitOK
	for i, d := range demoPurchases {
		fmt.Fprintf(e.stdout, "\n== %d. %s: %s %s ==\n\n", i+1, d.title, d.amount, d.currency)
		ok, err := demoOne(e.ctx, e.stdout, a, sim, d, *quiet)
		if err != nil {
			fail(e, "demo: %v", err)
			return exitFailure
		}
		if !ok {
			code = exitFailure
		}
	}
	return code
}

// demoOne runs one purchase and prints its trace and receipt.
func demoOne(ctx context.Context, w io.Writer, a *payArgs, sim *simCard, d demoPurchase, quiet bool) (bool, error) {
	b := *a
	b.country, b.currency, b.amount, b.txType = d.country, d.currency, d.amount, "purchase"
	b.policy = string(kernel.PolicyDomesticPreference)
	cfg, err := b.terminal()
	if err != nil {
		return false, err
	}
	cfg.CAKeys, cfg.Host = sim.keys, sim.host
	cfg.PINPad = cardholderPIN(sim.pins)
	params, err := b.params(cfg)
	if err != nil {
		return false, err
	}
	sim.card.Reset()
	var card apdu.Transport = sim.card
	if !quiet {
		card = apdu.NewTracer(card, w, apdu.TraceOptions{})
	}
	tx, err := kernel.NewTransaction(cfg, card, params)
	if err != nil {
		return false, err
	}
	o, runErr := tx.Run(ctx)
	fmt.Fprintln(w)
	writeReceipt(w, o, params, cfg, runErr)
	return o.Result == kernel.ResultApproved || o.Result == kernel.ResultOnlineApproved, nil
}

// cardholderPIN is the cardholder at the PIN pad: they know the PIN of
// each of their applications (by PAN). Online PIN blocks are ISO format 0
// in clear, which the simulated issuer does not check.
type cardholderPIN map[string]string

func (c cardholderPIN) OfflinePIN(_ context.Context, r kernel.PINRequest) (string, error) {
	if p, ok := c[r.PAN]; ok {
		return p, nil
	}
	return "", kernel.ErrPINBypassed
}

func (c cardholderPIN) OnlinePIN(ctx context.Context, r kernel.PINRequest) ([]byte, error) {
	p, ok := c[r.PAN]
	if !ok {
		return nil, kernel.ErrPINBypassed
	}
	return kernel.FixedPIN{PIN: p}.OnlinePIN(ctx, r)
}
