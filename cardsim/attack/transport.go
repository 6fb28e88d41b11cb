package attack

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/yixin-emv/yixin/apdu"
)

// Transport is an apdu.Transport that passes commands to another one and
// misbehaves as its rules say. Transports compose: the card behind one
// may be a cardsim.Card, a PC/SC reader, a replayer or another Transport.
//
// For each command, every rule whose Match holds fires, in the order of
// the list. Their command edits apply in order; the first rule with an
// Answer or a Fault decides what replaces the card (later ones are noted
// as superseded); then the response edits of every firing rule apply in
// order, to the card's response or to the Answer.
//
// A Transport is safe for concurrent use, although a card conversation
// is sequential: the counters are updated under a lock, which is never
// held while the next transport works or a fault waits.
type Transport struct {
	next  apdu.Transport
	rules []compiled

	mu       sync.Mutex
	pos      int
	removed  bool
	removedF *FaultError
	events   []Event
}

// compiled is a rule with its fault parsed and its counters.
type compiled struct {
	Rule
	name    string
	fault   fault
	matches int // commands that satisfied the header and data conditions
	fired   int
}

// Event records that a rule fired: where, on which command, and what it
// did ("answered 9000", "stripped 9F4B", "no 9F4B to strip" …). The
// command's data is not kept: it may hold a PIN block.
type Event struct {
	Position int     // of the APDU, from 1
	Rule     string  // the rule's name, or "rule N" (N from 0)
	Header   [4]byte // CLA INS P1 P2 as the terminal sent them (zeros when shorter)
	Did      []string
}

func (e Event) String() string {
	return fmt.Sprintf("APDU %d %X (%s): %v", e.Position, e.Header[:], e.Rule, e.Did)
}

// New returns a Transport in front of next that applies rules, after
// validating each of them (the error is a *RuleError wrapping ErrRule).
func New(next apdu.Transport, rules ...Rule) (*Transport, error) {
	t := &Transport{next: next, rules: make([]compiled, len(rules))}
	for i, r := range rules {
		if err := r.validate(i); err != nil {
			return nil, err
		}
		c := compiled{Rule: r, name: r.Name}
		if c.name == "" {
			c.name = "rule " + strconv.Itoa(i)
		}
		if r.Fault != "" {
			c.fault, _ = parseFault(r.Fault)
		}
		t.rules[i] = c
	}
	return t, nil
}

// Events returns a copy of what the rules did so far, in order.
func (t *Transport) Events() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Event, len(t.events))
	for i, e := range t.events {
		e.Did = append([]string(nil), e.Did...)
		out[i] = e
	}
	return out
}

// Position returns the number of commands given to the Transport so far.
func (t *Transport) Position() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pos
}

// exchange is the work on one command: the rules that fired (with the
// index of their event), the command to forward, and the deciding rule.
type exchange struct {
	pos     int
	header  [4]byte
	ins     byte // INS as sent to the card, for the response edits
	fired   []*compiled
	evIdx   []int
	cmd     []byte
	decider *compiled // the first firing rule with an Answer or a Fault
}

// Transmit applies the rules to one command.
func (t *Transport) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("attack: before sending the command: %w", err)
	}
	x, ferr := t.begin(cmd)
	if ferr != nil {
		return nil, ferr
	}
	if x.decider == nil {
		resp, err := t.next.Transmit(ctx, x.cmd)
		if err != nil {
			return nil, err
		}
		return t.editResponse(x, resp), nil
	}
	d := x.decider
	if d.Forward {
		if _, err := t.next.Transmit(ctx, x.cmd); err != nil {
			return nil, err
		}
		t.note(x, d, "forwarded the command, threw the response away")
	}
	if d.Answer != nil {
		t.note(x, d, "answered "+Hex(d.Answer).String())
		return t.editResponse(x, bytes.Clone(d.Answer)), nil
	}
	return t.doFault(ctx, x, d)
}

// begin counts the command, finds the rules that fire and applies their
// command edits, all under the lock.
func (t *Transport) begin(cmd []byte) (*exchange, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pos++
	x := &exchange{pos: t.pos, cmd: cmd}
	copy(x.header[:], cmd)
	if t.removed {
		return nil, &FaultError{Position: t.pos, Rule: t.removedF.Rule, Err: ErrCardRemoved}
	}
	for i := range t.rules {
		r := &t.rules[i]
		if !t.fires(r, cmd) {
			continue
		}
		x.fired = append(x.fired, r)
		x.evIdx = append(x.evIdx, len(t.events))
		t.events = append(t.events, Event{Position: t.pos, Rule: r.name, Header: x.header})
		if r.Answer != nil || r.Fault != "" {
			if x.decider == nil {
				x.decider = r
			} else {
				t.noteLocked(x, r, "superseded by "+x.decider.name)
			}
		}
	}
	x.cmd = t.editCommand(x, cmd)
	if len(x.cmd) >= 2 {
		x.ins = x.cmd[1]
	}
	if d := x.decider; d != nil && d.fault.kind == FaultRemoved {
		t.removed = true
		t.removedF = &FaultError{Position: t.pos, Rule: d.name, Err: ErrCardRemoved}
	}
	return x, nil
}

