package cardsim

import (
	"context"
	"sync"
	"testing"
)

// fuzzCard is one card for the whole fuzzing process: building a card
// reloads its RSA keys, too slow to do for every input. Each input starts
// from the card's initial state (restored below) and no selection.
var fuzzCard struct {
	once    sync.Once
	card    *Card
	initial *State
	err     error
}

// restore puts the card back to a saved state.
func (c *Card) restore(st *State) {
	c.st = st.clone()
	for _, a := range c.apps {
		a.state = c.st.Apps[a.prof.AID.String()]
	}
	c.sess = session{}
}

// FuzzCardTransmit sends sequences of random APDUs to the dual-cn card.
// The input is a series of APDUs, each preceded by its length byte. The
// card must never panic, never fail Transmit, and always answer at least
// SW1 SW2. Seeds in testdata/fuzz/FuzzCardTransmit drive it through
// selection, GPO, GENERATE AC and scripts first.
func FuzzCardTransmit(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		fuzzCard.once.Do(func() {
			cf := goldenCard(t, "dual-cn")
			fuzzCard.card, fuzzCard.err = New(cf, &Options{Rand: SeededReader(1)})
			if fuzzCard.err == nil {
				fuzzCard.initial = fuzzCard.card.State()
			}
		})
		if fuzzCard.err != nil {
			t.Fatal(fuzzCard.err)
		}
		c := fuzzCard.card
		c.restore(fuzzCard.initial)
		for len(in) > 0 {
			n := int(in[0])
			in = in[1:]
			cmd := in[:min(n, len(in))]
			in = in[len(cmd):]
			rsp, err := c.Transmit(context.Background(), cmd)
			if err != nil {
				t.Fatalf("Transmit(%X): %v", cmd, err)
			}
			if len(rsp) < 2 {
				t.Fatalf("Transmit(%X) = %X: shorter than a status word", cmd, rsp)
			}
		}
	})
}
