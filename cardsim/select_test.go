package cardsim

import (
	"bytes"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// TestPSE reads the PSE as EMV Book 1 §12.2.3 describes it: the FCI names
// the directory SFI, and each record lists one application with its
// priority.
func TestPSE(t *testing.T) {
	c := newTestCard(t, "dual-cn")
	tm := newTerm(t, c)
	fci := tm.must(apdu.SelectPSE())
	sfi, ok := emv.Find(fci, 0x88)
	if !ok || !bytes.Equal(sfi, []byte{1}) {
		t.Fatalf("PSE FCI %X: want SFI 1 in 88", fci)
	}
	if lang, _ := emv.Find(fci, 0x5F2D); string(lang) != "zhen" {
		t.Errorf("PSE language %q", lang)
	}
	want := []struct {
		aid      string
		priority byte
	}{{"A000000333010102", 1}, {"A000000025010402", 2}}
	for i, w := range want {
		c, _ := apdu.ReadRecord(1, i+1)
		rec := tm.must(c)
		objs, err := emv.Decode(rec)
		if err != nil || len(objs) != 1 || objs[0].Tag != 0x70 {
			t.Fatalf("record %d %X is not one template 70 (%v)", i+1, rec, err)
		}
		aid, _ := emv.Find(rec, 0x4F)
		prio, _ := emv.Find(rec, 0x87)
		if !bytes.Equal(aid, mustHex(w.aid)) || !bytes.Equal(prio, []byte{w.priority}) {
			t.Errorf("record %d: AID %X priority %X, want %s %02X", i+1, aid, prio, w.aid, w.priority)
		}
	}
}

// TestPPSE checks that the PPSE's FCI lists both applications (EMV
// Contactless Book B §3.3).
func TestPPSE(t *testing.T) {
	tm := newTerm(t, newTestCard(t, "dual-cn"))
	fci := tm.must(apdu.Select([]byte("2PAY.SYS.DDF01"), false))
	dir, ok := emv.Find(fci, 0xBF0C)
	if !ok {
		t.Fatalf("PPSE FCI %X has no BF0C", fci)
	}
	var aids [][]byte
	s := emv.Scanner(dir)
	var tag emv.Tag
	var v []byte
	for s.ReadObject(&tag, &v) {
		if aid, ok := emv.Find(v, 0x4F); ok && tag == 0x61 {
			aids = append(aids, aid)
		}
	}
	if len(aids) != 2 {
		t.Fatalf("PPSE lists %d applications, want 2", len(aids))
	}
}

// TestSelectNext selects the two UnionPay applications of dual-same-pan by
// their common RID, first then next occurrence (ISO/IEC 7816-4 §7.1.1,
// EMV Book 1 §12.3.3).
func TestSelectNext(t *testing.T) {
	tm := newTerm(t, newTestCard(t, "dual-same-pan"))
	rid := mustHex("A000000333")
	steps := []struct {
		next bool
		aid  string
		sw   apdu.StatusWord
	}{
		{false, "A000000333010101", apdu.SWNoError},
		{true, "A000000333010103", apdu.SWNoError},
		{true, "", apdu.SWFileNotFound},
		{false, "A000000333010101", apdu.SWNoError},
	}
	for i, s := range steps {
		fci, sw := tm.cmd(apdu.Select(rid, s.next))
		if sw != s.sw {
			t.Fatalf("step %d: %s, want %s", i+1, sw, s.sw)
		}
		if s.aid != "" {
			if df, _ := emv.Find(fci, 0x84); !bytes.Equal(df, mustHex(s.aid)) {
				t.Errorf("step %d: DF name %X, want %s", i+1, df, s.aid)
			}
		}
	}
}

// TestBlockedApplication checks that a blocked application still answers
// SELECT with its FCI (with 6283), and GENERATE AC with an AAC only.
func TestBlockedApplication(t *testing.T) {
	c := newTestCard(t, "dual-cn")
	c.st.Apps["A000000333010102"].Blocked = true
	r := startTxn(t, c, "domestic", nil)
	if ac := r.genAC1(apdu.RefControlARQC); ac.cid&0xC0 != 0 {
		t.Fatalf("blocked application gave CID %02X, want an AAC", ac.cid)
	}
}

// TestATCNeverWraps checks that an application whose ATC reached FFFF
// refuses to start a transaction (EMV Book 2 Annex D: the ATC never wraps)
// and answers SELECT with 6283.
func TestATCNeverWraps(t *testing.T) {
	c := newTestCard(t, "dual-cn")
	c.st.Apps["A000000333010102"].ATC = 0xFFFE
	r := startTxn(t, c, "domestic", nil) // takes FFFF
	r.genAC1(apdu.RefControlAAC)
	tm := newTerm(t, c)
	if _, sw := tm.send(mustHex(hexSelectDom)); sw != apdu.SWSelectedFileInvalidated {
		t.Fatalf("SELECT with ATC FFFF: %s, want 6283", sw)
	}
	if _, sw := tm.send(mustHex(hexGPODom)); sw != apdu.SWConditionsNotSatisfied {
		t.Fatalf("GPO with ATC FFFF: %s, want 6985", sw)
	}
}

// TestGPOFormats checks both response templates: format 1 (80, domestic)
// and format 2 (77, international), with the AFL of the profile's records.
func TestGPOFormats(t *testing.T) {
	c := newTestCard(t, "dual-cn")
	tm := newTerm(t, c)
	tm.send(mustHex(hexSelectDom))
	rsp, _ := tm.send(mustHex(hexGPODom))
	if rsp[0] != 0x80 || !bytes.Equal(rsp[2:4], mustHex("7D00")) {
		t.Errorf("domestic GPO %X: want format 1 with AIP 7D00", rsp)
	}
	if afl := rsp[4:]; !bytes.Equal(afl, mustHex("08010100 10010302 18010300")) {
		t.Errorf("domestic AFL %X", afl)
	}
	tm.send(mustHex(hexSelectIntl))
	rsp, _ = tm.send(mustHex(hexGPOIntl))
	if rsp[0] != 0x77 {
		t.Errorf("international GPO %X: want format 2", rsp)
	}
	if afl, _ := emv.Find(rsp, 0x94); !bytes.Equal(afl, mustHex("08010100 10010201 18010400")) {
		t.Errorf("international AFL %X", afl)
	}
}

// TestReset checks that a reset forgets the selection and the transaction
// but not the counters.
func TestReset(t *testing.T) {
	c, tm := reach(t, stGPO)
	atc := c.State().Apps["A000000333010102"].ATC
	c.Reset()
	if _, sw := tm.send(mustHex("80CA9F3600")); sw != apdu.SWConditionsNotSatisfied {
		t.Errorf("GET DATA after reset: %s, want 6985 (nothing selected)", sw)
	}
	if got := c.State().Apps["A000000333010102"].ATC; got != atc {
		t.Errorf("ATC %d after reset, was %d", got, atc)
	}
}
