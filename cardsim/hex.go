package cardsim

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// HexBytes is a byte string written in JSON as upper-case hex ("9F3704").
// On input, spaces between digits are allowed and either case is accepted,
// so that profiles can be written readably ("9F37 04").
type HexBytes []byte

// MarshalJSON writes the bytes as an upper-case hex string.
func (h HexBytes) MarshalJSON() ([]byte, error) {
	return json.Marshal(fmt.Sprintf("%X", []byte(h)))
}

// UnmarshalJSON reads a hex string.
func (h *HexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a hex string: %w", err)
	}
	v, err := parseHex(s)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// String returns the upper-case hex.
func (h HexBytes) String() string { return fmt.Sprintf("%X", []byte(h)) }

// parseHex reads hex digits, ignoring spaces.
func parseHex(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	v, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bad hex %q: %w", s, err)
	}
	return v, nil
}
