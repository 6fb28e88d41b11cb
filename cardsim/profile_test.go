package cardsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/emv"
)

func TestBuiltinProfiles(t *testing.T) {
	names := BuiltinProfiles()
	for _, want := range []string{"dual-cn", "dual-same-pan", "sda", "dda", "cda"} {
		p, err := BuiltinProfile(want)
		if err != nil {
			t.Errorf("%s: %v (have %v)", want, err, names)
			continue
		}
		for _, a := range p.Applications {
			if !emv.LuhnValid(a.PAN) {
				t.Errorf("%s/%s: PAN fails Luhn", want, a.Name)
			}
		}
	}
	if _, err := BuiltinProfile("nope"); err == nil {
		t.Error("an unknown profile was found")
	}
	p, _ := BuiltinProfile("dual-same-pan")
	if p.Applications[0].PAN != p.Applications[1].PAN || p.Applications[0].PSN == p.Applications[1].PSN {
		t.Error("dual-same-pan: want one PAN, two PAN sequence numbers")
	}
}

// TestProfileValidation breaks one field at a time and expects the error
// to name it.
func TestProfileValidation(t *testing.T) {
	tests := []struct {
		field  string
		change func(p *Profile, a *AppProfile)
	}{
		{"name", func(p *Profile, a *AppProfile) { p.Name = "" }},
		{"applications", func(p *Profile, a *AppProfile) { p.Applications = nil }},
		{"pse.sfi", func(p *Profile, a *AppProfile) { p.PSE.SFI = 11 }},
		{"aid", func(p *Profile, a *AppProfile) { a.AID = mustHex("A0000003") }},
		{"aid", func(p *Profile, a *AppProfile) { p.Applications[1].AID = a.AID }},
		{"label", func(p *Profile, a *AppProfile) { a.Label = strings.Repeat("X", 17) }},
		{"priority", func(p *Profile, a *AppProfile) { a.Priority = 16 }},
		{"language", func(p *Profile, a *AppProfile) { a.Language = "ZH" }},
		{"pan", func(p *Profile, a *AppProfile) { a.PAN = "6212345678901233" }},
		{"pan", func(p *Profile, a *AppProfile) { a.PAN = "62123456789012X2" }},
		{"psn", func(p *Profile, a *AppProfile) { a.PSN = "1" }},
		{"expiry", func(p *Profile, a *AppProfile) { a.Expiry = "301332" }},
		{"expiry", func(p *Profile, a *AppProfile) { a.Expiry = "240101" }},
		{"currency", func(p *Profile, a *AppProfile) { a.Currency = "001" }},
		{"country", func(p *Profile, a *AppProfile) { a.Country = "15" }},
		{"service_code", func(p *Profile, a *AppProfile) { a.ServiceCode = "2A1" }},
		{"pin", func(p *Profile, a *AppProfile) { a.PIN = "12" }},
		{"pin_try_limit", func(p *Profile, a *AppProfile) { a.PINTryLimit = 16 }},
		{"aip", func(p *Profile, a *AppProfile) { a.AIP = mustHex("7D") }},
		{"iac.online", func(p *Profile, a *AppProfile) { a.IAC.Online = mustHex("00") }},
		{"cvm_list", func(p *Profile, a *AppProfile) { a.CVMList = mustHex("000000000000000041") }},
		{"cdol1", func(p *Profile, a *AppProfile) { a.CDOL1 = mustHex("9F02") }},
		{"cdol2", func(p *Profile, a *AppProfile) { a.CDOL2 = nil }},
		{"lcol", func(p *Profile, a *AppProfile) { a.LCOL = 9 }},
		{"response_format", func(p *Profile, a *AppProfile) { a.ResponseFormat = 3 }},
		{"crypto.scheme", func(p *Profile, a *AppProfile) { a.Crypto.Scheme = "visa" }},
		{"crypto.algorithm", func(p *Profile, a *AppProfile) { a.Crypto.Algorithm = "des" }},
		{"crypto.cvn", func(p *Profile, a *AppProfile) { p.Applications[1].Crypto.CVN = 10 }},
		{"crypto.arpc_method", func(p *Profile, a *AppProfile) { p.Applications[1].Crypto.ARPCMethod = 1 }},
		{"crypto.script_mac_len", func(p *Profile, a *AppProfile) { a.Crypto.ScriptMACLen = 3 }},
		{"crypto.script_encipherment", func(p *Profile, a *AppProfile) { a.Crypto.ScriptEncipherment = "ofb" }},
		{"oda", func(p *Profile, a *AppProfile) { a.ODA = nil }},
		{"oda.algorithm", func(p *Profile, a *AppProfile) { a.ODA.Algorithm = "ecc" }},
		{"oda.ca_index", func(p *Profile, a *AppProfile) { a.ODA.CAIndex = nil }},
		{"oda", func(p *Profile, a *AppProfile) { a.ODA.CABits = 1024 }},
		{"oda.issuer_bits", func(p *Profile, a *AppProfile) { p.Applications[1].ODA.IssuerBits = 2048 }},
		{"oda.icc_bits", func(p *Profile, a *AppProfile) { p.Applications[1].ODA.ICCBits = 1416 }},
		{"oda.icc_bits", func(p *Profile, a *AppProfile) { a.ODA.ICC = false }},
		{"oda.ca_exponent", func(p *Profile, a *AppProfile) { p.Applications[1].ODA.CAExponent = 5 }},
		{"risk.online", func(p *Profile, a *AppProfile) { a.Risk.Online = []string{"full_moon"} }},
		{"records", func(p *Profile, a *AppProfile) { a.Records = nil }},
		{"records[0].sfi", func(p *Profile, a *AppProfile) { a.Records[0].SFI = 31 }},
		{"records[1]", func(p *Profile, a *AppProfile) { a.Records[1].SFI, a.Records[1].Record = 1, 1 }},
		{"records[0].tags", func(p *Profile, a *AppProfile) { a.Records[0].Tags = append(a.Records[0].Tags, "9F7A") }},
		{"records[1].tags", func(p *Profile, a *AppProfile) { a.Records[0].Tags = append(a.Records[0].Tags, "5A") }},
		{"records[6].tags", func(p *Profile, a *AppProfile) { a.Records[6].ODA = true }},
		{"records", func(p *Profile, a *AppProfile) { a.Records[2].Tags = []string{"8D", "9F49"} }},
		{"data.9F4A", func(p *Profile, a *AppProfile) { a.Data["9F4A"] = mustHex("9F37") }},
		{"fci_issuer_data", func(p *Profile, a *AppProfile) { a.FCIIssuerData = []string{"9F4D"} }},
		{"get_data", func(p *Profile, a *AppProfile) { a.GetData = []string{"DF8101"} }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			p, err := BuiltinProfile("dual-cn")
			if err != nil {
				t.Fatal(err)
			}
			tt.change(p, &p.Applications[0])
			err = p.Validate()
			var pe *ProfileError
			if !errors.As(err, &pe) || !errors.Is(err, ErrProfile) {
				t.Fatalf("Validate: %v, want a *ProfileError wrapping ErrProfile", err)
			}
			if pe.Field != tt.field {
				t.Errorf("error names field %q, want %q (%v)", pe.Field, tt.field, err)
			}
		})
	}
}

