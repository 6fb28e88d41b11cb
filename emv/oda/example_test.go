package oda_test

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/emv/oda"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Reading CA keys in the capk.txt format checks each key's checksum.
func ExampleParseCAKeys() {
	line := "a0:00:00:00:03 01 091231 rsa 03 c6:96:03:42:13:d7:d8:54:69:84:57:9d:1d:0f:0e:a5:19:cf:f8:de:ff:c4:29:35:4c:f3:a8:71:a6:f7:18:3f:12:28:da:5c:74:70:c0:55:38:71:00:cb:93:5a:71:2c:4e:28:64:df:5d:64:ba:93:fe:7e:63:e7:1f:25:b1:e5:f5:29:85:75:eb:e1:c6:3a:a6:17:70:69:17:91:1d:c2:a7:5a:c2:8b:25:1c:7e:f4:0f:23:65:91:24:90:b9:39:bc:a2:12:4a:30:a2:8f:54:40:2c:34:ae:ca:33:1a:b6:7e:1e:79:b2:85:dd:57:71:b5:d9:ff:79:ea:63:0b:75 sha1 d3:4a:6a:77:60:11:c7:e7:ce:3a:ec:5f:03:ad:2f:8c:fc:55:03:cc"
	keys, err := oda.ParseCAKeys(strings.NewReader(line))
	if err != nil {
		fmt.Println(err)
		return
	}
	k := keys[0]
	fmt.Printf("%s: %d bits, expires %s, checksum %X\n", &k, k.Key.Len()*8, k.Expiry.Format("2006-01-02"), k.Checksum)

	_, err = oda.ParseCAKeys(strings.NewReader(strings.Replace(line, "d3:4a", "d3:4b", 1)))
	fmt.Println(err != nil)
	// Output:
	// A000000003/01: 1024 bits, expires 2009-12-31, checksum D34A6A776011C7E7CE3AEC5F03AD2F8CFC5503CC
	// true
}

// Static data authentication with the published SDA vector of
// RfidResearchGroup/proxmark3 client/src/emv/test/sda_test.c.
func ExampleVerifySSAD() {
	f, err := os.Open("../../testdata/capk/production.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	store, err := oda.ReadStore(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	ca, _ := store.Lookup([5]byte{0xA0, 0, 0, 0, 0x03}, 0x01)
	issuer, err := oda.RecoverIssuerCertificate(ca.Key,
		mustHex("3C5FEAD4DD7BCA44F93E90C44F76EDE54A3288ECDC78469FCB1225C03B2C04F2C2F412281A0822DF14649230989FB1494070DAF8C9534A7881960148616ACE581788120D3506ACE4CEE564FB27EE53341C22F0B45B31873D05DE545EFE33BCD29B2185D035A806AD08C6976F3505A19999930CA8A03EFA321C486061F7DCEC9F"),
		mustHex("1EBCA30F00CE5962A8C6E130544B82891B236C65DE29317F364735DEE63F6598975835D5"), []byte{0x03})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(issuer)
	static := mustHex("5F24030812315A0842765500132345995F3401019F0702FF009F0D05D040ACA8009F0E0500100000009F0F05D068BCF8005C00")
	dac, err := oda.VerifySSAD(issuer.Key,
		mustHex("99A558B62B674AA5E7D2A57E5EF6A6F2258E5DA052D05B54E5C115FF1CECF94AA2DF8F39A01D71C619EB819DA52EF381E84979586AEA7855FFBEF40AA3A71CD3B04CFDF270AEC8158A2797F24FD613B748134661135CD290E45B04A8E0CCC711AE042F159E73C89C2A7E65A4C2FD1D6106024AA27130B0ECEC0238F91659DE96"),
		static)
	fmt.Printf("DAC %X, %v\n", dac, err)
	// Output:
	// issuer 427655FF, expiry 1209, serial 0042B3, rsa key of 128 bytes
	// DAC 3132, <nil>
}

// A card image checked as `yixin oda verify` does.
func ExampleCheckImage() {
	kf, err := os.Open("../../testdata/capk/production.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer kf.Close()
	store, err := oda.ReadStore(kf)
	if err != nil {
		fmt.Println(err)
		return
	}
	imf, err := os.Open("../../testdata/images/mastercard-dda-cda.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer imf.Close()
	imgs, err := oda.ParseImages(imf)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := oda.CheckImage(store, &imgs[0], time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC))
	fmt.Printf("ok %v, issuer %X, DDA IDN %X, CDA AC %X\n", r.OK(), r.IssuerID, r.DDAIDN, r.CDAAC)
	// Output:
	// ok true, issuer 528588FF, DDA IDN 7A33FB8C9546E1E7, CDA AC 16AFBA13C52FB173
}

// Issuing an SM2 chain for a simulated card and verifying what it signs.
// A seeded random source makes the keys and signatures reproducible.
func ExampleSignDynamicData() {
	r := rand.NewChaCha8([32]byte{1})
	ca, _ := oda.GenerateCA(r, [5]byte{0xA0, 0, 0, 0x03, 0x33}, 0xF1, oda.SM2, 0, 0)
	issuer, _ := oda.GenerateSM2Key(r)
	icc, _ := oda.GenerateSM2Key(r)
	static := mustHex("5A0862123456789012345F2403301231")
	ic, _ := oda.IssueIssuerCertificate(r, ca.Key, issuer.Public, oda.CertInfo{ID: "621234", Expiry: [2]byte{0x12, 0x30}})
	cc, _ := oda.IssueICCCertificate(r, issuer, icc.Public, oda.CertInfo{ID: "6212345678901234", Expiry: [2]byte{0x12, 0x30}}, static)
	sdad, _ := oda.SignDynamicData(r, icc, oda.ICCDynamicData([]byte{0x12, 0x34}), []byte{0xCA, 0xFE, 0xBA, 0xBE})

	// The terminal's side.
	issuerCert, err := oda.RecoverIssuerCertificate(ca.CAKey().Key, ic.Cert, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	iccCert, err := oda.RecoverICCCertificate(issuerCert.Key, cc.Cert, nil, nil, static)
	if err != nil {
		fmt.Println(err)
		return
	}
	dd, err := oda.VerifyDDA(iccCert.Key, sdad, []byte{0xCA, 0xFE, 0xBA, 0xBE})
	fmt.Printf("certificates of %d and %d bytes, IDN %X, %v\n", len(ic.Cert), len(cc.Cert), dd.IDN, err)
	// Output:
	// certificates of 142 and 148 bytes, IDN 1234, <nil>
}
