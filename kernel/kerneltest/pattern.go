package kerneltest

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/apdu"
)

// commandPattern is one entry of commands_in_order or commands_absent:
// a command name, optionally P1 and P2, the start of its data and the
// status word it got ("SELECT 1PAY.SYS.DDF01 -> 6A82", "GENERATE AC
// P1=90", "READ RECORD P1=01 P2=14 -> 9000").
type commandPattern struct {
	text   string
	name   string
	p1, p2 int // -1: any
	data   []byte
	sw     uint16
	hasW   bool
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

// parseCommandPattern reads "NAME [P1=XX] [P2=XX] [DATA] [-> SW]".
func parseCommandPattern(s string) (commandPattern, error) {
	p := commandPattern{text: s, p1: -1, p2: -1}
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
			rest, err := p.header(strings.TrimSpace(body[len(n):]))
			if err != nil {
				return p, fmt.Errorf("command %q: %w", s, err)
			}
			p.data = dataOf(rest)
			if p.data != nil && !dataKept[n] {
				return p, fmt.Errorf("command %q: %s carries no data the harness keeps, so a data prefix could never match", s, n)
			}
			return p, nil
		}
	}
	return p, fmt.Errorf("command %q: unknown command name (want e.g. SELECT, READ RECORD, GENERATE AC)", s)
}

// header reads the P1=XX and P2=XX tokens at the start of s and returns
// the rest.
func (p *commandPattern) header(s string) (string, error) {
	for {
		var dst *int
		switch {
		case strings.HasPrefix(s, "P1="):
			dst = &p.p1
		case strings.HasPrefix(s, "P2="):
			dst = &p.p2
		default:
			return s, nil
		}
		b, err := hex.DecodeString(s[3:min(5, len(s))])
		if err != nil || len(b) != 1 || (len(s) > 5 && s[5] != ' ') {
			return "", fmt.Errorf("want P1=XX or P2=XX with two hex digits")
		}
		*dst = int(b[0])
		s = strings.TrimSpace(s[5:])
	}
}

// dataKept are the commands whose data an Exchange keeps (see
// insWithPublicData): a pattern may give a data prefix only for these.
var dataKept = map[string]bool{
	"SELECT": true, "GET PROCESSING OPTIONS": true, "INTERNAL AUTHENTICATE": true,
	"EXTERNAL AUTHENTICATE": true, "GENERATE AC": true,
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
	if x.Name != p.name || (p.p1 >= 0 && int(x.Header[2]) != p.p1) || (p.p2 >= 0 && int(x.Header[3]) != p.p2) {
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
