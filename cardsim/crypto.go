package cardsim

import (
	"fmt"

	"github.com/yixin-emv/yixin/emv/cryptogram"
)

// The two Issuer Application Data schemes.
const (
	schemeCCD  = "ccd"
	schemePBOC = "pboc"
)

func (c *CryptoProfile) algorithm() (cryptogram.Algorithm, error) {
	return cryptogram.ParseAlgorithm(c.Algorithm)
}

func (c *CryptoProfile) option() (cryptogram.Option, error) {
	switch c.Derivation {
	case "", "auto":
		return cryptogram.OptionAuto, nil
	case "a":
		return cryptogram.OptionA, nil
	case "b":
		return cryptogram.OptionB, nil
	}
	return 0, fmt.Errorf("%w: derivation %q (want auto, a or b)", ErrProfile, c.Derivation)
}

func (c *CryptoProfile) encipherment() (cryptogram.Encipherment, error) {
	switch c.ScriptEncipherment {
	case "cbc":
		return cryptogram.CBCPadded, nil
	case "ecb-length":
		return cryptogram.ECBWithLength, nil
	}
	return 0, fmt.Errorf("%w: script encipherment %q (want cbc or ecb-length)", ErrProfile, c.ScriptEncipherment)
}

// DeriveICCMasterKey derives one ICC master key from an issuer master key
// the way the application's profile says: Option A/B of EMV Book 2 Annex
// A1.4 for TDES and AES keys, the inferred SM4 transposition for SM4 (see
// cryptogram.DeriveICCMasterKeySM4). The issuer host uses the same
// function, so that both sides agree by construction.
func (c *CryptoProfile) DeriveICCMasterKey(imk []byte, pan, psn string) ([]byte, error) {
	alg, err := c.algorithm()
	if err != nil {
		return nil, err
	}
	opt, err := c.option()
	if err != nil {
		return nil, err
	}
	if alg == cryptogram.SM4 {
		return cryptogram.DeriveICCMasterKeySM4(imk, pan, psn, opt)
	}
	return cryptogram.DeriveICCMasterKey(imk, pan, psn, opt)
}

// ACSessionKey derives the application cryptogram session key for an ATC:
// the EMV common session key (Book 2 A1.3) for TDES and AES, the PBOC rule
// for SM4 (cryptogram.DeriveSessionKey).
func (c *CryptoProfile) ACSessionKey(mk []byte, atc uint16) ([]byte, error) {
	alg, err := c.algorithm()
	if err != nil {
		return nil, err
	}
	return cryptogram.DeriveSessionKey(alg, mk, []byte{byte(atc >> 8), byte(atc)})
}

// ScriptSessionKey derives a secure-messaging session key (integrity or
// confidentiality) from its master key. Our choice, per scheme:
//
//   - ccd: the common session key function with R = the application
//     cryptogram of the first GENERATE AC, zero-padded to a block (the
//     CCD rule of EMV Book 2 Annex A1.3.1, as emv/cryptogram documents);
//   - pboc: the same derivation as the AC session key, from the ATC (the
//     domestic SM4 script MAC vector of shared/refs/DOMESTIC.md uses the
//     ATC-derived key).
func (c *CryptoProfile) ScriptSessionKey(mk []byte, atc uint16, ac []byte) ([]byte, error) {
	alg, err := c.algorithm()
	if err != nil {
		return nil, err
	}
	if c.Scheme == schemePBOC {
		return cryptogram.DeriveSessionKey(alg, mk, []byte{byte(atc >> 8), byte(atc)})
	}
	r := make([]byte, alg.BlockSize())
	copy(r, ac)
	return cryptogram.DeriveCommonSessionKey(alg, mk, r)
}

// ScriptMACData returns the transaction data the script MAC covers
// between the command header and its data: ATC ‖ application cryptogram
// for pboc (PBOC/VIS), nothing for ccd, whose session key already depends
// on the cryptogram.
func (c *CryptoProfile) ScriptMACData(atc uint16, ac []byte) []byte {
	if c.Scheme != schemePBOC {
		return nil
	}
	return append([]byte{byte(atc >> 8), byte(atc)}, ac...)
}

// acPadding is the padding of the application cryptogram MAC: method 2
// (EMV Book 2 Annex A1.2) for both schemes.
const acPadding = cryptogram.Pad2
