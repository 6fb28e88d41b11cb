package kernel

import (
	"context"
	"encoding/binary"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// manageRisk is terminal risk management (Book 3 §10.6, Book 4 §6.3.5):
// the exception file (always), then, when the AIP asks for it or the
// configuration always wants it, the floor limit with the transaction log,
// random transaction selection and velocity checking.
func (t *Transaction) manageRisk(ctx context.Context) error {
	psn, _ := t.icc.get(0x5F34)
	if t.cfg.Exceptions != nil && t.cfg.Exceptions.Listed(t.pan, psn) {
		t.tvr.Set(emv.TVRCardOnExceptionFile)
	}
	if t.params.ForceOnline {
		t.tvr.Set(emv.TVRMerchantForcedOnline)
	}
	if !t.aip.Has(emv.AIPTerminalRiskManagementRequired) && !t.cfg.AlwaysRiskManagement {
		return nil
	}
	t.tsi.Set(emv.TSITerminalRiskManagementPerformed)
	t.checkFloorLimit(psn)
	if err := t.selectRandomly(); err != nil {
		return err
	}
	return t.checkVelocity(ctx)
}

// checkFloorLimit adds the logged amounts of this card to the current one
// (split sales) and compares the total with the floor limit.
func (t *Transaction) checkFloorLimit(psn []byte) {
	total := t.params.Amount
	if t.cfg.Log != nil {
		total += t.cfg.Log.Total(t.pan, psn)
	}
	if total >= t.app.FloorLimit {
		t.tvr.Set(emv.TVRFloorLimitExceeded)
	}
}

// selectRandomly is random transaction selection (Book 3 §10.6.2), for
// online-capable terminals only: below the threshold a transaction is
// selected with the target percentage; between the threshold and the
// floor limit the percentage rises linearly to the maximum (the biased
// selection that makes large offline amounts likelier to go online).
func (t *Transaction) selectRandomly() error {
	if !emv.TerminalType(t.cfg.Terminal.Type[0]).OnlineCapable() {
		return nil
	}
	rs, floor, amt := t.app.RandomSelection, t.app.FloorLimit, t.params.Amount
	if amt >= floor || (rs.TargetPercent == 0 && rs.MaxTargetPercent == 0) {
		return nil
	}
	n, err := t.random1to99()
	if err != nil {
		return err
	}
	var selected bool
	if amt < rs.Threshold || floor <= rs.Threshold {
		selected = n <= int64(rs.TargetPercent)
	} else {
		// n ≤ target + (max − target)·(amt − threshold)/(floor − threshold),
		// multiplied out so that no rounding enters.
		span := floor - rs.Threshold
		lhs := n * span
		rhs := int64(rs.TargetPercent)*span + int64(rs.MaxTargetPercent-rs.TargetPercent)*(amt-rs.Threshold)
		selected = lhs <= rhs
	}
	if selected {
		t.tvr.Set(emv.TVRRandomlySelectedOnline)
	}
	return nil
}

// random1to99 draws a uniform number from 1 to 99 by rejection sampling.
func (t *Transaction) random1to99() (int64, error) {
	var b [1]byte
	for range 64 {
		if err := t.random(b[:]); err != nil {
			return 0, err
		}
		if b[0] < 198 {
			return int64(b[0]%99) + 1, nil
		}
	}
	return 99, nil // a source that only gives 198–255 selects nothing
}

// checkVelocity is velocity checking (Book 3 §10.6.3): when the card has
// both consecutive offline limits (9F14, 9F23), GET DATA of the ATC (9F36)
// and the Last Online ATC Register (9F13).
func (t *Transaction) checkVelocity(ctx context.Context) error {
	lower, ok1 := t.icc.get(0x9F14)
	upper, ok2 := t.icc.get(0x9F23)
	if !ok1 || !ok2 || len(lower) != 1 || len(upper) != 1 {
		return nil
	}
	atc, err := t.getData2(ctx, 0x9F36)
	if err != nil {
		return err
	}
	last, err := t.getData2(ctx, 0x9F13)
	if err != nil {
		return err
	}
	if atc < 0 || last < 0 {
		// Book 3: when either cannot be read, both limits count as
		// exceeded and "new card" is not set.
		t.tvr.Set(emv.TVRLowerConsecutiveOfflineLimitExceeded)
		t.tvr.Set(emv.TVRUpperConsecutiveOfflineLimitExceeded)
		return nil
	}
	if last == 0 {
		t.tvr.Set(emv.TVRNewCard)
	}
	diff := atc - last
	if diff > int(lower[0]) {
		t.tvr.Set(emv.TVRLowerConsecutiveOfflineLimitExceeded)
	}
	if diff > int(upper[0]) {
		t.tvr.Set(emv.TVRUpperConsecutiveOfflineLimitExceeded)
	}
	return nil
}

// getData2 reads a 2-byte counter with GET DATA; -1 when the card does
// not give it.
func (t *Transaction) getData2(ctx context.Context, tag emv.Tag) (int, error) {
	cmd, _ := apdu.GetData(tag)
	data, sw, err := t.transmit(ctx, cmd)
	if err != nil {
		return -1, err
	}
	if sw != apdu.SWNoError {
		return -1, nil
	}
	v, ok := emv.Find(data, tag)
	if !ok || len(v) != 2 {
		return -1, nil
	}
	return int(binary.BigEndian.Uint16(v)), nil
}
