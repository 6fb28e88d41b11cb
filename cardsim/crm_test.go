package cardsim

import (
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
)

// TestFirstDecision is card risk management at the first GENERATE AC, on
// the domestic application of dual-cn (LCOL 3, UCOL 5, cumulative limits
// 1000.00 and 2000.00 CNY) and on the international one (CCD CVR).
func TestFirstDecision(t *testing.T) {
	online := func(st *AppState) { st.LastOnlineATC = 1 } // no longer a new card
	tests := []struct {
		name    string
		app     string
		setup   func(st *AppState)
		term    func(tm *term)
		pin     string
		request byte
		want    emv.CryptogramType
		cvr     func(t *testing.T, cvr []byte) // the CVR (without length byte)
	}{
		{name: "new card goes online", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			cvr: func(t *testing.T, cvr []byte) { wantBits(t, cvr, 1, 0x10, "new card") }},
		{name: "offline approval", app: "domestic", setup: online, request: apdu.RefControlTC, want: emv.CryptogramTC,
			cvr: func(t *testing.T, cvr []byte) { wantByte(t, cvr, 0, 0x90, "second AC not requested, TC") }},
		{name: "terminal asks AAC", app: "domestic", setup: online, request: apdu.RefControlAAC, want: emv.CryptogramAAC},
		{name: "terminal asks ARQC", app: "domestic", setup: online, request: apdu.RefControlARQC, want: emv.CryptogramARQC},
		{name: "lower consecutive limit", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: func(st *AppState) { online(st); st.OfflineCount = 3 },
			cvr:   func(t *testing.T, cvr []byte) { wantBits(t, cvr, 1, 0x20, "velocity exceeded") }},
		{name: "below lower limit", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramTC,
			setup: func(st *AppState) { online(st); st.OfflineCount = 2 }},
		{name: "cumulative amount", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: online, term: func(tm *term) { tm.data[0x9F02] = mustHex("000000150000") }},
		{name: "foreign currency", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: online, term: func(tm *term) { tm.data[0x5F2A] = mustHex("0840") }},
		{name: "SDA failed in TVR", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: online, term: func(tm *term) { tm.data[0x95] = mustHex("4000000000") }},
		{name: "PIN try limit exceeded", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: func(st *AppState) { online(st); st.PINTries = 0 },
			cvr:   func(t *testing.T, cvr []byte) { wantBits(t, cvr, 1, 0x40, "PIN try limit exceeded") }},
		{name: "wrong PIN entered", app: "domestic", setup: online, pin: "9999", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			cvr: func(t *testing.T, cvr []byte) { wantBits(t, cvr, 0, 0x06, "offline PIN performed and failed") }},
		{name: "right PIN entered", app: "domestic", setup: online, pin: "1234", request: apdu.RefControlTC, want: emv.CryptogramTC,
			cvr: func(t *testing.T, cvr []byte) { wantByte(t, cvr, 0, 0x94, "TC, offline PIN performed") }},
		{name: "last online not completed", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: func(st *AppState) { online(st); st.LastOnlineNotCompleted = true },
			cvr:   func(t *testing.T, cvr []byte) { wantBits(t, cvr, 1, 0x80, "last online transaction not completed") }},
		{name: "issuer asked to go online", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: func(st *AppState) { online(st); st.GoOnlineNext = true }},
		{name: "SDA failed last time", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: func(st *AppState) { online(st); st.SDAFailedLast = true },
			cvr:   func(t *testing.T, cvr []byte) { wantBits(t, cvr, 1, 0x01, "SDA failed on last transaction") }},
		{name: "blocked application", app: "domestic", request: apdu.RefControlTC, want: emv.CryptogramAAC,
			setup: func(st *AppState) { online(st); st.Blocked = true }},
		{name: "CCD offline approval", app: "international", setup: online, request: apdu.RefControlTC, want: emv.CryptogramTC,
			cvr: func(t *testing.T, cvr []byte) { wantByte(t, cvr, 0, 0x90, "second AC not requested, TC") }},
		{name: "CCD upper limit", app: "international", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: func(st *AppState) { online(st); st.OfflineCount = 4 },
			cvr:   func(t *testing.T, cvr []byte) { wantByte(t, cvr, 2, 0xC0, "lower and upper offline count exceeded") }},
		{name: "CCD PIN counter in CVR", app: "international", setup: online, pin: "0000", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			cvr: func(t *testing.T, cvr []byte) { wantByte(t, cvr, 1, 0x2C, "2 tries left, PIN performed and failed") }},
		{name: "CCD scripts of last online transaction", app: "international", request: apdu.RefControlTC, want: emv.CryptogramARQC,
			setup: func(st *AppState) { online(st); st.ScriptsLast = 2; st.ScriptFailedLast = true },
			cvr:   func(t *testing.T, cvr []byte) { wantByte(t, cvr, 3, 0x28, "2 scripts, one failed") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestCard(t, "dual-cn")
			var aid string
			for _, a := range c.apps {
				if a.prof.Name == tt.app {
					aid = a.prof.AID.String()
				}
			}
			if tt.setup != nil {
				tt.setup(c.st.Apps[aid])
			}
			r := startTxn(t, c, tt.app, tt.term)
			if tt.pin != "" {
				r.verifyPIN(tt.pin)
			}
			ac := r.genAC1(tt.request)
			if got := emv.CryptogramType(ac.cid & 0xC0); got != tt.want {
				t.Fatalf("got %s, want %s (CID %02X)", got, tt.want, ac.cid)
			}
			cvr := ac.iad[4:7]
			if r.app.Crypto.Scheme == schemeCCD {
				cvr = ac.iad[3:8]
			}
			if tt.cvr != nil {
				tt.cvr(t, cvr)
			}
			// Whatever the decision, the cryptogram is right.
			data := r.app.Crypto.ACInput(r.cdol1, r.aip, uint16(ac.atc[0])<<8|uint16(ac.atc[1]), ac.iad)
			if err := cryptogram.VerifyAC(r.alg(), r.sessionKey(ac.atc), data, cryptogram.Pad2, ac.ac); err != nil {
				t.Errorf("cryptogram: %v", err)
			}
		})
	}
}

