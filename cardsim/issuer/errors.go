package issuer

import "errors"

// Errors returned by this package wrap one of these (test with errors.Is).
// A transaction the issuer declines is not an error: it is a Response
// with Approved false and a Reason.
var (
	// ErrConfig reports a configuration that cannot be used: unknown
	// scheme or algorithm, keys of the wrong length, a missing field.
	ErrConfig = errors.New("issuer: invalid configuration")

	// ErrUnsupported reports a script command the account's scheme cannot
	// build (for example a PIN change under a Visa scheme, whose VIS PIN
	// block is not implemented).
	ErrUnsupported = errors.New("issuer: not supported")
)
