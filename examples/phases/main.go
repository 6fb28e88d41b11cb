// Command phases drives the yixin kernel one EMV phase at a time, as POS
// firmware does when it must stop between phases: it selects the
// application, shows it and the alternatives, then runs each phase and
// prints what it changed in the TVR and TSI.
//
//	go run ./examples/phases
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/kernel"
)

func main() {
	ctx := context.Background()
	profile, err := cardsim.BuiltinProfile("dual-cn")
	check(err)
	cardFile, _, err := cardsim.Personalise(profile, cardsim.SeededReader(1))
	check(err)
	card, err := cardsim.New(cardFile, nil)
	check(err)
	keys, err := cardFile.CAStore()
	check(err)
	// A terminal abroad, in USD, where the cardholder must be offered the
	// choice (here the cardholder takes the terminal's proposal).
	cfg, err := kernel.DefaultConfig("US", "USD")
	check(err)
	cfg.CAKeys = keys
	cfg.Selection = kernel.SelectionConfig{Policy: kernel.PolicyCardholderChoice, Preference: kernel.PolicyDomesticPreference}
	cfg.Cardholder = kernel.AcceptProposal{}
	cfg.PINPad = kernel.FixedPIN{PIN: "4321"}

	tx, err := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 2500})
	check(err)

	// Stop after selection: show the application before going on.
	sel, err := tx.Select(ctx)
	check(err)
	fmt.Printf("selected %s (%X) by %s: %s\n", sel.Name, sel.AID, sel.Rule, sel.Reason)
	for i, c := range sel.Candidates {
		fmt.Printf("  candidate %d: %s (%X), priority %02X\n", i+1, c.DisplayName, c.AID, c.Priority)
	}

	// Then each phase in turn, in the order of Book 3 §10.
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"initiate application processing", tx.Initiate},
		{"read application data", tx.ReadRecords},
		{"offline data authentication", tx.Authenticate},
		{"processing restrictions", tx.CheckRestrictions},
		{"cardholder verification", tx.VerifyCardholder},
		{"terminal risk management", tx.ManageRisk},
		{"action analysis, first GENERATE AC", tx.AnalyseActions},
		{"online processing", tx.GoOnline},
		{"completion", tx.Complete},
	}
	for _, s := range steps {
		err := s.run(ctx)
		o := tx.Outcome()
		fmt.Printf("%-36s TVR %X TSI %X\n", s.name, o.TVR[:], o.TSI[:])
		check(err)
	}
	o := tx.Outcome()
	fmt.Printf("%s: %s (%v, ATC %d)\n", o.Result, o.Reason, o.CID.Type(), o.ATC)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
