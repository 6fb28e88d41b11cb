package kernel_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// TestReset runs every recorded trace twice on one Transaction, the second
// time after Reset: the second Outcome must equal the first, and the first,
// held across the second run, must not change (Reset promises that nothing
// it returned shares the Transaction's memory).
func TestReset(t *testing.T) {
	for _, tc := range traceCases() {
		t.Run(tc.name, func(t *testing.T) {
			ex := tc.exchanges(t)
			cfg := tc.config(t)
			host := &replayHost{answers: hostAnswers(t, tc.path())}
			if host.answers != nil {
				cfg.Host = host
			}
			ctx := context.Background()
			r1 := apdu.NewReplayer(ex, apdu.ReplayStrict)
			tx, err := kernel.NewTransaction(cfg, r1, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			o1, err1 := tx.Run(ctx)
			if err := r1.Done(); err != nil {
				t.Fatalf("first run: %v", err)
			}
			before, err := json.Marshal(o1)
			if err != nil {
				t.Fatal(err)
			}
			dr1 := append([]byte(nil), tx.DataRecord()...)

			host.n = 0
			r2 := apdu.NewReplayer(ex, apdu.ReplayStrict)
			if err := tx.Reset(r2, tc.params); err != nil {
				t.Fatal(err)
			}
			if tx.Phase() != kernel.PhaseNone {
				t.Errorf("after Reset the phase is %v", tx.Phase())
			}
			o2, err2 := tx.Run(ctx)
			if err := r2.Done(); err != nil {
				t.Fatalf("run after Reset: %v", err)
			}
			if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
				t.Errorf("errors differ: %v, then %v", err1, err2)
			}
			if !reflect.DeepEqual(o1, o2) {
				t.Errorf("outcomes differ:\n%+v\n%+v", o1, o2)
			}
			after, _ := json.Marshal(o1)
			if string(before) != string(after) {
				t.Errorf("the first Outcome changed during the second run:\n%s\n%s", before, after)
			}
			if dr2 := tx.DataRecord(); string(dr1) != string(dr2) {
				t.Errorf("data record %X, then %X", dr1, dr2)
			}
			tc.check(t, o2, err2)
		})
	}
}

// TestResetRefuses: Reset checks what NewTransaction checks and leaves the
// Transaction as it was; a Transaction not made by NewTransaction refuses.
func TestResetRefuses(t *testing.T) {
	cfg := testConfig(t, "US", "USD")
	card := (&conv{}).replayer()
	tx, err := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		card apdu.Transport
		p    kernel.Params
	}{
		{"nil card", nil, kernel.Params{Amount: 1}},
		{"negative amount", card, kernel.Params{Amount: -1}},
		{"other amount too large", card, kernel.Params{OtherAmount: 1e15}},
	} {
		if err := tx.Reset(c.card, c.p); !errors.Is(err, kernel.ErrConfig) {
			t.Errorf("%s: Reset = %v, want ErrConfig", c.name, err)
		}
	}
	if err := new(kernel.Transaction).Reset(card, kernel.Params{}); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("Reset of a zero Transaction = %v, want ErrConfig", err)
	}
}

// TestDataRecordSensitive: a configured data record that names the PAN,
// track 2 and the cardholder name leaves them out and keeps the rest, in
// the configured order.
func TestDataRecordSensitive(t *testing.T) {
	tc := simTraces[len(simTraces)-1] // the offline CDA approval
	ex := tc.exchanges(t)
	cfg := tc.config(t)
	cfg.DataRecord = []kernel.Hex{{0x5A}, {0x9F, 0x02}, {0x57}, {0x5F, 0x20}, {0x9F, 0x26}, {0x5F, 0x34}}
	tx, err := kernel.NewTransaction(cfg, apdu.NewReplayer(ex, apdu.ReplayStrict), tc.params)
	if err != nil {
		t.Fatal(err)
	}
	o, err := tx.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []emv.Tag
	sc := emv.Scanner(o.DataRecord)
	for sc.More() {
		var tag emv.Tag
		var v []byte
		if !sc.ReadObject(&tag, &v) {
			t.Fatalf("data record %X is malformed", o.DataRecord)
		}
		got = append(got, tag)
	}
	if want := []emv.Tag{0x9F02, 0x9F26, 0x5F34}; !reflect.DeepEqual(got, want) {
		t.Errorf("data record tags %v, want %v", got, want)
	}
}
