package cardsim

import (
	"testing"

	"github.com/yixin-emv/yixin/apdu"
)

// Commands used by the status word table, for the dual-cn card. The
// domestic application's PDOL is DF69 01, 9F1A 02, 5F2A 02, 9F02 06.
const (
	hexSelectPSE   = "00A404000E315041592E5359532E444446303100"
	hexSelectPPSE  = "00A404000E325041592E5359532E444446303100"
	hexSelectDom   = "00A4040008A00000033301010200"
	hexSelectIntl  = "00A4040008A00000002501040200"
	hexGPODom      = "80A800000D830B01015601560000000010 0000"
	hexGPOIntl     = "80A80000058303220156 00"
	hexCDOL1Dom    = "000000001000 000000000000 0156 0000000000 0156 260115 00 11223344"
	hexGenACDomHdr = "80AE80001D"
)

// state names where a table row starts from.
type cardState int

const (
	stNone       cardState = iota // nothing selected
	stPSE                         // PSE selected
	stPPSE                        // PPSE selected
	stApp                         // domestic application selected
	stGPO                         // domestic: GET PROCESSING OPTIONS done
	stARQC                        // domestic: first GENERATE AC gave an ARQC
	stIntlGPO                     // international: GET PROCESSING OPTIONS done
	stIntlARQC                    // international: first GENERATE AC gave an ARQC
	stBlockedApp                  // domestic application blocked, then selected
)

// reach brings a fresh dual-cn card to a state.
func reach(t *testing.T, s cardState) (*Card, *term) {
	t.Helper()
	c := newTestCard(t, "dual-cn")
	tm := newTerm(t, c)
	steps := map[cardState][]string{
		stPSE:      {hexSelectPSE},
		stPPSE:     {hexSelectPPSE},
		stApp:      {hexSelectDom},
		stGPO:      {hexSelectDom, hexGPODom},
		stARQC:     {hexSelectDom, hexGPODom, hexGenACDomHdr + hexCDOL1Dom + "00"},
		stIntlGPO:  {hexSelectIntl, hexGPOIntl},
		stIntlARQC: {hexSelectIntl, hexGPOIntl, "80AE800021" + hexCDOL1Dom + "2241030200"},
	}[s]
	if s == stBlockedApp {
		c.st.Apps["A000000333010102"].Blocked = true
		steps = []string{}
	}
	for _, h := range steps {
		if _, sw := tm.send(mustHex(h)); sw != apdu.SWNoError {
			t.Fatalf("setup %X: %s", mustHex(h), sw)
		}
	}
	return c, tm
}

