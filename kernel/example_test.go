package kernel_test

import (
	"context"
	"fmt"
	"time"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/kernel"
)

// simulatedCard returns the built-in dual-application card and the test
// CA keys that certify it.
func simulatedCard() (*cardsim.Card, *oda.Store) {
	profile, _ := cardsim.BuiltinProfile("dual-cn")
	cardFile, _, _ := cardsim.Personalise(profile, cardsim.SeededReader(1))
	card, _ := cardsim.New(cardFile, &cardsim.Options{Rand: cardsim.SeededReader(2)})
	keys, _ := cardFile.CAStore()
	return card, keys
}

// A purchase at a terminal in China: domestic preference picks the
// domestic application, whose SM2 certificates are verified; the issuer
// approves online.
func ExampleTransaction_Run() {
	card, keys := simulatedCard()
	cfg, _ := kernel.DefaultConfig("CN", "CNY")
	cfg.CAKeys = keys
	cfg.Selection.Policy = kernel.PolicyDomesticPreference
	cfg.PINPad = kernel.FixedPIN{PIN: "1234"}
	cfg.Host = kernel.HostFunc(func(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
		return &kernel.AuthorizationResponse{Approved: true, ResponseCode: "00"}, nil
	})
	cfg.Clock = func() time.Time { return time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC) }

	tx, _ := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 8800})
	out, err := tx.Run(context.Background())
	fmt.Println(out.Result, err)
	fmt.Printf("%s %X by %s\n", out.Selection.Name, out.AID, out.Selection.Rule)
	fmt.Println("ODA:", out.ODA, out.ODAOK)
	fmt.Println("CVM:", out.CVMResults)
	fmt.Println("cryptogram:", out.CID.Type(), "ARC", out.ResponseCode)
	// Output:
	// online-approved <nil>
	// UnionPay Credit A000000333010102 by domestic-preference
	// ODA: sm2 true
	// CVM: offline plaintext PIN, if terminal supports the CVM; successful
	// cryptogram: TC ARC 00
}

// The phase API: stop after selection to show the application and the
// alternatives, then continue.
func ExampleTransaction_Select() {
	card, keys := simulatedCard()
	cfg, _ := kernel.DefaultConfig("US", "USD")
	cfg.CAKeys = keys
	cfg.Selection.Policy = kernel.PolicyDomesticPreference
	cfg.Clock = func() time.Time { return time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC) }

	tx, _ := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 2500})
	sel, _ := tx.Select(context.Background())
	fmt.Println(sel.Name, "—", sel.Reason)
	for _, c := range sel.Candidates {
		fmt.Printf("  %X %s\n", c.AID, c.DisplayName)
	}
	out, _ := tx.Continue(context.Background())
	fmt.Println(out.Result, out.ODA, out.ODAOK)
	// Output:
	// Amex Intl — no candidate is domestic to terminal country 840 and currency 840, so the international application Amex Intl comes first
	//   A000000025010402 Amex Intl
	//   A000000333010102 UnionPay Credit
	// declined cda true
}

// A terminal that runs one transaction after another keeps one
// Transaction and resets it for the next card; earlier Outcomes stay valid.
func ExampleTransaction_Reset() {
	card, keys := simulatedCard()
	cfg, _ := kernel.DefaultConfig("CN", "CNY")
	cfg.CAKeys = keys
	cfg.Selection.Policy = kernel.PolicyDomesticPreference
	cfg.PINPad = kernel.FixedPIN{PIN: "1234"}
	cfg.Host = kernel.HostFunc(func(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
		return &kernel.AuthorizationResponse{Approved: true, ResponseCode: "00"}, nil
	})
	cfg.Clock = func() time.Time { return time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC) }

	tx, _ := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 8800})
	first, _ := tx.Run(context.Background())
	_ = tx.Reset(card, kernel.Params{Amount: 3000, Sequence: 2})
	second, _ := tx.Run(context.Background())
	fmt.Println(first.Result, first.ATC, first.APDUs)
	fmt.Println(second.Result, second.ATC, second.APDUs)
	// Output:
	// online-approved 1 19
	// online-approved 2 19
}

// The built-in configuration accepts the common AIDs of the major schemes
// with partial matching.
func ExampleDefaultConfig() {
	cfg, _ := kernel.DefaultConfig("CN", "CNY")
	for _, a := range cfg.Applications[:3] {
		fmt.Printf("%X %s partial=%v\n", a.AID, a.Name, a.PartialMatch)
	}
	fmt.Println(len(cfg.Applications), "AIDs")
	// Output:
	// A0000000031010 Visa credit/debit partial=true
	// A0000000032010 Visa Electron partial=true
	// A0000000038010 Visa Plus partial=true
	// 14 AIDs
}

// A terminal configuration in JSON, with its CA key file.
func ExampleLoadConfig() {
	cfg, err := kernel.LoadConfig("../testdata/config/mastercard-de.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(int(cfg.Terminal.Country), int(cfg.Terminal.Currency), cfg.Selection.Policy)
	fmt.Printf("%X %s\n", cfg.Applications[0].AID, cfg.CAKeys.Kind())
	// Output:
	// 276 978 issuer-priority
	// A0000000041010 production
}
