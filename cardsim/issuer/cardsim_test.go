package issuer_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"slices"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/pin"
)

// These tests join the host to the software card of package cardsim: a
// personalised dual-application card (cardsim's golden dual-cn card file)
// computes its ARQCs, the host checks them with the issuer master keys of
// the card file, and the card accepts the host's ARPC and scripts. They
// prove that both sides agree on the cryptogram layout, not that the
// layout is right: the published vectors (vectors_test.go) do that.

const dualCN = "../testdata/cards/dual-cn.json"

// accountFor makes the host's account of one application of a card file:
// the profile's "crypto" object goes over as JSON, the issuer master keys
// come from the personalisation.
func accountFor(t testing.TB, cf *cardsim.CardFile, name string) issuer.Account {
	t.Helper()
	for i, app := range cf.Profile.Applications {
		if app.Name != name {
			continue
		}
		b, err := json.Marshal(app.Crypto)
		if err != nil {
			t.Fatal(err)
		}
		var c issuer.Crypto
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		k := cf.Applications[i].IssuerMasterKeys
		c.IssuerMasterKeys = &issuer.MasterKeys{AC: issuer.Key(k.AC), SMI: issuer.Key(k.SMI), SMC: issuer.Key(k.SMC)}
		return issuer.Account{Name: name, PAN: app.PAN, PSN: app.PSN, AID: issuer.Hex(app.AID), CDOL1: issuer.Hex(app.CDOL1), Crypto: c}
	}
	t.Fatalf("no application %q", name)
	return issuer.Account{}
}

func loadCard(t testing.TB) (*cardsim.CardFile, *cardsim.Card) {
	t.Helper()
	cf, err := cardsim.LoadCardFile(dualCN)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cardsim.New(cf, &cardsim.Options{Rand: cardsim.SeededReader(7)})
	if err != nil {
		t.Fatal(err)
	}
	return cf, c
}

// terminal is the least a kernel does to reach the first GENERATE AC.
type terminal struct {
	t            testing.TB
	card         apdu.Transport
	data         map[emv.Tag][]byte
	cdol1, cdol2 emv.DOL
}

func newTerminal(t testing.TB, card apdu.Transport, currency string) *terminal {
	return &terminal{t: t, card: card, data: map[emv.Tag][]byte{
		0x9F02: h(t, "000000002500"), 0x9F03: h(t, "000000000000"), 0x9F1A: h(t, "0156"), 0x95: h(t, "0000000000"),
		0x5F2A: h(t, currency), 0x9A: h(t, "260301"), 0x9C: h(t, "00"), 0x9F37: h(t, "A1B2C3D4"), 0x9F35: h(t, "22"),
		0x9F34: h(t, "420300"), 0xDF69: h(t, "01"),
	}}
}

