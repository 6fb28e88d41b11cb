package kernel_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/yixin-emv/yixin/kernel"
)

const configDir = "../testdata/config"

// generatedConfigs are the configurations of testdata/config made from the
// built-in one (re-written with -update).
var generatedConfigs = []struct {
	file, country, currency string
	sel                     kernel.SelectionConfig
}{
	{"china-cny.json", "CN", "CNY", kernel.SelectionConfig{Policy: kernel.PolicyDomesticPreference}},
	{"usa-usd.json", "US", "USD", kernel.SelectionConfig{Policy: kernel.PolicyDomesticPreference}},
	{"eu-cobadge.json", "FR", "EUR", kernel.SelectionConfig{Policy: kernel.PolicyCardholderChoice, Preference: kernel.PolicyDomesticPreference}},
}

func TestGeneratedConfigs(t *testing.T) {
	for _, g := range generatedConfigs {
		want, err := kernel.DefaultConfig(g.country, g.currency)
		if err != nil {
			t.Fatal(err)
		}
		want.Selection = g.sel
		path := filepath.Join(configDir, g.file)
		if *update {
			b, err := json.MarshalIndent(want, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := kernel.LoadConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs from the built-in configuration (re-write it with -update)", g.file)
		}
	}
}

// TestConfigFiles loads every configuration of testdata/config.
func TestConfigFiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(configDir, "*.json"))
	if len(files) < 4 {
		t.Fatalf("only %d configurations", len(files))
	}
	for _, f := range files {
		if _, err := kernel.LoadConfig(f); err != nil {
			t.Errorf("%v", err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	base, err := os.ReadFile(filepath.Join(configDir, "mastercard-de.json"))
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join(configDir, "../capk/production.txt"))
	base = bytes.Replace(base, []byte(`"../capk/production.txt"`), []byte(`"`+abs+`"`), 1)
	if _, err := kernel.ParseConfig(bytes.NewReader(base)); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, from, to string }{
		{"unknown field", `"terminal": {`, `"terminal": {"colour": "red",`},
		{"bad country", `"country": "DE"`, `"country": "XX"`},
		{"bad currency", `"currency": "EUR"`, `"currency": "XYZ"`},
		{"short capabilities", `"capabilities": "E0F8C8"`, `"capabilities": "E0F8"`},
		{"terminal type RFU", `"type": "22"`, `"type": "77"`},
		{"short AID", `"aid": "A0000000041010"`, `"aid": "A000"`},
		{"short TAC", `"tac_online": "FC50BCF800"`, `"tac_online": "FC50"`},
		{"bad hex", `"tac_online": "FC50BCF800"`, `"tac_online": "XYZ"`},
		{"percent over 99", `"target_percent": 0`, `"target_percent": 120`},
		{"max below target", `"target_percent": 0`, `"target_percent": 50`},
		{"bad policy", `"policy": "issuer-priority"`, `"policy": "coin-toss"`},
		{"bad DDOL", `"default_ddol": "9F3704"`, `"default_ddol": "9F37"`},
		{"missing CA key file", `"ca_keys": "`, `"ca_keys": "nope-`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !bytes.Contains(base, []byte(c.from)) {
				t.Fatalf("%q not in the base file", c.from)
			}
			path := filepath.Join(t.TempDir(), "c.json")
			os.WriteFile(path, bytes.Replace(base, []byte(c.from), []byte(c.to), 1), 0o644)
			if _, err := kernel.LoadConfig(path); !errors.Is(err, kernel.ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestConfigValidateInCode(t *testing.T) {
	c, _ := kernel.DefaultConfig("CN", "CNY")
	c.Applications = nil
	if err := c.Validate(); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("no applications: %v", err)
	}
	c, _ = kernel.DefaultConfig("CN", "CNY")
	c.Applications[0].CVMs = []kernel.CVMethod{"telepathy"}
	if err := c.Validate(); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("unknown CVM: %v", err)
	}
	c, _ = kernel.DefaultConfig("CN", "CNY")
	c.BrandCheck = "maybe"
	if err := c.Validate(); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("brand check: %v", err)
	}
	if _, err := kernel.DefaultConfig("Atlantis", "CNY"); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("bad country: %v", err)
	}
	if _, err := kernel.NewTransaction(nil, nil, kernel.Params{}); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("nil config: %v", err)
	}
	c, _ = kernel.DefaultConfig("CN", "CNY")
	if _, err := kernel.NewTransaction(c, (&conv{}).replayer(), kernel.Params{Amount: -1}); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("negative amount: %v", err)
	}
}
