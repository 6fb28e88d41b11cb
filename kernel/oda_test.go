package kernel_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/kernel"
)

// TestODAMethods runs whole transactions against the single-application
// SDA, DDA and CDA profiles of cardsim (RSA keys of 1024–1984 bits,
// exponents 3 and 65537) and the two applications of dual-cn (SM2 and
// RSA CDA): the method the kernel picks, and that it verifies.
func TestODAMethods(t *testing.T) {
	cases := []struct {
		profile, country, currency string
		want                       kernel.ODAMethod
		tsiTVR                     func(o *kernel.Outcome) bool
	}{
		{"sda", "US", "USD", kernel.ODASDA, func(o *kernel.Outcome) bool { return o.TVR.Has(emv.TVRSDASelected) }},
		{"dda", "US", "USD", kernel.ODADDA, func(o *kernel.Outcome) bool { return !o.TVR.Has(emv.TVRSDASelected) }},
		{"cda", "US", "USD", kernel.ODACDA, func(o *kernel.Outcome) bool { return !o.TVR.Has(emv.TVRSDASelected) }},
		{"dual-cn", "CN", "CNY", kernel.ODASM2, func(o *kernel.Outcome) bool { return true }},
		{"dual-cn", "US", "USD", kernel.ODACDA, func(o *kernel.Outcome) bool { return true }},
	}
	for _, c := range cases {
		t.Run(c.profile+"/"+c.country, func(t *testing.T) {
			s := newSim(t, c.profile)
			cfg := s.config(t, c.country, c.currency, kernel.PolicyDomesticPreference)
			tx, _ := kernel.NewTransaction(cfg, s.card, kernel.Params{Amount: 1500})
			o, err := tx.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if o.ODA != c.want || !o.ODAOK || !o.TSI.Has(emv.TSIODAPerformed) || !c.tsiTVR(o) || o.TVR[0]&0x7C != 0 {
				t.Errorf("ODA %s ok %v (%s), TVR %s, TSI %s; want %s verified", o.ODA, o.ODAOK, o.ODAError, o.TVR, o.TSI, c.want)
			}
			if o.Result != kernel.ResultOnlineApproved {
				t.Errorf("result %s (%s)", o.Result, o.Reason)
			}
		})
	}
}

// TestODAFailures makes each method fail for a reason the terminal
// controls: no CA key, a revoked issuer certificate, a transaction date
// past the certificates' expiry.
func TestODAFailures(t *testing.T) {
	cases := []struct {
		name    string
		profile string
		edit    func(t *testing.T, s *sim, c *kernel.Config)
		bit     emv.TVRBit
		cause   error
	}{
		{"SDA without the CA key", "sda", func(t *testing.T, s *sim, c *kernel.Config) { c.CAKeys = oda.NewStore(oda.Test) },
			emv.TVRSDAFailed, oda.ErrCAKeyNotFound},
		{"DDA with a revoked issuer certificate", "dda", revokeAll, emv.TVRDDAFailed, oda.ErrCertRevoked},
		{"CDA with a revoked issuer certificate", "cda", revokeAll, emv.TVRCDAFailed, oda.ErrCertRevoked},
		{"SM2 with a revoked issuer certificate", "dual-cn", revokeAll, emv.TVRCDAFailed, oda.ErrCertRevoked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, c.profile)
			cfg := s.config(t, "US", "USD", kernel.PolicyIssuerPriority)
			c.edit(t, s, cfg)
			tx, _ := kernel.NewTransaction(cfg, s.card, kernel.Params{Amount: 1500})
			o, err := tx.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !o.TVR.Has(c.bit) || o.ODAOK || o.ODAError == "" {
				t.Errorf("TVR %s, ODA ok %v (%s): want %v", o.TVR, o.ODAOK, o.ODAError, c.bit)
			}
		})
	}
}

// revokeAll writes a revocation list naming the issuer certificate of
// every application of the card (serials as the profile sets them) and
// loads it through a configuration file, as a terminal would.
func revokeAll(t *testing.T, s *sim, c *kernel.Config) {
	dir := t.TempDir()
	capk := filepath.Join(dir, "capk.txt")
	text := ""
	for _, k := range s.keys {
		line, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		text += string(line) + "\n"
	}
	os.WriteFile(capk, []byte("# kind: test\n"+text), 0o644)
	rev := ""
	for _, a := range s.cf.Profile.Applications {
		if a.ODA != nil {
			rev += hexU(a.AID[:5]) + " " + hexU(a.ODA.CAIndex) + " " + hexU(a.ODA.IssuerSerial) + "\n"
		}
	}
	os.WriteFile(filepath.Join(dir, "revoked.txt"), []byte("# revoked issuer certificates\n"+rev), 0o644)
	cfgFile := filepath.Join(dir, "config.json")
	os.WriteFile(cfgFile, []byte(`{"terminal": {"country": "US", "currency": "USD", "type": "22", "capabilities": "E0F8C8",
		"additional_capabilities": "6000F0A001", "terminal_id": "T1", "merchant_category_code": "5411", "merchant_id": "M", "ifd_serial": "1"},
		"applications": [{"aid": "A00000002501", "partial_match": true}, {"aid": "A000000333010102", "partial_match": false}],
		"ca_keys": "capk.txt", "revocation_list": "revoked.txt"}`), 0o644)
	loaded, err := kernel.LoadConfig(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	c.CAKeys = loaded.CAKeys
}

func hexU(b []byte) string {
	const d = "0123456789ABCDEF"
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		out = append(out, d[x>>4], d[x&15])
	}
	return string(out)
}

func TestRevocationListErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "capk.txt"), []byte("# kind: test\n"), 0o644)
	for _, bad := range []string{"A000000025 F1", "A0000000 F1 000001", "A000000025 F1 0001", "zz F1 000001"} {
		os.WriteFile(filepath.Join(dir, "revoked.txt"), []byte(bad+"\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "c.json"), []byte(`{"terminal": {"country": "US", "currency": "USD", "type": "22", "capabilities": "E0F8C8",
			"additional_capabilities": "6000F0A001", "terminal_id": "T1", "merchant_category_code": "5411", "merchant_id": "M", "ifd_serial": "1"},
			"applications": [{"aid": "A00000002501", "partial_match": true}], "ca_keys": "capk.txt", "revocation_list": "revoked.txt"}`), 0o644)
		if _, err := kernel.LoadConfig(filepath.Join(dir, "c.json")); !errors.Is(err, kernel.ErrConfig) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
