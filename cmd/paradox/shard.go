package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paradoxlab/paradox/internal/atomicfile"
	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/regions"
	"github.com/paradoxlab/paradox/reports"
	"github.com/paradoxlab/paradox/sim"
	"github.com/paradoxlab/paradox/sim/multiunit"
	"github.com/paradoxlab/paradox/verify"
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
// the slice of n map rows to compute (all of them when not sharded).
func resolveShard(c *cli.Context, n int) (shard, error) {
	return resolveShardOf(c, n, "rows")
}

// resolveShardOf is resolveShard over n items named unit ("rows", "runs").
func resolveShardOf(c *cli.Context, n int, unit string) (shard, error) {
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
		return shard{}, usageErrorf("%s %q: %d shards for %d %s; use at most %d", from, spec, N, n, unit, n)
	}
	lo, hi := shardRange(i, N, n)
	return shard{on: true, i: i, n: N, lo: lo, hi: hi}, nil
}

// manifest describes one finished shard: the kind of work ("map",
// "ensemble", "multiunit" or "agreement"), its configuration and the
// hash that identifies it, the slice of the work (rows of a map, runs of
// an ensemble or a multiunit batch, cells of the agreement check), the
// tool, and a checksum of the data. It carries no date, so that a re-run
// shard writes the same bytes.
type manifest struct {
	Kind       string          `json:"kind"`
	Tool       string          `json:"tool"`
	Version    string          `json:"version"`
	Commit     string          `json:"commit"`
	ConfigHash string          `json:"config_hash"`
	Config     json.RawMessage `json:"config"`
	Shard      int             `json:"shard"`
	Shards     int             `json:"shards"`
	Range      [2]int          `json:"range"`
	Data       string          `json:"data"`
	SHA256     string          `json:"sha256"`
	Bytes      int64           `json:"bytes"`

	// mapCfg, ensCfg, muCfg or agCfg is Config, decoded by readManifest.
	mapCfg *mapConfig
	ensCfg *ensembleConfig
	muCfg  *multiunitConfig
	agCfg  *agreementConfig
}

// Kinds of shard.
const (
	kindMap       = "map"
	kindEnsemble  = "ensemble"
	kindMultiunit = "multiunit"
	kindAgreement = "agreement"
)

// manifestSuffix ends the name of a shard's manifest.
const manifestSuffix = ".manifest.json"

// shardConfig is the configuration of a sharded command (mapConfig,
// ensembleConfig, multiunitConfig): everything its result depends on.
// hash returns the SHA-256 of its JSON form, which identifies the work.
type shardConfig interface {
	hash() string
}

// jsonHash returns the SHA-256 of the JSON form of v, in hex.
func jsonHash(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// writeManifest writes the manifest of a finished map shard (after its
// data).
func writeManifest(c *cli.Context, dir string, cfg mapConfig, sh shard, data string, sum *regions.Summary) error {
	path := filepath.Join(dir, cfg.Name+manifestSuffix)
	if err := writeShardManifest(path, kindMap, cfg, sh, data); err != nil {
		return err
	}
	infof(c, "shard %d/%d: rows %d-%d of %d (%d cells) -> %s, %s",
		sh.i, sh.n, sh.lo, sh.hi-1, cfg.Grid.WIE.N, sum.Total, data, path)
	return nil
}

// writeShardManifest writes to path the manifest of shard sh of the
// given kind and configuration, whose data is in the file data.
func writeShardManifest(path, kind string, cfg shardConfig, sh shard, data string) error {
	h, n, err := fileSHA256(data)
	if err != nil {
		return err
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	m := manifest{
		Kind: kind, Tool: "paradox", Version: provenance.Version, Commit: provenance.Commit(),
		ConfigHash: cfg.hash(), Config: b, Shard: sh.i, Shards: sh.n,
		Range: [2]int{sh.lo, sh.hi}, Data: filepath.Base(data), SHA256: h, Bytes: n,
	}
	return writeJSON(path, m)
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
		Usage:     "check and assemble the shards of a sharded map, ensemble, multiunit batch or agreement check into the unsharded result",
		UsageText: "paradox merge --out DIR [--csv FILE] SHARD_DIR...",
		Description: "Each shard ('paradox map|ensemble|multiunit|verify --shard i/N --out SHARD_DIR')\n" +
			"writes its data and a NAME.manifest.json: the kind (map, ensemble, multiunit or\n" +
			"agreement), the configuration and its hash, the shard index, the range of rows,\n" +
			"runs or cells, the tool version and commit, and the SHA-256 of the data. merge\n" +
			"checks that the shards are of one kind, share one configuration hash and cover\n" +
			"the work exactly once (naming missing and duplicated shards), verifies the\n" +
			"checksums, and writes what the unsharded command writes.\n\n" +
			"Maps: shard i of N takes rows [i*n/N, (i+1)*n/N) of the n WIE rows and writes\n" +
			"NAME.npy. merge writes into --out NAME.npy (byte-identical to 'map --npy'), the\n" +
			"figures and NAME.json; --csv FILE regenerates the per-cell CSV from the\n" +
			"configuration. The .npy file is a NumPy structured array of shape (rows, nWEE):\n" +
			"class (u1: 0 no_fixed_point, 1 neural_unstable, 2 plasticity_unstable,\n" +
			"3 stable), flags (u1: 1 paradoxical, 2 neural marginal, 4 plasticity marginal),\n" +
			"neural_max_re and plasticity_max_re (little-endian float32, NaN where C = 0);\n" +
			"numpy.load reads it.\n\n" +
			"Ensembles: shard i of N takes runs [i*M/N, (i+1)*M/N) of the M runs of every\n" +
			"setpoint pair and writes ensemble.runs.json (JSON Lines, one run a line: pair,\n" +
			"run, w0, final and the kept trials as [trial, WEE, WEI, WIE, WII, E, I, meanE,\n" +
			"meanI], overflow; exact floats, non-finite ones as \"NaN\", \"+Inf\", \"-Inf\").\n" +
			"merge writes the per-run CSV to --csv FILE (default DIR/ensemble.csv) with the\n" +
			"data rows of the unsharded 'paradox ensemble', and its figures into --out.\n\n" +
			"Multiunit batches: shard i of N takes runs [i*M/N, (i+1)*M/N) of 'paradox\n" +
			"multiunit --runs M' and writes multiunit.runs.json (JSON Lines, one run a line:\n" +
			"run, w0_sums, the trials as the 15 numbers of a CSV row before its run column,\n" +
			"overflow; run 0's line also holds the example network: weights before and after,\n" +
			"unit rates and inputs, traces; exact floats as for ensembles). merge writes the\n" +
			"per-trial CSV to --csv FILE (default DIR/multiunit.csv), the per-run CSV of\n" +
			"--runs-csv to DIR/multiunit_runs.csv, both with the data rows of the unsharded\n" +
			"command, and its figures into --out.\n\n" +
			"Agreement checks ('paradox verify --only 'agreement.*' --shard i/N --out DIR'):\n" +
			"the cell list joins the selected agreement claims in order, each claim's\n" +
			"simulated cells row by row (WIE ascending, then WEE ascending; singular cells\n" +
			"and those with a non-positive setpoint weight left out); shard i of N takes\n" +
			"cells [i*n/N, (i+1)*n/N) and writes agreement.cells.json (JSON Lines, one cell a\n" +
			"line: index, claim and the fields of verify.AgreementCell; exact floats as for\n" +
			"ensembles). merge recomputes the claims' cell lists from the catalogue, checks\n" +
			"them against the shards' configuration hash, writes the verdicts of the\n" +
			"unsharded 'paradox verify --json' to DIR/verify.json (with seconds 0 per claim:\n" +
			"shards record no timing) and the table to stdout; it exits 1 when a claim does\n" +
			"not pass.\n\n" +
			"Examples (a Slurm array of 4 tasks, then the merge):\n" +
			"   paradox map --rule cross --wee 0:10:10000 --wie 0:20:10000 --shard 2/4 --out shards/2\n" +
			"   paradox ensemble --rule cross --runs 1000 --shard 2/4 --out shards/2\n" +
			"   paradox multiunit --rule cross --runs 400 --shard 2/4 --out shards/2\n" +
			"   paradox verify --only 'agreement.*' --agreement-cells 40 --shard 2/4 --out shards/2\n" +
			"   paradox merge --out merged shards/*",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "folder `DIR` for the merged result (required)"},
			&cli.StringFlag{Name: "csv", Usage: "also write the CSV to `FILE` (a map's per-cell CSV is recomputed from the configuration; an ensemble's defaults to DIR/ensemble.csv, a multiunit batch's per-trial CSV to DIR/multiunit.csv)"},
			&cli.IntFlag{Name: "workers", Usage: "worker goroutines for a map's --csv (default: all cores)"},
			quietFlag,
		},
		Action: mergeAction,
	}
}

