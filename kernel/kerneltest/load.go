package kerneltest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/attack"
	"github.com/yixin-emv/yixin/emv"
)

// MaxCaseFileSize bounds a case file: cases are small, and a file of many
// megabytes is a mistake.
const MaxCaseFileSize = 4 << 20

// Load reads the cases of the given files and directories. A directory is
// read recursively for *.json files, in lexical order; each file holds one
// case object or an array of them. IDs must be unique across everything
// loaded. Errors are *CaseError values wrapping ErrCase (or a file
// system error).
func Load(paths ...string) ([]*Case, error) {
	var cases []*Case
	for _, p := range paths {
		files, err := caseFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := readLimited(f)
			if err != nil {
				return nil, err
			}
			cs, err := ParseCases(b, f)
			if err != nil {
				return nil, err
			}
			cases = append(cases, cs...)
		}
	}
	seen := map[string]*Case{}
	for _, c := range cases {
		if o, dup := seen[c.ID]; dup {
			return nil, caseErr(c, "id", "duplicate: also in %s", o.File)
		}
		seen[c.ID] = c
	}
	return cases, nil
}

// caseFiles lists the case files under p.
func caseFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxCaseFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxCaseFileSize {
		return nil, &CaseError{File: name, Err: fmt.Errorf("larger than %d bytes", MaxCaseFileSize)}
	}
	return b, nil
}

// caseGroup is the third form of a case file: defaults that every case
// of the file starts from (see overlay: objects merge, anything else the
// case gives replaces the default, null included), and the cases.
type caseGroup struct {
	Defaults json.RawMessage   `json:"defaults"`
	Cases    []json.RawMessage `json:"cases"`
}

// ParseCases reads the cases of one file: a case object, an array of
// them, or a group {"defaults": {...}, "cases": [...]}. Unknown members
// are errors (a misspelt expectation must not pass silently), and every
// case is checked with Check. file names the source in errors and is
// where relative paths in the cases start from.
func ParseCases(b []byte, file string) ([]*Case, error) {
	raws, err := splitCases(bytes.TrimSpace(b))
	if err != nil {
		return nil, &CaseError{File: file, Err: err}
	}
	cases := make([]*Case, 0, len(raws))
	for i, raw := range raws {
		c := &Case{File: file, Index: i}
		if err := decodeStrict(raw, c); err != nil {
			return nil, &CaseError{File: file, Index: i, Err: err}
		}
		c.File, c.Index = file, i
		if err := c.Check(); err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// splitCases returns the cases of a file, each with the group's defaults
// applied.
func splitCases(b []byte) ([]json.RawMessage, error) {
	var raws []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '[':
		if err := decodeStrict(b, &raws); err != nil {
			return nil, err
		}
		return raws, nil
	case bytes.Contains(b, []byte(`"cases"`)) && isGroup(b):
		var g caseGroup
		if err := decodeStrict(b, &g); err != nil {
			return nil, err
		}
		if len(g.Defaults) == 0 {
			return g.Cases, nil
		}
		for i, raw := range g.Cases {
			c, err := decodeJSON(raw)
			if err != nil {
				return nil, fmt.Errorf("cases[%d]: %w", i, err)
			}
			// A fresh copy of the defaults for each case: overlay
			// changes its target.
			base, err := decodeJSON(g.Defaults)
			if err != nil {
				return nil, fmt.Errorf("defaults: %w", err)
			}
			m, err := json.Marshal(overlay(base, c))
			if err != nil {
				return nil, err
			}
			raws = append(raws, m)
		}
		return raws, nil
	}
	return []json.RawMessage{b}, nil
}

// isGroup reports whether a file's object has a "cases" member at its top
// level.
func isGroup(b []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return false
	}
	_, ok := top["cases"]
	return ok
}

// decodeStrict decodes one JSON value, rejecting unknown members and
// trailing data.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("data after the JSON value")
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// results are the values of Expect.Result.
var results = []string{"approved", "declined", "online-approved", "online-declined", "terminated"}

// Check reports the first thing wrong with the case that can be found
// without running it: missing members, unknown names, malformed hex,
// misbehaviour rules that attack.ParseRules refuses.
func (c *Case) Check() error {
	if !idPattern.MatchString(c.ID) {
		return caseErr(c, "id", "want letters, digits, '.', '-' or '_', got %q", c.ID)
	}
	if strings.TrimSpace(c.Title) == "" {
		return caseErr(c, "title", "missing")
	}
	if strings.TrimSpace(c.Requirement) == "" {
		return caseErr(c, "requirement", "missing: name the Book and section (or the attack) the case checks")
	}
	if !slices.Contains(Areas, c.Area) {
		return caseErr(c, "area", "%q is not one of %s", c.Area, strings.Join(Areas, ", "))
	}
	if err := c.checkCard(); err != nil {
		return err
	}
	if err := c.checkTerminal(); err != nil {
		return err
	}
	if err := c.checkTransaction(); err != nil {
		return err
	}
	if err := c.checkPeople(); err != nil {
		return err
	}
	return c.checkExpect()
}

