package apdu

import (
	"context"
	"errors"
	"fmt"
)

// DefaultMaxGetResponse is the number of GET RESPONSE commands T0Transport
// sends for one command when MaxGetResponse is 0.
const DefaultMaxGetResponse = 16

// T0Transport completes the exchanges that the T=0 protocol splits, so that
// the layer above sees one response APDU per command APDU, as over T=1:
//
//   - 61xx: the card has xx more bytes (00: 256 or more). Send GET RESPONSE
//     with Le = xx, append its data, repeat while the card answers 61xx —
//     at most MaxGetResponse times, then fail with ErrTooManyGetResponse.
//     The status of the last GET RESPONSE ends the response. (A GET
//     RESPONSE resent after 6Cxx counts towards the bound.)
//   - 6Cxx: wrong Le, the card has exactly xx bytes. Resend the same
//     command with Le = xx, once; a second 6Cxx in a row fails with
//     ErrRepeatedWrongLength. A command without Le (case 1 or 3) cannot be
//     resent with one: its 6Cxx is returned as it is.
//   - A case 4 command answered with a warning (62xx, 63xx) and no data:
//     EMV (Contact Interface Specification, Annex A7 "Case 4 Command with
//     Warning Condition", as implemented by openemv/emv-utils
//     src/emv_ttl.c) has the terminal send GET RESPONSE with Le '00' and
//     return the data it gets with the warning status. ISO/IEC 7816-3:2006
//     §12.2.5 (case 4S.4) instead returns the warning unchanged; set
//     ISOCase4Warnings for that.
//
// A card that answers 61xx to a case 1 or case 3 command (which ISO/IEC
// 7816-3 Table 14 does not allow) is still sent GET RESPONSE: the data is
// more useful to the caller than an error. GET RESPONSE is sent with CLA
// 00.
//
// Put T0Transport directly above a transport that carries TPDU-level
// answers (a PC/SC reader talking T=0 leaves 61xx and 6Cxx to the
// application). It holds no state between calls and is safe for concurrent
// use if Next is.
type T0Transport struct {
	// Next carries each command, original or GET RESPONSE.
	Next Transport
	// MaxGetResponse bounds the GET RESPONSE commands sent for one
	// command; 0 means DefaultMaxGetResponse.
	MaxGetResponse int
	// ISOCase4Warnings selects the ISO/IEC 7816-3 handling of a warning
	// answered to a case 4 command (return it unchanged) instead of EMV's
	// (fetch the data with GET RESPONSE).
	ISOCase4Warnings bool
}

// T0 returns a T0Transport over next with the default settings.
func T0(next Transport) *T0Transport { return &T0Transport{Next: next} }

// Transmit sends command and completes the exchange as the type's
// documentation says. It checks ctx before every command it sends.
func (t *T0Transport) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	x := t0Exchange{t: t, original: command, cur: command}
	return x.run(ctx)
}

// t0Exchange is the state of one command's exchange.
type t0Exchange struct {
	t        *T0Transport
	original []byte
	cur      []byte     // the command to send next
	data     []byte     // response data gathered so far
	warning  StatusWord // the EMV case 4 warning to report, or 0
	rounds   int        // GET RESPONSE commands sent
	resent   bool       // cur is a resend after 6Cxx
}

func (x *t0Exchange) run(ctx context.Context) ([]byte, error) {
	for {
		resp, err := transmit(ctx, x.t.Next, x.cur)
		if err != nil {
			return nil, err
		}
		if len(resp) < 2 {
			return nil, fmt.Errorf("apdu: T=0: %w: %d bytes in answer to %s", ErrMalformedResponse, len(resp), describeCommand(x.cur))
		}
		sw := StatusWord(resp[len(resp)-2])<<8 | StatusWord(resp[len(resp)-1])
		body := resp[:len(resp)-2]
		done, err := x.step(sw, body)
		if err != nil {
			return nil, err
		}
		if done {
			return x.result(sw), nil
		}
	}
}

