// Package vpcd puts a card — any [apdu.Transport], usually the simulated
// card of package cardsim — into a virtual PC/SC reader, so that every
// PC/SC program on the machine (pcsc_scan, opensc-tool, yixin's own
// apdu/pcsc, a vendor's personalisation tool) sees it as a card in a reader.
//
// It is pure Go: no cgo, no build tag. The reader side is Debian's
// vsmartcard-vpcd driver loaded by pcscd; scripts/pcsc-up.sh installs and
// starts both.
//
// # How the pieces connect
//
//	PC/SC program ──libpcsclite──▶ pcscd ──▶ vpcd driver ◀──TCP── vpcd.Server ──▶ Card
//
// vpcd listens on TCP port 35963 for the card of reader "Virtual PCD 00 00"
// (35964 for "Virtual PCD 00 01"); the card side dials it. A connection is
// an inserted card, a closed connection a removed one; pcscd notices either
// within about 400 ms. [Server.Serve] keeps dialling until vpcd listens and
// dials again after a removal, leaving the card out for a second first: a
// card that disappears and comes back between two of pcscd's polls leaves
// pcscd confused until the next real removal.
//
// # Wire protocol
//
// Every message, both ways, is a 2-byte big-endian length followed by that
// many bytes of payload. A 1-byte payload from vpcd is a control byte:
//
//	00  power off   no reply
//	01  power on    no reply
//	02  reset       no reply
//	04  get ATR     reply: the ATR
//
// Any longer payload is a command APDU, passed through unchanged; the reply
// is the response APDU (data, SW1, SW2). A zero-length frame or an unknown
// control byte is a protocol violation: the server drops the connection.
// A card whose response cannot be framed (fewer than 2 or more than 65 535
// bytes) is answered for with 6F00; a card whose Transmit returns an error
// is treated as mute, and the connection is dropped (pcscd reports the card
// as removed), which is how a misbehaving card can simulate a removal.
//
// # The 44 ms trap
//
// vpcd 3.3 writes the length prefix and the payload with two send() calls,
// Nagle's algorithm on. Unless the card side acknowledges at once, each
// APDU waits for the peer's delayed ACK, about 44 ms. The server therefore
// sets TCP_QUICKACK after every read on Linux (the kernel clears it again)
// and writes each reply, header and payload, in a single Write. With both,
// a round trip through pcscd takes well under a millisecond.
//
// # Power and reset
//
// A card that implements [Resetter] has Reset called on power off, power
// on and reset, so it can forget its volatile state (selected application,
// transaction in progress) as a real chip would.
//
// The recipe, measurements and error texts are in the project's
// shared/design/PCSC.md; the protocol is that of the vsmartcard project's
// virtualsmartcard/src/vpcd/vpcd.c.
package vpcd
