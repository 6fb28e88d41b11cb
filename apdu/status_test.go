package apdu

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// Meanings from ISO/IEC 7816-4:2005 §5.1.3 Tables 5 and 6 and EMV 4.3
// (6283 after SELECT: application blocked; 63Cx after VERIFY: PIN tries
// left).
func TestStatusWordMeaning(t *testing.T) {
	tests := []struct {
		sw   StatusWord
		want string
	}{
		{0x9000, "normal processing"},
		{0x6112, "normal processing, 18 response bytes still available (GET RESPONSE)"},
		{0x6100, "normal processing, 256 response bytes still available (GET RESPONSE)"},
		{0x6283, "warning: selected file invalidated (application blocked)"},
		{0x6281, "warning: part of returned data may be corrupted"},
		{0x62F1, "warning: non-volatile memory unchanged"},
		{0x63C2, "warning: counter 2 (after VERIFY: PIN tries left)"},
		{0x63C0, "warning: counter 0 (after VERIFY: PIN tries left)"},
		{0x6300, "warning: no information given, non-volatile memory changed"},
		{0x6381, "warning: file filled up by the last write"},
		{0x6400, "execution error: non-volatile memory unchanged"},
		{0x6581, "execution error: memory failure"},
		{0x6700, "wrong length"},
		{0x6882, "secure messaging not supported"},
		{0x6883, "last command of the chain expected"},
		{0x6981, "command incompatible with file structure"},
		{0x6982, "security status not satisfied"},
		{0x6983, "authentication method blocked"},
		{0x6984, "reference data not usable (invalidated)"},
		{0x6985, "conditions of use not satisfied"},
		{0x6986, "command not allowed (no current EF)"},
		{0x6987, "expected secure messaging data objects missing"},
		{0x6A80, "incorrect parameters in the command data field"},
		{0x6A81, "function not supported"},
		{0x6A82, "file or application not found"},
		{0x6A83, "record not found"},
		{0x6A84, "not enough memory space in the file"},
		{0x6A85, "Nc inconsistent with TLV structure"},
		{0x6A86, "incorrect parameters P1-P2"},
		{0x6A87, "Nc inconsistent with parameters P1-P2"},
		{0x6A88, "referenced data or reference data not found"},
		{0x6AF0, "wrong parameters P1-P2"},
		{0x6B00, "wrong parameters P1-P2"},
		{0x6C10, "wrong Le field: 16 data bytes available"},
		{0x6C00, "wrong Le field: 256 data bytes available"},
		{0x6D00, "instruction code not supported or invalid"},
		{0x6E00, "class not supported"},
		{0x6F00, "no precise diagnosis"},
		{0x9301, "proprietary status"},
		{0x6D01, "unknown status"},
		{0x6001, "invalid status word (SW1 must be 61–6F or 9X)"},
		{0x0000, "invalid status word (SW1 must be 61–6F or 9X)"},
		{0xA000, "invalid status word (SW1 must be 61–6F or 9X)"},
	}
	for _, tt := range tests {
		if got := tt.sw.Meaning(); got != tt.want {
			t.Errorf("%04X.Meaning() = %q, want %q", uint16(tt.sw), got, tt.want)
		}
	}
}

func TestStatusWordError(t *testing.T) {
	if got, want := StatusWord(0x6A82).Error(), "6A82: file or application not found"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := StatusWord(0x6a82).String(); got != "6A82" {
		t.Errorf("String() = %q", got)
	}
	wrapped := fmt.Errorf("kernel: initiate: %w", StatusWord(0x6985))
	if !errors.Is(wrapped, StatusWord(0x6985)) {
		t.Error("errors.Is does not find a wrapped status word")
	}
	if errors.Is(wrapped, StatusWord(0x6984)) {
		t.Error("errors.Is matches another status word")
	}
	var sw StatusWord
	if !errors.As(wrapped, &sw) || sw != 0x6985 {
		t.Errorf("errors.As = %v", sw)
	}
}

func TestStatusWordAccessors(t *testing.T) {
	tests := []struct {
		sw          StatusWord
		sw1, sw2    byte
		ok, warning bool
		counter     int
		isCounter   bool
	}{
		{0x9000, 0x90, 0x00, true, false, 0, false},
		{0x6283, 0x62, 0x83, false, true, 0, false},
		{0x63C3, 0x63, 0xC3, false, true, 3, true},
		{0x63CF, 0x63, 0xCF, false, true, 15, true},
		{0x6300, 0x63, 0x00, false, true, 0, false},
		{0x6985, 0x69, 0x85, false, false, 0, false},
		{0x6100, 0x61, 0x00, false, false, 0, false},
	}
	for _, tt := range tests {
		if tt.sw.SW1() != tt.sw1 || tt.sw.SW2() != tt.sw2 {
			t.Errorf("%v: SW1 SW2 = %02X %02X", tt.sw, tt.sw.SW1(), tt.sw.SW2())
		}
		if tt.sw.OK() != tt.ok || tt.sw.IsWarning() != tt.warning {
			t.Errorf("%v: OK %v IsWarning %v", tt.sw, tt.sw.OK(), tt.sw.IsWarning())
		}
		if n, ok := tt.sw.Counter(); n != tt.counter || ok != tt.isCounter {
			t.Errorf("%v: Counter = %d, %v", tt.sw, n, ok)
		}
	}
}

func TestParseResponse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		data string
		sw   StatusWord
	}{
		{"status only", "9000", "", 0x9000},
		{"GPO response (published, TalkToYourCreditCardPart7)", "771282021980940C0801010010010101200102009000", "771282021980940C080101001001010120010200", 0x9000},
		{"error", "6A82", "", 0x6A82},
		{"warning with data", "01026283", "0102", 0x6283},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mustHex(t, tt.in)
			r, err := ParseResponse(in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.Data, mustHex(t, tt.data)) || r.SW != tt.sw {
				t.Errorf("got %X %v", r.Data, r.SW)
			}
			if tt.data == "" && r.Data != nil {
				t.Error("empty data is not nil")
			}
			if !bytes.Equal(r.Bytes(), in) {
				t.Errorf("Bytes = %X", r.Bytes())
			}
			if len(in) > 2 {
				in[0] ^= 0xFF
				if r.Data[0] == in[0] {
					t.Error("Data aliases the input")
				}
			}
		})
	}
	for _, in := range []string{"", "90"} {
		if _, err := ParseResponse(mustHex(t, in)); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("ParseResponse(%q) err = %v, want ErrMalformedResponse", in, err)
		}
	}
}

func TestResponseErr(t *testing.T) {
	if err := (Response{SW: 0x9000}).Err(); err != nil {
		t.Errorf("9000: Err = %v", err)
	}
	err := (Response{SW: 0x6283}).Err()
	if !errors.Is(err, StatusWord(0x6283)) {
		t.Errorf("6283: Err = %v", err)
	}
}