func h(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func (tm *terminal) lookup(tag emv.Tag) ([]byte, bool) { v, ok := tm.data[tag]; return v, ok }

func (tm *terminal) send(c apdu.Command) ([]byte, apdu.StatusWord) {
	tm.t.Helper()
	b, err := c.Bytes()
	if err != nil {
		tm.t.Fatal(err)
	}
	return tm.raw(b)
}

func (tm *terminal) raw(b []byte) ([]byte, apdu.StatusWord) {
	tm.t.Helper()
	rsp, err := tm.card.Transmit(context.Background(), b)
	if err != nil {
		tm.t.Fatalf("%X: %v", b, err)
	}
	r, err := apdu.ParseResponse(rsp)
	if err != nil {
		tm.t.Fatal(err)
	}
	return r.Data, r.SW
}

func (tm *terminal) must(c apdu.Command) []byte {
	tm.t.Helper()
	d, sw := tm.send(c)
	if sw != apdu.SWNoError {
		tm.t.Fatalf("%s: %s", c, sw)
	}
	return d
}

// start selects the application, sends GET PROCESSING OPTIONS, reads its
// records and keeps its CDOLs; it returns the AIP.
func (tm *terminal) start(aid []byte) []byte {
	tm.t.Helper()
	fci := tm.must(apdu.Select(aid, false))
	var pdol emv.DOL
	if p, ok := emv.Find(fci, 0x9F38); ok {
		pdol, _ = emv.ParseDOL(p)
	}
	rsp := tm.must(apdu.GetProcessingOptions(pdol.Build(tm.lookup)))
	var aip, afl []byte
	if v, ok := emv.Find(rsp, 0x80); ok {
		aip, afl = v[:2], v[2:]
	} else {
		aip, _ = emv.Find(rsp, 0x82)
		afl, _ = emv.Find(rsp, 0x94)
	}
	entries, err := emv.ParseAFL(afl)
	if err != nil {
		tm.t.Fatal(err)
	}
	for _, e := range entries {
		for n := e.First; n <= e.Last; n++ {
			c, _ := apdu.ReadRecord(e.SFI, n)
			rec := tm.must(c)
			if v, ok := emv.Find(rec, 0x8C); ok {
				tm.cdol1, _ = emv.ParseDOL(v)
			}
			if v, ok := emv.Find(rec, 0x8D); ok {
				tm.cdol2, _ = emv.ParseDOL(v)
			}
		}
	}
	tm.data[0x82] = aip
	return aip
}

// genAC sends GENERATE AC with the CDOL's data and keeps 9F27, 9F36, 9F26
// and 9F10 of the answer (format 1 or 2).
func (tm *terminal) genAC(p1 byte, dol emv.DOL) byte {
	tm.t.Helper()
	rsp := tm.must(apdu.GenerateAC(p1, dol.Build(tm.lookup)))
	if v, ok := emv.Find(rsp, 0x80); ok && len(v) >= 11 {
		tm.data[0x9F27], tm.data[0x9F36], tm.data[0x9F26], tm.data[0x9F10] = v[:1], v[1:3], v[3:11], v[11:]
	} else {
		for _, tag := range []emv.Tag{0x9F27, 0x9F36, 0x9F26, 0x9F10} {
			tm.data[tag], _ = emv.Find(rsp, tag)
		}
	}
	return tm.data[0x9F27][0]
}

// de55 is the authorisation's ICC data: the kernel's default data record
// objects that the terminal has.
func (tm *terminal) de55(aid []byte) []byte {
	b := emv.AppendTLV(nil, 0x4F, aid)
	for _, tag := range []emv.Tag{0x82, 0x95, 0x9A, 0x9C, 0x5F2A, 0x9F02, 0x9F03, 0x9F10, 0x9F1A, 0x9F26, 0x9F27, 0x9F34, 0x9F35, 0x9F36, 0x9F37} {
		if v, ok := tm.data[tag]; ok {
			b = emv.AppendTLV(b, tag, v)
		}
	}
	return b
}

// runScripts sends the commands of the templates with tag tmpl and
// returns their status words.
func (tm *terminal) runScripts(scripts []byte, tmpl emv.Tag) []apdu.StatusWord {
	tm.t.Helper()
	objs, err := emv.Decode(scripts)
	if err != nil {
		tm.t.Fatal(err)
	}
	var sws []apdu.StatusWord
	for _, o := range objs {
		if o.Tag != tmpl {
			continue
		}
		for _, c := range o.Children {
			if c.Tag == 0x86 {
				_, sw := tm.raw(c.Value)
				sws = append(sws, sw)
			}
		}
	}
	return sws
}

func TestCardsimDomestic(t *testing.T) {
	cf, card := loadCard(t)
	acct := accountFor(t, cf, "domestic")
	acct.Answers = []issuer.Answer{{Approve: true, Scripts: []issuer.Script{
		{BeforeSecondAC: true, Commands: []issuer.Command{{Kind: issuer.KindPutData, Tag: "9F14", Value: h(t, "07")}}},
		{Commands: []issuer.Command{{Kind: issuer.KindPINUnblock}, {Kind: issuer.KindApplicationBlock}}},
	}}}
	host, err := issuer.New(acct)
	if err != nil {
		t.Fatal(err)
	}
	tm := newTerminal(t, card, "0156")
	aid := h(t, "A000000333010102")
	tm.start(aid)
	p, _ := pin.Format2("1234")
	if _, sw := tm.send(apdu.Verify(apdu.VerifyPlaintextPIN, p)); sw != apdu.SWNoError {
		t.Fatalf("VERIFY: %s", sw)
	}
	tm.data[0x9F34] = h(t, "410302") // plaintext PIN by the ICC, successful
	if cid := tm.genAC(apdu.RefControlARQC, tm.cdol1); cid&0xC0 != 0x80 {
		t.Fatalf("first GENERATE AC: CID %02X", cid)
	}
	resp, err := host.Authorise(context.Background(), issuer.Request{PAN: "6212345678901232", PANSequence: []byte{0x01}, DE55: tm.de55(aid)})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.ARQCValid || !resp.Approved || resp.CVR == nil || !resp.CVR.OfflinePINPerformed || resp.CVR.OfflinePINFailed {
		t.Fatalf("%+v %+v", resp, resp.CVR)
	}
	// Method 1: EXTERNAL AUTHENTICATE with 91, then the scripts.
	tm.must(apdu.ExternalAuthenticate(resp.IssuerAuthenticationData))
	if sws := tm.runScripts(resp.Scripts, 0x71); !slices.Equal(sws, []apdu.StatusWord{apdu.SWNoError}) {
		t.Errorf("template 71: %v", sws)
	}
	tm.data[0x8A] = resp.ARC[:]
	if cid := tm.genAC(apdu.RefControlTC, tm.cdol2); cid&0xC0 != 0x40 {
		t.Errorf("second GENERATE AC: CID %02X, want a TC", cid)
	}
	if sws := tm.runScripts(resp.Scripts, 0x72); !slices.Equal(sws, []apdu.StatusWord{apdu.SWNoError, apdu.SWNoError}) {
		t.Errorf("template 72: %v", sws)
	}
	if st := card.State().Apps["A000000333010102"]; !st.Blocked || !bytes.Equal(st.Data["9F14"], h(t, "07")) {
		t.Errorf("script effects: blocked %v, 9F14 %X", st.Blocked, st.Data["9F14"])
	}
}

func TestCardsimInternational(t *testing.T) {
	cf, card := loadCard(t)
	acct := accountFor(t, cf, "international")
	acct.Answers = []issuer.Answer{{Approve: true, Status: issuer.Status{GoOnlineNext: true}, Scripts: []issuer.Script{
		{Commands: []issuer.Command{{Kind: issuer.KindPutData, Tag: "9F23", Value: h(t, "09")}, {Kind: issuer.KindPINUnblock}}},
	}}}
	tm, resp, err := internationalARQC(t, card, acct)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.ARQCValid || !resp.Approved || resp.CVR == nil || resp.CVR.Layout != "ccd" || resp.CVR.CVN != 5 || resp.CVR.FirstAC != emv.CryptogramARQC {
		t.Fatalf("%+v %+v", resp, resp.CVR)
	}
	// Method 2: 91 (ARPC ‖ CSU) and 8A go in the CDOL2 data.
	tm.data[0x91], tm.data[0x8A] = resp.IssuerAuthenticationData, resp.ARC[:]
	if cid := tm.genAC(apdu.RefControlTC, tm.cdol2); cid&0xC0 != 0x40 {
		t.Errorf("second GENERATE AC: CID %02X, want a TC", cid)
	}
	if sws := tm.runScripts(resp.Scripts, 0x72); !slices.Equal(sws, []apdu.StatusWord{apdu.SWNoError, apdu.SWNoError}) {
		t.Errorf("template 72: %v", sws)
	}
	st := card.State().Apps["A000000025010402"]
	if !st.GoOnlineNext || !bytes.Equal(st.Data["9F23"], h(t, "09")) || st.IssuerAuthFailedLast {
		t.Errorf("CSU and script effects: go online next %v, 9F23 %X, issuer auth failed %v", st.GoOnlineNext, st.Data["9F23"], st.IssuerAuthFailedLast)
	}
}

// TestCardsimPINChange changes the PIN by script and verifies the new one
// in the next transaction.
func TestCardsimPINChange(t *testing.T) {
	cf, card := loadCard(t)
	acct := accountFor(t, cf, "international")
	acct.Answers = []issuer.Answer{{Approve: true, Scripts: []issuer.Script{{Commands: []issuer.Command{{Kind: issuer.KindPINChange, PIN: "8642"}}}}}}
	tm, resp, err := internationalARQC(t, card, acct)
	if err != nil || !resp.Approved {
		t.Fatalf("%+v %v", resp, err)
	}
	tm.data[0x91], tm.data[0x8A] = resp.IssuerAuthenticationData, resp.ARC[:]
	tm.genAC(apdu.RefControlTC, tm.cdol2)
	sws := tm.runScripts(resp.Scripts, 0x72)
	if !slices.Equal(sws, []apdu.StatusWord{apdu.SWNoError}) {
		t.Fatalf("PIN CHANGE (84 24 00 02): %v", sws)
	}
	tm.start(h(t, "A000000025010402"))
	p, _ := pin.Format2("8642")
	if _, sw := tm.send(apdu.Verify(apdu.VerifyPlaintextPIN, p)); sw != apdu.SWNoError {
		t.Errorf("VERIFY with the new PIN: %s", sw)
	}
}

// TestCardsimBadARQC: a cryptogram computed with other keys is declined
// and the card, given no ARPC, declines too.
func TestCardsimBadARQC(t *testing.T) {
	cf, card := loadCard(t)
	acct := accountFor(t, cf, "international")
	acct.Crypto.IssuerMasterKeys.AC = issuer.Key(h(t, "00112233445566778899AABBCCDDEEFF"))
	tm, resp, err := internationalARQC(t, card, acct)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Approved || resp.ARQCValid || resp.Reason != issuer.ReasonCryptogram || resp.IssuerAuthenticationData != nil {
		t.Fatalf("%+v", resp)
	}
	tm.data[0x91], tm.data[0x8A] = make([]byte, 8), resp.ARC[:]
	if cid := tm.genAC(apdu.RefControlTC, tm.cdol2); cid&0xC0 != 0x00 {
		t.Errorf("second GENERATE AC: CID %02X, want an AAC", cid)
	}
}

// internationalARQC runs the international application of card up to an
// ARQC in the USA and has the issuer host of acct authorise it.
func internationalARQC(t *testing.T, card *cardsim.Card, acct issuer.Account) (*terminal, issuer.Response, error) {
	t.Helper()
	host, err := issuer.New(acct)
	if err != nil {
		t.Fatal(err)
	}
	tm := newTerminal(t, card, "0840")
	aid := h(t, "A000000025010402")
	tm.start(aid)
	tm.genAC(apdu.RefControlARQC, tm.cdol1)
	resp, err := host.Authorise(context.Background(), issuer.Request{PAN: "371234567890120", DE55: tm.de55(aid)})
	return tm, resp, err
}
