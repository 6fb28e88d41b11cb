package emv

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/moov-io/bertlv"
)

// readHexFiles returns the hex data of every *.hex file in dir, keyed by
// file name. Lines starting with # are comments; the rest is concatenated.
func readHexFiles(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.hex"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no hex files in %s: %v", dir, err)
	}
	out := make(map[string][]byte)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			tb.Fatal(err)
		}
		var sb strings.Builder
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			sb.WriteString(strings.ReplaceAll(line, " ", ""))
		}
		f.Close()
		b, err := hex.DecodeString(sb.String())
		if err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestDecodeRealCard(t *testing.T) {
	// Records of a real Mastercard debit card (source: MichaelsPlayground/
	// TalkToYourCreditCardPart7 logfile.md, quoted in shared/refs/VECTORS.md).
	recs := readHexFiles(t, "testdata/records")
	tests := []struct {
		file string
		tag  Tag
		want string
	}{
		{"mc-gpo.hex", 0x82, "1980"},
		{"mc-gpo.hex", 0x94, "080101001001010120010200"},
		{"mc-sfi2-rec1.hex", 0x5A, "5375050000160110"},
		{"mc-sfi2-rec1.hex", 0x57, "5375050000160110D24032212794329000000F"},
		{"mc-sfi2-rec1.hex", 0x9F4A, "82"},
		{"mc-sfi2-rec1.hex", 0x8E, "000000000000000042031E031F03"},
		{"mc-sfi2-rec1.hex", 0x5F24, "240331"},
		{"mc-sfi4-rec1.hex", 0x9F47, "03"},
		{"mc-sfi4-rec2.hex", 0x8F, "05"},
		{"mc-sfi4-rec2.hex", 0x9F32, "03"},
		{"cda-genac.hex", 0x9F36, "0010"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.tag.String(), func(t *testing.T) {
			b := recs[tt.file]
			objs, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			o, ok := FindObject(objs, tt.tag)
			if !ok {
				t.Fatalf("tag %s not found", tt.tag)
			}
			if got := hex.EncodeToString(o.Value); !strings.EqualFold(got, tt.want) {
				t.Errorf("value = %s, want %s", got, tt.want)
			}
			v, ok := Find(b, tt.tag)
			if !ok || !bytes.Equal(v, o.Value) {
				t.Errorf("Find = %X, %v; tree says %X", v, ok, o.Value)
			}
			// The offset points at the object's tag in the input.
			if !bytes.HasPrefix(b[o.Offset:], tt.tag.Bytes()) {
				t.Errorf("offset %d does not point at tag %s", o.Offset, tt.tag)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		err    error
		offset int
	}{
		{"bertlv v0.1.0 panic input", "5A88FFFFFFFFFFFFFFFF", ErrLengthTooLong, 1},
		{"indefinite length", "7080 5A0101 0000", ErrIndefiniteLength, 1},
		{"length field of 5 bytes", "5A840000000101", ErrLengthTooLong, 1},
		{"value beyond input", "5A0512345678", ErrTruncated, 2},
		{"long-form value beyond input", "7081A6 9F4202", ErrTruncated, 3},
		{"truncated two-byte tag", "9F", ErrTruncated, 0},
		{"truncated long length", "5A8201", ErrTruncated, 1},
		{"missing length", "9F26", ErrTruncated, 2},
		{"tag of 4 bytes", "DFFFFF0101", ErrTagTooLong, 0},
		{"non-minimal tag", "9F800101", ErrBadTag, 0},
		{"error inside template", "7007 5A03123456 9F10", ErrTruncated, 9},
		{"second object truncated", "5A0112 9F2608 0102", ErrTruncated, 6},
		{"nesting too deep", strings.Repeat("E1", 0) + deepNest(MaxDepth+1), ErrTooDeep, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mustHex(t, tt.in)
			_, err := Decode(in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Decode(%s) error = %v, want %v", tt.in, err, tt.err)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if tt.offset >= 0 && se.Offset != tt.offset {
				t.Errorf("offset = %d, want %d (%v)", se.Offset, tt.offset, err)
			}
			if !strings.Contains(err.Error(), "byte") {
				t.Errorf("message %q does not say where", err)
			}
			// The scanner refuses the same input without moving.
			s := Scanner(in)
			var tag Tag
			var v []byte
			for s.More() {
				before := len(s)
				if !s.ReadObject(&tag, &v) {
					if len(s) != before {
						t.Errorf("failed read advanced the scanner")
					}
					break
				}
			}
			// bertlv is never handed the bytes: DecodeBerTLV fails cleanly.
			if _, err := DecodeBerTLV(in); err == nil && !errors.Is(tt.err, ErrTooDeep) {
				t.Errorf("DecodeBerTLV accepted %s", tt.in)
			}
		})
	}
}

// deepNest returns hex of n nested constructed objects E1.
func deepNest(n int) string {
	b := []byte{0x5A, 0x00}
	for i := 0; i < n; i++ {
		b = AppendTLV(nil, 0xE1, b)
	}
	return hex.EncodeToString(b)
}

func TestDecodeDepthLimit(t *testing.T) {
	ok := mustHex(t, deepNest(MaxDepth-1))
	if _, err := Decode(ok); err != nil {
		t.Fatalf("depth %d rejected: %v", MaxDepth-1, err)
	}
	if _, err := Decode(mustHex(t, deepNest(MaxDepth))); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("depth %d accepted: %v", MaxDepth, err)
	}
}

func TestPadding(t *testing.T) {
	// EMV Book 3 Annex B: 00 and FF may appear before, between and after
	// objects.
	in := mustHex(t, "00FF 5A0112 0000 9F260101 FF00")
	objs, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].Tag != 0x5A || objs[1].Tag != 0x9F26 {
		t.Fatalf("got %+v", objs)
	}
	if objs[0].Offset != 2 || objs[1].Offset != 7 {
		t.Errorf("offsets %d, %d; want 2, 7", objs[0].Offset, objs[1].Offset)
	}
	if got := Encode(objs); !bytes.Equal(got, mustHex(t, "5A01129F260101")) {
		t.Errorf("Encode = %X", got)
	}
	// Padding inside a template is skipped too.
	v, ok := Find(mustHex(t, "7007 00 5A0112 00 9F00"), 0x5A)
	if !ok || !bytes.Equal(v, []byte{0x12}) {
		t.Errorf("Find through padding = %X, %v", v, ok)
	}
}

