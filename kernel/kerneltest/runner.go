package kerneltest

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/attack"
	"github.com/yixin-emv/yixin/kernel"
)

// DefaultTimeout bounds one case: a card that never answers ends the
// transaction when it expires.
const DefaultTimeout = 20 * time.Second

// Runner runs cases. The zero Runner is ready: it runs GOMAXPROCS cases at a
// time. A Runner personalises each card (profile and seed) once and shares
// it between the cases that use it, so reuse one Runner for a whole run.
type Runner struct {
	// Parallel bounds the cases run at once; 0 means GOMAXPROCS.
	Parallel int
	// Timeout bounds each case; 0 means DefaultTimeout.
	Timeout time.Duration
	// Progress, when set, is called after each case with the number of
	// cases done so far, from one goroutine at a time.
	Progress func(r *Result, done, total int)

	cards cardCache
}

// Result is the verdict of one case.
type Result struct {
	Case *Case
	// Passed is set when the case ran and every expectation held.
	Passed bool
	// Err says why the case could not run (a case that does not apply, a
	// card that cannot be built); the case then fails.
	Err error
	// Differences lists every expectation that did not hold, in the order
	// of the Expect members; Checks every expectation, held or not.
	Differences []Difference
	Checks      []Check
	// Actual is what the transaction produced (nil when Err is set).
	Actual *Actual
	// Trace is the annotated APDU trace, secrets masked, followed by what
	// the misbehaviour rules did.
	Trace    string
	Duration time.Duration
}

// Summary is one line: "ok", the setup error, or the first difference.
func (r *Result) Summary() string {
	switch {
	case r.Err != nil:
		return "error: " + r.Err.Error()
	case len(r.Differences) > 0:
		s := r.Differences[0].String()
		if n := len(r.Differences) - 1; n > 0 {
			s += fmt.Sprintf(" (and %d more)", n)
		}
		return s
	}
	return "ok"
}

