package kernel_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// fakeCard is a test double of a card for the kernel's branch tests: every
// answer is data the test sets, with no cryptography (the kernel checks no
// application cryptogram). Tests of offline data authentication and of
// whole transactions with real keys use package cardsim instead.
type fakeCard struct {
	apps  []*fakeApp
	sel   *fakeApp
	inPSE bool // the PSE is selected

	pin       string // reference PIN ("" refuses VERIFY with 6984)
	tries     int    // PIN try counter
	noPTC     bool   // GET DATA 9F17 answers 6A88
	verifySW  uint16 // when set, every VERIFY is answered with it
	atc       int    // 9F36 for GET DATA (-1: 6A88)
	lastATC   int    // 9F13 for GET DATA (-1: 6A88)
	extAuthSW uint16 // EXTERNAL AUTHENTICATE status (0: 9000)
	scriptSW  uint16 // status of issuer script commands (0: 9000)
	// genac decides the CID of the n-th GENERATE AC (1-based) given the
	// requested type; nil answers what was asked.
	genac    func(n int, requested byte) byte
	genacSW  uint16 // when set, GENERATE AC is answered with it
	removeAt int    // the card disappears at this command number (1-based)
	iad      []byte // Issuer Application Data of GENERATE AC (nil: an M/Chip-style one)

	n      int      // commands received
	ins    []string // what was received, for the tests' eyes
	acs    int
	verify [][]byte
}

// fakeApp is one application of a fakeCard.
type fakeApp struct {
	aid     []byte
	label   string
	prio    byte
	fciMore [][]byte
	gpo     []byte // GPO response data; nil means 6985
	records map[[2]int][]byte
	// vals and layout build the records not in records: each record
	// (SFI, number) is a template 70 of the listed tags present in vals.
	vals   map[uint32][]byte
	layout map[[2]int][]uint32
}

// record returns the record (sfi, n).
func (a *fakeApp) record(sfi, n int) ([]byte, bool) {
	if r, ok := a.records[[2]int{sfi, n}]; ok {
		return r, true
	}
	tags, ok := a.layout[[2]int{sfi, n}]
	if !ok {
		return nil, false
	}
	var body []byte
	for _, t := range tags {
		if v, ok := a.vals[t]; ok {
			body = append(body, tlv(t, v)...)
		}
	}
	return tlv(0x70, body), true
}

var errRemoved = fmt.Errorf("card removed")

// Transmit answers one command.
func (c *fakeCard) Transmit(_ context.Context, b []byte) ([]byte, error) {
	c.n++
	if c.removeAt > 0 && c.n >= c.removeAt {
		return nil, errRemoved
	}
	cmd, err := apdu.ParseCommand(b)
	if err != nil {
		return sw(0x6700), nil
	}
	c.ins = append(c.ins, apdu.CommandName(cmd.CLA, cmd.INS))
	switch cmd.INS {
	case apdu.INSSelect:
		return c.doSelect(cmd), nil
	case apdu.INSReadRecord:
		if c.inPSE {
			if cmd.P2 == 1<<3|4 && cmd.P1 == 1 {
				return append(c.dir(), 0x90, 0x00), nil
			}
			return sw(0x6A83), nil
		}
		if c.sel == nil {
			return sw(0x6A83), nil
		}
		if r, ok := c.sel.record(int(cmd.P2>>3), int(cmd.P1)); ok {
			return append(bytes.Clone(r), 0x90, 0x00), nil
		}
		return sw(0x6A83), nil
	case apdu.INSGetProcessingOptions:
		if c.sel == nil || c.sel.gpo == nil {
			return sw(0x6985), nil
		}
		return append(bytes.Clone(c.sel.gpo), 0x90, 0x00), nil
	case apdu.INSGetData:
		return c.getData(emv.Tag(uint16(cmd.P1)<<8 | uint16(cmd.P2))), nil
	case apdu.INSVerify:
		return c.doVerify(cmd), nil
	case apdu.INSGenerateAC:
		return c.doGenAC(cmd), nil
	case apdu.INSExternalAuthenticate:
		if c.extAuthSW != 0 {
			return sw(c.extAuthSW), nil
		}
		return sw(0x9000), nil
	case apdu.INSGetChallenge:
		return append(h("0102030405060708"), 0x90, 0x00), nil
	}
	if cmd.CLA&0xF0 == 0x80 || cmd.CLA&0xF0 == 0x84 { // issuer script commands
		if c.scriptSW != 0 {
			return sw(c.scriptSW), nil
		}
		return sw(0x9000), nil
	}
	return sw(0x6D00), nil
}

func sw(v uint16) []byte { return []byte{byte(v >> 8), byte(v)} }

func (c *fakeCard) doSelect(cmd apdu.Command) []byte {
	c.inPSE, c.sel = false, nil
	if bytes.Equal(cmd.Data, []byte(apdu.PSEName)) {
		c.inPSE = true
		return append(pseFCI(1), 0x90, 0x00)
	}
	for _, a := range c.apps {
		if bytes.Equal(a.aid, cmd.Data) {
			c.sel = a
			return append(appFCI(a.aid, a.label, a.prio, a.fciMore...), 0x90, 0x00)
		}
	}
	return sw(0x6A82)
}

// dir is the PSE directory record of the card's applications.
func (c *fakeCard) dir() []byte {
	var es [][]byte
	for _, a := range c.apps {
		es = append(es, dirEntry(a.aid, a.label, a.prio))
	}
	return tlv(0x70, es...)
}

func (c *fakeCard) getData(tag emv.Tag) []byte {
	switch tag {
	case 0x9F17:
		if !c.noPTC {
			return append(tlv(0x9F17, []byte{byte(c.tries)}), 0x90, 0x00)
		}
	case 0x9F36:
		if c.atc >= 0 {
			return append(tlv(0x9F36, []byte{byte(c.atc >> 8), byte(c.atc)}), 0x90, 0x00)
		}
	case 0x9F13:
		if c.lastATC >= 0 {
			return append(tlv(0x9F13, []byte{byte(c.lastATC >> 8), byte(c.lastATC)}), 0x90, 0x00)
		}
	}
	return sw(0x6A88)
}

func (c *fakeCard) doVerify(cmd apdu.Command) []byte {
	c.verify = append(c.verify, bytes.Clone(cmd.Data))
	if c.verifySW != 0 {
		return sw(c.verifySW)
	}
	if c.tries == 0 || c.pin == "" {
		return sw(0x6983)
	}
	want := h("2" + fmt.Sprintf("%X", len(c.pin)) + c.pin + "FFFFFFFFFFFFFF")[:8]
	if cmd.P2 == apdu.VerifyPlaintextPIN && bytes.Equal(cmd.Data, want) {
		return sw(0x9000)
	}
	c.tries--
	return sw(0x63C0 | uint16(c.tries))
}

func (c *fakeCard) doGenAC(cmd apdu.Command) []byte {
	c.acs++
	if c.genacSW != 0 {
		return sw(c.genacSW)
	}
	cid := cmd.P1 & 0xC0
	if c.genac != nil {
		cid = c.genac(c.acs, cmd.P1&0xC0)
	}
	ac := bytes.Repeat([]byte{0xA0 + byte(c.acs)}, 8)
	iad := c.iad
	if iad == nil {
		iad = h("0110A00003220000000000000000000000FF")
	}
	return append(tlv(0x80, []byte{cid, 0x00, byte(c.acs)}, ac, iad), 0x90, 0x00)
}