func TestLengthForms(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"5A00", 0},
		{"5A7F" + strings.Repeat("00", 0x7F), 0x7F},
		{"5A8180" + strings.Repeat("00", 0x80), 0x80},
		{"5A820100" + strings.Repeat("00", 0x100), 0x100},
		{"5A83000101" + strings.Repeat("00", 0x101), 0x101},
		{"5A8105" + "0102030405", 5}, // non-minimal long form is accepted
	}
	for _, tt := range tests {
		s := Scanner(mustHex(t, tt.in))
		var tag Tag
		var v []byte
		if !s.ReadObject(&tag, &v) || len(v) != tt.want || !s.Empty() {
			t.Errorf("%.12s…: read %v, len %d, rest %d", tt.in, tag, len(v), len(s))
		}
	}
}

func TestScannerPrimitives(t *testing.T) {
	s := Scanner(mustHex(t, "9F2608 0102030405060708 8A02 3030"))
	var tag Tag
	var n int
	if !s.ReadTag(&tag) || tag != 0x9F26 {
		t.Fatalf("ReadTag = %v", tag)
	}
	if !s.ReadLength(&n) || n != 8 {
		t.Fatalf("ReadLength = %d", n)
	}
	s = s[n:]
	var v []byte
	if s.ReadTagged(0x8B, &v) {
		t.Fatal("ReadTagged matched the wrong tag")
	}
	if !s.ReadTagged(0x8A, &v) || string(v) != "00" {
		t.Fatalf("ReadTagged = %q", v)
	}
	if s.More() || !s.Empty() {
		t.Fatal("scanner not empty")
	}
	short := Scanner(mustHex(t, "05"))
	if short.ReadLength(&n) {
		t.Fatal("ReadLength accepted a length beyond the input")
	}
}

