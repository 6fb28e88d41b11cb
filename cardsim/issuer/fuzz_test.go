package issuer

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

// FuzzParseConfig: ParseConfig never panics, and what it accepts makes a
// Host and marshals to JSON it accepts again.
func FuzzParseConfig(f *testing.F) {
	b, err := os.ReadFile("testdata/host.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"accounts": []}`))
	f.Add([]byte(`{"accounts": [{"pan": "1", "cdol1": "", "crypto": {"scheme": "pboc", "algorithm": "sm4", "issuer_master_keys": {"ac": "00000000000000000000000000000000"}}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := ParseConfigBytes(b)
		if err != nil {
			return
		}
		if _, err := New(cfg.Accounts...); err != nil {
			t.Fatalf("ParseConfig accepted what New refuses: %v", err)
		}
		out, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseConfigBytes(out); err != nil {
			t.Fatalf("accepted %q but not its own JSON %s: %v", b, out, err)
		}
	})
}

// FuzzAuthorise: whatever DE 55 a terminal sends, the host answers
// without an error or a panic, with a response code, and never with an
// ARPC for a cryptogram that did not verify.
func FuzzAuthorise(f *testing.F) {
	b, err := os.ReadFile("testdata/host.json")
	if err != nil {
		f.Fatal(err)
	}
	cfg, err := ParseConfigBytes(b)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(byte(0), []byte{0}, visaDE55(f, "06011203A0B800", "7A788EA6B8A3E733"))
	f.Add(byte(0), []byte(nil), visaDE55(f, "06010A03A06010", "29CCA15AE665FA2E"))
	f.Add(byte(1), []byte{1}, tlvs(f, "4F", "A000000025010402", "9F26", "0011223344556677", "9F36", "0001", "82", "3900", "9F10", "0FA501A000000000"))
	f.Add(byte(2), []byte{1}, tlvs(f, "9F26", "0011223344556677", "9F36", "0001", "82", "7C00", "9F10", "07010103A00000040000", "9F34", "410302"))
	f.Add(byte(2), []byte{0x1F}, []byte{0x9F, 0x26, 0x81})
	pans := []string{"1234567890123456", "374245455400126", "6212345678901234"}
	f.Fuzz(func(t *testing.T, which byte, psn, de55 []byte) {
		host, err := New(cfg.Accounts...)
		if err != nil {
			t.Fatal(err)
		}
		req := Request{PAN: pans[int(which)%len(pans)], PANSequence: psn, DE55: de55}
		resp, err := host.Authorise(context.Background(), req)
		if err != nil {
			t.Fatalf("error %v", err)
		}
		if resp.ARC == (ARC{}) || resp.Reason == "" {
			t.Fatalf("response without ARC or reason: %+v", resp)
		}
		if !resp.ARQCValid && (resp.IssuerAuthenticationData != nil || resp.Scripts != nil || resp.Approved) {
			t.Fatalf("answered an unverified cryptogram: %+v", resp)
		}
	})
}
