package issuer

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// Config is the host's configuration file: the accounts it knows.
//
//	{"accounts": [{
//	  "name": "international",
//	  "pan": "374245455400126", "psn": "01", "aid": "A000000025010402",
//	  "cdol1": "9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704 9F3501 9F3403",
//	  "crypto": {"scheme": "ccd", "algorithm": "tdes", "cvn": 5, "arpc_method": 2,
//	             "issuer_master_keys": {"ac": "…", "smi": "…", "smc": "…"}},
//	  "rules": {"max_amount": 500000, "decline": ["pin_try_limit_exceeded", "cvm_mismatch"]},
//	  "answers": [{"approve": true, "scripts": [{"commands": [{"kind": "pin-unblock"}]}]}]
//	}]}
type Config struct {
	Accounts []Account `json:"accounts"`
}

// Account is one card application the issuer knows: how to find it, how
// its cryptograms are made, and how to decide.
type Account struct {
	// Name names the account in responses; the masked PAN when empty.
	Name string `json:"name,omitempty"`
	// PAN and PSN (two digits; "" means 00, as Book 2 Annex A1.4 says)
	// identify the card; AID tells apart two applications under one PAN.
	PAN string `json:"pan"`
	PSN string `json:"psn,omitempty"`
	AID Hex    `json:"aid,omitempty"`
	// CDOL1 is the card's CDOL1 (8C), with which the host rebuilds the
	// CDOL1 data from the DE 55 objects when a request does not carry it.
	CDOL1 Hex `json:"cdol1"`
	// Crypto is how the card computes its cryptograms.
	Crypto Crypto `json:"crypto"`
	// ICCMasterKeys, when set, are the card's own keys, used instead of
	// deriving them from Crypto.IssuerMasterKeys.
	ICCMasterKeys *MasterKeys `json:"icc_master_keys,omitempty"`
	// Rules decide when no scripted answer is left; nil means
	// DefaultRules.
	Rules *Rules `json:"rules,omitempty"`
	// Answers are scripted answers, used one per authorisation whose
	// cryptogram verifies, in order, before the rules.
	Answers []Answer `json:"answers,omitempty"`
	// LastATC, when set, is the highest ATC the issuer has already seen
	// for this card (as its database would hold it): an authorisation
	// with an ATC not above it is declined as a replay. Nil means none.
	LastATC *int `json:"last_atc,omitempty"`
}

// Rules are the issuer's decision when no scripted answer is left.
type Rules struct {
	// MaxAmount declines (response code 61) an Amount, Authorised (9F02)
	// above it, in minor units; 0 means no limit.
	MaxAmount int64 `json:"max_amount,omitempty"`
	// Decline lists the CVR conditions that decline (see
	// ConditionNames).
	Decline []string `json:"decline,omitempty"`
	// AllowATCReplay accepts an ATC not above the highest one seen for
	// the account; by default such a request is declined as a replay.
	AllowATCReplay bool `json:"allow_atc_replay,omitempty"`
	// Scripts are sent with every approval.
	Scripts []Script `json:"scripts,omitempty"`
}

// DefaultRules declines when the card's PIN try limit is exceeded and when
// the terminal's CVM Results contradict the card's CVR (a wedge), and
// approves the rest.
func DefaultRules() Rules {
	return Rules{Decline: []string{"pin_try_limit_exceeded", "cvm_mismatch"}}
}

// Answer is one scripted decision, for tests and harness cases.
type Answer struct {
	// Approve approves; false declines.
	Approve bool `json:"approve"`
	// ARC is the Authorisation Response Code; nil means 00 when
	// approving, 05 when declining.
	ARC *ARC `json:"arc,omitempty"`
	// Status is the Card Status Update of an ARPC of method 2.
	Status Status `json:"status,omitzero"`
	// CSU, when set (4 bytes), is sent as the Card Status Update instead
	// of the one made from Approve and Status.
	CSU Hex `json:"csu,omitempty"`
	// Proprietary is the proprietary authentication data of method 2
	// (0 to 8 bytes).
	Proprietary Hex `json:"proprietary,omitempty"`
	// CorruptARPC flips a bit of the ARPC, so that issuer authentication
	// fails at the card; NoARPC leaves the Issuer Authentication Data out.
	CorruptARPC bool `json:"corrupt_arpc,omitempty"`
	NoARPC      bool `json:"no_arpc,omitempty"`
	// Scripts are the issuer scripts of the response.
	Scripts []Script `json:"scripts,omitempty"`
}

