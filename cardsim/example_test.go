package cardsim_test

import (
	"context"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/emv"
)

// Example personalises the built-in dual-application profile, then talks
// to the card as a terminal would: SELECT of the PSE, READ RECORD of its
// directory, SELECT of the first application listed.
func Example() {
	p, err := cardsim.BuiltinProfile("dual-cn")
	if err != nil {
		panic(err)
	}
	// A seeded reader makes the same card every time; use crypto/rand
	// (nil for cardsim.New, any io.Reader for Personalise) otherwise.
	cf, _, err := cardsim.Personalise(p, cardsim.SeededReader(1))
	if err != nil {
		panic(err)
	}
	card, err := cardsim.New(cf, nil) // in-memory state
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	send := func(c apdu.Command) apdu.Response {
		b, _ := c.Bytes()
		out, err := card.Transmit(ctx, b)
		if err != nil {
			panic(err)
		}
		r, _ := apdu.ParseResponse(out)
		return r
	}
	fmt.Println("SELECT PSE:", send(apdu.SelectPSE()).SW.String())
	var first []byte
	for rec := 1; ; rec++ {
		c, _ := apdu.ReadRecord(1, rec)
		r := send(c)
		if r.SW != apdu.SWNoError {
			fmt.Println("READ RECORD", rec, r.SW.String())
			break
		}
		aid, _ := emv.Find(r.Data, 0x4F)
		label, _ := emv.Find(r.Data, 0x50)
		prio, _ := emv.Find(r.Data, 0x87)
		fmt.Printf("  %X %s, priority %X\n", aid, label, prio)
		if first == nil {
			first = aid
		}
	}
	r := send(apdu.Select(first, false))
	name, _ := emv.Find(r.Data, 0x84)
	fmt.Printf("SELECT %X: %s\n", name, r.SW.String())
	// Output:
	// SELECT PSE: 9000
	//   A000000333010102 UICS CREDIT, priority 01
	//   A000000025010402 AMERICAN EXPRESS, priority 02
	// READ RECORD 3 6A83
	// SELECT A000000333010102: 9000
}
