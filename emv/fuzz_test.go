package emv

import (
	"bytes"
	"errors"
	"testing"
)

// addSeeds adds every record in testdata/records, and the inputs that must
// be rejected, to the fuzzer's seed corpus.
func addSeeds(f *testing.F) {
	for _, b := range readHexFiles(f, "testdata/records") {
		f.Add(b)
	}
	for _, s := range []string{"5A88FFFFFFFFFFFFFFFF", "708000", "00FF5A0112FF", "9F800101", deepNest(MaxDepth + 1)} {
		f.Add(mustHex(f, s))
	}
}

// FuzzDecode checks that the scanner and the decoder never panic, agree
// with each other, and that a decoded tree re-encodes to bytes that decode
// to the same tree.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		objs, err := Decode(b)
		verr := Validate(b)
		if (err == nil) != (verr == nil) {
			t.Fatalf("Decode error %v but Validate error %v", err, verr)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(b) {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		enc := Encode(objs)
		again, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-decoding canonical encoding: %v", err)
		}
		if !bytes.Equal(Encode(again), enc) {
			t.Fatal("encoding is not stable")
		}
		// Top-level scanning agrees with the tree.
		s := Scanner(b)
		var tag Tag
		var v []byte
		for i := 0; s.More(); i++ {
			if !s.ReadObject(&tag, &v) || i >= len(objs) || objs[i].Tag != tag || !bytes.Equal(objs[i].Value, v) {
				t.Fatalf("scanner and tree disagree at object %d", i)
			}
		}
		if len(objs) > 0 {
			if _, ok := Find(b, objs[0].Tag); !ok {
				t.Fatal("Find misses the first object")
			}
		}
		if _, err := DecodeBerTLV(b); err != nil {
			t.Fatalf("DecodeBerTLV: %v", err)
		}
	})
}

// FuzzDOL checks that DOL parsing never panics and that building always
// gives exactly Len bytes, which Split accepts.
func FuzzDOL(f *testing.F) {
	f.Add(mustHex(f, "9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34039F21039F7C14"), []byte{1, 2, 3})
	f.Add(mustHex(f, "8A029F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C088D0C"), []byte{})
	f.Add(mustHex(f, "9F3704"), []byte{0xFF})
	f.Add(mustHex(f, "9F0280"), []byte{})
	f.Fuzz(func(t *testing.T, dol, value []byte) {
		d, err := ParseDOL(dol)
		if err != nil {
			if !errors.Is(err, ErrDOL) {
				t.Fatalf("error does not wrap ErrDOL: %v", err)
			}
			return
		}
		if !bytes.Equal(mustParse(t, d.Bytes()).Bytes(), d.Bytes()) {
			t.Fatal("Bytes does not round-trip")
		}
		out := d.Build(func(Tag) ([]byte, bool) { return value, true })
		if len(out) != d.Len() {
			t.Fatalf("built %d bytes, Len %d", len(out), d.Len())
		}
		if _, err := d.Split(out); err != nil {
			t.Fatal(err)
		}
	})
}

func mustParse(t *testing.T, b []byte) DOL {
	d, err := ParseDOL(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// FuzzReadObject checks readObject's fast path, and nextObject's, against
// readObjectSlow, the general reader, at every offset of the input.
func FuzzReadObject(f *testing.F) {
	addSeeds(f)
	for _, s := range []string{"1F0001", "1F8001", "5F2002", "9F0281", "DF7F0100", "BF0C8101AA", "5A0212"} {
		f.Add(mustHex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for i := range b {
			t1, h1, l1, c1 := readObject(b[i:])
			t2, h2, l2, c2 := readObjectSlow(b[i:])
			if c1 != c2 || ((c1 == errNone || c1 == errTruncatedValue) && (t1 != t2 || h1 != h2 || l1 != l2)) {
				t.Fatalf("at %d of %X: fast %X/%d/%d/%v, slow %X/%d/%d/%v", i, b, t1, h1, l1, c1, t2, h2, l2, c2)
			}
			// nextObject: padding skipped, then what the general reader says.
			in := b[i:]
			p := 0
			for p < len(in) && isPadding(in[p]) {
				p++
			}
			wt, wh, wl, wc := readObjectSlow(in[p:])
			nt, raw, val, rest := nextObject(in)
			if wc != errNone {
				if nt != 0 || raw != nil || val != nil || rest != nil {
					t.Fatalf("at %d of %X: nextObject read %X where the general reader fails (%v)", i, b, nt, wc)
				}
				continue
			}
			end := p + wh + wl
			if nt != wt || !bytes.Equal(raw, in[p:end]) || !bytes.Equal(val, in[p+wh:end]) || len(rest) != len(in)-end {
				t.Fatalf("at %d of %X: nextObject %X %X %X rest %d, want %X %X %X rest %d", i, b, nt, raw, val, len(rest), wt, in[p:end], in[p+wh:end], len(in)-end)
			}
		}
	})
}
