// Package regions maps stability over a grid of the setpoint plane: the
// free weights WEE (columns) and WIE (rows), WEI and WII following from
// Methods Eqs. 4-5. Each cell gets a Class, the largest real parts of the
// neural and plasticity eigenvalues, and the paradoxical flag; borders
// between regions are located by bisection on continuous test functions,
// not traced off the raster.
//
// # Streaming
//
// Run computes rows in parallel and hands them to the caller in row order,
// one row at a time, through a callback. Memory is a few rows per worker,
// whatever the size of the grid, so a CSV of any size can be written as
// it is computed. The callback's slice is reused after it returns.
//
// # Determinism
//
// A cell's values depend only on its coordinates, never on the number of
// workers or the order in which rows finish.
package regions
