// Package fastrand is a small, fast, seedable pseudo-random generator for
// simulations: xoshiro256** (Blackman & Vigna 2018) for uniform bits and
// a 256-layer ziggurat (Marsaglia & Tsang 2000, with Doornik's separation
// of layer and value bits) for standard normal deviates.
//
// # Seeding and streams
//
// New(seed, stream) derives the 256-bit state from the two words with
// SplitMix64, so that (seed, 0), (seed, 1), … are independent streams: an
// ensemble seeds run k with New(seed, k) and gets the same numbers for any
// number of workers. The zero state, which xoshiro cannot leave, is never
// produced.
//
// # Values and pointers
//
// State is the generator as a value. Its methods take and return the state
// (x, s = s.Normal()), so that a hot loop can keep the four words in
// registers; Go cannot keep a variable whose address is taken there. Rand
// wraps a State behind a pointer for ordinary use and implements
// math/rand/v2's Source, so rand.New(r) gives the standard library's
// distributions on this stream.
//
// # Serialisation
//
// Both types implement encoding.BinaryMarshaler, BinaryUnmarshaler and
// BinaryAppender: 4 magic bytes and the four state words, little-endian.
// A restored generator continues the stream exactly.
//
// Neither type is safe for concurrent use; give each goroutine its own.
package fastrand
