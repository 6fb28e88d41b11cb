package kerneltest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// Difference is one expectation that did not hold.
type Difference struct {
	Field    string `json:"field"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
}

// String says "field: expected X, got Y".
func (d Difference) String() string {
	return fmt.Sprintf("%s: expected %s, got %s", d.Field, d.Expected, d.Actual)
}

// Check is one expectation and what was found, whether it held or not.
type Check struct {
	Difference
	OK bool `json:"ok"`
}

// differ collects the checks of a case.
type differ []Check

// add records an expectation that did not hold.
func (d *differ) add(field, expected, actual string) {
	*d = append(*d, Check{Difference: Difference{Field: field, Expected: expected, Actual: actual}})
}

// pass records an expectation that held.
func (d *differ) pass(field, expected, actual string) {
	*d = append(*d, Check{Difference: Difference{Field: field, Expected: expected, Actual: actual}, OK: true})
}

// rec records a check either way.
func (d *differ) rec(ok bool, field, expected, actual string) {
	if ok {
		d.pass(field, expected, actual)
	} else {
		d.add(field, expected, actual)
	}
}

// differences are the checks that failed.
func (d differ) differences() []Difference {
	var out []Difference
	for _, c := range d {
		if !c.OK {
			out = append(out, c.Difference)
		}
	}
	return out
}

// str compares a string expectation, when given.
func (d *differ) str(field, want, got string) {
	if want != "" {
		d.rec(strings.EqualFold(strings.ReplaceAll(want, " ", ""), got), field, quote(want), quote(got))
	}
}

func (d *differ) boolean(field string, want *bool, got bool) {
	if want != nil {
		d.rec(*want == got, field, fmt.Sprint(*want), fmt.Sprint(got))
	}
}

func quote(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func list(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// compare checks every expectation of the case against what happened.
func compare(c *Case, a *Actual, err error) differ {
	e := &c.Expect
	var d differ
	d.str("result", e.Result, a.Result)
	if e.ReasonContains != "" {
		d.rec(strings.Contains(strings.ToLower(a.Reason), strings.ToLower(e.ReasonContains)),
			"reason_contains", quote(e.ReasonContains), quote(a.Reason))
	}
	if e.Error != "" {
		got := a.ErrorName
		if got == "" {
			got = a.Error
		}
		d.rec(errorMatches(err, e.Error), "error", e.Error, quote(got))
	}
	d.str("sw", e.SW, a.SW)
	d.str("terminated_phase", e.TerminatedPhase, a.TerminatedPhase)
	d.str("phase", e.Phase, a.Phase)
	d.str("aid", e.AID, a.AID)
	d.str("selection_rule", e.SelectionRule, a.SelectionRule)
	d.str("selection_method", e.SelectionMethod, a.SelectionMethod)
	d.hexList("candidates", e.Candidates, a.Candidates)
	d.hexList("removed", e.Removed, a.Removed)
	d.boolean("confirmed", e.Confirmed, a.Confirmed)
	d.boolean("override", e.Override, a.Override)
	d.str("oda", e.ODA, a.ODA)
	d.boolean("oda_ok", e.ODAOK, a.ODAOK)
	if e.ODAError != "" {
		d.rec(strings.Contains(strings.ToLower(a.ODAError), strings.ToLower(e.ODAError)), "oda_error", quote(e.ODAError), quote(a.ODAError))
	}
	d.bits(e, a)
	d.str("cvm_results", e.CVMResults, a.CVMResults)
	if e.CVMResult != "" {
		cvm, _ := hexBytes(a.CVMResults)
		got := ""
		if r, err := emv.ParseCVMResults(cvm); err == nil {
			got = r.Result().String()
		}
		d.str("cvm_result", e.CVMResult, got)
	}
	d.boolean("signature", e.Signature, a.Signature)
	d.boolean("online_pin", e.OnlinePIN, a.OnlinePIN)
	if e.CID != nil {
		d.rec(slices.Equal(e.CID, a.CID), "cid", list(e.CID), list(a.CID))
	}
	d.commands(e, a)
	if e.APDUs != nil {
		d.rec(*e.APDUs == len(a.Exchanges), "apdus", fmt.Sprint(*e.APDUs), fmt.Sprint(len(a.Exchanges)))
	}
	d.de55(e, a)
	d.boolean("online", e.Online, a.Online)
	d.str("arc", e.ARC, a.ARC)
	d.str("script_results", e.ScriptResults, a.ScriptResults)
	d.boolean("reversal", e.Reversal, a.Reversal)
	d.cardAfter(e, a)
	for _, ev := range e.Events {
		d.rec(slices.ContainsFunc(a.Events, func(s string) bool { return strings.Contains(s, ev) }),
			"events", quote(ev), list(a.Events))
	}
	return d
}

func (d *differ) hexList(field string, want, got []string) {
	if want == nil {
		return
	}
	w := make([]string, len(want))
	for i, s := range want {
		w[i] = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	}
	d.rec(slices.Equal(w, got), field, list(w), list(got))
}

// bits compares the TVR and TSI expectations.
func (d *differ) bits(e *Expect, a *Actual) {
	tvr, _ := hexBytes(a.TVR)
	tsi, _ := hexBytes(a.TSI)
	d.bitSet("tvr_set", e.TVRSet, tvr, lookupTVR, true)
	d.bitSet("tvr_clear", e.TVRClear, tvr, lookupTVR, false)
	d.exact("tvr", e.TVR, tvr, lookupTVR, a.TVRNames)
	d.bitSet("tsi_set", e.TSISet, tsi, lookupTSI, true)
	d.bitSet("tsi_clear", e.TSIClear, tsi, lookupTSI, false)
	d.exact("tsi", e.TSI, tsi, lookupTSI, a.TSINames)
}

func (d *differ) bitSet(field string, names []string, v []byte, lookup func(string) (bitName, error), set bool) {
	for _, n := range names {
		b, err := lookup(n)
		if err != nil || b.index >= len(v) {
			d.add(field, n, "(unknown bit)")
			continue
		}
		has := v[b.index]&b.mask != 0
		state := map[bool]string{true: "set", false: "clear"}
		d.rec(has == set, field, n+" "+state[set], n+" "+state[has])
	}
}

// exact compares the whole field with the bits the names give.
func (d *differ) exact(field string, names []string, v []byte, lookup func(string) (bitName, error), got []string) {
	if names == nil {
		return
	}
	want := make([]byte, len(v))
	for _, n := range names {
		if b, err := lookup(n); err == nil && b.index < len(want) {
			want[b.index] |= b.mask
		}
	}
	d.rec(slices.Equal(want, v), field, fmt.Sprintf("%s (%X)", list(names), want), fmt.Sprintf("%s (%X)", list(got), v))
}

// commands checks commands_in_order (a subsequence of the exchanges) and
// commands_absent.
func (d *differ) commands(e *Expect, a *Actual) {
	pos := 0
	for _, s := range e.Commands {
		p, _ := parseCommandPattern(s)
		found := false
		for pos < len(a.Exchanges) {
			x := a.Exchanges[pos]
			pos++
			if p.matches(x) {
				found = true
				d.pass("commands_in_order", s, fmt.Sprintf("#%d %s", x.Position, x))
				break
			}
		}
		if !found {
			d.add("commands_in_order", quote(s)+" in order", exchangeList(a.Exchanges))
			break
		}
	}
	for _, s := range e.CommandsAbsent {
		p, _ := parseCommandPattern(s)
		i := slices.IndexFunc(a.Exchanges, p.matches)
		if i < 0 {
			d.pass("commands_absent", s+" absent", "absent")
		} else {
			d.add("commands_absent", quote(s)+" absent", fmt.Sprintf("#%d %s", a.Exchanges[i].Position, a.Exchanges[i]))
		}
	}
}

func exchangeList(xs []Exchange) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = x.String()
	}
	return list(s)
}

func (d *differ) de55(e *Expect, a *Actual) {
	d.tagsPresent("de55_contains", e.DE55Contains, a.de55, a.DE55Tags, true)
	d.tagsPresent("de55_absent", e.DE55Absent, a.de55, a.DE55Tags, false)
	d.tagValues("de55_values", e.DE55Values, a.de55)
	if len(e.OnlineDE55Contains) > 0 || len(e.OnlineDE55Values) > 0 {
		tags, _ := tlvIndex(mustHex(a.OnlineDE55))
		d.tagsPresent("online_de55_contains", e.OnlineDE55Contains, a.onlineDE55, tags, true)
		d.tagValues("online_de55_values", e.OnlineDE55Values, a.onlineDE55)
	}
}

// tagsPresent checks that tags are (or are not) in a data record.
func (d *differ) tagsPresent(field string, tags []string, have map[string]string, all []string, want bool) {
	for _, t := range tags {
		tag, _ := emv.ParseTag(t)
		_, ok := have[tag.String()]
		switch {
		case want:
			d.rec(ok, field, tag.String(), list(all))
		default:
			d.rec(!ok, field, tag.String()+" absent", tag.String()+map[bool]string{true: " present", false: " absent"}[ok])
		}
	}
}

// tagValues checks exact values of a data record.
func (d *differ) tagValues(field string, want map[string]string, have map[string]string) {
	for _, t := range sortedKeys(want) {
		tag, _ := emv.ParseTag(t)
		w := strings.ToUpper(strings.ReplaceAll(want[t], " ", ""))
		got, ok := have[tag.String()]
		if !ok {
			got = "(absent)"
		}
		d.rec(got == w, field+"."+tag.String(), w, got)
	}
}

func mustHex(s string) []byte {
	b, _ := hexBytes(s)
	return b
}

// cardAfter compares members of the card's state after the transaction.
func (d *differ) cardAfter(e *Expect, a *Actual) {
	for _, app := range sortedKeys(e.CardAfter) {
		st := a.CardAfter[app]
		if st == nil { // named by AID
			st = a.CardAfter[a.appNames[strings.ToUpper(app)]]
		}
		if st == nil {
			d.add("card_after."+app, "an application "+app, "none")
			continue
		}
		b, _ := json.Marshal(st)
		var got map[string]any
		_ = json.Unmarshal(b, &got)
		for _, k := range sortedKeys(e.CardAfter[app]) {
			want := e.CardAfter[app][k]
			g, ok := got[k]
			if !ok {
				g = zeroOf(want)
			}
			d.rec(jsonEqual(want, g), "card_after."+app+"."+k, fmt.Sprint(want), fmt.Sprint(g))
		}
	}
}

// zeroOf is the value an omitted (omitempty) member stands for.
func zeroOf(v any) any {
	switch v.(type) {
	case bool:
		return false
	case float64:
		return float64(0)
	case string:
		return ""
	}
	return nil
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
