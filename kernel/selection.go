package kernel

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// Candidate is an application on the candidate list of Book 1 §12.
type Candidate struct {
	// AID is the card's ADF name (4F in the directory, 84 in the FCI).
	AID []byte
	// Label is the Application Label (50); PreferredName the Application
	// Preferred Name (9F12) in code table CodeTable (9F11, 0 absent).
	Label         string
	PreferredName string
	CodeTable     int
	// DisplayName is what the terminal shows: 9F12 when its code table is
	// supported, else 50, else the AID in hex (Book 1 §12.4).
	DisplayName string
	// Priority is the Application Priority Indicator (87), 0 when absent:
	// b4–b1 the priority (1 highest), b8 "cardholder confirmation
	// required".
	Priority byte
	// Language is the Language Preference (5F2D).
	Language string
	// Country and Currency say where the application is domestic, from
	// the card (5F28 and 9F42 given at selection time) or else from the
	// terminal application it matched; 0 when unknown (international).
	Country  CountryCode
	Currency CurrencyCode
	// RegionSource says where Country and Currency came from: "card",
	// "terminal" or "".
	RegionSource string
	// Brand is the brand of the AID's RID (or of the terminal entry).
	Brand Brand
	// TerminalAID is the terminal's AID it matched (9F06).
	TerminalAID []byte

	app int // index in Config.Applications
}

// NeedsConfirmation reports whether the card requires the cardholder to
// confirm this application (87 b8).
func (c *Candidate) NeedsConfirmation() bool { return c.Priority&0x80 != 0 }

// rank is the priority as a sort key: 1 highest, no priority (0) last.
func (c *Candidate) rank() int {
	if p := int(c.Priority & 0x0F); p != 0 {
		return p
	}
	return 16
}

// Rule says why an application was selected.
type Rule string

// Selection rules recorded in the Outcome.
const (
	RuleOnlyCandidate      Rule = "only-candidate"
	RuleIssuerPriority     Rule = "issuer-priority"
	RuleDomesticPreference Rule = "domestic-preference"
	RuleCardholderChoice   Rule = "cardholder-choice"
)

// Selection is the result of application selection.
type Selection struct {
	// AID is the selected application's DF name; Name its display name.
	AID  []byte
	Name string
	// Method is "pse" or "list-of-aids": how the candidates were found.
	Method string
	// Rule and Reason say why this application was chosen.
	Rule   Rule
	Reason string
	// Candidates is the candidate list in the order proposed, the chosen
	// one included, as it stood at the final selection that succeeded.
	Candidates []Candidate
	// Removed lists the applications dropped from the list during final
	// selection (a failed SELECT, a DF name that differs, a refused
	// confirmation) or after GET PROCESSING OPTIONS answered 6985.
	Removed []Removal
	// Confirmed is set when the cardholder confirmed the application
	// (87 b8); Override when the cardholder chose another application
	// than the one proposed.
	Confirmed bool
	Override  bool
}

// Removal is an application dropped from the candidate list, and why.
type Removal struct {
	AID    []byte
	Reason string
}

// Bounds on what a card can make the terminal do during selection.
const (
	maxCandidates  = 32 // candidates kept
	maxDDFDepth    = 3  // nested directories (9D) followed
	maxSelectNext  = 16 // SELECT next occurrence per terminal AID
	maxRecordsRead = 64 // directory records read in all
)

var pseName = []byte(apdu.PSEName)

// selectApplication is application selection: build the candidate list,
// then final selection.
func (t *Transaction) selectApplication(ctx context.Context) error {
	un := t.mem.un[:] // in the transaction: the random source may keep what it is given
	if err := t.random(un); err != nil {
		return err
	}
	t.setTerminalData(t.mem.un)
	if err := t.buildCandidates(ctx); err != nil {
		return err
	}
	return t.finalSelect(ctx)
}

