package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/paradoxlab/paradox/internal/atomicfile"
	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/regions"
	"github.com/paradoxlab/paradox/reports"
	"github.com/urfave/cli/v2"
)

// shardFlags are --shard and --shards.
func shardFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "shard", Category: "sharding",
			Usage: "compute only shard `i/N` (0 <= i < N) of the work, for a cluster array; " +
				"default from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shards"},
		&cli.IntFlag{Name: "shards", Category: "sharding",
			Usage: "number of shards N when the index comes from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs)"},
	}
}

// shard is a slice [lo, hi) of n work items: shard i of N takes items
// [i n/N, (i+1) n/N), so the shards cover the work exactly once.
type shard struct {
	on     bool
	i, n   int
	lo, hi int
}

// shardRange returns shard i of N over n items.
func shardRange(i, N, n int) (lo, hi int) {
	return i * n / N, (i + 1) * n / N
}

// resolveShard reads --shard, or the cluster's environment, and returns
// the slice of n items to compute (all of them when not sharded).
func resolveShard(c *cli.Context, n int) (shard, error) {
	spec, from := c.String("shard"), "--shard"
	if spec == "" {
		if id, ok := os.LookupEnv("SLURM_ARRAY_TASK_ID"); ok {
			count := os.Getenv("SLURM_ARRAY_TASK_COUNT")
			if count == "" {
				return shard{}, usageErrorf("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
			}
			spec, from = id+"/"+count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT"
		} else if id, ok := os.LookupEnv("JOB_COMPLETION_INDEX"); ok && c.IsSet("shards") {
			spec, from = id+"/"+strconv.Itoa(c.Int("shards")), "JOB_COMPLETION_INDEX/--shards"
		}
	}
	if spec == "" {
		return shard{lo: 0, hi: n}, nil
	}
	parts := strings.Split(spec, "/")
	if len(parts) != 2 {
		return shard{}, usageErrorf("%s %q: want i/N", from, spec)
	}
	i, err1 := strconv.Atoi(parts[0])
	N, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || N < 1 || i < 0 || i >= N {
		return shard{}, usageErrorf("%s %q: want i/N with 0 <= i < N", from, spec)
	}
	if N > n {
		return shard{}, usageErrorf("%s %q: %d shards for %d rows; use at most %d", from, spec, N, n, n)
	}
	lo, hi := shardRange(i, N, n)
	return shard{on: true, i: i, n: N, lo: lo, hi: hi}, nil
}

// mapManifest describes one shard of a map: what was computed, with which
// configuration, and a checksum of the data. It carries no date, so that
// a re-run shard writes the same bytes.
type mapManifest struct {
	Tool       string    `json:"tool"`
	Version    string    `json:"version"`
	Commit     string    `json:"commit"`
	ConfigHash string    `json:"config_hash"`
	Config     mapConfig `json:"config"`
	Shard      int       `json:"shard"`
	Shards     int       `json:"shards"`
	Rows       [2]int    `json:"rows"`
	Data       string    `json:"data"`
	SHA256     string    `json:"sha256"`
	Bytes      int64     `json:"bytes"`
}

// manifestSuffix ends the name of a shard's manifest.
const manifestSuffix = ".manifest.json"

// writeManifest writes the manifest of a finished shard (after its data).
func writeManifest(c *cli.Context, dir string, cfg mapConfig, sh shard, data string, sum *regions.Summary) error {
	h, n, err := fileSHA256(data)
	if err != nil {
		return err
	}
	m := mapManifest{
		Tool: "paradox", Version: provenance.Version, Commit: provenance.Commit(),
		ConfigHash: cfg.hash(), Config: cfg, Shard: sh.i, Shards: sh.n,
		Rows: [2]int{sh.lo, sh.hi}, Data: filepath.Base(data), SHA256: h, Bytes: n,
	}
	path := filepath.Join(dir, cfg.Name+manifestSuffix)
	if err := writeJSON(path, m); err != nil {
		return err
	}
	infof(c, "shard %d/%d: rows %d-%d of %d (%d cells) -> %s, %s",
		sh.i, sh.n, sh.lo, sh.hi-1, cfg.Grid.WIE.N, sum.Total, data, path)
	return nil
}

func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "check and assemble the shards of a sharded map into the unsharded result",
		UsageText: "paradox merge --out DIR [--csv FILE] SHARD_DIR...",
		Description: "Each shard of 'paradox map --shard i/N --out SHARD_DIR' writes NAME.npy (its rows)\n" +
			"and NAME.manifest.json (configuration and its hash, shard index, row range, tool\n" +
			"version and commit, SHA-256 of the data). merge checks that the shards share one\n" +
			"configuration hash and cover the rows exactly once (naming missing and duplicated\n" +
			"shards), verifies the checksums, and writes into --out what the unsharded map\n" +
			"writes: NAME.npy (byte-identical to 'map --npy'), the figures and NAME.json.\n" +
			"--csv FILE regenerates the per-cell CSV from the configuration.\n\n" +
			"Shard i of N takes rows [i*n/N, (i+1)*n/N) of the n WIE rows.\n\n" +
			"The .npy file is a NumPy structured array of shape (rows, nWEE): class (u1:\n" +
			"0 no_fixed_point, 1 neural_unstable, 2 plasticity_unstable, 3 stable), flags\n" +
			"(u1: 1 paradoxical, 2 neural marginal, 4 plasticity marginal), neural_max_re and\n" +
			"plasticity_max_re (little-endian float32, NaN where C = 0); numpy.load reads it.\n\n" +
			"Example (a Slurm array of 4 tasks, then the merge):\n" +
			"   paradox map --rule cross --wee 0:10:10000 --wie 0:20:10000 --shard 2/4 --out shards/2\n" +
			"   paradox merge --out merged shards/*",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Required: true, Usage: "folder `DIR` for the merged map"},
			&cli.StringFlag{Name: "csv", Usage: "also write the per-cell CSV to `FILE` (recomputed from the configuration)"},
			&cli.IntFlag{Name: "workers", Usage: "worker goroutines for --csv (default: all cores)"},
			quietFlag,
		},
		Action: mergeAction,
	}
}

func mergeAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageErrorf("give the shard folders to merge")
	}
	var ms []mapManifest
	var dirs []string
	for _, d := range c.Args().Slice() {
		paths, _ := filepath.Glob(filepath.Join(d, "*"+manifestSuffix))
		if len(paths) == 0 {
			return fmt.Errorf("%s: no finished shard (no *%s)", d, manifestSuffix)
		}
		for _, p := range paths {
			m, err := readManifest(p)
			if err != nil {
				return err
			}
			ms = append(ms, m)
			dirs = append(dirs, d)
		}
	}
	idx, err := checkCoverage(ms)
	if err != nil {
		return err
	}
	cfg := ms[0].Config
	out := c.String("out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	// Assemble the data, checking each shard's checksum as it streams.
	g := cfg.Grid
	raster := reports.NewRaster(g)
	var sum regions.Summary
	npyPath := filepath.Join(out, cfg.Name+".npy")
	f, err := atomicfile.Create(npyPath)
	if err != nil {
		return err
	}
	defer f.Abort()
	w := bufio.NewWriterSize(f, 1<<20)
	w.Write(regions.NPYHeader(g.WIE.N, g.WEE.N))
	for _, k := range idx {
		if err := appendShard(w, filepath.Join(dirs[k], ms[k].Data), ms[k], raster, &sum); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Commit(); err != nil {
		return err
	}

	job, err := cfg.job()
	if err != nil {
		return err
	}
	kernel, err := jacobian.NewPlaneKernel(job.rule)
	if err != nil {
		return err
	}
	prov := mapProvenance(c, cfg)
	if path := c.String("csv"); path != "" {
		if err := writeMapCSV(c, path, g, kernel, prov); err != nil {
			return err
		}
	}
	infof(c, "merged %d shards -> %s", len(ms), npyPath)
	return finishMap(c, out, cfg, job, kernel, raster, &sum, prov)
}

func readManifest(path string) (mapManifest, error) {
	var m mapManifest
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if m.Config.hash() != m.ConfigHash {
		return m, fmt.Errorf("%s: configuration does not match its hash (edited or from another version)", path)
	}
	return m, nil
}

// checkCoverage checks that the manifests share one configuration and
// that their rows cover the grid exactly once; it returns the manifests'
// indices in row order.
func checkCoverage(ms []mapManifest) ([]int, error) {
	for _, m := range ms[1:] {
		if m.ConfigHash != ms[0].ConfigHash {
			return nil, fmt.Errorf("shards of different configurations: %s (%s) and %s (%s)",
				ms[0].Config.Name, ms[0].ConfigHash[:12], m.Config.Name, m.ConfigHash[:12])
		}
	}
	idx := make([]int, len(ms))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return ms[idx[a]].Rows[0] < ms[idx[b]].Rows[0] })
	n := ms[0].Config.Grid.WIE.N
	var problems []string
	next := 0
	for _, k := range idx {
		r := ms[k].Rows
		switch {
		case r[0] > next:
			problems = append(problems, fmt.Sprintf("rows %d-%d missing", next, r[0]-1))
		case r[0] < next:
			problems = append(problems, fmt.Sprintf("rows %d-%d duplicated (shard %d/%d)", r[0], min(next, r[1])-1, ms[k].Shard, ms[k].Shards))
		}
		next = max(next, r[1])
	}
	if next < n {
		problems = append(problems, fmt.Sprintf("rows %d-%d missing", next, n-1))
	}
	if len(problems) > 0 {
		want := ms[0].Shards
		have := map[int]int{}
		for _, m := range ms {
			have[m.Shard]++
		}
		var missing, dup []string
		for i := 0; i < want; i++ {
			switch have[i] {
			case 0:
				missing = append(missing, strconv.Itoa(i))
			case 1:
			default:
				dup = append(dup, strconv.Itoa(i))
			}
		}
		msg := strings.Join(problems, "; ")
		if len(missing) > 0 {
			msg += fmt.Sprintf("; missing shards %s of %d", strings.Join(missing, ","), want)
		}
		if len(dup) > 0 {
			msg += fmt.Sprintf("; duplicated shards %s", strings.Join(dup, ","))
		}
		return nil, fmt.Errorf("the shards do not cover the map exactly once: %s", msg)
	}
	return idx, nil
}

