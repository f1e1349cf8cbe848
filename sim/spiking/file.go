package spiking

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// The weights file and the checkpoint share one binary layout, all
// little-endian:
//
//	magic    [8]byte  "PDXSPIKE"
//	version  uint32   1
//	kind     uint32   1 = weights (float32), 2 = checkpoint (float64)
//	plen     uint32   length of the parameters
//	params   [plen]byte, the Params as TOML (Params.EncodeTOML)
//	then for each projection in the order EE, EI, IE, II (onto-from):
//	  npre, npost, nsyn  uint32
//	  ptr    [npre+1]int32  CSR row offsets by presynaptic cell
//	  post   [nsyn]int32    postsynaptic cell, local to its population
//	  delay  [nsyn]uint8    delay in steps
//	  weight [nsyn]float32 (kind 1) or float64 (kind 2), in pA
//	kind 2 only:
//	  seed     uint64
//	  trials   uint64   trials done
//	  filtered uint8    1 if the filter state holds values
//	  re       [NE]float64, ri [NI]float64: filtered rates in Hz
//	  rng      [32]byte the noise stream (Xoshiro.MarshalBinary)
//	crc      uint32   CRC-32 (IEEE) of every byte before it
//
// For the Fig. 7 network (1.0 M synapses) a weights file is about 9 MB.

const (
	fileMagic      = "PDXSPIKE"
	fileVersion    = 1
	kindWeights    = 1
	kindCheckpoint = 2
)

// WriteWeights writes the network p, g with weights w (as float32) to out
// in the layout above.
func WriteWeights(out io.Writer, p Params, g *Graph, w *Weights) error {
	return writeFile(out, kindWeights, p, g, w, nil)
}

// ReadWeights reads a weights file or a checkpoint and returns its
// parameters, graph and weights.
func ReadWeights(in io.Reader) (Params, *Graph, *Weights, error) {
	f, err := readFile(in)
	if err != nil {
		return Params{}, nil, nil, err
	}
	return f.p, f.g, f.w, nil
}

// WriteCheckpoint writes everything a run needs to continue exactly as if
// it had not stopped: parameters, graph, float64 weights, filter state,
// trial count and the position of the noise stream.
func (t *Trainer) WriteCheckpoint(out io.Writer) error {
	return writeFile(out, kindCheckpoint, t.P, t.G, t.W, t)
}

// ReadCheckpoint restores a trainer written by WriteCheckpoint.
func ReadCheckpoint(in io.Reader) (*Trainer, error) {
	f, err := readFile(in)
	if err != nil {
		return nil, err
	}
	if f.kind != kindCheckpoint {
		return nil, errors.New("spiking: file is a weights file, not a checkpoint")
	}
	rng := &Xoshiro{}
	if err := rng.UnmarshalBinary(f.rng[:]); err != nil {
		return nil, err
	}
	t, err := newTrainer(f.p, f.seed, f.g, f.w, rng)
	if err != nil {
		return nil, err
	}
	t.Trials, t.Filtered = int(f.trials), f.filtered
	copy(t.RE, f.re)
	copy(t.RI, f.ri)
	return t, nil
}

type fileData struct {
	kind     uint32
	p        Params
	g        *Graph
	w        *Weights
	seed     uint64
	trials   uint64
	filtered bool
	re, ri   []float64
	rng      [32]byte
}

// errWriter writes little-endian values and keeps the first error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) put(v any) {
	if e.err == nil {
		e.err = binary.Write(e.w, binary.LittleEndian, v)
	}
}

func writeFile(out io.Writer, kind uint32, p Params, g *Graph, w *Weights, t *Trainer) error {
	bw := bufio.NewWriterSize(out, 1<<20)
	crc := crc32.NewIEEE()
	e := &errWriter{w: io.MultiWriter(bw, crc)}
	e.put([]byte(fileMagic))
	e.put([]uint32{fileVersion, kind})
	pt := p.EncodeTOML()
	e.put(uint32(len(pt)))
	e.put(pt)
	for c, pr := range g.Projections() {
		e.put([]uint32{uint32(pr.NPre), uint32(pr.NPost), uint32(pr.Len())})
		e.put(pr.Ptr)
		e.put(pr.Post)
		e.put(pr.Delay)
		ws := *w.Classes()[c]
		if kind == kindWeights {
			f := make([]float32, len(ws))
			for k, v := range ws {
				f[k] = float32(v)
			}
			e.put(f)
		} else {
			e.put(ws)
		}
	}
	if kind == kindCheckpoint {
		e.put([]uint64{t.Seed, uint64(t.Trials)})
		var fl uint8
		if t.Filtered {
			fl = 1
		}
		e.put(fl)
		e.put(t.RE)
		e.put(t.RI)
		st, _ := t.net.RNG().MarshalBinary()
		e.put(st)
	}
	if e.err != nil {
		return fmt.Errorf("spiking: writing: %w", e.err)
	}
	if err := binary.Write(bw, binary.LittleEndian, crc.Sum32()); err != nil {
		return fmt.Errorf("spiking: writing: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("spiking: writing: %w", err)
	}
	return nil
}

// errReader reads little-endian values and keeps the first error.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) get(v any) {
	if e.err == nil {
		e.err = binary.Read(e.r, binary.LittleEndian, v)
	}
}

