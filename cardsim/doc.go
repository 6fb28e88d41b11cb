// Package cardsim is yixin's software card: a personalised EMV chip card,
// with one or more applications, that answers command APDUs as a real card
// does. A [Card] is an [apdu.Transport], so a terminal kernel, a tracer or
// the virtual PC/SC reader of package cardsim/vpcd drives it exactly as a
// card in a reader.
//
// # From profile to card
//
// A [Profile] is a card template, data not code: the JSON files under
// testdata/profiles (embedded, see [BuiltinProfiles]) are the profiles
// that ship — dual-cn (the default: a domestic PBOC/UICS-style application
// with SM2 and SM4 and an international American Express-style one with
// RSA CDA and TDES), dual-same-pan, and the single-application sda, dda
// and cda. [Personalise] turns a profile into a [CardFile]: it derives the
// ICC master keys, creates a test CA, issues the issuer and ICC
// certificates and signs the static data (all through emv/oda and
// emv/cryptogram, never a copy of their algorithms), and lays the records
// out. [New] builds the running card from a card file.
//
//	p, _ := cardsim.BuiltinProfile("dual-cn")
//	cf, caKeys, _ := cardsim.Personalise(p, rand.Reader)
//	card, _ := cardsim.New(cf, &cardsim.Options{Store: &cardsim.FileStore{Path: "card.json.state"}})
//	rsp, _ := card.Transmit(ctx, selectPSE)
//
// # Profile schema
//
// A profile is one JSON object (unknown members are an error):
//
//	name, description       the profile's name and what it is
//	atr                     optional Answer To Reset (hex)
//	pse                     {sfi, language, issuer_code_table}: the PSE 1PAY.SYS.DDF01;
//	                        its directory has one record per application
//	ppse                    true for a PPSE 2PAY.SYS.DDF01 listing the applications
//	applications            the applications, in card order
//
// Each application:
//
//	name                    short handle ("domestic")
//	aid, label, preferred_name, issuer_code_table
//	priority, confirmation_required   tag 87: b4–b1 and b8
//	language                5F2D, e.g. "zhen"
//	pan, psn                5A (Luhn-checked), 5F34
//	effective, expiry       5F25, 5F24 as YYMMDD
//	currency, currency_exponent, country   9F42, 9F44, 5F28 (ISO numeric)
//	cardholder_name, service_code, track2_discretionary   5F20, 5F30 and 57
//	aip, auc                82, 9F07 (hex)
//	iac                     {default, denial, online}: 9F0D, 9F0E, 9F0F
//	cvm_list                8E
//	pdol, cdol1, cdol2, ddol   9F38, 8C, 8D, 9F49
//	lcol, ucol              9F14, 9F23: consecutive offline limits
//	lcota, ucota            cumulative offline amount limits, minor units (0: none)
//	pin, pin_try_limit      reference PIN and PIN Try Limit (1–15)
//	atc                     ATC of a new card
//	response_format         1 (80) or 2 (77) for GPO, INTERNAL AUTHENTICATE, GENERATE AC
//	crypto                  {scheme, algorithm, cvn, dki, derivation, arpc_method,
//	                         script_mac_len, script_encipherment, issuer_master_keys}
//	oda                     {algorithm rsa|sm2, ca_index, ca_bits, ca_exponent, ca_expiry,
//	                         issuer_bits, issuer_exponent, issuer_expiry, issuer_serial,
//	                         icc_bits, icc_exponent, icc}
//	risk                    {decline, online, default, online_decline}: indicator names
//	records                 [{sfi, record, oda, tags}]: the records and what they carry
//	data                    {"TAG": "hex"}: further data objects
//	fci_issuer_data         tags of data for the FCI's BF0C
//	get_data                tags GET DATA answers (and PUT DATA may change) besides 9F36, 9F13, 9F17
//
// The AFL follows from the records: consecutive records of one SFI make an
// entry, and the records flagged oda come first in theirs. A record's
// values come from data, from the fields above (5A, 5F24, 57, 8C, 9F0D …)
// and, at personalisation, from the certificates (8F, 90, 92, 9F32, 93,
// 9F46, 9F47, 9F48). testdata/profiles/README.md describes the shipped
// profiles and the choices behind their values.
//
// # Card behaviour
//
// Commands are a table, INS → handler, one file per group: SELECT (PSE,
// PPSE, by full or partial AID, first and next occurrence), READ RECORD,
// GET PROCESSING OPTIONS (format 1 or 2, PDOL data checked, the ATC
// incremented), GET DATA (9F36, 9F13, 9F17 and the profile's list),
// INTERNAL AUTHENTICATE, GENERATE AC (first and second, CDA), VERIFY
// (plaintext and enciphered, PIN try counter, 63Cx, 6983), GET CHALLENGE,
// EXTERNAL AUTHENTICATE, and the issuer script commands APPLICATION
// BLOCK/UNBLOCK, CARD BLOCK, PIN CHANGE/UNBLOCK, PUT DATA and UPDATE
// RECORD with secure messaging. A command the card cannot accept gets the
// status word a card gives: 6700 wrong length, 6A86 wrong P1 P2, 6985
// conditions of use, 6982 security status (a script without secure
// messaging), 6988 a wrong MAC, 6A81 function not supported (and every
// SELECT of a blocked card), 6A82, 6A83, 6A88, 6D00, 6E00, 6283 for a
// blocked application, 6581 when the state cannot be saved.
//
// # Card risk management
//
// The card decides the cryptogram type from indicators, and the profile's
// risk lists say what each leads to: "decline" gives an AAC, "online" an
// ARQC when the terminal asked for a TC, "default" an AAC when the
// terminal could not go online (ARC Y3, Z3), "online_decline" an AAC after
// the issuer's answer. The indicators: pin_try_limit_exceeded,
// offline_pin_failed, offline_pin_not_performed, last_online_not_completed,
// issuer_auth_failed_last, script_failed_last, oda_failed_last,
// go_online_next, new_card, lower_offline_count_exceeded,
// upper_offline_count_exceeded, lower_offline_amount_exceeded,
// upper_offline_amount_exceeded, oda_failed, issuer_auth_failed,
// issuer_auth_not_performed.
//
// The result goes into the Issuer Application Data (9F10) so that an
// issuer can read it: for crypto.scheme "ccd" the format A of the EMV
// Common Core Definitions (Book 3 Annex C: CCI, DKI, a 5-byte CVR,
// counters), ARPC method 2 with a Card Status Update; for "pboc" the
// layout of PBOC 3.0 (shared with Visa VIS: DKI, CVN, a 3-byte CVR, the
// algorithm indicator), ARPC method 1 through EXTERNAL AUTHENTICATE.
// [CryptoProfile.ACInput] is the cryptogram's input for both, for the
// issuer host to share.
//
// # State that survives
//
// ATC, PIN try counter, offline counters, blocked flags and what scripts
// changed live in a [State] kept by a [Store]. [FileStore] writes it so
// that a crash cannot corrupt it: a temporary file in the same directory,
// fsync, rename over the old file, fsync of the directory. The card saves
// before it answers: the ATC is incremented and saved by GET PROCESSING
// OPTIONS, before any GENERATE AC can use it, and the PIN try counter is
// decremented and saved before the PIN is compared. [MemoryStore] serves
// tests.
//
// # For the issuer host and misbehaving cards
//
// The card file keeps the issuer master keys, so that an issuer host
// derives the card's keys as a real issuer does. A misbehaving card wraps
// a Card's Transmit (an apdu.Transport) or builds a card from a changed
// CardFile; the card itself has no hidden switches.
package cardsim
