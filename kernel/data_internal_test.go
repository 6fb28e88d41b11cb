package kernel

import (
	"testing"
	"unsafe"

	"github.com/yixin-emv/yixin/emv"
)

// TestDataStoreIndex fills a store past what its index holds (a hostile
// card's many objects) and checks that every object is found, under the
// index and past it, that absent tags are not, and that set, add and reset
// keep to their contracts.
func TestDataStoreIndex(t *testing.T) {
	for _, n := range []int{0, 1, indexMax - 1, indexMax, indexMax + 1, 3 * indexSlots} {
		var s dataStore
		val := func(i int) []byte { return []byte{byte(i), byte(i >> 8)} }
		tagOf := func(i int) emv.Tag { return emv.Tag(0x9F00 + i*7) } // spread over the hash
		for i := 0; i < n; i++ {
			if !s.add(tagOf(i), val(i)) {
				t.Fatalf("n=%d: add of new tag %d refused", n, i)
			}
		}
		for i := 0; i < n; i++ {
			v, ok := s.get(tagOf(i))
			if !ok || string(v) != string(val(i)) {
				t.Errorf("n=%d: tag %X = %X, %v", n, tagOf(i), v, ok)
			}
			if s.add(tagOf(i), nil) {
				t.Errorf("n=%d: duplicate tag %X added", n, tagOf(i))
			}
		}
		for _, absent := range []emv.Tag{0x5A, 0x9F00 + emv.Tag(n*7), 0x9F01} {
			if _, ok := s.get(absent); ok {
				t.Errorf("n=%d: absent tag %X found", n, absent)
			}
		}
		if n > 0 {
			last := tagOf(n - 1)
			s.set(last, []byte{0xAA})
			if v, _ := s.get(last); len(v) != 1 || v[0] != 0xAA || s.n != n {
				t.Errorf("n=%d: set replaced to %X, %d tags", n, v, s.n)
			}
		}
		s.reset()
		if _, ok := s.get(tagOf(0)); ok || s.n != 0 {
			t.Errorf("n=%d: reset left data", n)
		}
		s.set(0x5A, []byte{1})
		if v, ok := s.get(0x5A); !ok || v[0] != 1 {
			t.Errorf("n=%d: store unusable after reset", n)
		}
	}
}

// TestTransactionSize: the Transaction's fixed memory fits one size class
// of the allocator (runtime/sizeclasses.go: 5376 bytes); a field added past
// it costs every NewTransaction more.
func TestTransactionSize(t *testing.T) {
	const class = 5376
	if n := unsafe.Sizeof(Transaction{}); n > class {
		t.Errorf("Transaction is %d bytes, over the %d-byte size class it was made to fit", n, class)
	}
}

// TestPrintable3: card text reaches a display or a log with anything
// outside printable ASCII replaced, each of the three in its place.
func TestPrintable3(t *testing.T) {
	for _, c := range []struct {
		a, b, c string
		x, y, z string
	}{
		{"", "", "", "", "", ""},
		{"VISA", "Visa Credit", "en", "VISA", "Visa Credit", "en"},
		{"A\x1b[2J", "", "zh", "A?[2J", "", "zh"},
		{"", "caf\xc3\xa9", "\x00\x7f", "", "caf??", "??"},
	} {
		x, y, z := printable3([]byte(c.a), []byte(c.b), []byte(c.c))
		if x != c.x || y != c.y || z != c.z {
			t.Errorf("printable3(%q, %q, %q) = %q, %q, %q", c.a, c.b, c.c, x, y, z)
		}
	}
}

// TestResponseCode: the common codes come without an allocation, any
// other as it is.
func TestResponseCode(t *testing.T) {
	for _, c := range []string{"Y1", "Z1", "Y3", "Z3", "00", "05", "51", "", "A"} {
		if got := responseCode([]byte(c)); got != c {
			t.Errorf("responseCode(%q) = %q", c, got)
		}
	}
	arc := []byte("Y1")
	if n := testing.AllocsPerRun(100, func() { _ = responseCode(arc) }); n != 0 {
		t.Errorf("responseCode(Y1) allocates %v times", n)
	}
}
