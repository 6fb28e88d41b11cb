package kerneltest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

// profile returns the case's card profile with its overrides applied.
func (c *Case) profile() (*cardsim.Profile, error) {
	name := c.Card.Profile
	if name == "" {
		name = cardsim.DefaultProfile
	}
	var base *cardsim.Profile
	var err error
	if strings.HasSuffix(name, ".json") {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(c.File), path)
		}
		var b []byte
		if b, err = os.ReadFile(path); err == nil {
			base, err = cardsim.ParseProfileBytes(b)
		}
	} else {
		base, err = cardsim.BuiltinProfile(name)
	}
	if err != nil {
		return nil, caseErr(c, "card.profile", "%w", err)
	}
	if len(c.Card.Overrides) == 0 || string(c.Card.Overrides) == "null" {
		return base, nil
	}
	p, err := overrideProfile(base, c.Card.Overrides)
	if err != nil {
		return nil, caseErr(c, "card.overrides", "%w", err)
	}
	return p, nil
}

// overrideProfile applies a case's profile overrides: a merge patch whose
// "applications" member is keyed by application name or AID.
func overrideProfile(base *cardsim.Profile, overrides json.RawMessage) (*cardsim.Profile, error) {
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	doc, err := decodeJSON(b)
	if err != nil {
		return nil, err
	}
	patch, err := decodeJSON(overrides)
	if err != nil {
		return nil, err
	}
	pm, ok := patch.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want an object")
	}
	apps, _ := pm["applications"].(map[string]any)
	if _, has := pm["applications"]; has && apps == nil {
		return nil, fmt.Errorf("applications: want an object keyed by application name or AID")
	}
	rest := map[string]any{}
	for k, v := range pm {
		if k != "applications" {
			rest[k] = v
		}
	}
	out := mergePatch(doc, rest).(map[string]any)
	list, _ := out["applications"].([]any)
	removed := map[int]bool{}
	for key, ap := range apps {
		i := appIndexJSON(list, key)
		if i < 0 {
			return nil, fmt.Errorf("applications: the profile has no application %q", key)
		}
		if ap == nil {
			removed[i] = true
			continue
		}
		list[i] = mergePatch(list[i], ap)
	}
	var kept []any
	for i, a := range list {
		if !removed[i] {
			kept = append(kept, a)
		}
	}
	out["applications"] = kept
	if b, err = json.Marshal(out); err != nil {
		return nil, err
	}
	return cardsim.ParseProfileBytes(b)
}

// appIndexJSON finds an application of a profile's JSON by name or AID.
func appIndexJSON(list []any, key string) int {
	for i, a := range list {
		m, _ := a.(map[string]any)
		if m == nil {
			continue
		}
		if n, _ := m["name"].(string); n == key {
			return i
		}
		if aid, _ := m["aid"].(string); aid != "" && strings.EqualFold(aid, strings.ReplaceAll(key, " ", "")) {
			return i
		}
	}
	return -1
}

// personalised is a card file with its test CA keys.
type personalised struct {
	cf   *cardsim.CardFile
	keys []oda.CAKey
}

// cardCache personalises each (profile, seed) once: RSA key generation
// is the slowest step of a case by far, and a card file is never changed
// once made (record edits work on a copy).
type cardCache struct {
	mu sync.Mutex
	m  map[[32]byte]*cacheEntry
}

type cacheEntry struct {
	once sync.Once
	p    personalised
	err  error
}

// cacheKey identifies a personalisation: the profile's JSON and the seed.
func cacheKey(p *cardsim.Profile, seed uint64) ([32]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return [32]byte{}, err
	}
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seed)
	return sha256.Sum256(append(s[:], b...)), nil
}

func (cc *cardCache) get(p *cardsim.Profile, seed uint64) (personalised, error) {
	key, err := cacheKey(p, seed)
	if err != nil {
		return personalised{}, err
	}
	cc.mu.Lock()
	if cc.m == nil {
		cc.m = map[[32]byte]*cacheEntry{}
	}
	e := cc.m[key]
	if e == nil {
		e = &cacheEntry{}
		cc.m[key] = e
	}
	cc.mu.Unlock()
	e.once.Do(func() {
		e.p.cf, e.p.keys, e.err = cardsim.Personalise(p, cardsim.SeededReader(seed))
	})
	return e.p, e.err
}

// appIndex finds an application of a card file by name or AID.
func appIndex(cf *cardsim.CardFile, key string) int {
	for i := range cf.Profile.Applications {
		a := &cf.Profile.Applications[i]
		if a.Name == key || strings.EqualFold(hex.EncodeToString(a.AID), strings.ReplaceAll(key, " ", "")) {
			return i
		}
	}
	return -1
}

// editRecords returns a copy of the card file with the case's record
// edits applied.
func (c *Case) editRecords(cf *cardsim.CardFile) (*cardsim.CardFile, error) {
	if len(c.Card.Records) == 0 {
		return cf, nil
	}
	b, err := cf.Marshal()
	if err != nil {
		return nil, err
	}
	var cp cardsim.CardFile
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, err
	}
	for i, e := range c.Card.Records {
		field := fmt.Sprintf("card.records[%d]", i)
		ai := appIndex(&cp, e.App)
		if ai < 0 {
			return nil, caseErr(c, field, "the card has no application %q", e.App)
		}
		rec := findRecord(cp.Applications[ai].Records, e.SFI, e.Record)
		if rec == nil {
			return nil, caseErr(c, field, "application %s has no record %d of SFI %d", e.App, e.Record, e.SFI)
		}
		if rec.Data, err = e.apply(rec.Data); err != nil {
			return nil, caseErr(c, field, "%w", err)
		}
	}
	return &cp, nil
}

func findRecord(rs []cardsim.CardRecord, sfi, rec int) *cardsim.CardRecord {
	for i := range rs {
		if rs[i].SFI == sfi && rs[i].Record == rec {
			return &rs[i]
		}
	}
	return nil
}

// apply edits one record: its template 70's objects, or the whole of it.
func (e *RecordEdit) apply(data []byte) ([]byte, error) {
	if e.Raw != "" {
		return hexBytes(e.Raw)
	}
	objs, err := emv.Decode(data)
	if err != nil || len(objs) != 1 || objs[0].Tag != 0x70 {
		return nil, fmt.Errorf("the record is not one template 70")
	}
	children := objs[0].Children
	for _, t := range e.Remove {
		tag, _ := emv.ParseTag(t)
		kept := []emv.Object{}
		for _, o := range children {
			if o.Tag != tag {
				kept = append(kept, o)
			}
		}
		children = kept
	}
	for _, t := range sortedKeys(e.Set) {
		tag, _ := emv.ParseTag(t)
		v, _ := hexBytes(e.Set[t])
		found := false
		for i := range children {
			if children[i].Tag == tag {
				children[i] = emv.Object{Tag: tag, Value: v}
				found = true
			}
		}
		if !found {
			children = append(children, emv.Object{Tag: tag, Value: v})
		}
	}
	if children == nil {
		children = []emv.Object{}
	}
	return emv.Encode([]emv.Object{{Tag: 0x70, Children: children}}), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