// buildCandidates builds the candidate list: the PSE, then the list of
// AIDs when the PSE gives nothing (Book 1 §12.3).
func (t *Transaction) buildCandidates(ctx context.Context) error {
	cands := make([]Candidate, 0, 2) // a dual-application card's list
	if !t.cfg.Selection.SkipPSE {
		var err error
		if cands, err = t.readPSE(ctx, cands); err != nil {
			return err
		}
		t.sel.Method = "pse"
	}
	if len(cands) == 0 {
		var err error
		if cands, err = t.listOfAIDs(ctx, cands); err != nil {
			return err
		}
		t.sel.Method = "list-of-aids"
	}
	if len(cands) == 0 {
		return ErrNotAccepted
	}
	// Book 1 §12.4 step 4: by priority, those without one last, ties in
	// the order found.
	slices.SortStableFunc(cands, func(a, b Candidate) int { return a.rank() - b.rank() })
	t.cands = cands
	return nil
}

// readPSE reads the Payment System Environment directory. It returns no
// candidates (and no error) whenever Book 1 says to fall back to the list
// of AIDs; only 6A81 and transport errors are fatal.
func (t *Transaction) readPSE(ctx context.Context, cands []Candidate) ([]Candidate, error) {
	budget := maxRecordsRead
	cands, ok, err := t.readDirectory(ctx, pseName, 0, cands, &budget)
	if err != nil || !ok {
		return cands[:0], err
	}
	return cands, nil
}

// readDirectory selects the DDF name and reads its directory records,
// following nested DDFs, adding the matching applications to cands. It
// reports false when the PSE must be abandoned.
func (t *Transaction) readDirectory(ctx context.Context, name []byte, depth int, cands []Candidate, budget *int) ([]Candidate, bool, error) {
	data, sw, err := t.transmit(ctx, selectCommand(name, false))
	if err != nil {
		return cands, false, err
	}
	if sw == apdu.SWFunctionNotSupported {
		return cands, false, terminated(PhaseSelection, sw, ErrCardBlocked)
	}
	if sw != apdu.SWNoError {
		return cands, false, nil // 6A82 no PSE, 6283 PSE blocked, other: list of AIDs
	}
	_, a5, ok := parseFCI(data)
	if !ok {
		return cands, false, nil
	}
	sfiV, ok := emv.Find(a5, 0x88)
	if !ok || len(sfiV) != 1 || sfiV[0] < 1 || sfiV[0] > 30 {
		return cands, false, nil
	}
	pf := readAppFields(a5)
	ct := 0
	if len(pf.codeTable) == 1 {
		ct = int(pf.codeTable[0])
	}
	lang := string(pf.lang)
	for rec := 1; rec <= 254; rec++ {
		if *budget--; *budget < 0 {
			break
		}
		c, err := apdu.ReadRecord(int(sfiV[0]), rec)
		if err != nil {
			return cands, false, err
		}
		data, sw, err := t.transmit(ctx, c)
		if err != nil {
			return cands, false, err
		}
		if sw == apdu.SWRecordNotFound {
			break
		}
		if sw != apdu.SWNoError {
			continue // Book 1 §12.3.2 step 2, as emv-utils reads it: skip the record
		}
		body, ok := singleObject(data, 0x70)
		if !ok {
			continue // not a directory record: ignored
		}
		if cands, err = t.directoryEntries(ctx, body, depth, ct, lang, cands, budget); err != nil {
			return cands, false, err
		}
	}
	return cands, true, nil
}

// directoryEntries adds the matching application entries (61) of one
// directory record and follows its DDF entries (61 with 9D).
func (t *Transaction) directoryEntries(ctx context.Context, body []byte, depth, ct int, lang string, cands []Candidate, budget *int) ([]Candidate, error) {
	for sc := emv.Scanner(body); ; {
		tag, entry, rest := sc.Next()
		if tag == 0 {
			return cands, nil
		}
		sc = rest
		if tag != 0x61 {
			continue
		}
		f := readAppFields(entry)
		if ddf := f.ddf; ddf != nil {
			if depth < maxDDFDepth && len(ddf) >= 5 && len(ddf) <= 16 {
				var err error
				if cands, _, err = t.readDirectory(ctx, ddf, depth+1, cands, budget); err != nil {
					return cands, err
				}
			}
			continue
		}
		aid := f.aid
		if len(aid) < 5 || len(aid) > 16 || len(cands) >= maxCandidates {
			continue
		}
		app := t.matchAID(aid)
		if app < 0 {
			continue
		}
		c := t.newCandidate(aid, app, &f, ct)
		if c.Language == "" {
			c.Language = lang
		}
		cands = append(cands, c)
	}
}

