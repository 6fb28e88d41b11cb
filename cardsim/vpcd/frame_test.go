package vpcd

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// The frame format — a 2-byte length in network byte order, then the
// payload; vpcd never sends an empty payload and drops the card when it
// receives one — is that of frankmorgner/vsmartcard,
// virtualsmartcard/src/vpcd/vpcd.c (sendToVICC, recvFromVICC,
// vicc_transmit); the control bytes 00 01 02 04 are from vpcd.h there. The
// end-to-end tests of apdu/pcsc (-tags pcsc) check the same against
// Debian's vsmartcard-vpcd 3.3 itself.
func TestReadFrame(t *testing.T) {
	big := bytes.Repeat([]byte{0xA5}, MaxPayload)
	tests := []struct {
		name    string
		in      []byte
		want    []byte // payload, when no error
		wantErr error
		part    string // FrameError.Part, when an error
	}{
		{name: "control byte", in: []byte{0x00, 0x01, 0x04}, want: []byte{0x04}},
		{name: "APDU", in: []byte{0x00, 0x05, 0x00, 0xB2, 0x01, 0x0C, 0x00}, want: []byte{0x00, 0xB2, 0x01, 0x0C, 0x00}},
		{name: "largest frame", in: append([]byte{0xFF, 0xFF}, big...), want: big},
		{name: "trailing bytes are the next frame", in: []byte{0x00, 0x01, 0x01, 0x00, 0x01, 0x04}, want: []byte{0x01}},
		{name: "empty stream", in: nil, wantErr: io.EOF},
		{name: "half a header", in: []byte{0x00}, wantErr: ErrTruncatedFrame, part: "header"},
		{name: "empty frame", in: []byte{0x00, 0x00}, wantErr: ErrEmptyFrame, part: "header"},
		{name: "header only", in: []byte{0x00, 0x05}, wantErr: ErrTruncatedFrame, part: "payload"},
		{name: "payload cut", in: []byte{0x00, 0x05, 0x00, 0xA4}, wantErr: ErrTruncatedFrame, part: "payload"},
		{name: "largest frame cut", in: append([]byte{0xFF, 0xFF}, big[:100]...), wantErr: ErrTruncatedFrame, part: "payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readFrame(bytes.NewReader(tt.in), nil)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("readFrame(% X) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				var fe *FrameError
				if tt.part != "" && (!errors.As(err, &fe) || fe.Part != tt.part) {
					t.Fatalf("readFrame(% X) error = %#v, want a *FrameError in the %s", tt.in, err, tt.part)
				}
				return
			}
			if err != nil {
				t.Fatalf("readFrame(% X): %v", tt.in, err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("readFrame payload = % X, want % X", got, tt.want)
			}
		})
	}
}

// A frame split into one-byte reads (as TCP may deliver it) reads the same.
func TestReadFrameOneByteReads(t *testing.T) {
	in := []byte{0x00, 0x05, 0x00, 0xB2, 0x01, 0x0C, 0x00}
	got, err := readFrame(iotest.OneByteReader(bytes.NewReader(in)), nil)
	if err != nil || !bytes.Equal(got, in[2:]) {
		t.Fatalf("readFrame = % X, %v; want % X", got, err, in[2:])
	}
}

// An I/O error other than the end of the stream is kept as the cause.
func TestReadFrameKeepsIOError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(bytes.NewReader([]byte{0x00, 0x05, 0x00}), iotest.ErrReader(boom))
	_, err := readFrame(r, nil)
	var fe *FrameError
	if !errors.Is(err, boom) || !errors.As(err, &fe) || fe.Len != 5 || fe.Got != 1 {
		t.Fatalf("readFrame error = %v, want a FrameError{Len 5, Got 1} wrapping %v", err, boom)
	}
	if !strings.Contains(err.Error(), "payload (length 5): got 1 bytes") {
		t.Fatalf("error text %q does not say where the frame broke", err)
	}
}

// No proper prefix of a valid frame reads as a frame (the property
// crypto/tls checks for its handshake messages).
func TestReadFrameTruncations(t *testing.T) {
	frame := []byte{0x00, 0x07, 0x80, 0xCA, 0x9F, 0x36, 0x02, 0x90, 0x00}
	for i := range len(frame) {
		if p, err := readFrame(bytes.NewReader(frame[:i]), nil); err == nil {
			t.Errorf("prefix of %d bytes read as the frame % X", i, p)
		}
	}
}

func TestAppendFrame(t *testing.T) {
	got, err := appendFrame([]byte{0xEE}, []byte{0x90, 0x00})
	if want := []byte{0xEE, 0x00, 0x02, 0x90, 0x00}; err != nil || !bytes.Equal(got, want) {
		t.Fatalf("appendFrame = % X, %v; want % X", got, err, want)
	}
	if _, err := appendFrame(nil, make([]byte, MaxPayload+1)); !errors.Is(err, ErrPayloadTooLong) {
		t.Fatalf("appendFrame of %d bytes: error %v, want ErrPayloadTooLong", MaxPayload+1, err)
	}
	full, err := appendFrame(nil, make([]byte, MaxPayload))
	if err != nil || full[0] != 0xFF || full[1] != 0xFF || len(full) != MaxPayload+2 {
		t.Fatalf("appendFrame of %d bytes: header % X, length %d, %v", MaxPayload, full[:2], len(full), err)
	}
}

// FuzzReadFrame: readFrame never panics, reads exactly the announced
// length, and a frame it accepts is re-encoded byte for byte by
// appendFrame. Seeds: testdata/fuzz/FuzzReadFrame.
func FuzzReadFrame(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		p, err := readFrame(r, nil)
		if err != nil {
			var fe *FrameError
			if err != io.EOF && !errors.As(err, &fe) {
				t.Fatalf("readFrame(% X): error %v is neither io.EOF nor a *FrameError", data, err)
			}
			return
		}
		n := int(data[0])<<8 | int(data[1])
		if len(p) != n || n == 0 {
			t.Fatalf("payload of %d bytes, header announced %d", len(p), n)
		}
		if consumed := len(data) - r.Len(); consumed != 2+n {
			t.Fatalf("consumed %d bytes, want %d", consumed, 2+n)
		}
		again, err := appendFrame(nil, p)
		if err != nil || !bytes.Equal(again, data[:2+n]) {
			t.Fatalf("appendFrame(readFrame(x)) = % X, %v; want % X", again, err, data[:2+n])
		}
	})
}
