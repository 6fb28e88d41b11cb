package vpcd_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim/vpcd"
)

// A card that knows one application and nothing else.
var card = apdu.TransportFunc(func(ctx context.Context, cmd []byte) ([]byte, error) {
	selectAID := []byte{0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01}
	if bytes.HasPrefix(cmd, selectAID) {
		return []byte{0x6F, 0x09, 0x84, 0x07, 0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x90, 0x00}, nil
	}
	return []byte{0x6A, 0x82}, nil // file or application not found
})

// Serve the card as the card in reader "Virtual PCD 00 00" until Ctrl-C.
// pcscd must be running with vsmartcard-vpcd (scripts/pcsc-up.sh); then
// pcsc_scan, opensc-tool or package apdu/pcsc see the card.
func ExampleServer() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	s := &vpcd.Server{Card: card, Logf: log.Printf} // Addr "" is vpcd.DefaultAddr
	if err := s.Serve(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Fatal(err)
	}
}

// ServeConn over an in-memory pipe, this example playing vpcd's side: what
// pcscd sends when a card is inserted (get ATR, power on), then a SELECT.
func ExampleServer_ServeConn() {
	cardEnd, readerEnd := net.Pipe()
	go (&vpcd.Server{Card: card}).ServeConn(context.Background(), cardEnd)

	exchange := func(payload ...byte) []byte {
		frame := binary.BigEndian.AppendUint16(nil, uint16(len(payload)))
		readerEnd.Write(append(frame, payload...))
		if len(payload) == 1 && payload[0] != 0x04 {
			return nil // power on/off and reset have no reply
		}
		var n uint16
		binary.Read(readerEnd, binary.BigEndian, &n)
		reply := make([]byte, n)
		io.ReadFull(readerEnd, reply)
		return reply
	}
	fmt.Printf("ATR % X\n", exchange(0x04))
	exchange(0x01)
	fmt.Printf("SELECT: % X\n", exchange(0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x00))
	fmt.Printf("READ RECORD: % X\n", exchange(0x00, 0xB2, 0x01, 0x0C, 0x00))
	readerEnd.Close()
	// Output:
	// ATR 3B 88 80 01 00 73 C8 40 00 00 90 00 62
	// SELECT: 6F 09 84 07 A0 00 00 03 33 01 01 90 00
	// READ RECORD: 6A 82
}