// matchAID returns the index of the terminal application that aid matches
// exactly or, when its ASI allows, partially; -1 when none does. An exact
// match wins over a partial one.
func (t *Transaction) matchAID(aid []byte) int {
	best := -1
	for i := range t.cfg.Applications {
		a := &t.cfg.Applications[i]
		if bytes.Equal(a.AID, aid) {
			return i
		}
		if a.PartialMatch && len(aid) > len(a.AID) && bytes.HasPrefix(aid, a.AID) && best < 0 {
			best = i
		}
	}
	return best
}

// listOfAIDs builds the candidate list by selecting each terminal AID in
// turn (Book 1 §12.3.3).
func (t *Transaction) listOfAIDs(ctx context.Context, cands []Candidate) ([]Candidate, error) {
	for i := range t.cfg.Applications {
		a := &t.cfg.Applications[i]
		var seen [][]byte
		for n := 0; n < maxSelectNext; n++ {
			data, sw, err := t.transmit(ctx, selectCommand(a.AID, n > 0))
			if err != nil {
				return nil, err
			}
			if sw == apdu.SWFunctionNotSupported {
				return nil, terminated(PhaseSelection, sw, ErrCardBlocked)
			}
			if sw != apdu.SWNoError && sw != apdu.SWSelectedFileInvalidated {
				break
			}
			df, a5, ok := parseFCI(data)
			if !ok || !bytes.HasPrefix(df, a.AID) || slices.ContainsFunc(seen, func(s []byte) bool { return bytes.Equal(s, df) }) {
				break
			}
			seen = append(seen, df)
			if len(df) == len(a.AID) { // exact match: add unless blocked, next terminal AID
				if sw == apdu.SWNoError && len(cands) < maxCandidates {
					f := readAppFields(a5)
					cands = append(cands, t.newCandidate(df, i, &f, 0))
				}
				break
			}
			if !a.PartialMatch {
				break
			}
			if sw == apdu.SWNoError && len(df) <= 16 && len(cands) < maxCandidates {
				f := readAppFields(a5)
				cands = append(cands, t.newCandidate(df, i, &f, 0))
			}
		}
	}
	return cands, nil
}

// appFields are the objects of a directory entry (61) or an FCI
// proprietary template (A5) that selection uses, read in one pass.
type appFields struct {
	aid, ddf, label, pref, lang, country, currency []byte
	codeTable, priority                            []byte
}

// readAppFields collects the fields of src, descending into the
// directory discretionary template (73) and the FCI issuer discretionary
// data (BF0C) for the country and currency. It stops at malformed data.
func readAppFields(src []byte) appFields {
	return appFields{}.read(src, false)
}

// read returns f with the fields of b added. f is passed and returned by
// value, not by pointer, so that its slices are written without the
// garbage collector's write barrier.
func (f appFields) read(b []byte, nested bool) appFields {
	for sc := emv.Scanner(b); sc.More(); {
		tag, v, rest := sc.Next()
		if tag == 0 {
			return f
		}
		sc = rest
		switch tag {
		case 0x4F:
			f.aid = v
		case 0x9D:
			f.ddf = v
		case 0x50:
			f.label = v
		case 0x9F12:
			f.pref = v
		case 0x9F11:
			f.codeTable = v
		case 0x87:
			f.priority = v
		case 0x5F2D:
			f.lang = v
		case 0x5F28:
			f.country = v
		case 0x9F42:
			f.currency = v
		case 0x73, 0xBF0C:
			if !nested {
				f = f.read(v, true)
			}
		}
	}
	return f
}

