package kernel

import (
	"context"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// Issuer Script Results, byte 1 high nibble (Book 4 Annex A5).
const (
	scriptNotPerformed = 0x00
	scriptFailed       = 0x10
	scriptSucceeded    = 0x20
)

// defaultMaxScriptLength is the total script length every terminal must
// support (Book 4 §6.3.9).
const defaultMaxScriptLength = 128

// runScripts processes the issuer scripts of one kind — 71 before the
// second GENERATE AC, 72 after it (Book 3 §10.10) — and records each in
// the Issuer Script Results (9F5B). A command answered with SW1 other than
// 90, 62 or 63 fails its script; the rest of that script is skipped.
func (t *Transaction) runScripts(ctx context.Context, kind emv.Tag) error {
	max := t.cfg.MaxScriptLength
	if max == 0 {
		max = defaultMaxScriptLength
	}
	total, stopped := 0, false
	sc := emv.Scanner(t.online.scripts)
	for {
		sc.SkipPadding()
		var tag emv.Tag
		var body, raw []byte
		if !sc.More() || !sc.ReadRawObject(&tag, &body, &raw) {
			break
		}
		total += len(raw)
		if tag != kind {
			continue
		}
		if total > max {
			t.recordScript(kind, nil, scriptNotPerformed)
			t.scriptFailed(kind)
			continue
		}
		if stopped {
			t.recordScript(kind, nil, scriptNotPerformed)
			t.scriptFailed(kind)
			continue
		}
		if err := t.runScript(ctx, kind, body); err != nil {
			if kind == 0x71 {
				return err // before the final GENERATE AC the card is needed still
			}
			// After the final GENERATE AC the transaction is decided: a
			// card that fails now fails its scripts, not the transaction.
			stopped = true
		}
	}
	if len(t.scripts) > 0 {
		t.term.set(0x9F5B, t.scripts)
	}
	return nil
}

// runScript sends the commands (86) of one script template.
func (t *Transaction) runScript(ctx context.Context, kind emv.Tag, body []byte) error {
	var id []byte
	var cmds [][]byte
	sc := emv.Scanner(body)
	for sc.SkipPadding(); sc.More(); sc.SkipPadding() {
		var tag emv.Tag
		var v []byte
		if !sc.ReadObject(&tag, &v) {
			cmds = nil // malformed template: nothing of it is sent
			id = nil
			break
		}
		switch tag {
		case 0x9F18:
			if len(v) == 4 {
				id = v
			}
		case 0x86:
			cmds = append(cmds, v)
		}
	}
	if len(cmds) == 0 {
		t.recordScript(kind, id, scriptFailed)
		t.scriptFailed(kind)
		return nil
	}
	for i, raw := range cmds {
		seq := byte(min(i+1, 15))
		c, err := apdu.ParseCommand(raw)
		if err != nil {
			t.recordScript(kind, id, scriptFailed|seq)
			t.scriptFailed(kind)
			return nil
		}
		t.tsi.Set(emv.TSIScriptProcessingPerformed)
		_, sw, err := t.transmit(ctx, c)
		if err != nil {
			t.recordScript(kind, id, scriptFailed|seq)
			t.scriptFailed(kind)
			return err
		}
		if s1 := sw.SW1(); s1 != 0x90 && s1 != 0x62 && s1 != 0x63 {
			t.recordScript(kind, id, scriptFailed|seq)
			t.scriptFailed(kind)
			return nil
		}
	}
	t.recordScript(kind, id, scriptSucceeded)
	return nil
}

// recordScript appends one script's 5-byte entry to 9F5B.
func (t *Transaction) recordScript(_ emv.Tag, id []byte, result byte) {
	var e [5]byte
	e[0] = result
	copy(e[1:], id)
	t.scripts = append(t.scripts, e[:]...)
}

// scriptFailed sets the TVR bit for a failed script of this kind.
func (t *Transaction) scriptFailed(kind emv.Tag) {
	if kind == 0x71 {
		t.tvr.Set(emv.TVRScriptFailedBeforeFinalGenAC)
	} else {
		t.tvr.Set(emv.TVRScriptFailedAfterFinalGenAC)
	}
}
