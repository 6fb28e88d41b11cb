package kerneltest

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/kernel"
)

// terminalConfig builds the case's terminal: the base configuration, the
// overrides through its JSON form (so that kernel.ParseConfig checks
// them), the CA keys of the card, the exception file and the log. The
// interfaces (random source, clock, PIN pad, cardholder, host) are set by
// the runner.
func (c *Case) terminalConfig(keys []oda.CAKey) (*kernel.Config, error) {
	t := &c.Terminal
	country := firstOf(c.Transaction.Country, t.Country, "CN")
	currency := firstOf(c.Transaction.Currency, t.Currency, "CNY")
	var base *kernel.Config
	var err error
	if t.Config != "" {
		path := t.Config
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(c.File), path)
		}
		base, err = kernel.LoadConfig(path)
	} else {
		base, err = kernel.DefaultConfig(country, currency)
	}
	if err != nil {
		return nil, caseErr(c, "terminal.config", "%w", err)
	}
	doc, err := c.configDoc(base)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	cfg, err := kernel.ParseConfig(bytes.NewReader(b))
	if err != nil {
		return nil, caseErr(c, "terminal", "%w", err)
	}
	if cfg.CAKeys, err = c.caStore(keys); err != nil {
		return nil, err
	}
	cfg.Exceptions = c.exceptions(base.Exceptions)
	if t.LoggedAmount > 0 {
		cfg.Log = fixedLog(t.LoggedAmount)
	}
	return cfg, nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// configDoc is the base configuration's JSON with the overrides applied.
func (c *Case) configDoc(base *kernel.Config) (map[string]any, error) {
	t := &c.Terminal
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	v, err := decodeJSON(b)
	if err != nil {
		return nil, err
	}
	doc := v.(map[string]any)
	term, _ := doc["terminal"].(map[string]any)
	if term == nil {
		term = map[string]any{}
		doc["terminal"] = term
	}
	set := func(m map[string]any, k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	set(term, "country", firstOf(c.Transaction.Country, t.Country))
	if cur := firstOf(c.Transaction.Currency, t.Currency); cur != "" {
		term["currency"] = cur
		delete(term, "currency_exponent")
	}
	set(term, "type", t.Type)
	set(term, "capabilities", t.Capabilities)
	set(term, "additional_capabilities", t.AdditionalCapabilities)
	sel, _ := doc["selection"].(map[string]any)
	if sel == nil {
		sel = map[string]any{}
		doc["selection"] = sel
	}
	set(sel, "policy", t.Policy)
	set(sel, "preference", t.Preference)
	if t.SkipPSE {
		sel["skip_pse"] = true
	}
	if err := c.patchApplications(doc); err != nil {
		return nil, err
	}
	if len(t.Patch) > 0 {
		p, err := decodeJSON(t.Patch)
		if err != nil {
			return nil, caseErr(c, "terminal.patch", "%w", err)
		}
		m, ok := mergePatch(doc, p).(map[string]any)
		if !ok {
			return nil, caseErr(c, "terminal.patch", "want an object")
		}
		doc = m
	}
	return doc, nil
}

// patchApplications keeps the terminal AIDs the case lists and applies
// the application patches.
func (c *Case) patchApplications(doc map[string]any) error {
	t := &c.Terminal
	list, _ := doc["applications"].([]any)
	aidOf := func(a any) string {
		m, _ := a.(map[string]any)
		s, _ := m["aid"].(string)
		return strings.ToUpper(s)
	}
	if len(t.AIDs) > 0 {
		var kept []any
		for _, want := range t.AIDs {
			want = strings.ToUpper(strings.ReplaceAll(want, " ", ""))
			found := false
			for _, a := range list {
				if aidOf(a) == want {
					kept, found = append(kept, a), true
				}
			}
			if !found {
				kept = append(kept, map[string]any{"aid": want})
			}
		}
		list = kept
	}
	if len(t.Application) > 0 {
		p, err := decodeJSON(t.Application)
		if err != nil {
			return caseErr(c, "terminal.application", "%w", err)
		}
		for i := range list {
			list[i] = mergePatch(list[i], p)
		}
	}
	for _, aid := range sortedKeys(t.Applications) {
		p, err := decodeJSON(t.Applications[aid])
		if err != nil {
			return caseErr(c, "terminal.applications."+aid, "%w", err)
		}
		want := strings.ToUpper(strings.ReplaceAll(aid, " ", ""))
		found := false
		for i := range list {
			if aidOf(list[i]) == want {
				list[i], found = mergePatch(list[i], p), true
			}
		}
		if !found {
			return caseErr(c, "terminal.applications", "the terminal has no application %s", aid)
		}
	}
	doc["applications"] = list
	return nil
}

// caStore is the terminal's CA key store: the card's test CA keys, as the
// case changes them.
func (c *Case) caStore(keys []oda.CAKey) (*oda.Store, error) {
	spec := &c.Terminal.CAKeys
	s := oda.NewStore(oda.Test)
	if spec.None {
		return s, nil
	}
	removed := map[keyRef]bool{}
	for _, r := range spec.Remove {
		ref, _, _ := parseKeyRef(r, false)
		removed[ref] = true
	}
	for _, k := range keys {
		if removed[keyRef{rid: k.RID, index: k.Index}] {
			continue
		}
		if spec.Expire != "" {
			d, _ := emv.ParseDateString(spec.Expire)
			k.Expiry = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		}
		if err := s.Add(k); err != nil {
			return nil, caseErr(c, "terminal.ca_keys", "%w", err)
		}
	}
	for _, r := range spec.Revoke {
		ref, serial, _ := parseKeyRef(r, true)
		s.Revoke(ref.rid, ref.index, serial)
	}
	return s, nil
}

// exceptions is the exception file: the configuration's and the case's.
func (c *Case) exceptions(base kernel.ExceptionFile) kernel.ExceptionFile {
	if len(c.Terminal.Exceptions) == 0 {
		return base
	}
	l := kernel.ExceptionList{}
	for _, p := range c.Terminal.Exceptions {
		l[strings.ToUpper(p)] = true
	}
	if base == nil {
		return l
	}
	return eitherList{base, l}
}

// eitherList lists a card listed on either file.
type eitherList [2]kernel.ExceptionFile

func (e eitherList) Listed(pan string, psn []byte) bool {
	return e[0].Listed(pan, psn) || e[1].Listed(pan, psn)
}

// fixedLog is a transaction log that holds the same amount for every card
// and forgets what is added.
type fixedLog int64

func (l fixedLog) Total(string, []byte) int64 { return int64(l) }
func (l fixedLog) Add(string, []byte, int64)  {}
