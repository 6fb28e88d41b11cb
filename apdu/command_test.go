package apdu

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/emv"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// seq returns n bytes 0, 1, 2, … (mod 256).
func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// The encodings follow ISO/IEC 7816-3:2006 §12.1.3 (Table 13): short Lc
// and Le one byte, Le 00 = 256; extended fields 00 + two bytes (Le alone
// after the leading 00, or two bytes after the data), Le 0000 = 65536.
func TestCommandBytes(t *testing.T) {
	long := seq(256)
	tests := []struct {
		name string
		c    Command
		want string
		cas  int
	}{
		{"case 1", Command{CLA: 0x00, INS: 0xA4}, "00A40000", 1},
		{"case 1 forced extended has no length field", Command{INS: 0x10, Extended: true}, "00100000", 1},
		{"case 2S Ne 1", Command{INS: 0xB2, P1: 1, P2: 0x0C, Ne: 1}, "00B2010C01", 2},
		{"case 2S Ne 256 is Le 00", Command{INS: 0xB2, P1: 1, P2: 0x0C, Ne: 256}, "00B2010C00", 2},
		{"case 2E Ne 257", Command{INS: 0xB0, Ne: 257}, "00B00000000101", 2},
		{"case 2E Ne 65536 is Le 0000", Command{INS: 0xB0, Ne: 65536}, "00B00000000000", 2},
		{"case 2E forced Ne 256", Command{INS: 0xB0, Ne: 256, Extended: true}, "00B00000000100", 2},
		{"case 3S", Command{INS: 0x82, Data: mustHex(t, "0102")}, "0082000002 0102", 3},
		{"case 3S Nc 255", Command{INS: 0x82, Data: seq(255)}, "00820000FF" + hex.EncodeToString(seq(255)), 3},
		{"case 3E Nc 256", Command{INS: 0x82, Data: long}, "0082000000 0100" + hex.EncodeToString(long), 3},
		{"case 3E forced Nc 1", Command{INS: 0x82, Data: []byte{9}, Extended: true}, "0082000000000109", 3},
		{"case 4S", Command{CLA: 0x80, INS: 0xA8, Data: mustHex(t, "8300"), Ne: 256}, "80A8000002830000", 4},
		{"case 4E by Ne", Command{INS: 0x88, Data: []byte{1}, Ne: 300}, "00880000 000001 01 012C", 4},
		{"case 4E by Nc", Command{INS: 0x88, Data: long, Ne: 256}, "00880000 000100" + hex.EncodeToString(long) + "0100", 4},
		{"case 4E Ne 65536", Command{INS: 0x88, Data: []byte{1}, Ne: 65536}, "00880000 000001 01 0000", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := mustHex(t, tt.want)
			got, err := tt.c.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Bytes = %X, want %X", got, want)
			}
			if n := tt.c.Len(); n != len(want) {
				t.Errorf("Len = %d, want %d", n, len(want))
			}
			if c := tt.c.Case(); c != tt.cas {
				t.Errorf("Case = %d, want %d", c, tt.cas)
			}
			prefix := []byte{0xEE}
			app, err := tt.c.AppendTo(prefix)
			if err != nil || !bytes.Equal(app, append([]byte{0xEE}, want...)) {
				t.Errorf("AppendTo = %X, %v", app, err)
			}
		})
	}
}

func TestCommandBytesInvalid(t *testing.T) {
	tests := []struct {
		name string
		c    Command
	}{
		{"negative Ne", Command{Ne: -1}},
		{"Ne above 65536", Command{Ne: 65537}},
		{"data of 65536 bytes", Command{Data: make([]byte, 65536)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.c.Bytes()
			if !errors.Is(err, ErrInvalidCommand) {
				t.Fatalf("Bytes = %X, %v; want ErrInvalidCommand", b, err)
			}
			pre := []byte{1, 2}
			if out, _ := tt.c.AppendTo(pre); !bytes.Equal(out, pre) {
				t.Errorf("AppendTo changed its input on error: %X", out)
			}
		})
	}
}

