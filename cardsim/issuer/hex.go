package issuer

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Hex is a byte string written in JSON as hex. On input either case is
// accepted and spaces between digits are ignored ("9F02 06 9F03 06").
type Hex []byte

// MarshalText writes upper-case hex.
func (h Hex) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%X", []byte(h))), nil }

// UnmarshalText reads hex digits.
func (h *Hex) UnmarshalText(b []byte) error {
	s := strings.Join(strings.Fields(string(b)), "")
	v, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("bad hex %q: %w", s, err)
	}
	*h = v
	return nil
}

// String returns the upper-case hex.
func (h Hex) String() string { return fmt.Sprintf("%X", []byte(h)) }

// Key is secret key material: written in JSON as hex like Hex, but never
// printed by the fmt package, whatever the verb ("key (16 bytes)").
type Key []byte

// MarshalText writes upper-case hex (configuration files hold keys).
func (k Key) MarshalText() ([]byte, error) { return Hex(k).MarshalText() }

// UnmarshalText reads hex digits.
func (k *Key) UnmarshalText(b []byte) error { return (*Hex)(k).UnmarshalText(b) }

// Format prints the key's length only.
func (k Key) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "key (%d bytes)", len(k)) }
