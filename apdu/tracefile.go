package apdu

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exchange is one command APDU and the response APDU (data and SW1 SW2)
// that answered it.
type Exchange struct {
	Command  []byte
	Response []byte
	// Line is the line of the command in the trace file it was read from,
	// 0 when it was not read from one.
	Line int
}

// maxTraceLine bounds a line of a trace file: the longest extended command
// (65,544 bytes) written as hex with a space after every byte fits.
const maxTraceLine = 256 << 10

// TraceError reports a line of a trace file that breaks the format. It
// wraps ErrMalformedTrace.
type TraceError struct {
	Line   int    // 1-based line number
	Detail string // what is wrong
}

func (e *TraceError) Error() string {
	return fmt.Sprintf("apdu: %v: line %d: %s", ErrMalformedTrace, e.Line, e.Detail)
}

// Unwrap returns ErrMalformedTrace.
func (e *TraceError) Unwrap() error { return ErrMalformedTrace }

// ParseTrace reads a recorded trace (the format is in the package
// documentation): pairs of lines, a command in hex then its response in
// hex. Blank lines and lines whose first non-blank character is '#' are
// skipped; hex digits may be separated by spaces or tabs and are of either
// case. A command must have its 4-byte header and a response its two
// status bytes. Errors are *TraceError values naming the line.
func ParseTrace(r io.Reader) ([]Exchange, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxTraceLine)
	var (
		out     []Exchange
		pending *Exchange
		line    int
	)
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		b, err := parseHexLine(text)
		if err != nil {
			return nil, &TraceError{Line: line, Detail: err.Error()}
		}
		if pending == nil {
			if len(b) < 4 {
				return nil, &TraceError{Line: line, Detail: fmt.Sprintf("command of %d bytes, shorter than the 4-byte header", len(b))}
			}
			pending = &Exchange{Command: b, Line: line}
			continue
		}
		if len(b) < 2 {
			return nil, &TraceError{Line: line, Detail: fmt.Sprintf("response of %d bytes, shorter than SW1 SW2", len(b))}
		}
		pending.Response = b
		out = append(out, *pending)
		pending = nil
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &TraceError{Line: line + 1, Detail: fmt.Sprintf("line longer than %d bytes", maxTraceLine)}
		}
		return nil, fmt.Errorf("apdu: reading trace after line %d: %w", line, err)
	}
	if pending != nil {
		return nil, &TraceError{Line: pending.Line, Detail: "command without a response at the end of the trace"}
	}
	return out, nil
}

// parseHexLine decodes hex digits, skipping spaces and tabs.
func parseHexLine(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/2)
	var hi byte
	half := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' {
			continue
		}
		v, ok := fromHex(c)
		if !ok {
			return nil, fmt.Errorf("column %d: %q is not a hex digit", i+1, rune(c))
		}
		if half {
			out = append(out, hi<<4|v)
		}
		hi, half = v, !half
	}
	if half {
		return nil, fmt.Errorf("odd number of hex digits")
	}
	return out, nil
}

func fromHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// WriteTrace writes exchanges in the trace format: for each, a comment
// naming the command and the status, the command in hex, the response in
// hex, and a blank line. ParseTrace reads it back. The hex is the exact
// bytes, unmasked: a recorded trace of a real card holds its PAN.
func WriteTrace(w io.Writer, exchanges []Exchange) error {
	bw := bufio.NewWriter(w)
	for i, x := range exchanges {
		if len(x.Command) < 4 || len(x.Response) < 2 {
			return fmt.Errorf("apdu: writing trace: exchange %d: command of %d bytes, response of %d: %w",
				i+1, len(x.Command), len(x.Response), ErrMalformedTrace)
		}
		sw := StatusWord(x.Response[len(x.Response)-2])<<8 | StatusWord(x.Response[len(x.Response)-1])
		fmt.Fprintf(bw, "# %d %s -> %v\n%X\n%X\n\n", i+1, describeCommand(x.Command), sw, x.Command, x.Response)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("apdu: writing trace: %w", err)
	}
	return nil
}

// cloneExchanges copies exchanges so that no caller's slice is shared.
func cloneExchanges(in []Exchange) []Exchange {
	out := make([]Exchange, len(in))
	for i, x := range in {
		out[i] = Exchange{Command: bytes.Clone(x.Command), Response: bytes.Clone(x.Response), Line: x.Line}
	}
	return out
}
