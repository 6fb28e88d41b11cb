package issuer

import (
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/pin"
)

// Script is one issuer script: template 71 (processed before the second
// GENERATE AC) or 72 (after it), an optional Issuer Script Identifier
// (9F18) and commands (86), each sent with secure messaging (EMV Book 3
// §10.10, Book 2 §9).
type Script struct {
	// BeforeSecondAC puts the script in template 71; otherwise 72.
	BeforeSecondAC bool `json:"before_second_ac,omitempty"`
	// ID is the Issuer Script Identifier (9F18), 4 bytes, or empty.
	ID Hex `json:"id,omitempty"`
	// Commands are the script's commands, in order.
	Commands []Command `json:"commands"`
}

// Command is one issuer script command, described by what it does; the
// host builds its APDU and MAC.
type Command struct {
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Tag is the data object of PUT DATA ("9F4F"); Value its new value,
	// or the new record of UPDATE RECORD.
	Tag   string `json:"tag,omitempty"`
	Value Hex    `json:"value,omitempty"`
	// SFI and Record name the record of UPDATE RECORD.
	SFI    int `json:"sfi,omitempty"`
	Record int `json:"record,omitempty"`
	// PIN is the new PIN of a PIN change.
	PIN PIN `json:"pin,omitempty"`
}

// The kinds of script command (EMV Book 3 §6.5.1–§6.5.3, §6.5.10; PUT DATA
// and UPDATE RECORD of ISO/IEC 7816-4 as issuer scripts use them).
const (
	KindApplicationBlock   = "application-block"   // 84 1E 00 00
	KindApplicationUnblock = "application-unblock" // 84 18 00 00
	KindCardBlock          = "card-block"          // 84 16 00 00
	KindPINUnblock         = "pin-unblock"         // 84 24 00 00: reset the PIN try counter
	KindPINChange          = "pin-change"          // 84 24 00 02: new PIN, without the current one
	KindPutData            = "put-data"            // 04 DA tag: new value of a data object
	KindUpdateRecord       = "update-record"       // 04 DC rec SFI<<3|4: new record
)

// PIN change P2 values (EMV Book 3 §6.5.10.2; pyemv pyemv/cvn.py builds
// 84 24 00 02 for a change without the current PIN).
const (
	p2PINUnblock        = 0x00
	p2PINChangeNoOldPIN = 0x02
)

// PIN is a PIN to be sent in a script. It is never printed by the fmt
// package, whatever the verb.
type PIN string

// Format prints a placeholder.
func (p PIN) Format(f fmt.State, _ rune) { fmt.Fprint(f, "PIN (masked)") }

// header is a command's plain header: CLA (without the secure-messaging
// bit), INS, P1, P2.
func (c *Command) header() (cla, ins, p1, p2 byte, err error) {
	switch c.Kind {
	case KindApplicationBlock:
		return 0x80, apdu.INSApplicationBlock, 0, 0, nil
	case KindApplicationUnblock:
		return 0x80, apdu.INSApplicationUnblock, 0, 0, nil
	case KindCardBlock:
		return 0x80, apdu.INSCardBlock, 0, 0, nil
	case KindPINUnblock:
		return 0x80, apdu.INSPINChangeUnblock, 0, p2PINUnblock, nil
	case KindPINChange:
		return 0x80, apdu.INSPINChangeUnblock, 0, p2PINChangeNoOldPIN, nil
	case KindPutData:
		t, err := emv.ParseTag(c.Tag)
		if err != nil || t.Len() > 2 {
			return 0, 0, 0, 0, fmt.Errorf("put-data tag %q: want a tag of one or two bytes", c.Tag)
		}
		return 0x00, apdu.INSPutData, byte(t >> 8), byte(t), nil
	case KindUpdateRecord:
		if c.SFI < 1 || c.SFI > 30 || c.Record < 1 || c.Record > 254 {
			return 0, 0, 0, 0, fmt.Errorf("update-record of SFI %d record %d: want SFI 1 to 30, record 1 to 254", c.SFI, c.Record)
		}
		return 0x00, apdu.INSUpdateRecord, byte(c.Record), byte(c.SFI<<3 | 4), nil
	}
	return 0, 0, 0, 0, fmt.Errorf("unknown script command kind %q", c.Kind)
}