func wantBits(t *testing.T, cvr []byte, i int, mask byte, what string) {
	t.Helper()
	if cvr[i]&mask != mask {
		t.Errorf("CVR %X: byte %d lacks %02X (%s)", cvr, i+1, mask, what)
	}
}

func wantByte(t *testing.T, cvr []byte, i int, want byte, what string) {
	t.Helper()
	if cvr[i] != want {
		t.Errorf("CVR %X: byte %d is %02X, want %02X (%s)", cvr, i+1, cvr[i], want, what)
	}
}

// TestSecondDecision covers the second GENERATE AC of the domestic
// application: issuer authentication by EXTERNAL AUTHENTICATE, the ARC,
// and the terminal that could not go online (Y3/Z3).
func TestSecondDecision(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(st *AppState)
		arc      string
		extAuth  string // "ok", "bad" or "" (none)
		want     emv.CryptogramType
		after    func(t *testing.T, st *AppState)
		cvrByte1 byte // expected CVR byte 1 (AC types and flags)
	}{
		{name: "approved", arc: "00", extAuth: "ok", want: emv.CryptogramTC, cvrByte1: 0x60,
			after: func(t *testing.T, st *AppState) {
				if st.LastOnlineATC != st.ATC || st.OfflineCount != 0 || st.LastOnlineNotCompleted {
					t.Errorf("state after online approval: %+v", *st)
				}
			}},
		{name: "issuer declines", arc: "05", extAuth: "ok", want: emv.CryptogramAAC, cvrByte1: 0x20},
		{name: "issuer authentication failed", arc: "00", extAuth: "bad", want: emv.CryptogramAAC, cvrByte1: 0x28,
			after: func(t *testing.T, st *AppState) {
				if !st.IssuerAuthFailedLast || st.LastOnlineATC == st.ATC {
					t.Errorf("state after failed issuer authentication: %+v", *st)
				}
			}},
		{name: "no issuer authentication", arc: "00", want: emv.CryptogramTC, cvrByte1: 0x60,
			after: func(t *testing.T, st *AppState) {
				if !st.IssuerAuthNotPerformedLast || st.LastOnlineATC == st.ATC {
					t.Errorf("state without issuer authentication: %+v", *st)
				}
			}},
		{name: "unable to go online", arc: "Z3", want: emv.CryptogramTC, cvrByte1: 0x61,
			setup: func(st *AppState) { st.LastOnlineATC = 1 },
			after: func(t *testing.T, st *AppState) {
				if st.OfflineCount != 1 || st.LastOnlineNotCompleted {
					t.Errorf("state after offline approval: %+v", *st)
				}
			}},
		{name: "unable to go online, PIN blocked", arc: "Y3", want: emv.CryptogramAAC, cvrByte1: 0x21,
			setup: func(st *AppState) { st.LastOnlineATC = 1; st.PINTries = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestCard(t, "dual-cn")
			st := c.st.Apps["A000000333010102"]
			if tt.setup != nil {
				tt.setup(st)
			}
			r := startTxn(t, c, "domestic", nil)
			ac := r.genAC1(apdu.RefControlARQC)
			sk := r.sessionKey(ac.atc)
			if tt.extAuth != "" {
				arpc, _ := cryptogram.ARPCMethod1(cryptogram.SM4, sk, ac.ac, []byte(tt.arc))
				if tt.extAuth == "bad" {
					arpc[7] ^= 1
				}
				_, sw := r.tm.cmd(apdu.ExternalAuthenticate(append(arpc, tt.arc...)))
				if (sw == apdu.SWNoError) != (tt.extAuth == "ok") {
					t.Fatalf("EXTERNAL AUTHENTICATE: %s", sw)
				}
			}
			r.tm.data[0x8A] = []byte(tt.arc)
			second, cdol2 := r.genAC2(apdu.RefControlTC)
			if got := emv.CryptogramType(second.cid & 0xC0); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if second.iad[4] != tt.cvrByte1 {
				t.Errorf("CVR byte 1 %02X, want %02X", second.iad[4], tt.cvrByte1)
			}
			data := r.app.Crypto.ACInput(cdol2, r.aip, uint16(second.atc[0])<<8|uint16(second.atc[1]), second.iad)
			if err := cryptogram.VerifyAC(cryptogram.SM4, sk, data, cryptogram.Pad2, second.ac); err != nil {
				t.Errorf("second cryptogram: %v", err)
			}
			if tt.after != nil {
				tt.after(t, st)
			}
		})
	}
}

// TestLastOnlineNotCompleted leaves a transaction after its ARQC and
// checks that the next one says so and goes online.
func TestLastOnlineNotCompleted(t *testing.T) {
	c := newTestCard(t, "dual-cn")
	c.st.Apps["A000000333010102"].LastOnlineATC = 1
	startTxn(t, c, "domestic", nil).genAC1(apdu.RefControlARQC)
	c.Reset() // the card is pulled out
	ac := startTxn(t, c, "domestic", nil).genAC1(apdu.RefControlTC)
	if emv.CryptogramType(ac.cid&0xC0) != emv.CryptogramARQC || ac.iad[5]&0x80 == 0 {
		t.Fatalf("CID %02X, CVR %X: want an ARQC that says the last online transaction was not completed", ac.cid, ac.iad[4:7])
	}
}
