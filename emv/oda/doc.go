// Package oda implements EMV offline data authentication for both sides of
// the contact interface: the terminal's checks (EMV Book 2 §5 and §6) and
// the issuer's and card's signing (issuance), RSA for the international
// application and SM2/SM3 for the domestic (PBOC 3.0) one.
//
// # CA public keys
//
// A [Store] holds the certification authority public keys of one [Kind]
// (test or production, never mixed: the Mastercard test key 05 collides
// with production key 05). [ParseCAKeys] reads the capk.txt text format of
// emv-tools and Proxmark3, and [ParseCAKeysJSON] a JSON form; both check
// each key's SHA-1 checksum on load. A store also keeps the certificate
// revocation list (RID, CA index, issuer certificate serial number).
//
// # Verification
//
// [Verifier] runs the Book 2 procedures, one object at a time:
// [Verifier.IssuerKey] (CA key lookup, issuer certificate recovery, issuer
// identifier, expiry, revocation), [RecoverICCCertificate], [VerifySSAD]
// (SDA), [VerifyDDA], [VerifyCDA] and [VerifyFDDA]. [StaticData] assembles
// the static data to be authenticated from the AFL records and the AIP.
//
// Every failure is an [*Error] naming the object, wrapping one sentinel
// (ErrHashMismatch, ErrCertExpired, …) so that a kernel can set the right
// TVR bit with errors.Is. Nothing here decides what a failure means for the
// transaction: that is the kernel's business.
//
// # SM2
//
// The domestic application's certificates (formats 12, 13, 14, 15, see
// JR/T 0025.17) are not recovered but parsed and verified with SM2 over
// SM3, user ID "1234567812345678", through github.com/emmansun/gmsm. The
// same functions handle both algorithms: the key's [Algorithm] decides.
//
// # Issuance
//
// [GenerateCA], [IssueIssuerCertificate], [IssueICCCertificate],
// [SignStaticData], [SignDynamicData] and [SignCDA] produce the on-card data
// objects (90, 92, 9F32, 9F46, 9F47, 9F48, 93, 9F4B) for the simulated card,
// deterministically from an injected random source.
//
// # Card images
//
// [ParseImages] reads the card image JSON that `yixin oda verify` checks and
// `yixin card read` writes; [CheckImage] runs every check that applies to it
// and returns a [Report].
package oda
