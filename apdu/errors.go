package apdu

import "errors"

// Sentinel errors of this package. Errors returned by its functions wrap
// one of them (test with errors.Is) and add what went wrong and where. A
// card's status word is not among them: a StatusWord is itself an error.
var (
	// ErrMalformedCommand: bytes that are not a command APDU of
	// ISO/IEC 7816-3 §12.1.3 (header missing, Lc inconsistent with the
	// body, a truncated extended length field, trailing bytes).
	ErrMalformedCommand = errors.New("malformed command APDU")

	// ErrInvalidCommand: a Command that cannot be encoded (Nc or Ne out of
	// range) or constructor arguments out of their range.
	ErrInvalidCommand = errors.New("invalid command")

	// ErrMalformedResponse: a response APDU shorter than its two status
	// bytes.
	ErrMalformedResponse = errors.New("malformed response APDU")

	// ErrTooManyGetResponse: a card still answered 61xx after the
	// configured number of GET RESPONSE commands.
	ErrTooManyGetResponse = errors.New("too many GET RESPONSE rounds")

	// ErrRepeatedWrongLength: a card answered 6Cxx to a command that had
	// already been resent with the Le it asked for.
	ErrRepeatedWrongLength = errors.New("card answered 6Cxx twice")

	// ErrMalformedTrace: a recorded trace file that does not follow the
	// format (see the package documentation).
	ErrMalformedTrace = errors.New("malformed trace")

	// ErrReplayMismatch: the command sent differs from the one recorded.
	ErrReplayMismatch = errors.New("command does not match the trace")

	// ErrReplayExhausted: a command was sent after the last recorded
	// exchange.
	ErrReplayExhausted = errors.New("trace exhausted")

	// ErrReplayLeftover: recorded exchanges were never replayed.
	ErrReplayLeftover = errors.New("recorded exchanges left over")
)
