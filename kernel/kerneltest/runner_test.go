package kerneltest

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

// domesticOnly is a card whose personalisation is cheap (SM2 keys only).
const domesticOnly = `"card": {"profile": "dual-cn", "overrides": {"applications": {"international": null}}}`

func parseOne(t *testing.T, js string) *Case {
	t.Helper()
	cs, err := ParseCases([]byte(js), "inline.json")
	if err != nil {
		t.Fatal(err)
	}
	return cs[0]
}

// TestRunnerReportsEveryDifference runs a case whose expectations are
// wrong in many ways and checks that each wrong one is reported, in the
// order of the Expect members, and the right ones are not.
func TestRunnerReportsEveryDifference(t *testing.T) {
	c := parseOne(t, `{"id": "wrong", "title": "t", "requirement": "r", "area": "cvm", `+domesticOnly+`,
	  "expect": {
	    "result": "declined",
	    "aid": "A000000333010102",
	    "selection_rule": "issuer-priority",
	    "tvr_set": ["sda-failed", "new-card"],
	    "tvr_clear": ["floor-limit-exceeded"],
	    "cvm_results": "1F0002",
	    "cid": ["ARQC", "TC"],
	    "commands_in_order": ["GET PROCESSING OPTIONS", "SELECT"],
	    "commands_absent": ["VERIFY"],
	    "de55_contains": ["9F26", "5A"],
	    "reversal": false
	  }}`)
	r := (&Runner{}).RunCase(context.Background(), c)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	var fields []string
	for _, d := range r.Differences {
		fields = append(fields, d.Field)
	}
	want := []string{"result", "selection_rule", "tvr_set", "tvr_clear", "cvm_results", "commands_in_order", "commands_absent", "de55_contains"}
	if strings.Join(fields, " ") != strings.Join(want, " ") {
		t.Errorf("differences %v, want fields %v\n%v", fields, want, r.Differences)
	}
	if r.Passed {
		t.Error("passed with wrong expectations")
	}
	if !strings.HasPrefix(r.Summary(), "result: expected declined, got online-approved") || !strings.Contains(r.Summary(), "(and 7 more)") {
		t.Errorf("summary %q", r.Summary())
	}
	var ok int
	for _, ch := range r.Checks {
		if ch.OK {
			ok++
		}
	}
	// aid, tvr_set new-card, cid, commands_in_order GET PROCESSING
	// OPTIONS, de55_contains 9F26, reversal.
	if ok != 6 {
		t.Errorf("%d checks held, want 6: %v", ok, r.Checks)
	}
}

// TestRunnerDeterministic runs a case twice: the same outcome, the same
// trace, byte for byte.
func TestRunnerDeterministic(t *testing.T) {
	c := parseOne(t, `{"id": "det", "title": "t", "requirement": "r", "area": "online", `+domesticOnly+`,
	  "transaction": {"amount": 777}, "expect": {"result": "online-approved"}}`)
	a := (&Runner{}).RunCase(context.Background(), c)
	b := (&Runner{}).RunCase(context.Background(), c)
	if !a.Passed || !b.Passed {
		t.Fatalf("%v / %v", a.Summary(), b.Summary())
	}
	if a.Trace != b.Trace || a.Actual.DE55 != b.Actual.DE55 || a.Actual.TVR != b.Actual.TVR {
		t.Error("two runs of the same case differ")
	}
	if a.Actual.de55["9F37"] == "" || a.Actual.de55["9F26"] == "" {
		t.Fatal("no UN or cryptogram in DE 55")
	}
	// Another ID gives another unpredictable number.
	c2 := *c
	c2.ID = "det2"
	if other := (&Runner{}).RunCase(context.Background(), &c2); other.Actual.de55["9F37"] == a.Actual.de55["9F37"] {
		t.Error("two cases share an unpredictable number")
	}
}