// Status is what a Card Status Update tells the card besides approval
// (EMV Book 3 Annex C, CCD; the layout cardsim reads): byte 1 b8
// proprietary authentication data included (set by the host), b4–b1 a PIN
// try counter; byte 2 b7 card block, b6 application block, b5 update the
// PIN try counter, b4 go online on the next transaction, b2–b1 the offline
// counters.
type Status struct {
	BlockCard        bool `json:"block_card,omitempty"`
	BlockApplication bool `json:"block_application,omitempty"`
	// PINTryCounter, when not nil, sets the card's PIN try counter.
	PINTryCounter *int `json:"pin_try_counter,omitempty"`
	GoOnlineNext  bool `json:"go_online_next,omitempty"`
	// Counters is "none", "max" (set to the upper limits), "reset" or
	// "add" (count this transaction); "" means "reset" when approving and
	// "none" when declining.
	Counters string `json:"counters,omitempty"`
}

var counterUpdates = map[string]byte{"none": 0, "max": 1, "reset": 2, "add": 3}

// csu builds the 4-byte Card Status Update.
func (s Status) csu(approve bool) ([]byte, error) {
	b := make([]byte, 4)
	if approve {
		b[1] |= 0x80
	}
	if s.BlockCard {
		b[1] |= 0x40
	}
	if s.BlockApplication {
		b[1] |= 0x20
	}
	if p := s.PINTryCounter; p != nil {
		if *p < 0 || *p > 15 {
			return nil, fmt.Errorf("%w: pin_try_counter %d (want 0 to 15)", ErrConfig, *p)
		}
		b[0] |= byte(*p)
		b[1] |= 0x10
	}
	if s.GoOnlineNext {
		b[1] |= 0x08
	}
	cu := s.Counters
	if cu == "" {
		cu = "none"
		if approve {
			cu = "reset"
		}
	}
	v, ok := counterUpdates[cu]
	if !ok {
		return nil, fmt.Errorf("%w: counters %q (want none, max, reset or add)", ErrConfig, s.Counters)
	}
	b[1] |= v
	return b, nil
}

// ARC is an Authorisation Response Code (8A): two characters of format an,
// such as "00" (approved) or "05" (do not honour). In JSON it is written
// as its two characters, or as four hex digits when it is not printable
// (the published ARPC vectors use 0000).
type ARC [2]byte

// MakeARC returns the ARC of two characters.
func MakeARC(s string) ARC {
	var a ARC
	copy(a[:], s)
	return a
}

// NewARC returns a pointer to the ARC of two characters, for Answer.
func NewARC(s string) *ARC {
	a := MakeARC(s)
	return &a
}

// String returns the two characters, or hex when they are not printable.
func (a ARC) String() string {
	t, _ := a.MarshalText()
	return string(t)
}

// MarshalText writes two characters or four hex digits.
func (a ARC) MarshalText() ([]byte, error) {
	if printable(a[0]) && printable(a[1]) {
		return a[:], nil
	}
	return []byte(fmt.Sprintf("%X", a[:])), nil
}

// UnmarshalText reads two characters or four hex digits.
func (a *ARC) UnmarshalText(b []byte) error {
	switch len(b) {
	case 2:
		copy(a[:], b)
		return nil
	case 4:
		if _, err := hex.Decode(a[:], b); err == nil {
			return nil
		}
	}
	return fmt.Errorf("ARC %q: want two characters or four hex digits", b)
}

func printable(b byte) bool { return b >= 0x20 && b < 0x7F }

// ParseConfig reads a Config from JSON, rejecting unknown fields, and
// validates every account.
func ParseConfig(r io.Reader) (*Config, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrConfig)
	}
	for i := range c.Accounts {
		if _, err := c.Accounts[i].compile(); err != nil {
			return nil, fmt.Errorf("account %d: %w", i, err)
		}
	}
	return &c, nil
}

// ParseConfigBytes is ParseConfig of a byte slice.
func ParseConfigBytes(b []byte) (*Config, error) { return ParseConfig(bytes.NewReader(b)) }

