package apdu

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// TraceOptions configures a Tracer.
type TraceOptions struct {
	// Reveal shows secrets: PANs, track data, cardholder names, PIN data,
	// keys. Leave it unset for any trace that may be shared or logged.
	Reveal bool
	// Clock, when set, stamps each command with its time and each
	// response with the time the exchange took. Unset, a trace has no
	// timing and the same exchanges always give the same text.
	Clock func() time.Time
}

// Tracer is a Transport that writes an annotated, human-readable record of
// every exchange to a writer and passes the exchange on unchanged. See
// NewTracer.
type Tracer struct {
	next Transport
	w    io.Writer
	opts TraceOptions

	mu  sync.Mutex
	n   int   // exchanges numbered so far
	err error // the first write error; no record is written after it
}

// NewTracer returns a Tracer that sends commands through next and writes
// each exchange to w:
//
//	> #2 SELECT
//	> 00A40400 07 A0000000041010 00
//	< #2 9000: normal processing
//	< 6F528407A0000000041010A547…303000 9000
//	<   6F File Control Information (FCI) Template
//	<     84 Dedicated File (DF) Name: A0000000041010
//
// A command's line splits it into header, Lc, data and Le, so that it can
// be pasted into a trace file. The data of responses (and of commands that
// carry TLV, such as GET PROCESSING OPTIONS) is decoded as a TLV tree with
// the dictionary's tag names.
//
// Unless opts.Reveal is set, secrets never reach w: values of sensitive
// elements (PAN, track 1 and 2 data, cardholder name, PIN data) are
// masked in the tree — a PAN keeps its first 6 and last 4 digits, as
// emv.MaskPAN does — and shown as "**" in the hex lines; the data of
// VERIFY, PIN CHANGE/UNBLOCK, RESET RETRY COUNTER, PUT KEY, STORE DATA and
// PUT DATA of anything but a known non-sensitive element is masked whole;
// and response data that does not parse as TLV is masked from the first
// byte that does not parse (except the random number of GET CHALLENGE).
//
// A Tracer is safe for concurrent use; records of exchanges running at the
// same time may interleave but carry their exchange number.
func NewTracer(next Transport, w io.Writer, opts TraceOptions) *Tracer {
	return &Tracer{next: next, w: w, opts: opts}
}

// Err returns the first error met writing the trace. A write error does
// not fail the exchanges; it stops the trace.
func (t *Tracer) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// Transmit writes the command, sends it through the next transport and
// writes the response (or the error), then returns what the next
// transport returned.
func (t *Tracer) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	n := t.number()
	var start time.Time
	if t.opts.Clock != nil {
		start = t.opts.Clock()
	}
	t.write(t.formatCommand(n, command, start))
	resp, err := transmit(ctx, t.next, command)
	if err != nil {
		t.write(fmt.Sprintf("< #%d error: %v\n", n, err))
		return nil, err
	}
	var took time.Duration
	if t.opts.Clock != nil {
		took = t.opts.Clock().Sub(start)
	}
	t.write(t.formatResponse(n, command, resp, took))
	return resp, nil
}

func (t *Tracer) number() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	return t.n
}

func (t *Tracer) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err != nil {
		return
	}
	if _, err := io.WriteString(t.w, s); err != nil {
		t.err = fmt.Errorf("apdu: writing trace: %w", err)
	}
}

// formatCommand renders a command record.
func (t *Tracer) formatCommand(n int, cmd []byte, start time.Time) string {
	var sb strings.Builder
	name := "command"
	if len(cmd) >= 4 {
		if s := CommandName(cmd[0], cmd[1]); s != "" {
			name = s
		}
	}
	fmt.Fprintf(&sb, "> #%d %s", n, name)
	if t.opts.Clock != nil {
		sb.WriteString(" at " + start.Format("15:04:05.000"))
	}
	sb.WriteByte('\n')
	m, c, lines, err := maskCommand(cmd, t.opts.Reveal)
	if err != nil {
		fmt.Fprintf(&sb, "> %s\n>   %v\n", m.hex(0, len(cmd)), err)
		return sb.String()
	}
	fmt.Fprintf(&sb, "> %s\n", commandHex(c, m))
	for _, l := range lines {
		fmt.Fprintf(&sb, ">   %s\n", l)
	}
	return sb.String()
}

