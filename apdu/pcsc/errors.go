package pcsc

import (
	"errors"
	"strconv"
	"strings"
)

// ErrNotBuilt is returned by every function and method of a binary built
// without the pcsc build tag.
var ErrNotBuilt = errors.New("apdu/pcsc: built without PC/SC support: rebuild with -tags pcsc (needs libpcsclite-dev and pcscd)")

// Kinds of failure a user can act on. An *Error wraps one of them (when the
// PC/SC error code is known) together with the PC/SC error itself, so that
// errors.Is works with both.
var (
	// ErrNoService: pcscd is not running, or stopped.
	ErrNoService = errors.New("pcscd is not running")
	// ErrNoReader: no reader at all, or not the one asked for.
	ErrNoReader = errors.New("no such smart card reader")
	// ErrNoCard: the reader is empty.
	ErrNoCard = errors.New("no card in the reader")
	// ErrCardRemoved: the card was removed since it was opened; after it is
	// inserted again, Reconnect.
	ErrCardRemoved = errors.New("card was removed")
	// ErrCardReset: someone else reset the card; Reconnect and select the
	// application again.
	ErrCardReset = errors.New("card was reset")
	// ErrReaderBusy: another program holds the card exclusively.
	ErrReaderBusy = errors.New("card is in use by another program")
	// ErrCardMute: the card does not answer (no ATR, unpowered, unsupported).
	ErrCardMute = errors.New("card does not answer")
	// ErrProtocolMismatch: the card does not offer the protocol asked for.
	ErrProtocolMismatch = errors.New("card does not support the requested protocol")
)

// Errors of the package itself, raised before anything reaches PC/SC.
var (
	// ErrEmptyCommand: Transmit was given an empty command APDU.
	ErrEmptyCommand = errors.New("apdu/pcsc: empty command APDU")
	// ErrCommandTooLong: the command is longer than an extended-length APDU.
	ErrCommandTooLong = errors.New("apdu/pcsc: command APDU longer than 65544 bytes")
	// ErrShortResponse: the reader returned fewer than 2 bytes (no SW1 SW2).
	ErrShortResponse = errors.New("apdu/pcsc: response shorter than SW1 SW2")
	// ErrClosed: the Card was closed.
	ErrClosed = errors.New("apdu/pcsc: card handle is closed")
)

// maxCommand is the longest command APDU: header, 3-byte Lc, 65 535 data
// bytes and a 2-byte extended Le (ISO/IEC 7816-3, case 4E).
const maxCommand = 4 + 3 + 65535 + 2

// Error is a PC/SC failure, translated: Kind is one of the sentinel errors
// above (nil when the code has none), Advice tells the user what to do, and
// Err is the PC/SC error as the library returned it.
type Error struct {
	Op     string // what was being done: "list readers", "connect", "transmit", …
	Reader string // the reader's name, when there is one
	Kind   error
	Advice string
	Err    error
}

// Error says what failed, on which reader, and what to do about it.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("apdu/pcsc: ")
	b.WriteString(e.Op)
	if e.Reader != "" {
		b.WriteString(" on ")
		b.WriteString(strconv.Quote(e.Reader))
	}
	b.WriteString(": ")
	if e.Advice != "" {
		b.WriteString(e.Advice)
		b.WriteString(" (")
		b.WriteString(e.Err.Error())
		b.WriteString(")")
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind (when set) and Err, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Kind == nil {
		return []error{e.Err}
	}
	return []error{e.Kind, e.Err}
}