// newCandidate builds a candidate from a directory entry's or FCI's
// fields for the terminal application app.
func (t *Transaction) newCandidate(aid []byte, app int, f *appFields, ct int) Candidate {
	a := &t.cfg.Applications[app]
	c := Candidate{AID: aid, TerminalAID: a.AID, app: app, CodeTable: ct} // aid aliases the card's response, kept
	c.Label, c.PreferredName, c.Language = printable3(f.label, f.pref, f.lang)
	if len(f.codeTable) == 1 {
		c.CodeTable = int(f.codeTable[0])
	}
	if len(f.priority) == 1 {
		c.Priority = f.priority[0]
	}
	c.Brand = a.Brand
	if c.Brand == "" {
		c.Brand = BrandOfAID(aid)
	}
	if len(f.country) == 2 && len(f.currency) == 2 {
		if co, err := emv.CountryFromCode(f.country); err == nil {
			if cu, err := emv.CurrencyFromCode(f.currency); err == nil {
				c.Country, c.Currency, c.RegionSource = CountryCode(co.Numeric), CurrencyCode(cu.Numeric), "card"
			}
		}
	}
	if c.RegionSource == "" && a.Domestic != nil {
		c.Country, c.Currency, c.RegionSource = a.Domestic.Country, a.Domestic.Currency, "terminal"
	}
	c.DisplayName = t.displayName(&c)
	return c
}

// displayName applies Book 1 §12.4: 9F12 if the terminal supports its code
// table, else 50, else the AID.
func (t *Transaction) displayName(c *Candidate) string {
	tables := t.cfg.Terminal.CodeTables
	if tables == nil {
		tables = []int{1}
	}
	if c.PreferredName != "" && slices.Contains(tables, c.CodeTable) {
		return c.PreferredName
	}
	if c.Label != "" {
		return c.Label
	}
	return fmt.Sprintf("%X", c.AID)
}

// finalSelect proposes a candidate by the policy, obtains the cardholder's
// confirmation or choice where needed, and selects it; a candidate that
// cannot be selected is removed and the next tried (Book 1 §12.4).
func (t *Transaction) finalSelect(ctx context.Context) error {
	for {
		if len(t.cands) == 0 {
			return ErrNotAccepted
		}
		order, rule, reason := t.propose()
		pick, err := t.choose(ctx, order, &rule, &reason)
		if err != nil {
			return err
		}
		if pick < 0 {
			continue // removed: unconfirmed
		}
		c := order[pick]
		ok, err := t.finalSelectOne(ctx, &c)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		t.sel.AID, t.sel.Name, t.sel.Rule, t.sel.Reason = c.AID, c.DisplayName, rule, reason
		t.sel.Candidates = order
		t.app = &t.cfg.Applications[c.app]
		t.setApplicationData()
		return nil
	}
}

// choose returns the index in order of the application to select, after
// the cardholder's choice (cardholder-choice policy) or confirmation (87
// b8). It returns -1 when the proposed application was removed.
func (t *Transaction) choose(ctx context.Context, order []Candidate, rule *Rule, reason *string) (int, error) {
	ch := t.cfg.Cardholder
	if t.cfg.policy() == PolicyCardholderChoice && len(order) > 1 {
		if ch == nil {
			return 0, ErrNoCardholderInterface
		}
		i, err := ch.ChooseApplication(ctx, slices.Clone(order), 0)
		if err != nil {
			return 0, fmt.Errorf("cardholder choice: %w", err)
		}
		if i < 0 || i >= len(order) {
			return 0, fmt.Errorf("%w: cardholder chose index %d of %d", ErrConfig, i, len(order))
		}
		*rule = RuleCardholderChoice
		if i != 0 {
			t.sel.Override = true
			*reason = fmt.Sprintf("the cardholder chose %s over the proposed %s (%s)", order[i].DisplayName, order[0].DisplayName, *reason)
		} else {
			*reason = fmt.Sprintf("the cardholder accepted the proposed %s (%s)", order[0].DisplayName, *reason)
		}
		t.sel.Confirmed = order[i].NeedsConfirmation() // choosing from the list confirms it
		return i, nil
	}
	c := &order[0]
	if !c.NeedsConfirmation() {
		return 0, nil
	}
	if ch == nil {
		t.remove(c.AID, "requires cardholder confirmation (87 b8) and the terminal cannot ask")
		return -1, nil
	}
	ok, err := ch.ConfirmApplication(ctx, *c)
	if err != nil {
		return 0, fmt.Errorf("cardholder confirmation: %w", err)
	}
	if !ok {
		t.remove(c.AID, "the cardholder did not confirm it")
		return -1, nil
	}
	t.sel.Confirmed = true
	*reason += "; confirmed by the cardholder (87 b8)"
	return 0, nil
}