// TestStatusWords sends every command in the states where it must fail
// (and a few where it must not) and checks the status word a real card
// gives (ISO/IEC 7816-4 §5.1.3 and EMV Book 1 §11, Book 3 §6.5).
func TestStatusWords(t *testing.T) {
	tests := []struct {
		name  string
		state cardState
		cmd   string
		want  apdu.StatusWord
	}{
		// Parsing and dispatch.
		{"three bytes", stNone, "00A404", apdu.SWWrongLength},
		{"Lc longer than data", stNone, "00A4040005A000", apdu.SWWrongLength},
		{"unknown INS", stNone, "0010000000", apdu.SWINSNotSupported},
		{"unknown CLA", stNone, "A0A404000E315041592E5359532E444446303100", apdu.SWCLANotSupported},
		{"SELECT with CLA 80", stNone, "80A404000E315041592E5359532E444446303100", apdu.SWCLANotSupported},
		{"GPO with CLA 00", stApp, "00A8000002830000", apdu.SWCLANotSupported},
		{"PPS-like CLA FF", stNone, "FFCA000000", apdu.SWCLANotSupported},

		// SELECT.
		{"select PSE", stNone, hexSelectPSE, apdu.SWNoError},
		{"select PPSE", stNone, hexSelectPPSE, apdu.SWNoError},
		{"select by partial AID", stNone, "00A4040005A00000033300", apdu.SWNoError},
		{"select unknown AID", stNone, "00A4040005A00000099900", apdu.SWFileNotFound},
		{"select 4-byte partial name", stNone, "00A4040004A000000300", apdu.SWFileNotFound},
		{"select by FID", stNone, "00A40000023F0000", apdu.SWIncorrectP1P2},
		{"select P2 01", stNone, "00A4040108A00000033301010200", apdu.SWIncorrectP1P2},
		{"select without name", stNone, "00A4040000", apdu.SWWrongLength},
		{"select PSE next", stNone, "00A404020E315041592E5359532E444446303100", apdu.SWFileNotFound},
		{"select next with nothing selected", stNone, "00A4040208A00000002501040200", apdu.SWNoError},
		{"select blocked application", stBlockedApp, hexSelectDom, apdu.SWSelectedFileInvalidated},

		// READ RECORD.
		{"read with nothing selected", stNone, "00B2010C00", apdu.SWConditionsNotSatisfied},
		{"read PSE record 1", stPSE, "00B2010C00", apdu.SWNoError},
		{"read PSE record 2", stPSE, "00B2020C00", apdu.SWNoError},
		{"read PSE past the end", stPSE, "00B2030C00", apdu.SWRecordNotFound},
		{"read PSE other SFI", stPSE, "00B2011400", apdu.SWFileNotFound},
		{"read PPSE", stPPSE, "00B2010C00", apdu.SWFileNotFound},
		{"read P2 not record number", stPSE, "00B2010800", apdu.SWIncorrectP1P2},
		{"read record 0", stPSE, "00B2000C00", apdu.SWIncorrectP1P2},
		{"read SFI 0", stPSE, "00B2010400", swIncompatibleFile},
		{"read app record", stApp, "00B2011400", apdu.SWNoError},
		{"read app missing record", stApp, "00B2091400", apdu.SWRecordNotFound},
		{"read app missing SFI", stApp, "00B2014C00", apdu.SWFileNotFound},
		{"read with short Le", stApp, "00B2011405", apdu.StatusWord(0x6C00)}, // low byte checked below

		// GET PROCESSING OPTIONS.
		{"GPO with nothing selected", stNone, "80A8000002830000", apdu.SWConditionsNotSatisfied},
		{"GPO with PSE selected", stPSE, "80A8000002830000", apdu.SWConditionsNotSatisfied},
		{"GPO P1", stApp, "80A8010002830000", apdu.SWIncorrectP1P2},
		{"GPO without data", stApp, "80A8000000", apdu.SWWrongLength},
		{"GPO empty 83 for a PDOL", stApp, "80A8000002830000", apdu.SWWrongLength},
		{"GPO other template", stApp, "80A800000D820B01015601560000000010 0000", apdu.SWIncorrectData},
		{"GPO 83 overruns", stApp, "80A800000D830C01015601560000000010 0000", apdu.SWWrongLength},
		{"GPO trailing bytes", stApp, "80A800000F830B010156015600000000100000 9000", apdu.SWWrongLength},
		{"GPO terminal without SM", stApp, "80A800000D830B00015601560000000010 0000", apdu.SWConditionsNotSatisfied},
		{"GPO", stApp, hexGPODom, apdu.SWNoError},
		{"GPO twice", stGPO, hexGPODom, apdu.SWConditionsNotSatisfied},

		// GET DATA.
		{"get data with nothing selected", stNone, "80CA9F3600", apdu.SWConditionsNotSatisfied},
		{"get data ATC", stApp, "80CA9F3600", apdu.SWNoError},
		{"get data last online ATC", stApp, "80CA9F1300", apdu.SWNoError},
		{"get data PIN try counter", stApp, "80CA9F1700", apdu.SWNoError},
		{"get data log format", stApp, "80CA9F4F00", apdu.SWNoError},
		{"get data LCOL", stApp, "80CA9F1400", apdu.SWNoError},
		{"get data EC balance", stApp, "80CA9F7900", apdu.SWNoError},
		{"get data not listed", stApp, "80CA9F7700", apdu.SWReferencedDataNotFound},
		{"get data PAN", stApp, "80CA005A00", apdu.SWReferencedDataNotFound},
		{"get data CLA 00", stApp, "00CA9F3600", apdu.SWCLANotSupported},

		// VERIFY.
		{"verify with nothing selected", stNone, "0020008008241234FFFFFFFFFF", apdu.SWConditionsNotSatisfied},
		{"verify P1", stApp, "0020018008241234FFFFFFFFFF", apdu.SWIncorrectP1P2},
		{"verify P2 81", stApp, "0020008108241234FFFFFFFFFF", apdu.SWIncorrectP1P2},
		{"verify short block", stApp, "0020008007241234FFFFFFFF", apdu.SWWrongLength},
		{"verify tries left", stApp, "0020008000", swTriesLeft | 3},
		{"verify right PIN", stApp, "0020008008241234FFFFFFFFFF", apdu.SWNoError},
		{"verify wrong PIN", stApp, "0020008008241235FFFFFFFFFF", swTriesLeft | 2},
		{"verify malformed block", stApp, "0020008008FF1234FFFFFFFFFF", swTriesLeft | 2},
		{"verify enciphered without RSA key", stApp, "0020008880" + zeros(128), apdu.SWFunctionNotSupported},
		{"verify enciphered without challenge", stIntlGPO, "0020008890" + zeros(144), apdu.SWConditionsNotSatisfied},

		// GET CHALLENGE.
		{"get challenge", stNone, "0084000000", apdu.SWNoError},
		{"get challenge Le 8", stNone, "0084000008", apdu.SWNoError},
		{"get challenge Le 4", stNone, "0084000004", apdu.SWWrongLength},
		{"get challenge P1", stNone, "0084010000", apdu.SWIncorrectP1P2},
		{"get challenge with data", stNone, "008400000101", apdu.SWWrongLength},

		// INTERNAL AUTHENTICATE.
		{"internal authenticate with nothing selected", stNone, "00880000041122334400", apdu.SWConditionsNotSatisfied},
		{"internal authenticate before GPO", stApp, "00880000041122334400", apdu.SWConditionsNotSatisfied},
		{"internal authenticate", stGPO, "00880000041122334400", apdu.SWNoError},
		{"internal authenticate P1", stGPO, "00880100041122334400", apdu.SWIncorrectP1P2},
		{"internal authenticate without data", stGPO, "0088000000", apdu.SWWrongLength},

		// GENERATE AC.
		{"generate AC with nothing selected", stNone, hexGenACDomHdr + hexCDOL1Dom + "00", apdu.SWConditionsNotSatisfied},
		{"generate AC before GPO", stApp, hexGenACDomHdr + hexCDOL1Dom + "00", apdu.SWConditionsNotSatisfied},
		{"generate AC", stGPO, hexGenACDomHdr + hexCDOL1Dom + "00", apdu.SWNoError},
		{"generate AC short data", stGPO, "80AE80001C" + hexCDOL1Dom[:len(hexCDOL1Dom)-2] + "00", apdu.SWWrongLength},
		{"generate AC P1 C0", stGPO, "80AEC0001D" + hexCDOL1Dom + "00", apdu.SWIncorrectP1P2},
		{"generate AC P2", stGPO, "80AE80011D" + hexCDOL1Dom + "00", apdu.SWIncorrectP1P2},
		{"second AC asks ARQC", stARQC, "80AE80001F" + "3030" + hexCDOL1Dom + "00", apdu.SWIncorrectP1P2},
		{"second AC wrong length", stARQC, "80AE40001D" + hexCDOL1Dom + "00", apdu.SWWrongLength},

		// EXTERNAL AUTHENTICATE.
		{"external authenticate before GENERATE AC", stGPO, "008200000A00000000000000003030", apdu.SWConditionsNotSatisfied},
		{"external authenticate short", stARQC, "008200000700000000000000", apdu.SWWrongLength},
		{"external authenticate wrong ARPC", stARQC, "008200000A00000000000000003030", swAuthFailed},
		{"external authenticate P2", stARQC, "008200010A00000000000000003030", apdu.SWIncorrectP1P2},

		// Issuer script commands.
		{"application block without SM", stARQC, "801E000000", apdu.SWSecurityStatusNotSatisfied},
		{"put data without SM", stARQC, "00DA9F790600000001000000", apdu.SWSecurityStatusNotSatisfied},
		{"script before GENERATE AC", stGPO, "841E00000400000000", apdu.SWConditionsNotSatisfied},
		{"script with nothing selected", stNone, "841E00000400000000", apdu.SWConditionsNotSatisfied},
		{"script wrong MAC", stARQC, "841E00000400000000", swSMDataIncorrect},
		{"script shorter than MAC", stARQC, "841E0000020000", apdu.SWWrongLength},
		{"script with Le", stARQC, "841E0000040000000000", apdu.SWWrongLength},
		{"update record CLA 0C", stARQC, "0CDC01140470020000", apdu.SWCLANotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, tm := reach(t, tt.state)
			data, sw := tm.send(mustHex(tt.cmd))
			if tt.want == 0x6C00 {
				if sw.SW1() != 0x6C || int(sw.SW2()) <= 5 {
					t.Fatalf("status %s, want 6Cxx with xx the record length", sw)
				}
				return
			}
			if sw != tt.want {
				t.Fatalf("%s: status %s, want %s", tt.cmd, sw, tt.want)
			}
			if sw.SW1() != 0x90 && sw != apdu.SWSelectedFileInvalidated && len(data) != 0 {
				t.Errorf("error status with data %X", data)
			}
		})
	}
}

func zeros(n int) string {
	b := make([]byte, 2*n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

// TestScriptRefusedAfterFailure checks that once a script command fails
// the card refuses the rest of the script.
func TestScriptRefusedAfterFailure(t *testing.T) {
	_, tm := reach(t, stARQC)
	if _, sw := tm.send(mustHex("841E00000400000000")); sw != swSMDataIncorrect {
		t.Fatalf("wrong MAC: %s", sw)
	}
	if _, sw := tm.send(mustHex("841800000400000000")); sw == apdu.SWNoError {
		t.Fatal("a script command after a failed one was accepted")
	}
}

// TestExternalAuthenticateOnce checks that a second EXTERNAL AUTHENTICATE
// in a transaction is refused.
func TestExternalAuthenticateOnce(t *testing.T) {
	_, tm := reach(t, stARQC)
	tm.send(mustHex("008200000A00000000000000003030"))
	if _, sw := tm.send(mustHex("008200000A00000000000000003030")); sw != apdu.SWConditionsNotSatisfied {
		t.Fatalf("second EXTERNAL AUTHENTICATE: %s, want 6985", sw)
	}
}
