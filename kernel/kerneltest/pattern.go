package kerneltest

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/apdu"
)

// commandPattern is one entry of commands_in_order or commands_absent:
// a command name, optionally the start of its data and the status word
// it got ("SELECT 1PAY.SYS.DDF01 -> 6A82").
type commandPattern struct {
	text string
	name string
	data []byte
	sw   uint16
	hasW bool
}

// commandNames are the names apdu.CommandName gives, longest first so
// that "GET PROCESSING OPTIONS" is not read as "GET …" followed by data.
var commandNames = func() []string {
	seen := map[string]bool{}
	var names []string
	for _, cla := range []byte{0x00, 0x80, 0x84, 0x8C, 0x04, 0x0C} {
		for ins := range 256 {
			n := apdu.CommandName(cla, byte(ins))
			if n != "" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	// Longest first.
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && len(names[j]) > len(names[j-1]); j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}()

// parseCommandPattern reads "NAME [DATA] [-> SW]".
func parseCommandPattern(s string) (commandPattern, error) {
	p := commandPattern{text: s}
	body := s
	if i := strings.Index(s, "->"); i >= 0 {
		body = s[:i]
		w, err := hex.DecodeString(strings.TrimSpace(s[i+2:]))
		if err != nil || len(w) != 2 {
			return p, fmt.Errorf("command %q: want a status word of 4 hex digits after ->", s)
		}
		p.sw, p.hasW = uint16(w[0])<<8|uint16(w[1]), true
	}
	body = strings.TrimSpace(body)
	for _, n := range commandNames {
		if body == n || strings.HasPrefix(body, n+" ") {
			p.name = n
			p.data = dataOf(strings.TrimSpace(body[len(n):]))
			return p, nil
		}
	}
	return p, fmt.Errorf("command %q: unknown command name (want e.g. SELECT, READ RECORD, GENERATE AC)", s)
}

// dataOf reads the data part of a pattern: hex when it is hex, else the
// text's bytes (1PAY.SYS.DDF01).
func dataOf(s string) []byte {
	if s == "" {
		return nil
	}
	if b, err := hex.DecodeString(strings.ReplaceAll(s, " ", "")); err == nil {
		return b
	}
	return []byte(s)
}

// matches reports whether the exchange fits the pattern.
func (p commandPattern) matches(x Exchange) bool {
	if x.Name != p.name {
		return false
	}
	if p.data != nil && !bytes.HasPrefix(x.Data, p.data) {
		return false
	}
	if p.hasW && (x.Err != "" || x.SW != p.sw) {
		return false
	}
	return true
}
