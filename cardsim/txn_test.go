package cardsim

import (
	"bytes"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/emv/pin"
)

// session is one transaction driven by the tests.
type txnRun struct {
	t        *testing.T
	c        *Card
	tm       *term
	app      *AppProfile
	pers     *AppPersonalisation
	recs     []oda.ImageRecord
	pdolData []byte
	aip      []byte
	cdol1    []byte
	first    acResult
}

// startTxn selects an application of the card, sends GET PROCESSING
// OPTIONS and reads the records. prepare may change the terminal's data
// first.
func startTxn(t *testing.T, c *Card, name string, prepare func(tm *term)) *txnRun {
	t.Helper()
	r := &txnRun{t: t, c: c, tm: newTerm(t, c)}
	for i := range c.file.Profile.Applications {
		if c.file.Profile.Applications[i].Name == name {
			r.app, r.pers = &c.file.Profile.Applications[i], &c.file.Applications[i]
		}
	}
	// A terminal in the application's currency, unless prepare says otherwise.
	r.tm.data[0x5F2A] = mustHex("0" + r.app.Currency)
	if prepare != nil {
		prepare(r.tm)
	}
	fci, sw := r.tm.cmd(apdu.Select(r.app.AID, false))
	if sw != apdu.SWNoError && sw != apdu.SWSelectedFileInvalidated {
		t.Fatalf("SELECT %X: %s", r.app.AID, sw)
	}
	var afl []byte
	r.aip, afl, r.pdolData = r.tm.gpo(fci)
	r.recs = r.tm.readAll(afl)
	return r
}

func (r *txnRun) verifyPIN(p string) apdu.StatusWord {
	b, err := pin.Format2(p)
	if err != nil {
		r.t.Fatal(err)
	}
	_, sw := r.tm.cmd(apdu.Verify(apdu.VerifyPlaintextPIN, b))
	return sw
}

func (r *txnRun) genAC1(p1 byte) acResult {
	r.t.Helper()
	r.cdol1 = r.tm.dolData(r.recs, 0x8C)
	r.first = parseAC(r.t, r.tm.must(apdu.GenerateAC(p1, r.cdol1)))
	return r.first
}

func (r *txnRun) genAC2(p1 byte) (acResult, []byte) {
	r.t.Helper()
	cdol2 := r.tm.dolData(r.recs, 0x8D)
	return parseAC(r.t, r.tm.must(apdu.GenerateAC(p1, cdol2))), cdol2
}

// sessionKey derives the AC session key the way an issuer does, from the
// issuer master key (not the card's copy of the ICC master key).
func (r *txnRun) sessionKey(atc []byte) []byte {
	r.t.Helper()
	mk, err := r.app.Crypto.DeriveICCMasterKey(r.pers.IssuerMasterKeys.AC, r.app.PAN, r.app.PSN)
	if err != nil {
		r.t.Fatal(err)
	}
	alg, _ := cryptogram.ParseAlgorithm(r.app.Crypto.Algorithm)
	sk, err := cryptogram.DeriveSessionKey(alg, mk, atc)
	if err != nil {
		r.t.Fatal(err)
	}
	return sk
}

func (r *txnRun) alg() cryptogram.Algorithm {
	alg, _ := cryptogram.ParseAlgorithm(r.app.Crypto.Algorithm)
	return alg
}