func TestParseCommand(t *testing.T) {
	long := seq(300)
	tests := []struct {
		name string
		in   string
		want Command
	}{
		{"case 1", "00A40400", Command{INS: 0xA4, P1: 4}},
		{"case 2S Le 00", "00840000 00", Command{INS: 0x84, Ne: 256}},
		{"case 2S Le 08", "00840000 08", Command{INS: 0x84, Ne: 8}},
		{"case 3S", "00200080 08 241234FFFFFFFFFF", Command{INS: 0x20, P2: 0x80, Data: mustHex(t, "241234FFFFFFFFFF")}},
		{"case 4S", "00A40400 07 A0000000041010 00", Command{INS: 0xA4, P1: 4, Data: mustHex(t, "A0000000041010"), Ne: 256}},
		{"case 4S Lc 01 (body 3 bytes, not 2E)", "80CA0000 01 AA 05", Command{CLA: 0x80, INS: 0xCA, Data: []byte{0xAA}, Ne: 5}},
		{"case 3S Lc 02 (body 3 bytes)", "80CA0000 02 AABB", Command{CLA: 0x80, INS: 0xCA, Data: []byte{0xAA, 0xBB}}},
		{"case 2E", "00B00000 000101", Command{INS: 0xB0, Ne: 257, Extended: true}},
		{"case 2E Le 0000", "00B00000 000000", Command{INS: 0xB0, Ne: 65536, Extended: true}},
		{"case 3E", "00D60000 00012C" + hex.EncodeToString(long), Command{INS: 0xD6, Data: long, Extended: true}},
		{"case 4E", "002A9E9A 000003 010203 0100", Command{INS: 0x2A, P1: 0x9E, P2: 0x9A, Data: []byte{1, 2, 3}, Ne: 256, Extended: true}},
		{"case 4E Le 0000", "002A9E9A 000001 01 0000", Command{INS: 0x2A, P1: 0x9E, P2: 0x9A, Data: []byte{1}, Ne: 65536, Extended: true}},
		{"CLA FF pseudo-APDU", "FFCA0000 00", Command{CLA: 0xFF, INS: 0xCA, Ne: 256}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mustHex(t, tt.in)
			got, err := ParseCommand(in)
			if err != nil {
				t.Fatal(err)
			}
			if !commandsEqual(got, tt.want) {
				t.Errorf("ParseCommand = %+v, want %+v", got, tt.want)
			}
			back, err := got.Bytes()
			if err != nil || !bytes.Equal(back, in) {
				t.Errorf("Bytes after parse = %X, %v; want the input %X", back, err, in)
			}
			if len(got.Data) > 0 {
				for i := range in {
					in[i] ^= 0xFF
				}
				if !commandsEqual(got, tt.want) {
					t.Error("Data aliases the input")
				}
			}
		})
	}
}

func commandsEqual(a, b Command) bool {
	return a.CLA == b.CLA && a.INS == b.INS && a.P1 == b.P1 && a.P2 == b.P2 &&
		bytes.Equal(a.Data, b.Data) && a.Ne == b.Ne && a.Extended == b.Extended
}

func TestParseCommandMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"3 bytes", "00A404"},
		{"short Lc too large", "00A40400 07 A00000000410"},
		{"short Lc then 2 extra bytes", "00A40400 02 0102 0304"},
		{"short Lc then 3 extra bytes", "00A40400 01 01 020304"},
		{"body 00 xx", "00A40400 0001"},
		{"extended Lc 0000 with data", "00A40400 000000 01"},
		{"extended Lc 0000 with Le", "00A40400 000000 0100"},
		{"extended Lc too large", "00D60000 000003 0102"},
		{"extended data then one Le byte", "00D60000 000002 0102 01"},
		{"extended data then 3 trailing bytes", "00D60000 000002 0102 010203"},
		{"case 2E then trailing", "00B00000 000101 00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCommand(mustHex(t, tt.in))
			if !errors.Is(err, ErrMalformedCommand) {
				t.Fatalf("ParseCommand = %+v, %v; want ErrMalformedCommand", c, err)
			}
		})
	}
}

// TestEMVCommandsPublished checks the constructors against commands that
// others published:
//   - MichaelsPlayground/TalkToYourCreditCardPart7 "docs/talk aab m mc
//     debit.html" (a Mastercard read: SELECT, GPO, READ RECORD);
//   - openemv/emv-utils, quoted in shared/refs/SELECTION.md (SELECT PSE);
//   - the EMV command summary at t.zoukankan.com/utank-p-10006063.html
//     (GET DATA 80 CA 9F 17 00, GET CHALLENGE Le 00, EXTERNAL
//     AUTHENTICATE without Le, VERIFY P2 80 without Le);
//   - pyemv's ISO 9564 format 2 PIN block for PIN 9999 (VECTORS.md).
func TestEMVCommandsPublished(t *testing.T) {
	mustCmd := func(c Command, err error) Command {
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name string
		c    Command
		want string
	}{
		{"SELECT PPSE", Select([]byte("2PAY.SYS.DDF01"), false), "00a404000e325041592e5359532e444446303100"},
		{"SELECT AID", Select(mustHex(t, "A0000000041010"), false), "00a4040007a000000004101000"},
		{"SELECT PSE", SelectPSE(), "00A404000E315041592E5359532E444446303100"},
		{"SELECT next", Select(mustHex(t, "A000000333010101"), true), "00A4040208A00000033301010100"},
		{"GPO no PDOL", GetProcessingOptions(nil), "80a8000002830000"},
		{"GPO with PDOL data", GetProcessingOptions(mustHex(t, "01020304")), "80A8000006830401020304 00"},
		{"READ RECORD SFI 1 rec 1", mustCmd(ReadRecord(1, 1)), "00b2010c00"},
		{"READ RECORD SFI 2 rec 1", mustCmd(ReadRecord(2, 1)), "00b2011400"},
		{"READ RECORD SFI 4 rec 1", mustCmd(ReadRecord(4, 1)), "00b2012400"},
		{"READ RECORD SFI 4 rec 2", mustCmd(ReadRecord(4, 2)), "00b2022400"},
		{"READ RECORD SFI 30 rec 254", mustCmd(ReadRecord(30, 254)), "00B2FEF400"},
		{"GET DATA PIN Try Counter", mustCmd(GetData(0x9F17)), "80CA9F1700"},
		{"GET DATA one-byte tag", mustCmd(GetData(0x5A)), "80CA005A00"},
		{"GET CHALLENGE", GetChallenge(), "0084000000"},
		{"VERIFY plaintext", Verify(VerifyPlaintextPIN, mustHex(t, "249999FFFFFFFFFF")), "0020008008249999FFFFFFFFFF"},
		{"EXTERNAL AUTHENTICATE", ExternalAuthenticate(mustHex(t, "45D4255EEF10C9203030")), "008200000A45D4255EEF10C9203030"},
		{"INTERNAL AUTHENTICATE", InternalAuthenticate(mustHex(t, "00000000")), "008800000400000000 00"},
		{"GENERATE AC ARQC with CDA", GenerateAC(RefControlARQC|RefControlCDA, mustHex(t, "0102")), "80AE9000020102 00"},
		{"GENERATE AC TC", GenerateAC(RefControlTC, mustHex(t, "01")), "80AE40000101 00"},
		{"GET RESPONSE 256", mustCmd(GetResponse(256)), "00C0000000"},
		{"GET RESPONSE 0x54", mustCmd(GetResponse(0x54)), "00C0000054"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if want := mustHex(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("got %X, want %X", got, want)
			}
		})
	}
}

