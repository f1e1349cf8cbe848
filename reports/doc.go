// Package reports draws paradox's figures with gonum.org/v1/plot and
// assembles them into reports.
//
// # Files
//
//	maps.go            region maps of the setpoint plane (Map, Raster)
//	sim.go             two-population simulation panels (Figs. 1-4)
//	multiunit.go       multiunit network panels (Figs. 5-6)
//	spiking.go         spiking network panels (Fig. 7)
//	panels.go          WritePanels: tiles plots into one figure file
//	report.go          Build: the report's document model and content
//	report_spiking.go  the report's spiking section, from a trained run
//	html.go, pdf.go    the two renderings of a report
//
// Every figure function takes data and returns a *plot.Plot or writes to
// an io.Writer; nothing here prints or decides file names beyond what it
// is given. A figure gonum cannot draw is an error, not a panic. The class
// colours of region maps (ClassColors) are the same in every map and
// survive greyscale printing and the common forms of colour blindness
// (Okabe & Ito's palette, ordered by lightness).
//
// PDFs go through pdfCanvas, which works around two faults of vgpdf in
// gonum/plot v0.17: rasters drawn upside down, and text outside
// Windows-1252 (the encoding of the fonts it embeds) garbled.
package reports
