package issuer

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
)

// cvn18Account is the Visa CVN 18 card of pyemv tests/test_cvn_hsm.py;
// its published request verifies, so the decision tests start from a real
// cryptogram.
func cvn18Account(rules *Rules, answers ...Answer) Account {
	return Account{
		Name: "visa", PAN: "1234567890123456", PSN: "00", CDOL1: mustHex("9F02069F03069F1A0295055F2A029A039C019F3704"),
		Crypto: Crypto{Scheme: SchemeVisaCVN18, Algorithm: "tdes", CVN: 18, IssuerMasterKeys: visaIMKs},
		Rules:  rules, Answers: answers,
	}
}

func cvn18Request(t testing.TB, extra ...string) Request {
	de55 := visaDE55(t, "06011203A0B800", "7A788EA6B8A3E733")
	return Request{PAN: "1234567890123456", DE55: append(de55, tlvs(t, extra...)...)}
}

// withObject returns DE 55 with one object's value replaced.
func withObject(t testing.TB, de55 []byte, tag string, value string) []byte {
	objs, err := emv.Decode(de55)
	if err != nil {
		t.Fatal(err)
	}
	for i := range objs {
		if objs[i].Tag == emv.MustParseTag(tag) {
			objs[i].Value = h(t, value)
		}
	}
	return emv.Encode(objs)
}

// withoutObject returns DE 55 without one object.
func withoutObject(t testing.TB, de55 []byte, tag string) []byte {
	objs, _ := emv.Decode(de55)
	var out []emv.Object
	for _, o := range objs {
		if o.Tag != emv.MustParseTag(tag) {
			out = append(out, o)
		}
	}
	return emv.Encode(out)
}