// finalSelectOne sends the final SELECT of c and checks the answer. It
// reports false (having removed c) when Book 1 says to try the next
// candidate.
func (t *Transaction) finalSelectOne(ctx context.Context, c *Candidate) (bool, error) {
	data, sw, err := t.transmit(ctx, selectCommand(c.AID, false))
	if err != nil {
		return false, err
	}
	if sw == apdu.SWFunctionNotSupported {
		return false, terminated(PhaseSelection, sw, ErrCardBlocked)
	}
	if sw != apdu.SWNoError {
		t.remove(c.AID, "final SELECT answered "+sw.Error())
		return false, nil
	}
	df, a5, ok := parseFCI(data)
	if !ok {
		t.remove(c.AID, "final SELECT returned a malformed FCI")
		return false, nil
	}
	if !bytes.Equal(df, c.AID) {
		t.remove(c.AID, fmt.Sprintf("final SELECT returned DF name %X", df))
		return false, nil
	}
	t.fciData.reset()
	t.fciData.set(0x84, df)
	t.fciData.set(0x4F, c.AID) // the ADF name, for the data record
	if _, err := t.fciData.addObjects(a5); err != nil {
		t.remove(c.AID, "final SELECT returned a malformed FCI")
		return false, nil
	}
	if bf, ok := t.fciData.get(0xBF0C); ok {
		t.fciData.addObjects(bf) // issuer discretionary data; duplicates keep the first
	}
	return true, nil
}

// remove drops the application from the candidate list and records why.
func (t *Transaction) remove(aid []byte, why string) {
	// A new list rather than the old one changed: the old one may be the
	// Candidates of a Selection already returned (see propose).
	kept := make([]Candidate, 0, len(t.cands))
	for _, c := range t.cands {
		if !bytes.Equal(c.AID, aid) {
			kept = append(kept, c)
		}
	}
	t.cands = kept
	t.sel.Removed = append(t.sel.Removed, Removal{AID: bytes.Clone(aid), Reason: why})
}

// reselect removes the current application after GET PROCESSING OPTIONS
// answered 6985 and runs final selection again (Book 3 §10.1).
func (t *Transaction) reselect(ctx context.Context) error {
	t.remove(t.sel.AID, "GET PROCESSING OPTIONS answered 6985: conditions of use not satisfied")
	t.sel.Confirmed, t.sel.Override = false, false
	t.term.set(0x9F06, nil)
	return t.finalSelect(ctx)
}

// propose orders the candidates by the policy and says why the first
// comes first.
func (t *Transaction) propose() ([]Candidate, Rule, string) {
	// The list itself, already in issuer priority order, is ordered in
	// place: it is published (Selection.Candidates) only by a final
	// selection that succeeds, after which nothing orders it again, and
	// remove replaces it rather than changing it. The stable sort of a
	// list already in the policy's order leaves it as it is, so that a
	// proposal after a removal orders as a first one would.
	order := t.cands
	pol := t.cfg.policy()
	pref := pol
	if pol == PolicyCardholderChoice {
		pref = t.cfg.Selection.Preference
		if pref == "" {
			pref = PolicyIssuerPriority
		}
	}
	if len(order) == 1 {
		return order, RuleOnlyCandidate, "the only application the card and the terminal share"
	}
	if pref == PolicyDomesticPreference {
		slices.SortStableFunc(order, func(a, b Candidate) int { return t.regionRank(&a) - t.regionRank(&b) })
		return order, RuleDomesticPreference, t.domesticReason(order)
	}
	return order, RuleIssuerPriority, order[0].DisplayName + " has the highest Application Priority Indicator of " +
		strconv.Itoa(len(order)) + " candidates (" + priorityText(order[0].Priority) + ")"
}

// regionRank orders applications for domestic preference: 0 domestic to
// the terminal, 1 international (no region known), 2 domestic elsewhere.
func (t *Transaction) regionRank(c *Candidate) int {
	switch {
	case c.RegionSource == "":
		return 1
	case c.Country == t.cfg.Terminal.Country && c.Currency == t.cfg.Terminal.Currency:
		return 0
	default:
		return 2
	}
}

