package apdu

import (
	"bytes"
	"fmt"
)

// Response is a response APDU: the data field and the status word.
type Response struct {
	Data []byte
	SW   StatusWord
}

// ParseResponse splits a response APDU into its data field (a copy; nil
// when empty) and its status word. Input shorter than the two status bytes
// gives an error wrapping ErrMalformedResponse.
//
// The status word is not judged: any SW1 SW2 is returned, so that callers
// and traces can see what a misbehaving card sent.
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, fmt.Errorf("apdu: %w: %d bytes, shorter than SW1 SW2", ErrMalformedResponse, len(b))
	}
	n := len(b) - 2
	r := Response{SW: StatusWord(b[n])<<8 | StatusWord(b[n+1])}
	if n > 0 {
		r.Data = bytes.Clone(b[:n])
	}
	return r, nil
}

// Bytes returns the response's encoding: the data then SW1 SW2.
func (r Response) Bytes() []byte {
	return r.AppendTo(make([]byte, 0, len(r.Data)+2))
}

// AppendTo appends the response's encoding to b.
func (r Response) AppendTo(b []byte) []byte {
	b = append(b, r.Data...)
	return append(b, r.SW.SW1(), r.SW.SW2())
}

// Err returns nil when the status word is 9000 and the status word (an
// error) otherwise, warnings included: a caller that accepts 62xx or 63xx
// tests for them first.
func (r Response) Err() error {
	if r.SW.OK() {
		return nil
	}
	return r.SW
}