// cvn18Key is the card's AC session key at ATC 001C, derived here
// independently of the host to check its ARPCs.
func cvn18Key(t testing.TB) []byte {
	mk, err := cryptogram.DeriveICCMasterKey(visaIMKs.AC, "1234567890123456", "00", cryptogram.OptionA)
	if err != nil {
		t.Fatal(err)
	}
	sk, err := cryptogram.DeriveSessionKey(cryptogram.TDES, mk, []byte{0x00, 0x1C})
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

func TestDecisions(t *testing.T) {
	arqc := mustHex("7A788EA6B8A3E733")
	tests := []struct {
		name     string
		acct     Account
		req      func(t testing.TB) Request
		approved bool
		reason   Reason
		arc      string
		valid    bool   // ARQCValid
		csu      string // expected CSU in 91 (method 2), "" when no 91
		detail   string // substring of Detail
	}{
		{"default rules approve", cvn18Account(nil), func(t testing.TB) Request { return cvn18Request(t) },
			true, ReasonApproved, "00", true, "00820000", "rules approve"},
		{"bad ARQC", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.DE55 = withObject(t, r.DE55, "9F26", "7A788EA6B8A3E734")
			return r
		}, false, ReasonCryptogram, "05", false, "", "does not verify"},
		{"amount changed after the card signed", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.DE55 = withObject(t, r.DE55, "9F02", "000000009999")
			return r
		}, false, ReasonCryptogram, "05", false, "", "ARQC 7A788EA6B8A3E733"},
		{"CDOL1 object missing from DE 55", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.DE55 = withoutObject(t, r.DE55, "9F37")
			return r
		}, false, ReasonCryptogram, "05", false, "", "absent from DE 55, filled with zeros: [9F37]"},
		{"CDOL1 data given instead", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.DE55 = withoutObject(t, r.DE55, "9F37")
			r.CDOL1Data = mustHex("0000000040000000000000000124800004800001241911050152BF4585")
			return r
		}, true, ReasonApproved, "00", true, "00820000", ""},
		{"unknown PAN", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.PAN = "1234567890123457"
			return r
		}, false, ReasonUnknownCard, "14", false, "", "123456******3457"},
		{"other PSN", cvn18Account(nil), func(t testing.TB) Request { return cvn18Request(t, "5F34", "01") },
			false, ReasonUnknownCard, "14", false, "", "PSN 01"},
		{"other AID", func() Account { a := cvn18Account(nil); a.AID = mustHex("A0000000031010"); return a }(),
			func(t testing.TB) Request { return cvn18Request(t, "4F", "A0000000032010") },
			false, ReasonUnknownCard, "14", false, "", "AID A0000000032010"},
		{"AID matches", func() Account { a := cvn18Account(nil); a.AID = mustHex("A0000000031010"); return a }(),
			func(t testing.TB) Request { return cvn18Request(t, "84", "A0000000031010") },
			true, ReasonApproved, "00", true, "00820000", ""},
		{"malformed DE 55", cvn18Account(nil), func(t testing.TB) Request {
			return Request{PAN: "1234567890123456", DE55: mustHex("9F2608112233")}
		}, false, ReasonFormat, "30", false, "", "DE 55"},
		{"no ARQC", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.DE55 = withoutObject(t, r.DE55, "9F26")
			return r
		}, false, ReasonFormat, "30", false, "", "9F26"},
		{"bad PSN", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.PANSequence = []byte{0x0A}
			return r
		}, false, ReasonFormat, "30", false, "", "PAN sequence number 0A"},
		{"a TC is no ARQC", cvn18Account(nil), func(t testing.TB) Request {
			r := cvn18Request(t)
			r.DE55 = withObject(t, r.DE55, "9F27", "40")
			return r
		}, false, ReasonNotARQC, "30", false, "", "TC"},
		{"other cryptogram version", func() Account { a := cvn18Account(nil); a.Crypto.CVN = 17; return a }(),
			func(t testing.TB) Request { return cvn18Request(t) }, false, ReasonCVN, "05", false, "", "CVN 18"},
		{"amount over the limit", cvn18Account(&Rules{MaxAmount: 3999}),
			func(t testing.TB) Request { return cvn18Request(t) }, false, ReasonAmount, "61", true, "00000000", "4000 over the limit 3999"},
		{"amount at the limit", cvn18Account(&Rules{MaxAmount: 4000}),
			func(t testing.TB) Request { return cvn18Request(t) }, true, ReasonApproved, "00", true, "00820000", ""},
		{"CVR: last online transaction not completed", cvn18Account(&Rules{Decline: []string{"last_online_not_completed"}}),
			func(t testing.TB) Request { return cvn18Request(t) }, false, ReasonCVR, "05", true, "00000000", "last_online_not_completed"},
		{"wedge: the terminal says PIN verified, the card says not", cvn18Account(nil),
			func(t testing.TB) Request { return cvn18Request(t, "9F34", "410302") },
			false, ReasonCVR, "05", true, "00000000", "cvm_mismatch"},
		{"signature CVM is no mismatch", cvn18Account(nil),
			func(t testing.TB) Request { return cvn18Request(t, "9F34", "1E0300") },
			true, ReasonApproved, "00", true, "00820000", ""},
		{"scripted decline", cvn18Account(nil, Answer{ARC: NewARC("51")}),
			func(t testing.TB) Request { return cvn18Request(t) }, false, ReasonAnswer, "51", true, "00000000", "answer 1 of 1"},
		{"scripted status update", cvn18Account(nil, Answer{Approve: true, Status: Status{BlockApplication: true, PINTryCounter: new(int), GoOnlineNext: true, Counters: "add"}}),
			func(t testing.TB) Request { return cvn18Request(t) }, true, ReasonAnswer, "00", true, "00BB0000", ""},
		{"proprietary data", cvn18Account(nil, Answer{Approve: true, Proprietary: mustHex("1234")}),
			func(t testing.TB) Request { return cvn18Request(t) }, true, ReasonAnswer, "00", true, "80820000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, err := New(tt.acct)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := host.Authorise(context.Background(), tt.req(t))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Approved != tt.approved || resp.Reason != tt.reason || resp.ARC != MakeARC(tt.arc) || resp.ARQCValid != tt.valid {
				t.Errorf("approved %v reason %q ARC %s valid %v, want %v %q %s %v (%s)",
					resp.Approved, resp.Reason, resp.ARC, resp.ARQCValid, tt.approved, tt.reason, tt.arc, tt.valid, resp.Detail)
			}
			if !strings.Contains(resp.Detail, tt.detail) {
				t.Errorf("detail %q does not say %q", resp.Detail, tt.detail)
			}
			if strings.Contains(resp.Detail, "1234567890123456") {
				t.Errorf("detail %q shows the PAN", resp.Detail)
			}
			iad := resp.IssuerAuthenticationData
			if tt.csu == "" {
				if iad != nil {
					t.Errorf("91 = %X, want none", iad)
				}
				return
			}
			if len(iad) < 8 || upper(iad[4:8]) != tt.csu {
				t.Fatalf("91 = %X, want CSU %s", iad, tt.csu)
			}
			if err := cryptogram.VerifyARPCMethod2(cryptogram.TDES, cvn18Key(t), arqc, iad[4:8], iad[8:], iad[:4]); err != nil {
				t.Errorf("the card would reject 91 %X: %v", iad, err)
			}
		})
	}
}

