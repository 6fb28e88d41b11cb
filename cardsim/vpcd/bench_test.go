package vpcd

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

// BenchmarkServeLoopback is the server's share of a round trip: a frame
// over TCP loopback from a stand-in for vpcd, through ServeConn (read,
// TCP_QUICKACK, card, one Write), and back. Compare with
// BenchmarkRoundTripPCSC in apdu/pcsc, which adds libpcsclite and pcscd.
func BenchmarkServeLoopback(b *testing.B) {
	v, _, _ := serve(b, &Server{Card: echoCard()})
	cmd := []byte{0x00, 0xA4, 0x04, 0x00, 0x07, 0xF0, 0x59, 0x49, 0x58, 0x49, 0x4E, 0x01, 0x00}
	frame, _ := appendFrame(nil, cmd)
	want := append(append([]byte{0xEE}, cmd[1:]...), 0x90, 0x00)
	buf := make([]byte, 0, 64)
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := v.conn.Write(frame); err != nil {
			b.Fatal(err)
		}
		rsp, err := readFrame(v.conn, buf)
		times = append(times, time.Since(start))
		if err != nil || !bytes.Equal(rsp, want) {
			b.Fatalf("reply % X, %v; want % X", rsp, err, want)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "median-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}
