package apdu

import (
	"bytes"
	"context"
	"fmt"
	"sync"
)

// ReplayMode says how a Replayer matches the commands it receives against
// the recorded ones.
type ReplayMode uint8

const (
	// ReplayStrict requires every command to equal the recorded one byte
	// for byte, over its whole length.
	ReplayStrict ReplayMode = iota
	// ReplayLenient requires only the header (CLA INS P1 P2) to match, in
	// order: for recordings of real cards, where the terminal's random
	// numbers and dates differ from one run to the next.
	ReplayLenient
)

// String names the mode.
func (m ReplayMode) String() string {
	if m == ReplayLenient {
		return "lenient"
	}
	return "strict"
}

// Replayer is a Transport that plays a card from a recorded trace: each
// command must match the next recorded one (see ReplayMode) and gets the
// recorded response. It never warns and continues: the first mismatch, or
// a command past the end of the trace, fails that Transmit and every later
// one with the same error, and Done reports recorded exchanges that were
// never replayed.
//
// A Replayer is meant for one goroutine, as a card is: calls must not
// overlap.
type Replayer struct {
	exchanges []Exchange
	mode      ReplayMode
	next      int   // index of the next exchange to replay
	err       error // the first failure; sticks
}

// NewReplayer returns a Replayer of a copy of exchanges.
func NewReplayer(exchanges []Exchange, mode ReplayMode) *Replayer {
	return &Replayer{exchanges: cloneExchanges(exchanges), mode: mode}
}

// Transmit checks command against the next recorded exchange and returns
// a copy of its response.
func (r *Replayer) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("apdu: replay: %s not sent: %w", describeCommand(command), err)
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.next >= len(r.exchanges) {
		r.err = fmt.Errorf("apdu: replay: exchange %d: %w after %d exchanges; received %s",
			r.next+1, ErrReplayExhausted, len(r.exchanges), redactedHex(command))
		return nil, r.err
	}
	x := r.exchanges[r.next]
	if !r.matches(x.Command, command) {
		r.err = &MismatchError{Exchange: r.next + 1, Line: x.Line, Mode: r.mode,
			Want: bytes.Clone(x.Command), Got: bytes.Clone(command)}
		return nil, r.err
	}
	r.next++
	return bytes.Clone(x.Response), nil
}

func (r *Replayer) matches(want, got []byte) bool {
	if r.mode == ReplayLenient {
		return len(want) >= 4 && len(got) >= 4 && bytes.Equal(want[:4], got[:4])
	}
	return bytes.Equal(want, got)
}

// Done returns the Replayer's failure if it had one, else an error
// wrapping ErrReplayLeftover if recorded exchanges remain, else nil. Call
// it when the conversation is over.
func (r *Replayer) Done() error {
	if r.err != nil {
		return r.err
	}
	if left := len(r.exchanges) - r.next; left > 0 {
		x := r.exchanges[r.next]
		return fmt.Errorf("apdu: replay: %w: %d of %d, the first (exchange %d, line %d) %s",
			ErrReplayLeftover, left, len(r.exchanges), r.next+1, x.Line, describeCommand(x.Command))
	}
	return nil
}

// Remaining returns the number of recorded exchanges not yet replayed.
func (r *Replayer) Remaining() int { return len(r.exchanges) - r.next }

// MismatchError reports a command that does not match the recorded one. It
// wraps ErrReplayMismatch. Its message shows both commands in hex, with
// the data of commands that carry secrets (VERIFY, PIN CHANGE/UNBLOCK, …)
// masked; Want and Got hold the exact bytes.
type MismatchError struct {
	Exchange  int // 1-based number of the exchange in the trace
	Line      int // line of the recorded command in its file, or 0
	Mode      ReplayMode
	Want, Got []byte
}

func (e *MismatchError) Error() string {
	where := fmt.Sprintf("exchange %d", e.Exchange)
	if e.Line > 0 {
		where += fmt.Sprintf(" (line %d)", e.Line)
	}
	what := "header"
	if e.Mode == ReplayStrict {
		what = fmt.Sprintf("byte %d", firstDifference(e.Want, e.Got))
	}
	return fmt.Sprintf("apdu: replay: %s: %v (%s replay, first difference at %s, %d bytes expected, %d received)\n\twant %s\n\tgot  %s",
		where, ErrReplayMismatch, e.Mode, what, len(e.Want), len(e.Got), redactedHex(e.Want), redactedHex(e.Got))
}

// Unwrap returns ErrReplayMismatch.
func (e *MismatchError) Unwrap() error { return ErrReplayMismatch }

func firstDifference(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// redactedHex shows a command in hex masked as a trace masks it.
func redactedHex(command []byte) string {
	m, _, _, _ := maskCommand(command, false)
	return m.hex(0, len(command))
}

// Recorder is a Transport that passes exchanges to the next transport and
// keeps a copy of each one that completed, for WriteTrace or a Replayer.
// It is safe for concurrent use.
type Recorder struct {
	next Transport
	mu   sync.Mutex
	ex   []Exchange
}

// NewRecorder returns a Recorder over next.
func NewRecorder(next Transport) *Recorder { return &Recorder{next: next} }

// Transmit sends command through the next transport and records the
// exchange if it succeeded.
func (r *Recorder) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	resp, err := transmit(ctx, r.next, command)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.ex = append(r.ex, Exchange{Command: bytes.Clone(command), Response: bytes.Clone(resp)})
	r.mu.Unlock()
	return resp, nil
}

// Exchanges returns a copy of the exchanges recorded so far.
func (r *Recorder) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return cloneExchanges(r.ex)
}
