package cryptogram

import (
	"crypto/cipher"
	"crypto/subtle"
	"fmt"
)

// ScriptCommand is an issuer script command (PIN CHANGE/UNBLOCK, APPLICATION
// BLOCK, PUT DATA …) before secure messaging is applied. Data is the command
// data as sent, already enciphered when confidentiality applies.
type ScriptCommand struct {
	CLA, INS, P1, P2 byte
	Data             []byte
}

// secureMessagingCLA is the CLA bit (b3) that marks secure messaging format
// 2 (EMV Book 2 §9.2.1.2: CLA '84' for a proprietary class '80').
const secureMessagingCLA = 0x04

// MACInput returns the bytes the command MAC covers under EMV Book 2 §9.2.3,
// format 2: the header CLA|04, INS, P1, P2, Lc — where Lc counts the command
// data and the macLen-byte MAC — then txn, then the command data. txn is the
// transaction data some schemes insert between header and data without
// sending it (typically ATC ‖ application cryptogram: Visa VIS, PBOC); pass
// nil when the scheme uses none (Mastercard, Interac). macLen is 4 to 8.
func (c ScriptCommand) MACInput(txn []byte, macLen int) ([]byte, error) {
	if macLen < 4 || macLen > 8 {
		return nil, fmt.Errorf("%w: MAC length %d, want 4 to 8", ErrLength, macLen)
	}
	lc := len(c.Data) + macLen
	if lc > 255 {
		return nil, fmt.Errorf("%w: command data of %d bytes and a %d-byte MAC exceed a short Lc", ErrLength, len(c.Data), macLen)
	}
	in := make([]byte, 0, 5+len(txn)+len(c.Data))
	in = append(in, c.CLA|secureMessagingCLA, c.INS, c.P1, c.P2, byte(lc))
	in = append(in, txn...)
	return append(in, c.Data...), nil
}

// ScriptMAC returns the leftmost macLen bytes (4 to 8) of the
// secure-messaging MAC of alg (padding method 2) over input, normally the
// result of [ScriptCommand.MACInput]. sk is the secure-messaging integrity
// session key.
func ScriptMAC(alg Algorithm, sk, input []byte, macLen int) ([]byte, error) {
	if macLen < 4 || macLen > 8 {
		return nil, fmt.Errorf("%w: MAC length %d, want 4 to 8", ErrLength, macLen)
	}
	m, err := MAC(alg, sk, input, Pad2)
	if err != nil {
		return nil, err
	}
	return m[:macLen], nil
}

// SecureScriptCommand builds the command APDU of c with secure messaging
// format 2: CLA|04 INS P1 P2 Lc Data MAC (Book 2 §9.2.1.2).
func SecureScriptCommand(alg Algorithm, sk []byte, c ScriptCommand, txn []byte, macLen int) ([]byte, error) {
	in, err := c.MACInput(txn, macLen)
	if err != nil {
		return nil, err
	}
	mac, err := ScriptMAC(alg, sk, in, macLen)
	if err != nil {
		return nil, err
	}
	apdu := make([]byte, 0, 5+len(c.Data)+macLen)
	apdu = append(apdu, in[:5]...)
	apdu = append(apdu, c.Data...)
	return append(apdu, mac...), nil
}

// VerifyScriptCommand is the card's side of [SecureScriptCommand]: it splits
// a case-3 APDU (CLA INS P1 P2 Lc data) into the command and its trailing
// macLen-byte MAC, checks that CLA carries the secure-messaging bit, and
// compares the MAC in constant time. A wrong MAC wraps [ErrMACMismatch].
// The returned command's CLA has the secure-messaging bit cleared and its
// Data aliases apdu.
func VerifyScriptCommand(alg Algorithm, sk, apdu, txn []byte, macLen int) (ScriptCommand, error) {
	var c ScriptCommand
	if macLen < 4 || macLen > 8 {
		return c, fmt.Errorf("%w: MAC length %d, want 4 to 8", ErrLength, macLen)
	}
	if len(apdu) < 5 {
		return c, fmt.Errorf("%w: command of %d bytes has no header and Lc", ErrLength, len(apdu))
	}
	lc := int(apdu[4])
	if len(apdu) != 5+lc {
		return c, fmt.Errorf("%w: Lc is %d but %d data bytes follow", ErrLength, lc, len(apdu)-5)
	}
	if lc < macLen {
		return c, fmt.Errorf("%w: Lc %d is shorter than the %d-byte MAC", ErrLength, lc, macLen)
	}
	if apdu[0]&secureMessagingCLA == 0 {
		return c, fmt.Errorf("%w: CLA %02X does not indicate secure messaging", ErrMACMismatch, apdu[0])
	}
	c = ScriptCommand{CLA: apdu[0] &^ secureMessagingCLA, INS: apdu[1], P1: apdu[2], P2: apdu[3], Data: apdu[5 : 5+lc-macLen]}
	in, err := c.MACInput(txn, macLen)
	if err != nil {
		return c, err
	}
	want, err := ScriptMAC(alg, sk, in, macLen)
	if err != nil {
		return c, err
	}
	if subtle.ConstantTimeCompare(want, apdu[5+lc-macLen:]) != 1 {
		return c, fmt.Errorf("%w: script command %02X %02X", ErrMACMismatch, apdu[0], apdu[1])
	}
	return c, nil
}

