package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseConfigFile(t *testing.T) {
	b, err := os.ReadFile("testdata/host.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfigBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Accounts) != 3 || cfg.Accounts[1].Answers[1].Status.PINTryCounter == nil || *cfg.Accounts[1].Answers[1].Status.PINTryCounter != 3 ||
		cfg.Accounts[1].Answers[0].ARC == nil || *cfg.Accounts[1].Answers[0].ARC != MakeARC("51") {
		t.Fatalf("%+v", cfg)
	}
	host, err := New(cfg.Accounts...)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := host.Authorise(context.Background(), Request{PAN: "1234567890123456", DE55: visaDE55(t, "06011203A0B800", "7A788EA6B8A3E733")})
	if err != nil {
		t.Fatal(err)
	}
	if got := upper(resp.ICCData()); got != "91089AF514C100000000"+"720F860D841800000804EDE90BC24CC35E" || resp.Account != "pyemv Visa CVN 18" {
		t.Errorf("ICC data %s, account %q", got, resp.Account)
	}
	// The configuration marshals back to JSON that parses to the same.
	out, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseConfigBytes(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out2, _ := json.Marshal(again)
	if string(out) != string(out2) {
		t.Errorf("round trip:\n%s\n%s", out, out2)
	}
	if !strings.Contains(string(out), `"arc":"51"`) || !strings.Contains(string(out), `"pin":"4321"`) {
		t.Errorf("JSON %s", out)
	}
}

func TestParseConfigErrors(t *testing.T) {
	good := `{"pan": "1234567890123456", "cdol1": "9F3704", "crypto": {"scheme": "ccd", "algorithm": "tdes", "issuer_master_keys": {"ac": "0123456789ABCDEFFEDCBA9876543210"}}`
	acct := func(extra string) string { return `{"accounts": [` + good + extra + `}]}` }
	withCrypto := func(field string) string {
		return `{"accounts": [{"pan": "1234567890123456", "cdol1": "9F3704", "crypto": {"scheme": "ccd", "algorithm": "tdes", ` + field +
			`, "issuer_master_keys": {"ac": "0123456789ABCDEFFEDCBA9876543210"}}}]}`
	}
	tests := []struct{ name, json, msg string }{
		{"not JSON", `{"accounts": [`, "unexpected EOF"},
		{"unknown field", acct(`, "limit": 5`), "unknown field"},
		{"trailing data", acct("") + ` {}`, "trailing data"},
		{"bad PSN", acct(`, "psn": "1"`), "psn"},
		{"bad CDOL1", `{"accounts": [{"pan": "1", "cdol1": "9F", "crypto": {"scheme": "ccd", "algorithm": "tdes"}}]}`, "cdol1"},
		{"unknown scheme", withCrypto(`"cvn": 1, "derivation": "a", "scheme2": 1`), "unknown field"},
		{"bad derivation", withCrypto(`"derivation": "c"`), "derivation"},
		{"bad session key", withCrypto(`"session_key": "visa"`), "session_key"},
		{"bad ac data", withCrypto(`"ac_data": "cdol"`), "ac_data"},
		{"bad padding", withCrypto(`"padding": 3`), "padding"},
		{"bad ARPC method", withCrypto(`"arpc_method": 3`), "arpc_method"},
		{"bad MAC length", withCrypto(`"script_mac_len": 9`), "script_mac_len"},
		{"bad encipherment", withCrypto(`"script_encipherment": "ecb"`), "encipherment"},
		{"bad algorithm", `{"accounts": [{"pan": "1234567890123456", "cdol1": "9F3704", "crypto": {"scheme": "ccd", "algorithm": "des"}}]}`, "des"},
		{"scheme", `{"accounts": [{"pan": "1234567890123456", "cdol1": "9F3704", "crypto": {"scheme": "mchip", "algorithm": "tdes"}}]}`, "mchip"},
		{"no keys", `{"accounts": [{"pan": "1234567890123456", "cdol1": "9F3704", "crypto": {"scheme": "ccd", "algorithm": "tdes"}}]}`, "neither"},
		{"short key", `{"accounts": [{"pan": "1234567890123456", "cdol1": "9F3704", "crypto": {"scheme": "ccd", "algorithm": "tdes", "issuer_master_keys": {"ac": "0123456789ABCDEF"}}}]}`, "key"},
		{"bad PAN", `{"accounts": [{"pan": "12345678901234X6", "cdol1": "9F3704", "crypto": {"scheme": "ccd", "algorithm": "tdes", "issuer_master_keys": {"ac": "0123456789ABCDEFFEDCBA9876543210"}}}]}`, "PAN"},
		{"unknown condition", acct(`, "rules": {"decline": ["pin_blocked"]}`), "pin_blocked"},
		{"CSU length", acct(`, "answers": [{"approve": true, "csu": "0000"}]`), "csu"},
		{"proprietary length", acct(`, "answers": [{"approve": true, "proprietary": "001122334455667788"}]`), "proprietary"},
		{"PIN try counter", acct(`, "answers": [{"approve": true, "status": {"pin_try_counter": 16}}]`), "pin_try_counter"},
		{"counters", acct(`, "answers": [{"approve": true, "status": {"counters": "zero"}}]`), "counters"},
		{"ARC", acct(`, "answers": [{"approve": true, "arc": "000"}]`), "ARC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfigBytes([]byte(tt.json))
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %v, want ErrConfig saying %q", err, tt.msg)
			}
		})
	}
}

func TestARCText(t *testing.T) {
	for _, tc := range []struct {
		arc  ARC
		text string
	}{{MakeARC("00"), "00"}, {MakeARC("Z3"), "Z3"}, {ARC{0, 0}, "0000"}, {ARC{0x30, 0x01}, "3001"}} {
		if got := tc.arc.String(); got != tc.text {
			t.Errorf("%X: %q, want %q", tc.arc[:], got, tc.text)
		}
		var back ARC
		if err := back.UnmarshalText([]byte(tc.text)); err != nil || back != tc.arc {
			t.Errorf("%q: %X %v", tc.text, back[:], err)
		}
	}
	var a ARC
	for _, bad := range []string{"", "0", "000", "00000", "ZZZZ"} {
		if err := a.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