// step handles one answer and chooses the next command. It reports whether
// the exchange is complete.
func (x *t0Exchange) step(sw StatusWord, body []byte) (bool, error) {
	switch {
	case sw.SW1() == 0x61:
		x.data = append(x.data, body...)
		return false, x.getResponse(sw.SW2())
	case sw.SW1() == 0x6C:
		return x.wrongLength(sw, body)
	case x.case4Warning(sw, body):
		x.warning = sw
		return false, x.getResponse(0)
	}
	x.data = append(x.data, body...)
	return true, nil
}

// getResponse makes the next command GET RESPONSE with Le = le (00: 256).
func (x *t0Exchange) getResponse(le byte) error {
	if err := x.countGetResponse(); err != nil {
		return err
	}
	x.cur = []byte{0x00, INSGetResponse, 0x00, 0x00, le}
	x.resent = false
	return nil
}

// wrongLength handles 6Cxx: resend the current command with Le = xx.
func (x *t0Exchange) wrongLength(sw StatusWord, body []byte) (bool, error) {
	if x.resent {
		return true, fmt.Errorf("apdu: T=0: %w: %04X to %s, already resent with the Le the card asked for",
			ErrRepeatedWrongLength, uint16(sw), describeCommand(x.cur))
	}
	c, err := ParseCommand(x.cur)
	if err != nil || c.Ne == 0 {
		// No Le to correct (case 1 or 3, or not a command we can parse):
		// the 6Cxx goes up as it is.
		x.data = append(x.data, body...)
		return true, nil
	}
	if c.INS == INSGetResponse {
		if err := x.countGetResponse(); err != nil {
			return true, err
		}
	}
	c.Ne = shortNe(sw.SW2())
	if x.cur, err = c.Bytes(); err != nil {
		return true, err
	}
	x.resent = true
	return false, nil
}

// countGetResponse counts one more GET RESPONSE (a resend after 6Cxx
// included) and fails past the bound.
func (x *t0Exchange) countGetResponse() error {
	x.rounds++
	if x.rounds > x.max() {
		return fmt.Errorf("apdu: T=0: %w: %d GET RESPONSE commands sent for %s and the card wants more",
			ErrTooManyGetResponse, x.max(), describeCommand(x.original))
	}
	return nil
}

// case4Warning reports whether sw answers the original case 4 command with
// a warning and no data, which EMV follows with GET RESPONSE.
func (x *t0Exchange) case4Warning(sw StatusWord, body []byte) bool {
	if x.t.ISOCase4Warnings || !sw.IsWarning() || len(body) != 0 || x.rounds != 0 || x.warning != 0 {
		return false
	}
	c, err := ParseCommand(x.original)
	return err == nil && c.Case() == 4
}

func (x *t0Exchange) max() int {
	if x.t.MaxGetResponse > 0 {
		return x.t.MaxGetResponse
	}
	return DefaultMaxGetResponse
}

// result builds the response APDU: the data gathered and the final status,
// or the EMV case 4 warning in its place.
func (x *t0Exchange) result(sw StatusWord) []byte {
	if x.warning != 0 {
		sw = x.warning
	}
	out := make([]byte, 0, len(x.data)+2)
	out = append(out, x.data...)
	return append(out, sw.SW1(), sw.SW2())
}

// transmit sends one command through next, first checking ctx. When next
// fails while ctx is done, the error wraps ctx.Err() as well.
func transmit(ctx context.Context, next Transport, command []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("apdu: %s not sent: %w", describeCommand(command), err)
	}
	resp, err := next.Transmit(ctx, command)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			return nil, fmt.Errorf("apdu: %s: %w (%w)", describeCommand(command), cerr, err)
		}
		return nil, err
	}
	return resp, nil
}

// describeCommand names a command for messages by its name and header,
// never its data.
func describeCommand(command []byte) string {
	if len(command) < 4 {
		return fmt.Sprintf("command of %d bytes", len(command))
	}
	name := CommandName(command[0], command[1])
	if name == "" {
		name = "command"
	}
	return fmt.Sprintf("%s (%02X %02X %02X %02X)", name, command[0], command[1], command[2], command[3])
}
