package kerneltest

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// sampleResults are three results for the report tests: a pass, a
// failure with several differences, and a case that could not run.
var sampleResults = sync.OnceValue(func() []*Result {
	js := `[
	  {"id": "report.pass", "title": "passes", "requirement": "EMV 4.3 Book 3 §10.5", "area": "cvm", ` + domesticOnly + `,
	   "expect": {"result": "online-approved", "cvm_results": "410302"}},
	  {"id": "report.fail", "title": "fails <twice> & \"escapes\"", "requirement": "EMV 4.3 Book 3 §10.6", "area": "risk", ` + domesticOnly + `,
	   "expect": {"result": "approved", "tvr_set": ["lcol-exceeded"]}},
	  {"id": "report.error", "title": "cannot run", "requirement": "none", "area": "risk",
	   "card": {"profile": "no-such-profile"}, "expect": {"result": "approved"}}
	]`
	cases, err := ParseCases([]byte(js), "report.json")
	if err != nil {
		panic(err)
	}
	return (&Runner{}).Run(context.Background(), cases)
})

func TestSampleResults(t *testing.T) {
	rs := sampleResults()
	if !rs[0].Passed || rs[1].Passed || len(rs[1].Differences) != 2 || rs[2].Err == nil {
		t.Fatalf("%s / %s / %s", rs[0].Summary(), rs[1].Summary(), rs[2].Summary())
	}
}

// TestJUnitRoundTrip writes the JUnit report and reads it back with
// encoding/xml: the same suites, counts, failures and errors.
func TestJUnitRoundTrip(t *testing.T) {
	rs := sampleResults()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, rs); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), xml.Header) {
		t.Error("no XML declaration")
	}
	var back JUnitSuites
	dec := xml.NewDecoder(&buf)
	dec.Strict = true
	if err := dec.Decode(&back); err != nil {
		t.Fatalf("the report does not parse: %v", err)
	}
	want := JUnit(rs)
	want.XMLName = back.XMLName
	if !reflect.DeepEqual(&back, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", back, *want)
	}
	if back.Tests != 3 || back.Failures != 1 || back.Errors != 1 || len(back.Suites) != 2 {
		t.Errorf("counts: tests %d failures %d errors %d suites %d", back.Tests, back.Failures, back.Errors, len(back.Suites))
	}
	risk := back.Suites[1]
	if risk.Name != "risk" || risk.Cases[0].Failure == nil || !strings.Contains(risk.Cases[0].Failure.Text, "tvr_set") ||
		risk.Cases[1].Error == nil || !strings.Contains(risk.Cases[0].SystemOut, "> #1 SELECT") {
		t.Errorf("risk suite: %+v", risk)
	}
}

// TestJUnitControlCharacters: text that XML 1.0 cannot carry is dropped,
// so the report still parses.
func TestJUnitControlCharacters(t *testing.T) {
	c := &Case{ID: "ctl", Title: "bell\a and nul\x00", Requirement: "r", Area: "fault"}
	r := &Result{Case: c, Err: errors.New("card said \x01\x02\x1b[31m"), Duration: time.Millisecond}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, []*Result{r}); err != nil {
		t.Fatal(err)
	}
	var back JUnitSuites
	if err := xml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if got := back.Suites[0].Cases[0].Error.Message; got != "card said [31m" {
		t.Errorf("message %q", got)
	}
}

// TestHTMLReport checks that the report is one self-contained page with a
// section per case, its verdict, its checks and its trace, escaped.
func TestHTMLReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, "", sampleResults()); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"<!DOCTYPE html>", `<section id="case-report-pass" class="pass">`, `<section id="case-report-fail" class="fail">`,
		`<section id="case-report-error" class="fail">`, "fails &lt;twice&gt; &amp; &#34;escapes&#34;",
		"tvr_set", "lcol-exceeded set", "APDU trace", "&gt; #1 SELECT", "621234******1232", "EMV 4.3 Book 3 §10.6",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "http://", "https://", "<link", "<img"} {
		if strings.Contains(page, banned) {
			t.Errorf("report is not self-contained: %q", banned)
		}
	}
	if strings.Count(page, "<section ") != 3 {
		t.Errorf("%d sections", strings.Count(page, "<section "))
	}
	if strings.Contains(page, "6212345678901232") {
		t.Error("report shows the PAN")
	}
	// html/template escaped the trace: no raw '<' from it.
	if strings.Contains(page, "< #1") {
		t.Error("unescaped trace")
	}
}

// TestJSONReport decodes the JSON report.
func TestJSONReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleResults()); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Passed, Failed int
		Results        []struct {
			ID          string
			Passed      bool
			Summary     string
			Error       string
			Differences []Difference
			Actual      *Actual
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Passed != 1 || rep.Failed != 2 || len(rep.Results) != 3 {
		t.Fatalf("%+v", rep)
	}
	if r := rep.Results[1]; r.Passed || len(r.Differences) != 2 || r.Actual == nil || r.Actual.Result != "online-approved" {
		t.Errorf("failing case: %+v", r)
	}
	if r := rep.Results[2]; r.Error == "" || r.Actual != nil {
		t.Errorf("error case: %+v", r)
	}
}

func TestSummarise(t *testing.T) {
	s := Summarise(sampleResults())
	if s.Total != 3 || s.Passed != 1 || s.Failed != 2 || s.ByArea["risk"] != 2 || s.FailedByArea["risk"] != 2 {
		t.Errorf("%+v", s)
	}
	if got := strings.Join(s.Areas(), ","); got != "cvm,risk" {
		t.Errorf("areas %s", got)
	}
}
