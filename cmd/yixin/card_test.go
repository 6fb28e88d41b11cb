package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu/pcsc"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/emv/oda"
)

const goldenDualCN = "../../cardsim/testdata/cards/dual-cn.json"

// TestCardNewReproducible: the same seed and profile give byte-identical
// card and CA key files, and a personalisation with seed 1 is the golden
// card of package cardsim.
func TestCardNewReproducible(t *testing.T) {
	dir := t.TempDir()
	var cards, capks [2][]byte
	for i := range 2 {
		card, capk := filepath.Join(dir, "card"+string(rune('a'+i))), filepath.Join(dir, "capk"+string(rune('a'+i)))
		code, out, errs := runYixin(t, "card", "new", "--profile", "sda", "--out", card, "--seed", "42", "--capk-out", capk)
		if code != exitOK || errs != "" || !strings.Contains(out, "profile sda") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
		cards[i], _ = os.ReadFile(card)
		capks[i], _ = os.ReadFile(capk)
	}
	if !bytes.Equal(cards[0], cards[1]) || !bytes.Equal(capks[0], capks[1]) || len(cards[0]) == 0 {
		t.Fatal("the same seed gave different files")
	}
	keys, err := oda.ParseCAKeys(bytes.NewReader(capks[0]))
	if err != nil || len(keys) != 1 || !strings.Contains(string(capks[0]), "# kind: test") {
		t.Fatalf("CA key file: %d keys, %v:\n%s", len(keys), err, capks[0])
	}
	if testing.Short() {
		return
	}
	card := filepath.Join(dir, "dual-cn.json")
	if code, _, errs := runYixin(t, "card", "new", "--out", card, "--seed", "1"); code != exitOK {
		t.Fatalf("card new (default profile): %d %s", code, errs)
	}
	got, _ := os.ReadFile(card)
	want, _ := os.ReadFile(goldenDualCN)
	if !bytes.Equal(got, want) {
		t.Error("card new --seed 1 differs from cardsim's golden dual-cn card")
	}
}

func TestCardNewErrors(t *testing.T) {
	dir := t.TempDir()
	exists := filepath.Join(dir, "exists.json")
	os.WriteFile(exists, []byte("x"), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no out", []string{"--profile", "sda"}, exitUsage, "--out is required"},
		{"bad seed", []string{"--out", filepath.Join(dir, "a"), "--seed", "-1"}, exitUsage, "--seed"},
		{"unknown profile", []string{"--out", filepath.Join(dir, "b"), "--profile", "nope"}, exitFailure, "no built-in profile"},
		{"missing profile file", []string{"--out", filepath.Join(dir, "c"), "--profile", filepath.Join(dir, "none.json")}, exitFailure, "none.json"},
		{"existing out", []string{"--out", exists, "--profile", "sda", "--seed", "1"}, exitFailure, "--force"},
		{"positional argument", []string{"--out", filepath.Join(dir, "d"), "extra"}, exitUsage, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runYixin(t, append([]string{"card", "new"}, tt.args...)...)
			if code != tt.code || !strings.HasPrefix(errs, "yixin: ") || !strings.Contains(errs, tt.msg) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.msg)
			}
		})
	}
	if code, _, _ := runYixin(t, "card"); code != exitUsage {
		t.Errorf("card without subcommand: %d", code)
	}
	if code, out, _ := runYixin(t, "card", "new", "-h"); code != exitOK || !strings.Contains(out, "dual-cn") {
		t.Errorf("card new -h: %d %q", code, out)
	}
}

func TestCardInfo(t *testing.T) {
	dir := t.TempDir()
	card := filepath.Join(dir, "card.json")
	b, _ := os.ReadFile(goldenDualCN)
	os.WriteFile(card, b, 0o600)
	code, out, errs := runYixin(t, "card", "info", "--card", card)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"profile dual-cn", "TEST CARD", "A000000333010102", "621234******1232", "371234*****0120", "sm2", "1152 bits"} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "6212345678901232") {
		t.Error("info shows the PAN in clear")
	}
	if _, out, _ := runYixin(t, "card", "info", "--card", card, "--reveal"); !strings.Contains(out, "6212345678901232") {
		t.Error("--reveal does not show the PAN")
	}
	if code, _, _ := runYixin(t, "card", "info", "--card", filepath.Join(dir, "none")); code != exitFailure {
		t.Errorf("missing card file: exit %d", code)
	}
}

// TestCardReadWithoutPCSC: a binary built without the pcsc tag says how to
// get one.
func TestCardReadWithoutPCSC(t *testing.T) {
	if _, err := pcsc.ListReaders(context.Background()); !errors.Is(err, pcsc.ErrNotBuilt) {
		t.Skip("built with -tags pcsc")
	}
	code, _, errs := runYixin(t, "card", "read", "--out", filepath.Join(t.TempDir(), "img.json"))
	if code != exitFailure || !strings.Contains(errs, "rebuild with -tags pcsc") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if code, _, _ := runYixin(t, "card", "read"); code != exitUsage {
		t.Errorf("read without --out: %d", code)
	}
}

