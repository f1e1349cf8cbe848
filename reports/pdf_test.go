package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// poppler returns the path of a poppler tool, or skips the test.
func poppler(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("no %s on PATH (Debian: apt-get install poppler-utils)", name)
	}
	return p
}

func runTool(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestPDFPages turns the PDF into images with pdftoppm: as many images
// as pdfinfo reports pages, at least ten, none blank above its footer.
// pdffonts must list every font as embedded.
func TestPDFPages(t *testing.T) {
	toppm := poppler(t, "pdftoppm")
	info := poppler(t, "pdfinfo")
	fonts := poppler(t, "pdffonts")
	dir := t.TempDir()
	var b bytes.Buffer
	r := quickReport(t)
	if err := WritePDF(&b, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(runTool(t, info, path))
	if m == nil {
		t.Fatal("pdfinfo gives no page count")
	}
	pages, _ := strconv.Atoi(m[1])
	if pages < 10 {
		t.Errorf("%d pages, want at least 10", pages)
	}
	if got := runTool(t, info, path); !strings.Contains(got, "2024") {
		t.Errorf("the PDF's dates are not the report's:\n%s", got)
	}

	runTool(t, toppm, "-r", "40", "-png", path, filepath.Join(dir, "page"))
	imgs, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if len(imgs) != pages {
		t.Fatalf("pdftoppm made %d images of %d pages", len(imgs), pages)
	}
	for _, img := range imgs {
		// The footer sits in the bottom 8 % of the page.
		if frac := inkFraction(t, img, 0, 0.92); frac < 0.002 {
			t.Errorf("%s is blank above its footer (%.4f ink)", filepath.Base(img), frac)
		}
	}

	lines := strings.Split(strings.TrimSpace(runTool(t, fonts, path)), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range lines[2:] {
		if f := strings.Fields(l); len(f) < 5 || !strings.Contains(l, " yes ") {
			t.Errorf("font not embedded: %s", l)
		}
	}
}

// TestPDFText checks the text layer: the verdict table, the section
// titles and a spelled-out Greek letter come out of pdftotext.
func TestPDFText(t *testing.T) {
	totext := poppler(t, "pdftotext")
	var b bytes.Buffer
	if err := WritePDF(&b, quickReport(t)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	text := runTool(t, totext, "-layout", path, "-")
	for _, want := range []string{"Contents", "The setpoint plane", "Region maps", "Verdicts on the paper",
		"Provenance", "tauE", "Figure 1.", "Table 1.", "cross.stable"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}

// TestPDFTextEncoding checks the spelling of letters the PDF fonts lack.
func TestPDFTextEncoding(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"τE dE/dt = −E", "tauE dE/dt = -E"},
		{"gE·WEE ≥ 1 → paradoxical", "gE·WEE >= 1 -> paradoxical"},
		{"C²·det K", "C²·det K"},
		{"漢", "?"},
	} {
		if got := pdfText(tc.in); got != tc.want {
			t.Errorf("pdfText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := pdfEncode("C²·x"); got != "C\xb2\xb7x" {
		t.Errorf("pdfEncode: got %q", got)
	}
}
