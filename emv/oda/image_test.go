package oda

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

var update = flag.Bool("update", false, "rewrite the generated files of testdata")

func readImages(t testing.TB, name string) []Image {
	t.Helper()
	f, err := os.Open("../../testdata/images/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	imgs, err := ParseImages(f)
	if err != nil {
		t.Fatal(err)
	}
	return imgs
}

func hexOf(b []byte) string {
	s, _ := Hex(b).MarshalText()
	return string(s)
}

// reportJSON renders a report as the CLI does, to compare fields by name.
func reportFields(t *testing.T, r *Report) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCheckImageVectors checks the images built from the published vectors
// (testdata/images/README.md gives their sources) and compares every field
// with the values the sources publish.
func TestCheckImageVectors(t *testing.T) {
	prod := loadStore(t, "production.txt")
	for _, c := range []struct {
		file, date string
		want       map[string]any
	}{
		{"mastercard-debit.json", "240301", map[string]any{
			"issuer_id": "537505FF", "issuer_expiry": "1224", "issuer_cert_ok": true,
			"icc_pan": "5375050000160110FFFF", "icc_cert_ok": true,
		}},
		{"visa-sda.json", "081201", map[string]any{
			"issuer_id": "427655FF", "issuer_expiry": "1209", "issuer_cert_ok": true,
			"sda_ok": true, "sda_dac": "3132",
		}},
		{"mastercard-dda-cda.json", "150101", map[string]any{
			"issuer_id": "528588FF", "issuer_expiry": "1221", "issuer_cert_ok": true,
			"icc_pan": "5285881254345653FFFF", "icc_expiry": "0615", "icc_cert_ok": true,
			"dda_ok": true, "dda_idn": "7A33FB8C9546E1E7",
			"cda_ok": true, "cda_idn": "4CC2FB1FAFB30915", "cda_cid": "40", "cda_ac": "16AFBA13C52FB173",
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			img := readImages(t, c.file)[0]
			r := CheckImage(prod, &img, date(t, c.date))
			if !r.OK() {
				t.Fatalf("failures: %v", r.Failures)
			}
			got := reportFields(t, r)
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
			for k := range got {
				if _, ok := c.want[k]; !ok && k != "aid" && k != "failures" && k != "icc_expiry" {
					t.Errorf("unexpected field %s = %v", k, got[k])
				}
			}
		})
	}
}

func TestCheckImageFailures(t *testing.T) {
	prod := loadStore(t, "production.txt")
	img := readImages(t, "mastercard-dda-cda.json")[0]

	// The test key set has a different key 05: the issuer certificate
	// cannot be recovered, and everything depending on it is not performed.
	r := CheckImage(loadStore(t, "test.txt"), &img, date(t, "150101"))
	if r.OK() || *r.IssuerCertOK || *r.ICCCertOK || *r.DDAOK || *r.CDAOK {
		t.Errorf("checked with the wrong key 05: %+v", r)
	}
	if !errors.Is(r.Errors[0], ErrCertLength) {
		t.Errorf("first failure %v, want ErrCertLength (176-byte certificate, 128-byte key)", r.Errors[0])
	}
	if len(r.Failures) != 4 || !strings.Contains(r.Failures[3], "CDA: not performed") {
		t.Errorf("failures %q", r.Failures)
	}

	// After the ICC certificate's expiry (0615).
	r = CheckImage(prod, &img, date(t, "150701"))
	if *r.IssuerCertOK != true || *r.ICCCertOK || !errors.Is(r.Errors[0], ErrCertExpired) {
		t.Errorf("after expiry: %+v %v", r, r.Errors)
	}

	// A GENERATE AC response whose CID differs from the signed one.
	bad := img
	cda := *img.CDA
	cda.GenACResponse = bytes.Replace(cda.GenACResponse, []byte{0x9F, 0x27, 0x01, 0x40}, []byte{0x9F, 0x27, 0x01, 0x80}, 1)
	bad.CDA = &cda
	r = CheckImage(prod, &bad, date(t, "150101"))
	if *r.CDAOK || !*r.DDAOK || len(r.Errors) != 1 || !errors.Is(r.Errors[0], ErrCIDMismatch) {
		t.Errorf("CID changed: %+v %v", r, r.Errors)
	}
}

// An AIP without ODA and no certificates: nothing applies, nothing fails.
func TestCheckImageNothingApplies(t *testing.T) {
	img := Image{AID: unhex(t, "A0000000041010"), AIP: []byte{0x18, 0x00}, AFL: unhex(t, "08010100"),
		Records: []ImageRecord{{SFI: 1, Record: 1, Data: unhex(t, "70035A0112")}}}
	r := CheckImage(loadStore(t, "production.txt"), &img, time.Now())
	if !r.OK() || r.IssuerCertOK != nil {
		t.Errorf("%+v", r)
	}
}

func TestUnpredictableNumber(t *testing.T) {
	cdol1 := unhex(t, "9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F3403")
	data := unhex(t, "000000000000000000000000064300000000000643140925501234577923000000000000000000001E0300")
	c := ImageCDA{CDOL1Data: data}
	if got := c.Unpredictable(cdol1); !bytes.Equal(got, unhex(t, "12345779")) {
		t.Errorf("from CDOL1: %X", got)
	}
	if got := c.Unpredictable(nil); !bytes.Equal(got, unhex(t, "001E0300")) {
		t.Errorf("without CDOL1: %X, want the last 4 bytes", got)
	}
	c.UN = unhex(t, "CAFEBABE")
	if got := c.Unpredictable(cdol1); !bytes.Equal(got, c.UN) {
		t.Errorf("explicit: %X", got)
	}
}

func TestParseImagesErrors(t *testing.T) {
	for _, s := range []string{
		``, `[]`, `{"aid": "A0"}`, `{"applications": []}`, `{"applications": [{}]}`,
		`{"aid":"A000000004","aip":"19","afl":"08010100","records":[]}`,
		`{"aid":"A000000004","aip":"1980","afl":"08010100","records":[{"sfi":31,"record":1,"data":"70"}]}`,
		`{"aid":"A000000004","aip":"1980","afl":"08010100","records":[{"sfi":1,"record":1,"data":"7X"}]}`,
		`{"aid":"A000000004","aip":"1980","afl":"0801","records":[]}`,
		`{"aid":"A000000004","aip":"1980","afl":"08010100","records":[],"cda":{"genac_response":"77","un":"01"}}`,
	} {
		if _, err := ParseImages(strings.NewReader(s)); !errors.Is(err, ErrImage) {
			t.Errorf("%s: %v, want ErrImage", s, err)
		}
	}
}

// chainImage writes a test chain's card as an image, with an INTERNAL
// AUTHENTICATE and a CDA GENERATE AC exchange signed by its ICC key.
func chainImage(t testing.TB, c *testChain, aid []byte) Image {
	t.Helper()
	r := seeded(99)
	img := Image{AID: aid, AIP: c.aip}
	for _, e := range c.afl {
		img.AFL = append(img.AFL, e.Bytes()...)
	}
	for _, rec := range c.records {
		img.Records = append(img.Records, ImageRecord{SFI: rec.SFI, Record: rec.Number, Data: rec.Data})
	}
	ddol := []byte{0x11, 0x22, 0x33, 0x44}
	sdad, err := SignDynamicData(r, c.icc, ICCDynamicData([]byte{0xD1, 0xD2, 0xD3, 0xD4}), ddol)
	if err != nil {
		t.Fatal(err)
	}
	img.DDA = &ImageDDA{DDOLData: ddol, Response: emv.AppendTLV(nil, 0x80, sdad)}
	cdol1 := unhex(t, "0000000010000000000000000156000000000001562506300055667788")
	in := CDAInput{CID: 0x40, UN: cdol1[25:29], CDOL1Data: cdol1, Response: unhex(t, "9F2701409F360200019F100807010103A0000001")}
	if in.SDAD, err = SignCDA(r, c.icc, []byte{0xC1, 0xC2, 0xC3, 0xC4}, 0x40, unhex(t, "0102030405060708"), &in); err != nil {
		t.Fatal(err)
	}
	resp := append(emv.AppendTLV(in.Response[:9:9], 0x9F4B, in.SDAD), in.Response[9:]...)
	img.CDA = &ImageCDA{PDOLData: Hex{}, CDOL1Data: cdol1, GenACResponse: emv.AppendTLV(nil, 0x77, resp)}
	return img
}

// dualImage builds the two-application test card: a domestic SM2
// application and an international RSA one, each under its own test CA.
func dualImage(t testing.TB) ([]Image, string) {
	dom := newChainRID(t, [5]byte{0xA0, 0, 0, 0x03, 0x33}, SM2, [3]int{}, 0, 31)
	intl := newChainRID(t, [5]byte{0xA0, 0, 0, 0, 0x25}, RSA, [3]int{1408, 1152, 1024}, 65537, 32)
	capk := "# Test CAs of the generated card testdata/images/yixin-dual.json, written by\n" +
		"# go test ./emv/oda -run TestGenerateDualImage -update (seeded, reproducible).\n" +
		"# kind: test\n" + dom.ca.CAPKLine() + "\n" + intl.ca.CAPKLine() + "\n"
	return []Image{chainImage(t, dom, unhex(t, "A000000333010101")), chainImage(t, intl, unhex(t, "A00000002501"))}, capk
}

// TestGenerateDualImage checks that the generated dual-application card
// verifies, and that issuance reproduces the checked-in files byte for
// byte (-update rewrites them).
func TestGenerateDualImage(t *testing.T) {
	imgs, capk := dualImage(t)
	body, err := MarshalImages(imgs)
	if err != nil {
		t.Fatal(err)
	}
	const imgPath, capkPath = "../../testdata/images/yixin-dual.json", "../../testdata/capk/yixin-test.txt"
	if *update {
		if err := os.WriteFile(imgPath, body, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(capkPath, []byte(capk), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if old, err := os.ReadFile(imgPath); err != nil || !bytes.Equal(old, body) {
		t.Errorf("%s differs from a fresh issuance (%v); run with -update if the change is intended", imgPath, err)
	}
	if old, err := os.ReadFile(capkPath); err != nil || string(old) != capk {
		t.Errorf("%s differs from a fresh issuance (%v)", capkPath, err)
	}
	store := loadStore(t, "yixin-test.txt")
	for _, img := range readImages(t, "yixin-dual.json") {
		r := CheckImage(store, &img, date(t, "250630"))
		if !r.OK() || !*r.IssuerCertOK || !*r.ICCCertOK || !*r.SDAOK || !*r.DDAOK || !*r.CDAOK {
			t.Errorf("%X: %+v", img.AID, r)
		}
		if hexOf(r.CDAAC) != "0102030405060708" || hexOf(r.DDAIDN) != "D1D2D3D4" || hexOf(r.SDADAC) != "DAC1" {
			t.Errorf("%X: AC %X IDN %X DAC %X", img.AID, r.CDAAC, r.DDAIDN, r.SDADAC)
		}
	}
}

// CheckImage validates images built in code rather than parsed.
func TestCheckImageInvalid(t *testing.T) {
	r := CheckImage(NewStore(Test), &Image{AID: unhex(t, "A000000004")}, time.Now())
	if r.OK() || !errors.Is(r.Errors[0], ErrImage) {
		t.Errorf("%+v", r)
	}
}