// domesticReason says why order[0] comes first under domestic
// preference. It is written into a buffer on the stack and copied once.
func (t *Transaction) domesticReason(order []Candidate) string {
	var buf [256]byte
	term := func(b []byte) []byte {
		b = append(b, "terminal country "...)
		b = appendCode3(b, int(t.cfg.Terminal.Country))
		b = append(b, " and currency "...)
		return appendCode3(b, int(t.cfg.Terminal.Currency))
	}
	c := &order[0]
	b := buf[:0]
	switch t.regionRank(c) {
	case 0:
		b = append(term(b), " equal "...)
		b = append(b, c.DisplayName...)
		b = append(b, "'s country and currency (from the "...)
		b = append(b, regionFrom(c)...)
		b = append(b, ')')
	case 1:
		b = term(append(b, "no candidate is domestic to "...))
		b = append(b, ", so the international application "...)
		b = append(b, c.DisplayName...)
		b = append(b, " comes first"...)
	default:
		b = term(append(b, "no candidate is domestic to "...))
		b = append(b, " or international; "...)
		b = append(b, c.DisplayName...)
		b = append(b, " by issuer priority"...)
	}
	return string(b)
}

// appendCode3 writes a numeric ISO code with three digits (more when it
// has more).
func appendCode3(b []byte, v int) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(v), 10)
	for n := len(s); n < 3; n++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func regionFrom(c *Candidate) string {
	if c.RegionSource == "card" {
		return "card's 5F28 and 9F42"
	}
	return "terminal's AID list"
}

func priorityText(p byte) string {
	if p&0x0F == 0 {
		return "no priority given"
	}
	const hexDigits = "0123456789ABCDEF"
	return "87=" + string([]byte{hexDigits[p>>4], hexDigits[p&0x0F]})
}

// parseFCI checks that data is exactly one FCI template 6F holding a DF
// name (84) and a proprietary template (A5), and returns them.
func parseFCI(data []byte) (df, a5 []byte, ok bool) {
	body, ok := singleObject(data, 0x6F)
	if !ok {
		return nil, nil, false
	}
	for sc := emv.Scanner(body); sc.More(); {
		tag, v, rest := sc.Next()
		if tag == 0 {
			return nil, nil, false
		}
		sc = rest
		switch tag {
		case 0x84:
			if df != nil {
				return nil, nil, false
			}
			df = v
		case 0xA5:
			if a5 != nil {
				return nil, nil, false
			}
			a5 = v
		}
	}
	if len(df) < 5 || len(df) > 16 || a5 == nil {
		return nil, nil, false
	}
	return df, a5, true
}

// singleObject returns the value of data when data is exactly one object
// with the given tag (padding allowed around it).
func singleObject(data []byte, tag emv.Tag) ([]byte, bool) {
	tg, v, rest := emv.Scanner(data).Next()
	if tg != tag {
		return nil, false
	}
	return v, !rest.More()
}

// printable3 returns three ans values as text, with anything outside
// printable ASCII replaced, so that a card cannot send control sequences
// to a display or a log. The three strings share one allocation.
func printable3(a, b, c []byte) (string, string, string) {
	n := len(a) + len(b) + len(c)
	if n == 0 {
		return "", "", ""
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, p := range [3][]byte{a, b, c} {
		if printableASCII(p) { // the usual case: one copy
			sb.Write(p)
			continue
		}
		for _, ch := range p {
			if ch >= 0x20 && ch < 0x7F {
				sb.WriteByte(ch)
			} else {
				sb.WriteByte('?')
			}
		}
	}
	s := sb.String()
	return s[:len(a)], s[len(a) : len(a)+len(b)], s[len(a)+len(b):]
}

// printableASCII reports whether every byte of p is printable ASCII.
func printableASCII(p []byte) bool {
	for _, ch := range p {
		if ch < 0x20 || ch >= 0x7F {
			return false
		}
	}
	return true
}

// selectCommand is apdu.Select without the copy of the name it makes:
// transmit encodes the command into the transaction's buffer at once.
func selectCommand(name []byte, next bool) apdu.Command {
	c := apdu.Select(nil, next)
	c.Data = name
	return c
}