// TestCryptogramTDESPublishedKey sets the international (CCD) application's
// ICC master key and ATC to those of the published common session key
// vector (knovichikhin/pyemv tests/test_kd_hsm.py, via VECTORS.md: MK
// 0123456789ABCDEFFEDCBA9876543210, ATC 001C → SK
// E9FB384AF807B940FEDCEA613461B0C4) and checks that the ARQC is the
// ISO/IEC 9797-1 algorithm 3 MAC (padding 2) under that session key over
// CDOL1 data ‖ AIP ‖ ATC ‖ IAD (EMV CCD).
func TestCryptogramTDESPublishedKey(t *testing.T) {
	cf := goldenCard(t, "dual-cn")
	cf.Applications[1].ICCMasterKeys.AC = mustHex("0123456789ABCDEFFEDCBA9876543210")
	c, err := New(cf, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.st.Apps["A000000025010402"].ATC = 0x001B
	r := startTxn(t, c, "international", nil)
	ac := r.genAC1(apdu.RefControlARQC)
	if !bytes.Equal(ac.atc, []byte{0x00, 0x1C}) {
		t.Fatalf("ATC %X, want 001C", ac.atc)
	}
	sk := mustHex("E9FB384AF807B940FEDCEA613461B0C4")
	data := bytes.Join([][]byte{r.cdol1, r.aip, ac.atc, ac.iad}, nil)
	mac, err := cryptogram.RetailMAC(sk, data, cryptogram.Pad2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ac.ac, mac) {
		t.Errorf("ARQC %X, want %X", ac.ac, mac)
	}
	if ac.cid != 0x80 || len(ac.iad) != 32 || ac.iad[0] != 0x0F || ac.iad[1] != 0xA5 || ac.iad[16] != 0x0F {
		t.Errorf("CID %02X, IAD %X: want an ARQC with a CCD format A IAD (0F A5 … 0F …)", ac.cid, ac.iad)
	}
}

// TestCryptogramSM4PublishedKey does the same for the domestic (PBOC, SM4)
// application with the SM4 session key vector of shared/refs/DOMESTIC.md
// (card key 8B4F854F0831FBF2635A212E4DDDB92A, ATC 0003 → SK
// B6FA9E085B5773C1E3AA2E4738831F73): the ARQC is the leftmost 8 bytes of
// the SM4 CBC-MAC (padding 2) over CDOL1 data ‖ AIP ‖ ATC ‖ 03 ‖ CVR.
func TestCryptogramSM4PublishedKey(t *testing.T) {
	cf := goldenCard(t, "dual-cn")
	cf.Applications[0].ICCMasterKeys.AC = mustHex("8B4F854F0831FBF2635A212E4DDDB92A")
	c, err := New(cf, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.st.Apps["A000000333010102"].ATC = 0x0002
	r := startTxn(t, c, "domestic", nil)
	ac := r.genAC1(apdu.RefControlARQC)
	sk := mustHex("B6FA9E085B5773C1E3AA2E4738831F73")
	if len(ac.iad) != 9 || ac.iad[0] != 0x07 || ac.iad[3] != 0x03 || ac.iad[7] != 0x04 {
		t.Fatalf("IAD %X: want PBOC layout 07 DKI CVN 03 CVR(3) 04 00", ac.iad)
	}
	data := bytes.Join([][]byte{r.cdol1, r.aip, ac.atc, ac.iad[3:7]}, nil)
	mac, err := cryptogram.CBCMAC(cryptogram.SM4, sk, data, cryptogram.Pad2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ac.ac, mac[:8]) {
		t.Errorf("ARQC %X, want %X", ac.ac, mac[:8])
	}
}

// TestOnlineDomestic runs an online transaction on the domestic (PBOC)
// application: ARQC, EXTERNAL AUTHENTICATE with an ARPC of method 1, TC.
// The issuer's side derives every key from the issuer master key.
func TestOnlineDomestic(t *testing.T) {
	c := newTestCard(t, "dual-cn")
	r := startTxn(t, c, "domestic", nil)
	if sw := r.verifyPIN("1234"); sw != apdu.SWNoError {
		t.Fatalf("VERIFY: %s", sw)
	}
	ac := r.genAC1(apdu.RefControlTC)
	if emv.CryptogramType(ac.cid&0xC0) != emv.CryptogramARQC {
		t.Fatalf("new card gave CID %02X, want an ARQC (new card goes online)", ac.cid)
	}
	sk := r.sessionKey(ac.atc)
	if err := cryptogram.VerifyAC(cryptogram.SM4, sk, bytes.Join([][]byte{r.cdol1, r.aip, ac.atc, ac.iad[3:7]}, nil), cryptogram.Pad2, ac.ac); err != nil {
		t.Fatalf("ARQC: %v", err)
	}
	// CVR: second GENERATE AC not requested (10), ARQC (10), offline PIN performed.
	if cvr := ac.iad[4:7]; cvr[0] != 0xA4 || cvr[1]&0x10 == 0 {
		t.Errorf("CVR %X: want A4 (ARQC, offline PIN performed) and new card", cvr)
	}
	arpc, err := cryptogram.ARPCMethod1(cryptogram.SM4, sk, ac.ac, []byte("00"))
	if err != nil {
		t.Fatal(err)
	}
	r.tm.must(apdu.ExternalAuthenticate(append(arpc, '0', '0')))
	tc, cdol2 := r.genAC2(apdu.RefControlTC)
	if emv.CryptogramType(tc.cid&0xC0) != emv.CryptogramTC {
		t.Fatalf("second GENERATE AC gave CID %02X, want a TC", tc.cid)
	}
	if err := cryptogram.VerifyAC(cryptogram.SM4, sk, bytes.Join([][]byte{cdol2, r.aip, tc.atc, tc.iad[3:7]}, nil), cryptogram.Pad2, tc.ac); err != nil {
		t.Fatalf("TC: %v", err)
	}
	if loatc := r.tm.must(mustGetData(t, 0x9F13)); !bytes.Equal(loatc[3:], ac.atc) {
		t.Errorf("Last Online ATC Register %X, want the ATC %X", loatc, ac.atc)
	}
	if _, sw := r.tm.cmd(apdu.GenerateAC(apdu.RefControlTC, cdol2)); sw != apdu.SWConditionsNotSatisfied {
		t.Errorf("third GENERATE AC: %s, want 6985", sw)
	}
}

func mustGetData(t *testing.T, tag emv.Tag) apdu.Command {
	c, err := apdu.GetData(tag)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOnlineCCD runs online transactions on the international (CCD)
// application with the Issuer Authentication Data in CDOL2 (ARPC method 2
// with a Card Status Update).
func TestOnlineCCD(t *testing.T) {
	tests := []struct {
		name     string
		csu      string
		badARPC  bool
		wantType emv.CryptogramType
		check    func(t *testing.T, c *Card, st *AppState)
	}{
		{"approved", "00800000", false, emv.CryptogramTC, func(t *testing.T, c *Card, st *AppState) {
			if st.LastOnlineATC != st.ATC || st.IssuerAuthFailedLast {
				t.Errorf("LOATC %d ATC %d, issuer auth failed %v", st.LastOnlineATC, st.ATC, st.IssuerAuthFailedLast)
			}
		}},
		{"declined by CSU", "00000000", false, emv.CryptogramAAC, nil},
		{"wrong ARPC", "00800000", true, emv.CryptogramAAC, func(t *testing.T, c *Card, st *AppState) {
			if !st.IssuerAuthFailedLast {
				t.Error("issuer authentication failure not remembered")
			}
		}},
		{"application block", "00A00000", false, emv.CryptogramTC, func(t *testing.T, c *Card, st *AppState) {
			if !st.Blocked {
				t.Error("CSU application block not applied")
			}
		}},
		{"card block", "00C00000", false, emv.CryptogramTC, func(t *testing.T, c *Card, st *AppState) {
			if !c.st.CardBlocked {
				t.Error("CSU card block not applied")
			}
		}},
		{"PIN try counter", "01900000", false, emv.CryptogramTC, func(t *testing.T, c *Card, st *AppState) {
			if st.PINTries != 1 {
				t.Errorf("PIN try counter %d, want 1 from the CSU", st.PINTries)
			}
		}},
		{"go online next", "00880000", false, emv.CryptogramTC, func(t *testing.T, c *Card, st *AppState) {
			if !st.GoOnlineNext {
				t.Error("go online on next transaction not set")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestCard(t, "dual-cn")
			r := startTxn(t, c, "international", nil)
			ac := r.genAC1(apdu.RefControlARQC)
			sk := r.sessionKey(ac.atc)
			csu := mustHex(tt.csu)
			arpc, err := cryptogram.ARPCMethod2(cryptogram.TDES, sk, ac.ac, csu, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.badARPC {
				arpc[0] ^= 0xFF
			}
			r.tm.data[0x91] = append(arpc, csu...)
			second, cdol2 := r.genAC2(apdu.RefControlTC)
			if got := emv.CryptogramType(second.cid & 0xC0); got != tt.wantType {
				t.Fatalf("second GENERATE AC gave %s, want %s", got, tt.wantType)
			}
			if tt.badARPC && second.cid&0x07 != cidIssuerAuthFailed {
				t.Errorf("CID %02X: want reason 03, issuer authentication failed", second.cid)
			}
			if err := cryptogram.VerifyAC(cryptogram.TDES, sk, bytes.Join([][]byte{cdol2, r.aip, second.atc, second.iad}, nil), cryptogram.Pad2, second.ac); err != nil {
				t.Errorf("second cryptogram: %v", err)
			}
			// CVR byte 1: b2 issuer authentication not performed, b1 failed.
			if failed := second.iad[3]&0x01 != 0; failed != tt.badARPC {
				t.Errorf("CVR %X: issuer authentication failed bit %v", second.iad[3:8], failed)
			}
			if tt.check != nil {
				tt.check(t, c, c.st.Apps["A000000025010402"])
			}
		})
	}
}

// TestCDASecondAC checks the CDA signature of a second GENERATE AC with
// emv/oda (the hash covers the CDOL2 data too, Book 2 §6.6.1).
func TestCDASecondAC(t *testing.T) {
	cf := goldenCard(t, "dual-cn")
	c, err := New(cf, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := startTxn(t, c, "international", nil)
	ac := r.genAC1(apdu.RefControlARQC | apdu.RefControlCDA)
	if ac.sdad == nil || ac.ac != nil {
		t.Fatalf("first GENERATE AC with CDA: %X", ac.raw)
	}
	icc, err := loadICCKey(cf.Applications[1].ICCKey)
	if err != nil {
		t.Fatal(err)
	}
	first, err := oda.VerifyCDA(icc.oda.Public, oda.CDAInput{SDAD: ac.sdad, CID: ac.cid, UN: mustHex("11223344"),
		PDOLData: r.pdolData, CDOL1Data: r.cdol1, Response: cdaObjects(ac.raw)})
	if err != nil {
		t.Fatal(err)
	}
	sk := r.sessionKey(ac.atc)
	csu := mustHex("00800000")
	arpc, _ := cryptogram.ARPCMethod2(cryptogram.TDES, sk, first.AC, csu, nil)
	r.tm.data[0x91] = append(arpc, csu...)
	r.tm.data[0x9F37] = mustHex("55667788")
	second, cdol2 := r.genAC2(apdu.RefControlTC | apdu.RefControlCDA)
	res, err := oda.VerifyCDA(icc.oda.Public, oda.CDAInput{SDAD: second.sdad, CID: second.cid, UN: mustHex("55667788"),
		PDOLData: r.pdolData, CDOL1Data: r.cdol1, CDOL2Data: cdol2, Response: cdaObjects(second.raw)})
	if err != nil {
		t.Fatalf("second CDA: %v", err)
	}
	if res.CID != 0x40 {
		t.Errorf("signed CID %02X, want a TC", res.CID)
	}
	// CVR byte 1 b4: CDA performed.
	if iad, _ := emv.Find(second.raw, 0x9F10); iad[3]&0x08 == 0 {
		t.Errorf("CVR %X does not say CDA performed", iad[3:8])
	}
}

// cdaObjects returns the response objects other than 9F4B, as sent.
func cdaObjects(rsp []byte) []byte {
	body, _ := emv.Find(rsp, 0x77)
	var out []byte
	s := emv.Scanner(body)
	var tag emv.Tag
	var v, raw []byte
	for s.ReadRawObject(&tag, &v, &raw) {
		if tag != 0x9F4B {
			out = append(out, raw...)
		}
	}
	return out
}
