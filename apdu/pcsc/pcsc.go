//go:build pcsc

package pcsc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ebfe/scard"
)

// Card is an open connection to a card in a reader. It implements
// apdu.Transport; its methods may be called from several goroutines (they
// are serialised).
type Card struct {
	mu     sync.Mutex
	sc     *scard.Context // nil once closed
	card   *scard.Card    // nil while disconnected
	reader string
	opts   Options
	atr    []byte
	proto  Protocol
}

// Open connects to the card in reader, or when reader is "" to the card in
// the first reader that has one. Errors wrap ErrNoService, ErrNoReader,
// ErrNoCard, ErrReaderBusy, ErrCardMute or ErrProtocolMismatch when PC/SC
// gave one of those reasons.
func Open(ctx context.Context, reader string, opts Options) (*Card, error) {
	if _, err := opts.Protocol.scard(); err != nil {
		return nil, err
	}
	if err := checkReaderName(reader); err != nil {
		return nil, err
	}
	sc, err := establish(ctx, "open")
	if err != nil {
		return nil, err
	}
	if reader == "" {
		if reader, err = firstReaderWithCard(sc); err != nil {
			sc.Release()
			return nil, err
		}
	}
	c := &Card{sc: sc, reader: reader, opts: opts}
	if err := c.connect(ctx); err != nil {
		sc.Release()
		return nil, err
	}
	return c, nil
}

// connect opens a new handle on c.reader; c.mu is held or c is not shared.
func (c *Card) connect(ctx context.Context) error {
	proto, _ := c.opts.Protocol.scard()
	card, err := c.sc.Connect(c.reader, c.shareMode(), proto)
	if err != nil {
		return translate("connect", c.reader, err)
	}
	if err := c.adopt(card); err != nil {
		card.Disconnect(scard.LeaveCard)
		return err
	}
	if err := ctx.Err(); err != nil {
		c.disconnect()
		return err
	}
	return nil
}

// adopt makes card c's handle and reads its ATR and protocol.
func (c *Card) adopt(card *scard.Card) error {
	var p Protocol
	switch card.ActiveProtocol() {
	case scard.ProtocolT0:
		p = T0
	case scard.ProtocolT1:
		p = T1
	default: // scard's Transmit panics on any other protocol
		return &Error{Op: "connect", Reader: c.reader, Kind: ErrProtocolMismatch,
			Advice: "the reader chose neither T=0 nor T=1", Err: fmt.Errorf("active protocol %#x", card.ActiveProtocol())}
	}
	st, err := card.Status()
	if err != nil {
		return translate("read the ATR", c.reader, err)
	}
	c.card, c.proto, c.atr = card, p, bytes.Clone(st.Atr)
	return nil
}

// Transmit sends one command APDU and returns the response APDU (data,
// SW1, SW2). It implements apdu.Transport. It does not handle 61xx or 6Cxx:
// wrap it in apdu's T=0 handling for that. A PC/SC call cannot be
// interrupted: ctx is checked before and after it, and when ctx ends during
// the call the card has executed the command but its response is dropped.
func (c *Card) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case len(command) == 0: // scard would index command[0] and panic
		return nil, ErrEmptyCommand
	case len(command) > maxCommand:
		return nil, fmt.Errorf("%w: %d bytes", ErrCommandTooLong, len(command))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sc == nil {
		return nil, ErrClosed
	}
	if c.card == nil {
		return nil, &Error{Op: "transmit", Reader: c.reader, Kind: ErrCardRemoved, Advice: adviceReconnect, Err: errDisconnected}
	}
	rsp, err := c.card.Transmit(command)
	if err != nil {
		return nil, c.transmitError(ctx, err)
	}
	if len(rsp) < 2 {
		return nil, fmt.Errorf("%w: reader %q returned %d bytes", ErrShortResponse, c.reader, len(rsp))
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("apdu/pcsc: the card executed the command but %w", err)
	}
	return bytes.Clone(rsp), nil // scard's buffer is 64 KiB
}

// transmitError translates a failed SCardTransmit. pcscd first reports a
// removed card as "Transaction failed" (or a communication error) and
// notices the removal only at its next poll, up to 400 ms later: for those
// two errors, wait (at most removalWait, and not past ctx) to see whether
// the card is gone.
func (c *Card) transmitError(ctx context.Context, err error) error {
	if (errors.Is(err, scard.ErrNotTransacted) || errors.Is(err, scard.ErrCommError)) && c.cardGone(ctx) {
		return &Error{Op: "transmit", Reader: c.reader, Kind: ErrCardRemoved, Advice: adviceRemoved, Err: err}
	}
	return translate("transmit", c.reader, err)
}

// removalWait bounds cardGone: two and a half of pcscd's 400 ms polls.
const removalWait = time.Second

