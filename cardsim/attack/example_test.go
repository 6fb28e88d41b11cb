package attack_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim/attack"
)

// card stands for any apdu.Transport: a cardsim.Card, a PC/SC reader …
// This one refuses every PIN and counts the VERIFY commands it gets.
type card struct{ verifies int }

func (c *card) Transmit(_ context.Context, cmd []byte) ([]byte, error) {
	if len(cmd) > 1 && cmd[1] == apdu.INSVerify {
		c.verifies++
		return []byte{0x63, 0xC2}, nil
	}
	return []byte{0x90, 0x00}, nil
}

func ExampleWedge() {
	c := &card{}
	wedged, err := attack.New(c, attack.Wedge())
	if err != nil {
		panic(err)
	}
	verify := apdu.Verify(apdu.VerifyPlaintextPIN, []byte{0x24, 0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	cmd, _ := verify.AppendTo(nil)
	resp, _ := wedged.Transmit(context.Background(), cmd)
	fmt.Printf("terminal gets %X; the card saw %d VERIFY\n", resp, c.verifies)
	for _, e := range wedged.Events() {
		fmt.Println(e)
	}
	// Output:
	// terminal gets 9000; the card saw 0 VERIFY
	// APDU 1 00200080 (wedge): [answered 9000]
}

func ExampleParseRules() {
	rules, err := attack.ParseRules([]byte(`[
		{"at": 2, "fault": "6F00"},
		{"at": 3, "fault": "removed"}
	]`))
	if err != nil {
		panic(err)
	}
	faulty, _ := attack.New(&card{}, rules...)
	for range 4 {
		resp, err := faulty.Transmit(context.Background(), []byte{0x00, 0x84, 0x00, 0x00, 0x00})
		var fe *attack.FaultError
		switch {
		case errors.As(err, &fe) && errors.Is(err, attack.ErrCardRemoved):
			fmt.Printf("APDU %d: card removed\n", fe.Position)
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Printf("%X\n", resp)
		}
	}
	// Output:
	// 9000
	// 6F00
	// APDU 3: card removed
	// APDU 4: card removed
}
