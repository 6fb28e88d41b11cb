package kernel_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/kernel"
)

// fuzzCard answers every command with the next response of its script,
// whatever the command, and disappears when the script runs out.
type fuzzCard struct {
	resp [][]byte
	n    int
}

var errFuzzCardGone = errors.New("fuzz card: no more responses")

func (c *fuzzCard) Transmit(_ context.Context, _ []byte) ([]byte, error) {
	if c.n >= len(c.resp) {
		return nil, errFuzzCardGone
	}
	c.n++
	return c.resp[c.n-1], nil
}

// splitFuzz cuts fuzz input into chunks, each preceded by its length in
// two bytes (big-endian, modulo 1024).
func splitFuzz(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 2 && len(out) < 256 {
		n := int(binary.BigEndian.Uint16(b) % 1024)
		b = b[2:]
		n = min(n, len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// joinFuzz is the inverse of splitFuzz, for seeds.
func joinFuzz(chunks [][]byte) []byte {
	var out []byte
	for _, c := range chunks {
		out = binary.BigEndian.AppendUint16(out, uint16(len(c)))
		out = append(out, c...)
	}
	return out
}

// FuzzKernelCard runs a whole transaction against a card whose every
// answer comes from the fuzzer (the first two chunks are the issuer's
// scripts and Issuer Authentication Data). The transaction must never
// panic, and must end either with a final result and no error, or with a
// *TerminatedError and the result "terminated". Seeds: the responses of
// every recorded kernel trace in testdata/traces.
func FuzzKernelCard(f *testing.F) {
	traces, _ := filepath.Glob(filepath.Join(traceDir, "kernel-*"))
	for _, p := range traces {
		fh, err := os.Open(p)
		if err != nil {
			f.Fatal(err)
		}
		ex, err := apdu.ParseTrace(fh)
		fh.Close()
		if err != nil {
			f.Fatal(err)
		}
		chunks := [][]byte{nil, nil}
		for _, x := range ex {
			chunks = append(chunks, x.Response)
		}
		f.Add(joinFuzz(chunks))
	}
	cfg := simTerminal("US", "USD", nil)(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		chunks := splitFuzz(data)
		if len(chunks) < 2 {
			return
		}
		c := *cfg
		scripts, iad := chunks[0], chunks[1]
		c.Host = kernel.HostFunc(func(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
			return &kernel.AuthorizationResponse{Approved: len(iad)%2 == 0, IssuerAuthenticationData: iad, Scripts: scripts}, nil
		})
		c.Log = &kernel.MemoryLog{}
		tx, err := kernel.NewTransaction(&c, &fuzzCard{resp: chunks[2:]}, kernel.Params{Amount: 2500})
		if err != nil {
			t.Fatal(err)
		}
		o, err := tx.Run(context.Background())
		if err := checkEnding(o, err); err != nil {
			t.Fatal(err)
		}
	})
}

// checkEnding is the invariant of every transaction's end.
func checkEnding(o *kernel.Outcome, err error) error {
	if o == nil {
		return errors.New("nil outcome")
	}
	if err != nil {
		var te *kernel.TerminatedError
		if !errors.As(err, &te) {
			return fmt.Errorf("error %v is not a *TerminatedError", err)
		}
		if o.Result != kernel.ResultTerminated || te.Phase != o.Phase {
			return fmt.Errorf("terminated in %s but outcome %s in %s", te.Phase, o.Result, o.Phase)
		}
		return nil
	}
	switch o.Result {
	case kernel.ResultApproved, kernel.ResultDeclined, kernel.ResultOnlineApproved, kernel.ResultOnlineDeclined:
	default:
		return fmt.Errorf("no error but result %q (%s)", o.Result, o.Reason)
	}
	if o.Phase != kernel.PhaseCompletion {
		return fmt.Errorf("no error but last phase %s", o.Phase)
	}
	return nil
}
