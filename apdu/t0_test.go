package apdu

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// step is one expected command of a scripted card and its answer.
type step struct {
	cmd  string // hex; the command must equal it, whole
	resp string // hex answer
	err  error  // or a transport error
}

// scripted is a fake card that expects exactly its steps, in order.
type scripted struct {
	t      testing.TB
	steps  []step
	i      int
	before func(i int) // called before answering step i, if set
}

func (s *scripted) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	s.t.Helper()
	if s.i >= len(s.steps) {
		s.t.Errorf("unexpected command %X after the script's %d steps", cmd, len(s.steps))
		return nil, errors.New("script over")
	}
	st := s.steps[s.i]
	if want := mustHex(s.t, st.cmd); !bytes.Equal(cmd, want) {
		s.t.Errorf("step %d: command %X, want %X", s.i+1, cmd, want)
	}
	if s.before != nil {
		s.before(s.i)
	}
	s.i++
	if st.err != nil {
		return nil, st.err
	}
	return mustHex(s.t, st.resp), nil
}

func (s *scripted) finished() {
	s.t.Helper()
	if s.i != len(s.steps) {
		s.t.Errorf("%d of %d scripted steps were not used", len(s.steps)-s.i, len(s.steps))
	}
}

var errCardRemoved = errors.New("card removed")

func TestT0(t *testing.T) {
	fci := "6F0A8408A000000333010101"
	big := strings.Repeat("AB", 256)
	tests := []struct {
		name    string
		t0      T0Transport
		cmd     string
		steps   []step
		want    string // the response the layer above sees
		wantErr error
	}{
		{
			name:  "9000 passes through",
			cmd:   "00B2010C00",
			steps: []step{{"00B2010C00", "70039F3601" + "9000", nil}},
			want:  "70039F3601" + "9000",
		},
		{
			name: "61xx: GET RESPONSE with Le xx (case 4 on T=0)",
			cmd:  "00A4040008A00000033301010100",
			steps: []step{
				{"00A4040008A00000033301010100", "610C", nil},
				{"00C000000C", fci + "9000", nil},
			},
			want: fci + "9000",
		},
		{
			name: "6100 asks for 256, then 61xx again: data concatenated",
			cmd:  "00B2010C00",
			steps: []step{
				{"00B2010C00", "6100", nil},
				{"00C0000000", big + "6102", nil},
				{"00C0000002", "CDEF9000", nil},
			},
			want: big + "CDEF9000",
		},
		{
			name: "6Cxx: resend with Le xx",
			cmd:  "00B2011400",
			steps: []step{
				{"00B2011400", "6C05", nil},
				{"00B2011405", "0102030405" + "9000", nil},
			},
			want: "0102030405" + "9000",
		},
		{
			name: "6C00 means Le 00 (256)",
			cmd:  "00B2011410",
			steps: []step{
				{"00B2011410", "6C00", nil},
				{"00B2011400", big + "9000", nil},
			},
			want: big + "9000",
		},
		{
			name: "6Cxx then 61xx",
			cmd:  "00B2011400",
			steps: []step{
				{"00B2011400", "6C03", nil},
				{"00B2011403", "6103", nil},
				{"00C0000003", "010203" + "9000", nil},
			},
			want: "010203" + "9000",
		},
		{
			name: "6Cxx to GET RESPONSE: the GET RESPONSE is resent",
			cmd:  "00B2011400",
			steps: []step{
				{"00B2011400", "6110", nil},
				{"00C0000010", "6C02", nil},
				{"00C0000002", "0102" + "9000", nil},
			},
			want: "0102" + "9000",
		},
		{
			name: "6Cxx twice is an error",
			cmd:  "00B2011400",
			steps: []step{
				{"00B2011400", "6C05", nil},
				{"00B2011405", "6C04", nil},
			},
			wantErr: ErrRepeatedWrongLength,
		},
		{
			name:  "6Cxx to a case 3 command passes through",
			cmd:   "0082000002AABB",
			steps: []step{{"0082000002AABB", "6C08", nil}},
			want:  "6C08",
		},
		{
			name:  "6Cxx to a case 1 command passes through",
			cmd:   "00840000",
			steps: []step{{"00840000", "6C08", nil}},
			want:  "6C08",
		},
		{
			name: "EMV: warning without data to case 4 fetches data, keeps the warning",
			cmd:  "80AE8000020102 00",
			steps: []step{
				{"80AE8000020102 00", "6283", nil},
				{"00C0000000", "77029F27" + "9000", nil},
			},
			want: "77029F27" + "6283",
		},
		{
			name: "EMV: warning, GET RESPONSE answered 61xx, then data",
			cmd:  "80AE8000020102 00",
			steps: []step{
				{"80AE8000020102 00", "6300", nil},
				{"00C0000000", "6102", nil},
				{"00C0000002", "AABB" + "9000", nil},
			},
			want: "AABB" + "6300",
		},
		{
			name: "EMV: warning, GET RESPONSE refused: the warning alone",
			cmd:  "80AE8000020102 00",
			steps: []step{
				{"80AE8000020102 00", "63C2", nil},
				{"00C0000000", "6F00", nil},
			},
			want: "63C2",
		},
		{
			name:  "ISO: warning to case 4 passes through (ISO/IEC 7816-3 case 4S.4)",
			t0:    T0Transport{ISOCase4Warnings: true},
			cmd:   "80AE8000020102 00",
			steps: []step{{"80AE8000020102 00", "6283", nil}},
			want:  "6283",
		},
		{
			name:  "warning with data passes through",
			cmd:   "80AE8000020102 00",
			steps: []step{{"80AE8000020102 00", "AA6283", nil}},
			want:  "AA6283",
		},
		{
			name:  "warning to case 2 passes through",
			cmd:   "00B2011400",
			steps: []step{{"00B2011400", "6282", nil}},
			want:  "6282",
		},
		{
			name:  "warning to case 3 passes through",
			cmd:   "00200080 08 241234FFFFFFFFFF",
			steps: []step{{"00200080 08 241234FFFFFFFFFF", "63C2", nil}},
			want:  "63C2",
		},
		{
			name: "61xx to a case 3 command is still fetched",
			cmd:  "0082000002AABB",
			steps: []step{
				{"0082000002AABB", "6101", nil},
				{"00C0000001", "01" + "9000", nil},
			},
			want: "01" + "9000",
		},
		{
			name: "GET RESPONSE answered with an error: data so far and that status",
			cmd:  "00B2010C00",
			steps: []step{
				{"00B2010C00", "6104", nil},
				{"00C0000004", "0102" + "6104", nil},
				{"00C0000004", "6A86", nil},
			},
			want: "0102" + "6A86",
		},
		{
			name: "MaxGetResponse bounds the loop",
			t0:   T0Transport{MaxGetResponse: 2},
			cmd:  "00B2010C00",
			steps: []step{
				{"00B2010C00", "6101", nil},
				{"00C0000001", "AA6101", nil},
				{"00C0000001", "BB6101", nil},
			},
			wantErr: ErrTooManyGetResponse,
		},
		{
			name:    "a 1-byte answer is malformed",
			cmd:     "00B2010C00",
			steps:   []step{{"00B2010C00", "90", nil}},
			wantErr: ErrMalformedResponse,
		},
		{
			name: "a transport error during GET RESPONSE is returned",
			cmd:  "00B2010C00",
			steps: []step{
				{"00B2010C00", "6104", nil},
				{"00C0000004", "", errCardRemoved},
			},
			wantErr: errCardRemoved,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card := &scripted{t: t, steps: tt.steps}
			t0 := tt.t0
			t0.Next = card
			got, err := t0.Transmit(context.Background(), mustHex(t, tt.cmd))
			card.finished()
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("response %X returned with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := mustHex(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("response %X, want %X", got, want)
			}
		})
	}
}

