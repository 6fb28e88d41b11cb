package issuer

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/emv"
)

// The published vectors of shared/refs/VECTORS.md, reproduced through
// Host.Authorise: a request is built from the vector's inputs as a
// terminal would send it (DE 55) and the host's answer is compared with
// the published ARPC and script MACs.
//
// Sources (knovichikhin/pyemv):
//   - pyemv/__init__.py, module docstring: session key
//     29B33180E567CE38EA4CBC9D753B0E61, AC data
//     0123456789ABCDEF0123456789ABCDEF → ARQC FA624250B008B59A, ARPC
//     method 1 (ARC 0000) 45D4255EEF10C920, method 2 (CSU 00000000)
//     CB56FA40; Visa CVN 18 with IMKs AA…/BB…/CC…, ATC 0FFF → ARQC
//     769577B5ABE9FE62, ARPC 76503F48, APPLICATION UNBLOCK MAC
//     B5CB29759F9C3919;
//   - tests/test_cvn_hsm.py test_visa_cvn10 and test_visa_cvn18: ARQC
//     29CCA15AE665FA2E, ARPC 28993816AFAE4AEB (ARC 3030), APPLICATION
//     UNBLOCK MAC DB56BA60087CEFD3; ARQC 7A788EA6B8A3E733, ARPC 9AF514C1
//     (CSU 00000000), MAC 04EDE90BC24CC35E.

// tlvs builds TLV bytes from tag/hex pairs.
func tlvs(t testing.TB, pairs ...string) []byte {
	t.Helper()
	var b []byte
	for i := 0; i+1 < len(pairs); i += 2 {
		b = emv.AppendTLV(b, emv.MustParseTag(pairs[i]), h(t, pairs[i+1]))
	}
	return b
}