func TestConstructorsCopyTheirInput(t *testing.T) {
	aid := mustHex(t, "A0000000041010")
	c := Select(aid, false)
	aid[0] = 0
	if c.Data[0] != 0xA0 {
		t.Error("Select keeps the caller's slice")
	}
	pin := mustHex(t, "241234FFFFFFFFFF")
	v := Verify(VerifyPlaintextPIN, pin)
	pin[1] = 0
	if v.Data[1] != 0x12 {
		t.Error("Verify keeps the caller's slice")
	}
}

func TestConstructorArguments(t *testing.T) {
	errs := map[string]error{}
	_, errs["SFI 0"] = ReadRecord(0, 1)
	_, errs["SFI 31"] = ReadRecord(31, 1)
	_, errs["record 0"] = ReadRecord(1, 0)
	_, errs["record 255"] = ReadRecord(1, 255)
	_, errs["GET DATA tag 0"] = GetData(0)
	_, errs["GET DATA three-byte tag"] = GetData(emv.Tag(0xDF8101))
	_, errs["GET RESPONSE 0"] = GetResponse(0)
	_, errs["GET RESPONSE 257"] = GetResponse(257)
	for name, err := range errs {
		if !errors.Is(err, ErrInvalidCommand) {
			t.Errorf("%s: err = %v, want ErrInvalidCommand", name, err)
		}
	}
}

func TestCommandName(t *testing.T) {
	tests := []struct {
		cla, ins byte
		want     string
	}{
		{0x00, 0xA4, "SELECT"},
		{0x00, 0xB2, "READ RECORD"},
		{0x80, 0xA8, "GET PROCESSING OPTIONS"},
		{0x00, 0xA8, ""}, // GPO is proprietary-class only
		{0x80, 0xAE, "GENERATE AC"},
		{0x00, 0x88, "INTERNAL AUTHENTICATE"},
		{0x00, 0x82, "EXTERNAL AUTHENTICATE"},
		{0x80, 0xCA, "GET DATA"},
		{0x00, 0x84, "GET CHALLENGE"},
		{0x00, 0x20, "VERIFY"},
		{0x00, 0xC0, "GET RESPONSE"},
		{0x8C, 0x1E, "APPLICATION BLOCK"},
		{0x84, 0x18, "APPLICATION UNBLOCK"},
		{0x8C, 0x16, "CARD BLOCK"},
		{0x8C, 0x24, "PIN CHANGE/UNBLOCK"},
		{0x00, 0x24, "CHANGE REFERENCE DATA"},
		{0x04, 0xDA, "PUT DATA"},
		{0x04, 0xDC, "UPDATE RECORD"},
		{0x80, 0xE2, "STORE DATA"},
		{0x00, 0xE2, "APPEND RECORD"},
		{0x0C, 0xB0, "READ BINARY"},
		{0x00, 0x99, ""},
		{0x20, 0xA4, ""}, // RFU class
		{0xFF, 0xCA, ""}, // invalid class (PC/SC pseudo-APDU)
	}
	for _, tt := range tests {
		if got := CommandName(tt.cla, tt.ins); got != tt.want {
			t.Errorf("CommandName(%02X, %02X) = %q, want %q", tt.cla, tt.ins, got, tt.want)
		}
	}
}

func TestCommandString(t *testing.T) {
	c := Verify(VerifyPlaintextPIN, mustHex(t, "249999FFFFFFFFFF"))
	s := c.String()
	if strings.Contains(s, "9999") {
		t.Errorf("String shows the data: %s", s)
	}
	if want := "00 20 00 80 (case 3, Nc 8)"; s != want {
		t.Errorf("String = %q, want %q", s, want)
	}
}
