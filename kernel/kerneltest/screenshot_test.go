package kerneltest

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// TestHTMLReportScreenshot renders the HTML report in headless Chromium
// and checks the screenshot: a PNG of the window's size that is not blank
// (its luminance varies) and shows the report's own colours (the passed
// and failed tiles), so the page rendered rather than an error page.
//
// The test is skipped when Chromium is not installed (CI must not depend
// on it), unless YIXIN_REQUIRE_CHROMIUM=1. YIXIN_SCREENSHOT_OUT=FILE keeps
// the screenshot for a person to look at.
func TestHTMLReportScreenshot(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("YIXIN_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("YIXIN_REQUIRE_CHROMIUM=1 but %s: %v", chromiumPath, err)
		}
		t.Skipf("%s not installed (apt-get install chromium); YIXIN_REQUIRE_CHROMIUM=1 makes this a failure", chromiumPath)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(f, "", sampleResults()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "out.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1200,900", "file://"+page)
	cmd.WaitDelay = 5 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	img := decodePNG(t, shot)
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 900 {
		t.Errorf("screenshot is %v, want 1200x900", b)
	}
	if v := lumaVariance(img); v < 200 {
		t.Errorf("screenshot looks blank: luminance variance %.1f", v)
	}
	// The passed tile (#d9f2df) and the failed tile (#fbdcdc).
	for _, c := range [][3]uint8{{0xd9, 0xf2, 0xdf}, {0xfb, 0xdc, 0xdc}} {
		if n := countNear(img, c); n < 500 {
			t.Errorf("only %d pixels of the report's colour #%02x%02x%02x", n, c[0], c[1], c[2])
		}
	}
	if keep := os.Getenv("YIXIN_SCREENSHOT_OUT"); keep != "" {
		b, err := os.ReadFile(shot)
		if err == nil {
			err = os.WriteFile(keep, b, 0o644)
		}
		if err != nil {
			t.Error(err)
		}
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	return img
}

// lumaVariance is the variance of the pixels' luminance (0–255).
func lumaVariance(img image.Image) float64 {
	var sum, sq float64
	b := img.Bounds()
	n := float64(b.Dx() * b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += l
			sq += l * l
		}
	}
	mean := sum / n
	return sq/n - mean*mean
}

// countNear counts the pixels within a small distance of a colour.
func countNear(img image.Image, c [3]uint8) int {
	near := func(a uint32, b uint8) bool {
		d := int(a>>8) - int(b)
		return d >= -6 && d <= 6
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c[0]) && near(g, c[1]) && near(bl, c[2]) {
				n++
			}
		}
	}
	return n
}
