package cardsim

import (
	"bytes"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/pin"
)

// script sends an issuer script command with secure messaging, keys
// derived from the issuer master keys as an issuer host does.
func (r *txnRun) script(cla, ins, p1, p2 byte, data []byte) apdu.StatusWord {
	r.t.Helper()
	cp := &r.app.Crypto
	mk, err := cp.DeriveICCMasterKey(r.pers.IssuerMasterKeys.SMI, r.app.PAN, r.app.PSN)
	if err != nil {
		r.t.Fatal(err)
	}
	atc := uint16(r.first.atc[0])<<8 | uint16(r.first.atc[1])
	sk, err := cp.ScriptSessionKey(mk, atc, r.first.ac)
	if err != nil {
		r.t.Fatal(err)
	}
	raw, err := cryptogram.SecureScriptCommand(r.alg(), sk, cryptogram.ScriptCommand{CLA: cla, INS: ins, P1: p1, P2: p2, Data: data},
		cp.ScriptMACData(atc, r.first.ac), cp.ScriptMACLen)
	if err != nil {
		r.t.Fatal(err)
	}
	_, sw := r.tm.send(raw)
	return sw
}

// encipheredPIN enciphers a new PIN for PIN CHANGE under the
// confidentiality session key.
func (r *txnRun) encipheredPIN(p string) []byte {
	r.t.Helper()
	cp := &r.app.Crypto
	mk, _ := cp.DeriveICCMasterKey(r.pers.IssuerMasterKeys.SMC, r.app.PAN, r.app.PSN)
	atc := uint16(r.first.atc[0])<<8 | uint16(r.first.atc[1])
	sk, err := cp.ScriptSessionKey(mk, atc, r.first.ac)
	if err != nil {
		r.t.Fatal(err)
	}
	block, _ := pin.Format2(p)
	mode, _ := cp.encipherment()
	enc, err := cryptogram.EncryptPINChange(r.alg(), sk, block, mode)
	if err != nil {
		r.t.Fatal(err)
	}
	return enc
}

// TestScripts runs each issuer script command on both applications (PBOC
// SM4 with ATC ‖ ARQC in the MAC, CCD TDES with ARQC-derived keys).
func TestScripts(t *testing.T) {
	for _, app := range []string{"domestic", "international"} {
		t.Run(app+"/put data and update record", func(t *testing.T) {
			c := newTestCard(t, "dual-cn")
			r := startTxn(t, c, app, nil)
			r.genAC1(apdu.RefControlARQC)
			if sw := r.script(0x84, 0xDA, 0x9F, 0x14, []byte{0x07}); sw != apdu.SWNoError {
				t.Fatalf("PUT DATA 9F14: %s", sw)
			}
			newRec := mustHex("70045F200141") // cardholder name "A"
			if sw := r.script(0x04, 0xDC, 0x01, 0x0C, newRec); sw != apdu.SWNoError {
				t.Fatalf("UPDATE RECORD: %s", sw)
			}
			if sw := r.script(0x04, 0xDC, 0x01, 0x0C, mustHex("5F200141")); sw != apdu.SWIncorrectData {
				t.Errorf("UPDATE RECORD without template 70: %s, want 6A80", sw)
			}
			if got := r.tm.must(mustGetData(t, 0x9F14)); !bytes.Equal(got, mustHex("9F140107")) {
				t.Errorf("GET DATA 9F14 after PUT DATA: %X", got)
			}
			rec, _ := apdu.ReadRecord(1, 1)
			if got := r.tm.must(rec); !bytes.Equal(got, newRec) {
				t.Errorf("record after UPDATE RECORD: %X", got)
			}
			st := c.State().Apps[r.app.AID.String()]
			if st.ScriptsLast != 2 || !st.ScriptFailedLast {
				t.Errorf("script counters %d, failed %v: want 2 and true", st.ScriptsLast, st.ScriptFailedLast)
			}
		})
		t.Run(app+"/block and unblock", func(t *testing.T) {
			c := newTestCard(t, "dual-cn")
			r := startTxn(t, c, app, nil)
			r.genAC1(apdu.RefControlARQC)
			for _, ins := range []byte{apdu.INSApplicationBlock, apdu.INSApplicationUnblock, apdu.INSApplicationBlock} {
				if sw := r.script(0x84, ins, 0, 0, nil); sw != apdu.SWNoError {
					t.Fatalf("INS %02X: %s", ins, sw)
				}
			}
			if _, sw := r.tm.cmd(apdu.Select(r.app.AID, false)); sw != apdu.SWSelectedFileInvalidated {
				t.Fatalf("SELECT of a blocked application: %s, want 6283", sw)
			}
		})
		t.Run(app+"/card block", func(t *testing.T) {
			c := newTestCard(t, "dual-cn")
			r := startTxn(t, c, app, nil)
			r.genAC1(apdu.RefControlARQC)
			if sw := r.script(0x84, apdu.INSCardBlock, 0, 0, nil); sw != apdu.SWNoError {
				t.Fatalf("CARD BLOCK: %s", sw)
			}
			for _, cmd := range []string{hexSelectPSE, hexSelectDom, hexSelectIntl} {
				if _, sw := r.tm.send(mustHex(cmd)); sw != apdu.SWFunctionNotSupported {
					t.Errorf("SELECT on a blocked card: %s, want 6A81", sw)
				}
			}
		})
		t.Run(app+"/PIN change and unblock", func(t *testing.T) {
			c := newTestCard(t, "dual-cn")
			r := startTxn(t, c, app, nil)
			r.verifyPIN("0000")
			r.genAC1(apdu.RefControlARQC)
			if sw := r.script(0x84, apdu.INSPINChangeUnblock, 0, 0, nil); sw != apdu.SWNoError {
				t.Fatalf("PIN UNBLOCK: %s", sw)
			}
			if got := c.State().Apps[r.app.AID.String()].PINTries; got != 3 {
				t.Errorf("PIN try counter after PIN UNBLOCK: %d", got)
			}
			if sw := r.script(0x84, apdu.INSPINChangeUnblock, 0, 2, r.encipheredPIN("98765")); sw != apdu.SWNoError {
				t.Fatalf("PIN CHANGE: %s", sw)
			}
			if sw := r.verifyPIN("98765"); sw != apdu.SWNoError {
				t.Errorf("new PIN: %s", sw)
			}
			if sw := r.verifyPIN(r.app.PIN); sw != swTriesLeft|2 {
				t.Errorf("old PIN: %s, want 63C2", sw)
			}
		})
	}
}