// Encipherment is a way of enciphering issuer script command data (EMV Book 2
// §9.3 and Annex A1.1).
type Encipherment int

// The encipherment variants in use.
const (
	// ECBWithLength prefixes the data with its length byte, pads with
	// ISO/IEC 9797-1 method 2 and enciphers in ECB mode (Visa VIS; Book 2
	// Annex A1.1 ECB).
	ECBWithLength Encipherment = iota + 1
	// CBCPadded pads with method 2 (always) and enciphers in CBC mode with a
	// zero IV (EMV Common Core Definitions; Book 2 Annex A1.1 CBC).
	CBCPadded
	// CBCPadIfNeeded pads with method 2 only when the data does not already
	// fill whole blocks, then enciphers in CBC mode with a zero IV
	// (Mastercard M/Chip).
	CBCPadIfNeeded
)

// EncryptScriptData enciphers command data for issuer script confidentiality
// under the confidentiality session key sk.
func EncryptScriptData(alg Algorithm, sk, data []byte, mode Encipherment) ([]byte, error) {
	b, err := alg.newCipher("session", sk)
	if err != nil {
		return nil, err
	}
	n := b.BlockSize()
	var pt []byte
	switch mode {
	case ECBWithLength:
		if len(data) > 255 {
			return nil, fmt.Errorf("%w: %d bytes of data do not fit a length byte", ErrLength, len(data))
		}
		pt = pad2(append([]byte{byte(len(data))}, data...), n)
	case CBCPadded:
		pt = pad2(append([]byte(nil), data...), n)
	case CBCPadIfNeeded:
		pt = append([]byte(nil), data...)
		if len(pt) == 0 || len(pt)%n != 0 {
			pt = pad2(pt, n)
		}
	default:
		return nil, fmt.Errorf("%w: encipherment %d", ErrAlgorithm, int(mode))
	}
	if mode == ECBWithLength {
		for i := 0; i < len(pt); i += n {
			b.Encrypt(pt[i:i+n], pt[i:i+n])
		}
		return pt, nil
	}
	cipher.NewCBCEncrypter(b, make([]byte, n)).CryptBlocks(pt, pt)
	return pt, nil
}

// DecryptScriptData is the card's side of [EncryptScriptData]. For
// ECBWithLength it checks and removes the length byte and the padding, for
// CBCPadded the padding; both failures wrap [ErrPadding]. CBCPadIfNeeded
// cannot tell padding from data, so the whole plaintext is returned and the
// caller, who knows the expected length, trims it.
func DecryptScriptData(alg Algorithm, sk, ct []byte, mode Encipherment) ([]byte, error) {
	b, err := alg.newCipher("session", sk)
	if err != nil {
		return nil, err
	}
	n := b.BlockSize()
	if len(ct) == 0 || len(ct)%n != 0 {
		return nil, fmt.Errorf("%w: enciphered data is %d bytes, not a multiple of %d", ErrLength, len(ct), n)
	}
	pt := make([]byte, len(ct))
	switch mode {
	case ECBWithLength:
		for i := 0; i < len(ct); i += n {
			b.Decrypt(pt[i:i+n], ct[i:i+n])
		}
		l := int(pt[0])
		if 1+l >= len(pt) || !isPad2(pt[1+l:], n) {
			return nil, fmt.Errorf("%w: length byte %d does not match %d deciphered bytes", ErrPadding, l, len(pt))
		}
		return pt[1 : 1+l], nil
	case CBCPadded, CBCPadIfNeeded:
		cipher.NewCBCDecrypter(b, make([]byte, n)).CryptBlocks(pt, ct)
		if mode == CBCPadIfNeeded {
			return pt, nil
		}
		i := len(pt) - 1
		for i >= 0 && pt[i] == 0 {
			i--
		}
		if i < 0 || pt[i] != 0x80 || len(pt)-i > n {
			return nil, fmt.Errorf("%w: no padding method 2 in the last block", ErrPadding)
		}
		return pt[:i], nil
	}
	return nil, fmt.Errorf("%w: encipherment %d", ErrAlgorithm, int(mode))
}

// EncryptPINChange enciphers the 8-byte PIN block of a PIN CHANGE/UNBLOCK
// issuer script command (ISO 9564 format 2 for EMV CCD and Mastercard, the
// VIS PIN block for Visa) under the confidentiality session key, with the
// scheme's encipherment variant (Book 2 §9.3). The result is the command
// data to which the MAC is then applied.
func EncryptPINChange(alg Algorithm, sk, pinBlock []byte, mode Encipherment) ([]byte, error) {
	if err := checkLen("PIN block", pinBlock, 8); err != nil {
		return nil, err
	}
	return EncryptScriptData(alg, sk, pinBlock, mode)
}

// pad2 appends ISO/IEC 9797-1 padding method 2 for an n-byte block.
func pad2(b []byte, n int) []byte {
	b = append(b, 0x80)
	for len(b)%n != 0 {
		b = append(b, 0)
	}
	return b
}

// isPad2 reports whether p is exactly the method-2 padding that ends a block
// (80 then zeros, fewer than n+1 bytes).
func isPad2(p []byte, n int) bool {
	if len(p) == 0 || len(p) > n || p[0] != 0x80 {
		return false
	}
	for _, c := range p[1:] {
		if c != 0 {
			return false
		}
	}
	return true
}
