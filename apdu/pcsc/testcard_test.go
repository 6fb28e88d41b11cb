//go:build pcsc

package pcsc_test

import (
	"bytes"
	"context"
	"sync"
)

// testAID is a proprietary, unregistered AID (ISO/IEC 7816-5 category F):
// F0 then "YIXIN" 01.
var testAID = []byte{0xF0, 0x59, 0x49, 0x58, 0x49, 0x4E, 0x01}

// Status words of the test card.
var (
	sw9000 = []byte{0x90, 0x00}
	sw6700 = []byte{0x67, 0x00} // wrong length
	sw6A82 = []byte{0x6A, 0x82} // file or application not found
	sw6D00 = []byte{0x6D, 0x00} // INS not supported
	sw6985 = []byte{0x69, 0x85} // conditions of use not satisfied
)

// tlv encodes one BER-TLV object with a one-byte tag and short length.
func tlv(tag byte, value ...byte) []byte {
	return append([]byte{tag, byte(len(value))}, value...)
}

// testFCI is the FCI the card returns when testAID is selected.
var testFCI = tlv(0x6F, append(tlv(0x84, testAID...),
	tlv(0xA5, append(tlv(0x50, []byte("YIXIN TEST")...), tlv(0x87, 0x01)...)...)...)...)

// bigData is what READ BINARY returns: 256 bytes, 00 to FF.
var bigData = func() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}()

// testCard is a small card for the PC/SC tests: SELECT of testAID answers
// testFCI (under T=0 as 61xx, then GET RESPONSE), READ BINARY 00 B0 00 00 00
// answers 256 bytes, SELECT of any other AID 6A82, other instructions 6D00.
// It counts resets (it implements vpcd.Resetter) and commands.
type testCard struct {
	t0 bool // answer case 4 commands the T=0 way: 61xx, GET RESPONSE

	mu       sync.Mutex
	pending  []byte // response waiting for GET RESPONSE
	resets   int
	commands int
}

func (c *testCard) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commands++
	if len(cmd) < 4 {
		return sw6700, nil
	}
	pending := c.pending
	c.pending = nil
	switch cmd[1] {
	case 0xA4:
		return c.selectAID(cmd), nil
	case 0xC0:
		return getResponse(cmd, pending), nil
	case 0xB0:
		if len(cmd) != 5 || cmd[4] != 0x00 {
			return sw6700, nil
		}
		return append(bytes.Clone(bigData), sw9000...), nil
	}
	return sw6D00, nil
}

func (c *testCard) selectAID(cmd []byte) []byte {
	if len(cmd) < 5 || len(cmd) < 5+int(cmd[4]) {
		return sw6700
	}
	if !bytes.Equal(cmd[5:5+int(cmd[4])], testAID) {
		return sw6A82
	}
	if c.t0 {
		c.pending = testFCI
		return []byte{0x61, byte(len(testFCI))}
	}
	return append(bytes.Clone(testFCI), sw9000...)
}

// getResponse returns the pending response when Le matches its length.
func getResponse(cmd, pending []byte) []byte {
	switch {
	case pending == nil:
		return sw6985
	case len(cmd) != 5:
		return sw6700
	case int(cmd[4]) != len(pending):
		return []byte{0x6C, byte(len(pending))}
	}
	return append(bytes.Clone(pending), sw9000...)
}

// Reset forgets a pending GET RESPONSE, as a real card does on reset.
func (c *testCard) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = nil
	c.resets++
}

func (c *testCard) counts() (resets, commands int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resets, c.commands
}

// selectCmd is SELECT by name of aid, case 4 (Le 00).
func selectCmd(aid []byte) []byte {
	cmd := append([]byte{0x00, 0xA4, 0x04, 0x00, byte(len(aid))}, aid...)
	return append(cmd, 0x00)
}