func h(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func upper(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// Visa test keys of pyemv tests/test_cvn_hsm.py.
var visaIMKs = &MasterKeys{
	AC:  Key(mustHex("0123456789ABCDEFFEDCBA9876543210")),
	SMI: Key(mustHex("FEDCBA98765432100123456789ABCDEF")),
	SMC: Key(mustHex("89ABCDEF0123456776543210FEDCBA98")),
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

const visaCDOL1 = "9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704"

// visaDE55 is the DE 55 of the pyemv Visa tests: amount 40.00, Canada
// (0124), 5 November 2019, purchase, UN 52BF4585, AIP 1800, ATC 001C.
func visaDE55(t testing.TB, iad, arqc string) []byte {
	return tlvs(t, "9F02", "000000004000", "9F03", "000000000000", "9F1A", "0124", "95", "8000048000",
		"5F2A", "0124", "9A", "191105", "9C", "01", "9F37", "52BF4585", "82", "1800", "9F36", "001C",
		"9F10", iad, "9F26", arqc, "9F27", "80")
}

var appUnblock = []Script{{Commands: []Command{{Kind: KindApplicationUnblock}}}}

func TestVisaVectorsThroughHost(t *testing.T) {
	tests := []struct {
		name, scheme string
		cvn          int
		imk          *MasterKeys
		pan          string
		de55         func(t testing.TB) []byte
		answer       Answer
		want91, mac  string
	}{
		{
			name: "CVN 10", scheme: SchemeVisaCVN10, cvn: 10, imk: visaIMKs, pan: "1234567890123456",
			de55:   func(t testing.TB) []byte { return visaDE55(t, "06010A03A06010", "29CCA15AE665FA2E") },
			answer: Answer{Approve: true, ARC: NewARC("00"), Scripts: appUnblock},
			want91: "28993816AFAE4AEB" + "3030", mac: "DB56BA60087CEFD3",
		},
		{
			name: "CVN 18", scheme: SchemeVisaCVN18, cvn: 18, imk: visaIMKs, pan: "1234567890123456",
			de55:   func(t testing.TB) []byte { return visaDE55(t, "06011203A0B800", "7A788EA6B8A3E733") },
			answer: Answer{Approve: true, CSU: h(t, "00000000"), Scripts: appUnblock},
			want91: "9AF514C1" + "00000000", mac: "04EDE90BC24CC35E",
		},
		{
			name: "CVN 18 docstring", scheme: SchemeVisaCVN18, cvn: 18, pan: "1234567890123456",
			imk: &MasterKeys{AC: Key(mustHex(strings.Repeat("AA", 16))), SMI: Key(mustHex(strings.Repeat("BB", 16))), SMC: Key(mustHex(strings.Repeat("CC", 16)))},
			de55: func(t testing.TB) []byte {
				return tlvs(t, "9F02", "000000009999", "9F03", "000000000000", "9F1A", "0840", "95", "8000048000",
					"5F2A", "0840", "9A", "991231", "9C", "01", "9F37", "52BF4585", "82", "1800", "9F36", "0FFF",
					"9F10", "06011203A0B800", "9F26", "769577B5ABE9FE62")
			},
			answer: Answer{Approve: true, CSU: h(t, "00000000"), Scripts: appUnblock},
			want91: "76503F48" + "00000000", mac: "B5CB29759F9C3919",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, err := New(Account{
				PAN: tt.pan, PSN: "00", CDOL1: h(t, visaCDOL1),
				Crypto:  Crypto{Scheme: tt.scheme, Algorithm: "tdes", CVN: tt.cvn, IssuerMasterKeys: tt.imk},
				Answers: []Answer{tt.answer},
			})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := host.Authorise(context.Background(), Request{PAN: tt.pan, PANSequence: []byte{0}, DE55: tt.de55(t)})
			if err != nil {
				t.Fatal(err)
			}
			if !resp.ARQCValid || !resp.Approved || resp.Reason != ReasonAnswer {
				t.Fatalf("response %+v", resp)
			}
			if got := upper(resp.IssuerAuthenticationData); got != tt.want91 {
				t.Errorf("91 = %s, want %s", got, tt.want91)
			}
			// One template 72 holding one command: 84 18 00 00 08 MAC.
			wantScripts := "720F" + "860D" + "8418000008" + tt.mac
			if got := upper(resp.Scripts); got != wantScripts {
				t.Errorf("scripts = %s, want %s", got, wantScripts)
			}
			if got, want := upper(resp.ICCData()), "910"+string("0123456789A"[len(tt.want91)/2])+tt.want91+wantScripts; got != want {
				t.Errorf("ICC data = %s, want %s", got, want)
			}
		})
	}
}

// TestPyemvDocstringThroughHost: the ARQC and both ARPCs of the pyemv
// module docstring. Its session key comes from R = 1234567890123456
// rather than from an ATC, so the account is given that key as its card
// key with session_key "none"; the AC data (16 bytes) is laid out as
// CDOL1 data (9F02, 9F37) ‖ AIP ‖ ATC ‖ IAD.
func TestPyemvDocstringThroughHost(t *testing.T) {
	de55 := tlvs(t, "9F02", "0123456789AB", "9F37", "CDEF0123", "82", "4567", "9F36", "89AB", "9F10", "CDEF",
		"9F26", "FA624250B008B59A")
	for _, tc := range []struct {
		method int
		answer Answer
		want91 string
	}{
		{1, Answer{Approve: true, ARC: &ARC{0, 0}}, "45D4255EEF10C920" + "0000"},
		{2, Answer{Approve: true, CSU: h(t, "00000000")}, "CB56FA40" + "00000000"},
	} {
		host, err := New(Account{
			PAN: "99012345678901234", PSN: "45", CDOL1: h(t, "9F0206 9F3704"),
			Crypto:        Crypto{Scheme: SchemeCCD, Algorithm: "tdes", SessionKey: "none", ARPCMethod: tc.method},
			ICCMasterKeys: &MasterKeys{AC: Key(h(t, "29B33180E567CE38EA4CBC9D753B0E61"))},
			Answers:       []Answer{tc.answer},
		})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := host.Authorise(context.Background(), Request{PAN: "99012345678901234", PANSequence: []byte{0x45}, DE55: de55})
		if err != nil {
			t.Fatal(err)
		}
		if !resp.ARQCValid {
			t.Fatalf("method %d: ARQC FA624250B008B59A rejected: %+v", tc.method, resp)
		}
		if got := upper(resp.IssuerAuthenticationData); got != tc.want91 {
			t.Errorf("method %d: 91 = %s, want %s", tc.method, got, tc.want91)
		}
		// The IAD CDEF is no CCD format A: the CVR is unreadable, and the
		// scripted answer decided.
		if resp.CVR != nil || resp.Reason != ReasonAnswer {
			t.Errorf("method %d: CVR %+v, reason %q", tc.method, resp.CVR, resp.Reason)
		}
	}
}

// TestICCMasterKeyDerivation: the account's keys are derived with the
// option its crypto names (pyemv/__init__.py docstring: IMK
// 0123456789ABCDEFFEDCBA9876543210, PAN 99012345678901234, PSN 45 →
// Option A 67F8292358083E5EA7AB7FDA58D53B6B, Option B
// 985EC4FD3EDF6162E31AF1C7D0543416; "auto" is B for 17 digits).
func TestICCMasterKeyDerivation(t *testing.T) {
	for _, tc := range []struct{ derivation, want string }{
		{"a", "67F8292358083E5EA7AB7FDA58D53B6B"},
		{"b", "985EC4FD3EDF6162E31AF1C7D0543416"},
		{"", "985EC4FD3EDF6162E31AF1C7D0543416"},
	} {
		a := Account{PAN: "99012345678901234", PSN: "45", CDOL1: h(t, "9F3704"),
			Crypto: Crypto{Scheme: SchemeCCD, Algorithm: "tdes", Derivation: tc.derivation,
				IssuerMasterKeys: &MasterKeys{AC: Key(h(t, "0123456789ABCDEFFEDCBA9876543210"))}}}
		c, err := a.compile()
		if err != nil {
			t.Fatal(err)
		}
		if got := upper(c.keys.AC); got != tc.want {
			t.Errorf("derivation %q: %s, want %s", tc.derivation, got, tc.want)
		}
	}
}
