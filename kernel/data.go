package kernel

import (
	"encoding/binary"

	"github.com/yixin-emv/yixin/emv"
)

// dataStore holds the data objects of one side of a transaction, each tag
// once, in slices, with a small open-addressing index over them: a
// transaction holds a few dozen objects and looks them up a few hundred
// times (the DOLs, the data record, the checks of every phase), for which
// a table of byte positions beats both a map and a scan and allocates
// nothing. The first indexMax objects are indexed; a card that sends more
// (a hostile one) has the rest found by a scan.
type dataStore struct {
	// tags[:n] and vals[:n] are the objects, vals[i] the value of tags[i].
	// The slices are the room for them and change only to grow: storing
	// an object writes its value and a count, not the slice headers, each
	// of which would be a pointer write behind the garbage collector's
	// barrier.
	tags []emv.Tag
	vals [][]byte
	n    int
	slot [indexSlots]uint8 // position+1 of a tag in tags, 0 for an empty slot
}

// The index: 64 slots, filled to at most three quarters, so that a probe
// sequence stays short.
const (
	indexSlots = 64
	indexMax   = indexSlots * 3 / 4
)

// slotOf returns the first slot to probe for tag: the top 6 bits of a
// multiplicative hash.
func slotOf(tag emv.Tag) uint { return uint(uint32(tag) * 0x9E3779B1 >> 26) }

// reset empties the store, keeping its arrays.
func (s *dataStore) reset() {
	s.n = 0
	s.slot = [indexSlots]uint8{}
}

// push appends an entry without looking for an earlier value of tag: for
// a caller that stores each tag once.
func (s *dataStore) push(tag emv.Tag, v []byte) {
	n := s.n
	if n < indexMax {
		h := slotOf(tag)
		for s.slot[h] != 0 {
			h = (h + 1) & (indexSlots - 1)
		}
		s.slot[h] = uint8(n + 1)
	}
	if n == len(s.tags) || n == len(s.vals) { // full: grow, using the room append gives
		s.tags = append(s.tags[:n], tag)
		s.tags = s.tags[:cap(s.tags)]
		s.vals = append(s.vals[:n], v)
		s.vals = s.vals[:cap(s.vals)]
	}
	s.tags[n], s.vals[n] = tag, v
	s.n = n + 1
}

// index returns the position of tag, -1 when it is absent.
func (s *dataStore) index(tag emv.Tag) int {
	for h := slotOf(tag); ; h = (h + 1) & (indexSlots - 1) {
		p := int(s.slot[h]) - 1
		if p < 0 {
			break
		}
		if p < s.n && s.tags[p] == tag {
			return p
		}
	}
	if s.n > indexMax {
		for i, t := range s.tags[indexMax:s.n] {
			if t == tag {
				return indexMax + i
			}
		}
	}
	return -1
}

// get returns the value of tag.
func (s *dataStore) get(tag emv.Tag) ([]byte, bool) {
	if i := s.index(tag); i >= 0 {
		return s.vals[i], true
	}
	return nil, false
}

// has reports whether tag is present.
func (s *dataStore) has(tag emv.Tag) bool { return s.index(tag) >= 0 }

// set stores v as the value of tag, replacing any earlier value.
func (s *dataStore) set(tag emv.Tag, v []byte) {
	if i := s.index(tag); i >= 0 {
		s.vals[i] = v
		return
	}
	s.push(tag, v)
}

// add stores v as the value of tag and reports false, storing nothing,
// when tag is already present: Book 3 §10.2 terminates a transaction whose
// card sends a primitive object twice.
func (s *dataStore) add(tag emv.Tag, v []byte) bool {
	if s.has(tag) {
		return false
	}
	s.push(tag, v)
	return true
}

// addObjects stores every object of a TLV sequence (the content of a
// template 70 or 77) with add; it returns the first tag that was already
// present, or a syntax error.
func (s *dataStore) addObjects(b []byte) (dup emv.Tag, err error) {
	sc := emv.Scanner(b)
	for sc.More() {
		tag, v, rest := sc.Next()
		if tag == 0 {
			return 0, emv.Validate(sc)
		}
		if !s.add(tag, v) {
			return tag, nil
		}
		sc = rest
	}
	return 0, nil
}

// lookup finds the value of a data object for a DOL, the data record or
// the host: the terminal's own data (with the TVR, TSI and CVM Results as
// they are at this moment), then the card's, then the selected
// application's FCI.
func (t *Transaction) lookup(tag emv.Tag) ([]byte, bool) {
	switch tag {
	case 0x95:
		return t.tvr[:], true
	case 0x9B:
		return t.tsi[:], true
	case 0x9F34:
		return t.cvm[:], true
	}
	if v, ok := t.term.get(tag); ok {
		return v, true
	}
	if v, ok := t.icc.get(tag); ok {
		return v, true
	}
	return t.fciData.get(tag)
}

