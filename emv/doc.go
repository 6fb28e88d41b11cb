// Package emv is yixin's EMV data layer: tags and the data dictionary,
// a strict TLV scanner, data object lists (DOL), typed bit fields (TVR,
// TSI, AIP, CVM Results, terminal capabilities …) and the formats of
// amounts, dates, PANs and Track 2.
//
// # TLV
//
// [Scanner] reads BER-TLV objects from card data in the style of
// golang.org/x/crypto/cryptobyte: every read returns a bool, advances only
// on success, never allocates and never reads past its input. [Decode]
// builds a tree and reports malformed input as a [*SyntaxError] that says
// what is wrong and at which byte. Lengths are at most four bytes, the
// indefinite length 80 is refused, 00 and FF padding between objects is
// skipped (EMV Book 3 Annex B) and nesting is bounded by [MaxDepth].
//
// [DecodeBerTLV], [ToBerTLV] and [FromBerTLV] convert to and from
// github.com/moov-io/bertlv's tree for interop; bertlv's own decoder is
// never handed unchecked bytes.
//
// # Data dictionary
//
// Every data element of EMV Book 3 Annex A, and the scheme and
// contactless ones met in practice, is described as data: name, format,
// length range, source and template. See [Lookup].
//
// # Data object lists
//
// [ParseDOL] reads a PDOL, CDOL1, CDOL2, DDOL or TDOL; [DOL.Build] fills it
// from the terminal's and card's data exactly as EMV Book 3 §5.4 says.
package emv
