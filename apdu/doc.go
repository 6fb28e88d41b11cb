// Package apdu holds ISO/IEC 7816-4 command and response APDUs, status
// words, and the Transport interface that joins a terminal to a card, with
// wrappers that compose: T=0 GET RESPONSE handling, an annotated tracer and
// a strict replayer of recorded traces.
//
// # Commands and responses
//
// [Command] is a command APDU of any of the four cases of ISO/IEC 7816-3
// §12.1.2, with short or extended length fields. [Command.Bytes] encodes
// it; [ParseCommand] decodes one strictly, telling its case from its
// length as §12.1.3 does, and gives back exactly the bytes it read. Ne 0
// means no Le field; Le '00' is Ne 256.
//
// Constructors build the commands of EMV 4.3 Book 1 §11 and Book 3 §6.5:
// [Select], [SelectPSE], [ReadRecord], [GetProcessingOptions],
// [GenerateAC], [InternalAuthenticate], [ExternalAuthenticate], [GetData],
// [GetChallenge], [Verify], [GetResponse]. [CommandName] names a command
// from its CLA and INS.
//
// [Response] is the data field and the [StatusWord]. A StatusWord is an
// error whose message says what it means ("6A82: file or application not
// found"), so a card's refusal can be returned and matched with
// errors.Is(err, apdu.StatusWord(0x6985)).
//
// # Transports
//
// A [Transport] carries one command APDU and brings back its response.
// The real ones are a PC/SC reader (package apdu/pcsc) and the simulated
// card (package cardsim). The wrappers here compose with them:
//
//   - [T0Transport] resolves 61xx with GET RESPONSE and 6Cxx by resending
//     with the right Le, in a bounded loop.
//   - [Tracer] writes an annotated record of every exchange: command
//     names, status meanings, TLV trees with tag names.
//   - [Recorder] keeps the exchanges; [WriteTrace] saves them.
//   - [Replayer] plays a card from a recorded trace and fails on the first
//     mismatch, on a command past the end, and (from [Replayer.Done]) on
//     exchanges left over.
//
// For example, a kernel talking to a T=0 reader, with a trace on stderr:
//
//	card := apdu.T0(apdu.NewTracer(reader, os.Stderr, apdu.TraceOptions{}))
//
// Every wrapper checks its context before it sends a command and returns
// ctx.Err(), wrapped, if the context is done; when the next transport
// fails while the context is done, the error wraps both.
//
// # Secrets in traces
//
// Unless Reveal is set in [TraceOptions], a Tracer never writes a secret:
// values of sensitive data elements (PAN, track 1 and track 2 data,
// cardholder name, PIN data; emv.Element.Sensitive and a fixed list) are
// masked in the tree and in the hex lines, PANs keep their first 6 and
// last 4 digits, the data fields of VERIFY, PIN CHANGE/UNBLOCK, RESET
// RETRY COUNTER, PUT KEY, STORE DATA, and PUT DATA of anything but a
// known non-sensitive data element (issuer scripts load keys that way) are
// masked whole, and response data that does not parse as TLV is masked from the
// first byte that does not parse. A [MismatchError] masks commands the
// same way. Recorded trace files, by contrast, hold the exact bytes.
//
// # Recorded trace files
//
// A trace file is text. Each exchange is two lines: the command APDU in
// hex, then the response APDU in hex (data and SW1 SW2). Hex digits may be
// of either case and separated by spaces or tabs. Blank lines and lines
// whose first non-blank character is '#' are ignored. A command has at
// least its 4-byte header and a response its two status bytes; a command
// without a response at the end of the file is an error. [ParseTrace]
// reads the format, reporting errors with their line number
// ([TraceError]); [WriteTrace] writes it with a comment naming each
// exchange:
//
//	# 1 SELECT (00 A4 04 00) -> 9000: normal processing
//	00A4040007A000000004101000
//	6F528407A0000000041010…9000
//
// Examples are in the module's testdata/traces directory.
package apdu
