package cryptogram

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"fmt"
)

// RetailMAC computes ISO/IEC 9797-1 MAC algorithm 3 (the "retail MAC" of ANSI
// X9.19, EMV Book 2 Annex A1.2.1) over data with padding method pad: CBC with
// single DES under the left half of the 16-byte key, then the last block
// deciphered with the right half and enciphered again with the left. It
// returns the 8-byte MAC; EMV uses its leftmost 4 to 8 bytes.
func RetailMAC(key, data []byte, pad Padding) ([]byte, error) {
	if err := TDES.checkKey("MAC", key); err != nil {
		return nil, err
	}
	if err := pad.check(); err != nil {
		return nil, err
	}
	kl, _ := des.NewCipher(key[:8]) // length checked above, cannot fail
	kr, _ := des.NewCipher(key[8:16])
	var h [des.BlockSize]byte
	cbcMAC(kl, h[:], data, pad)
	kr.Decrypt(h[:], h[:])
	kl.Encrypt(h[:], h[:])
	return h[:], nil
}

// cbcMAC runs CBC encryption with a zero IV over data padded with pad and
// leaves the last cipher block in h (len(h) == b.BlockSize()). The padded
// copy of the data is never built: the last block is assembled in place.
func cbcMAC(b cipher.Block, h, data []byte, pad Padding) {
	n := b.BlockSize()
	full := len(data) / n
	if pad == Pad1 && len(data)%n == 0 && len(data) > 0 {
		full--
	}
	for i := 0; i < full; i++ {
		xorInto(h, h, data[i*n:(i+1)*n])
		b.Encrypt(h, h)
	}
	rest := data[full*n:]
	var last [16]byte
	copy(last[:], rest)
	if pad == Pad2 {
		last[len(rest)] = 0x80
	}
	xorInto(h, h, last[:n])
	b.Encrypt(h, h)
}

// CMAC computes the CMAC of NIST SP 800-38B (ISO/IEC 9797-1 MAC algorithm 5)
// over msg with a 64- or 128-bit block cipher and returns the full-length tag
// (one block). It panics if b has another block size.
func CMAC(b cipher.Block, msg []byte) []byte {
	n := b.BlockSize()
	var rb byte
	switch n {
	case 8:
		rb = 0x1b
	case 16:
		rb = 0x87
	default:
		panic(fmt.Sprintf("cryptogram: CMAC needs a 64- or 128-bit block cipher, not %d bytes", n))
	}
	// One buffer for the subkeys, the chaining value and the last block:
	// they escape through the cipher.Block interface, so one allocation
	// instead of four.
	buf := make([]byte, 4*n)
	k1, k2, h, last := buf[:n], buf[n:2*n], buf[2*n:3*n], buf[3*n:]
	b.Encrypt(k1, k1)
	dbl(k1, k1, rb)
	dbl(k2, k1, rb)

	full := len(msg) / n
	complete := len(msg) > 0 && len(msg)%n == 0
	if complete {
		full--
	}
	for i := 0; i < full; i++ {
		xorInto(h, h, msg[i*n:(i+1)*n])
		b.Encrypt(h, h)
	}
	rest := msg[full*n:]
	copy(last, rest)
	if complete {
		xorInto(last, last, k1)
	} else {
		last[len(rest)] = 0x80
		xorInto(last, last, k2)
	}
	xorInto(h, h, last)
	b.Encrypt(h, h)
	clear(k1)
	clear(k2)
	clear(last)
	return h[:n:n]
}

// dbl is the doubling in GF(2^(8·len)) of SP 800-38B subkey generation:
// dst = src<<1, xored with rb when the top bit of src was set.
func dbl(dst, src []byte, rb byte) {
	carry := src[0] >> 7
	for i := 0; i < len(src)-1; i++ {
		dst[i] = src[i]<<1 | src[i+1]>>7
	}
	dst[len(src)-1] = src[len(src)-1] << 1
	dst[len(src)-1] ^= rb & -carry
}

// AESCMAC returns the 16-byte AES-CMAC (RFC 4493 for 128-bit keys, NIST SP
// 800-38B for all three key sizes) of msg.
func AESCMAC(key, msg []byte) ([]byte, error) {
	if err := AES.checkKey("CMAC", key); err != nil {
		return nil, err
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return CMAC(b, msg), nil
}

// CBCMAC computes ISO/IEC 9797-1 MAC algorithm 1 (plain CBC-MAC, zero IV)
// with the cipher of alg over data padded with pad, and returns the whole
// last block. The SM4 MAC of the domestic application is this with SM4 and
// padding method 2 (its script MAC is the leftmost 4 bytes).
func CBCMAC(alg Algorithm, key, data []byte, pad Padding) ([]byte, error) {
	b, err := alg.newCipher("MAC", key)
	if err != nil {
		return nil, err
	}
	if err := pad.check(); err != nil {
		return nil, err
	}
	h := make([]byte, b.BlockSize())
	cbcMAC(b, h, data, pad)
	return h, nil
}

// MAC computes the MAC that alg uses for application cryptograms and secure
// messaging, at full length:
//
//   - TDES: [RetailMAC] with pad, 8 bytes;
//   - AES: [CMAC], 16 bytes. pad is ignored: CMAC pads internally (EMV Book 2
//     Annex A1.2.2 uses ISO/IEC 9797-1 algorithm 5 as it stands);
//   - SM4: [CBCMAC] with pad, 16 bytes.
//
// Callers keep the leftmost bytes they need.
func MAC(alg Algorithm, key, data []byte, pad Padding) ([]byte, error) {
	switch alg {
	case TDES:
		return RetailMAC(key, data, pad)
	case AES:
		return AESCMAC(key, data)
	case SM4:
		return CBCMAC(SM4, key, data, pad)
	}
	return nil, fmt.Errorf("%w: %v", ErrAlgorithm, alg)
}