func readFile(in io.Reader) (*fileData, error) {
	crc := crc32.NewIEEE()
	br := bufio.NewReaderSize(in, 1<<20)
	e := &errReader{r: io.TeeReader(br, crc)}
	bad := func(format string, args ...any) (*fileData, error) {
		return nil, fmt.Errorf("spiking: reading weights: "+format, args...)
	}
	magic := make([]byte, len(fileMagic))
	var head [3]uint32
	e.get(magic)
	e.get(head[:])
	if e.err != nil {
		return bad("%w", e.err)
	}
	if string(magic) != fileMagic {
		return bad("not a paradox spiking file")
	}
	if head[0] != fileVersion || (head[1] != kindWeights && head[1] != kindCheckpoint) {
		return bad("version %d kind %d not supported", head[0], head[1])
	}
	if head[2] > 1<<20 {
		return bad("parameter block of %d bytes", head[2])
	}
	f := &fileData{kind: head[1]}
	pt := make([]byte, head[2])
	e.get(pt)
	if e.err != nil {
		return bad("%w", e.err)
	}
	p, err := DecodeParams(pt, Public())
	if err != nil {
		return bad("parameters: %w", err)
	}
	f.p = p
	f.g = &Graph{NE: p.NE, NI: p.NI}
	f.w = &Weights{}
	sizes := [4][2]int{{p.NE, p.NE}, {p.NI, p.NE}, {p.NE, p.NI}, {p.NI, p.NI}}
	for c, pr := range f.g.Projections() {
		var dim [3]uint32
		e.get(dim[:])
		if e.err != nil {
			return bad("%w", e.err)
		}
		npre, npost, nsyn := int(dim[0]), int(dim[1]), int(dim[2])
		if npre != sizes[c][0] || npost != sizes[c][1] || nsyn > npre*npost {
			return bad("projection %d is %dx%d with %d synapses", c, npre, npost, nsyn)
		}
		*pr = Projection{NPre: npre, NPost: npost, Ptr: make([]int32, npre+1),
			Post: make([]int32, nsyn), Delay: make([]uint8, nsyn)}
		e.get(pr.Ptr)
		e.get(pr.Post)
		e.get(pr.Delay)
		ws := make([]float64, nsyn)
		if f.kind == kindWeights {
			w32 := make([]float32, nsyn)
			e.get(w32)
			for k, v := range w32 {
				ws[k] = float64(v)
			}
		} else {
			e.get(ws)
		}
		if e.err != nil {
			return bad("%w", e.err)
		}
		if err := pr.check(); err != nil {
			return bad("projection %d: %w", c, err)
		}
		for _, v := range ws {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad("projection %d has a weight %v", c, v)
			}
		}
		*f.w.Classes()[c] = ws
	}
	if f.kind == kindCheckpoint {
		var st [2]uint64
		var fl uint8
		e.get(st[:])
		e.get(&fl)
		f.seed, f.trials, f.filtered = st[0], st[1], fl == 1
		f.re, f.ri = make([]float64, p.NE), make([]float64, p.NI)
		e.get(f.re)
		e.get(f.ri)
		e.get(f.rng[:])
	}
	sum := crc.Sum32()
	var want uint32
	if e.err == nil {
		e.err = binary.Read(br, binary.LittleEndian, &want)
	}
	if e.err != nil {
		return bad("%w", e.err)
	}
	if sum != want {
		return bad("checksum %08x, want %08x", sum, want)
	}
	return f, nil
}

// check verifies that the CSR arrays are consistent: offsets rising from
// 0 to the synapse count, targets in range, delays in [1, maxDelay].
func (pr *Projection) check() error {
	if pr.Ptr[0] != 0 || int(pr.Ptr[pr.NPre]) != len(pr.Post) {
		return errors.New("row offsets do not span the synapses")
	}
	for k := range pr.NPre {
		if pr.Ptr[k+1] < pr.Ptr[k] {
			return errors.New("row offsets decrease")
		}
	}
	for k, j := range pr.Post {
		if j < 0 || int(j) >= pr.NPost {
			return fmt.Errorf("synapse %d targets cell %d", k, j)
		}
		if pr.Delay[k] == 0 {
			return fmt.Errorf("synapse %d has delay 0", k)
		}
	}
	return nil
}
