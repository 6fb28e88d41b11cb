// Package cryptogram holds the symmetric cryptography of an EMV application,
// shared by the terminal kernel, the simulated card and the issuer host so
// that one definition serves all three.
//
// # Keys
//
// [DeriveICCMasterKey] derives a card's master key from an issuer master key
// with EMV Book 2 Annex A1.4 Option A or Option B (PANs longer than 16
// digits); [DeriveSessionKey] derives the application cryptogram session key
// with the common session key derivation of Book 2 Annex A1.3 for TDES and
// AES, and with the PBOC rule for SM4. [DeriveSessionKeyMastercard] is the
// Mastercard proprietary SKD (R = ATC‖00‖00‖UN) and [DeriveSessionKeyVisaSM]
// the Visa secure-messaging key. [DeriveCommonSessionKey] exposes the Annex
// A1.3 function itself for any diversification value R, such as the ARQC
// used for secure-messaging keys.
//
// TDES keys are double length (16 bytes). Their parity bits are ignored on
// input, as DES ignores them, and every derived TDES key is returned with odd
// parity.
//
// # MACs and cryptograms
//
// [RetailMAC] is ISO/IEC 9797-1 MAC algorithm 3 (single-DES CBC, last block
// two-key TDES) with padding method 1 or 2; [CMAC] is NIST SP 800-38B
// (ISO/IEC 9797-1 algorithm 5) over any 64- or 128-bit block cipher, and
// [AESCMAC] its AES form. [MAC] picks the MAC an [Algorithm] uses: retail MAC
// for TDES, CMAC for AES (Book 2 Annex A1.2.2) and SM4 CBC-MAC for SM4.
//
// [GenerateAC] and [VerifyAC] compute and check the 8-byte application
// cryptogram (ARQC, TC, AAC); [ARPCMethod1] and [ARPCMethod2] the issuer's
// response cryptogram (Book 2 §8.2), with [VerifyARPCMethod1] and
// [VerifyARPCMethod2] for the card. Every verification compares in constant
// time and fails with [ErrCryptogramMismatch] or [ErrMACMismatch].
//
// # Issuer script secure messaging
//
// [ScriptCommand.MACInput], [ScriptMAC], [SecureScriptCommand] and
// [VerifyScriptCommand] implement the command MAC of Book 2 §9.2 (format 2:
// CLA with the secure-messaging bit, Lc counting the MAC, optionally ATC and
// application cryptogram between header and data). [EncryptScriptData],
// [DecryptScriptData] and [EncryptPINChange] implement the confidentiality of
// §9.3 in the ECB (length-prefixed) and CBC variants.
//
// # The domestic application (SM4)
//
// Public sources for PBOC 3.0 / JR/T 0025 SM4 cryptography are thin. The SM4
// session key and the SM4 CBC-MAC are checked against a published vector
// (see the tests). The SM4 card key derivation ([DeriveICCMasterKeySM4]), the
// 8-byte SM4 application cryptogram and the SM4 ARPC are inferences from the
// TDES rules and are marked as such where they are defined.
package cryptogram