// compiled is an account checked and ready: its method, CDOL1, rules and
// ICC master keys.
type compiled struct {
	acct  Account
	m     *method
	cdol1 emv.DOL
	rules Rules
	keys  MasterKeys // ICC master keys
	name  string
}

// compile validates the account and derives its ICC master keys.
func (a *Account) compile() (*compiled, error) {
	c := &compiled{acct: *a, rules: DefaultRules(), name: a.Name}
	if c.name == "" {
		c.name = emv.MaskPAN(a.PAN)
	}
	fail := func(format string, args ...any) (*compiled, error) {
		return nil, fmt.Errorf("%w: account %s: %s", ErrConfig, c.name, fmt.Sprintf(format, args...))
	}
	if a.PSN != "" && (len(a.PSN) != 2 || strings.Trim(a.PSN, "0123456789") != "") {
		return fail("psn %q is not two digits", a.PSN)
	}
	var err error
	if c.m, err = a.Crypto.resolve(); err != nil {
		return fail("%v", err)
	}
	if c.cdol1, err = emv.ParseDOL(a.CDOL1); err != nil {
		return fail("cdol1: %v", err)
	}
	if a.Rules != nil {
		c.rules = *a.Rules
	}
	for _, n := range c.rules.Decline {
		if _, ok := findCondition(n); !ok {
			return fail("unknown CVR condition %q (known: %s)", n, conditionList())
		}
	}
	if err := c.deriveKeys(); err != nil {
		return fail("%v", err)
	}
	for i, ans := range a.Answers {
		if err := ans.validate(); err != nil {
			return fail("answer %d: %v", i, err)
		}
		if err := c.canBuild(ans.Scripts); err != nil {
			return nil, fmt.Errorf("account %s: answer %d: %w", c.name, i, err)
		}
	}
	for _, s := range c.rules.Scripts {
		if err := s.validate(); err != nil {
			return fail("rules: %v", err)
		}
	}
	if err := c.canBuild(c.rules.Scripts); err != nil {
		return nil, fmt.Errorf("account %s: rules: %w", c.name, err)
	}
	return c, nil
}

// canBuild checks that the account's scheme and keys can build scripts.
func (c *compiled) canBuild(scripts []Script) error {
	for _, s := range scripts {
		for _, cmd := range s.Commands {
			switch {
			case cmd.Kind == KindPINChange && !c.m.pinBlock:
				return fmt.Errorf("%w: PIN change under scheme %s (its VIS PIN block is not implemented)", ErrUnsupported, c.m.name)
			case cmd.Kind == KindPINChange && len(c.keys.SMC) == 0:
				return fmt.Errorf("%w: PIN change without an SMC master key", ErrConfig)
			case len(c.keys.SMI) == 0:
				return fmt.Errorf("%w: scripts without an SMI master key", ErrConfig)
			}
		}
	}
	return nil
}

// deriveKeys sets the ICC master keys: given, or derived from the issuer
// master keys.
func (c *compiled) deriveKeys() error {
	if k := c.acct.ICCMasterKeys; k != nil {
		c.keys = *k
		return nil
	}
	imk := c.acct.Crypto.IssuerMasterKeys
	if imk == nil {
		return fmt.Errorf("neither icc_master_keys nor crypto.issuer_master_keys")
	}
	for _, k := range []struct {
		dst *Key
		imk Key
	}{{&c.keys.AC, imk.AC}, {&c.keys.SMI, imk.SMI}, {&c.keys.SMC, imk.SMC}} {
		if len(k.imk) == 0 {
			continue // a card without script keys
		}
		mk, err := c.m.iccKey(k.imk, c.acct.PAN, c.acct.PSN)
		if err != nil {
			return err
		}
		*k.dst = mk
	}
	if len(c.keys.AC) == 0 {
		return fmt.Errorf("no AC master key")
	}
	return nil
}

func (a *Answer) validate() error {
	if a.CSU != nil && len(a.CSU) != 4 {
		return fmt.Errorf("csu is %d bytes, want 4", len(a.CSU))
	}
	if len(a.Proprietary) > 8 {
		return fmt.Errorf("proprietary is %d bytes, want at most 8", len(a.Proprietary))
	}
	if _, err := a.Status.csu(a.Approve); err != nil {
		return err
	}
	for _, s := range a.Scripts {
		if err := s.validate(); err != nil {
			return err
		}
	}
	return nil
}
