package kerneltest

import (
	"errors"
	"testing"
)

func TestLoadCaseDirectory(t *testing.T) {
	cases, err := Load("../../testdata/cases")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
}

func TestParseCasesErrors(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"unknown member", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"approved","tvr_sett":[]}}`},
		{"bad area", `{"id":"a","title":"t","requirement":"r","area":"odd","expect":{"result":"approved"}}`},
		{"no requirement", `{"id":"a","title":"t","area":"oda","expect":{"result":"approved"}}`},
		{"bad result", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"maybe"}}`},
		{"bad tvr name", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"approved","tvr_set":["sda-fail"]}}`},
		{"bad command", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"approved","commands_in_order":["SELEKT"]}}`},
		{"bad sw", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"approved","commands_in_order":["SELECT -> 90"]}}`},
		{"bad rule", `{"id":"a","title":"t","requirement":"r","area":"oda","card":{"misbehaviour":[{"fault":"melt"}]},"expect":{"result":"approved"}}`},
		{"bad id", `{"id":"a b","title":"t","requirement":"r","area":"oda","expect":{"result":"approved"}}`},
		{"trailing", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"approved"}} {}`},
		{"bad un", `{"id":"a","title":"t","requirement":"r","area":"oda","transaction":{"un":"0102"},"expect":{"result":"approved"}}`},
		{"bad draw", `{"id":"a","title":"t","requirement":"r","area":"oda","transaction":{"random":[0]},"expect":{"result":"approved"}}`},
		{"bad record edit", `{"id":"a","title":"t","requirement":"r","area":"oda","card":{"records":[{"app":"x","sfi":0,"record":1}]},"expect":{"result":"approved"}}`},
		{"bad key ref", `{"id":"a","title":"t","requirement":"r","area":"oda","terminal":{"ca_keys":{"revoke":["A000000025/F1"]}},"expect":{"result":"approved"}}`},
		{"bad error name", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"terminated","error":"oops"}}`},
		{"bad card_after member", `{"id":"a","title":"t","requirement":"r","area":"oda","expect":{"result":"approved","card_after":{"domestic":{"blockd":false}}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCases([]byte(tc.json), "x.json")
			if !errors.Is(err, ErrCase) {
				t.Fatalf("got %v, want an error wrapping ErrCase", err)
			}
			var ce *CaseError
			if !errors.As(err, &ce) || ce.File != "x.json" {
				t.Fatalf("got %v, want a *CaseError naming the file", err)
			}
		})
	}
}

func TestParseCaseGroup(t *testing.T) {
	const group = `{
	  "defaults": {"title": "t", "requirement": "r", "area": "cvm",
	               "card": {"profile": "sda", "counters": {"amex": {"pin_tries": 1}}},
	               "expect": {"result": "approved", "tvr_set": ["new-card"]}},
	  "cases": [
	    {"id": "a"},
	    {"id": "b", "card": {"counters": {"amex": {"atc": 5}}}, "expect": {"tvr_set": ["sda-failed"]}}
	  ]
	}`
	cases, err := ParseCases([]byte(group), "g.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].ID != "a" || cases[1].ID != "b" {
		t.Fatalf("got %d cases", len(cases))
	}
	if cases[0].Card.Profile != "sda" || cases[1].Card.Profile != "sda" {
		t.Errorf("defaults not applied: %q %q", cases[0].Card.Profile, cases[1].Card.Profile)
	}
	if got := string(cases[1].Card.Counters["amex"]); got != `{"atc":5,"pin_tries":1}` {
		t.Errorf("objects merge: got %s", got)
	}
	if len(cases[1].Expect.TVRSet) != 1 || cases[1].Expect.TVRSet[0] != "sda-failed" {
		t.Errorf("arrays replace: got %v", cases[1].Expect.TVRSet)
	}
	if string(cases[0].Card.Counters["amex"]) != `{"pin_tries":1}` {
		t.Errorf("one case's patch leaked into the defaults of another: %s", cases[0].Card.Counters["amex"])
	}
	// A null in a case is kept, not a deletion of the default: here it
	// removes an application in the profile overrides.
	const nulls = `{
	  "defaults": {"title": "t", "requirement": "r", "area": "cvm", "expect": {"result": "approved"},
	               "card": {"overrides": {"applications": {"international": null}}}},
	  "cases": [{"id": "n", "card": {"overrides": {"applications": {"international": null, "domestic": {"pin": "9999"}}}}}]
	}`
	cases, err = ParseCases([]byte(nulls), "g.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(cases[0].Card.Overrides); got != `{"applications":{"domestic":{"pin":"9999"},"international":null}}` {
		t.Errorf("null in a group case: got %s", got)
	}
	if _, err := ParseCases([]byte(`{"defaults": {}, "cases": [{"id": "x", "oops": 1}]}`), "g.json"); !errors.Is(err, ErrCase) {
		t.Errorf("unknown member in a group case: got %v", err)
	}
}

func TestCommandPatterns(t *testing.T) {
	x := Exchange{Name: "GENERATE AC", Header: [4]byte{0x80, 0xAE, 0x90, 0x00}, Data: []byte{1, 2, 3}, SW: 0x9000}
	for _, tc := range []struct {
		pattern string
		want    bool
	}{
		{"GENERATE AC", true},
		{"GENERATE AC P1=90", true},
		{"GENERATE AC P1=80", false},
		{"GENERATE AC P1=90 P2=00 -> 9000", true},
		{"GENERATE AC P2=01", false},
		{"GENERATE AC 0102", true},
		{"GENERATE AC P1=90 0103", false},
		{"GENERATE AC -> 6985", false},
		{"GET DATA", false},
	} {
		p, err := parseCommandPattern(tc.pattern)
		if err != nil {
			t.Errorf("%q: %v", tc.pattern, err)
			continue
		}
		if got := p.matches(x); got != tc.want {
			t.Errorf("%q matches %v: got %v, want %v", tc.pattern, x, got, tc.want)
		}
	}
	sel := Exchange{Name: "SELECT", Header: [4]byte{0x00, 0xA4, 0x04, 0x00}, Data: []byte("1PAY.SYS.DDF01"), SW: 0x6A82}
	for _, s := range []string{"SELECT 1PAY.SYS.DDF01", "SELECT 315041592E5359532E4444463031 -> 6A82", "SELECT 1PAY -> 6A82"} {
		p, err := parseCommandPattern(s)
		if err != nil || !p.matches(sel) {
			t.Errorf("%q should match the SELECT of the PSE (%v)", s, err)
		}
	}
	for _, bad := range []string{"GENERATE AC P1=9", "GENERATE AC P1=XY", "NOT A COMMAND", "SELECT -> 9",
		"READ RECORD 0C", "GET DATA 9F17", "VERIFY 24", "PIN CHANGE/UNBLOCK 8424"} {
		if _, err := parseCommandPattern(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
