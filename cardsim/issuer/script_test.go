package issuer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/pin"
)

// Issuer master keys of our own for the script tests (no published CCD or
// PBOC script vector carries a whole transaction).
var testIMKs = &MasterKeys{
	AC:  Key(mustHex("0123456789ABCDEFFEDCBA9876543210")),
	SMI: Key(mustHex("00112233445566778899AABBCCDDEEFF")),
	SMC: Key(mustHex("FFEEDDCCBBAA99887766554433221100")),
}

// everyCommand is one script of each kind.
var everyCommand = []Script{
	{BeforeSecondAC: true, ID: mustHex("00000001"), Commands: []Command{{Kind: KindApplicationBlock}, {Kind: KindApplicationUnblock}}},
	{Commands: []Command{
		{Kind: KindCardBlock},
		{Kind: KindPINUnblock},
		{Kind: KindPINChange, PIN: "4321"},
		{Kind: KindPutData, Tag: "9F4F", Value: mustHex("9A039F21035F2A029F02069F4E149C019F3602")},
		{Kind: KindPutData, Tag: "8E", Value: mustHex("000000000000000042031F03")}, // one-byte tag: P1 00
		{Kind: KindUpdateRecord, SFI: 2, Record: 1, Value: mustHex("70035F2401")},
	}},
}

// cardSide is what a card computes, written here with emv/cryptogram alone
// (not through the host): its ICC master keys, its ARQC, and its
// secure-messaging session keys.
type cardSide struct {
	alg           cryptogram.Algorithm
	mkAC, mkSMI   []byte
	mkSMC         []byte
	atc, arqc     []byte
	smi, smc, txn []byte
}

func newCardSide(t *testing.T, scheme string, alg cryptogram.Algorithm, pan, psn string, acInput func(atc []byte) []byte, atc []byte) *cardSide {
	t.Helper()
	derive := func(imk []byte) []byte {
		var mk []byte
		var err error
		if alg == cryptogram.SM4 {
			mk, err = cryptogram.DeriveICCMasterKeySM4(imk, pan, psn, cryptogram.OptionAuto)
		} else {
			mk, err = cryptogram.DeriveICCMasterKey(imk, pan, psn, cryptogram.OptionAuto)
		}
		if err != nil {
			t.Fatal(err)
		}
		return mk
	}
	c := &cardSide{alg: alg, mkAC: derive(testIMKs.AC), mkSMI: derive(testIMKs.SMI), mkSMC: derive(testIMKs.SMC), atc: atc}
	sk, err := cryptogram.DeriveSessionKey(alg, c.mkAC, atc)
	if err != nil {
		t.Fatal(err)
	}
	if c.arqc, err = cryptogram.GenerateAC(alg, sk, acInput(atc), cryptogram.Pad2); err != nil {
		t.Fatal(err)
	}
	sm := func(mk []byte) []byte {
		var k []byte
		if scheme == SchemePBOC { // cardsim crypto.go ScriptSessionKey: the ATC
			k, err = cryptogram.DeriveSessionKey(alg, mk, atc)
		} else { // ccd: R = the application cryptogram, zero-padded
			r := make([]byte, alg.BlockSize())
			copy(r, c.arqc)
			k, err = cryptogram.DeriveCommonSessionKey(alg, mk, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	c.smi, c.smc = sm(c.mkSMI), sm(c.mkSMC)
	if scheme == SchemePBOC {
		c.txn = slices.Concat(atc, c.arqc)
	}
	return c
}

// TestScriptsVerifyAtTheCard builds every kind of script command through
// the host, for a CCD TDES card and a PBOC SM4 card, and checks each with
// the card-side verifier of emv/cryptogram; the new PIN is deciphered and
// parsed back.
func TestScriptsVerifyAtTheCard(t *testing.T) {
	cdol1 := "9F02069F03069F1A0295055F2A029A039C019F3704"
	cdolData := "000000001000" + "000000000000" + "0156" + "0000000000" + "0156" + "250101" + "00" + "11223344"
	de55Base := []string{"9F02", "000000001000", "9F03", "000000000000", "9F1A", "0156", "95", "0000000000",
		"5F2A", "0156", "9A", "250101", "9C", "00", "9F37", "11223344", "82", "7C00"}
	for _, tc := range []struct {
		scheme string
		alg    cryptogram.Algorithm
		iad    string
		macLen int
		mode   cryptogram.Encipherment
		acData func(iad []byte) []byte
	}{
		{SchemeCCD, cryptogram.TDES, "0FA501A000000000" + strings.Repeat("00", 8) + "0F" + strings.Repeat("00", 15), 8, cryptogram.CBCPadded,
			func(iad []byte) []byte { return iad }},
		{SchemePBOC, cryptogram.SM4, "07010103A000000400", 4, cryptogram.ECBWithLength,
			func(iad []byte) []byte { return iad[3:7] }},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			iad := h(t, tc.iad)
			atc := h(t, "0042")
			card := newCardSide(t, tc.scheme, tc.alg, "6212345678901234", "01", func(atc []byte) []byte {
				return slices.Concat(h(t, cdolData), h(t, "7C00"), atc, tc.acData(iad))
			}, atc)
			host, err := New(Account{PAN: "6212345678901234", PSN: "01", CDOL1: h(t, cdol1),
				Crypto:  Crypto{Scheme: tc.scheme, Algorithm: tc.alg.String(), IssuerMasterKeys: testIMKs},
				Answers: []Answer{{Approve: true, Scripts: everyCommand}}})
			if err != nil {
				t.Fatal(err)
			}
			de55 := tlvs(t, append(slices.Clone(de55Base), "9F36", "0042", "9F10", tc.iad, "9F26", upper(card.arqc))...)
			resp, err := host.Authorise(context.Background(), Request{PAN: "6212345678901234", PANSequence: []byte{0x01}, DE55: de55})
			if err != nil {
				t.Fatal(err)
			}
			if !resp.ARQCValid || !resp.Approved {
				t.Fatalf("%+v", resp)
			}
			checkScripts(t, card, resp.Scripts, tc.macLen, tc.mode)
		})
	}
}

// checkScripts verifies the templates and each command's MAC, as a card
// would.
func checkScripts(t *testing.T, card *cardSide, scripts []byte, macLen int, mode cryptogram.Encipherment) {
	t.Helper()
	objs, err := emv.Decode(scripts)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].Tag != 0x71 || objs[1].Tag != 0x72 {
		t.Fatalf("templates %v", objs)
	}
	if id, ok := emv.FindObject(objs[:1], 0x9F18); !ok || upper(id.Value) != "00000001" {
		t.Errorf("script identifier %v", id)
	}
	var got []string
	for _, tmpl := range objs {
		for _, o := range tmpl.Children {
			if o.Tag != 0x86 {
				continue
			}
			sc, err := cryptogram.VerifyScriptCommand(card.alg, card.smi, o.Value, card.txn, macLen)
			if err != nil {
				t.Fatalf("command %X: %v", o.Value, err)
			}
			got = append(got, fmt.Sprintf("%02X%02X%02X%02X", sc.CLA, sc.INS, sc.P1, sc.P2))
			if sc.INS == 0x24 && sc.P2 == 0x02 {
				plain, err := cryptogram.DecryptScriptData(card.alg, card.smc, sc.Data, mode)
				if err != nil {
					t.Fatal(err)
				}
				p, f, err := pin.Parse(plain[:pin.BlockLen], "")
				if err != nil || p != "4321" || f != pin.ISO2 {
					t.Errorf("PIN block: %v %v %v", p, f, err)
				}
			}
			if sc.INS == 0xDA && sc.P2 == 0x4F && upper(sc.Data) != "9A039F21035F2A029F02069F4E149C019F3602" {
				t.Errorf("PUT DATA value %X", sc.Data)
			}
		}
	}
	want := []string{"801E0000", "80180000", "80160000", "80240000", "80240002", "00DA9F4F", "00DA008E", "00DC0114"}
	if !slices.Equal(got, want) {
		t.Errorf("commands %v, want %v", got, want)
	}
}