// TestReadCardImages reads the simulated dual-cn card in process, the way
// "card read" reads a card in a reader, then has "yixin oda verify" check
// the image file it makes with the card's test CA keys, for both
// applications.
func TestReadCardImages(t *testing.T) {
	cf, err := cardsim.LoadCardFile(goldenDualCN)
	if err != nil {
		t.Fatal(err)
	}
	card, err := cardsim.New(cf, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := readOptionsFrom("", "156", "156")
	var warn bytes.Buffer
	images, err := readCardImages(context.Background(), card, opts, &warn)
	if err != nil || len(images) != 2 || warn.Len() != 0 {
		t.Fatalf("%d images, %v, warnings %q", len(images), err, warn.String())
	}
	for _, img := range images {
		if img.DDA == nil {
			t.Errorf("%X: no INTERNAL AUTHENTICATE although the AIP announces DDA", []byte(img.AID))
		}
	}
	dir := t.TempDir()
	imgPath, capkPath := filepath.Join(dir, "image.json"), filepath.Join(dir, "capk.txt")
	b, _ := json.Marshal(map[string]any{"applications": images})
	os.WriteFile(imgPath, b, 0o600)
	os.WriteFile(capkPath, []byte("# kind: test\n"+strings.Join(cf.CAKeys, "\n")+"\n"), 0o600)
	code, out, errs := runYixin(t, "oda", "verify", "--capk", capkPath, "--image", imgPath, "--date", "260115", "--json")
	if code != exitOK {
		t.Fatalf("oda verify: exit %d\n%s\n%s", code, out, errs)
	}
	var rep struct {
		Applications []struct {
			DDAOK bool  `json:"dda_ok"`
			SDAOK *bool `json:"sda_ok"`
		} `json:"applications"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Applications) != 2 {
		t.Fatalf("%v: %s", err, out)
	}
	for i, a := range rep.Applications {
		if !a.DDAOK {
			t.Errorf("application %d: DDA not verified", i+1)
		}
	}
	// One application by AID.
	opts, _ = readOptionsFrom("A000000025010402", "156", "156")
	if images, err := readCardImages(context.Background(), card, opts, io.Discard); err != nil || len(images) != 1 {
		t.Errorf("--aid: %d images, %v", len(images), err)
	}
}

// TestReadWithoutPSE reads a card whose profile has no PSE: the
// applications are found by partial AID and next occurrence.
func TestReadWithoutPSE(t *testing.T) {
	p, err := cardsim.BuiltinProfile("dual-same-pan")
	if err != nil {
		t.Fatal(err)
	}
	p.PSE = nil
	cf, _, err := cardsim.Personalise(p, cardsim.SeededReader(3))
	if err != nil {
		t.Fatal(err)
	}
	card, _ := cardsim.New(cf, nil)
	opts, _ := readOptionsFrom("", "156", "156")
	images, err := readCardImages(context.Background(), card, opts, io.Discard)
	if err != nil || len(images) != 2 {
		t.Fatalf("%d images, %v", len(images), err)
	}
	store, err := cf.CAStore()
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range images {
		if rep := oda.CheckImage(store, &img, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)); !rep.OK() {
			t.Errorf("%X: %v", []byte(img.AID), rep.Failures)
		}
	}
}

// TestCardServe plays vpcd's side of the wire protocol on a local socket:
// the served card gives its ATR, answers SELECT of the PSE, and keeps its
// counters in the state file.
func TestCardServe(t *testing.T) {
	dir := t.TempDir()
	card := filepath.Join(dir, "card.json")
	b, _ := os.ReadFile(goldenDualCN)
	os.WriteFile(card, b, 0o600)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out, errb bytes.Buffer
	go func() {
		done <- run(&env{ctx: ctx, args: []string{"card", "serve", "--card", card, "--vpcd", ln.Addr().String()},
			stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	}()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	exchange := func(payload []byte) []byte {
		t.Helper()
		frame := binary.BigEndian.AppendUint16(nil, uint16(len(payload)))
		if _, err := conn.Write(append(frame, payload...)); err != nil {
			t.Fatal(err)
		}
		var hdr [2]byte
		if _, err := io.ReadFull(conn, hdr[:]); err != nil {
			t.Fatal(err)
		}
		rsp := make([]byte, binary.BigEndian.Uint16(hdr[:]))
		if _, err := io.ReadFull(conn, rsp); err != nil {
			t.Fatal(err)
		}
		return rsp
	}
	if atr := exchange([]byte{0x04}); len(atr) < 2 || atr[0] != 0x3B {
		t.Errorf("ATR %X", atr)
	}
	conn.Write([]byte{0x00, 0x01, 0x01}) // power on: no reply
	if rsp := exchange([]byte("\x00\xA4\x04\x00\x0E1PAY.SYS.DDF01\x00")); !bytes.HasSuffix(rsp, []byte{0x90, 0x00}) {
		t.Errorf("SELECT PSE through vpcd: %X", rsp)
	}
	cancel()
	conn.Close()
	if code := <-done; code != exitOK {
		t.Fatalf("serve exit %d, stderr %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "serving card") {
		t.Errorf("stdout %q", out.String())
	}
	if _, err := cardsim.LoadState(card + ".state"); err != nil {
		t.Errorf("state file: %v", err)
	}
}
