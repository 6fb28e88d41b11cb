package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/kernel/kerneltest"
)

// certifyRun runs "yixin certify ..." in-process.
func certifyRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{ctx: context.Background(), args: append([]string{"certify"}, args...), stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// caseFile writes case JSON into a temporary directory and returns its path.
func caseFile(t *testing.T, name, js string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const passingCase = `{"id": "cli.pass", "title": "t", "requirement": "EMV 4.3 Book 3 §10.5", "area": "cvm",
  "card": {"profile": "dual-cn", "overrides": {"applications": {"international": null}}},
  "expect": {"result": "online-approved", "cvm_results": "410302"}}`

const failingCase = `{"id": "cli.fail", "title": "t", "requirement": "EMV 4.3 Book 3 §10.6", "area": "risk",
  "card": {"profile": "dual-cn", "overrides": {"applications": {"international": null}}},
  "expect": {"result": "approved", "tvr_clear": ["new-card"]}}`

var summaryLine = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`)

func TestCertifyPasses(t *testing.T) {
	code, out, errs := certifyRun(t, caseFile(t, "p.json", passingCase))
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errs, out)
	}
	if m := summaryLine.FindStringSubmatch(out); m == nil || m[1] != "1" || m[2] != "0" {
		t.Errorf("no summary line in %q", out)
	}
	if strings.Contains(out, "\r") || strings.Contains(out, "\x1b") {
		t.Errorf("progress codes written to a non-terminal: %q", out)
	}
}

func TestCertifyFails(t *testing.T) {
	code, out, _ := certifyRun(t, caseFile(t, "f.json", failingCase), caseFile(t, "p.json", passingCase))
	if code != exitFailure {
		t.Fatalf("exit %d, want %d\n%s", code, exitFailure, out)
	}
	if !strings.Contains(out, "FAIL cli.fail: result: expected approved, got online-approved (and 1 more)\n") {
		t.Errorf("no failure line with the first difference in %q", out)
	}
	if strings.Contains(out, "cli.pass") {
		t.Errorf("a passing case is listed without -v: %q", out)
	}
	if m := summaryLine.FindStringSubmatch(out); m == nil || m[1] != "1" || m[2] != "1" {
		t.Errorf("summary in %q", out)
	}
}

// TestCertifyFlagsAnywhere: flags may follow the paths; -v lists passing
// cases; --run filters.
func TestCertifyFlagsAnywhere(t *testing.T) {
	dir := filepath.Dir(caseFile(t, "both.json", "["+passingCase+","+failingCase+"]"))
	code, out, _ := certifyRun(t, dir, "--run", `^cli\.pass$`, "-v")
	if code != exitOK || !strings.Contains(out, "ok   cli.pass (") || strings.Contains(out, "cli.fail") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCertifyReports(t *testing.T) {
	dir := t.TempDir()
	junit, page := filepath.Join(dir, "out.xml"), filepath.Join(dir, "out.html")
	code, out, errs := certifyRun(t, caseFile(t, "f.json", failingCase), "--junit", junit, "--html", page, "--json")
	if code != exitFailure {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Passed, Failed int
		Results        []struct{ ID, Summary string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if rep.Failed != 1 || rep.Results[0].ID != "cli.fail" {
		t.Errorf("%+v", rep)
	}
	if m := summaryLine.FindStringSubmatch(errs); m == nil || m[2] != "1" {
		t.Errorf("with --json the summary goes to standard error: %q", errs)
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites kerneltest.JUnitSuites
	if err := xml.Unmarshal(b, &suites); err != nil || suites.Failures != 1 || suites.Suites[0].Cases[0].Name != "cli.fail" {
		t.Errorf("JUnit: %v %+v", err, suites)
	}
	if h, err := os.ReadFile(page); err != nil || !bytes.Contains(h, []byte(`<section id="case-cli-fail" class="fail">`)) {
		t.Errorf("HTML report: %v", err)
	}
}

func TestCertifyBadArguments(t *testing.T) {
	good := caseFile(t, "p.json", passingCase)
	bad := caseFile(t, "bad.json", `{"id": "x", "title": "t", "requirement": "r", "area": "nowhere", "expect": {"result": "approved"}}`)
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no paths", nil, "give case files"},
		{"missing file", []string{filepath.Join(t.TempDir(), "none.json")}, "no such file"},
		{"bad case", []string{bad}, "area"},
		{"bad regexp", []string{good, "--run", "("}, "--run"},
		{"nothing matches", []string{good, "--run", "^zzz$"}, "no case to run"},
		{"unknown flag", []string{good, "--frobnicate"}, "frobnicate"},
		{"negative parallel", []string{good, "--parallel", "-1"}, "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := certifyRun(t, tc.args...)
			if code != exitUsage || !strings.Contains(errs, tc.msg) || !strings.HasPrefix(errs, "yixin: certify: ") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, exitUsage, tc.msg)
			}
		})
	}
	if code, out, _ := certifyRun(t, "-h"); code != exitOK || !strings.Contains(out, "usage: yixin certify") {
		t.Errorf("-h: %d %q", code, out)
	}
}

// TestCertifyReportFileError: an unwritable report file is an error.
func TestCertifyReportFileError(t *testing.T) {
	code, _, errs := certifyRun(t, caseFile(t, "p.json", passingCase), "--junit", filepath.Join(t.TempDir(), "no", "such", "dir.xml"))
	if code != exitFailure || !strings.Contains(errs, "dir.xml") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// TestCertifyTerminalProgress: on a terminal the progress line rewrites
// itself; failures stay above it.
func TestCertifyTerminalProgress(t *testing.T) {
	var buf bytes.Buffer
	a := &certifyArgs{}
	p := progressPrinter(&buf, a, true)
	c1 := &kerneltest.Case{ID: "a"}
	c2 := &kerneltest.Case{ID: "b"}
	p(&kerneltest.Result{Case: c1, Passed: true}, 1, 2)
	p(&kerneltest.Result{Case: c2, Err: os.ErrNotExist}, 2, 2)
	want := "\r\x1b[K[1/2] a\r\x1b[KFAIL b: error: file does not exist\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	if isTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
}

// TestCertifyShippedCases runs the repository's case set through the
// command, as CI does.
func TestCertifyShippedCases(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole case set")
	}
	code, out, errs := certifyRun(t, "../../testdata/cases")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	m := summaryLine.FindStringSubmatch(out)
	if m == nil || m[2] != "0" || len(m[1]) < 3 {
		t.Errorf("summary: %q", out)
	}
}
