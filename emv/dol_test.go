package emv

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseDOL(t *testing.T) {
	// CDOL1 of the real Mastercard card (VECTORS.md, SFI 2 record 1).
	d, err := ParseDOL(mustHex(t, "9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34039F21039F7C14"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d) != 14 || d[0] != (DOLEntry{0x9F02, 6}) || d[13] != (DOLEntry{0x9F7C, 20}) {
		t.Fatalf("got %+v", d)
	}
	if d.Len() != 6+6+2+5+2+3+1+4+1+2+8+3+3+20 {
		t.Errorf("Len = %d", d.Len())
	}
	if !bytes.Equal(d.Bytes(), mustHex(t, "9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34039F21039F7C14")) {
		t.Error("Bytes does not round-trip")
	}
	if !d.Contains(0x9F37) || d.Contains(0x9F66) {
		t.Error("Contains wrong")
	}
	for _, bad := range []string{"9F", "9F02", "9F0280", "9F02820100", "00 06", "FF06", "9F8001 01"} {
		if _, err := ParseDOL(mustHex(t, bad)); !errors.Is(err, ErrDOL) {
			t.Errorf("ParseDOL(%s) = %v", bad, err)
		}
	}
	if d, err := ParseDOL(nil); err != nil || len(d) != 0 {
		t.Errorf("empty DOL: %v %v", d, err)
	}
}

// TestDOLBuild checks the rules of EMV Book 3 §5.4 one by one.
func TestDOLBuild(t *testing.T) {
	data := map[Tag][]byte{
		0x9F02: mustHex(t, "000000001234"),     // n 12
		0x5F2A: mustHex(t, "0156"),             // n 3
		0x9F37: mustHex(t, "11223344"),         // b 4
		0x5A:   mustHex(t, "6212345678901234"), // cn
		0x9F4E: []byte("SHOP"),                 // ans
		0x9A:   mustHex(t, "261127"),           // n 6
		0x9F7C: mustHex(t, "AABB"),             // b
		0xDF01: mustHex(t, "0102030405"),       // not in dictionary: binary
		0x70:   mustHex(t, "5A0112"),           // constructed: always zeros
		0x9F1A: mustHex(t, "0156"),             // n 3
		0x95:   mustHex(t, "0000000000"),       // b 5
		0x9F03: mustHex(t, "000000000000"),     // n 12
		0x9F35: mustHex(t, "22"),               // n 2
		0x9F45: mustHex(t, "0000"),             // b 2
		0x9F21: mustHex(t, "101010"),           // n 6
		0x9F34: mustHex(t, "1F0302"),           // b 3
		0x9C:   mustHex(t, "00"),               // n 2
		0x9F4C: mustHex(t, "0102030405060708"), // b 8
		0x9F66: mustHex(t, "36000000"),         // b 4
		0x9F6A: mustHex(t, "01020304"),         // b 4
		0x5F24: mustHex(t, "301231"),           // n 6
		0x8A:   []byte("00"),                   // an 2
		0x91:   mustHex(t, "0102030405060708"), // b
		0x9F36: mustHex(t, "0001"),             // b 2
		0x9F10: mustHex(t, "0110A00003220000"), // b
	}
	lookup := func(tag Tag) ([]byte, bool) { v, ok := data[tag]; return v, ok }
	tests := []struct {
		name string
		dol  string
		want string
	}{
		{"exact lengths", "9F02065F2A029F3704", "000000001234 0156 11223344"},
		{"numeric truncated from the left", "9F0203", "001234"},
		{"numeric padded on the left", "5F2A04", "00000156"},
		{"binary truncated from the right", "9F3702", "1122"},
		{"binary padded on the right", "9F3706", "112233440000"},
		{"cn padded on the right with FF", "5A0A", "6212345678901234FFFF"},
		{"cn truncated from the right", "5A04", "62123456"},
		{"ans padded on the right with 00", "9F4E06", "53484F500000"},
		{"ans truncated from the right", "9F4E02", "5348"},
		{"date n6 truncated from the left", "9A02", "1127"},
		{"tag the terminal does not have is zero-filled", "DF7703", "000000"},
		{"tag not in the dictionary is binary", "DF0103", "010203"},
		{"constructed tag zero-filled", "7003", "000000"},
		{"duplicates honoured", "9F37029F3702", "11221122"},
		{"zero length entry", "9F3700", ""},
		{"real CDOL1", "9F02069F03069F1A0295055F2A029A039C019F3704",
			"000000001234 000000000000 0156 0000000000 0156 261127 00 11223344"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDOL(mustHex(t, tt.dol))
			if err != nil {
				t.Fatal(err)
			}
			got := d.Build(lookup)
			if want := mustHex(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("Build = %X, want %X", got, want)
			}
			if len(got) != d.Len() {
				t.Errorf("Build gave %d bytes, Len says %d", len(got), d.Len())
			}
			fields, err := d.Split(got)
			if err != nil || len(fields) != len(d) {
				t.Fatalf("Split: %v", err)
			}
		})
	}
	d, _ := ParseDOL(mustHex(t, "9F3704"))
	if got := d.Build(nil); !bytes.Equal(got, make([]byte, 4)) {
		t.Errorf("Build(nil) = %X", got)
	}
	if _, err := d.Split(make([]byte, 3)); !errors.Is(err, ErrDOL) {
		t.Errorf("Split of short data: %v", err)
	}
}

func TestDOLBuildAllocs(t *testing.T) {
	d, _ := ParseDOL(mustHex(t, "9F02069F03069F1A0295055F2A029A039C019F3704"))
	buf := make([]byte, 0, 64)
	v := mustHex(t, "0102")
	lookup := func(Tag) ([]byte, bool) { return v, true }
	n := testing.AllocsPerRun(100, func() { buf = d.AppendBuild(buf[:0], lookup) })
	if n != 0 {
		t.Errorf("AppendBuild allocates %.0f times", n)
	}
}

func TestAppendDOL(t *testing.T) {
	var buf [16]DOLEntry
	raw := mustHex(t, "9F02069F03069F1A0295055F2A029A039C019F3704")
	d, err := AppendDOL(buf[:0], raw)
	if err != nil || len(d) != 8 || &d[0] != &buf[0] {
		t.Fatalf("AppendDOL into a buffer: %v, %d entries, own storage %v", err, len(d), &d[0] == &buf[0])
	}
	want, _ := ParseDOL(raw)
	for i := range want {
		if d[i] != want[i] {
			t.Fatalf("entry %d: %+v, ParseDOL says %+v", i, d[i], want[i])
		}
	}
	if n := testing.AllocsPerRun(100, func() { d, _ = AppendDOL(buf[:0], raw) }); n != 0 {
		t.Errorf("AppendDOL into room allocates %.0f times", n)
	}
	// Entries already there stay; a failure leaves them as they were.
	d, err = AppendDOL(buf[:1], mustHex(t, "9F0280"))
	if !errors.Is(err, ErrDOL) || len(d) != 1 {
		t.Errorf("failed append: %v, %d entries", err, len(d))
	}
}
