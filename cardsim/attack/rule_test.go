package attack

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestDocExample checks that the JSON of the package documentation is
// the file testdata/rules/doc-example.json and parses.
func TestDocExample(t *testing.T) {
	b, err := os.ReadFile("testdata/rules/doc-example.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var inDoc []string
	for _, l := range strings.Split(string(doc), "\n") {
		if s, ok := strings.CutPrefix(l, "//\t"); ok && (strings.HasPrefix(s, "[") || strings.HasPrefix(s, " ") || strings.HasPrefix(s, "]")) {
			inDoc = append(inDoc, s)
			if s == "]" {
				break
			}
		}
	}
	if got, want := strings.Join(inDoc, "\n"), strings.TrimSpace(string(b)); got != want {
		t.Errorf("doc.go example differs from the test file:\n%s\nwant\n%s", got, want)
	}
	rules, err := ParseRules(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 11 || rules[0].At != 5 || rules[0].Fault != "6F00" || rules[1].Name != "wedge" {
		t.Errorf("parsed %+v", rules)
	}
	if r := rules[5]; r.FromNth != 2 || *r.P2 != 0x14 || len(r.Set) != 1 || r.Set[0].Tag != 0x5F24 || r.Set[0].Value.String() != "301231" {
		t.Errorf("rule 5: %+v", r)
	}
}

// TestTestdataRules parses every rule file and builds a Transport of it.
func TestTestdataRules(t *testing.T) {
	files, _ := filepath.Glob("testdata/rules/*.json")
	if len(files) < 4 {
		t.Fatalf("only %d rule files", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := ParseRules(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if _, err := New(&fakeCard{}, rules...); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestConstructorsRoundTrip: the rules of every constructor are valid,
// and their JSON parses back to the same rules.
func TestConstructorsRoundTrip(t *testing.T) {
	var rules []Rule
	rules = append(rules, Wedge(), DFNameSwap(hx(aidDomestic), hx(aidIntl)), StripCDA(), WithoutCDA(true), WithoutCDA(false),
		AIPDowngrade(0x2100), ChangeRecord(2, 1, 2, Edit{Tag: 0x5A, Value: hx("4111111111111111")}), RemoveAt(4), FaultAt(3, "6F00"))
	rules = append(rules, BrandMixup(hx(aidIntl), hx(aidDomestic))...)
	rules = append(rules, GetResponseForever(0x20)...)
	for i := range rules {
		if err := rules[i].Validate(); err != nil {
			t.Errorf("%s: %v", rules[i].Name, err)
		}
	}
	b, err := json.Marshal(rules)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseRules(b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if !reflect.DeepEqual(back, rules) {
		t.Errorf("round trip:\n%+v\nwant\n%+v\nJSON %s", back, rules, b)
	}
	if !strings.Contains(string(b), `{"name":"wedge","ins":"20","answer":"9000"}`) {
		t.Errorf("wedge JSON: %s", b)
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct {
		name, json string
		index      int
		field      string
	}{
		{"not JSON", `[{"at": }]`, 0, ""},
		{"not an array", `"wedge"`, 0, ""},
		{"unknown field", `[{"at": 1, "fault": "6F00"}, {"att": 2}]`, 1, ""},
		{"trailing data", `{"at": 1} {}`, 0, ""},
		{"bad hex", `[{"ins": "2G", "answer": "9000"}]`, 0, ""},
		{"byte too long", `[{"ins": "2000"}]`, 0, ""},
		{"bad tag", `[{"strip": ["9F"]}]`, 0, ""},
		{"bad status word", `[{"sw": "900"}]`, 0, ""},
		{"negative position", `[{"at": -1, "fault": "error"}]`, 0, "at"},
		{"at and from", `[{"at": 1, "from": 2, "fault": "error"}]`, 0, "at"},
		{"nth and from_nth", `[{"nth": 1, "from_nth": 2, "fault": "error"}]`, 0, "nth"},
		{"data and data_prefix", `[{"data": "A0", "data_prefix": "A0", "fault": "error"}]`, 0, "data"},
		{"unknown fault", `[{"fault": "explode"}]`, 0, "fault"},
		{"short status word fault", `[{"fault": "6F0"}]`, 0, "fault"},
		{"answer and fault", `[{"answer": "9000", "fault": "error"}]`, 0, "fault"},
		{"empty answer", `[{"answer": ""}]`, 0, "answer"},
		{"forward alone", `[{"forward": true}]`, 0, "forward"},
		{"fault with edits", `[{"fault": "6F00", "strip": ["9F4B"]}]`, 0, "fault"},
		{"garbage without the fault", `[{"fault": "error", "garbage": "00"}]`, 0, "garbage"},
		{"empty AID", `[{"replace_aid": {"from": "", "to": "A0000000031010"}}]`, 0, "replace_aid"},
		{"long AID", `[{"replace_aid": {"from": "A0000000031010", "to": "A000000003101011223344556677889900"}}]`, 0, "replace_aid"},
		{"edit without tag", `[{"set": [{"value": "00"}]}]`, 0, "set"},
		{"empty mask", `[{"xor": [{"tag": "5A", "value": ""}]}]`, 0, "xor"},
		{"oversize_len alone", `[{"oversize_len": 300}]`, 0, "oversize_len"},
		{"oversize_len too big", `[{"oversize": ["5A"], "oversize_len": 70000}]`, 0, "oversize_len"},
		{"negative truncate", `[{"truncate": -2}]`, 0, "truncate"},
		{"second rule named", `[{"at": 1, "fault": "error"}, {"name": "x", "times": -1}]`, 1, "times"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules([]byte(tt.json))
			if !errors.Is(err, ErrRule) {
				t.Fatalf("error %v, want ErrRule", err)
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %T is not a *RuleError", err)
			}
			if re.Index != tt.index || (tt.field != "" && re.Field != tt.field) {
				t.Errorf("rule %d field %q, want rule %d field %q (%v)", re.Index, re.Field, tt.index, tt.field, err)
			}
			if tt.name == "second rule named" && (re.Name != "x" || !strings.Contains(err.Error(), `rule 1 "x" field times`)) {
				t.Errorf("message %q", err)
			}
		})
	}
}

// TestNewValidates: New refuses an invalid rule with its index.
func TestNewValidates(t *testing.T) {
	_, err := New(&fakeCard{}, Wedge(), Rule{Action: Action{Fault: "boom"}})
	var re *RuleError
	if !errors.As(err, &re) || re.Index != 1 || !errors.Is(err, ErrRule) {
		t.Errorf("error %v, want a RuleError of rule 1", err)
	}
}

func TestParseRulesSingleAndEmpty(t *testing.T) {
	rules, err := ParseRules([]byte(" \n{\"name\": \"wedge\", \"ins\": \"20\", \"answer\": \"90 00\"}\n"))
	if err != nil || len(rules) != 1 || !reflect.DeepEqual(rules[0], Wedge()) {
		t.Errorf("single rule: %+v, %v", rules, err)
	}
	rules, err = ParseRules([]byte("[]"))
	if err != nil || len(rules) != 0 {
		t.Errorf("empty list: %+v, %v", rules, err)
	}
}
