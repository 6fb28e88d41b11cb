//go:build pcsc

package pcsc

import (
	"context"
	"errors"
	"time"

	"github.com/ebfe/scard"
)

// pollInterval bounds each wait inside pcscd (SCardGetStatusChange), so
// that WaitForCard notices new readers and a done context even if
// SCardCancel does not get through.
const pollInterval = 500 * time.Millisecond

// ListReaders returns the names of the readers pcscd knows. When there is
// none, the error wraps ErrNoReader; when pcscd is not running,
// ErrNoService.
func ListReaders(ctx context.Context) ([]string, error) {
	sc, err := establish(ctx, "list readers")
	if err != nil {
		return nil, err
	}
	defer sc.Release()
	readers, err := sc.ListReaders()
	if err != nil {
		return nil, translate("list readers", "", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return readers, nil
}

// WaitForCard waits until a card is in the reader (any reader when reader
// is ""), or ctx is done (it then returns ctx.Err()). It returns at once
// with an error wrapping ErrNoService when pcscd is not running,
// ErrNoReader when the named reader does not exist, and ErrCardMute when
// the card in it did not answer its reset (remove it, check it and insert
// it again). With reader "" it also waits for a reader to be plugged in.
func WaitForCard(ctx context.Context, reader string) error {
	if err := checkReaderName(reader); err != nil {
		return err
	}
	sc, err := establish(ctx, "wait for a card")
	if err != nil {
		return err
	}
	defer sc.Release()
	stop := context.AfterFunc(ctx, func() { sc.Cancel() })
	defer stop()
	w := &waiter{sc: sc, reader: reader}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		found, err := w.step(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil || found {
			return err
		}
	}
}

// waiter is the state of WaitForCard: the readers watched and what pcscd
// last said about each.
type waiter struct {
	sc     *scard.Context
	reader string
	states []scard.ReaderState
}

// step waits at most pollInterval for a change and reports whether a
// usable card is present.
func (w *waiter) step(ctx context.Context) (bool, error) {
	if w.states == nil {
		names := []string{w.reader}
		if w.reader == "" {
			var err error
			if names, err = w.sc.ListReaders(); errors.Is(err, scard.ErrNoReadersAvailable) {
				return false, sleep(ctx, pollInterval) // wait for a reader
			} else if err != nil {
				return false, translate("wait for a card", "", err)
			}
		}
		w.states = make([]scard.ReaderState, len(names))
		for i, name := range names {
			w.states[i] = scard.ReaderState{Reader: name, CurrentState: scard.StateUnaware}
		}
	}
	err := w.sc.GetStatusChange(w.states, pollInterval)
	switch {
	case errors.Is(err, scard.ErrTimeout):
		if w.reader == "" {
			w.states = nil // look for new readers
		}
		return false, nil
	case w.reader == "" && (errors.Is(err, scard.ErrUnknownReader) || errors.Is(err, scard.ErrReaderUnavailable)):
		w.states = nil // a reader went away
		return false, nil
	case err != nil:
		return false, translate("wait for a card", w.reader, err)
	}
	for i := range w.states {
		ev := w.states[i].EventState
		switch {
		case ev&scard.StatePresent != 0 && ev&scard.StateMute != 0:
			x := explanations[scard.ErrUnresponsiveCard]
			return false, &Error{Op: "wait for a card", Reader: w.states[i].Reader, Kind: x.kind, Advice: x.advice, Err: scard.ErrUnresponsiveCard}
		case ev&scard.StatePresent != 0:
			return true, nil
		}
		w.states[i].CurrentState = ev &^ scard.StateChanged
	}
	return false, nil
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