func (c *Command) validate() error {
	if _, _, _, _, err := c.header(); err != nil {
		return err
	}
	switch c.Kind {
	case KindPutData, KindUpdateRecord:
		if len(c.Value) == 0 || len(c.Value) > 239 {
			return fmt.Errorf("%s value of %d bytes: want 1 to 239", c.Kind, len(c.Value))
		}
	case KindPINChange:
		b, err := pin.Format2(string(c.PIN))
		if err != nil {
			return fmt.Errorf("pin-change: %w", err)
		}
		clear(b)
	default:
		if len(c.Value) != 0 || c.PIN != "" {
			return fmt.Errorf("%s takes no value or PIN", c.Kind)
		}
	}
	return nil
}

func (s *Script) validate() error {
	if len(s.ID) != 0 && len(s.ID) != 4 {
		return fmt.Errorf("script id is %d bytes, want 4", len(s.ID))
	}
	if len(s.Commands) == 0 {
		return fmt.Errorf("script without commands")
	}
	for i := range s.Commands {
		if err := s.Commands[i].validate(); err != nil {
			return fmt.Errorf("script command %d: %w", i, err)
		}
	}
	return nil
}

// scriptKeys holds the secure-messaging session keys of one transaction,
// derived when first needed.
type scriptKeys struct {
	m        *method
	keys     MasterKeys
	atc, ac  []byte
	smi, smc []byte
}

func (k *scriptKeys) integrity() ([]byte, error) {
	if k.smi == nil {
		if len(k.keys.SMI) == 0 {
			return nil, fmt.Errorf("%w: the account has no SMI master key", ErrConfig)
		}
		sk, err := k.m.smSessionKey(k.keys.SMI, k.atc, k.ac)
		if err != nil {
			return nil, err
		}
		k.smi = sk
	}
	return k.smi, nil
}

func (k *scriptKeys) confidentiality() ([]byte, error) {
	if k.smc == nil {
		if len(k.keys.SMC) == 0 {
			return nil, fmt.Errorf("%w: the account has no SMC master key", ErrConfig)
		}
		sk, err := k.m.smSessionKey(k.keys.SMC, k.atc, k.ac)
		if err != nil {
			return nil, err
		}
		k.smc = sk
	}
	return k.smc, nil
}

// buildScripts encodes scripts as templates 71 and 72 of 86 commands with
// their MACs.
func (k *scriptKeys) buildScripts(scripts []Script) ([]byte, error) {
	var out []byte
	for i := range scripts {
		s := &scripts[i]
		var body []byte
		if len(s.ID) > 0 {
			body = emv.AppendTLV(body, 0x9F18, s.ID)
		}
		for j := range s.Commands {
			cmd, err := k.command(&s.Commands[j])
			if err != nil {
				return nil, fmt.Errorf("script %d command %d: %w", i, j, err)
			}
			body = emv.AppendTLV(body, 0x86, cmd)
		}
		tmpl := emv.Tag(0x72)
		if s.BeforeSecondAC {
			tmpl = 0x71
		}
		out = emv.AppendTLV(out, tmpl, body)
	}
	return out, nil
}

// command builds one command APDU with secure messaging.
func (k *scriptKeys) command(c *Command) ([]byte, error) {
	cla, ins, p1, p2, err := c.header()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	sc := cryptogram.ScriptCommand{CLA: cla, INS: ins, P1: p1, P2: p2}
	switch c.Kind {
	case KindPutData, KindUpdateRecord:
		sc.Data = c.Value
	case KindPINChange:
		if sc.Data, err = k.pinChangeData(c.PIN); err != nil {
			return nil, err
		}
	}
	sk, err := k.integrity()
	if err != nil {
		return nil, err
	}
	return cryptogram.SecureScriptCommand(k.m.alg, sk, sc, k.m.smTxnData(k.atc, k.ac), k.m.macLen)
}

// pinChangeData is the new PIN as an ISO 9564 format 2 PIN block
// enciphered under the confidentiality session key (EMV Book 2 §9.3; the
// block cardsim's card expects).
func (k *scriptKeys) pinChangeData(p PIN) ([]byte, error) {
	if !k.m.pinBlock {
		return nil, fmt.Errorf("%w: PIN change under scheme %s (its VIS PIN block is not implemented)", ErrUnsupported, k.m.name)
	}
	block, err := pin.Format2(string(p))
	if err != nil {
		return nil, fmt.Errorf("%w: pin-change: %w", ErrConfig, err)
	}
	defer clear(block)
	sk, err := k.confidentiality()
	if err != nil {
		return nil, err
	}
	return cryptogram.EncryptPINChange(k.m.alg, sk, block, k.m.encMode)
}
