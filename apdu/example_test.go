package apdu_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/yixin-emv/yixin/apdu"
)

func ExampleSelect() {
	aid, _ := hex.DecodeString("A0000000041010")
	cmd := apdu.Select(aid, false)
	b, err := cmd.Bytes()
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X case %d\n", b, cmd.Case())
	// Output: 00A4040007A000000004101000 case 4
}

func ExampleParseCommand() {
	b, _ := hex.DecodeString("00B2011400")
	cmd, err := apdu.ParseCommand(b)
	if err != nil {
		panic(err)
	}
	fmt.Println(apdu.CommandName(cmd.CLA, cmd.INS), cmd.P1, cmd.P2>>3, cmd.Ne)
	// Output: READ RECORD 1 2 256
}

func ExampleParseResponse() {
	for _, s := range []string{"6A82", "771282021980940C0801010010010101200102009000", "63C2"} {
		b, _ := hex.DecodeString(s)
		r, err := apdu.ParseResponse(b)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%d bytes, %s: %s\n", len(r.Data), r.SW.String(), r.SW.Meaning())
	}
	// Output:
	// 0 bytes, 6A82: file or application not found
	// 20 bytes, 9000: normal processing
	// 0 bytes, 63C2: warning: counter 2 (after VERIFY: PIN tries left)
}

func ExampleStatusWord() {
	r := apdu.Response{SW: 0x6985}
	err := fmt.Errorf("get processing options: %w", r.Err())
	fmt.Println(err)
	fmt.Println(errors.Is(err, apdu.SWConditionsNotSatisfied))
	// Output:
	// get processing options: 6985: conditions of use not satisfied
	// true
}

func ExampleT0() {
	// A T=0 card that answers 61xx and hands over its data on GET RESPONSE.
	card := apdu.TransportFunc(func(_ context.Context, cmd []byte) ([]byte, error) {
		if cmd[1] == apdu.INSGetResponse {
			return []byte{0x9F, 0x17, 0x01, 0x03, 0x90, 0x00}, nil
		}
		return []byte{0x61, 0x04}, nil
	})
	cmd, _ := apdu.GetData(0x9F17)
	b, _ := cmd.Bytes()
	resp, err := apdu.T0(card).Transmit(context.Background(), b)
	fmt.Printf("%X %v\n", resp, err)
	// Output: 9F1701039000 <nil>
}

func ExampleNewReplayer() {
	const trace = `
# GET CHALLENGE, then a READ RECORD the card does not have
0084000000
0102030405060708 9000
00B2031400
6A83
`
	exchanges, err := apdu.ParseTrace(strings.NewReader(trace))
	if err != nil {
		panic(err)
	}
	card := apdu.NewReplayer(exchanges, apdu.ReplayStrict)
	ctx := context.Background()

	resp, _ := card.Transmit(ctx, []byte{0x00, 0x84, 0x00, 0x00, 0x00})
	fmt.Printf("%X\n", resp)
	fmt.Println(card.Done()) // one exchange left

	_, err = card.Transmit(ctx, []byte{0x00, 0xB2, 0x01, 0x14, 0x00}) // record 1, not 3
	fmt.Println(errors.Is(err, apdu.ErrReplayMismatch))
	// Output:
	// 01020304050607089000
	// apdu: replay: recorded exchanges left over: 1 of 2, the first (exchange 2, line 5) READ RECORD (00 B2 03 14)
	// true
}

func ExampleNewTracer() {
	// A card whose record holds a PAN (the published Mastercard test data).
	record, _ := hex.DecodeString("700A5A0853750500001601109000")
	card := apdu.TransportFunc(func(context.Context, []byte) ([]byte, error) { return record, nil })

	tracer := apdu.NewTracer(card, os.Stdout, apdu.TraceOptions{})
	cmd, _ := apdu.ReadRecord(2, 1)
	b, _ := cmd.Bytes()
	if _, err := tracer.Transmit(context.Background(), b); err != nil {
		panic(err)
	}
	// Output:
	// > #1 READ RECORD
	// > 00B20114 00
	// < #1 9000: normal processing
	// < 700A5A08**************** 9000
	// <   70 READ RECORD Response Message Template
	// <     5A Application Primary Account Number (PAN): 537505******0110 (masked)
}
