package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func demoRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{ctx: context.Background(), args: append([]string{"demo"}, args...), stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// TestDemo runs the demonstration and checks its story: in China in CNY
// the domestic application, abroad in USD the international one, both
// approved online after offline data authentication, with an annotated
// trace and a receipt each.
func TestDemo(t *testing.T) {
	code, out, errs := demoRun(t, "--date", "250615", "--time", "101500", "--un", "11223344")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	china, usa, ok := strings.Cut(out, "== 2.")
	if !ok {
		t.Fatalf("no second purchase:\n%s", out)
	}
	for _, c := range []struct {
		part  string
		wants []string
	}{
		{china, []string{"Purchase at a terminal in China", "> #1 SELECT", "GENERATE AC", "Application  UnionPay Credit (A000000333010102)",
			"terminal country 156 and currency 156 equal UnionPay Credit's country and currency", "Also on card Amex Intl",
			"621234******1232", "88.00 CNY", "ODA          SM2 — verified", "Result       ONLINE-APPROVED"}},
		{usa, []string{"United States", "> #1 SELECT", "Application  Amex Intl (A000000025010402)",
			"no candidate is domestic to terminal country 840 and currency 840, so the international application Amex Intl comes first",
			"371234*****0120", "25.00 USD", "ODA          CDA — verified", "offline enciphered PIN", "Result       ONLINE-APPROVED"}},
	} {
		for _, w := range c.wants {
			if !strings.Contains(c.part, w) {
				t.Errorf("missing %q", w)
			}
		}
	}
	// PANs and track 2 are masked everywhere in the trace, including inside
	// the SM2 ICC certificate (9F46, format 14), which carries the PAN in
	// plaintext.
	for _, pan := range []string{"6212345678901232", "371234567890120"} {
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, pan) {
				t.Errorf("PAN in clear: %s", line)
			}
		}
	}
	if code, quiet, _ := demoRun(t, "--quiet", "--date", "250615", "--time", "101500", "--un", "11223344"); code != exitOK || strings.Contains(quiet, "> #1") {
		t.Errorf("--quiet: exit %d, trace printed", code)
	}
}

func TestDemoArguments(t *testing.T) {
	if code, _, errs := demoRun(t, "--date", "991399"); code != exitUsage || !strings.HasPrefix(errs, "yixin: demo: ") {
		t.Errorf("bad date: exit %d, %q", code, errs)
	}
	if code, _, errs := demoRun(t, "extra"); code != exitUsage || errs == "" {
		t.Errorf("extra argument: exit %d", code)
	}
	if code, out, _ := demoRun(t, "-h"); code != exitOK || !strings.Contains(out, "usage: yixin demo") {
		t.Errorf("-h: exit %d", code)
	}
}
