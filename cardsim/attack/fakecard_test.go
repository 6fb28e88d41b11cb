package attack

import (
	"context"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
)

// fakeCard is a tiny scripted card for the table tests: it answers by
// instruction from fixed data and records every command it is sent.
type fakeCard struct {
	mu  sync.Mutex
	got []string // commands received, upper-case hex
}

// The fake card's data. Two applications: a "domestic" one (AID
// A000000333010102) and an "international" one (A00000002501).
const (
	aidDomestic = "A000000333010102"
	aidIntl     = "A00000002501"
	fciDomestic = "6F1B8408A000000333010102A50F500A55494353204445424954870101"
	fciIntl     = "6F1A8406A00000002501A510500B414D455820435245444954870102"
	// PSE directory record (SFI 1 record 1): both applications.
	pseRecord = "701C610D4F08A000000333010102870101610B4F06A00000002501870102"
	// Application record (SFI 2 record 1): PAN and expiry.
	appRecord = "70105A0837123456789012345F2403301231"
	// GET PROCESSING OPTIONS: AIP 7D00 (SDA, DDA, cardholder verification,
	// terminal risk management, issuer authentication, CDA)
	// and an AFL, in format 1 and 2.
	gpoFmt1 = "800A7D001001010008010200"
	gpoFmt2 = "770E82027D0094081001010008010200"
	// GENERATE AC, plain: CID 80, ATC 0005, AC, IAD.
	genACPlain = "771C9F2701809F360200059F260811223344556677889F10050110A00000"
	// GENERATE AC with CDA: the AC is inside the (here fake) signature.
	genACCDA = "77249F2701809F360200059F4B10ABABABABABABABABABABABABABABABAB9F10050110A00000"
)

func (c *fakeCard) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	c.mu.Lock()
	c.got = append(c.got, strings.ToUpper(hex.EncodeToString(cmd)))
	c.mu.Unlock()
	if len(cmd) < 4 {
		return hx("6700"), nil
	}
	ins, p1, p2 := cmd[1], cmd[2], cmd[3]
	data := ""
	if len(cmd) > 5 {
		n := int(cmd[4])
		if 5+n <= len(cmd) {
			data = strings.ToUpper(hex.EncodeToString(cmd[5 : 5+n]))
		}
	}
	switch ins {
	case 0xA4:
		switch data {
		case aidDomestic:
			return hx(fciDomestic + "9000"), nil
		case aidIntl:
			return hx(fciIntl + "9000"), nil
		}
		return hx("6A82"), nil
	case 0xB2:
		switch {
		case p1 == 1 && p2 == 0x0C:
			return hx(pseRecord + "9000"), nil
		case p1 == 1 && p2 == 0x14:
			return hx(appRecord + "9000"), nil
		}
		return hx("6A83"), nil
	case 0xA8:
		if len(cmd) > 5 && cmd[4] == 3 && cmd[7] == 1 { // 83 01 01: ask for format 1
			return hx(gpoFmt1 + "9000"), nil
		}
		return hx(gpoFmt2 + "9000"), nil
	case 0xAE:
		if p1&0x10 != 0 {
			return hx(genACCDA + "9000"), nil
		}
		return hx(genACPlain + "9000"), nil
	case 0x20:
		return hx("63C2"), nil
	case 0x84:
		return hx("0102030405060708" + "9000"), nil
	}
	return hx("6D00"), nil
}

func (c *fakeCard) commands() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}

func hx(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}
