package kerneltest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/yixin-emv/yixin/kernel"
)

// TestConcurrentTransactions runs 16 transactions at a time — 3 in a row on
// each of 16 cards — that share one *kernel.Config: one CA key store, one
// transaction log, one PIN pad, one cardholder interface, one host, the
// default random source. Half the cardholders choose the domestic
// application (SM2, SM4), half the international one (RSA with CDA, TDES),
// so both verification paths run at once over the shared store. Every
// outcome must equal the one the same transaction has when it runs alone.
// Run it with -race: the kernel documents a Config as safe to share once
// transactions use it.
//
// Each card is a clone of the golden dual-cn card, so all share a PAN and
// an ATC sequence; each therefore has its own issuer host (one that checks
// ATCs per account would take the clones for replays), which the shared
// Host finds through the context, as the cardholder's choice is.
func TestConcurrentTransactions(t *testing.T) {
	const cards, rounds = 16, 3
	s0 := atkNewSim(t)
	cfg := atkConfig(t, s0, "US")
	cfg.Selection.Policy = kernel.PolicyCardholderChoice
	cfg.Rand = nil // crypto/rand, shared
	cfg.Log = &kernel.MemoryLog{}
	cfg.Cardholder = atkCtxCardholder{}
	cfg.Host = kernel.HostFunc(func(ctx context.Context, req *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
		return atkRouteOf(ctx).host.Authorize(ctx, req)
	})
	choices := [][]byte{atkAIDDomestic, atkAIDIntl}

	// Alone first: the expected outcome of each choice.
	want := map[string]*kernel.Outcome{}
	for _, aid := range choices {
		s := atkNewSim(t)
		ctx := context.WithValue(context.Background(), atkRouteKey{}, &atkRoute{host: s.host, aid: aid})
		o, err := atkRun(t, ctx, cfg, s.card, kernel.Params{Amount: 2500})
		if err != nil || o.Result != kernel.ResultOnlineApproved || !bytes.Equal(o.AID, aid) || !o.ODAOK {
			t.Fatalf("alone, choosing %X: %s (%s) with %X, ODA %s ok %v, %v", aid, o.Result, o.Reason, o.AID, o.ODA, o.ODAOK, err)
		}
		want[string(aid)] = o
	}

	sims := make([]*atkSim, cards)
	for i := range sims {
		sims[i] = atkNewSim(t)
	}
	errs := make(chan error, cards*rounds)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, s := range sims {
		wg.Add(1)
		go func() {
			defer wg.Done()
			aid := choices[i%2]
			ctx := context.WithValue(context.Background(), atkRouteKey{}, &atkRoute{host: s.host, aid: aid})
			<-start
			for r := range rounds {
				tx, err := kernel.NewTransaction(cfg, s.card, kernel.Params{Amount: 2500})
				if err != nil {
					errs <- err
					return
				}
				o, err := tx.Run(ctx)
				if err := atkSameOutcome(o, err, want[string(aid)]); err != nil {
					errs <- fmt.Errorf("card %d, transaction %d: %w", i, r+1, err)
				}
				s.card.Reset()
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every approval was logged in the one shared log.
	if got, n := cfg.Log.Total(s0.cf.Profile.Applications[1].PAN, []byte{0x00}), int64(cards/2*rounds+1)*2500; got != n {
		t.Errorf("the shared log holds %d for the international PAN, want %d", got, n)
	}
}

// atkSameOutcome compares what a concurrent transaction gave with what it
// gives alone (the fields that do not depend on the random source or the
// card's counters).
func atkSameOutcome(o *kernel.Outcome, err error, want *kernel.Outcome) error {
	if cerr := atkCheckEnding(o, err); cerr != nil {
		return cerr
	}
	if err != nil {
		return err
	}
	switch {
	case o.Result != want.Result || !bytes.Equal(o.AID, want.AID):
		return fmt.Errorf("%s (%s) with %X; alone %s with %X", o.Result, o.Reason, o.AID, want.Result, want.AID)
	case o.ODA != want.ODA || o.ODAOK != want.ODAOK:
		return fmt.Errorf("ODA %s ok %v (%s); alone %s ok %v", o.ODA, o.ODAOK, o.ODAError, want.ODA, want.ODAOK)
	case o.CVMResults != want.CVMResults || o.TSI != want.TSI:
		return fmt.Errorf("CVM Results %s, TSI %s; alone %s, %s", o.CVMResults, o.TSI, want.CVMResults, want.TSI)
	case atkTVRButNewCard(o) != atkTVRButNewCard(want):
		return fmt.Errorf("TVR %s; alone %s (the new card bit aside)", o.TVR, want.TVR)
	case o.Reversal || o.APDUs != want.APDUs:
		return fmt.Errorf("reversal %v, %d APDUs; alone %d", o.Reversal, o.APDUs, want.APDUs)
	}
	return nil
}

// atkTVRButNewCard is the TVR without "new card", which only the first
// transaction of a card sets.
func atkTVRButNewCard(o *kernel.Outcome) [5]byte {
	v := [5]byte(o.TVR)
	v[1] &^= 0x08 // byte 2 b4
	return v
}

// atkRouteKey is the context key of a transaction's route: its issuer and
// the cardholder's choice.
type atkRouteKey struct{}

type atkRoute struct {
	host *atkHost
	aid  []byte
}

func atkRouteOf(ctx context.Context) *atkRoute {
	r, _ := ctx.Value(atkRouteKey{}).(*atkRoute)
	if r == nil {
		panic("kerneltest: a transaction without its route in the context")
	}
	return r
}

// atkCtxCardholder chooses the application its transaction's context
// names, and confirms every application.
type atkCtxCardholder struct{}

func (atkCtxCardholder) ChooseApplication(ctx context.Context, cs []kernel.Candidate, proposed int) (int, error) {
	aid := atkRouteOf(ctx).aid
	for i, c := range cs {
		if bytes.Equal(c.AID, aid) {
			return i, nil
		}
	}
	return proposed, errors.New("the chosen application is not offered")
}

func (atkCtxCardholder) ConfirmApplication(context.Context, kernel.Candidate) (bool, error) {
	return true, nil
}
