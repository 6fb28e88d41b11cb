package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// runCmd runs yixin in-process with the given arguments and standard input.
func runTLVCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(&env{ctx: context.Background(), args: append([]string{"tlv"}, args...), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// The GPO response and SFI 2 record 1 of a real Mastercard debit card
// (MichaelsPlayground/TalkToYourCreditCardPart7 logfile.md, quoted in
// shared/refs/VECTORS.md).
const (
	realGPO    = "771282021980940C080101001001010120010200"
	realRecord = "7081A69F420209785F25032203015F24032403315A0853750500001601105F3401009F0702FFC09F080200028C279F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34039F21039F7C148D0C910A8A0295059F37049F4C088E0E000000000000000042031E031F039F0D05B4508400009F0E0500000000009F0F05B4708480005F280202809F4A018257135375050000160110D24032212794329000000F"
)

func TestTLVTree(t *testing.T) {
	code, out, errOut := runTLVCmd(t, "", realGPO)
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"77 Response Message Template Format 2 (18 bytes)",
		"  82 Application Interchange Profile (AIP): 1980",
		"CDA supported",
		"  94 Application File Locator (AFL): 080101001001010120010200",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTLVMasking(t *testing.T) {
	_, out, _ := runTLVCmd(t, "", realRecord)
	if strings.Contains(out, "5375050000160110") {
		t.Fatalf("PAN in clear by default:\n%s", out)
	}
	if !strings.Contains(out, "537505******0110") {
		t.Errorf("masked PAN missing:\n%s", out)
	}
	_, out, _ = runTLVCmd(t, "", "--reveal", realRecord)
	if !strings.Contains(out, "5A Application Primary Account Number (PAN): 5375050000160110") {
		t.Errorf("--reveal does not show the PAN:\n%s", out)
	}
	_, js, _ := runTLVCmd(t, "", "--json", realRecord)
	if strings.Contains(js, "5375050000160110") {
		t.Fatalf("PAN in clear in JSON by default")
	}
}

func TestTLVJSON(t *testing.T) {
	code, out, _ := runTLVCmd(t, realGPO+" 9F2701 80", "--json", "--reveal")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var got []struct {
		Tag, Name, Value string
		Bits             []string
		Children         []struct{ Tag, Name, Value string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != 2 || got[0].Tag != "77" || len(got[0].Children) != 2 || got[1].Tag != "9F27" || got[1].Children != nil {
		t.Fatalf("got %+v", got)
	}
	if c := got[0].Children[0]; c.Tag != "82" || c.Value != "1980" || c.Name != "Application Interchange Profile (AIP)" {
		t.Errorf("first child %+v", c)
	}
	// Arguments are ignored when empty; standard input is read.
	code, out, _ = runTLVCmd(t, "9F2701\n80\n", "--json")
	if code != exitOK || !strings.Contains(out, `"tag": "9F27"`) || !strings.Contains(out, "ARQC") {
		t.Errorf("stdin: exit %d\n%s", code, out)
	}
}

func TestTLVErrors(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"bertlv panic input", "", []string{"5A88FFFFFFFFFFFFFFFF"}, exitFailure, "at byte 1"},
		{"truncated value", "", []string{"9F2608 0102"}, exitFailure, "at byte 3"},
		{"indefinite length", "", []string{"7080"}, exitFailure, "indefinite"},
		{"not hex", "", []string{"5A0G"}, exitFailure, "position 3"},
		{"odd digits", "", []string{"5A0"}, exitFailure, "odd number"},
		{"nothing", "", nil, exitFailure, "no data"},
		{"bad flag", "", []string{"--nope"}, exitUsage, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runTLVCmd(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if !strings.HasPrefix(errOut, "yixin: ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q, want one line starting \"yixin: \" containing %q", errOut, tt.want)
			}
		})
	}
}

func TestTLVMasksSM2Certificate(t *testing.T) {
	// The UnionPay test card's SM2 ICC certificate (shared/refs/DOMESTIC.md).
	cert := "143104895199900000003F124000003104001140307E7978B05F376E1155351E115771040E1F463133AE426E34B3303CAD50C7C7724E44A8FA5C11933AA7B1F57A1C49F389E6A785C9F08B07594A35AF4144826FDE70E59AD7D2F9215D1685AFFE4864F5C631188CF9C9BC2055F537EFB37D5EFB7AECBC3F0826CA2579008464D0863DBDDB3F9219DBBF04A0B4BC67DA4EE36358"
	_, out, _ := runTLVCmd(t, "", "9F468194"+cert)
	if strings.Contains(out, "31048951") || !strings.Contains(out, "14********************124000") {
		t.Errorf("PAN not masked:\n%s", out)
	}
	_, out, _ = runTLVCmd(t, "", "--reveal", "9F468194"+cert)
	if !strings.Contains(out, cert) {
		t.Errorf("--reveal hides the certificate:\n%s", out)
	}
}
