package pcsc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/yixin-emv/yixin/apdu/pcsc"
)

// Wait for a card in any reader, open it and select the payment system
// environment of the contactless interface (PPSE). It needs pcscd and a
// reader, and a binary built with -tags pcsc; without the tag, Open says
// how to rebuild.
func ExampleOpen() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, ""); err != nil {
		log.Fatal(err) // e.g. "apdu/pcsc: wait for a card: pcscd is not running: start it …"
	}
	card, err := pcsc.Open(ctx, "", pcsc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer card.Close()
	fmt.Printf("%s, %s, ATR % X\n", card.Reader(), card.Protocol(), card.ATR())

	selectPPSE := append([]byte{0x00, 0xA4, 0x04, 0x00, 0x0E}, "2PAY.SYS.DDF01\x00"...)
	rsp, err := card.Transmit(ctx, selectPPSE)
	if errors.Is(err, pcsc.ErrCardRemoved) {
		log.Fatal("the card was pulled out: ", err)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("% X\n", rsp)
}
