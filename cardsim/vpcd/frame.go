package vpcd

import (
	"errors"
	"fmt"
	"io"
)

// MaxPayload is the largest payload one vpcd frame can carry: the length
// prefix is two bytes. vpcd never sends more; a card response longer than
// this (an extended-length response of 65 536 data bytes plus SW1 SW2 is
// 65 538 bytes) cannot be framed, and the server answers 6F00 instead.
const MaxPayload = 0xFFFF

// headerLen is the size of the big-endian length prefix of every frame.
const headerLen = 2

// Errors of the wire protocol. They are wrapped in a *FrameError that says
// where the frame broke.
var (
	// ErrEmptyFrame: a frame announced a zero-length payload. vpcd never
	// sends one (it drops the card when it receives one), so it is treated
	// as a protocol violation.
	ErrEmptyFrame = errors.New("vpcd: empty frame")
	// ErrTruncatedFrame: the connection ended inside a frame.
	ErrTruncatedFrame = errors.New("vpcd: connection ended inside a frame")
	// ErrUnknownControl: a 1-byte payload that is none of the control
	// bytes 00, 01, 02, 04.
	ErrUnknownControl = errors.New("vpcd: unknown control byte")
	// ErrPayloadTooLong: a payload to send is longer than MaxPayload.
	ErrPayloadTooLong = errors.New("vpcd: payload longer than 65535 bytes")
)

// FrameError reports a malformed frame: which part broke (header or
// payload), how long the payload was announced to be (Len, -1 when the
// header itself was cut) and how many payload bytes arrived (Got).
type FrameError struct {
	Part string // "header" or "payload"
	Len  int    // announced payload length, -1 if unknown
	Got  int    // bytes of Part actually read
	Err  error  // ErrEmptyFrame, ErrTruncatedFrame or an I/O error
}

// Error says which part of the frame broke and how.
func (e *FrameError) Error() string {
	if e.Len < 0 {
		return fmt.Sprintf("vpcd frame %s: got %d of %d bytes: %v", e.Part, e.Got, headerLen, e.Err)
	}
	return fmt.Sprintf("vpcd frame %s (length %d): got %d bytes: %v", e.Part, e.Len, e.Got, e.Err)
}

// Unwrap returns the cause.
func (e *FrameError) Unwrap() error { return e.Err }

// readFrame reads one frame from r into buf (grown when too small) and
// returns the payload, which aliases buf. It returns io.EOF, unwrapped, only
// when r ends cleanly between two frames.
func readFrame(r io.Reader, buf []byte) ([]byte, error) {
	var hdr [headerLen]byte
	if n, err := io.ReadFull(r, hdr[:]); err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, &FrameError{Part: "header", Len: -1, Got: n, Err: truncated(err)}
	}
	size := int(hdr[0])<<8 | int(hdr[1])
	if size == 0 {
		return nil, &FrameError{Part: "header", Len: 0, Got: headerLen, Err: ErrEmptyFrame}
	}
	if cap(buf) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if n, err := io.ReadFull(r, buf); err != nil {
		return nil, &FrameError{Part: "payload", Len: size, Got: n, Err: truncated(err)}
	}
	return buf, nil
}

// truncated turns the end of the stream inside a frame into
// ErrTruncatedFrame and keeps every other error as it is.
func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrTruncatedFrame
	}
	return err
}

// appendFrame appends the length prefix and payload to dst, so that a
// reply goes out in one Write.
func appendFrame(dst, payload []byte) ([]byte, error) {
	if len(payload) > MaxPayload {
		return dst, fmt.Errorf("%w: %d bytes", ErrPayloadTooLong, len(payload))
	}
	dst = append(dst, byte(len(payload)>>8), byte(len(payload)))
	return append(dst, payload...), nil
}
