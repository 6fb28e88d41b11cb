// Package apdu holds ISO/IEC 7816-4 command and response APDUs, status
// words, and the Transport interface that joins a terminal to a card, with
// wrappers that compose: T=0 GET RESPONSE handling, an annotated tracer and
// a strict replayer of recorded traces.
package apdu
