package regions

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The compact binary form of a map is a NumPy .npy file (format version
// 1.0) holding a structured array of shape (rows, nx), rows in increasing
// WIE, columns in increasing WEE, with the record layout
//
//	offset size field              meaning
//	0      1    class              Class code: 0 no_fixed_point,
//	                               1 neural_unstable, 2 plasticity_unstable,
//	                               3 stable
//	1      1    flags              bit 0 paradoxical, bit 1 neural
//	                               marginal, bit 2 plasticity marginal
//	2      4    neural_max_re      float32, little endian; NaN if singular
//	6      4    plasticity_max_re  float32, little endian; NaN if singular
//
// 10 bytes a cell, so a 1e4 x 1e4 map takes 1 GB. numpy.load reads it as
// is; the grid's axes are in the JSON written beside it.
const (
	// NPYRecordSize is the size of one cell's record in bytes.
	NPYRecordSize = 10

	npyDescr = "[('class', '|u1'), ('flags', '|u1'), ('neural_max_re', '<f4'), ('plasticity_max_re', '<f4')]"
)

// Flag bits of the npy record.
const (
	FlagParadoxical        = 1 << 0
	FlagNeuralMarginal     = 1 << 1
	FlagPlasticityMarginal = 1 << 2
)

// NPYHeader returns the .npy header for a map of rows x nx cells; its
// length is a multiple of 64 bytes, as the format asks.
func NPYHeader(rows, nx int) []byte {
	dict := fmt.Sprintf("{'descr': %s, 'fortran_order': False, 'shape': (%d, %d), }", npyDescr, rows, nx)
	const pre = 10 // magic (6), version (2), header length (2)
	total := pre + len(dict) + 1
	pad := (64 - total%64) % 64
	dict += strings.Repeat(" ", pad) + "\n"
	h := make([]byte, pre, pre+len(dict))
	copy(h, "\x93NUMPY\x01\x00")
	binary.LittleEndian.PutUint16(h[8:], uint16(len(dict)))
	return append(h, dict...)
}

// AppendNPY appends the record of c to dst.
func AppendNPY(dst []byte, c *Cell) []byte {
	var flags byte
	if c.Paradoxical {
		flags |= FlagParadoxical
	}
	if c.NeuralMarginal() {
		flags |= FlagNeuralMarginal
	}
	if c.PlasticityMarginal() {
		flags |= FlagPlasticityMarginal
	}
	nre, pre := float32(math.NaN()), float32(math.NaN())
	if !c.Singular {
		nre, pre = float32(c.NeuralMaxRe), float32(c.PlasticityMaxRe)
	}
	dst = append(dst, byte(c.Class), flags)
	dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(nre))
	return binary.LittleEndian.AppendUint32(dst, math.Float32bits(pre))
}

// NPYRecord is one decoded record.
type NPYRecord struct {
	Class                        Class
	Flags                        byte
	NeuralMaxRe, PlasticityMaxRe float32
}

// DecodeNPY decodes one record from b (len ≥ NPYRecordSize).
func DecodeNPY(b []byte) NPYRecord {
	return NPYRecord{
		Class:           Class(b[0]),
		Flags:           b[1],
		NeuralMaxRe:     math.Float32frombits(binary.LittleEndian.Uint32(b[2:])),
		PlasticityMaxRe: math.Float32frombits(binary.LittleEndian.Uint32(b[6:])),
	}
}

// ReadNPYHeader reads the header of a map .npy file and returns its
// shape. It rejects files of another layout.
func ReadNPYHeader(r *bufio.Reader) (rows, nx int, err error) {
	pre := make([]byte, 10)
	if _, err := io.ReadFull(r, pre); err != nil {
		return 0, 0, fmt.Errorf("npy: %w", err)
	}
	if string(pre[:8]) != "\x93NUMPY\x01\x00" {
		return 0, 0, fmt.Errorf("npy: not a version 1.0 .npy file")
	}
	dict := make([]byte, binary.LittleEndian.Uint16(pre[8:]))
	if _, err := io.ReadFull(r, dict); err != nil {
		return 0, 0, fmt.Errorf("npy: %w", err)
	}
	s := string(dict)
	if !strings.Contains(s, npyDescr) {
		return 0, 0, fmt.Errorf("npy: not a paradox map (descr differs)")
	}
	i := strings.Index(s, "'shape': (")
	if i < 0 {
		return 0, 0, fmt.Errorf("npy: no shape")
	}
	rest := s[i+len("'shape': ("):]
	end := strings.Index(rest, ")")
	if end < 0 {
		return 0, 0, fmt.Errorf("npy: bad shape %q", rest)
	}
	parts := strings.SplitN(rest[:end], ",", 3)
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("npy: bad shape %q", rest)
	}
	if rows, err = strconv.Atoi(strings.TrimSpace(parts[0])); err != nil {
		return 0, 0, fmt.Errorf("npy: bad shape: %w", err)
	}
	if nx, err = strconv.Atoi(strings.TrimSpace(parts[1])); err != nil {
		return 0, 0, fmt.Errorf("npy: bad shape: %w", err)
	}
	return rows, nx, nil
}
