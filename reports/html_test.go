package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium returns the headless browser, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH (Debian: apt-get install chromium)")
	return ""
}

// runChromium runs the browser headless on a file with extra flags and
// returns stdout and stderr.
func runChromium(t *testing.T, bin, page string, flags ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--hide-scrollbars", "--no-first-run", "--user-data-dir=" + t.TempDir()}, flags...)
	args = append(args, "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(flags, " "), err, e.String())
	}
	return o.String(), e.String()
}

// repCheckScript measures, after layout, every figure's box and every
// formula's box, whether the browser lays <math> out as MathML, and
// which resources the page loaded; it writes the result as JSON into
// the <pre id="report-check"> it appends.
const repCheckScript = `<script>
window.addEventListener('load', function () {
  var out = {figures: [], maths: 0, mathEmpty: [], mathNotMathML: [], resources: [], mathml: typeof MathMLElement !== 'undefined'};
  document.querySelectorAll('figure').forEach(function (f) {
    var s = f.querySelector('svg'), r = s ? s.getBoundingClientRect() : {width: 0, height: 0};
    out.figures.push({id: f.id, w: r.width, h: r.height, texts: s ? s.querySelectorAll('text').length : 0});
  });
  document.querySelectorAll('math').forEach(function (m, i) {
    out.maths++;
    var r = m.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) out.mathEmpty.push(i);
    if (getComputedStyle(m).display.indexOf('math') < 0) out.mathNotMathML.push(i);
  });
  performance.getEntriesByType('resource').forEach(function (e) { out.resources.push(e.name); });
  var pre = document.createElement('pre');
  pre.id = 'report-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>`

// TestHTMLInChromium renders the page in headless Chromium: a
// screenshot that is not blank, no console messages, every figure a
// non-empty box with text in it, every formula laid out by the MathML
// engine in a non-empty box, and no resource loaded.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	var b bytes.Buffer
	if err := WriteHTML(&b, quickReport(t)); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// The page as written: a screenshot, and the console.
	shot := filepath.Join(dir, "shot.png")
	_, logs := runChromium(t, bin, page, "--window-size=1280,2400", "--screenshot="+shot,
		"--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000")
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") ||
			strings.Contains(line, "net::ERR") {
			t.Errorf("console: %s", line)
		}
	}
	if frac := inkFraction(t, shot, 0, 1); frac < 0.02 {
		t.Errorf("screenshot is nearly blank: %.4f of its pixels are not white", frac)
	}
	if out := os.Getenv("REPORT_SCREENSHOT"); out != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(out, data, 0o644)
	}

	// A copy with the check script, read back through --dump-dom.
	checked := filepath.Join(dir, "checked.html")
	withScript := strings.Replace(b.String(), "</body>", repCheckScript+"</body>", 1)
	if err := os.WriteFile(checked, []byte(withScript), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, _ := runChromium(t, bin, checked, "--window-size=1280,1000", "--virtual-time-budget=10000", "--dump-dom")
	m := regexp.MustCompile(`<pre id="report-check">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the check script left no result; DOM ends with %q", dom[max(0, len(dom)-300):])
	}
	var res struct {
		Figures []struct {
			ID    string
			W, H  float64
			Texts int
		}
		Maths         int
		MathEmpty     []int
		MathNotMathML []int
		Resources     []string
		MathML        bool
	}
	if err := json.Unmarshal([]byte(unescapeHTML(m[1])), &res); err != nil {
		t.Fatalf("%v: %s", err, m[1])
	}
	if !res.MathML {
		t.Error("the browser has no MathML support")
	}
	if want := len(quickReport(t).numbers().figure); len(res.Figures) != want {
		t.Errorf("%d figures rendered, want %d", len(res.Figures), want)
	}
	for _, f := range res.Figures {
		if f.W < 200 || f.H < 80 || f.Texts < 3 {
			t.Errorf("figure %s: box %.0f x %.0f px with %d texts", f.ID, f.W, f.H, f.Texts)
		}
	}
	if res.Maths < 50 || len(res.MathEmpty) > 0 || len(res.MathNotMathML) > 0 {
		t.Errorf("%d formulas; empty boxes %v; not laid out as MathML %v", res.Maths, res.MathEmpty, res.MathNotMathML)
	}
	if len(res.Resources) > 0 {
		t.Errorf("the page loaded resources: %v", res.Resources)
	}
}

func unescapeHTML(s string) string {
	return strings.NewReplacer("&quot;", `"`, "&lt;", "<", "&gt;", ">", "&#39;", "'", "&amp;", "&").Replace(s)
}

// inkFraction returns the fraction of pixels of a PNG that are not
// near white, between the heights y0 and y1 (fractions of the height).
func inkFraction(t *testing.T, path string, y0, y1 float64) float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return ink(img, y0, y1)
}

func ink(img image.Image, y0, y1 float64) float64 {
	b := img.Bounds()
	lo, hi := b.Min.Y+int(y0*float64(b.Dy())), b.Min.Y+int(y1*float64(b.Dy()))
	n, dark := 0, 0
	for y := lo; y < hi; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			n++
			if r+g+bb < 3*0xf000 {
				dark++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(dark) / float64(n)
}