// TestNoPrefixParses checks, for every real record, that no proper prefix
// decodes to the same objects as the whole (the property crypto/tls tests
// for its handshake messages).
func TestNoPrefixParses(t *testing.T) {
	for name, b := range readHexFiles(t, "testdata/records") {
		full, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := Encode(full)
		for i := 0; i < len(b); i++ {
			objs, err := Decode(b[:i])
			if err == nil && bytes.Equal(Encode(objs), want) {
				t.Fatalf("%s: prefix of %d bytes parses as the whole", name, i)
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for name, b := range readHexFiles(t, "testdata/records") {
		objs, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if got := Encode(objs); !bytes.Equal(got, b) {
			t.Errorf("%s: Encode(Decode(b)) differs:\n got %X\nwant %X", name, got, b)
		}
	}
}

func TestBerTLVInterop(t *testing.T) {
	for name, b := range readHexFiles(t, "testdata/records") {
		ours, err := DecodeBerTLV(b)
		if err != nil {
			t.Fatal(err)
		}
		// Valid, canonical data: bertlv's own decoder agrees.
		theirs, err := bertlv.Decode(b)
		if err != nil {
			t.Fatalf("%s: bertlv: %v", name, err)
		}
		if !reflect.DeepEqual(normalise(ours), normalise(theirs)) {
			t.Errorf("%s: trees differ:\nours   %+v\ntheirs %+v", name, ours, theirs)
		}
		back, err := FromBerTLV(theirs)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(Encode(back), b) {
			t.Errorf("%s: FromBerTLV does not re-encode to the input", name)
		}
		enc, err := bertlv.Encode(ToBerTLV(back))
		if err != nil || !bytes.Equal(enc, b) {
			t.Errorf("%s: bertlv.Encode(ToBerTLV) = %X, %v", name, enc, err)
		}
	}
	if _, err := FromBerTLV([]bertlv.TLV{{Tag: "5A", TLVs: []bertlv.TLV{{Tag: "5A"}}}}); err == nil {
		t.Error("FromBerTLV accepted children under a primitive tag")
	}
	if _, err := FromBerTLV([]bertlv.TLV{{Tag: "9F8001"}}); err == nil {
		t.Error("FromBerTLV accepted a malformed tag")
	}
}

// normalise makes empty and nil slices compare equal.
func normalise(ts []bertlv.TLV) []bertlv.TLV {
	out := make([]bertlv.TLV, len(ts))
	for i, t := range ts {
		out[i] = bertlv.TLV{Tag: strings.ToUpper(t.Tag)}
		if len(t.Value) > 0 {
			out[i].Value = t.Value
		}
		if len(t.TLVs) > 0 {
			out[i].TLVs = normalise(t.TLVs)
		}
	}
	return out
}

func TestTag(t *testing.T) {
	tests := []struct {
		in          string
		tag         Tag
		constructed bool
		class       Class
	}{
		{"5A", 0x5A, false, ClassApplication},
		{"70", 0x70, true, ClassApplication},
		{"9F26", 0x9F26, false, ClassContext},
		{"BF0C", 0xBF0C, true, ClassContext},
		{"DF8101", 0xDF8101, false, ClassPrivate},
		{"df69", 0xDF69, false, ClassPrivate},
	}
	for _, tt := range tests {
		tag, err := ParseTag(tt.in)
		if err != nil || tag != tt.tag {
			t.Fatalf("ParseTag(%s) = %v, %v", tt.in, tag, err)
		}
		if tag.Constructed() != tt.constructed || tag.Class() != tt.class {
			t.Errorf("%s: constructed %v class %v", tt.in, tag.Constructed(), tag.Class())
		}
		if !strings.EqualFold(tag.String(), tt.in) || tag.Len() != len(tt.in)/2 {
			t.Errorf("%s: String %s Len %d", tt.in, tag, tag.Len())
		}
	}
	for _, bad := range []string{"", "9F", "5A5A", "9F8001", "DFFFFF01", "zz"} {
		if _, err := ParseTag(bad); err == nil {
			t.Errorf("ParseTag(%q) accepted", bad)
		}
	}
}

func TestAFL(t *testing.T) {
	// The real card's AFL (VECTORS.md): SFI 1 rec 1; SFI 2 rec 1 with one
	// ODA record; SFI 4 rec 1-2.
	afl, err := ParseAFL(mustHex(t, "080101001001010120010200"))
	if err != nil {
		t.Fatal(err)
	}
	want := []AFLEntry{{1, 1, 1, 0}, {2, 1, 1, 1}, {4, 1, 2, 0}}
	if !reflect.DeepEqual(afl, want) {
		t.Fatalf("got %+v", afl)
	}
	if !afl[1].IsODA(1) || afl[0].IsODA(1) || afl[2].IsODA(2) {
		t.Error("IsODA wrong")
	}
	for _, bad := range []string{"", "080101", "0801010000", "0F010100", "00010100", "F8010100", "08000100", "08020100", "08010102"} {
		if _, err := ParseAFL(mustHex(t, bad)); !errors.Is(err, ErrAFL) {
			t.Errorf("ParseAFL(%s) = %v", bad, err)
		}
	}
}

func TestODARecord(t *testing.T) {
	rec := readHexFiles(t, "testdata/records")["mc-sfi2-rec1.hex"]
	got, err := ODARecord(2, rec)
	if err != nil || !bytes.Equal(got, rec[3:]) {
		t.Fatalf("SFI 2: %X, %v", got, err)
	}
	if got, err := ODARecord(11, rec); err != nil || !bytes.Equal(got, rec) {
		t.Fatalf("SFI 11 must use the whole record: %v", err)
	}
	for _, bad := range []string{"", "00" + hex.EncodeToString(rec), "5A0112", hex.EncodeToString(rec) + "00", "7005"} {
		if _, err := ODARecord(1, mustHex(t, bad)); err == nil {
			t.Errorf("ODARecord accepted %.16s…", bad)
		}
	}
}

func TestDictionaryCopiesTemplates(t *testing.T) {
	e, ok := Lookup(0x5A)
	if !ok || len(e.Templates) == 0 {
		t.Fatal("5A has no templates")
	}
	was := e.Templates[0]
	e.Templates[0] = 0x01
	all := Elements()
	for i := range all {
		if len(all[i].Templates) > 0 {
			all[i].Templates[0] = 0x01
		}
	}
	if again, _ := Lookup(0x5A); again.Templates[0] != was {
		t.Fatal("changing a returned Element changed the dictionary")
	}
}

// TestScannerNext: Next reads what ReadObject reads, skipping padding,
// returns tag 0 without moving at malformed data or the end, and its rest
// is the Scanner ReadObject would leave.
func TestScannerNext(t *testing.T) {
	for _, in := range []string{
		"", "00FF", "5A0212345F3401", "00005A021234FF9F3501220000", "70035A0112",
		"5A05", "9F", "5F2A0209", "1F80010100", "DF7F81020102", "5A01",
	} {
		b := mustHex(t, in)
		a, n := Scanner(b), Scanner(b)
		for i := 0; ; i++ {
			var tag Tag
			var v []byte
			okA := a.ReadObject(&tag, &v)
			tn, vn, rest := n.Next()
			if okA != (tn != 0) {
				t.Fatalf("%s object %d: ReadObject %v, Next tag %X", in, i, okA, tn)
			}
			if !okA {
				if len(a) != len(n) {
					t.Errorf("%s: ReadObject left %X, Next's scanner %X", in, []byte(a), []byte(n))
				}
				break
			}
			if tag != tn || !bytes.Equal(v, vn) || !bytes.Equal(a, rest) {
				t.Errorf("%s object %d: ReadObject %X %X rest %X, Next %X %X rest %X", in, i, tag, v, []byte(a), tn, vn, []byte(rest))
			}
			n = rest
		}
	}
}

// TestAppendAFL: AppendAFL appends what ParseAFL returns to the caller's
// slice, in place when it has room, and leaves it as it was on an error.
func TestAppendAFL(t *testing.T) {
	afl := mustHex(t, "08010100100102011801040018050500")
	want, err := ParseAFL(afl)
	if err != nil {
		t.Fatal(err)
	}
	var buf [8]AFLEntry
	pre := []AFLEntry{{SFI: 9, First: 1, Last: 1}}
	dst := append(buf[:0], pre...)
	got, err := AppendAFL(dst, afl)
	if err != nil || len(got) != 1+len(want) || got[0] != pre[0] || &got[0] != &buf[0] {
		t.Fatalf("AppendAFL = %v, %v", got, err)
	}
	for i, e := range want {
		if got[1+i] != e {
			t.Errorf("entry %d: %+v, want %+v", i, got[1+i], e)
		}
	}
	for _, bad := range []string{"", "080101", "08000100", "0F010100", "08020100", "08010102"} {
		got, err := AppendAFL(dst, mustHex(t, bad))
		if !errors.Is(err, ErrAFL) || len(got) != len(dst) {
			t.Errorf("AppendAFL(%s) = %v, %v", bad, got, err)
		}
		if p, err := ParseAFL(mustHex(t, bad)); p != nil || err == nil {
			t.Errorf("ParseAFL(%s) = %v, %v", bad, p, err)
		}
	}
	if n := testing.AllocsPerRun(100, func() { AppendAFL(buf[:0], afl) }); n != 0 {
		t.Errorf("AppendAFL into room allocates %v times", n)
	}
}