func mergeAction(c *cli.Context) error {
	if c.String("out") == "" {
		return usageErrorf("--out DIR is required: the folder for the merged result (flags go before the shard folders)")
	}
	if c.NArg() == 0 {
		return usageErrorf("give the shard folders to merge")
	}
	var ms []manifest
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
			if len(ms) > 0 && m.Kind != ms[0].Kind {
				return fmt.Errorf("shards of different kinds: %s (%s) and %s (%s); merge shards of one kind",
					dirs[0], ms[0].Kind, d, m.Kind)
			}
			ms = append(ms, m)
			dirs = append(dirs, d)
		}
	}
	if err := os.MkdirAll(c.String("out"), 0o755); err != nil {
		return err
	}
	switch ms[0].Kind {
	case kindEnsemble:
		return mergeEnsemble(c, ms, dirs)
	case kindMultiunit:
		return mergeMultiunit(c, ms, dirs)
	case kindAgreement:
		return mergeAgreement(c, ms, dirs)
	}
	return mergeMap(c, ms, dirs)
}

// mergeMap assembles the shards of a map.
func mergeMap(c *cli.Context, ms []manifest, dirs []string) error {
	cfg := *ms[0].mapCfg
	g := cfg.Grid
	idx, err := checkCoverage(ms, g.WIE.N, "rows", "map", func(m manifest) string { return m.mapCfg.Name })
	if err != nil {
		return err
	}
	out := c.String("out")

	// Assemble the data, checking each shard's checksum as it streams.
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

// readManifest reads a shard's manifest and decodes its configuration,
// which must match its hash.
// short abbreviates a hash for messages; it is safe on any string read
// from a file.
func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// checkData verifies a shard's data file against its manifest's checksum
// before anything decodes it; every shard reader calls it first (the
// readers' own streaming checksums then only guard against a file that
// changes while it is read).
func checkData(path string, m manifest) error {
	got, _, err := fileSHA256(path)
	if err != nil {
		return err
	}
	if got != m.SHA256 {
		return fmt.Errorf("%s: checksum %s, manifest says %s (corrupt or replaced)", path, short(got), short(m.SHA256))
	}
	return nil
}

func readManifest(path string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	var cfg shardConfig
	switch m.Kind {
	case kindMap:
		m.mapCfg = new(mapConfig)
		cfg = m.mapCfg
	case kindEnsemble:
		m.ensCfg = new(ensembleConfig)
		cfg = m.ensCfg
	case kindMultiunit:
		m.muCfg = new(multiunitConfig)
		cfg = m.muCfg
	case kindAgreement:
		m.agCfg = new(agreementConfig)
		cfg = m.agCfg
	default:
		return m, fmt.Errorf("%s: kind %q, want %q, %q, %q or %q", path, m.Kind, kindMap, kindEnsemble, kindMultiunit, kindAgreement)
	}
	if err := json.Unmarshal(m.Config, cfg); err != nil {
		return m, fmt.Errorf("%s: config: %w", path, err)
	}
	if cfg.hash() != m.ConfigHash {
		return m, fmt.Errorf("%s: configuration does not match its hash (edited or from another version)", path)
	}
	return m, nil
}

// checkCoverage checks that the manifests share one configuration and
// that their ranges cover the n items (unit: "rows", "runs", "cells") of
// the work (what: "map", "ensemble", "multiunit batch", "agreement
// check") exactly once; it returns the manifests' indices in order of
// their ranges. name names a manifest's work.
func checkCoverage(ms []manifest, n int, unit, what string, name func(manifest) string) ([]int, error) {
	for _, m := range ms[1:] {
		if m.ConfigHash != ms[0].ConfigHash {
			return nil, fmt.Errorf("shards of different configurations: %s (%s) and %s (%s)",
				name(ms[0]), short(ms[0].ConfigHash), name(m), short(m.ConfigHash))
		}
	}
	idx := make([]int, len(ms))
	for i := range idx {
		idx[i] = i
		if r := ms[i].Range; r[0] < 0 || r[0] >= r[1] || r[1] > n {
			return nil, fmt.Errorf("%s: range %d-%d is not within the %d %s of the %s",
				name(ms[i]), r[0], r[1]-1, n, unit, what)
		}
	}
	sort.Slice(idx, func(a, b int) bool { return ms[idx[a]].Range[0] < ms[idx[b]].Range[0] })
	var problems []string
	next := 0
	for _, k := range idx {
		r := ms[k].Range
		switch {
		case r[0] > next:
			problems = append(problems, fmt.Sprintf("%s %d-%d missing", unit, next, r[0]-1))
		case r[0] < next:
			problems = append(problems, fmt.Sprintf("%s %d-%d duplicated (shard %d/%d)", unit, r[0], min(next, r[1])-1, ms[k].Shard, ms[k].Shards))
		}
		next = max(next, r[1])
	}
	if next < n {
		problems = append(problems, fmt.Sprintf("%s %d-%d missing", unit, next, n-1))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the shards do not cover the %s exactly once: %s", what, coverageProblems(ms, problems))
	}
	return idx, nil
}

// coverageProblems joins the problems found by checkCoverage and names
// the missing and duplicated shards.
func coverageProblems(ms []manifest, problems []string) string {
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
	return msg
}

// appendShard copies a shard's records to w, counting them into raster
// and sum, and checks the shard's checksum.
func appendShard(w io.Writer, path string, m manifest, raster *reports.Raster, sum *regions.Summary) error {
	if err := checkData(path, m); err != nil {
		return err
	}
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
	g := m.mapCfg.Grid
	if rows != m.Range[1]-m.Range[0] || nx != g.WEE.N {
		return fmt.Errorf("%s: shape (%d, %d), manifest says (%d, %d)", path, rows, nx, m.Range[1]-m.Range[0], g.WEE.N)
	}
	p := m.mapCfg.Params
	rec := make([]byte, regions.NPYRecordSize)
	row := make([]regions.Cell, nx)
	for j := m.Range[0]; j < m.Range[1]; j++ {
		WII := p.WIIOnPlane(g.WIE.At(j))
		for i := 0; i < nx; i++ {
			if _, err := io.ReadFull(r, rec); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			w.Write(rec)
			d := regions.DecodeNPY(rec)
			if d.Class >= regions.NumClasses {
				return fmt.Errorf("%s: row %d, column %d: class %d is not a class", path, j, i, d.Class)
			}
			row[i] = regions.Cell{Row: j, Col: i, Class: d.Class}
			sum.AddRecord(d, p.WEIOnPlane(g.WEE.At(i)), WII)
		}
		raster.AddRow(row)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return fmt.Errorf("%s: trailing data after %d rows", path, rows)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return fmt.Errorf("%s: checksum %s, manifest says %s (corrupt or replaced)", path, short(got), short(m.SHA256))
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

// Ensemble shards.

// ensembleConfig is everything an ensemble depends on; its hash
// identifies the work of a sharded ensemble. Sim has Workers and Range
// zero (the result depends on neither). Settings are the provenance
// settings of the unsharded run, which the merged CSV carries.
type ensembleConfig struct {
	Rule      string             `json:"rule"`
	Exprs     [4]string          `json:"exprs"`
	Consts    map[string]float64 `json:"consts,omitempty"`
	Rates     jacobian.Rates     `json:"rates"`
	Sim       sim.EnsembleConfig `json:"sim"`
	Setpoints [][2]float64       `json:"setpoints"`
	Seed      uint64             `json:"seed"`
	Settings  map[string]string  `json:"settings"`
	Version   string             `json:"version"`
}

// hash is the SHA-256 of the configuration's JSON form.
func (e ensembleConfig) hash() string { return jsonHash(e) }

// name names the ensemble in messages.
func (e *ensembleConfig) name() string {
	return fmt.Sprintf("%s ensemble of %d runs, seed %d", e.Rule, e.Sim.Runs, e.Seed)
}

// pairs returns the setpoint pairs and the model constants of each.
func (e *ensembleConfig) pairs() ([]simPair, []model.Params) {
	pairs := make([]simPair, len(e.Setpoints))
	params := make([]model.Params, len(e.Setpoints))
	for k, sp := range e.Setpoints {
		pairs[k] = simPair{sp[0], sp[1]}
		params[k] = e.Sim.Params
		params[k].Eset, params[k].Iset = sp[0], sp[1]
	}
	return pairs, params
}

// Files of an ensemble shard.
const (
	ensembleName = "ensemble"
	ensembleData = ensembleName + ".runs.json"
)

// xfloat is a float64 that JSON carries exactly: a finite value as a
// number in the shortest form that parses back to the same bits, NaN
// and the infinities as the strings "NaN", "+Inf" and "-Inf".
type xfloat float64

func (x xfloat) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.AppendQuote(nil, strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

func (x *xfloat) UnmarshalJSON(b []byte) error {
	s := string(b)
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", b)
	}
	*x = xfloat(f)
	return nil
}

// runRecord is a sim.TrialRecord as the array
// [trial, WEE, WEI, WIE, WII, E, I, meanE, meanI].
type runRecord [9]xfloat

func newRunRecord(r sim.TrialRecord) runRecord {
	return runRecord{xfloat(r.Trial), xfloat(r.W.WEE), xfloat(r.W.WEI), xfloat(r.W.WIE), xfloat(r.W.WII),
		xfloat(r.E), xfloat(r.I), xfloat(r.MeanE), xfloat(r.MeanI)}
}

func (r runRecord) record() sim.TrialRecord {
	return sim.TrialRecord{
		Trial: int(r[0]),
		W:     model.Weights{WEE: float64(r[1]), WEI: float64(r[2]), WIE: float64(r[3]), WII: float64(r[4])},
		E:     float64(r[5]), I: float64(r[6]), MeanE: float64(r[7]), MeanI: float64(r[8]),
	}
}

// runLine is one run of an ensemble shard's data: one line of
// ensemble.runs.json.
type runLine struct {
	Pair     int          `json:"pair"`
	Run      int          `json:"run"`
	W0       [4]xfloat    `json:"w0"`
	Final    runRecord    `json:"final"`
	Trials   []runRecord  `json:"trials"`
	Overflow *runOverflow `json:"overflow,omitempty"`
}

// runOverflow is a *sim.OverflowError.
type runOverflow struct {
	Trial  int    `json:"trial"`
	Step   int    `json:"step"`
	Weight string `json:"weight"`
	Value  xfloat `json:"value"`
	E      xfloat `json:"E"`
	I      xfloat `json:"I"`
}

func newRunLine(pair int, s *sim.RunSummary) (runLine, error) {
	l := runLine{Pair: pair, Run: s.Run, Final: newRunRecord(s.Final)}
	for i, v := range s.W0.Array() {
		l.W0[i] = xfloat(v)
	}
	if s.Trials != nil {
		l.Trials = make([]runRecord, len(s.Trials))
		for i, r := range s.Trials {
			l.Trials[i] = newRunRecord(r)
		}
	}
	var err error
	l.Overflow, err = newRunOverflow(s.Run, s.Err)
	return l, err
}

// newRunOverflow records the error of run, a *sim.OverflowError or nil.
func newRunOverflow(run int, err error) (*runOverflow, error) {
	if err == nil {
		return nil, nil
	}
	o, ok := err.(*sim.OverflowError)
	if !ok {
		return nil, fmt.Errorf("run %d: cannot record the error %v", run, err)
	}
	return &runOverflow{o.Trial, o.Step, o.Weight, xfloat(o.Value), xfloat(o.E), xfloat(o.I)}, nil
}

// err returns the recorded error (nil for a nil o).
func (o *runOverflow) err() error {
	if o == nil {
		return nil
	}
	return &sim.OverflowError{Trial: o.Trial, Step: o.Step, Weight: o.Weight,
		Value: float64(o.Value), E: float64(o.E), I: float64(o.I)}
}

func (l *runLine) summary() sim.RunSummary {
	s := sim.RunSummary{Run: l.Run, Final: l.Final.record()}
	s.W0 = model.Weights{WEE: float64(l.W0[0]), WEI: float64(l.W0[1]), WIE: float64(l.W0[2]), WII: float64(l.W0[3])}
	if l.Trials != nil {
		s.Trials = make([]sim.TrialRecord, len(l.Trials))
		for i, r := range l.Trials {
			s.Trials[i] = r.record()
		}
	}
	s.Err = l.Overflow.err()
	return s
}

// writeEnsembleRuns writes the runs of every setpoint pair, one JSON
// line a run, pair by pair.
func writeEnsembleRuns(w io.Writer, results []sim.EnsembleResult) error {
	enc := json.NewEncoder(w)
	for k := range results {
		for i := range results[k].Runs {
			l, err := newRunLine(k, &results[k].Runs[i])
			if err != nil {
				return err
			}
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeEnsembleShard writes an ensemble shard's manifest, after its
// data (the file data).
func writeEnsembleShard(c *cli.Context, dir string, cfg ensembleConfig, sh shard, data string) error {
	path := filepath.Join(dir, ensembleName+manifestSuffix)
	if err := writeShardManifest(path, kindEnsemble, cfg, sh, data); err != nil {
		return err
	}
	infof(c, "shard %d/%d: runs %d-%d of %d (x %d setpoint pairs) -> %s, %s",
		sh.i, sh.n, sh.lo, sh.hi-1, cfg.Sim.Runs, len(cfg.Setpoints), data, path)
	return nil
}

// readEnsembleShard appends the runs of a shard's data to results,
// checking that it holds the runs its manifest names, and its checksum.
func readEnsembleShard(path string, m manifest, results []sim.EnsembleResult) error {
	if err := checkData(path, m); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	dec := json.NewDecoder(bufio.NewReaderSize(io.TeeReader(f, h), 1<<20))
	for k := range results {
		for run := m.Range[0]; run < m.Range[1]; run++ {
			var l runLine
			if err := dec.Decode(&l); err != nil {
				return fmt.Errorf("%s: reading pair %d, run %d: %w", path, k, run, err)
			}
			if l.Pair != k || l.Run != run {
				return fmt.Errorf("%s: found pair %d, run %d where pair %d, run %d belongs", path, l.Pair, l.Run, k, run)
			}
			results[k].Runs = append(results[k].Runs, l.summary())
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s: trailing data after %d runs of %d pairs", path, m.Range[1]-m.Range[0], len(results))
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return fmt.Errorf("%s: checksum %s, manifest says %s (corrupt or replaced)", path, short(got), short(m.SHA256))
	}
	return nil
}

// mergeEnsemble assembles the shards of an ensemble and writes the CSV
// and figures of the unsharded run.
func mergeEnsemble(c *cli.Context, ms []manifest, dirs []string) error {
	cfg := ms[0].ensCfg
	idx, err := checkCoverage(ms, cfg.Sim.Runs, "runs", "ensemble", func(m manifest) string { return m.ensCfg.name() })
	if err != nil {
		return err
	}
	results := make([]sim.EnsembleResult, len(cfg.Setpoints))
	for k := range results {
		results[k] = sim.EnsembleResult{Seed: cfg.Seed, Runs: make([]sim.RunSummary, 0, cfg.Sim.Runs)}
	}
	for _, k := range idx {
		if err := readEnsembleShard(filepath.Join(dirs[k], ms[k].Data), ms[k], results); err != nil {
			return err
		}
	}

	out := c.String("out")
	prov := newProvenance(c)
	maps.Copy(prov.Settings, cfg.Settings)
	path := c.String("csv")
	if path == "" {
		path = filepath.Join(out, ensembleName+".csv")
	}
	pairs, params := cfg.pairs()
	if err := writeEnsembleCSV(c, path, prov, pairs, results); err != nil {
		return err
	}
	reportEnsemble(c, pairs, results)
	infof(c, "merged %d shards of the %s", len(ms), cfg.name())
	return ensembleFigures(c, out, pairs, params, results)
}

// Multiunit shards.

// multiunitConfig is everything a multiunit batch depends on; its hash
// identifies the work of a sharded batch. Batch has Workers and Range
// zero (the result depends on neither). Settings are the provenance
// settings of the unsharded command, which the merged CSVs carry.
type multiunitConfig struct {
	Rule     string                `json:"rule"`
	Exprs    [4]string             `json:"exprs"`
	Consts   map[string]float64    `json:"consts,omitempty"`
	Rates    jacobian.Rates        `json:"rates"`
	Batch    multiunit.BatchConfig `json:"batch"`
	Seed     uint64                `json:"seed"`
	Settings map[string]string     `json:"settings"`
	Version  string                `json:"version"`
}

// newMultiunitConfig returns the configuration of a resolved multiunit
// command.
func newMultiunitConfig(j *muJob) multiunitConfig {
	f := j.jrule.Family
	cfg := multiunitConfig{
		Rule: f.Name, Consts: f.Consts, Rates: j.jrule.Rates, Batch: j.cfg, Seed: j.seed,
		Settings: maps.Clone(j.prov.Settings), Version: provenance.Version,
	}
	cfg.Batch.Workers, cfg.Batch.Range = 0, [2]int{}
	for i, x := range f.Exprs {
		cfg.Exprs[i] = expr.String(x)
	}
	return cfg
}

// hash is the SHA-256 of the configuration's JSON form.
func (m multiunitConfig) hash() string { return jsonHash(m) }

// name names the batch in messages.
func (m *multiunitConfig) name() string {
	return fmt.Sprintf("%s multiunit batch of %d runs, seed %d", m.Rule, m.Batch.Runs, m.Seed)
}

// Files of a multiunit shard.
const (
	muName = "multiunit"
	muData = muName + ".runs.json"
)

// muRunLine is one run of a multiunit shard's data: one line of
// multiunit.runs.json. Run 0's line also holds the example network.
type muRunLine struct {
	Run      int          `json:"run"`
	W0Sums   [4]xfloat    `json:"w0_sums"`
	Trials   []muRecord   `json:"trials"`
	Overflow *runOverflow `json:"overflow,omitempty"`
	Example  *muExample   `json:"example,omitempty"`
}

// muRecord is a multiunit.TrialRecord as the array [trial, E, E_sd, I,
// I_sd, E_min, E_max, I_min, I_max, meanE, meanI, WEEp, WEIp, WIEp,
// WIIp], the columns of the per-trial CSV.
type muRecord [15]xfloat

func newMuRecord(r multiunit.TrialRecord) muRecord {
	return muRecord{xfloat(r.Trial), xfloat(r.E), xfloat(r.ESD), xfloat(r.I), xfloat(r.ISD),
		xfloat(r.EMin), xfloat(r.EMax), xfloat(r.IMin), xfloat(r.IMax), xfloat(r.MeanE), xfloat(r.MeanI),
		xfloat(r.Sums.WEE), xfloat(r.Sums.WEI), xfloat(r.Sums.WIE), xfloat(r.Sums.WII)}
}

func (r muRecord) record() multiunit.TrialRecord {
	return multiunit.TrialRecord{
		Trial: int(r[0]), E: float64(r[1]), ESD: float64(r[2]), I: float64(r[3]), ISD: float64(r[4]),
		EMin: float64(r[5]), EMax: float64(r[6]), IMin: float64(r[7]), IMax: float64(r[8]),
		MeanE: float64(r[9]), MeanI: float64(r[10]),
		Sums: model.Weights{WEE: float64(r[11]), WEI: float64(r[12]), WIE: float64(r[13]), WII: float64(r[14])},
	}
}

// muExample is run 0 of a batch in full (multiunit.Result), what the
// panels of one network and --units-csv need.
type muExample struct {
	W0      muWeights  `json:"w0"`
	W       muWeights  `json:"w"`
	Units   [][]xfloat `json:"units,omitempty"`
	UnitExc [][]xfloat `json:"unit_exc,omitempty"`
	UnitInh [][]xfloat `json:"unit_inh,omitempty"`
	Traces  []muTrace  `json:"traces,omitempty"`
}

// muWeights is a *multiunit.Weights. Conn is absent for all to all
// without self-connections, else "1" where unit j projects to unit i
// and "0" elsewhere, in the layout of W.
type muWeights struct {
	NE   int      `json:"ne"`
	NI   int      `json:"ni"`
	W    []xfloat `json:"w"`
	Conn string   `json:"conn,omitempty"`
}

// muTrace is a multiunit.Trace.
type muTrace struct {
	Trial int        `json:"trial"`
	Units []int      `json:"units"`
	T0    xfloat     `json:"t0"`
	Dt    xfloat     `json:"dt"`
	R     [][]xfloat `json:"r"`
}

func xfloats(v []float64) []xfloat {
	x := make([]xfloat, len(v))
	for i, f := range v {
		x[i] = xfloat(f)
	}
	return x
}

func float64s(x []xfloat) []float64 {
	v := make([]float64, len(x))
	for i, f := range x {
		v[i] = float64(f)
	}
	return v
}

func xfloats2(v [][]float64) [][]xfloat {
	if v == nil {
		return nil
	}
	x := make([][]xfloat, len(v))
	for i := range v {
		x[i] = xfloats(v[i])
	}
	return x
}

func float64s2(x [][]xfloat) [][]float64 {
	if x == nil {
		return nil
	}
	v := make([][]float64, len(x))
	for i := range x {
		v[i] = float64s(x[i])
	}
	return v
}

func newMuWeights(w *multiunit.Weights) muWeights {
	m := muWeights{NE: w.NE, NI: w.NI, W: xfloats(w.W)}
	if w.Conn != nil {
		b := make([]byte, len(w.Conn))
		for i, on := range w.Conn {
			b[i] = "01"[btoi(on)]
		}
		m.Conn = string(b)
	}
	return m
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// weights returns the weights, or an error if their sizes disagree.
func (m *muWeights) weights() (*multiunit.Weights, error) {
	n := m.NE + m.NI
	if m.NE < 0 || m.NI < 0 || len(m.W) != n*n || (m.Conn != "" && len(m.Conn) != n*n) {
		return nil, fmt.Errorf("weights of %d+%d units with %d entries and %d connection marks", m.NE, m.NI, len(m.W), len(m.Conn))
	}
	w := &multiunit.Weights{NE: m.NE, NI: m.NI, W: float64s(m.W)}
	if m.Conn != "" {
		w.Conn = make([]bool, len(m.Conn))
		for i := range m.Conn {
			w.Conn[i] = m.Conn[i] == '1'
		}
	}
	return w, nil
}

func newMuExample(r *multiunit.Result) *muExample {
	e := &muExample{W0: newMuWeights(r.W0), W: newMuWeights(r.W),
		Units: xfloats2(r.Units), UnitExc: xfloats2(r.UnitExc), UnitInh: xfloats2(r.UnitInh)}
	for _, t := range r.Traces {
		e.Traces = append(e.Traces, muTrace{Trial: t.Trial, Units: t.Units, T0: xfloat(t.T0), Dt: xfloat(t.Dt), R: xfloats2(t.R)})
	}
	return e
}

// result returns run 0 of a batch of the given seed, whose trials are
// trials.
func (e *muExample) result(seed uint64, trials []multiunit.TrialRecord) (multiunit.Result, error) {
	r := multiunit.Result{Seed: seed, Trials: trials,
		Units: float64s2(e.Units), UnitExc: float64s2(e.UnitExc), UnitInh: float64s2(e.UnitInh)}
	var err error
	if r.W0, err = e.W0.weights(); err != nil {
		return r, fmt.Errorf("initial %w", err)
	}
	if r.W, err = e.W.weights(); err != nil {
		return r, fmt.Errorf("final %w", err)
	}
	for _, t := range e.Traces {
		r.Traces = append(r.Traces, multiunit.Trace{Trial: t.Trial, Units: t.Units, T0: float64(t.T0), Dt: float64(t.Dt), R: float64s2(t.R)})
	}
	return r, nil
}

// writeMultiunitRuns writes the runs of a batch, one JSON line a run,
// with the example network on run 0's line.
func writeMultiunitRuns(w io.Writer, res *multiunit.BatchResult) error {
	enc := json.NewEncoder(w)
	for i := range res.Runs {
		s := &res.Runs[i]
		l := muRunLine{Run: s.Run, Trials: make([]muRecord, len(s.Trials))}
		for k, v := range s.W0Sums.Array() {
			l.W0Sums[k] = xfloat(v)
		}
		for k, r := range s.Trials {
			l.Trials[k] = newMuRecord(r)
		}
		var err error
		if l.Overflow, err = newRunOverflow(s.Run, s.Err); err != nil {
			return err
		}
		if s.Run == 0 && res.Example.W0 != nil {
			l.Example = newMuExample(&res.Example)
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// writeMultiunitShard writes a multiunit shard's manifest, after its
// data (the file data).
func writeMultiunitShard(c *cli.Context, dir string, cfg multiunitConfig, sh shard, data string) error {
	path := filepath.Join(dir, muName+manifestSuffix)
	if err := writeShardManifest(path, kindMultiunit, cfg, sh, data); err != nil {
		return err
	}
	infof(c, "shard %d/%d: runs %d-%d of %d -> %s, %s", sh.i, sh.n, sh.lo, sh.hi-1, cfg.Batch.Runs, data, path)
	return nil
}

// readMultiunitShard appends the runs of a shard's data to res (and run
// 0's network to res.Example), checking that it holds the runs its
// manifest names, and its checksum.
func readMultiunitShard(path string, m manifest, res *multiunit.BatchResult) error {
	if err := checkData(path, m); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	dec := json.NewDecoder(bufio.NewReaderSize(io.TeeReader(f, h), 1<<20))
	for run := m.Range[0]; run < m.Range[1]; run++ {
		var l muRunLine
		if err := dec.Decode(&l); err != nil {
			return fmt.Errorf("%s: reading run %d: %w", path, run, err)
		}
		if l.Run != run {
			return fmt.Errorf("%s: found run %d where run %d belongs", path, l.Run, run)
		}
		s := multiunit.RunSummary{Run: run, Err: l.Overflow.err(), Trials: make([]multiunit.TrialRecord, len(l.Trials)),
			W0Sums: model.Weights{WEE: float64(l.W0Sums[0]), WEI: float64(l.W0Sums[1]), WIE: float64(l.W0Sums[2]), WII: float64(l.W0Sums[3])}}
		for k, r := range l.Trials {
			s.Trials[k] = r.record()
		}
		if run == 0 {
			if l.Example == nil {
				return fmt.Errorf("%s: run 0 has no example network", path)
			}
			if res.Example, err = l.Example.result(res.Seed, s.Trials); err != nil {
				return fmt.Errorf("%s: run 0: %w", path, err)
			}
		}
		res.Runs = append(res.Runs, s)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s: trailing data after %d runs", path, m.Range[1]-m.Range[0])
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return fmt.Errorf("%s: checksum %s, manifest says %s (corrupt or replaced)", path, short(got), short(m.SHA256))
	}
	return nil
}

// mergeMultiunit assembles the shards of a multiunit batch and writes
// the per-trial and per-run CSVs and the figures of the unsharded run.
func mergeMultiunit(c *cli.Context, ms []manifest, dirs []string) error {
	cfg := ms[0].muCfg
	idx, err := checkCoverage(ms, cfg.Batch.Runs, "runs", "multiunit batch", func(m manifest) string { return m.muCfg.name() })
	if err != nil {
		return err
	}
	res := multiunit.BatchResult{Seed: cfg.Seed, Runs: make([]multiunit.RunSummary, 0, cfg.Batch.Runs)}
	for _, k := range idx {
		if err := readMultiunitShard(filepath.Join(dirs[k], ms[k].Data), ms[k], &res); err != nil {
			return err
		}
	}

	out := c.String("out")
	prov := newProvenance(c)
	maps.Copy(prov.Settings, cfg.Settings)
	path := c.String("csv")
	if path == "" {
		path = filepath.Join(out, muName+".csv")
	}
	if err := simCSV(c, path, prov, func(w *bufio.Writer) { muTrialsCSV(w, &res) }); err != nil {
		return err
	}
	if err := simCSV(c, filepath.Join(out, muName+"_runs.csv"), prov, func(w *bufio.Writer) { muRunsCSV(w, &res) }); err != nil {
		return err
	}
	muReport(c, &res)
	infof(c, "merged %d shards of the %s", len(ms), cfg.name())
	return muFigures(c, out, cfg.Batch.Params, &res)
}

// Agreement shards.

// agreementConfig is everything the agreement claims of a verify run
// depend on; its hash identifies the work of a sharded check. Settings
// are the provenance settings of the verify command, which the merged
// JSON carries.
type agreementConfig struct {
	Profile  verify.Profile      `json:"profile"`
	Seed     uint64              `json:"seed"`
	Claims   []agreementClaimCfg `json:"claims"`
	Settings map[string]string   `json:"settings"`
	Version  string              `json:"version"`
}

// agreementClaimCfg is the agreement check of one claim
// (verify.AgreementConfig without Workers) and its number of simulated
// cells.
type agreementClaimCfg struct {
	ID      string             `json:"id"`
	Rule    string             `json:"rule"`
	Exprs   [4]string          `json:"exprs"`
	Consts  map[string]float64 `json:"consts,omitempty"`
	Rates   jacobian.Rates     `json:"rates"`
	Params  model.Params       `json:"params"`
	WEE     [2]float64         `json:"wee"`
	WIE     [2]float64         `json:"wie"`
	Cells   int                `json:"cells"`
	Trials  int                `json:"trials"`
	Kappa   float64            `json:"kappa"`
	Perturb float64            `json:"perturb"`
	Near    float64            `json:"near"`
	N       int                `json:"n"`
}

// newAgreementConfig returns the configuration of resolved agreement
// jobs.
func newAgreementConfig(jobs []verify.AgreementJob, prof verify.Profile, seed uint64, settings map[string]string) agreementConfig {
	cfg := agreementConfig{Profile: prof, Seed: seed, Settings: maps.Clone(settings), Version: provenance.Version}
	for _, j := range jobs {
		a := j.Config
		cc := agreementClaimCfg{
			ID: j.Claim.ID, Rule: a.Family.Name, Consts: a.Family.Consts, Rates: a.Rates, Params: a.Params,
			WEE: a.WEE, WIE: a.WIE, Cells: a.Cells, Trials: a.Trials,
			Kappa: a.Kappa, Perturb: a.Perturb, Near: a.Near, N: len(j.Cells),
		}
		for i, x := range a.Family.Exprs {
			cc.Exprs[i] = expr.String(x)
		}
		cfg.Claims = append(cfg.Claims, cc)
	}
	return cfg
}

// hash is the SHA-256 of the configuration's JSON form.
func (a agreementConfig) hash() string { return jsonHash(a) }

// cells returns the length of the cell list.
func (a *agreementConfig) cells() int {
	n := 0
	for _, c := range a.Claims {
		n += c.N
	}
	return n
}

// claimAt returns the id of the claim of cell k of the list.
func (a *agreementConfig) claimAt(k int) string {
	for _, c := range a.Claims {
		if k < c.N {
			return c.ID
		}
		k -= c.N
	}
	return ""
}

// name names the check in messages.
func (a *agreementConfig) name() string {
	ids := make([]string, len(a.Claims))
	for i, c := range a.Claims {
		ids[i] = c.ID
	}
	return fmt.Sprintf("agreement check of %s (%d cells, profile %s, seed %d)", strings.Join(ids, ", "), a.cells(), a.Profile.Name, a.Seed)
}

// Files of an agreement shard.
const (
	agreementName = "agreement"
	agreementData = agreementName + ".cells.json"
)

// agreementLine is one cell of an agreement shard's data: one line of
// agreement.cells.json, a verify.AgreementCell with its index in the
// cell list and its claim. Overflow is the simulation's error.
type agreementLine struct {
	Index       int           `json:"index"`
	Claim       string        `json:"claim"`
	WEE         xfloat        `json:"wee"`
	WIE         xfloat        `json:"wie"`
	Class       regions.Class `json:"class"`
	Predicted   bool          `json:"predicted"`
	CosTheta    xfloat        `json:"cos_theta"`
	Scale       xfloat        `json:"scale"`
	NeuralMaxRe xfloat        `json:"neural_max_re"`
	C           xfloat        `json:"c"`
	FinalStable bool          `json:"final_stable"`
	StepRadius  xfloat        `json:"step_radius"`
	Delta       xfloat        `json:"delta"`
	Step        xfloat        `json:"step"`
	Stays       bool          `json:"stays"`
	EarlyErr    xfloat        `json:"early_err"`
	LateErr     xfloat        `json:"late_err"`
	Ripple      xfloat        `json:"ripple"`
	Drift       xfloat        `json:"drift"`
	Ignited     bool          `json:"ignited"`
	Distance    xfloat        `json:"distance"`
	Overflow    *runOverflow  `json:"overflow,omitempty"`
}

func newAgreementLine(k int, claim string, c *verify.AgreementCell) (agreementLine, error) {
	l := agreementLine{Index: k, Claim: claim,
		WEE: xfloat(c.WEE), WIE: xfloat(c.WIE), Class: c.Class, Predicted: c.Predicted,
		CosTheta: xfloat(c.CosTheta), Scale: xfloat(c.Scale), NeuralMaxRe: xfloat(c.NeuralMaxRe), C: xfloat(c.C),
		FinalStable: c.FinalStable, StepRadius: xfloat(c.StepRadius), Delta: xfloat(c.Delta), Step: xfloat(c.Step),
		Stays: c.Stays, EarlyErr: xfloat(c.EarlyErr), LateErr: xfloat(c.LateErr), Ripple: xfloat(c.Ripple),
		Drift: xfloat(c.Drift), Ignited: c.Ignited, Distance: xfloat(c.Distance)}
	var err error
	l.Overflow, err = newRunOverflow(k, c.Err)
	return l, err
}

func (l *agreementLine) cell() verify.AgreementCell {
	return verify.AgreementCell{
		WEE: float64(l.WEE), WIE: float64(l.WIE), Class: l.Class, Predicted: l.Predicted,
		CosTheta: float64(l.CosTheta), Scale: float64(l.Scale), NeuralMaxRe: float64(l.NeuralMaxRe), C: float64(l.C),
		FinalStable: l.FinalStable, StepRadius: float64(l.StepRadius), Delta: float64(l.Delta), Step: float64(l.Step),
		Stays: l.Stays, EarlyErr: float64(l.EarlyErr), LateErr: float64(l.LateErr), Ripple: float64(l.Ripple),
		Drift: float64(l.Drift), Ignited: l.Ignited, Distance: float64(l.Distance), Err: l.Overflow.err(),
	}
}

// writeAgreementCells writes cells lo, lo+1, ... of the cell list of
// cfg, one JSON line a cell.
func writeAgreementCells(w io.Writer, cfg *agreementConfig, lo int, cells []verify.AgreementCell) error {
	enc := json.NewEncoder(w)
	for i := range cells {
		k := lo + i
		l, err := newAgreementLine(k, cfg.claimAt(k), &cells[i])
		if err != nil {
			return err
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// readAgreementShard appends the cells of a shard's data to cells,
// checking that it holds the cells its manifest names, and its
// checksum.
func readAgreementShard(path string, m manifest, cells []verify.AgreementCell) ([]verify.AgreementCell, error) {
	if err := checkData(path, m); err != nil {
		return cells, err
	}
	f, err := os.Open(path)
	if err != nil {
		return cells, err
	}
	defer f.Close()
	h := sha256.New()
	dec := json.NewDecoder(bufio.NewReaderSize(io.TeeReader(f, h), 1<<20))
	for k := m.Range[0]; k < m.Range[1]; k++ {
		var l agreementLine
		if err := dec.Decode(&l); err != nil {
			return cells, fmt.Errorf("%s: reading cell %d: %w", path, k, err)
		}
		if want := m.agCfg.claimAt(k); l.Index != k || l.Claim != want {
			return cells, fmt.Errorf("%s: found cell %d of %s where cell %d of %s belongs", path, l.Index, l.Claim, k, want)
		}
		cells = append(cells, l.cell())
	}
	if _, err := dec.Token(); err != io.EOF {
		return cells, fmt.Errorf("%s: trailing data after %d cells", path, m.Range[1]-m.Range[0])
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return cells, fmt.Errorf("%s: checksum %s, manifest says %s (corrupt or replaced)", path, short(got), short(m.SHA256))
	}
	return cells, nil
}

// mergeAgreement assembles the shards of an agreement check and writes
// the verdicts of the unsharded 'paradox verify' to DIR/verify.json and
// its table to stdout.
func mergeAgreement(c *cli.Context, ms []manifest, dirs []string) error {
	start := time.Now()
	if c.IsSet("csv") {
		return usageErrorf("--csv: an agreement check has no CSV; merge writes DIR/verify.json")
	}
	cfg := ms[0].agCfg
	idx, err := checkCoverage(ms, cfg.cells(), "cells", "agreement check", func(m manifest) string { return m.agCfg.name() })
	if err != nil {
		return err
	}
	jobs, err := agreementJobs(cfg)
	if err != nil {
		return err
	}
	cells := make([]verify.AgreementCell, 0, cfg.cells())
	for _, k := range idx {
		if cells, err = readAgreementShard(filepath.Join(dirs[k], ms[k].Data), ms[k], cells); err != nil {
			return err
		}
	}
	results, err := verify.AgreementResults(jobs, cells)
	if err != nil {
		return err
	}

	prov := newProvenance(c)
	maps.Copy(prov.Settings, cfg.Settings)
	infof(c, "merged %d shards of the %s", len(ms), cfg.name())
	rep := verifyReport{Provenance: prov, Profile: cfg.Profile.Name, Seed: cfg.Seed,
		Seconds: time.Since(start).Seconds(), Results: results}
	return finishVerify(c, rep, filepath.Join(c.String("out"), "verify.json"), "")
}

// agreementJobs resolves the claims of cfg from the built-in catalogue
// and checks that they are the work the shards did.
func agreementJobs(cfg *agreementConfig) ([]verify.AgreementJob, error) {
	ids := make([]string, len(cfg.Claims))
	for i, cc := range cfg.Claims {
		ids[i] = cc.ID
	}
	claims, err := verify.Select(verify.Catalogue(), ids)
	if err != nil {
		return nil, fmt.Errorf("the shards' claims: %w", err)
	}
	jobs, err := verify.AgreementJobs(claims, verify.Options{Profile: cfg.Profile, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	if newAgreementConfig(jobs, cfg.Profile, cfg.Seed, cfg.Settings).hash() != jsonHash(*cfg) {
		return nil, fmt.Errorf("the agreement claims of this paradox (%s) differ from those of the shards (%s); merge with the version that ran them",
			provenance.Version, cfg.Version)
	}
	return jobs, nil
}