// maskCommand parses cmd, marks what a trace must not show (everything
// sensitive unless reveal is set) and returns the annotation lines of its
// data field. A command that does not parse has its bytes after the header
// masked whenever the command's data would be, since its data field cannot
// be located.
func maskCommand(cmd []byte, reveal bool) (*masked, Command, []string, error) {
	m := &masked{b: cmd}
	c, err := ParseCommand(cmd)
	if err != nil {
		if len(cmd) > 4 && !reveal && commandPolicy(cmd[0], cmd[1], cmd[2], cmd[3], nil) != policyPlain {
			m.hide(4, len(cmd)-4)
		}
		return m, c, nil, err
	}
	if len(c.Data) == 0 {
		return m, c, nil, nil
	}
	off := dataOffset(c)
	switch commandPolicy(c.CLA, c.INS, c.P1, c.P2, c.Data) {
	case policySecret:
		if reveal {
			return m, c, []string{"data is secret (shown: Reveal is set)"}, nil
		}
		m.hide(off, len(c.Data))
		return m, c, []string{fmt.Sprintf("data masked: %d secret bytes", len(c.Data))}, nil
	case policyTLV:
		v := &tlvView{m: m, origin: off, reveal: reveal}
		v.objects(cmd[off:off+len(c.Data)], off, 0)
		return m, c, v.lines, nil
	}
	return m, c, nil, nil
}

// dataOffset returns where a parsed command's data field starts.
func dataOffset(c Command) int {
	if c.IsExtended() {
		return 7
	}
	return 5
}

// commandHex writes a parsed command as header, Lc, data and Le separated
// by spaces, the data masked as m says.
func commandHex(c Command, m *masked) string {
	parts := []string{m.hex(0, 4)}
	pos := 4
	if nc := len(c.Data); nc > 0 {
		lc := dataOffset(c) - 4
		parts = append(parts, m.hex(pos, pos+lc), m.hex(pos+lc, pos+lc+nc))
		pos += lc + nc
	}
	if pos < len(m.b) {
		parts = append(parts, m.hex(pos, len(m.b)))
	}
	return strings.Join(parts, " ")
}

// formatResponse renders a response record.
func (t *Tracer) formatResponse(n int, cmd, resp []byte, took time.Duration) string {
	var sb strings.Builder
	r, err := ParseResponse(resp)
	if err != nil {
		fmt.Fprintf(&sb, "< #%d %v\n", n, err)
		if len(resp) > 0 {
			fmt.Fprintf(&sb, "< %X\n", resp)
		}
		return sb.String()
	}
	fmt.Fprintf(&sb, "< #%d %v", n, r.SW)
	if t.opts.Clock != nil {
		fmt.Fprintf(&sb, " (%v)", took)
	}
	sb.WriteByte('\n')
	if len(r.Data) == 0 {
		fmt.Fprintf(&sb, "< %v\n", r.SW.String())
		return sb.String()
	}
	m := &masked{b: resp[:len(resp)-2]}
	lines := t.responseData(cmd, m)
	fmt.Fprintf(&sb, "< %s %v\n", m.hex(0, len(m.b)), r.SW.String())
	for _, l := range lines {
		fmt.Fprintf(&sb, "<   %s\n", l)
	}
	return sb.String()
}

// responseData annotates a response's data field, masking as it goes.
func (t *Tracer) responseData(cmd []byte, m *masked) []string {
	if len(cmd) >= 2 && cmd[1] == INSGetChallenge && CommandName(cmd[0], cmd[1]) != "" {
		return []string{fmt.Sprintf("unpredictable number (%d bytes)", len(m.b))}
	}
	v := &tlvView{m: m, reveal: t.opts.Reveal}
	v.objects(m.b, 0, 0)
	if len(v.lines) == 0 {
		return []string{"padding only"}
	}
	return v.lines
}