// setTerminalData fills the terminal data that do not depend on the
// application: Book 3 Annex A's terminal-sourced elements, from the
// configuration, the parameters, the clock and the random source.
func (t *Transaction) setTerminalData(un [4]byte) {
	c := &t.cfg.Terminal
	cur := c.currency()
	amt := emv.Amount{Minor: t.params.Amount, Currency: cur}
	other := emv.Amount{Minor: t.params.OtherAmount, Currency: cur}
	buf := t.termBuf[:0]
	put := func(tag emv.Tag, v ...byte) { // each tag once: no search for an earlier value
		start := len(buf)
		buf = append(buf, v...)
		t.term.push(tag, buf[start:len(buf):len(buf)])
	}
	n := amt.Numeric()
	put(0x9F02, n[:]...)
	n = other.Numeric()
	put(0x9F03, n[:]...)
	b4 := amt.Binary()
	put(0x81, b4[:]...)
	b4 = other.Binary()
	put(0x9F04, b4[:]...)
	cc := c.Country.Code()
	put(0x9F1A, cc[:]...)
	cu := c.Currency.Code()
	put(0x5F2A, cu[:]...)
	put(0x5F36, byte(cur.Exponent))
	d := emv.DateOf(t.now).Numeric()
	put(0x9A, d[:]...)
	h, m, s := t.now.Clock()
	put(0x9F21, bcd(h), bcd(m), bcd(s))
	put(0x9C, t.params.Type)
	put(0x9F37, un[:]...)
	put(0x9F35, c.Type...)
	put(0x9F33, c.Capabilities...)
	put(0x9F40, c.AdditionalCaps...)
	var seq [4]byte
	binary.BigEndian.PutUint32(seq[:], toBCD32(t.params.Sequence))
	put(0x9F41, seq[:]...)
	entry := byte(0x05)
	if len(c.POSEntryMode) == 1 {
		entry = c.POSEntryMode[0]
	}
	put(0x9F39, entry)
	sm := byte(1)
	if t.cfg.DisableSM {
		sm = 0
	}
	put(0xDF69, sm)
	for _, f := range [...]struct {
		tag emv.Tag
		s   string
	}{{0x9F1C, c.TerminalID}, {0x9F15, c.MerchantCategoryCode}, {0x9F16, c.MerchantID},
		{0x9F4E, c.MerchantNameLocation}, {0x9F1E, c.IFDSerial}, {0x9F01, c.AcquirerID}} {
		if f.s == "" {
			continue
		}
		start := len(buf)
		switch f.tag {
		case 0x9F15, 0x9F01: // numeric
			var ok bool
			if buf, ok = appendNumeric(buf, f.s); !ok {
				continue
			}
		default:
			buf = append(buf, f.s...)
		}
		t.term.set(f.tag, buf[start:len(buf):len(buf)])
	}
	t.termBuf = buf
}

// appendNumeric appends digits in format n (BCD, right-justified in
// (len(digits)+1)/2 bytes, as emv.EncodeNumeric writes them) and reports
// false, appending nothing, when they are not all decimal digits.
func appendNumeric(b []byte, digits string) ([]byte, bool) {
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return b, false
		}
	}
	d := digits
	if len(d)%2 == 1 {
		b = append(b, d[0]-'0')
		d = d[1:]
	}
	for i := 0; i < len(d); i += 2 {
		b = append(b, (d[i]-'0')<<4|(d[i+1]-'0'))
	}
	return b, true
}

// keep copies v into the transaction's buffer and returns the copy, for
// terminal data computed on the stack.
func (t *Transaction) keep(v []byte) []byte {
	start := len(t.termBuf)
	t.termBuf = append(t.termBuf, v...)
	return t.termBuf[start:len(t.termBuf):len(t.termBuf)]
}

// setApplicationData adds the terminal data that depend on the selected
// application (Book 1 §12.4: 9F06 before GET PROCESSING OPTIONS).
func (t *Transaction) setApplicationData() {
	a := t.app
	t.term.set(0x9F06, a.AID)
	if len(a.Versions) > 0 {
		t.term.set(0x9F09, a.Versions[0])
	}
	var fl [4]byte
	binary.BigEndian.PutUint32(fl[:], uint32(min(max(a.FloorLimit, 0), 0xFFFFFFFF)))
	t.term.set(0x9F1B, t.keep(fl[:]))
}

// dolBuf is room on a caller's stack for the entries of a typical DOL,
// which emv.AppendDOL parses into: every transaction parses a PDOL and a
// CDOL, which emv.ParseDOL would grow an entry at a time.
type dolBuf [16]emv.DOLEntry

// bcd returns a number below 100 as one byte of packed BCD.
func bcd(v int) byte { return byte(v/10)<<4 | byte(v%10) }

// toBCD32 returns the last 8 decimal digits of v as packed BCD.
func toBCD32(v uint32) uint32 {
	var out uint32
	for i := 0; i < 8; i++ {
		out |= (v % 10) << (4 * i)
		v /= 10
	}
	return out
}
