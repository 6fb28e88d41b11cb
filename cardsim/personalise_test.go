package cardsim

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/oda"
)

// TestGoldenCards checks that personalising each built-in profile with the
// golden seed gives, byte for byte, the card file in testdata/cards: the
// same seed always makes the same card. (-update rewrites the files.)
func TestGoldenCards(t *testing.T) {
	for _, name := range BuiltinProfiles() {
		t.Run(name, func(t *testing.T) {
			if testing.Short() && name != "sda" {
				t.Skip("RSA key generation is slow; -short checks the sda profile only")
			}
			cf := goldenCard(t, name)
			p, err := BuiltinProfile(name)
			if err != nil {
				t.Fatal(err)
			}
			again, _, err := Personalise(p, SeededReader(goldenSeed))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(filepath.Join("testdata", "cards", name+".json"))
			got, _ := again.Marshal()
			if !bytes.Equal(got, want) {
				t.Errorf("personalising %s with seed %d gives a different card file than testdata", name, goldenSeed)
			}
			if round, _ := cf.Marshal(); !bytes.Equal(round, want) {
				t.Errorf("card file does not survive parse and marshal unchanged")
			}
		})
	}
}

func TestPersonaliseSeeds(t *testing.T) {
	p, err := BuiltinProfile("sda")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := Personalise(p, SeededReader(7))
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Personalise(p, SeededReader(8))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.ID, b.ID) || bytes.Equal(a.Applications[0].ICCMasterKeys.AC, b.Applications[0].ICCMasterKeys.AC) {
		t.Error("different seeds gave the same card")
	}
}

// TestMasterKeys checks that the ICC master keys in the card file are the
// ones EMV Book 2 Annex A1.4 derives from the issuer master keys, by
// emv/cryptogram's derivation, itself tested against pyemv's vectors.
func TestMasterKeys(t *testing.T) {
	cf := goldenCard(t, "dual-cn")
	for i, pers := range cf.Applications {
		a := &cf.Profile.Applications[i]
		for _, k := range []struct{ imk, mk []byte }{
			{pers.IssuerMasterKeys.AC, pers.ICCMasterKeys.AC},
			{pers.IssuerMasterKeys.SMI, pers.ICCMasterKeys.SMI},
			{pers.IssuerMasterKeys.SMC, pers.ICCMasterKeys.SMC},
		} {
			var want []byte
			var err error
			if a.Crypto.Algorithm == "sm4" {
				want, err = cryptogram.DeriveICCMasterKeySM4(k.imk, a.PAN, a.PSN, cryptogram.OptionAuto)
			} else {
				want, err = cryptogram.DeriveICCMasterKey(k.imk, a.PAN, a.PSN, cryptogram.OptionAuto)
			}
			if err != nil || !bytes.Equal(want, k.mk) {
				t.Errorf("%s: ICC master key %X, want %X (%v)", a.Name, k.mk, want, err)
			}
		}
	}
}

// readImage reads one application the way "yixin card read" does and
// returns its card image, with DDA and CDA exchanges when the AIP
// announces them.
func readImage(t *testing.T, tm *term, a *AppProfile) *oda.Image {
	t.Helper()
	fci := tm.selectApp(a.AID)
	aip, afl, pdolData := tm.gpo(fci)
	img := &oda.Image{AID: oda.Hex(a.AID), AIP: aip, AFL: afl, Records: tm.readAll(afl)}
	ip := emv.AIP{aip[0], aip[1]}
	if ip.Has(emv.AIPDDASupported) {
		ddol := tm.dolData(img.Records, 0x9F49)
		rsp := tm.must(apdu.InternalAuthenticate(ddol))
		img.DDA = &oda.ImageDDA{DDOLData: ddol, Response: rsp}
	}
	if ip.Has(emv.AIPCDASupported) {
		cdol1 := tm.dolData(img.Records, 0x8C)
		rsp := tm.must(apdu.GenerateAC(apdu.RefControlARQC|apdu.RefControlCDA, cdol1))
		img.CDA = &oda.ImageCDA{PDOLData: pdolData, CDOL1Data: cdol1, GenACResponse: rsp}
	}
	return img
}

// TestODA runs SDA, DDA and CDA, as emv/oda verifies them (its RSA
// recovery is tested against the proxmark3/emv-tools vectors, its SM2
// certificates against the UnionPay test card of DOMESTIC.md), on every
// application of every built-in profile.
func TestODA(t *testing.T) {
	for _, name := range BuiltinProfiles() {
		cf := goldenCard(t, name)
		store := testStore(t, cf)
		for i := range cf.Profile.Applications {
			a := &cf.Profile.Applications[i]
			t.Run(name+"/"+a.Name, func(t *testing.T) {
				c, err := New(cf, &Options{Rand: SeededReader(5)})
				if err != nil {
					t.Fatal(err)
				}
				img := readImage(t, newTerm(t, c), a)
				rep := oda.CheckImage(store, img, txnDate)
				if !rep.OK() {
					t.Fatalf("ODA failed: %v", rep.Failures)
				}
				ip := emv.AIP{img.AIP[0], img.AIP[1]}
				if ip.Has(emv.AIPSDASupported) && (rep.SDAOK == nil || !*rep.SDAOK) {
					t.Error("SDA not checked")
				}
				if ip.Has(emv.AIPDDASupported) && (rep.DDAOK == nil || !*rep.DDAOK) {
					t.Error("DDA not checked")
				}
				if ip.Has(emv.AIPCDASupported) && (rep.CDAOK == nil || !*rep.CDAOK) {
					t.Error("CDA not checked")
				}
			})
		}
	}
}

// TestODATamper changes one byte of a record flagged for ODA and expects
// emv/oda to reject the card.
func TestODATamper(t *testing.T) {
	cf := goldenCard(t, "sda")
	c, err := New(cf, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := readImage(t, newTerm(t, c), &cf.Profile.Applications[0])
	for i := range img.Records {
		if img.Records[i].SFI == 2 && img.Records[i].Record == 1 {
			img.Records[i].Data[len(img.Records[i].Data)-1] ^= 1
		}
	}
	if rep := oda.CheckImage(testStore(t, cf), img, txnDate); rep.OK() {
		t.Fatal("a changed ODA record passed SDA")
	}
}

// TestCAStore: the store of a card file holds, in a test store, exactly the
// CA keys personalisation returned; a card file with a malformed key line
// gives an error rather than a store without it.
func TestCAStore(t *testing.T) {
	p, err := BuiltinProfile(DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	cf, keys, err := Personalise(p, SeededReader(1))
	if err != nil {
		t.Fatal(err)
	}
	s, err := cf.CAStore()
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != oda.Test || len(s.Keys()) != len(keys) || len(keys) == 0 {
		t.Fatalf("store of kind %v with %d keys, personalisation gave %d", s.Kind(), len(s.Keys()), len(keys))
	}
	for _, k := range keys {
		got, ok := s.Lookup(k.RID, k.Index)
		if !ok || !bytes.Equal(got.Key.Modulus, k.Key.Modulus) || !bytes.Equal(got.Key.Exponent, k.Key.Exponent) {
			t.Errorf("key %X/%02X: %v in the store", k.RID, k.Index, ok)
		}
	}
	bad := *cf
	bad.CAKeys = append([]string{"A000000333 01 not a key line"}, cf.CAKeys...)
	if _, err := bad.CAStore(); err == nil {
		t.Error("CAStore accepted a malformed key line")
	}
}
