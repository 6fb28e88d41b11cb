package cardsim

import (
	"context"
	"testing"
)

// BenchmarkCardSelect is one SELECT of an application, in process.
func BenchmarkCardSelect(b *testing.B) {
	c, err := New(goldenCard(b, "dual-cn"), nil)
	if err != nil {
		b.Fatal(err)
	}
	cmd := mustHex(hexSelectDom)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if rsp, _ := c.Transmit(ctx, cmd); len(rsp) < 2 || rsp[len(rsp)-2] != 0x90 {
			b.Fatalf("SELECT: %X", rsp)
		}
	}
}

// BenchmarkCardTransaction is SELECT, GET PROCESSING OPTIONS (which saves
// the state) and a first GENERATE AC asking for an AAC, in process with an
// in-memory store.
func BenchmarkCardTransaction(b *testing.B) {
	c, err := New(goldenCard(b, "dual-cn"), nil)
	if err != nil {
		b.Fatal(err)
	}
	cmds := [][]byte{mustHex(hexSelectDom), mustHex(hexGPODom), mustHex("80AE00001D" + hexCDOL1Dom + "00")}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if c.st.Apps["A000000333010102"].ATC > 0xFF00 {
			c.st.Apps["A000000333010102"].ATC = 0
		}
		for _, cmd := range cmds {
			if rsp, _ := c.Transmit(ctx, cmd); len(rsp) < 2 || rsp[len(rsp)-2] != 0x90 {
				b.Fatalf("%X: %X", cmd, rsp)
			}
		}
	}
}