// TestScriptErrors: scripts a scheme or an account cannot build are
// refused when the account is added.
func TestScriptErrors(t *testing.T) {
	base := func(scheme string, keys *MasterKeys, s ...Script) Account {
		return Account{PAN: "1234567890123456", CDOL1: mustHex("9F3704"),
			Crypto: Crypto{Scheme: scheme, Algorithm: "tdes", IssuerMasterKeys: keys}, Answers: []Answer{{Approve: true, Scripts: s}}}
	}
	pinChange := Script{Commands: []Command{{Kind: KindPINChange, PIN: "1234"}}}
	tests := []struct {
		name string
		acct Account
		want error
		msg  string
	}{
		{"VIS PIN block", base(SchemeVisaCVN10, visaIMKs, pinChange), ErrUnsupported, "VIS PIN block"},
		{"no SMC key", base(SchemeCCD, &MasterKeys{AC: testIMKs.AC, SMI: testIMKs.SMI}, pinChange), ErrConfig, "SMC"},
		{"no SMI key", base(SchemeCCD, &MasterKeys{AC: testIMKs.AC}, Script{Commands: []Command{{Kind: KindCardBlock}}}), ErrConfig, "SMI"},
		{"unknown kind", base(SchemeCCD, testIMKs, Script{Commands: []Command{{Kind: "format-card"}}}), ErrConfig, "format-card"},
		{"empty script", base(SchemeCCD, testIMKs, Script{}), ErrConfig, "without commands"},
		{"bad id", base(SchemeCCD, testIMKs, Script{ID: mustHex("01"), Commands: []Command{{Kind: KindCardBlock}}}), ErrConfig, "id"},
		{"bad PIN", base(SchemeCCD, testIMKs, Script{Commands: []Command{{Kind: KindPINChange, PIN: "12a4"}}}), ErrConfig, "pin-change"},
		{"put data without value", base(SchemeCCD, testIMKs, Script{Commands: []Command{{Kind: KindPutData, Tag: "9F4F"}}}), ErrConfig, "value"},
		{"put data bad tag", base(SchemeCCD, testIMKs, Script{Commands: []Command{{Kind: KindPutData, Tag: "DF8101", Value: mustHex("00")}}}), ErrConfig, "tag"},
		{"update record bad SFI", base(SchemeCCD, testIMKs, Script{Commands: []Command{{Kind: KindUpdateRecord, SFI: 31, Record: 1, Value: mustHex("7000")}}}), ErrConfig, "SFI 31"},
		{"block with a value", base(SchemeCCD, testIMKs, Script{Commands: []Command{{Kind: KindCardBlock, Value: mustHex("00")}}}), ErrConfig, "no value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.acct)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %v, want %v saying %q", err, tt.want, tt.msg)
			}
		})
	}
}

// TestSecretsDoNotPrint: keys and PINs print as placeholders.
func TestSecretsDoNotPrint(t *testing.T) {
	cmd := Command{Kind: KindPINChange, PIN: "4321"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		for _, v := range []any{testIMKs.AC, *testIMKs, cmd} {
			s := fmt.Sprintf(verb, v)
			if strings.Contains(s, "4321") || strings.Contains(strings.ToUpper(s), "0123456789ABCDEF") || strings.Contains(s, "[1 35 69") {
				t.Errorf("%s of %T shows a secret: %s", verb, v, s)
			}
		}
	}
}
