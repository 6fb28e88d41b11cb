package cardsim

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
)

// Options configure a Card.
type Options struct {
	// Rand supplies the card's randomness (GET CHALLENGE, ICC dynamic
	// numbers, SM2 signatures); nil means crypto/rand.
	Rand io.Reader
	// Store keeps the non-volatile state; nil means a fresh MemoryStore.
	Store Store
}

// Card is a simulated, personalised chip card. It is an apdu.Transport:
// Transmit takes a command APDU and returns the response APDU the card
// gives, always at least the two status bytes. A Card is safe for
// concurrent use, though a real terminal never overlaps commands.
//
// Everything the card must not forget (ATC, PIN try counter, offline
// counters, blocked flags, script changes) is saved to its Store before
// the response that depends on it is returned: an ATC is incremented and
// saved before GET PROCESSING OPTIONS answers, so that no two
// transactions share one, and the PIN try counter is decremented and
// saved before the PIN is compared.
type Card struct {
	mu    sync.Mutex
	file  *CardFile
	apps  []*app
	store Store
	st    *State
	rand  io.Reader
	sess  session
}

// app is one application, ready to run.
type app struct {
	prof    *AppProfile
	pers    *AppPersonalisation
	alg     cryptogram.Algorithm
	rules   riskRules
	afl     []emv.AFLEntry
	records map[[2]int][]byte
	pdol    emv.DOL
	cdol1   emv.DOL
	cdol2   emv.DOL
	icc     *iccKey
	state   *AppState
}

// New builds a card from a card file. The store's saved state is loaded;
// when the store is empty the card starts as new (the profile's ATC, a
// full PIN try counter) and saves that state at once.
func New(cf *CardFile, opts *Options) (*Card, error) {
	if err := cf.Validate(); err != nil {
		return nil, err
	}
	c := &Card{file: cf, rand: rand.Reader, store: &MemoryStore{}}
	if opts != nil && opts.Rand != nil {
		c.rand = opts.Rand
	}
	if opts != nil && opts.Store != nil {
		c.store = opts.Store
	}
	if err := c.loadState(); err != nil {
		return nil, err
	}
	for i := range cf.Applications {
		a, err := newApp(&cf.Profile.Applications[i], &cf.Applications[i], c.st)
		if err != nil {
			return nil, err
		}
		c.apps = append(c.apps, a)
	}
	return c, nil
}

func newApp(prof *AppProfile, pers *AppPersonalisation, st *State) (*app, error) {
	a := &app{prof: prof, pers: pers, records: map[[2]int][]byte{}, state: st.Apps[prof.AID.String()]}
	var err error
	if a.alg, err = prof.Crypto.algorithm(); err != nil {
		return nil, err
	}
	if a.rules, err = prof.Risk.rules(); err != nil {
		return nil, err
	}
	if a.afl, err = emv.ParseAFL(pers.AFL); err != nil {
		return nil, fmt.Errorf("%w: application %s: %v", ErrProfile, prof.Name, err)
	}
	for _, r := range pers.Records {
		a.records[[2]int{r.SFI, r.Record}] = r.Data
	}
	a.pdol, _ = emv.ParseDOL(prof.PDOL) // validated with the profile
	a.cdol1, _ = emv.ParseDOL(prof.CDOL1)
	a.cdol2, _ = emv.ParseDOL(prof.CDOL2)
	if pers.ICCKey != nil {
		if a.icc, err = loadICCKey(pers.ICCKey); err != nil {
			return nil, fmt.Errorf("%w: application %s: ICC key: %v", ErrProfile, prof.Name, err)
		}
	}
	return a, nil
}

// loadState loads the saved state, or makes and saves the state of a new
// card, and checks that it belongs to this card.
func (c *Card) loadState() error {
	st, err := c.store.Load()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st = c.newState()
		if err := c.store.Save(st); err != nil {
			return err
		}
	case err != nil:
		return err
	case st.CardID != c.file.ID.String():
		return fmt.Errorf("%w: the state belongs to card %s, not to this card %s", ErrState, st.CardID, c.file.ID)
	}
	if st.Apps == nil {
		st.Apps = map[string]*AppState{}
	}
	for i := range c.file.Profile.Applications {
		p := &c.file.Profile.Applications[i]
		if st.Apps[p.AID.String()] == nil {
			return fmt.Errorf("%w: the state has no application %s", ErrState, p.AID)
		}
	}
	c.st = st
	return nil
}

func (c *Card) newState() *State {
	st := &State{Format: StateFormat, CardID: c.file.ID.String(), Apps: map[string]*AppState{}}
	for i := range c.file.Profile.Applications {
		p := &c.file.Profile.Applications[i]
		st.Apps[p.AID.String()] = &AppState{ATC: uint16(p.ATC), PINTries: p.PINTryLimit}
	}
	return st
}

// save writes the state. On failure the in-memory state keeps its changes
// (a counter that went up stays up) and the command fails with 6581.
func (c *Card) save() error {
	c.st.Generation++
	return c.store.Save(c.st)
}

// State returns a copy of the card's non-volatile state.
func (c *Card) State() *State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.clone()
}

// Reset forgets the volatile state, as a power cycle or a warm reset of
// the chip does: the selected application, the transaction in progress,
// the GET CHALLENGE number. It implements vpcd.Resetter.
func (c *Card) Reset() {
	c.mu.Lock()
	c.sess = session{}
	c.mu.Unlock()
}

// ATR returns the card's Answer To Reset from its profile, or nil when the
// profile leaves it to the transport.
func (c *Card) ATR() []byte { return append([]byte(nil), c.file.Profile.ATR...) }

// Transmit processes one command APDU and returns the response APDU. It
// fails only when ctx is done; every problem with the command itself is
// answered with a status word, as a card does.
func (c *Card) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cardsim: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.process(command).Bytes(), nil
}

// process parses and dispatches a command.
func (c *Card) process(raw []byte) apdu.Response {
	cmd, err := apdu.ParseCommand(raw)
	if err != nil {
		return status(apdu.SWWrongLength)
	}
	h, ok := commandTable[cmd.INS]
	if !ok {
		return status(apdu.SWINSNotSupported)
	}
	if !h.accepts(cmd.CLA) {
		return status(apdu.SWCLANotSupported)
	}
	rsp := h.run(c, &cmd, raw)
	if h.resendable && rsp.SW == apdu.SWNoError && cmd.Ne > 0 && len(rsp.Data) > cmd.Ne {
		// ISO/IEC 7816-3 §12.2: wrong Le, here is the right one.
		return status(apdu.StatusWord(0x6C00 | len(rsp.Data)&0xFF))
	}
	return rsp
}

// app returns the selected application, or nil.
func (c *Card) app() *app {
	if c.sess.df != dfApp {
		return nil
	}
	return c.sess.app
}
