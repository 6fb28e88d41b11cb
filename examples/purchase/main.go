// Command purchase runs one purchase with the yixin terminal kernel against
// the simulated dual-application card: a terminal in China selling in CNY,
// with domestic preference, a PIN pad and an issuer that approves.
//
//	go run ./examples/purchase
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/kernel"
)

func main() {
	// The card: the built-in dual-cn profile, personalised with a seed, and
	// the test CA keys that certify it.
	profile, err := cardsim.BuiltinProfile("dual-cn")
	check(err)
	cardFile, _, err := cardsim.Personalise(profile, cardsim.SeededReader(1))
	check(err)
	card, err := cardsim.New(cardFile, nil)
	check(err)
	keys, err := cardFile.CAStore()
	check(err)

	// The terminal: the built-in AID list, in China, in CNY.
	cfg, err := kernel.DefaultConfig("CN", "CNY")
	check(err)
	cfg.CAKeys = keys
	cfg.Selection.Policy = kernel.PolicyDomesticPreference
	cfg.PINPad = kernel.FixedPIN{PIN: "1234"}
	cfg.Host = kernel.HostFunc(func(_ context.Context, req *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
		fmt.Printf("online: %d bytes of DE 55 for %s\n", len(req.DE55), req.Amount)
		return &kernel.AuthorizationResponse{Approved: true, ResponseCode: "00"}, nil
	})

	// The transaction: 88.00 CNY.
	tx, err := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 8800, Type: kernel.TypePurchase})
	check(err)
	out, err := tx.Run(context.Background())
	fmt.Printf("%s: %s\n", out.Result, out.Reason)
	fmt.Printf("application %s (%X), %s: %s\n", out.Selection.Name, out.AID, out.Selection.Rule, out.Selection.Reason)
	fmt.Printf("card %s, ODA %s ok=%v, CVM %s\n", out.MaskedPAN, out.ODA, out.ODAOK, out.CVMResults)
	fmt.Printf("%v %X, TVR %X, TSI %X\n", out.CID.Type(), out.Cryptogram, out.TVR[:], out.TSI[:])
	check(err) // a *kernel.TerminatedError says where and why it stopped
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