// cardGone reports whether pcscd sees the card removed (or removed and
// another inserted) within removalWait.
func (c *Card) cardGone(ctx context.Context) bool {
	if st, err := c.card.Status(); isRemoval(err) || (err == nil && st.State&scard.Absent != 0) {
		return true
	}
	deadline := time.Now().Add(removalWait)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	rs := []scard.ReaderState{{Reader: c.reader, CurrentState: scard.StateUnaware}}
	if err := c.sc.GetStatusChange(rs, 0); err != nil {
		return false
	}
	events := rs[0].EventState >> 16 // pcscd counts insertions and removals here
	for {
		ev := rs[0].EventState
		if ev&scard.StateEmpty != 0 || ev>>16 != events {
			return true
		}
		wait := time.Until(deadline)
		if wait <= 0 || ctx.Err() != nil {
			return false
		}
		rs[0].CurrentState = ev &^ scard.StateChanged
		if err := c.sc.GetStatusChange(rs, wait); err != nil {
			return false
		}
	}
}

// ATR returns a copy of the card's Answer To Reset, as read when it was
// opened or last reconnected.
func (c *Card) ATR() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.atr)
}

// Protocol returns the protocol in use, T0 or T1.
func (c *Card) Protocol() Protocol {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proto
}

// Reader returns the name of the card's reader.
func (c *Card) Reader() string { return c.reader }

// Reconnect resets the card and connects to it again: after it was
// removed and inserted again (ErrCardRemoved), after another program reset
// it (ErrCardReset), or to start afresh. If the old handle cannot be
// reconnected it opens a new one, and if pcscd was restarted, a new PC/SC
// context. With no card in the reader the error wraps ErrNoCard: call
// WaitForCard first.
func (c *Card) Reconnect(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sc == nil {
		return ErrClosed
	}
	if c.card != nil {
		proto, _ := c.opts.Protocol.scard()
		if err := c.card.Reconnect(c.shareMode(), proto, scard.ResetCard); err == nil {
			if err := c.adopt(c.card); err != nil {
				return err
			}
			return ctx.Err()
		}
		c.disconnect()
	}
	if ok, _ := c.sc.IsValid(); !ok {
		sc, err := establish(ctx, "reconnect")
		if err != nil {
			return err
		}
		c.sc.Release()
		c.sc = sc
	}
	return c.connect(ctx)
}

// Close disconnects from the card (resetting it, unless opened shared) and
// releases the PC/SC context. Closing twice is harmless.
func (c *Card) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sc == nil {
		return nil
	}
	var err error
	if c.card != nil {
		disp := scard.ResetCard
		if c.opts.Shared {
			disp = scard.LeaveCard
		}
		if derr := c.card.Disconnect(disp); derr != nil && !isRemoval(derr) && !errors.Is(derr, scard.ErrInvalidHandle) {
			err = translate("close", c.reader, derr)
		}
		c.card = nil
	}
	if rerr := c.sc.Release(); rerr != nil && err == nil {
		err = translate("close", c.reader, rerr)
	}
	c.sc = nil
	return err
}

// disconnect drops the handle, whatever state the card is in.
func (c *Card) disconnect() {
	if c.card != nil {
		c.card.Disconnect(scard.LeaveCard)
		c.card = nil
	}
}

func (c *Card) shareMode() scard.ShareMode {
	if c.opts.Shared {
		return scard.ShareShared
	}
	return scard.ShareExclusive
}

func (p Protocol) scard() (scard.Protocol, error) {
	switch p {
	case Any:
		return scard.ProtocolAny, nil
	case T0:
		return scard.ProtocolT0, nil
	case T1:
		return scard.ProtocolT1, nil
	}
	return 0, fmt.Errorf("apdu/pcsc: unknown protocol %v: use Any, T0 or T1", p)
}

// firstReaderWithCard returns the first reader with a card that answered
// its reset.
func firstReaderWithCard(sc *scard.Context) (string, error) {
	names, err := sc.ListReaders()
	if err != nil {
		return "", translate("open", "", err)
	}
	states := make([]scard.ReaderState, len(names))
	for i, name := range names {
		states[i] = scard.ReaderState{Reader: name, CurrentState: scard.StateUnaware}
	}
	if err := sc.GetStatusChange(states, 0); err != nil {
		return "", translate("open", "", err)
	}
	for _, st := range states {
		if st.EventState&scard.StatePresent != 0 && st.EventState&scard.StateMute == 0 {
			return st.Reader, nil
		}
	}
	return "", &Error{Op: "open", Kind: ErrNoCard, Err: scard.ErrNoSmartcard,
		Advice: fmt.Sprintf("no card in any of the %d readers (%s): insert one", len(names), strings.Join(names, ", "))}
}

// establish checks ctx and opens a PC/SC context.
func establish(ctx context.Context, op string) (*scard.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sc, err := scard.EstablishContext()
	if err != nil {
		return nil, translate(op, "", err)
	}
	return sc, nil
}

func checkReaderName(reader string) error {
	if strings.IndexByte(reader, 0) >= 0 {
		return fmt.Errorf("apdu/pcsc: reader name %q contains a NUL byte", reader)
	}
	return nil
}
