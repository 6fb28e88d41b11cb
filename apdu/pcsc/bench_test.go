//go:build pcsc

package pcsc_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/apdu/pcsc"
)

// The APDU round trip through the whole PC/SC stack (apdu/pcsc →
// libpcsclite → pcscd → vsmartcard-vpcd → cardsim/vpcd → test card) against
// the same card called in process. Run both in one go:
//
//	go test -tags pcsc -run '^$' -bench RoundTrip ./apdu/pcsc/
//
// Besides ns/op each reports the median and 99th percentile of the single
// round trips (median-ns, p99-ns); the target for the PC/SC path is a
// median under 0.5 ms (shared/design/PCSC.md measured 0.03–0.1 ms).

func BenchmarkRoundTripPCSC(b *testing.B) {
	needStack(b)
	serveCard(b, &testCard{}, nil)
	benchRoundTrip(b, openCard(b, pcsc.Options{}))
}

func BenchmarkRoundTripInProcess(b *testing.B) {
	benchRoundTrip(b, &testCard{})
}

// benchRoundTrip times SELECT of the test AID, checking every response.
func benchRoundTrip(b *testing.B, card apdu.Transport) {
	ctx := context.Background()
	cmd := selectCmd(testAID)
	want := append(bytes.Clone(testFCI), sw9000...)
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		rsp, err := card.Transmit(ctx, cmd)
		times = append(times, time.Since(start))
		if err != nil || !bytes.Equal(rsp, want) {
			b.Fatalf("SELECT: % X, %v; want % X", rsp, err, want)
		}
	}
	reportPercentiles(b, times)
}

// reportPercentiles adds the median and the 99th percentile of the timed
// round trips to the benchmark's output.
func reportPercentiles(b *testing.B, times []time.Duration) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "median-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}
