// Package jacobian holds the analytic core of paradox: plasticity rule
// families written as expressions, their symbolic derivatives, the fixed
// point of the neural subsystem, and the Jacobian of the plasticity
// subsystem in the quasi-steady-state (QSS) reduction.
//
// # Rule families
//
// A Family is four expressions, one each for dWEE/dt, dWEI/dt, dWIE/dt and
// dWII/dt, over the rates E and I, the four weights, the model constants
// (Eset, Iset, gE, gI, thetaE, thetaI, tauE, tauI, Iext), the learning
// rates aEE, aEI, aIE, aII (and hEE, hEI, hIE, hII for the homeostatic
// terms of two-term rules) and any constants the family defines. The
// built-in families are in Builtins; a user's family is read from TOML by
// LoadFamily through the same path.
//
// # QSS reduction
//
// Plasticity is slow, so the rates sit at their fixed point (E*, I*)(W).
// The reduced system is dW/dt = f(E*(W), I*(W), W) and its Jacobian is
//
//	J = ∂f/∂W + ∂f/∂(E, I) · G,   G = d(E*, I*)/dW,
//
// with G from implicit differentiation of the neural fixed-point equations
// (analytics.md §4). On the setpoint plane J has rank two: the tangent of
// the plane, spanned by (1, E*/I*, 0, 0) and (0, 0, 1, E*/I*), is its null
// space, which gives the two structural zero eigenvalues. The other two are
// the eigenvalues of a 2x2 matrix K, the map J induces on the quotient by
// that tangent; when f has no direct weight dependence at the fixed point
// (every family but forcedbalance), K is similar to G M with
// M = ∂f/∂(E, I), the form analytics.md §5 uses.
//
// Weights are ordered WEE, WEI, WIE, WII everywhere.
package jacobian
