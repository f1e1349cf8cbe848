// Package model holds the shared vocabulary of paradox: the parameters of
// the two-population threshold-linear Wilson-Cowan model, the four plastic
// weights and the setpoint plane on which the firing rates equal their
// setpoints.
//
// # Model
//
// The neural subsystem (Methods Eqs. 1-3 of Soldado-Magraner et al., PNAS
// 2022) is
//
//	τE dE/dt = −E + gE [WEE E − WEI I − θE + Iext]+
//	τI dI/dt = −I + gI [WIE E − WII I − θI]+
//
// where [x]+ = max(x, 0). Weights are named onto-from: WEI is the weight
// onto E from I. Rates are in Hz and time constants in ms; weights, gains
// and thresholds are dimensionless in the rate model.
//
// # Setpoint plane
//
// Setting both derivatives to zero at E = Eset, I = Iset leaves two free
// weights, WEE and WIE (Methods Eqs. 4-5):
//
//	WEI = (gE (Eset WEE − θE + Iext) − Eset) / (Iset gE)
//	WII = (gI (Eset WIE − θI) − Iset) / (Iset gI)
//
// Every value here is plain data; nothing in this package allocates per
// call or prints.
package model
