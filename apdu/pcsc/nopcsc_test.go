//go:build !pcsc

package pcsc

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
)

var _ apdu.Transport = (*Card)(nil)

// Without the tag every entry point says how to get PC/SC support.
func TestNotBuilt(t *testing.T) {
	ctx := context.Background()
	_, errList := ListReaders(ctx)
	_, errOpen := Open(ctx, "", Options{})
	var c Card
	_, errTransmit := c.Transmit(ctx, []byte{0x00, 0xA4, 0x04, 0x00})
	for name, err := range map[string]error{
		"ListReaders": errList,
		"WaitForCard": WaitForCard(ctx, ""),
		"Open":        errOpen,
		"Transmit":    errTransmit,
		"Reconnect":   c.Reconnect(ctx),
		"Close":       c.Close(),
	} {
		if !errors.Is(err, ErrNotBuilt) {
			t.Errorf("%s = %v, want ErrNotBuilt", name, err)
		}
	}
	if msg := ErrNotBuilt.Error(); !strings.Contains(msg, "rebuild with -tags pcsc") || !strings.Contains(msg, "libpcsclite-dev") {
		t.Errorf("ErrNotBuilt = %q does not say how to rebuild", msg)
	}
	if c.ATR() != nil || c.Protocol() != Any || c.Reader() != "" {
		t.Error("the stand-in Card reports a card")
	}
}

// CI sets YIXIN_REQUIRE_PCSC=1 to demand the real PC/SC tests; in a test
// binary built without the tag they do not exist, so say so instead of
// passing with nothing tested.
func TestRequirePCSCNeedsTag(t *testing.T) {
	if os.Getenv("YIXIN_REQUIRE_PCSC") == "1" {
		t.Fatal("YIXIN_REQUIRE_PCSC=1, but this test binary was built without -tags pcsc, so the real PC/SC tests did not run: " +
			"run YIXIN_REQUIRE_PCSC=1 go test -tags pcsc ./apdu/pcsc/ (after bash scripts/pcsc-up.sh), and leave the variable unset for untagged runs")
	}
}
