// Package issuer is an issuer host for simulated and test cards: it checks
// the ARQC of an authorisation request, decides, and answers with an
// Authorisation Response Code, an ARPC and, when asked, issuer scripts
// with secure messaging.
//
// # Accounts
//
// The host knows cards as Accounts (Config is their JSON file): the PAN,
// PSN and AID that find the card, its CDOL1, and its Crypto — a Scheme
// and an algorithm (TDES, AES, SM4), the issuer master keys the ICC master
// keys are derived from (EMV Book 2 Annex A1.4 Option A/B, or the SM4
// transposition; emv/cryptogram), the ARPC method, the script MAC length
// and encipherment. The fields of Crypto are those of a cardsim profile's
// "crypto" object, so a card file's section serves as it is.
//
// # Cryptograms
//
// The cryptogram input is the CDOL1 data (rebuilt from DE 55 with the
// account's CDOL1, or given as Request.CDOL1Data), then the AIP, the ATC
// and the Issuer Application Data: all of it for SchemeCCD and Visa CVN
// 18, the CVR with its length byte (9F10 bytes 4–7) for SchemePBOC and
// Visa CVN 10. This is the layout package cardsim computes (its
// CryptoProfile.ACInput) and the one of pyemv's Visa CVN classes. The
// session key is the common session key of the ATC (Book 2 Annex A1.3;
// for SM4 the PBOC rule), or the ICC master key itself for Visa CVN 10.
// The ARPC is computed under the same key: method 1 gives 91 = ARPC ‖ ARC,
// method 2 91 = ARPC ‖ CSU ‖ proprietary data (Book 2 §8.2).
//
// # Decisions
//
// A request whose DE 55 is malformed, whose card is unknown, whose
// cryptogram does not verify, whose cryptogram version differs from the
// account's, or whose ATC is not above the last one seen (a replayed or
// pre-played cryptogram) is declined with the matching Reason. Otherwise
// the account's scripted Answers decide, one per authorisation, then its
// Rules: an amount limit and CVR conditions (see ConditionNames), among
// them "cvm_mismatch", which catches the wedge of Murdoch et al. ("Chip
// and PIN is Broken", IEEE S&P 2010) by comparing the terminal's CVM
// Results with the card's CVR.
//
// # Scripts
//
// A Script (template 71 or 72) lists Commands by kind: application block
// and unblock, card block, PIN unblock and change, PUT DATA, UPDATE RECORD.
// The host builds each command APDU with the command MAC of Book 2 §9.2
// under the integrity session key, and enciphers a new PIN (an ISO 9564
// format 2 PIN block) under the confidentiality session key (§9.3), with
// the scheme's key derivation and MAC data: the session keys of the
// application cryptogram for ccd, of the ATC with ATC ‖ AC in the MAC for
// pboc, the Visa secure-messaging keys for the Visa schemes.
//
// # Secrets
//
// Keys (Key) and PINs (PIN) never print through the fmt package; the
// Detail of a response names the card by its masked PAN.
package issuer
