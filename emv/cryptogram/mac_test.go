package cryptogram

import (
	"crypto/des"
	"errors"
	"testing"
)

// ISO/IEC 9797-1 MAC algorithm 3. Sources: knovichikhin/pyemv
// tests/test_mac.py via VECTORS.md ('hello world', pad 1 and 2); ISO/IEC
// 9797-1:2011 Annex B.4 examples (algorithm 3, padding method 1) as quoted
// in openemv/crypto test/crypto_tdes2_retail_mac_test.c (4-byte MACs).
func TestRetailMACVectors(t *testing.T) {
	k := h(t, "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB")
	eqHex(t, "pad 1", must[[]byte](t)(RetailMAC(k, []byte("hello world"), Pad1)), "78DA3D3DEB48FD4D")
	eqHex(t, "pad 2", must[[]byte](t)(RetailMAC(k, []byte("hello world"), Pad2)), "2BC2D9EDE0CF31F6")

	iso := h(t, "0123456789ABCDEFFEDCBA9876543210")
	eqHex(t, "B.4 #1", must[[]byte](t)(RetailMAC(iso, []byte("Now is the time for all "), Pad1))[:4], "A1C72E74")
	eqHex(t, "B.4 #2", must[[]byte](t)(RetailMAC(iso, []byte("Now is the time for it"), Pad1))[:4], "2E2B1428")
}

// Padding method 1 on an empty message is one zero block, padding method 2
// always adds a block when the data is aligned. Both facts come from ISO/IEC
// 9797-1 §6.1; the expected values are bare DES computations of those
// padded blocks.
func TestRetailMACPaddingEdges(t *testing.T) {
	k := h(t, "0123456789ABCDEFFEDCBA9876543210")
	ref := func(padded []byte) []byte {
		kl, _ := des.NewCipher(k[:8])
		kr, _ := des.NewCipher(k[8:])
		var x [8]byte
		for i := 0; i < len(padded); i += 8 {
			xorInto(x[:], x[:], padded[i:i+8])
			kl.Encrypt(x[:], x[:])
		}
		kr.Decrypt(x[:], x[:])
		kl.Encrypt(x[:], x[:])
		return x[:]
	}
	eight := h(t, "0102030405060708")
	cases := []struct {
		data   []byte
		pad    Padding
		padded []byte
	}{
		{nil, Pad1, make([]byte, 8)},
		{nil, Pad2, h(t, "8000000000000000")},
		{eight, Pad1, eight},
		{eight, Pad2, h(t, "0102030405060708 8000000000000000")},
		{eight[:7], Pad2, h(t, "0102030405060780")},
	}
	for _, c := range cases {
		eqHex(t, "edge", must[[]byte](t)(RetailMAC(k, c.data, c.pad)), hexOf(ref(c.padded)))
	}
}