func TestT0DefaultBound(t *testing.T) {
	var steps []step
	steps = append(steps, step{"00B2010C00", "6101", nil})
	for range DefaultMaxGetResponse {
		steps = append(steps, step{"00C0000001", "AA6101", nil})
	}
	card := &scripted{t: t, steps: steps}
	_, err := T0(card).Transmit(context.Background(), mustHex(t, "00B2010C00"))
	if !errors.Is(err, ErrTooManyGetResponse) {
		t.Fatalf("err = %v, want ErrTooManyGetResponse", err)
	}
	card.finished()
	if !strings.Contains(err.Error(), "READ RECORD") {
		t.Errorf("error does not name the command: %v", err)
	}
}

func TestT0Context(t *testing.T) {
	t.Run("done before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		card := &scripted{t: t}
		_, err := T0(card).Transmit(ctx, mustHex(t, "00B2010C00"))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("done between GET RESPONSE rounds", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		card := &scripted{t: t, steps: []step{{"00B2010C00", "6104", nil}}, before: func(int) { cancel() }}
		_, err := T0(card).Transmit(ctx, mustHex(t, "00B2010C00"))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		card.finished()
	})
	t.Run("transport fails while done: both wrapped", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		card := &scripted{t: t, steps: []step{{"00B2010C00", "", errCardRemoved}}, before: func(int) { cancel() }}
		_, err := T0(card).Transmit(ctx, mustHex(t, "00B2010C00"))
		if !errors.Is(err, context.Canceled) || !errors.Is(err, errCardRemoved) {
			t.Fatalf("err = %v, want both context.Canceled and the transport's error", err)
		}
	})
}

func TestT0DoesNotModifyCommand(t *testing.T) {
	cmd := mustHex(t, "00B2011400")
	card := &scripted{t: t, steps: []step{
		{"00B2011400", "6C02", nil},
		{"00B2011402", "0102" + "9000", nil},
	}}
	if _, err := T0(card).Transmit(context.Background(), cmd); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cmd, mustHex(t, "00B2011400")) {
		t.Errorf("command changed to %X", cmd)
	}
}