// Filter returns the cases whose ID matches re (all when re is nil).
func Filter(cases []*Case, re *regexp.Regexp) []*Case {
	if re == nil {
		return cases
	}
	var out []*Case
	for _, c := range cases {
		if re.MatchString(c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// Run runs the cases in parallel and returns their results in the order of
// cases. It first personalises every distinct card the cases use, in
// parallel and the slowest (largest RSA keys) first, so that no worker sits
// waiting for a card another one is making.
func (r *Runner) Run(ctx context.Context, cases []*Case) []*Result {
	n := r.Parallel
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	r.personaliseAll(cases, n)
	results := make([]*Result, len(cases))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			res := r.RunCase(ctx, c)
			<-sem
			results[i] = res
			if r.Progress != nil {
				mu.Lock()
				done++
				r.Progress(res, done, len(cases))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return results
}

// personaliseAll fills the card cache for the cases, n cards at a time.
// Cases whose profile cannot be built are left to RunCase, which reports
// the error.
func (r *Runner) personaliseAll(cases []*Case, n int) {
	type job struct {
		p    *cardsim.Profile
		seed uint64
		cost int
	}
	seen := map[[32]byte]bool{}
	var jobs []job
	for _, c := range cases {
		p, err := c.profile()
		if err != nil {
			continue
		}
		key, err := cacheKey(p, c.seed())
		if err != nil || seen[key] {
			continue
		}
		seen[key] = true
		jobs = append(jobs, job{p: p, seed: c.seed(), cost: rsaBits(p)})
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].cost > jobs[j].cost })
	ch := make(chan job)
	var wg sync.WaitGroup
	for range min(n, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				r.cards.get(j.p, j.seed) // errors are reported by RunCase
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
}

// rsaBits estimates the cost of personalising a profile: the bits of the
// RSA keys it generates (SM2 keys are cheap).
func rsaBits(p *cardsim.Profile) int {
	bits := 0
	for _, a := range p.Applications {
		if a.ODA != nil && a.ODA.Algorithm != "sm2" {
			bits += a.ODA.CABits + a.ODA.IssuerBits + a.ODA.ICCBits
		}
	}
	return bits
}

// RunCase runs one case.
func (r *Runner) RunCase(ctx context.Context, c *Case) *Result {
	start := time.Now()
	res := &Result{Case: c}
	w, err := r.build(c)
	if err != nil {
		res.Err = err
		res.Duration = time.Since(start)
		return res
	}
	tx, err := kernel.NewTransaction(w.cfg, w.transport, w.params)
	if err != nil {
		res.Err = caseErr(c, "", "%w", err)
		res.Duration = time.Since(start)
		return res
	}
	// The timeout bounds the transaction, not the personalisation before
	// it (RSA key generation, slow on a loaded machine).
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, runErr := tx.Run(ctx)
	res.Actual = w.actual(out, runErr)
	res.Trace = w.traceText()
	checks := compare(c, res.Actual, runErr)
	res.Checks, res.Differences = checks, checks.differences()
	res.Passed = len(res.Differences) == 0
	res.Duration = time.Since(start)
	return res
}

// world is everything one case runs with.
type world struct {
	cf        *cardsim.CardFile
	card      *cardsim.Card
	attack    *attack.Transport
	log       *exchangeLog
	trace     *bytes.Buffer
	transport apdu.Transport
	cfg       *kernel.Config
	host      *caseHost
	params    kernel.Params
}

// build makes the case's card, terminal and people.
func (r *Runner) build(c *Case) (*world, error) {
	p, err := c.profile()
	if err != nil {
		return nil, err
	}
	pers, err := r.cards.get(p, c.seed())
	if err != nil {
		return nil, caseErr(c, "card", "personalising: %w", err)
	}
	w := &world{trace: &bytes.Buffer{}}
	if w.cf, err = c.editRecords(pers.cf); err != nil {
		return nil, err
	}
	if w.card, err = c.newCard(w.cf); err != nil {
		return nil, err
	}
	var next apdu.Transport = w.card
	if len(c.Card.Misbehaviour) > 0 {
		rules, err := attack.ParseRules(c.Card.Misbehaviour)
		if err != nil {
			return nil, caseErr(c, "card.misbehaviour", "%w", err)
		}
		if w.attack, err = attack.New(w.card, rules...); err != nil {
			return nil, caseErr(c, "card.misbehaviour", "%w", err)
		}
		next = w.attack
	}
	w.log = &exchangeLog{next: next}
	w.transport = apdu.NewTracer(w.log, w.trace, apdu.TraceOptions{})
	if err := w.terminal(c, pers); err != nil {
		return nil, err
	}
	return w, nil
}

// terminal sets up the configuration and its interfaces.
func (w *world) terminal(c *Case, pers personalised) error {
	var err error
	if w.cfg, err = c.terminalConfig(pers.keys); err != nil {
		return err
	}
	now, err := clockOf(c.Transaction.Date, c.Transaction.Time)
	if err != nil {
		return caseErr(c, "transaction.date", "%w", err)
	}
	w.cfg.Clock = func() time.Time { return now }
	w.cfg.Rand = c.terminalRand()
	w.cfg.PINPad = c.pinPadFor(w.cf)
	w.cfg.Cardholder = c.cardholderFor()
	if w.host, err = c.host(w.cf); err != nil {
		return err
	}
	if w.host != nil {
		w.cfg.Host = w.host
	}
	if err := w.cfg.Validate(); err != nil {
		return caseErr(c, "terminal", "%w", err)
	}
	if w.params, err = c.params(); err != nil {
		return caseErr(c, "transaction", "%w", err)
	}
	return nil
}

// newCard builds the card with the case's counters.
func (c *Case) newCard(cf *cardsim.CardFile) (*cardsim.Card, error) {
	store := &cardsim.MemoryStore{}
	opts := &cardsim.Options{Rand: cardsim.SeededReader(c.seed() + 1), Store: store}
	card, err := cardsim.New(cf, opts)
	if err != nil {
		return nil, caseErr(c, "card", "%w", err)
	}
	if len(c.Card.Counters) == 0 && !c.Card.CardBlocked {
		return card, nil
	}
	st := card.State()
	st.CardBlocked = c.Card.CardBlocked
	for _, name := range sortedKeys(c.Card.Counters) {
		i := appIndex(cf, name)
		if i < 0 {
			return nil, caseErr(c, "card.counters", "the card has no application %q", name)
		}
		key := hex.EncodeToString(cf.Applications[i].AID)
		as := appState(st, key)
		if as == nil {
			return nil, caseErr(c, "card.counters", "the card keeps no state for %s", name)
		}
		var patched cardsim.AppState
		if err := patchStruct(as, c.Card.Counters[name], &patched); err != nil {
			return nil, caseErr(c, "card.counters."+name, "%w", err)
		}
		*as = patched
	}
	if err := store.Save(st); err != nil {
		return nil, caseErr(c, "card.counters", "%w", err)
	}
	if card, err = cardsim.New(cf, opts); err != nil {
		return nil, caseErr(c, "card.counters", "%w", err)
	}
	return card, nil
}

// appState finds an application's state by AID in hex, whatever its case.
func appState(st *cardsim.State, aidHex string) *cardsim.AppState {
	for k, v := range st.Apps {
		if equalFoldHex(k, aidHex) {
			return v
		}
	}
	return nil
}

func equalFoldHex(a, b string) bool {
	x, err1 := hex.DecodeString(a)
	y, err2 := hex.DecodeString(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// traceText is the annotated trace and the misbehaviour events.
func (w *world) traceText() string {
	s := w.trace.String()
	if w.attack != nil {
		var b bytes.Buffer
		b.WriteString(s)
		b.WriteString("\n# misbehaviour\n")
		evs := w.attack.Events()
		if len(evs) == 0 {
			b.WriteString("# no rule fired\n")
		}
		for _, e := range evs {
			fmt.Fprintf(&b, "# %s\n", e)
		}
		s = b.String()
	}
	return s
}

// terminatedError is the kernel's typed error, when there is one.
func terminatedError(err error) *kernel.TerminatedError {
	var te *kernel.TerminatedError
	if errors.As(err, &te) {
		return te
	}
	return nil
}