// NIST SP 800-38B Appendix D examples (AES-128 ones are also RFC 4493 §4),
// as listed in openemv/crypto test/crypto_aes_cmac_test.c and
// test/crypto_tdes_cmac_test.c.
func TestCMACVectors(t *testing.T) {
	msg := h(t, "6BC1BEE22E409F96E93D7E117393172A AE2D8A571E03AC9C9EB76FAC45AF8E51"+
		"30C81C46A35CE411E5FBC1191A0A52EF F69F2445DF4F9B17AD2B417BE66C3710")
	aesTests := []struct {
		key  string
		n    int
		want string
	}{
		{"2B7E151628AED2A6ABF7158809CF4F3C", 0, "BB1D6929E95937287FA37D129B756746"},
		{"2B7E151628AED2A6ABF7158809CF4F3C", 16, "070A16B46B4D4144F79BDD9DD04A287C"},
		{"2B7E151628AED2A6ABF7158809CF4F3C", 20, "7D85449EA6EA19C823A7BF78837DFADE"},
		{"2B7E151628AED2A6ABF7158809CF4F3C", 40, "DFA66747DE9AE63030CA32611497C827"},
		{"2B7E151628AED2A6ABF7158809CF4F3C", 64, "51F0BEBF7E3B9D92FC49741779363CFE"},
		{"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 0, "D17DDF46ADAACDE531CAC483DE7A9367"},
		{"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 20, "3D75C194ED96070444A9FA7EC740ECF8"},
		{"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 64, "A1D5DF0EED790F794D77589659F39A11"},
		{"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 0, "028962F61B7BF89EFC6B551F4667D983"},
		{"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 16, "28A7023F452E8F82BD4BF28D8C37C35C"},
		{"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 64, "E1992190549F6ED5696A2C056C315410"},
	}
	for _, tt := range aesTests {
		eqHex(t, "AES-CMAC", must[[]byte](t)(AESCMAC(h(t, tt.key), msg[:tt.n])), tt.want)
	}
	tdesTests := []struct {
		key  string
		n    int
		want string
	}{
		{"0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123", 0, "7DB0D37DF936C550"},
		{"0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123", 16, "30239CF1F52E6609"},
		{"0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123", 20, "6C9F3EE4923F6BE2"},
		{"0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123", 32, "99429BD0BF7904E5"},
		{"0123456789ABCDEF23456789ABCDEF010123456789ABCDEF", 0, "79CE52A7F786A960"},
		{"0123456789ABCDEF23456789ABCDEF010123456789ABCDEF", 20, "C06D377ECD101969"},
		{"0123456789ABCDEF23456789ABCDEF010123456789ABCDEF", 32, "9CD33580F9B64DFB"},
	}
	for _, tt := range tdesTests {
		b, err := des.NewTripleDESCipher(h(t, tt.key))
		if err != nil {
			t.Fatal(err)
		}
		eqHex(t, "TDES-CMAC", CMAC(b, msg[:tt.n]), tt.want)
	}
}

// The AES MAC of MAC() is CMAC whatever the padding argument.
func TestMACDispatch(t *testing.T) {
	k := h(t, "2B7E151628AED2A6ABF7158809CF4F3C")
	for _, p := range []Padding{Pad1, Pad2} {
		eqHex(t, "AES MAC", must[[]byte](t)(MAC(AES, k, nil, p)), "BB1D6929E95937287FA37D129B756746")
	}
	if _, err := MAC(TDES, make([]byte, 16), nil, Padding(3)); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("padding 3: %v", err)
	}
	if _, err := MAC(Algorithm(0), k, nil, Pad2); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("algorithm 0: %v", err)
	}
	if _, err := RetailMAC(k[:8], nil, Pad2); !errors.Is(err, ErrKeyLength) {
		t.Errorf("8-byte retail key: %v", err)
	}
	if _, err := AESCMAC(k[:15], nil); !errors.Is(err, ErrKeyLength) {
		t.Errorf("15-byte AES key: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("CMAC with a 32-byte block did not panic")
		}
	}()
	CMAC(badBlock{}, nil)
}

type badBlock struct{}

func (badBlock) BlockSize() int          { return 32 }
func (badBlock) Encrypt(dst, src []byte) {}
func (badBlock) Decrypt(dst, src []byte) {}

// DOMESTIC.md, verified vector: SM4-CBC MAC, pad 80 00…, key = the SK of
// TestSM4SessionKey, input = script header, ATC, cryptogram, new value →
// last block 95FD68F5…144E, MAC 95FD68F5.
func TestSM4CBCMACVector(t *testing.T) {
	sk := h(t, "B6FA9E085B5773C1E3AA2E4738831F73")
	in := h(t, "04DA9F790A 0003 35304180BE2CBD3F 000000100099")
	eqHex(t, "SM4 CBC-MAC", must[[]byte](t)(CBCMAC(SM4, sk, in, Pad2)), "95FD68F5D5155377FA716BB8471A144E")
	eqHex(t, "MAC(SM4)", must[[]byte](t)(MAC(SM4, sk, in, Pad2)), "95FD68F5D5155377FA716BB8471A144E")
	if _, err := CBCMAC(AES, make([]byte, 16), nil, 0); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("CBCMAC without padding: %v", err)
	}
}