// appendShard copies a shard's records to w, counting them into raster
// and sum, and checks the shard's checksum.
func appendShard(w io.Writer, path string, m mapManifest, raster *reports.Raster, sum *regions.Summary) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	r := bufio.NewReaderSize(io.TeeReader(f, h), 1<<20)
	rows, nx, err := regions.ReadNPYHeader(r)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	g := m.Config.Grid
	if rows != m.Rows[1]-m.Rows[0] || nx != g.WEE.N {
		return fmt.Errorf("%s: shape (%d, %d), manifest says (%d, %d)", path, rows, nx, m.Rows[1]-m.Rows[0], g.WEE.N)
	}
	p := m.Config.Params
	rec := make([]byte, regions.NPYRecordSize)
	row := make([]regions.Cell, nx)
	for j := m.Rows[0]; j < m.Rows[1]; j++ {
		WII := p.WIIOnPlane(g.WIE.At(j))
		for i := 0; i < nx; i++ {
			if _, err := io.ReadFull(r, rec); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			w.Write(rec)
			d := regions.DecodeNPY(rec)
			row[i] = regions.Cell{Row: j, Col: i, Class: d.Class}
			sum.AddRecord(d, p.WEIOnPlane(g.WEE.At(i)), WII)
		}
		raster.AddRow(row)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return fmt.Errorf("%s: trailing data after %d rows", path, rows)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return fmt.Errorf("%s: checksum %s, manifest says %s (corrupt or replaced)", path, got[:12], m.SHA256[:12])
	}
	return nil
}

// writeMapCSV recomputes the map and writes its per-cell CSV.
func writeMapCSV(c *cli.Context, path string, g regions.Grid, k *jacobian.PlaneKernel, prov provenance.Info) error {
	return writeAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := prov.WriteComments(bw, false); err != nil {
			return err
		}
		bw.WriteString(regions.CSVHeader + "\n")
		var line []byte
		_, err := regions.Run(c.Context, g, k, regions.Options{Workers: c.Int("workers")}, func(row []regions.Cell) error {
			for i := range row {
				line = regions.AppendCSV(line[:0], &row[i])
				bw.Write(line)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	})
}
