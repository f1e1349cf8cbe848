package multiunit

// matvecTGo sets dst[i] = Σⱼ wt[j·m+i]·x[j] for i < m = len(dst): wt
// holds the matrix column by column (column j, the weights from
// presynaptic unit j, is wt[j·m : (j+1)·m]). Each sum starts from +0 and
// runs over j in order, one rounded product and one rounded sum per
// term (no FMA), and skips the columns with x[j] == 0, which changes no
// sum: adding ±0 to a sum leaves it as it is. It is the reference for
// the assembly kernels, which give the same bits, and the kernel on
// other processors, where a trial takes about 4 times as long.
func matvecTGo(dst, wt, x []float64) {
	m := len(dst)
	if len(wt) < m*len(x) {
		panic("multiunit: matvecT: weight slice too short")
	}
	clear(dst)
	for j, xj := range x {
		if xj == 0 {
			continue
		}
		col := wt[j*m : j*m+m]
		for i := range dst {
			dst[i] += float64(col[i] * xj)
		}
	}
}
