// Package profiles holds the card profiles that ship with yixin, as JSON
// files embedded in the binary, so that "yixin card new --profile dual-cn"
// works wherever the binary is. They live here, in testdata/profiles, to
// be one copy for the tests and the tools; package cardsim parses them
// (cardsim.BuiltinProfile). The schema is described in README.md and in
// the documentation of package cardsim.
package profiles

import "embed"

// FS holds the profiles, one NAME.json file each.
//
//go:embed *.json
var FS embed.FS
