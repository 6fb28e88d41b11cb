package cryptogram

import (
	"crypto/aes"
	"crypto/des"
	"testing"

	"github.com/emmansun/gmsm/sm4"
)

// Each benchmark runs next to a "Floor" benchmark doing only the bare cipher
// work the operation cannot avoid (key schedules and block operations, from
// the standard library or gmsm), so that ours ÷ floor measures this
// package's overhead. Run: go test -bench . -benchtime=200ms ./emv/cryptogram/

var (
	benchKey  = []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}
	bench64   = make([]byte, 64)
	benchCDOL = make([]byte, 40) // Visa CVN 18 CDOL data length
	sink      []byte
	sinkBlock [16]byte
)

// floorRetail is the DES work of a retail MAC over blocks padded blocks.
func floorRetail(b *testing.B, blocks int) {
	for b.Loop() {
		kl, _ := des.NewCipher(benchKey[:8])
		kr, _ := des.NewCipher(benchKey[8:])
		x := sinkBlock[:8]
		for range blocks {
			kl.Encrypt(x, x)
		}
		kr.Decrypt(x, x)
		kl.Encrypt(x, x)
	}
}

// BenchmarkMAC: ISO/IEC 9797-1 algorithm 3, padding 2, over 64 bytes (9
// blocks after padding).
func BenchmarkMAC(b *testing.B) {
	for b.Loop() {
		sink, _ = RetailMAC(benchKey, bench64, Pad2)
	}
}

func BenchmarkMACFloor(b *testing.B) { floorRetail(b, 9) }

// BenchmarkGenerateAC: a TDES ARQC over 40 bytes of CDOL data (6 blocks).
func BenchmarkGenerateAC(b *testing.B) {
	for b.Loop() {
		sink, _ = GenerateAC(TDES, benchKey, benchCDOL, Pad2)
	}
}

func BenchmarkGenerateACFloor(b *testing.B) { floorRetail(b, 6) }

// BenchmarkARPC: ARPC method 1 (one TDES block).
func BenchmarkARPC(b *testing.B) {
	arqc, arc := benchKey[:8], benchKey[8:10]
	for b.Loop() {
		sink, _ = ARPCMethod1(TDES, benchKey, arqc, arc)
	}
}

func BenchmarkARPCFloor(b *testing.B) {
	var k [24]byte
	for b.Loop() {
		copy(k[:], benchKey)
		copy(k[16:], benchKey[:8])
		c, _ := des.NewTripleDESCipher(k[:])
		c.Encrypt(sinkBlock[:8], sinkBlock[:8])
	}
}

// BenchmarkCMAC: AES-128 CMAC over 64 bytes (subkey block + 4 blocks).
func BenchmarkCMAC(b *testing.B) {
	for b.Loop() {
		sink, _ = AESCMAC(benchKey, bench64)
	}
}

func BenchmarkCMACFloor(b *testing.B) {
	for b.Loop() {
		c, _ := aes.NewCipher(benchKey)
		for range 5 {
			c.Encrypt(sinkBlock[:], sinkBlock[:])
		}
	}
}

// BenchmarkSM4MAC: SM4 CBC-MAC, padding 2, over 64 bytes (5 blocks).
func BenchmarkSM4MAC(b *testing.B) {
	for b.Loop() {
		sink, _ = MAC(SM4, benchKey, bench64, Pad2)
	}
}

func BenchmarkSM4MACFloor(b *testing.B) {
	for b.Loop() {
		c, _ := sm4.NewCipher(benchKey)
		for range 5 {
			c.Encrypt(sinkBlock[:], sinkBlock[:])
		}
	}
}
