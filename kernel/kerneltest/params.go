package kerneltest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// Defaults of a case's transaction.
const (
	DefaultDate   = "260615"
	DefaultTime   = "120000"
	DefaultAmount = 1000
)

// txType reads a transaction type: a name or 9C in hex.
func txType(s string) (byte, error) {
	switch strings.ToLower(s) {
	case "", "purchase":
		return kernel.TypePurchase, nil
	case "cash":
		return kernel.TypeCash, nil
	case "cashback":
		return kernel.TypePurchaseCashback, nil
	case "refund":
		return kernel.TypeRefund, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 1 {
		return 0, fmt.Errorf("purchase, cash, cashback, refund or 2 hex digits, not %q", s)
	}
	return b[0], nil
}

// clockOf returns the fixed time of a case (UTC).
func clockOf(date, clock string) (time.Time, error) {
	if date == "" {
		date = DefaultDate
	}
	if clock == "" {
		clock = DefaultTime
	}
	d, err := emv.ParseDateString(date)
	if err != nil {
		return time.Time{}, err
	}
	v, err := strconv.Atoi(clock)
	if len(clock) != 6 || err != nil || v/10000 > 23 || v/100%100 > 59 || v%100 > 59 {
		return time.Time{}, fmt.Errorf("time: want HHMMSS, got %q", clock)
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, v/10000, v/100%100, v%100, 0, time.UTC), nil
}

// params builds the kernel's transaction parameters.
func (c *Case) params() (kernel.Params, error) {
	x := &c.Transaction
	typ, err := txType(x.Type)
	if err != nil {
		return kernel.Params{}, err
	}
	p := kernel.Params{Amount: x.Amount, OtherAmount: x.OtherAmount, Type: typ,
		Services: x.Services, ForceOnline: x.ForceOnline, Sequence: x.Sequence}
	if p.Amount == 0 && p.OtherAmount == 0 && typ != kernel.TypeRefund {
		p.Amount = DefaultAmount
	}
	return p, nil
}

// terminalRand is the terminal's random source for a case: the
// unpredictable number, then one byte per random selection draw, then a
// stream seeded from the case. The kernel reads the UN first (4 bytes, at
// the start of selection) and then one byte per draw (a value below 198
// gives the number b%99+1): the bytes written here give exactly the
// numbers the case lists.
func (c *Case) terminalRand() io.Reader {
	var pre []byte
	un, _ := hexBytes(c.Transaction.UN)
	if un == nil {
		sum := sha256.Sum256([]byte("yixin kerneltest UN " + c.ID))
		un = sum[:4]
	}
	pre = append(pre, un...)
	for _, n := range c.Transaction.Random {
		pre = append(pre, byte(n-1))
	}
	var seed [32]byte
	binary.BigEndian.PutUint64(seed[:], c.seed())
	copy(seed[8:], "kerneltest terminal")
	return io.MultiReader(&byteReader{b: pre}, mrand.NewChaCha8(seed))
}

// seed is the card seed, 1 by default.
func (c *Case) seed() uint64 {
	if c.Card.Seed == 0 {
		return 1
	}
	return c.Card.Seed
}

// byteReader reads its bytes once.
type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
