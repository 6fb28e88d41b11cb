//go:build pcsc

package cardsim

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu/pcsc"
	"github.com/yixin-emv/yixin/emv/oda"
)

// The reader of vsmartcard-vpcd's first slot; apdu/pcsc's tests use the
// second, so that both packages' tests can run at once.
const (
	e2eReader = "Virtual PCD 00 00"
	e2eAddr   = "127.0.0.1:35963"
)

// TestPCSCEndToEnd is the personalisation tester's path through the real
// PC/SC stack, with the yixin binary built with -tags pcsc:
//
//	yixin card new --out card.json --capk-out capk.txt
//	yixin card serve --card card.json          (vpcd + pcscd)
//	yixin card read --reader "Virtual PCD 00 00" --out image.json
//	yixin oda verify --capk capk.txt --image image.json
//
// and both applications of the dual-cn card must verify. Without pcscd and
// vpcd it skips, unless YIXIN_REQUIRE_PCSC=1 (CI), where it fails.
func TestPCSCEndToEnd(t *testing.T) {
	requirePCSC(t)
	dir := t.TempDir()
	bin := buildYixin(t, dir)
	card, capk, image := filepath.Join(dir, "card.json"), filepath.Join(dir, "capk.txt"), filepath.Join(dir, "image.json")
	yixin(t, bin, "card", "new", "--out", card, "--capk-out", capk, "--seed", "11")

	serve := exec.Command(bin, "card", "serve", "--card", card, "--vpcd", e2eAddr)
	serve.Stdout, serve.Stderr = os.Stderr, os.Stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- serve.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("card serve ended with %v", err)
			}
		case <-time.After(10 * time.Second):
			serve.Process.Kill()
			t.Error("card serve did not stop on interrupt")
		}
	}()

	out := yixin(t, bin, "card", "read", "--reader", e2eReader, "--wait", "15s", "--out", image)
	t.Logf("card read:\n%s", out)
	out = yixin(t, bin, "oda", "verify", "--capk", capk, "--image", image, "--json", "--date", time.Now().Format("060102"))
	var rep struct {
		Applications []struct {
			AID      string   `json:"aid"`
			SDAOK    *bool    `json:"sda_ok"`
			DDAOK    *bool    `json:"dda_ok"`
			Failures []string `json:"failures"`
		} `json:"applications"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rep.Applications) != 2 {
		t.Fatalf("oda verify saw %d applications, want 2:\n%s", len(rep.Applications), out)
	}
	for _, a := range rep.Applications {
		if a.DDAOK == nil || !*a.DDAOK || len(a.Failures) > 0 {
			t.Errorf("%s: DDA %v, failures %v", a.AID, a.DDAOK, a.Failures)
		}
	}

	// The same image checked here with emv/oda directly.
	f, err := os.Open(image)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	images, err := oda.ParseImages(f)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := LoadCardFile(card)
	if err != nil {
		t.Fatal(err)
	}
	store := testStore(t, cf)
	for i := range images {
		if r := oda.CheckImage(store, &images[i], time.Now()); !r.OK() {
			t.Errorf("%X: %v", []byte(images[i].AID), r.Failures)
		}
	}
}

// requirePCSC skips (or, with YIXIN_REQUIRE_PCSC=1, fails) when pcscd or
// the vpcd reader is missing.
func requirePCSC(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	readers, err := pcsc.ListReaders(ctx)
	if err == nil && slices.Contains(readers, e2eReader) {
		return
	}
	msg := "the PC/SC stack is not up (pcscd with vsmartcard-vpcd: run scripts/pcsc-up.sh as root)"
	if err != nil {
		msg += ": " + err.Error()
	} else {
		msg += ": readers " + strings.Join(readers, ", ")
	}
	if os.Getenv("YIXIN_REQUIRE_PCSC") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// buildYixin builds the command with -tags pcsc.
func buildYixin(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "yixin")
	cmd := exec.Command(goBin, "build", "-tags", "pcsc", "-o", bin, "github.com/yixin-emv/yixin/cmd/yixin")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags pcsc ./cmd/yixin: %v\n%s", err, out)
	}
	return bin
}

// yixin runs the binary and fails the test unless it exits 0.
func yixin(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("yixin %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}
