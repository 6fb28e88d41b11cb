package attack_test

import (
	"context"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/attack"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/pin"
)

// These tests put the attacks in front of the software card of package
// cardsim (its golden dual-cn card: a domestic PBOC application and an
// international CCD one with CDA) and, for the wedge, behind it the issuer
// host of package cardsim/issuer.

var (
	aidDomestic = unhex("A000000333010102")
	aidIntl     = unhex("A000000025010402")
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func dualCN(t testing.TB) (*cardsim.CardFile, *cardsim.Card) {
	t.Helper()
	cf, err := cardsim.LoadCardFile("../testdata/cards/dual-cn.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := cardsim.New(cf, &cardsim.Options{Rand: cardsim.SeededReader(3)})
	if err != nil {
		t.Fatal(err)
	}
	return cf, c
}

// term is the least of a terminal.
type term struct {
	t    testing.TB
	card apdu.Transport
	data map[emv.Tag][]byte
	recs []record
	cdol emv.DOL
}

// record is one record read, and where from.
type record struct {
	sfi, n int
	data   []byte
}

func newTerm(t testing.TB, card apdu.Transport) *term {
	return &term{t: t, card: card, data: map[emv.Tag][]byte{
		0x9F02: unhex("000000002500"), 0x9F03: unhex("000000000000"), 0x9F1A: unhex("0156"), 0x95: unhex("0000000000"),
		0x5F2A: unhex("0840"), 0x9A: unhex("260301"), 0x9C: unhex("00"), 0x9F37: unhex("0BADCAFE"), 0x9F35: unhex("22"),
		0x9F34: unhex("410302"), 0xDF69: unhex("01"),
	}}
}

func (tm *term) lookup(tag emv.Tag) ([]byte, bool) { v, ok := tm.data[tag]; return v, ok }

func (tm *term) send(c apdu.Command) ([]byte, apdu.StatusWord, error) {
	b, err := c.Bytes()
	if err != nil {
		tm.t.Fatal(err)
	}
	rsp, err := tm.card.Transmit(context.Background(), b)
	if err != nil {
		return nil, 0, err
	}
	r, err := apdu.ParseResponse(rsp)
	if err != nil {
		tm.t.Fatalf("%s: %v", c, err)
	}
	return r.Data, r.SW, nil
}

func (tm *term) must(c apdu.Command) []byte {
	tm.t.Helper()
	d, sw, err := tm.send(c)
	if err != nil || sw != apdu.SWNoError {
		tm.t.Fatalf("%s: %s %v", c, sw, err)
	}
	return d
}

// start selects aid, runs GET PROCESSING OPTIONS and reads every record;
// it returns the FCI and the GPO response.
func (tm *term) start(aid []byte) (fci, gpo []byte) {
	tm.t.Helper()
	fci = tm.must(apdu.Select(aid, false))
	var pdol emv.DOL
	if p, ok := emv.Find(fci, 0x9F38); ok {
		pdol, _ = emv.ParseDOL(p)
	}
	gpo = tm.must(apdu.GetProcessingOptions(pdol.Build(tm.lookup)))
	var aip, afl []byte
	if v, ok := emv.Find(gpo, 0x80); ok {
		aip, afl = v[:2], v[2:]
	} else {
		aip, _ = emv.Find(gpo, 0x82)
		afl, _ = emv.Find(gpo, 0x94)
	}
	tm.data[0x82] = aip
	entries, err := emv.ParseAFL(afl)
	if err != nil {
		tm.t.Fatal(err)
	}
	for _, e := range entries {
		for n := e.First; n <= e.Last; n++ {
			c, _ := apdu.ReadRecord(e.SFI, n)
			rec := tm.must(c)
			tm.recs = append(tm.recs, record{e.SFI, n, rec})
			if v, ok := emv.Find(rec, 0x8C); ok {
				tm.cdol, _ = emv.ParseDOL(v)
			}
		}
	}
	return fci, gpo
}

// find returns the first record value of the tag, and where it is.
func (tm *term) find(tag emv.Tag) ([]byte, record) {
	for _, r := range tm.recs {
		if v, ok := emv.Find(r.data, tag); ok {
			return v, r
		}
	}
	return nil, record{}
}

func (tm *term) verify(p string) apdu.StatusWord {
	tm.t.Helper()
	b, err := pin.Format2(p)
	if err != nil {
		tm.t.Fatal(err)
	}
	_, sw, err := tm.send(apdu.Verify(apdu.VerifyPlaintextPIN, b))
	if err != nil {
		tm.t.Fatal(err)
	}
	return sw
}

// TestWedgeAgainstCardAndIssuer: through a wedge, VERIFY of a wrong PIN
// answers 9000; the card never saw it, its CVR says so, and the issuer,
// comparing with the terminal's CVM Results, declines. Without the wedge
// the same transaction with the right PIN is approved.
func TestWedgeAgainstCardAndIssuer(t *testing.T) {
	for _, wedged := range []bool{false, true} {
		cf, card := dualCN(t)
		var tr apdu.Transport = card
		if wedged {
			w, err := attack.New(card, attack.Wedge())
			if err != nil {
				t.Fatal(err)
			}
			tr = w
		}
		tm := newTerm(t, tr)
		tm.start(aidIntl)
		p := "4321" // the right PIN
		if wedged {
			p = "0000"
		}
		if sw := tm.verify(p); sw != apdu.SWNoError {
			t.Fatalf("wedged %v: VERIFY %s", wedged, sw)
		}
		rsp := tm.must(apdu.GenerateAC(apdu.RefControlARQC, tm.cdol.Build(tm.lookup)))
		de55 := emv.AppendTLV(nil, 0x4F, aidIntl)
		for _, tag := range []emv.Tag{0x9F27, 0x9F36, 0x9F26, 0x9F10} {
			v, _ := emv.Find(rsp, tag)
			de55 = emv.AppendTLV(de55, tag, v)
		}
		for _, tag := range []emv.Tag{0x82, 0x95, 0x9A, 0x9C, 0x5F2A, 0x9F02, 0x9F03, 0x9F1A, 0x9F34, 0x9F35, 0x9F37} {
			de55 = emv.AppendTLV(de55, tag, tm.data[tag])
		}
		host, err := issuer.New(intlAccount(t, cf))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := host.Authorise(context.Background(), issuer.Request{PAN: cf.Profile.Applications[1].PAN, DE55: de55})
		if err != nil {
			t.Fatal(err)
		}
		if !resp.ARQCValid || resp.CVR == nil {
			t.Fatalf("wedged %v: %+v", wedged, resp)
		}
		if resp.Approved == wedged || resp.CVR.OfflinePINPerformed == wedged {
			t.Errorf("wedged %v: approved %v (%s: %s), CVR offline PIN performed %v", wedged, resp.Approved, resp.Reason, resp.Detail, resp.CVR.OfflinePINPerformed)
		}
		if wedged && resp.Reason != issuer.ReasonCVR {
			t.Errorf("wedged: reason %q (%s), want the CVR check", resp.Reason, resp.Detail)
		}
	}
}

func intlAccount(t testing.TB, cf *cardsim.CardFile) issuer.Account {
	app, pers := cf.Profile.Applications[1], cf.Applications[1]
	if app.Name != "international" {
		t.Fatalf("application 1 is %q", app.Name)
	}
	return issuer.Account{PAN: app.PAN, PSN: app.PSN, AID: issuer.Hex(app.AID), CDOL1: issuer.Hex(app.CDOL1),
		Crypto: issuer.Crypto{Scheme: app.Crypto.Scheme, Algorithm: app.Crypto.Algorithm, CVN: app.Crypto.CVN,
			IssuerMasterKeys: &issuer.MasterKeys{AC: issuer.Key(pers.IssuerMasterKeys.AC)}}}
}

// TestBrandMixupOnCard: the terminal selects the international AID and
// runs the domestic application: the FCI names the AID it selected, the
// PSE lists it twice, and the PAN is the domestic one.
func TestBrandMixupOnCard(t *testing.T) {
	cf, card := dualCN(t)
	tr, err := attack.New(card, attack.BrandMixup(aidIntl, aidDomestic)...)
	if err != nil {
		t.Fatal(err)
	}
	tm := newTerm(t, tr)
	tm.must(apdu.SelectPSE())
	var listed [][]byte
	for n := 1; ; n++ {
		c, _ := apdu.ReadRecord(1, n)
		dir, sw, err := tm.send(c)
		if err != nil || sw != apdu.SWNoError {
			break
		}
		if err := emv.Walk(dir, func(tag emv.Tag, v []byte, _, _ int) error {
			if tag == 0x4F {
				listed = append(listed, v)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(listed) != 2 || string(listed[0]) != string(aidIntl) || string(listed[1]) != string(aidIntl) {
		t.Errorf("PSE lists %X, want the international AID twice", listed)
	}
	fci, _ := tm.start(aidIntl)
	if df, _ := emv.Find(fci, 0x84); string(df) != string(aidIntl) {
		t.Errorf("DF name %X, want the AID selected", df)
	}
	v, _ := tm.find(0x5A)
	pan, _ := emv.ParsePAN(v)
	if want := cf.Profile.Applications[0].PAN; pan != want {
		t.Errorf("PAN %s, want the domestic %s", emv.MaskPAN(pan), emv.MaskPAN(want))
	}
}

// TestCDAStrippingOnCard: the international application signs GENERATE
// AC when asked; stripped, the response has neither 9F4B nor 9F26; with
// the request cleared it has a plain cryptogram in format 1.
func TestCDAStrippingOnCard(t *testing.T) {
	for _, tc := range []struct {
		name        string
		rule        attack.Rule
		tmpl        emv.Tag
		sdad, plain bool
	}{
		{"untouched", attack.Rule{Name: "nothing"}, 0x77, true, false},
		{"9F4B stripped", attack.StripCDA(), 0x77, false, false},
		{"CDA request cleared, format 1", attack.WithoutCDA(true), 0x80, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, card := dualCN(t)
			tr, err := attack.New(card, tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			tm := newTerm(t, tr)
			tm.start(aidIntl)
			rsp := tm.must(apdu.GenerateAC(apdu.RefControlARQC|apdu.RefControlCDA, tm.cdol.Build(tm.lookup)))
			objs, err := emv.Decode(rsp)
			if err != nil || len(objs) != 1 || objs[0].Tag != tc.tmpl {
				t.Fatalf("response %X: %v", rsp, err)
			}
			_, sdad := emv.Find(rsp, 0x9F4B)
			_, ac := emv.Find(rsp, 0x9F26)
			if tc.tmpl == 0x80 {
				ac = len(objs[0].Value) >= 11
			}
			if sdad != tc.sdad || ac != tc.plain {
				t.Errorf("9F4B %v, cryptogram in clear %v: want %v, %v (%X)", sdad, ac, tc.sdad, tc.plain, rsp)
			}
		})
	}
}

func TestAIPDowngradeOnCard(t *testing.T) {
	_, card := dualCN(t)
	tr, _ := attack.New(card, attack.AIPDowngrade(0x2100))
	tm := newTerm(t, tr)
	_, gpo := tm.start(aidIntl)
	if aip, _ := emv.Find(gpo, 0x82); hex.EncodeToString(aip) != "1800" {
		t.Errorf("AIP %X, want 1800 (3900 without DDA and CDA)", aip)
	}
}

// TestRecordChangedOnCard: the record holding the PAN reads differently
// from its second reading on.
func TestRecordChangedOnCard(t *testing.T) {
	_, card := dualCN(t)
	probe := newTerm(t, card)
	probe.start(aidDomestic)
	_, where := probe.find(0x5A)
	if where.sfi == 0 {
		t.Fatal("no record with 5A")
	}
	tr, _ := attack.New(card, attack.ChangeRecord(where.sfi, where.n, 2, attack.Edit{Tag: 0x5A, Value: unhex("6212345678901299")}))
	tm := newTerm(t, tr)
	c, _ := apdu.ReadRecord(where.sfi, where.n)
	first, second := tm.must(c), tm.must(c)
	p1, _ := emv.Find(first, 0x5A)
	p2, _ := emv.Find(second, 0x5A)
	if string(p1) == string(p2) || hex.EncodeToString(p2) != "6212345678901299" {
		t.Errorf("PAN read %X then %X", p1, p2)
	}
}

// TestRemovalOnCard: the card is removed at the first GENERATE AC after
// processing it (a torn transaction); the ATC it spent is not given back.
func TestRemovalOnCard(t *testing.T) {
	_, card := dualCN(t)
	tr, _ := attack.New(card, attack.Rule{Match: attack.Match{INS: func() *attack.Byte { b := attack.Byte(0xAE); return &b }()},
		Action: attack.Action{Fault: attack.FaultRemoved, Forward: true}})
	tm := newTerm(t, tr)
	tm.start(aidIntl)
	atc := card.State().Apps["A000000025010402"].ATC
	if _, _, err := tm.send(apdu.GenerateAC(apdu.RefControlARQC, tm.cdol.Build(tm.lookup))); !errors.Is(err, attack.ErrCardRemoved) {
		t.Fatalf("error %v, want ErrCardRemoved", err)
	}
	if _, _, err := tm.send(apdu.SelectPSE()); !errors.Is(err, attack.ErrCardRemoved) {
		t.Errorf("after removal: %v", err)
	}
	if st := card.State().Apps["A000000025010402"]; st.ATC != atc || !st.LastOnlineNotCompleted {
		t.Errorf("ATC %d (was %d), last online not completed %v", st.ATC, atc, st.LastOnlineNotCompleted)
	}
}

func TestGetResponseForeverOnCard(t *testing.T) {
	_, card := dualCN(t)
	tr, _ := attack.New(card, attack.GetResponseForever(0x20)...)
	b, _ := apdu.SelectPSE().Bytes()
	if _, err := apdu.T0(tr).Transmit(context.Background(), b); !errors.Is(err, apdu.ErrTooManyGetResponse) {
		t.Errorf("error %v, want ErrTooManyGetResponse", err)
	}
}
