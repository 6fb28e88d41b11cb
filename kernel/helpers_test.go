package kernel_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// testTime is the fixed clock of the tests: 2025-06-15 12:34:56 UTC.
var testTime = time.Date(2025, 6, 15, 12, 34, 56, 0, time.UTC)

// h decodes hex written with or without spaces.
func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// cat concatenates byte strings.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// tlv encodes one object whose value is the concatenation of parts.
func tlv(tag uint32, parts ...[]byte) []byte { return emv.AppendTLV(nil, emv.Tag(tag), cat(parts...)) }

// repeatReader is an io.Reader that gives the same byte forever: a fixed
// random source for byte-identical runs.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// testConfig is the built-in configuration with a fixed clock and random
// source.
func testConfig(t testing.TB, country, currency string) *kernel.Config {
	t.Helper()
	c, err := kernel.DefaultConfig(country, currency)
	if err != nil {
		t.Fatal(err)
	}
	c.Rand = repeatReader(0x11)
	c.Clock = func() time.Time { return testTime }
	return c
}

// conv is a scripted conversation: the exact commands the kernel must send
// and the card's answers, replayed strictly.
type conv struct{ ex []apdu.Exchange }

// on adds an exchange: the command and the response data with its SW.
func (c *conv) on(cmd apdu.Command, data []byte, sw uint16) *conv {
	b, err := cmd.Bytes()
	if err != nil {
		panic(err)
	}
	c.ex = append(c.ex, apdu.Exchange{Command: b, Response: append(bytes.Clone(data), byte(sw>>8), byte(sw))})
	return c
}

// replayer returns a strict replayer of the conversation.
func (c *conv) replayer() *apdu.Replayer { return apdu.NewReplayer(c.ex, apdu.ReplayStrict) }

func mustCmd(c apdu.Command, err error) apdu.Command {
	if err != nil {
		panic(err)
	}
	return c
}

// fci is an FCI template: DF name and the proprietary template's objects.
func fci(df []byte, a5 ...[]byte) []byte { return tlv(0x6F, tlv(0x84, df), tlv(0xA5, a5...)) }

// pseFCI is the FCI of the PSE with its directory SFI.
func pseFCI(sfi byte) []byte { return fci([]byte(apdu.PSEName), tlv(0x88, []byte{sfi})) }

// dirEntry is a directory entry (61) for an application.
func dirEntry(aid []byte, label string, prio byte, extra ...[]byte) []byte {
	parts := [][]byte{tlv(0x4F, aid), tlv(0x50, []byte(label))}
	if prio != 0 {
		parts = append(parts, tlv(0x87, []byte{prio}))
	}
	return tlv(0x61, append(parts, extra...)...)
}

// appFCI is an application FCI with label and priority.
func appFCI(aid []byte, label string, prio byte, extra ...[]byte) []byte {
	parts := [][]byte{tlv(0x50, []byte(label))}
	if prio != 0 {
		parts = append(parts, tlv(0x87, []byte{prio}))
	}
	return fci(aid, append(parts, extra...)...)
}

var (
	aidUP   = h("A000000333010102")
	aidAmex = h("A000000025010402")
)

// dualPSE scripts the PSE of a dual card: UnionPay with priority upPrio,
// Amex with amexPrio, in one directory record.
func dualPSE(c *conv, upPrio, amexPrio byte) *conv {
	return c.on(apdu.SelectPSE(), pseFCI(1), 0x9000).
		on(mustCmd(apdu.ReadRecord(1, 1)), tlv(0x70, dirEntry(aidUP, "UICS CREDIT", upPrio), dirEntry(aidAmex, "AMERICAN EXPRESS", amexPrio)), 0x9000).
		on(mustCmd(apdu.ReadRecord(1, 2)), nil, 0x6A83)
}

// selectOnly runs application selection and checks that the card saw
// exactly the scripted conversation.
func selectOnly(t *testing.T, cfg *kernel.Config, c *conv) (*kernel.Selection, error) {
	t.Helper()
	r := c.replayer()
	tx, err := kernel.NewTransaction(cfg, r, kernel.Params{Amount: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sel, err := tx.Select(context.Background())
	if derr := r.Done(); derr != nil {
		t.Errorf("replay: %v", derr)
	}
	return sel, err
}