func (c *Case) checkCard() error {
	if len(c.Card.Misbehaviour) > 0 {
		if _, err := attack.ParseRules(c.Card.Misbehaviour); err != nil {
			return caseErr(c, "card.misbehaviour", "%w", err)
		}
	}
	for i, r := range c.Card.Records {
		f := fmt.Sprintf("card.records[%d]", i)
		if r.App == "" || r.SFI < 1 || r.SFI > 30 || r.Record < 1 || r.Record > 255 {
			return caseErr(c, f, "want app, sfi (1-30) and record (1-255)")
		}
		if r.Raw != "" && (len(r.Set) > 0 || len(r.Remove) > 0) {
			return caseErr(c, f, "raw replaces the record: give either raw or set/remove")
		}
		if _, err := hexBytes(r.Raw); err != nil {
			return caseErr(c, f+".raw", "%w", err)
		}
		for tag, v := range r.Set {
			if _, err := emv.ParseTag(tag); err != nil {
				return caseErr(c, f+".set", "%w", err)
			}
			if _, err := hexBytes(v); err != nil {
				return caseErr(c, f+".set."+tag, "%w", err)
			}
		}
		for _, tag := range r.Remove {
			if _, err := emv.ParseTag(tag); err != nil {
				return caseErr(c, f+".remove", "%w", err)
			}
		}
	}
	return nil
}

func (c *Case) checkTerminal() error {
	t := &c.Terminal
	for f, v := range map[string]string{"terminal.type": t.Type, "terminal.capabilities": t.Capabilities,
		"terminal.additional_capabilities": t.AdditionalCapabilities} {
		if _, err := hexBytes(v); err != nil {
			return caseErr(c, f, "%w", err)
		}
	}
	for _, a := range t.AIDs {
		if b, err := hexBytes(a); err != nil || len(b) < 5 {
			return caseErr(c, "terminal.aids", "want AIDs in hex, got %q", a)
		}
	}
	for a := range t.Applications {
		if b, err := hexBytes(a); err != nil || len(b) < 5 {
			return caseErr(c, "terminal.applications", "want terminal AIDs in hex as keys, got %q", a)
		}
	}
	for _, r := range t.CAKeys.Remove {
		if _, _, err := parseKeyRef(r, false); err != nil {
			return caseErr(c, "terminal.ca_keys.remove", "%w", err)
		}
	}
	for _, r := range t.CAKeys.Revoke {
		if _, _, err := parseKeyRef(r, true); err != nil {
			return caseErr(c, "terminal.ca_keys.revoke", "%w", err)
		}
	}
	if t.CAKeys.Expire != "" {
		if _, err := emv.ParseDateString(t.CAKeys.Expire); err != nil {
			return caseErr(c, "terminal.ca_keys.expire", "%w", err)
		}
	}
	return nil
}

func (c *Case) checkTransaction() error {
	x := &c.Transaction
	if x.Amount < 0 || x.OtherAmount < 0 {
		return caseErr(c, "transaction.amount", "negative")
	}
	if _, err := txType(x.Type); err != nil {
		return caseErr(c, "transaction.type", "%w", err)
	}
	if _, err := clockOf(x.Date, x.Time); err != nil {
		return caseErr(c, "transaction.date", "%w", err)
	}
	if un, err := hexBytes(x.UN); err != nil || (x.UN != "" && len(un) != 4) {
		return caseErr(c, "transaction.un", "want 4 bytes in hex, got %q", x.UN)
	}
	for _, n := range x.Random {
		if n < 1 || n > 99 {
			return caseErr(c, "transaction.random", "draws are 1 to 99, got %d", n)
		}
	}
	return nil
}

func (c *Case) checkPeople() error {
	h := &c.Cardholder
	switch h.PINPad {
	case "", "present", "absent", "broken":
	default:
		return caseErr(c, "cardholder.pin_pad", "present, absent or broken, not %q", h.PINPad)
	}
	if _, err := hexBytes(h.ChooseAID); err != nil {
		return caseErr(c, "cardholder.choose_aid", "%w", err)
	}
	switch c.Issuer.Mode {
	case "", "approve", "decline", "bad_arpc", "no_arpc", "unavailable", "lost", "none":
	default:
		return caseErr(c, "issuer.mode", "approve, decline, bad_arpc, no_arpc, unavailable, lost or none, not %q", c.Issuer.Mode)
	}
	if c.Issuer.ARC != "" && len(c.Issuer.ARC) != 2 {
		return caseErr(c, "issuer.arc", "want two characters, got %q", c.Issuer.ARC)
	}
	if _, err := hexBytes(c.Issuer.RawScripts); err != nil {
		return caseErr(c, "issuer.raw_scripts", "%w", err)
	}
	return nil
}