// TestScriptMACConvention checks, for the domestic application, the layout
// of the script MAC input against the published SM4 script MAC example of
// shared/refs/DOMESTIC.md (alibabacloud "java-card application
// development ix"): header with Lc counting the 4-byte MAC, ATC,
// application cryptogram, data, padding 80 00…; MAC = leftmost 4 bytes of
// the SM4 CBC-MAC under the ATC session key. The published example itself
// is first recomputed, then the card is shown to accept exactly that
// construction.
func TestScriptMACConvention(t *testing.T) {
	sk := mustHex("B6FA9E085B5773C1E3AA2E4738831F73")
	in := mustHex("04DA9F790A 0003 35304180BE2CBD3F 000000100099")
	mac, err := cryptogram.CBCMAC(cryptogram.SM4, sk, in, cryptogram.Pad2)
	if err != nil || !bytes.Equal(mac[:4], mustHex("95FD68F5")) {
		t.Fatalf("published example: MAC %X, want 95FD68F5 (%v)", mac, err)
	}
	cf := goldenCard(t, "dual-cn")
	cf.Applications[0].ICCMasterKeys.SMI = mustHex("8B4F854F0831FBF2635A212E4DDDB92A") // the example's card key
	c, err := New(cf, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.st.Apps["A000000333010102"].ATC = 0x0002
	r := startTxn(t, c, "domestic", nil)
	ac := r.genAC1(apdu.RefControlARQC)
	data := mustHex("000000100099")
	in = bytes.Join([][]byte{mustHex("04DA9F790A"), ac.atc, ac.ac, data}, nil)
	mac, _ = cryptogram.CBCMAC(cryptogram.SM4, sk, in, cryptogram.Pad2)
	cmd := bytes.Join([][]byte{mustHex("04DA9F790A"), data, mac[:4]}, nil)
	if _, sw := r.tm.send(cmd); sw != apdu.SWNoError {
		t.Fatalf("PUT DATA with the published MAC construction: %s", sw)
	}
	if got := r.tm.must(mustGetData(t, 0x9F79)); !bytes.Equal(got, mustHex("9F7906000000100099")) {
		t.Errorf("GET DATA 9F79: %X", got)
	}
}
