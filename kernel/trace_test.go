package kernel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/kernel"
)

var update = flag.Bool("update", false, "re-record the kernel traces of testdata/traces from their sources")

// traceDir holds the repository's recorded traces.
const traceDir = "../testdata/traces"

// traceCase is a recorded transaction: the file testdata/traces/kernel-NAME
// is replayed strictly against the kernel. With -update it is recorded
// again by running the kernel against source.
type traceCase struct {
	name   string
	header string // the provenance comment at the top of the file
	config func(t testing.TB) *kernel.Config
	params kernel.Params
	// source is the card the trace is recorded from, and note says where
	// each of its answers came from (nil: from the source named in header).
	// cfg, when not nil, is the terminal to record with instead of config
	// (a simulated card brings its CA keys and issuer); the answers of its
	// host are recorded in the trace as "# host-response:" comment lines
	// and played back at replay.
	source func(t testing.TB) (card apdu.Transport, note func(i int) string, cfg *kernel.Config)
	check  func(t *testing.T, o *kernel.Outcome, err error)
}

func (tc *traceCase) path() string { return filepath.Join(traceDir, "kernel-"+tc.name) }

// record runs the kernel against the source and writes the trace.
func (tc *traceCase) record(t *testing.T) {
	card, note, cfg := tc.source(t)
	if cfg == nil {
		cfg = tc.config(t)
	}
	host := &recordingHost{next: cfg.Host}
	if cfg.Host != nil {
		cfg.Host = host
	}
	rec := apdu.NewRecorder(card)
	tx, err := kernel.NewTransaction(cfg, rec, tc.params)
	if err != nil {
		t.Fatal(err)
	}
	tx.Run(context.Background())
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(tc.header), "\n") {
		b.WriteString("# " + strings.TrimSpace(l) + "\n")
	}
	for _, r := range host.answers {
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(hostPrefix + string(j) + "\n")
	}
	b.WriteString("#\n# Format: see README.md in this directory. Re-record with\n")
	b.WriteString("# go test ./kernel -run TestTraces -update\n")
	for i, ex := range rec.Exchanges() {
		c, _ := apdu.ParseCommand(ex.Command)
		sw := ex.Response[len(ex.Response)-2:]
		fmt.Fprintf(&b, "\n# %d %s, %02X%02X", i+1, apdu.CommandName(c.CLA, c.INS), sw[0], sw[1])
		if note != nil {
			b.WriteString(" — " + note(i))
		}
		fmt.Fprintf(&b, "\n%X\n%X\n", ex.Command, ex.Response)
	}
	if err := os.WriteFile(tc.path(), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// exchanges reads the recorded trace of tc.
func (tc *traceCase) exchanges(t testing.TB) []apdu.Exchange {
	t.Helper()
	f, err := os.Open(tc.path())
	if err != nil {
		t.Fatalf("%v (record it with -update)", err)
	}
	defer f.Close()
	ex, err := apdu.ParseTrace(f)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// replay runs the kernel against the recorded trace, strictly.
func (tc *traceCase) replay(t testing.TB) (*kernel.Outcome, error, *apdu.Replayer) {
	r := apdu.NewReplayer(tc.exchanges(t), apdu.ReplayStrict)
	cfg := tc.config(t)
	if answers := hostAnswers(t, tc.path()); answers != nil {
		cfg.Host = &replayHost{answers: answers}
	}
	tx, err := kernel.NewTransaction(cfg, r, tc.params)
	if err != nil {
		t.Fatal(err)
	}
	o, err := tx.Run(context.Background())
	return o, err, r
}

func TestTraces(t *testing.T) {
	for _, tc := range traceCases() {
		t.Run(tc.name, func(t *testing.T) {
			if *update {
				tc.record(t)
			}
			o, err, r := tc.replay(t)
			if derr := r.Done(); derr != nil {
				t.Fatalf("replay: %v", derr)
			}
			tc.check(t, o, err)
		})
	}
}

// servedCard answers from a list of published exchanges (exact command
// match) and a few answers added for the test (by command header), and
// remembers which was which for the trace's comments.
type servedCard struct {
	published []apdu.Exchange
	source    string
	added     map[string]struct {
		resp []byte
		why  string
	}
	notes []string
}

func (c *servedCard) Transmit(_ context.Context, cmd []byte) ([]byte, error) {
	for _, ex := range c.published {
		if bytes.Equal(ex.Command, cmd) {
			c.notes = append(c.notes, "published: "+c.source)
			return bytes.Clone(ex.Response), nil
		}
	}
	if len(cmd) >= 4 {
		if a, ok := c.added[fmt.Sprintf("%X", cmd[:4])]; ok {
			c.notes = append(c.notes, "ADDED for the test: "+a.why)
			return bytes.Clone(a.resp), nil
		}
	}
	return nil, fmt.Errorf("servedCard: no answer for %X", cmd)
}

// hostPrefix starts the trace comment lines that hold the host's answers.
const hostPrefix = "# host-response: "

// recordingHost passes authorisations on and keeps the answers.
type recordingHost struct {
	next    kernel.Host
	answers []*kernel.AuthorizationResponse
}

func (h *recordingHost) Authorize(ctx context.Context, req *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
	r, err := h.next.Authorize(ctx, req)
	if err == nil {
		h.answers = append(h.answers, r)
	}
	return r, err
}

// replayHost gives the recorded answers in order.
type replayHost struct {
	answers []*kernel.AuthorizationResponse
	n       int
}

func (h *replayHost) Authorize(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
	if h.n >= len(h.answers) {
		return nil, fmt.Errorf("replayHost: no recorded answer %d: %w", h.n+1, kernel.ErrHostUnavailable)
	}
	h.n++
	return h.answers[h.n-1], nil
}

// hostAnswers reads the host answers recorded in a trace's comments.
func hostAnswers(t testing.TB, path string) []*kernel.AuthorizationResponse {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*kernel.AuthorizationResponse
	for _, l := range strings.Split(string(b), "\n") {
		if j, ok := strings.CutPrefix(l, hostPrefix); ok {
			var r kernel.AuthorizationResponse
			if err := json.Unmarshal([]byte(j), &r); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, &r)
		}
	}
	return out
}
