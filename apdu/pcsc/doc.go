// Package pcsc is the transport to real smart card readers through PC/SC
// (pcscd and libpcsclite on Linux), over github.com/ebfe/scard. A [Card]
// is an apdu.Transport, so the kernel and every tool of yixin drive a card
// in a reader exactly as they drive the simulated one.
//
// # Building
//
// This is yixin's only cgo package, and it is behind the pcsc build tag:
//
//	apt-get install libpcsclite-dev pcscd   # Debian/Ubuntu; scripts/pcsc-up.sh does it
//	go build -tags pcsc ./...
//
// Without the tag the package still builds, with the same API, and every
// call fails with [ErrNotBuilt], which says how to rebuild. A binary built
// with the tag needs libpcsclite1 at run time and pcscd to talk to.
//
// # Use
//
//	if err := pcsc.WaitForCard(ctx, ""); err != nil { … }  // any reader
//	card, err := pcsc.Open(ctx, "", pcsc.Options{})        // first reader with a card, T=0 or T=1
//	if err != nil { … }
//	defer card.Close()
//	rsp, err := card.Transmit(ctx, selectPPSE)
//
// Transmit passes APDUs through unchanged: with T=0 a case 4 command is
// answered 61xx, which the T=0 wrapper of package apdu turns into GET
// RESPONSE.
//
// # Errors
//
// PC/SC failures come back as an [*Error] that says what to do ("pcscd is
// not running: start it…", "card was removed: insert it and retry…") and
// wraps both a sentinel for the kind of failure — [ErrNoService],
// [ErrNoReader], [ErrNoCard], [ErrCardRemoved], [ErrCardReset],
// [ErrReaderBusy], [ErrCardMute], [ErrProtocolMismatch] — and the original
// scard.Error, so errors.Is works with either. After ErrCardRemoved or
// ErrCardReset, [Card.Reconnect] (after [WaitForCard] when the card has to
// be inserted again) continues with the same Card.
//
// # Contexts
//
// A PC/SC call cannot be interrupted, except a wait: every function checks
// its context before and after each call into PC/SC, and [WaitForCard]
// waits in slices of at most half a second and cancels the wait at once
// when the context is done.
//
// # Testing without a card
//
// Package cardsim/vpcd puts the simulated card behind pcscd as the card in
// the reader "Virtual PCD 00 00" of vsmartcard-vpcd. The tests of this
// package with -tags pcsc do that against the real pcscd (see
// scripts/pcsc-up.sh); with YIXIN_REQUIRE_PCSC=1 a missing pcscd or reader
// fails them instead of skipping them.
package pcsc