// TestTraceMasksSecrets checks that a case's trace never shows the PAN,
// track 2 or the PIN.
func TestTraceMasksSecrets(t *testing.T) {
	c := parseOne(t, `{"id": "mask", "title": "t", "requirement": "r", "area": "cvm", `+domesticOnly+`,
	  "expect": {"result": "online-approved", "commands_in_order": ["VERIFY -> 9000"]}}`)
	r := (&Runner{}).RunCase(context.Background(), c)
	if !r.Passed {
		t.Fatal(r.Summary())
	}
	for _, secret := range []string{"6212345678901232", "5678901", "241234FFFFFFFFFF"} {
		if strings.Contains(r.Trace, secret) {
			t.Errorf("trace shows %q", secret)
		}
	}
	if !strings.Contains(r.Trace, "621234******1232") {
		t.Error("trace lacks the masked PAN")
	}
}

// TestRunnerSetupErrors: a case that cannot be built fails with a
// CaseError, not a panic and not a pass.
func TestRunnerSetupErrors(t *testing.T) {
	for name, js := range map[string]string{
		"unknown application in counters": `"card": {"counters": {"nope": {"atc": 1}}}`,
		"unknown application in records":  `"card": {"records": [{"app": "nope", "sfi": 1, "record": 1, "remove": ["57"]}]}`,
		"record not on the card":          `"card": {"records": [{"app": "domestic", "sfi": 9, "record": 1, "remove": ["57"]}]}`,
		"unknown profile":                 `"card": {"profile": "nope"}`,
		"profile override invalid":        `"card": {"overrides": {"applications": {"domestic": {"pan": "1234"}}}}`,
		"profile override unknown app":    `"card": {"overrides": {"applications": {"nope": {"pin": "1"}}}}`,
		"terminal patch unknown member":   `"terminal": {"patch": {"no_such_member": true}}`,
		"terminal application unknown":    `"terminal": {"applications": {"A0000009999999": {"floor_limit": 1}}}`,
		"counters unknown member":         `"card": {"counters": {"domestic": {"atcc": 1}}}`,
		"config file missing":             `"terminal": {"config": "does-not-exist.json"}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := parseOne(t, `{"id": "e", "title": "t", "requirement": "r", "area": "oda", `+js+`, "expect": {"result": "approved"}}`)
			r := (&Runner{}).RunCase(context.Background(), c)
			if r.Passed || r.Err == nil || !errors.Is(r.Err, ErrCase) {
				t.Fatalf("got passed=%v err=%v, want a CaseError", r.Passed, r.Err)
			}
			if !strings.HasPrefix(r.Summary(), "error: ") {
				t.Errorf("summary %q", r.Summary())
			}
		})
	}
}

// TestRunnerOrderAndProgress runs cases in parallel: results come back in
// the order of the cases, and Progress counts each once.
func TestRunnerOrderAndProgress(t *testing.T) {
	var cases []*Case
	for _, id := range []string{"p1", "p2", "p3", "p4", "p5"} {
		cases = append(cases, parseOne(t, `{"id": "`+id+`", "title": "t", "requirement": "r", "area": "risk", `+domesticOnly+`, "expect": {"result": "online-approved"}}`))
	}
	seen := map[string]bool{}
	last := 0
	r := &Runner{Parallel: 3, Progress: func(res *Result, done, total int) {
		if total != 5 || done != last+1 || seen[res.Case.ID] {
			t.Errorf("progress %d/%d for %s after %d", done, total, res.Case.ID, last)
		}
		seen[res.Case.ID], last = true, done
	}}
	results := r.Run(context.Background(), cases)
	for i, res := range results {
		if res.Case != cases[i] || !res.Passed {
			t.Errorf("result %d: %s %s", i, res.Case.ID, res.Summary())
		}
	}
	if f := Filter(cases, regexp.MustCompile(`^p[24]$`)); len(f) != 2 || f[0].ID != "p2" || f[1].ID != "p4" {
		t.Errorf("Filter: %v", f)
	}
}

// TestRecordEdit checks the record edits on a template 70.
func TestRecordEdit(t *testing.T) {
	rec := []byte{0x70, 0x08, 0x5F, 0x24, 0x03, 0x30, 0x12, 0x31, 0x9F, 0x07} // truncated on purpose
	if _, err := (&RecordEdit{Remove: []string{"5F24"}}).apply(rec); err == nil {
		t.Error("a malformed record was edited")
	}
	rec = []byte{0x70, 0x0B, 0x5F, 0x24, 0x03, 0x30, 0x12, 0x31, 0x9F, 0x07, 0x02, 0xFF, 0x00}
	got, err := (&RecordEdit{Set: map[string]string{"5F24": "251231", "9F08": "0030"}, Remove: []string{"9F07"}}).apply(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := "70 0B 5F24 03 251231 9F08 02 0030"; hexU(got) != strings.ReplaceAll(want, " ", "") {
		t.Errorf("got %s, want %s", hexU(got), want)
	}
	got, err = (&RecordEdit{Raw: "71 02 9F 14"}).apply(rec)
	if err != nil || hexU(got) != "71029F14" {
		t.Errorf("raw: %X %v", got, err)
	}
}

// TestTerminalOverrides checks the terminal configuration a case builds.
func TestTerminalOverrides(t *testing.T) {
	c := parseOne(t, `{"id": "term", "title": "t", "requirement": "r", "area": "risk",
	  "terminal": {"country": "DE", "currency": "EUR", "type": "23", "policy": "cardholder-choice",
	               "aids": ["A000000333010102", "A00000002501"],
	               "application": {"floor_limit": 1234},
	               "applications": {"A00000002501": {"tac_online": "FFFFFFFFFF"}},
	               "patch": {"brand_check": "off"},
	               "exceptions": ["1234567890123456"], "logged_amount": 99},
	  "expect": {"result": "approved"}}`)
	cfg, err := c.terminalConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Terminal.Country != 276 || cfg.Terminal.Currency != 978 || hexU(cfg.Terminal.Type) != "23" || cfg.Selection.Policy != "cardholder-choice" || cfg.BrandCheck != "off" {
		t.Errorf("terminal %+v selection %+v brand %q", cfg.Terminal, cfg.Selection, cfg.BrandCheck)
	}
	if len(cfg.Applications) != 2 || hexU(cfg.Applications[0].AID) != "A000000333010102" || hexU(cfg.Applications[1].AID) != "A00000002501" {
		t.Fatalf("applications %v", cfg.Applications)
	}
	if cfg.Applications[0].FloorLimit != 1234 || cfg.Applications[1].FloorLimit != 1234 {
		t.Error("floor limit not applied to every application")
	}
	if hexU(cfg.Applications[1].TACOnline) != "FFFFFFFFFF" || hexU(cfg.Applications[0].TACOnline) == "FFFFFFFFFF" {
		t.Error("per-AID patch")
	}
	if cfg.Exceptions == nil || !cfg.Exceptions.Listed("1234567890123456", nil) || cfg.Log == nil || cfg.Log.Total("x", nil) != 99 {
		t.Error("exception file or log")
	}
}

// TestREADMENames checks that the README's tables list exactly the short
// names the package knows.
func TestREADMENames(t *testing.T) {
	b, err := os.ReadFile("../../testdata/cases/README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, n := range tvrNames {
		if !strings.Contains(readme, "| `"+n.name+"` |") {
			t.Errorf("README lacks TVR name %s", n.name)
		}
	}
	for _, n := range tsiNames {
		if !strings.Contains(readme, "| `"+n.name+"` |") {
			t.Errorf("README lacks TSI name %s", n.name)
		}
	}
	for _, e := range errorNames {
		if !strings.Contains(readme, "`"+e.name+"`") {
			t.Errorf("README lacks error name %s", e.name)
		}
	}
	rows := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| byte").FindAllStringSubmatch(readme, -1)
	for _, r := range rows {
		if _, err := lookupTVR(r[1]); err != nil {
			if _, err := lookupTSI(r[1]); err != nil {
				t.Errorf("README names %s, which the package does not know", r[1])
			}
		}
	}
}

// TestREADMEExamples runs the complete cases the README shows, so that the
// documentation stays true.
func TestREADMEExamples(t *testing.T) {
	b, err := os.ReadFile("../../testdata/cases/README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(\\{\n  \"id\".*?\n\\})\n```").FindAllSubmatch(b, -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d complete examples", len(blocks))
	}
	r := &Runner{}
	for _, m := range blocks {
		c := parseOne(t, string(m[1]))
		if res := r.RunCase(context.Background(), c); !res.Passed {
			t.Errorf("README example %s: %s", c.ID, res.Summary())
		}
	}
}