func (c *Case) checkExpect() error {
	e := &c.Expect
	if !slices.Contains(results, e.Result) {
		return caseErr(c, "expect.result", "%q is not one of %s", e.Result, strings.Join(results, ", "))
	}
	for f, names := range map[string][]string{"expect.tvr_set": e.TVRSet, "expect.tvr_clear": e.TVRClear, "expect.tvr": e.TVR} {
		for _, n := range names {
			if _, err := lookupTVR(n); err != nil {
				return caseErr(c, f, "%w", err)
			}
		}
	}
	for f, names := range map[string][]string{"expect.tsi_set": e.TSISet, "expect.tsi_clear": e.TSIClear, "expect.tsi": e.TSI} {
		for _, n := range names {
			if _, err := lookupTSI(n); err != nil {
				return caseErr(c, f, "%w", err)
			}
		}
	}
	for _, p := range append(slices.Clone(e.Commands), e.CommandsAbsent...) {
		if _, err := parseCommandPattern(p); err != nil {
			return caseErr(c, "expect.commands", "%w", err)
		}
	}
	for _, cid := range e.CID {
		if cid != "ARQC" && cid != "TC" && cid != "AAC" {
			return caseErr(c, "expect.cid", "ARQC, TC or AAC, not %q", cid)
		}
	}
	for _, t := range slices.Concat(e.DE55Contains, e.DE55Absent, e.OnlineDE55Contains) {
		if _, err := emv.ParseTag(t); err != nil {
			return caseErr(c, "expect.de55", "%w", err)
		}
	}
	for f, m := range map[string]map[string]string{"expect.de55_values": e.DE55Values, "expect.online_de55_values": e.OnlineDE55Values} {
		for t, v := range m {
			if _, err := emv.ParseTag(t); err != nil {
				return caseErr(c, f, "%w", err)
			}
			if _, err := hexBytes(v); err != nil {
				return caseErr(c, f+"."+t, "%w", err)
			}
		}
	}
	for f, v := range map[string]string{"expect.aid": e.AID, "expect.cvm_results": e.CVMResults,
		"expect.sw": e.SW, "expect.script_results": e.ScriptResults} {
		if _, err := hexBytes(v); err != nil {
			return caseErr(c, f, "%w", err)
		}
	}
	if e.Error != "" && !knownError(e.Error) {
		return caseErr(c, "expect.error", "unknown error name %q", e.Error)
	}
	for app, m := range e.CardAfter {
		for k := range m {
			if !appStateFields[k] {
				return caseErr(c, "expect.card_after."+app, "cardsim.AppState has no member %q", k)
			}
		}
	}
	return nil
}

// appStateFields are the JSON members of cardsim.AppState, which
// card_after may name.
var appStateFields = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[cardsim.AppState]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
}()

// hexBytes decodes hex with optional spaces; "" is nil.
func hexBytes(s string) ([]byte, error) {
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not hex: %q", s)
	}
	return b, nil
}

// parseKeyRef reads "RID/index" or, with serial, "RID/index/serial".
func parseKeyRef(s string, serial bool) (ref keyRef, _ [3]byte, err error) {
	parts := strings.Split(s, "/")
	want := 2
	if serial {
		want = 3
	}
	if len(parts) != want {
		return ref, [3]byte{}, fmt.Errorf("want %s, got %q", map[bool]string{false: "RID/index", true: "RID/index/serial"}[serial], s)
	}
	rid, err1 := hex.DecodeString(parts[0])
	idx, err2 := hex.DecodeString(parts[1])
	if err1 != nil || err2 != nil || len(rid) != 5 || len(idx) != 1 {
		return ref, [3]byte{}, fmt.Errorf("want a 5-byte RID and a 1-byte index in hex, got %q", s)
	}
	copy(ref.rid[:], rid)
	ref.index = idx[0]
	var sn [3]byte
	if serial {
		b, err := hex.DecodeString(parts[2])
		if err != nil || len(b) != 3 {
			return ref, sn, fmt.Errorf("want a 3-byte serial number in hex, got %q", s)
		}
		copy(sn[:], b)
	}
	return ref, sn, nil
}

// keyRef names a CA key.
type keyRef struct {
	rid   [5]byte
	index byte
}
