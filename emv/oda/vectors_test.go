package oda

import (
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func date(t testing.TB, yymmdd string) time.Time {
	t.Helper()
	d, err := parseYYMMDD(yymmdd)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// loadStore reads one of the CA key files of testdata/capk.
func loadStore(t testing.TB, name string) *Store {
	t.Helper()
	f, err := os.Open("../../testdata/capk/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadStore(f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func caKey(t testing.TB, s *Store, rid string, index byte) CAKey {
	t.Helper()
	k, ok := s.Lookup([5]byte(unhex(t, rid)), index)
	if !ok {
		t.Fatalf("no CA key %s/%02X", rid, index)
	}
	return k
}

// The published ODA vectors of RfidResearchGroup/proxmark3
// client/src/emv/test/sda_test.c, dda_test.c and cda_test.c (the same as
// lumag/emv-tools test/), as written down in shared/refs/VECTORS.md.
var (
	sdaIssuerCert = "3C5FEAD4DD7BCA44F93E90C44F76EDE54A3288ECDC78469FCB1225C03B2C04F2C2F412281A0822DF14649230989FB1494070DAF8C9534A7881960148616ACE581788120D3506ACE4CEE564FB27EE53341C22F0B45B31873D05DE545EFE33BCD29B2185D035A806AD08C6976F3505A19999930CA8A03EFA321C486061F7DCEC9F"
	sdaRemainder  = "1EBCA30F00CE5962A8C6E130544B82891B236C65DE29317F364735DEE63F6598975835D5"
	sdaSSAD       = "99A558B62B674AA5E7D2A57E5EF6A6F2258E5DA052D05B54E5C115FF1CECF94AA2DF8F39A01D71C619EB819DA52EF381E84979586AEA7855FFBEF40AA3A71CD3B04CFDF270AEC8158A2797F24FD613B748134661135CD290E45B04A8E0CCC711AE042F159E73C89C2A7E65A4C2FD1D6106024AA27130B0ECEC0238F91659DE96"
	sdaStatic     = "5F24030812315A0842765500132345995F3401019F0702FF009F0D05D040ACA8009F0E0500100000009F0F05D068BCF8005C00"

	ddaIssuerCert = "1714284F763B8586EE6D319951F7E63FA25076E50DC9D3200BA998D3A052ADBA9AB69AC6AD6ADD3CE09F0278F4074EC4EE9B1D2268A3E953575E454E50CD860BF424C51C597712D2AA057089DD8673E51B1E1D7188034892077AC18A6AE23488BEA9DF3B1A83F2C0800CD7C5CDF2FDE0496F7BC39FB4BF363299BFA637B2EC33C507E36821EEC2075F0E420D38A1C9F3127261BA316C987674FADB20EA7FEB75EE455D12146EA6F02E8B01EC2FA7A115"
	ddaRemainder  = "6E63B7BC70ABDD09341B34C03286BA9BD83BA7936C5B7798FB22C5E53FF240A26DBD6415"
	ddaICCCert    = "A42FBEB156B98DCB0554DA062ADCA5309A91F04FA2C7BD7102A8D73F16A3CFADE8AADF4F3FE2A2125CCDD77C6B9F78B5B4371CE0805725B0F9C027AF147D91E1FFDB201E9C170CE777053A172AD526DCAFD33895E1A947305C5B167F2E7C6F991581A652EE473154760C2ED774214E50DFECDD4CF294C974B89EBCA25B5AB3C0BEB50DFAF782AFDE1433D90CA2A89D651E75D67EBC7C3E36F5A165EE6132612939C1ECD399E46074B996D93A88E01E0A"
	ddaStatic     = "5F25031405015F24031506305A0852858812543456535F3401018E0C00000000000000001E031F039F0702FF009F0D05BC50BC00009F0E0500000000009F0F05BC70BC98009F4A01825F280206438C219F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34038D0C910A8A0295059F37049F4C083900"
	ddaSDAD       = "3D87F31056102D2512CFDE30900627C1263A76D1DAA821F50831E606C54544C258131EAEBE874DCB1A28CF82D3FF91118260BC91113711D3B289FA41BE69C7A7B5C783E6F8F97FCE13F08B13FA44183E3718CEBF0C41473D2B0FF4DE44B6A02D75ADB6D4962393FFDF4E69026CDF38FF"
	cdaSDAD       = "1C009FC48679157DBFF45F65D33FF78D4FCBF0CF5EA4208D107AE95AA38C546D0E5A18B87403A12BD447A8BBFC1E49CE0B2E251389205703C9BB1A88CC79F1DDC2F9841EADF07CE07B62511DDC93DF59F28F0E91F92332D29CDEF2BCCB1008850500EF3E470A4CB18CD91AA5C1A108F3"
	cdaCDOL1Data  = "000000000000000000000000064300000000000643140925501234577923000000000000000000001E0300"
	cdaResponse   = "9F2701409F360200109F10120010904001220000000000000000000000FF"
)

func TestSDAVector(t *testing.T) {
	s := loadStore(t, "production.txt")
	ca := caKey(t, s, "A000000003", 0x01)
	ic, err := RecoverIssuerCertificate(ca.Key, unhex(t, sdaIssuerCert), unhex(t, sdaRemainder), []byte{3})
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(ic.IssuerID[:]); got != "427655ff" {
		t.Errorf("issuer ID %s, want 427655FF", got)
	}
	if ic.Expiry != [2]byte{0x12, 0x09} || ic.Key.Len() != 128 {
		t.Errorf("expiry %X, key %d bytes; want 1209, 128", ic.Expiry, ic.Key.Len())
	}
	dac, err := VerifySSAD(ic.Key, unhex(t, sdaSSAD), unhex(t, sdaStatic))
	if err != nil {
		t.Fatal(err)
	}
	if dac != [2]byte{0x31, 0x32} {
		t.Errorf("DAC %X, want 3132", dac)
	}
	// The PAN of the static data (5A) starts with the issuer identifier.
	if err := ic.Check(unhex(t, "4276550013234599"), date(t, "081231")); err != nil {
		t.Error(err)
	}
}

// ddaChain recovers the DDA/CDA vector's issuer and ICC keys.
func ddaChain(t testing.TB) (*IssuerCertificate, *ICCCertificate) {
	t.Helper()
	s := loadStore(t, "production.txt")
	ca := caKey(t, s, "A000000004", 0x05)
	ic, err := RecoverIssuerCertificate(ca.Key, unhex(t, ddaIssuerCert), unhex(t, ddaRemainder), []byte{3})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := RecoverICCCertificate(ic.Key, unhex(t, ddaICCCert), nil, []byte{3}, unhex(t, ddaStatic))
	if err != nil {
		t.Fatal(err)
	}
	return ic, cc
}

func TestDDAVector(t *testing.T) {
	ic, cc := ddaChain(t)
	if ic.IssuerID != [4]byte{0x52, 0x85, 0x88, 0xFF} || ic.Expiry != [2]byte{0x12, 0x21} || ic.Key.Len() != 176 {
		t.Errorf("issuer certificate: %v; want issuer 528588FF, expiry 1221, 176-byte key", ic)
	}
	if got := hex.EncodeToString(cc.PAN[:]); got != "5285881254345653ffff" || cc.Expiry != [2]byte{0x06, 0x15} || cc.Key.Len() != 112 {
		t.Errorf("ICC certificate: PAN %s, expiry %X, key %d bytes; want 5285881254345653FFFF, 0615, 112", got, cc.Expiry, cc.Key.Len())
	}
	dd, err := VerifyDDA(cc.Key, unhex(t, ddaSDAD), unhex(t, "00000000"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(dd.IDN, unhex(t, "7A33FB8C9546E1E7")) {
		t.Errorf("IDN %X, want 7A33FB8C9546E1E7", dd.IDN)
	}
}

func TestCDAVector(t *testing.T) {
	_, cc := ddaChain(t)
	in := CDAInput{
		SDAD: unhex(t, cdaSDAD), CID: 0x40, UN: unhex(t, "12345779"),
		CDOL1Data: unhex(t, cdaCDOL1Data), Response: unhex(t, cdaResponse),
	}
	if got := TransactionDataHash(RSA, &in); !bytes.Equal(got, unhex(t, "9D1493E6F70FAAB248A0689BEE7C8DFA10DA423D")) {
		t.Errorf("transaction data hash %X, want 9D1493E6F70FAAB248A0689BEE7C8DFA10DA423D", got)
	}
	r, err := VerifyCDA(cc.Key, in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.IDN, unhex(t, "4CC2FB1FAFB30915")) || r.CID != 0x40 || !bytes.Equal(r.AC, unhex(t, "16AFBA13C52FB173")) {
		t.Errorf("IDN %X, CID %02X, AC %X; want 4CC2FB1FAFB30915, 40, 16AFBA13C52FB173", r.IDN, r.CID, r.AC)
	}
}

// The real Mastercard debit card of MichaelsPlayground/TalkToYourCreditCardPart7
// logfile.md (VECTORS.md): AFL 0801010010010101200102 00…, the only ODA
// record SFI 2 record 1, AIP 1980 appended (9F4A = 82).
var (
	mcSFI2Rec1 = "7081A69F420209785F25032203015F24032403315A0853750500001601105F3401009F0702FFC09F080200028C279F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34039F21039F7C148D0C910A8A0295059F37049F4C088E0E000000000000000042031E031F039F0D05B4508400009F0E0500000000009F0F05B4708480005F280202809F4A018257135375050000160110D24032212794329000000F"
	mcSFI4Rec1 = "7081B89F4701039F4681B03CADA902AFB40289FBDFEA01950C498191442C1B48234DCAFF66BCA63CBF821A3121FA808E4275A4E894B154C1874BDDB00F16276E92C73C04468253B373F1E6A9A89E2705B4670682D0ADFF05617A21D7684031A1CDB438E66CD98D591DC376398C8AAB4F137A2226122990D9B2B4C72DED6495D637338FEFA893AE7FB4EB845F8EC2E260D2385A780F9FDA64B3639A9547ADAD806F78C9BC9F17F9D4C5B26474B9BA03892A754FFDF24DF04C702F86"
	mcSFI4Rec2 = "7081E08F01059F3201039224ABFD2EBC115C3796E382BE7E9863B92C266CCABC8BD014923024C80563234E8A11710A019081B004CC60769CABE557A9F2D83C7C73F8B177DBF69288E332F151FBA10027301BB9A18203BA421BDA9C2CC8186B975885523BF6707F287A5E88F0F6CD79A076319C1404FCDD1F4FA011F7219E1BF74E07B25E781D6AF017A9404DF9FD805B05B76874663EA88515018B2CB6140DC001A998016D28C4AF8E49DFCC7D9CEE314E72AE0D993B52CAE91A5B5C76B0B33E7AC14A7294B59213CA0C50463CFB8B040BB8AC953631B80FA85A698B00228B5FF44223"
)

func TestMastercardCard(t *testing.T) {
	records := []Record{
		{SFI: 2, Number: 1, Data: unhex(t, mcSFI2Rec1)},
		{SFI: 4, Number: 1, Data: unhex(t, mcSFI4Rec1)},
		{SFI: 4, Number: 2, Data: unhex(t, mcSFI4Rec2)},
	}
	var d CardData
	for _, r := range records {
		if err := d.AddRecord(r.Data); err != nil {
			t.Fatal(err)
		}
	}
	afl, err := emv.ParseAFL(unhex(t, "080101001001010120010200"))
	if err != nil {
		t.Fatal(err)
	}
	static, err := StaticData(afl, records, unhex(t, "1980"), d.SDATagList)
	if err != nil {
		t.Fatal(err)
	}
	v := Verifier{Store: loadStore(t, "production.txt"), Date: date(t, "240101")}
	rid := [5]byte(unhex(t, "A000000004"))
	ic, err := v.IssuerKey(rid, &d)
	if err != nil {
		t.Fatal(err)
	}
	if ic.IssuerID != [4]byte{0x53, 0x75, 0x05, 0xFF} || ic.Expiry != [2]byte{0x12, 0x24} {
		t.Errorf("issuer %X expiry %X, want 537505FF 1224", ic.IssuerID, ic.Expiry)
	}
	cc, err := v.ICCKey(ic, &d, static)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(cc.PAN[:]); got != "5375050000160110ffff" || cc.Key.Len() != 128 {
		t.Errorf("ICC PAN %s, key %d bytes; want 5375050000160110FFFF, 128", got, cc.Key.Len())
	}
}

// The UnionPay test card of shared/refs/DOMESTIC.md (PAN 3104895199900000003,
// AID A000000632010106, from a public data-preparation dump
// …/cn/com/heyue/utils/bin/BinParseUtils.java; checked there with gmsm and
// OpenSSL 3 pkeyutl -digest sm3 -pkeyopt distid:1234567812345678).
var (
	upIssuerKey = "B373D53F680BD2963D568F758899C71A8A94AE11B424726BD6A2FF9D1BADDFD1DB4A60086D30AD4F2A950DA602035A325A28AA294476C34E0E99AB6ED2CABE19"
	upStatic    = "5A0A3104895199900000003F5F24034012315F25032104165F3401009F0702FF008E0C000000000000000002031F005F280201569F0D05D86004A8009F0E0500109800009F0F05D86804F8009F4A01828C1B9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E148D1A8A029F02069F03069F1A0295055F2A029A039F21039C019F37047C00"
	upICCCert   = "143104895199900000003F124000003104001140307E7978B05F376E1155351E115771040E1F463133AE426E34B3303CAD50C7C7724E44A8FA5C11933AA7B1F57A1C49F389E6A785C9F08B07594A35AF4144826FDE70E59AD7D2F9215D1685AFFE4864F5C631188CF9C9BC2055F537EFB37D5EFB7AECBC3F0826CA2579008464D0863DBDDB3F9219DBBF04A0B4BC67DA4EE36358"
	upSSAD      = "1331054D99FB6D0AFBE701D19D246ADD50FDC7E88885F788606AAF0460CE408309894FB83A05301814E61715F7CA2629A1B475C450ACA92C4F50C103EADEE032667C5F"
)

func TestSM2Vector(t *testing.T) {
	issuer, err := NewSM2PublicKey(unhex(t, upIssuerKey))
	if err != nil {
		t.Fatal(err)
	}
	static := unhex(t, upStatic)
	cc, err := RecoverICCCertificate(issuer, unhex(t, upICCCert), nil, nil, static)
	if err != nil {
		t.Fatalf("ICC certificate: %v", err)
	}
	if err := cc.Check(unhex(t, "3104895199900000003F"), date(t, "240101")); err != nil {
		t.Error(err)
	}
	if cc.Expiry != [2]byte{0x12, 0x40} || cc.Serial != [3]byte{0, 0, 0x31} {
		t.Errorf("expiry %X serial %X, want 1240 000031", cc.Expiry, cc.Serial)
	}
	dac, err := VerifySSAD(issuer, unhex(t, upSSAD), static)
	if err != nil {
		t.Fatalf("SSAD: %v", err)
	}
	if dac != [2]byte{0x31, 0x05} {
		t.Errorf("DAC %X, want 3105", dac)
	}

	// One byte of the static data changed: both signatures fail.
	static[len(static)-1] ^= 0x01
	if _, err := RecoverICCCertificate(issuer, unhex(t, upICCCert), nil, nil, static); !errorsIs(err, ErrSignature) {
		t.Errorf("ICC certificate over changed static data: %v, want ErrSignature", err)
	}
	if _, err := VerifySSAD(issuer, unhex(t, upSSAD), static); !errorsIs(err, ErrSignature) {
		t.Errorf("SSAD over changed static data: %v, want ErrSignature", err)
	}
}

// The CA key checksums of VECTORS.md (proxmark3 client/resources/capk.txt,
// lumag/emv-tools data/*.keys) hold for the keys loaded from testdata.
func TestCAKeyChecksums(t *testing.T) {
	prod, test := loadStore(t, "production.txt"), loadStore(t, "test.txt")
	for _, c := range []struct {
		store *Store
		rid   string
		index byte
		bits  int
		sum   string
	}{
		{prod, "A000000003", 0x01, 1024, "D34A6A776011C7E7CE3AEC5F03AD2F8CFC5503CC"},
		{prod, "A000000003", 0x09, 1984, "1FF80A40173F52D7D27E0F26A146A1C8CCB29046"},
		{test, "A000000003", 0x92, 1408, "429C954A3859CEF91295F663C963E582ED6EB253"},
		{prod, "A000000004", 0x05, 1408, "EBFA0D5D06D8CE702DA3EAE890701D45E274C845"},
		{test, "A000000004", 0xF1, 1408, "D8E68DA167AB5A85D8C3D55ECB9B0517A1A5B4BB"},
		{prod, "A000000025", 0x0F, 1408, "A73472B3AB557493A9BC2179CC8014053B12BAB4"},
		{prod, "A000000025", 0x10, 1984, "C729CF2FD262394ABC4CC173506502446AA9B9FD"},
	} {
		k := caKey(t, c.store, c.rid, c.index)
		if k.Key.Len()*8 != c.bits {
			t.Errorf("%s: %d bits, want %d", &k, k.Key.Len()*8, c.bits)
		}
		if got := k.ComputeChecksum(); !bytes.Equal(got, unhex(t, c.sum)) || !bytes.Equal(k.Checksum, got) {
			t.Errorf("%s: checksum %X (loaded %X), want %s", &k, got, k.Checksum, c.sum)
		}
	}
	// The Mastercard test key 05 is a different, 1024-bit key.
	if k := caKey(t, test, "A000000004", 0x05); k.Key.Len() != 128 {
		t.Errorf("test key A000000004/05 is %d bytes, want 128", k.Key.Len())
	}
}