// fires updates the rule's counters and reports whether it fires on cmd.
func (t *Transport) fires(r *compiled, cmd []byte) bool {
	if !r.Match.command(cmd) {
		return false
	}
	r.matches++
	m := &r.Match
	switch {
	case m.At != 0 && t.pos != m.At,
		m.From != 0 && t.pos < m.From,
		m.Nth != 0 && r.matches != m.Nth,
		m.FromNth != 0 && r.matches < m.FromNth,
		m.Times != 0 && r.fired >= m.Times:
		return false
	}
	r.fired++
	return true
}

// command reports whether cmd satisfies the header and data conditions.
func (m *Match) command(cmd []byte) bool {
	for i, b := range []*Byte{m.CLA, m.INS, m.P1, m.P2} {
		if b != nil && (len(cmd) <= i || cmd[i] != byte(*b)) {
			return false
		}
	}
	if m.Data == nil && m.DataPrefix == nil {
		return true
	}
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		return false
	}
	if m.Data != nil {
		return bytes.Equal(c.Data, m.Data)
	}
	return bytes.HasPrefix(c.Data, m.DataPrefix)
}

// editCommand applies the command edits of the firing rules.
func (t *Transport) editCommand(x *exchange, cmd []byte) []byte {
	out := cmd
	for _, r := range x.fired {
		if r.ClearP1 == 0 && r.SetData == nil {
			continue
		}
		c, err := apdu.ParseCommand(out)
		if err != nil {
			t.noteLocked(x, r, "command left as is: "+err.Error())
			continue
		}
		if r.ClearP1 != 0 {
			c.P1 &^= byte(r.ClearP1)
			t.noteLocked(x, r, fmt.Sprintf("cleared %02X of P1", byte(r.ClearP1)))
		}
		if r.SetData != nil {
			c.Data = bytes.Clone(r.SetData)
			t.noteLocked(x, r, "command data set to "+Hex(r.SetData).String())
		}
		b, err := c.AppendTo(nil)
		if err != nil {
			t.noteLocked(x, r, "command left as is: "+err.Error())
			continue
		}
		out = b
	}
	return out
}

// doFault makes the exchange fail the way the deciding rule says.
func (t *Transport) doFault(ctx context.Context, x *exchange, d *compiled) ([]byte, error) {
	fe := &FaultError{Position: x.pos, Rule: d.name}
	switch d.fault.kind {
	case FaultTransport:
		t.note(x, d, "transport error")
		fe.Err = ErrInjected
	case FaultRemoved:
		t.note(x, d, "card removed")
		fe.Err = ErrCardRemoved
	case FaultHang:
		t.note(x, d, "no answer")
		<-ctx.Done()
		fe.Err = fmt.Errorf("%w: %w", ErrNoAnswer, ctx.Err())
	case FaultGarbage:
		g := d.Garbage
		if g == nil {
			g = DefaultGarbage
		}
		t.note(x, d, "answered garbage "+Hex(g).String())
		return bytes.Clone(g), nil
	case FaultShort:
		t.note(x, d, "answered one byte")
		return []byte{0x6F}, nil
	case FaultEmpty:
		t.note(x, d, "answered nothing")
		return []byte{}, nil
	default: // "sw"
		t.note(x, d, "answered "+d.fault.sw.String())
		return []byte{byte(d.fault.sw >> 8), byte(d.fault.sw)}, nil
	}
	return nil, fe
}

// String returns the four hex digits.
func (w Word) String() string { return fmt.Sprintf("%04X", uint16(w)) }

// note adds what a rule did to its event.
func (t *Transport) note(x *exchange, r *compiled, did string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.noteLocked(x, r, did)
}

func (t *Transport) noteLocked(x *exchange, r *compiled, did string) {
	for i, f := range x.fired {
		if f == r {
			e := &t.events[x.evIdx[i]]
			e.Did = append(e.Did, did)
			return
		}
	}
}
