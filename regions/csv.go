package regions

import "strconv"

// CSVHeader is the header line of the per-cell CSV (booleans are written
// as true/false; a singular cell has empty largest real parts, never NaN).
const CSVHeader = "WEE,WIE,WEI,WII,class,neural_stable,plasticity_stable,paradoxical," +
	"neural_marginal,plasticity_marginal,neural_max_re,plasticity_max_re,C"

// AppendCSV appends one CSV line for c, ending in a newline, to dst and
// returns the extended slice. It does not allocate when dst has room.
func AppendCSV(dst []byte, c *Cell) []byte {
	f := func(x float64) { dst = strconv.AppendFloat(dst, x, 'g', 10, 64) }
	f(c.W.WEE)
	dst = append(dst, ',')
	f(c.W.WIE)
	dst = append(dst, ',')
	f(c.W.WEI)
	dst = append(dst, ',')
	f(c.W.WII)
	dst = append(dst, ',')
	dst = append(dst, c.Class.String()...)
	dst = append(dst, ',')
	dst = strconv.AppendBool(dst, c.NeuralStable())
	dst = append(dst, ',')
	dst = strconv.AppendBool(dst, c.PlasticityStable())
	dst = append(dst, ',')
	dst = strconv.AppendBool(dst, c.Paradoxical)
	dst = append(dst, ',')
	dst = strconv.AppendBool(dst, c.NeuralMarginal())
	dst = append(dst, ',')
	dst = strconv.AppendBool(dst, c.PlasticityMarginal())
	dst = append(dst, ',')
	if !c.Singular {
		f(c.NeuralMaxRe)
	}
	dst = append(dst, ',')
	if !c.Singular {
		f(c.PlasticityMaxRe)
	}
	dst = append(dst, ',')
	f(c.C)
	return append(dst, '\n')
}
