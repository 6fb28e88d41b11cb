package emv

import (
	"testing"

	"github.com/moov-io/bertlv"
)

// BenchmarkDecode compares yixin's scanner with github.com/moov-io/bertlv
// on the same real card records (testdata/records), in one run.
//
//	scanner: a full recursive pass over every object (Validate), no allocation
//	tree:    yixin's Decode, which builds a tree like bertlv does
//	bertlv:  bertlv.Decode
func BenchmarkDecode(b *testing.B) {
	recs := readHexFiles(b, "testdata/records")
	var all [][]byte
	size := 0
	for _, r := range recs {
		all = append(all, r)
		size += len(r)
	}
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, r := range all {
				if err := Validate(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("tree", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, r := range all {
				if _, err := Decode(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("bertlv", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, r := range all {
				if _, err := bertlv.Decode(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkFind is the kernel's hot path: find one tag in a record.
func BenchmarkFind(b *testing.B) {
	r := readHexFiles(b, "testdata/records")["mc-sfi2-rec1.hex"]
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Find(r, 0x57); !ok {
			b.Fatal("not found")
		}
	}
}