func TestParseProfileStrict(t *testing.T) {
	p, _ := BuiltinProfile("sda")
	b, _ := json.Marshal(p)
	bad := bytes.Replace(b, []byte(`"ppse":true`), []byte(`"ppse":true,"pps":true`), 1)
	if _, err := ParseProfileBytes(bad); !errors.Is(err, ErrProfile) {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := ParseProfileBytes(append(b, '{')); !errors.Is(err, ErrProfile) {
		t.Errorf("trailing data: %v", err)
	}
	if _, err := ParseProfileBytes(bytes.Replace(b, []byte(`"aid":"A0`), []byte(`"aid":"G0`), 1)); !errors.Is(err, ErrProfile) {
		t.Errorf("bad hex: %v", err)
	}
}

func TestLayoutAFL(t *testing.T) {
	recs := []RecordLayout{
		{SFI: 1, Record: 1}, {SFI: 1, Record: 2},
		{SFI: 2, Record: 1, ODA: true}, {SFI: 2, Record: 2, ODA: true}, {SFI: 2, Record: 3},
		{SFI: 2, Record: 4, ODA: true}, // flagged after an unflagged one: a new entry
		{SFI: 3, Record: 5},            // does not follow SFI 3 record 4: a new entry
		{SFI: 11, Record: 1, ODA: true},
	}
	afl, err := layoutAFL(recs)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex("08010200 10010302 10040401 18050500 58010101")
	if got := aflBytes(afl); !bytes.Equal(got, want) {
		t.Errorf("AFL %X, want %X", got, want)
	}
	if _, err := emv.ParseAFL(want); err != nil {
		t.Errorf("emv.ParseAFL rejects the layout: %v", err)
	}
}
