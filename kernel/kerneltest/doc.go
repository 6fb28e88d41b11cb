// Package kerneltest is yixin's certification harness: test cases as data,
// in the style of EMV Level 2 contact test cases, run against the terminal
// kernel with a simulated card, an issuer host and a cardholder.
//
// # Cases
//
// A Case (JSON; the schema with examples is in the repository's
// testdata/cases/README.md) names the requirement it checks (Book and
// section, or the published attack), starts from a card profile of
// package cardsim with overrides (profile fields before personalisation,
// records after it, counters, misbehaviour rules of package
// cardsim/attack), changes the terminal configuration, fixes the
// transaction (amount, currency, country, type, date, time, unpredictable
// number), says what the cardholder and the issuer do, and lists the
// expectations: result, selected AID, TVR and TSI bits set and clear by
// name, CVM Results, the CID of each GENERATE AC, commands that must
// appear in order or not at all, the DE 55 contents, the reversal.
//
// # Running
//
// Load reads case files and directories; a Runner runs cases in parallel
// (bounded by GOMAXPROCS), each deterministically: personalisation from
// the case's seed, the clock from its date and time, the random source
// from its unpredictable number. Each Result lists every difference
// between what was expected and what happened, and keeps the annotated
// APDU trace (PAN, track 2 and PIN data masked). From a test:
//
//	func TestCases(t *testing.T) { kerneltest.Run(t, "../../testdata/cases") }
//
// WriteJUnit, WriteHTML and WriteJSON write reports; `yixin certify` is
// the command-line front end.
package kerneltest
