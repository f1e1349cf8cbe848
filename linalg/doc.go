// Package linalg holds the small dense linear algebra of paradox: closed
// forms for 2x2 eigenvalues, the characteristic polynomial of a small
// square matrix, the Routh-Hurwitz stability test, and general
// eigenvalues through gonum's mat.Eigen.
//
// Matrices are row-major slices or fixed-size arrays; nothing here keeps a
// reference to its arguments. Eigenvalues are returned as complex128,
// sorted by decreasing real part and, for equal real parts, by decreasing
// imaginary part.
package linalg
