// Package pin builds and reads ISO 9564-1 PIN blocks and the enciphered PIN
// of EMV offline PIN verification.
//
// # PIN blocks
//
// [Format0], [Format1], [Format2] and [Format3] build the 8-byte PIN blocks
// of ISO 9564-1 §9.3; [Format4PINField], [Format4PANField], [EncipherFormat4]
// and [DecipherFormat4] the AES-based format 4 of §9.4. [Parse] reads any
// of them back (format 4 as a plaintext PIN field), checking the control
// field, the PIN length, every PIN digit and the filler, and says what is
// wrong without ever echoing a digit.
//
// Formats 1, 3 and 4 contain random fill. It is read from an injected
// io.Reader — crypto/rand when nil — so that tests fix it.
//
// # Offline enciphered PIN (EMV Book 2 §7)
//
// [EncipherOffline] is the terminal's side: the format 2 PIN block, the
// 8-byte ICC Unpredictable Number from GET CHALLENGE and random padding,
// under header 7F, enciphered with the raw RSA public operation of the ICC
// PIN encipherment public key (9F2D/9F2E/9F2F) or the ICC public key.
// [DecipherOffline] and [VerifyOffline] are the card's side, for the
// simulator.
//
// # Secrets
//
// A [Block] prints as "PIN block (masked, N bytes)" with every fmt verb
// (%v, %x, %#v, %s …), so a PIN block logged by accident shows nothing.
// Convert it to []byte deliberately to see its bytes.
package pin
