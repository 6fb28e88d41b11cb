package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// odaRun runs "yixin oda ..." in-process.
func odaRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{ctx: context.Background(), args: append([]string{"oda"}, args...), stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

const (
	prodKeys = "../../testdata/capk/production.txt"
	testKeys = "../../testdata/capk/test.txt"
	images   = "../../testdata/images/"
)

// TestODAVerifyVectors verifies, end to end, the card images built from
// published data (testdata/images/README.md): the real Mastercard debit
// card of MichaelsPlayground/TalkToYourCreditCardPart7 logfile.md, and the
// SDA, DDA and CDA vectors of RfidResearchGroup/proxmark3
// client/src/emv/test/{sda,dda,cda}_test.c. Expected values are those the
// sources publish (shared/refs/VECTORS.md).
func TestODAVerifyVectors(t *testing.T) {
	for _, c := range []struct {
		image, date string
		want        map[string]any
	}{
		{"mastercard-debit.json", "240301", map[string]any{
			"aid": "A0000000041010", "issuer_id": "537505FF", "issuer_expiry": "1224", "issuer_cert_ok": true,
			"icc_pan": "5375050000160110FFFF", "icc_expiry": "0324", "icc_cert_ok": true,
		}},
		{"visa-sda.json", "081201", map[string]any{
			"aid": "A0000000031010", "issuer_id": "427655FF", "issuer_expiry": "1209", "issuer_cert_ok": true,
			"sda_ok": true, "sda_dac": "3132",
		}},
		{"mastercard-dda-cda.json", "150101", map[string]any{
			"aid": "A0000000041010", "issuer_id": "528588FF", "issuer_expiry": "1221", "issuer_cert_ok": true,
			"icc_pan": "5285881254345653FFFF", "icc_expiry": "0615", "icc_cert_ok": true,
			"dda_ok": true, "dda_idn": "7A33FB8C9546E1E7",
			"cda_ok": true, "cda_idn": "4CC2FB1FAFB30915", "cda_cid": "40", "cda_ac": "16AFBA13C52FB173",
		}},
	} {
		t.Run(c.image, func(t *testing.T) {
			code, out, errs := odaRun(t, "verify", "--capk", prodKeys, "--image", images+c.image, "--date", c.date, "--json", "--reveal")
			if code != exitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q, stdout %s", code, errs, out)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if f, ok := got["failures"].([]any); !ok || len(f) != 0 {
				t.Errorf("failures = %v, want []", got["failures"])
			}
			delete(got, "failures")
			if len(got) != len(c.want) {
				t.Errorf("fields %v, want exactly %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

// Without --reveal the PAN is masked (first 6, last 4 digits), in JSON and
// in text.
func TestODAVerifyMasksPAN(t *testing.T) {
	code, out, _ := odaRun(t, "verify", "--capk", prodKeys, "--image", images+"mastercard-debit.json", "--date", "240301", "--json")
	if code != exitOK || !strings.Contains(out, `"icc_pan": "537505******0110FFFF"`) || strings.Contains(out, "0000160") {
		t.Errorf("exit %d, output %s", code, out)
	}
	code, out, _ = odaRun(t, "verify", "--capk", prodKeys, "--image", images+"mastercard-debit.json", "--date", "240301")
	want := "application A0000000041010\n" +
		"  issuer certificate   ok     issuer 537505FF, expiry 1224 (MMYY)\n" +
		"  ICC certificate      ok     PAN 537505******0110FFFF, expiry 0324 (MMYY)\n" +
		"  result: ok\n"
	if code != exitOK || out != want {
		t.Errorf("exit %d, text output\n%s\nwant\n%s", code, out, want)
	}
}

// The generated dual-application card: a domestic SM2 application and an
// international RSA one, verified application by application.
func TestODAVerifyApplications(t *testing.T) {
	code, out, errs := odaRun(t, "verify", "--capk", "../../testdata/capk/yixin-test.txt", "--image", images+"yixin-dual.json", "--date", "250630", "--json")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q, stdout %s", code, errs, out)
	}
	var got struct {
		Applications []map[string]any `json:"applications"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Applications) != 2 {
		t.Fatalf("%v: %s", err, out)
	}
	for i, aid := range []string{"A000000333010101", "A00000002501"} {
		a := got.Applications[i]
		if a["aid"] != aid || a["sda_ok"] != true || a["dda_ok"] != true || a["cda_ok"] != true || a["cda_ac"] != "0102030405060708" {
			t.Errorf("application %d: %v", i, a)
		}
	}
}

func TestODAVerifyFailures(t *testing.T) {
	// Today the Mastercard card's certificates have expired (12/24).
	code, out, _ := odaRun(t, "verify", "--capk", prodKeys, "--image", images+"mastercard-debit.json", "--date", "250101", "--json")
	if code != exitFailure || !strings.Contains(out, `"issuer_cert_ok": false`) || !strings.Contains(out, "certificate expired") {
		t.Errorf("expired: exit %d, %s", code, out)
	}
	// The test key set's key 05 is not the production one.
	code, out, _ = odaRun(t, "verify", "--capk", testKeys, "--image", images+"mastercard-dda-cda.json", "--date", "150101")
	if code != exitFailure || !strings.Contains(out, "result: FAILED") || !strings.Contains(out, "certificate or signature length differs") {
		t.Errorf("wrong key set: exit %d, %s", code, out)
	}
	// A key file with a wrong checksum names the line.
	dir := t.TempDir()
	keys, _ := os.ReadFile(prodKeys)
	bad := strings.Replace(string(keys), "eb:fa:0d:5d", "eb:fa:0d:5e", 1)
	badPath := filepath.Join(dir, "bad.txt")
	os.WriteFile(badPath, []byte(bad), 0o644)
	code, _, errs := odaRun(t, "verify", "--capk", badPath, "--image", images+"mastercard-debit.json")
	if code != exitFailure || !strings.HasPrefix(errs, "yixin: ") || !strings.Contains(errs, "line 21") || !strings.Contains(errs, "checksum") {
		t.Errorf("bad checksum: exit %d, stderr %q", code, errs)
	}
	// A malformed image.
	imgPath := filepath.Join(dir, "img.json")
	os.WriteFile(imgPath, []byte(`{"aid":"A0000000041010","aip":"1980","afl":"0801","records":[]}`), 0o644)
	code, _, errs = odaRun(t, "verify", "--capk", prodKeys, "--image", imgPath)
	if code != exitFailure || !strings.Contains(errs, "afl") {
		t.Errorf("bad image: exit %d, stderr %q", code, errs)
	}
}

func TestODAVerifyUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{nil, exitUsage, ""},
		{[]string{"sign"}, exitUsage, "unknown subcommand"},
		{[]string{"verify"}, exitUsage, "--capk and --image are required"},
		{[]string{"verify", "--capk", prodKeys}, exitUsage, "required"},
		{[]string{"verify", "--capk", prodKeys, "--image", images + "visa-sda.json", "--date", "081332"}, exitUsage, "--date"},
		{[]string{"verify", "--capk", prodKeys, "--image", images + "visa-sda.json", "extra"}, exitUsage, "unexpected argument"},
		{[]string{"verify", "--bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"verify", "--capk", "/nonexistent/keys", "--image", images + "visa-sda.json"}, exitUsage, "no such file"},
		{[]string{"verify", "--capk", prodKeys, "--image", "/nonexistent/image"}, exitUsage, "no such file"},
	} {
		code, _, errs := odaRun(t, c.args...)
		if code != c.code || (c.err != "" && (!strings.HasPrefix(errs, "yixin: ") || !strings.Contains(errs, c.err))) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.err)
		}
	}
	for _, h := range [][]string{{"-h"}, {"verify", "-h"}, {"verify", "--help"}} {
		if code, out, _ := odaRun(t, h...); code != exitOK || !strings.HasPrefix(out, "usage: yixin oda verify") {
			t.Errorf("%v: exit %d", h, code)
		}
	}
}
