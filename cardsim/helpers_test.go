package cardsim

import (
	"bytes"
	"context"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

var update = flag.Bool("update", false, "rewrite the golden card files in testdata/cards")

// goldenSeed is the seed of the card files in testdata/cards.
const goldenSeed = 1

// goldenCards caches the parsed golden card files (tests only).
var goldenCards sync.Map

// goldenCard returns the card file personalised from a built-in profile
// with goldenSeed, read from testdata/cards (personalising is slow: RSA
// key generation). With -update it personalises again and rewrites it.
func goldenCard(t testing.TB, profile string) *CardFile {
	t.Helper()
	path := filepath.Join("testdata", "cards", profile+".json")
	if *update {
		p, err := BuiltinProfile(profile)
		if err != nil {
			t.Fatal(err)
		}
		cf, _, err := Personalise(p, SeededReader(goldenSeed))
		if err != nil {
			t.Fatal(err)
		}
		b, err := cf.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		goldenCards.Delete(profile)
	}
	if cf, ok := goldenCards.Load(profile); ok {
		return cloneCardFile(t, cf.(*CardFile))
	}
	cf, err := LoadCardFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGoldenCards -update to make it)", err)
	}
	goldenCards.Store(profile, cf)
	return cloneCardFile(t, cf)
}

func cloneCardFile(t testing.TB, cf *CardFile) *CardFile {
	b, err := cf.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCardFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newTestCard builds a card from a golden card file with a seeded random
// source and an in-memory store.
func newTestCard(t testing.TB, profile string) *Card {
	t.Helper()
	c, err := New(goldenCard(t, profile), &Options{Rand: SeededReader(99)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// term is a minimal terminal for the tests: it sends commands and keeps
// what a kernel would (PDOL data, CDOL data).
type term struct {
	t    testing.TB
	card apdu.Transport
	// data are the terminal's data objects, for DOLs.
	data map[emv.Tag][]byte
}

func newTerm(t testing.TB, card apdu.Transport) *term {
	return &term{t: t, card: card, data: map[emv.Tag][]byte{
		0x9F02: mustHex("000000001000"), // 10.00
		0x9F03: mustHex("000000000000"),
		0x9F1A: mustHex("0156"),
		0x95:   mustHex("0000000000"),
		0x5F2A: mustHex("0156"),
		0x9A:   mustHex("260115"),
		0x9C:   mustHex("00"),
		0x9F37: mustHex("11223344"),
		0x9F35: mustHex("22"),
		0x9F34: mustHex("410302"),
		0xDF69: mustHex("01"),
		0x8A:   []byte("00"),
	}}
}

func (tm *term) lookup(t emv.Tag) ([]byte, bool) {
	v, ok := tm.data[t]
	return v, ok
}

// send transmits raw bytes and splits the response.
func (tm *term) send(raw []byte) ([]byte, apdu.StatusWord) {
	tm.t.Helper()
	rsp, err := tm.card.Transmit(context.Background(), raw)
	if err != nil {
		tm.t.Fatalf("Transmit(%X): %v", raw, err)
	}
	r, err := apdu.ParseResponse(rsp)
	if err != nil {
		tm.t.Fatalf("response %X: %v", rsp, err)
	}
	return r.Data, r.SW
}

// cmd transmits a command.
func (tm *term) cmd(c apdu.Command) ([]byte, apdu.StatusWord) {
	tm.t.Helper()
	b, err := c.Bytes()
	if err != nil {
		tm.t.Fatal(err)
	}
	return tm.send(b)
}

// must transmits a command that must succeed.
func (tm *term) must(c apdu.Command) []byte {
	tm.t.Helper()
	data, sw := tm.cmd(c)
	if sw != apdu.SWNoError {
		tm.t.Fatalf("%s: status %s", c, sw)
	}
	return data
}

// selectApp selects by AID.
func (tm *term) selectApp(aid []byte) []byte {
	tm.t.Helper()
	return tm.must(apdu.Select(aid, false))
}

// gpo builds the PDOL data from the FCI and sends GET PROCESSING OPTIONS;
// it returns the AIP and AFL.
func (tm *term) gpo(fci []byte) (aip, afl, pdolData []byte) {
	tm.t.Helper()
	var dol emv.DOL
	if p, ok := emv.Find(fci, 0x9F38); ok {
		var err error
		if dol, err = emv.ParseDOL(p); err != nil {
			tm.t.Fatal(err)
		}
	}
	pdolData = dol.Build(tm.lookup)
	rsp := tm.must(apdu.GetProcessingOptions(pdolData))
	aip, afl = splitGPO(tm.t, rsp)
	return aip, afl, pdolData
}

func splitGPO(t testing.TB, rsp []byte) (aip, afl []byte) {
	t.Helper()
	if v, ok := emv.Find(rsp, 0x80); ok && len(v) >= 2 {
		return v[:2], v[2:]
	}
	aip, ok1 := emv.Find(rsp, 0x82)
	afl, ok2 := emv.Find(rsp, 0x94)
	if !ok1 || !ok2 {
		t.Fatalf("GPO response %X has no AIP or AFL", rsp)
	}
	return aip, afl
}

// readAll reads every record of the AFL and returns them.
func (tm *term) readAll(afl []byte) []oda.ImageRecord {
	tm.t.Helper()
	entries, err := emv.ParseAFL(afl)
	if err != nil {
		tm.t.Fatal(err)
	}
	var recs []oda.ImageRecord
	for _, e := range entries {
		for n := e.First; n <= e.Last; n++ {
			c, err := apdu.ReadRecord(e.SFI, n)
			if err != nil {
				tm.t.Fatal(err)
			}
			recs = append(recs, oda.ImageRecord{SFI: e.SFI, Record: n, Data: tm.must(c)})
		}
	}
	return recs
}

// dolData builds the data of a DOL found in the records.
func (tm *term) dolData(recs []oda.ImageRecord, tag emv.Tag) []byte {
	tm.t.Helper()
	for _, r := range recs {
		if v, ok := emv.Find(r.Data, tag); ok {
			d, err := emv.ParseDOL(v)
			if err != nil {
				tm.t.Fatal(err)
			}
			return d.Build(tm.lookup)
		}
	}
	tm.t.Fatalf("no %s in the records", tag)
	return nil
}

// genAC sends GENERATE AC and returns the CID, ATC, cryptogram, IAD and the
// raw response.
type acResult struct {
	cid  byte
	atc  []byte
	ac   []byte
	iad  []byte
	sdad []byte
	raw  []byte
}

func parseAC(t testing.TB, rsp []byte) acResult {
	t.Helper()
	if v, ok := emv.Find(rsp, 0x80); ok && rsp[0] == 0x80 {
		if len(v) < 11 {
			t.Fatalf("format 1 GENERATE AC response %X too short", rsp)
		}
		return acResult{cid: v[0], atc: v[1:3], ac: v[3:11], iad: v[11:], raw: rsp}
	}
	r := acResult{raw: rsp}
	cid, _ := emv.Find(rsp, 0x9F27)
	if len(cid) != 1 {
		t.Fatalf("GENERATE AC response %X has no CID", rsp)
	}
	r.cid = cid[0]
	r.atc, _ = emv.Find(rsp, 0x9F36)
	r.ac, _ = emv.Find(rsp, 0x9F26)
	r.iad, _ = emv.Find(rsp, 0x9F10)
	r.sdad, _ = emv.Find(rsp, 0x9F4B)
	return r
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

// testStore returns an oda store with the card's test CA keys.
func testStore(t testing.TB, cf *CardFile) *oda.Store {
	t.Helper()
	s, err := cf.CAStore()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// txnDate is a transaction date inside every test card's validity.
var txnDate = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
