//go:build pcsc

// Command pcsc runs one purchase with the yixin terminal kernel on the card
// in a PC/SC reader, with an annotated trace (PAN and PIN data masked) on
// standard error. Build it with the pcsc tag (cgo and libpcsclite-dev):
//
//	go run -tags pcsc ./examples/pcsc -capk testdata/capk/production.txt -amount 100
//
// The simulated card can stand in for a real one behind a virtual reader:
// "yixin card serve" (see shared/design/PCSC.md in the repository).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/apdu/pcsc"
	"github.com/yixin-emv/yixin/kernel"
)

func main() {
	reader := flag.String("reader", "", "reader name (default: the first with a card)")
	capk := flag.String("capk", "", "CA public key file (capk.txt or JSON)")
	amount := flag.Int64("amount", 100, "amount in minor units of the terminal currency")
	country := flag.String("country", "CN", "terminal country")
	currency := flag.String("currency", "CNY", "terminal currency")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	fmt.Fprintln(os.Stderr, "insert a card…")
	check(pcsc.WaitForCard(ctx, *reader))
	reader0, err := pcsc.Open(ctx, *reader, pcsc.Options{})
	check(err)
	defer reader0.Close()
	// T=0 readers answer 61xx: apdu.T0 sends GET RESPONSE.
	card := apdu.T0(apdu.NewTracer(reader0, os.Stderr, apdu.TraceOptions{}))

	cfg, err := kernel.DefaultConfig(*country, *currency)
	check(err)
	if *capk != "" {
		cfg.CAKeys, err = kernel.LoadCAKeys(*capk)
		check(err)
	}
	// No PIN pad and no host: PIN CVMs fail over to the next rule, and an
	// ARQC completes as "unable to go online".
	tx, err := kernel.NewTransaction(cfg, card, kernel.Params{Amount: *amount})
	check(err)
	out, err := tx.Run(ctx)
	fmt.Printf("%s: %s\n", out.Result, out.Reason)
	fmt.Printf("application %s (%X), %s\n", out.Selection.Name, out.AID, out.Selection.Reason)
	fmt.Printf("ODA %s ok=%v, CVM %s, TVR %X, %d APDUs\n", out.ODA, out.ODAOK, out.CVMResults, out.TVR[:], out.APDUs)
	check(err)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
