// Package kernel is yixin's terminal: a contact EMV transaction (EMV 4.3
// Books 1, 3 and 4, with Book 2's security through package emv/oda) with a
// configurable dual-application selection policy.
//
// # Use
//
//	cfg, _ := kernel.DefaultConfig("CN", "CNY")
//	tx, _ := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 1234})
//	out, err := tx.Run(ctx)
//
// card is any [apdu.Transport]: a PC/SC reader, the simulated card of
// package cardsim, a replayed trace. Run returns the [Outcome] — result,
// reason, selected application and why, TVR, TSI, CVM Results, cryptogram,
// the authorisation data record for ISO 8583 DE 55 — and, when the
// transaction was terminated, a [*TerminatedError] saying in which phase,
// with which status word and why. Failures that EMV records in the TVR (a
// failed ODA, an expired card, a wrong PIN) are not errors.
//
// # Phases
//
// A Transaction holds the state of one transaction; its phases run in the
// order of Book 3 §10, one file each: selection.go, initiate.go,
// records.go, oda.go, restrictions.go, cvm.go, risk.go, action.go,
// genac.go (with script.go), outcome.go. An integrator who must stop
// between phases — to show the selected application, to read the amount
// after the card is known — calls [Transaction.Select] and then
// [Transaction.Continue], or the phase methods one by one.
//
// A terminal that runs one transaction after another keeps one Transaction
// and calls [Transaction.Reset] for the next card: the data stores, the
// command buffer and the certificates of offline data authentication are
// then reused, and a transaction allocates little beyond its Outcome and
// the arithmetic of math/big (BenchmarkTransaction reports how much).
//
// # Application selection
//
// The candidate list is built as Book 1 §12 says: the PSE directory, then
// the list of AIDs when the PSE is absent, blocked or empty; exact and
// partial matching under each AID's selection indicator; blocked
// applications excluded; ordered by the Application Priority Indicator.
// [SelectionConfig] then chooses among the candidates: issuer priority
// (the default), domestic preference (the application whose country and
// currency equal the terminal's first, then international ones), or the
// cardholder's choice (an automatic proposal the cardholder may override,
// the EU co-badging rule). An application whose 87 b8 asks for the
// cardholder's confirmation is never selected without it. The Outcome
// records the rule, the reason in words and the other candidates.
//
// # Injected dependencies
//
// The unpredictable number and random selection read [Config].Rand
// (crypto/rand when nil); the date and time come from Config.Clock
// (time.Now); the PIN pad, the cardholder, the online host, the
// transaction log and the exception file are interfaces, nil meaning the
// terminal has none. A test that fixes Rand and Clock replays a
// transaction byte for byte.
//
// # Configuration
//
// [LoadConfig] reads a JSON configuration (examples in the repository's
// testdata/config) with the CA key file, revocation list and exception
// file it names; [DefaultConfig] is the built-in one.
package kernel
