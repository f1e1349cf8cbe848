// Package reports draws paradox's figures with gonum.org/v1/plot and
// assembles them into reports: region maps of the setpoint plane,
// simulation panels and, in report.go, the HTML page and the PDF.
//
// Every figure function takes data and returns a *plot.Plot or writes to
// an io.Writer; nothing here prints or decides file names beyond what it
// is given. The class colours of region maps (ClassColors) are the same in
// every map and survive greyscale printing and the common forms of colour
// blindness (Okabe & Ito's palette, ordered by lightness).
package reports