func TestAnswersInOrderThenRules(t *testing.T) {
	host, err := New(cvn18Account(&Rules{AllowATCReplay: true}, Answer{ARC: NewARC("51")}, Answer{Approve: true, ARC: NewARC("11")}))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		approved bool
		arc      string
		reason   Reason
	}{{false, "51", ReasonAnswer}, {true, "11", ReasonAnswer}, {true, "00", ReasonApproved}, {true, "00", ReasonApproved}}
	for i, w := range want {
		resp, err := host.Authorise(context.Background(), cvn18Request(t))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Approved != w.approved || resp.ARC != MakeARC(w.arc) || resp.Reason != w.reason {
			t.Errorf("authorisation %d: %v %s %q, want %v %s %q", i+1, resp.Approved, resp.ARC, resp.Reason, w.approved, w.arc, w.reason)
		}
	}
}

// TestATCReplay: the same cryptogram twice is a replay; a bad ARQC does
// not move the ATC.
func TestATCReplay(t *testing.T) {
	host, err := New(cvn18Account(nil))
	if err != nil {
		t.Fatal(err)
	}
	bad := cvn18Request(t)
	bad.DE55 = withObject(t, bad.DE55, "9F26", "0000000000000000")
	for i, tc := range []struct {
		req    Request
		reason Reason
	}{{bad, ReasonCryptogram}, {cvn18Request(t), ReasonApproved}, {cvn18Request(t), ReasonATCReplay}} {
		resp, err := host.Authorise(context.Background(), tc.req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Reason != tc.reason {
			t.Errorf("authorisation %d: %q (%s), want %q", i+1, resp.Reason, resp.Detail, tc.reason)
		}
	}
}

func TestCorruptAndMissingARPC(t *testing.T) {
	host, err := New(cvn18Account(nil, Answer{Approve: true, CorruptARPC: true}, Answer{Approve: true, NoARPC: true}), func() Account {
		a := cvn18Account(nil)
		a.PSN = "01"
		return a
	}())
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := host.Authorise(context.Background(), cvn18Request(t))
	if err := cryptogram.VerifyARPCMethod2(cryptogram.TDES, cvn18Key(t), mustHex("7A788EA6B8A3E733"), r1.IssuerAuthenticationData[4:8], nil, r1.IssuerAuthenticationData[:4]); !errors.Is(err, cryptogram.ErrCryptogramMismatch) {
		t.Errorf("corrupted ARPC %X verifies: %v", r1.IssuerAuthenticationData, err)
	}
	host.accounts[0].lastATC = -1
	r2, _ := host.Authorise(context.Background(), cvn18Request(t))
	if !r2.Approved || r2.IssuerAuthenticationData != nil || len(r2.ICCData()) != 0 {
		t.Errorf("NoARPC answer: %+v", r2)
	}
}

func TestAuthoriseContext(t *testing.T) {
	host, _ := New(cvn18Account(nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := host.Authorise(ctx, cvn18Request(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestVisCVRDeclines: the CVN 10 vector's CVR (03 A06010) says the PIN
// try limit is exceeded: the default rules decline with 75.
func TestVisCVRDeclines(t *testing.T) {
	host, err := New(Account{PAN: "1234567890123456", CDOL1: mustHex("9F02069F03069F1A0295055F2A029A039C019F3704"),
		Crypto: Crypto{Scheme: SchemeVisaCVN10, Algorithm: "tdes", IssuerMasterKeys: visaIMKs}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := host.Authorise(context.Background(), Request{PAN: "1234567890123456", DE55: visaDE55(t, "06010A03A06010", "29CCA15AE665FA2E")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Approved || resp.ARC != MakeARC("75") || resp.Reason != ReasonCVR || !resp.ARQCValid {
		t.Fatalf("%+v", resp)
	}
	c := resp.CVR
	if c == nil || !c.PINTryLimitExceeded || !c.OfflineLimitsExceeded || c.FirstAC != emv.CryptogramARQC || c.SecondACRequested || c.CVN != 10 || !bytes.Equal(c.Raw, mustHex("A06010")) {
		t.Errorf("CVR %+v", c)
	}
	// Method 1 ARPC with ARC 75, checked with the card's key (Visa CVN 10
	// uses the ICC master key itself).
	mk, _ := cryptogram.DeriveICCMasterKey(visaIMKs.AC, "1234567890123456", "00", cryptogram.OptionA)
	iad := resp.IssuerAuthenticationData
	if err := cryptogram.VerifyARPCMethod1(cryptogram.TDES, mk, mustHex("29CCA15AE665FA2E"), []byte("75"), iad[:8]); err != nil || string(iad[8:]) != "75" {
		t.Errorf("91 %X: %v", iad, err)
	}
}

// TestUnreadableCVR: rules about the CVR cannot be applied to an IAD that
// is not in the scheme's layout, and the host declines.
func TestUnreadableCVR(t *testing.T) {
	host, err := New(Account{PAN: "99012345678901234", PSN: "45", CDOL1: mustHex("9F02069F3704"),
		Crypto:        Crypto{Scheme: SchemeCCD, Algorithm: "tdes", SessionKey: "none", ARPCMethod: 1},
		ICCMasterKeys: &MasterKeys{AC: Key(mustHex("29B33180E567CE38EA4CBC9D753B0E61"))}})
	if err != nil {
		t.Fatal(err)
	}
	de55 := tlvs(t, "9F02", "0123456789AB", "9F37", "CDEF0123", "82", "4567", "9F36", "89AB", "9F10", "CDEF", "9F26", "FA624250B008B59A")
	resp, err := host.Authorise(context.Background(), Request{PAN: "99012345678901234", PANSequence: []byte{0x45}, DE55: de55})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Reason != ReasonCVRUnreadable || resp.Approved || !resp.ARQCValid || !strings.Contains(resp.Detail, "format A") {
		t.Errorf("%+v", resp)
	}
}

// TestLastATC: an issuer that has already seen ATC 001C (the ATC of the
// published CVN 18 request) declines that request as a replay; one that
// has seen only 001B approves it; an ATC outside 0–FFFF is a bad
// configuration.
func TestLastATC(t *testing.T) {
	for _, tc := range []struct {
		last   int
		reason Reason
	}{{0x1C, ReasonATCReplay}, {0x1B, ReasonApproved}, {0xFFFF, ReasonATCReplay}} {
		a := cvn18Account(nil)
		a.LastATC = &tc.last
		host, err := New(a)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := host.Authorise(context.Background(), cvn18Request(t))
		if err != nil || resp.Reason != tc.reason {
			t.Errorf("last ATC %04X: %q %v, want %q", tc.last, resp.Reason, err, tc.reason)
		}
	}
	for _, bad := range []int{-1, 0x10000} {
		a := cvn18Account(nil)
		a.LastATC = &bad
		if _, err := New(a); !errors.Is(err, ErrConfig) {
			t.Errorf("last ATC %d: %v", bad, err)
		}
	}
}
