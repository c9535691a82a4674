// The "normal day" fixtures, generated deterministically:
//
// - a project of a few packages (ten in the full run) importing a few dozen fixture modules
//   (forty), every one real Go with types, methods, generics and tests, so that the build cache
//   matters as it does in real projects. In the full run the modules also use encoding/json,
//   net/http and text/template, so a cold job compiles that much of the standard library too;
//   the smoke run leaves the standard library out, and with it the project's tests, so that its
//   cold jobs take a second or two.
//   One module also exists at a second version, for the job whose go.sum changes.
// - a large set of modules (four hundred in the full run) carrying about a megabyte of Go-like
//   source each, for the cost of restoring a big module cache.
//
// Modules are served by a loopback mirror over `proxyDir`; go.mod and go.sum come from the real
// `go mod tidy`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  escapeModulePath,
  GO_BIN,
  tidyApp,
  writeProxyTree,
  type FixtureModule,
} from '../../__tests__/support/gomodules.js';
import { goLikeFiles, Rng } from './golike.js';
import { REAL_USES, vendoredXModules } from './real-modules.js';
import { serviceCode } from './service-code.js';

export type Files = Record<string, string>;

export interface DayFixtureOptions {
  /** Fixture modules the project imports, spread over its packages (at least `packages`). */
  modules: number;
  /** Project packages; with `stdlib` the last one is the main package. */
  packages: number;
  /**
   * Import encoding/json, net/http and text/template, and have a main package and tests.
   * Without, nothing in the project compiles any of the standard library.
   */
  stdlib: boolean;
  /**
   * Types of compilable service code (about 40 lines each, see service-code.ts) in every project
   * package besides its hand-written file; 0 for none.
   */
  serviceTypes: number;
  /**
   * Serve the golang.org/x modules the Go toolchain vendors (real code, see real-modules.ts) and
   * have the project's packages import some of their packages. Needs `stdlib`.
   */
  realModules: boolean;
}

export interface ProjectPackage {
  /** Directory relative to the project root, e.g. `internal/orders`. */
  dir: string;
  name: string;
  /** The file a commit to this package edits. */
  file: string;
}

export interface DayFixture {
  root: string;
  proxyDir: string;
  packages: ProjectPackage[];
  /** The project at its first commit: every file of the checkout, go.mod and go.sum included. */
  base: Files;
  /** The first commit with one module moved to a new version (go.mod and go.sum changed). */
  bumped: Files;
  bump: { module: string; from: string; to: string };
  /** The project after `n` commits, commit k editing one file of package `commitOrder[k-1]`. */
  afterCommits(n: number): Files;
  commitOrder: number[];
}

export interface BigFixture {
  root: string;
  proxyDir: string;
  app: Files;
  modules: number;
  /** Total bytes of the module zips the mirror serves. */
  zipBytes: number;
  /** Total bytes of source inside them. */
  sourceBytes: number;
}

const PROJECT = 'example.com/shop';
const DEP_PREFIX = 'example.com/dep';
const BIG_PREFIX = 'example.com/big';
const BASE_VERSION = 'v1.0.0';
const BUMP_VERSION = 'v1.1.0';
const PACKAGE_NAMES = [
  'model',
  'store',
  'pricing',
  'catalog',
  'orders',
  'render',
  'auth',
  'api',
  'report',
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function depName(index: number, count: number): string {
  return `d${pad(index + 1, Math.max(2, String(count).length))}`;
}

/** Module j imports module j-1 when j % 4 == 1: a small dependency graph between modules. */
function depOf(index: number): number | undefined {
  return index % 4 === 1 ? index - 1 : undefined;
}

/** Modules [from, to) of the project's package i. */
function moduleRange(i: number, modules: number, packages: number): [number, number] {
  return [Math.floor((i * modules) / packages), Math.floor(((i + 1) * modules) / packages)];
}

/** Project packages that package i imports: the one before it and the one half way down. */
function projectDeps(i: number): number[] {
  if (i === 0) return [];
  return [...new Set([i - 1, Math.floor((i - 1) / 2)])];
}

// --- fixture modules ------------------------------------------------------------------------

function depModuleFiles(
  name: string,
  version: string,
  dep: string | undefined,
  stdlib: boolean,
): Files {
  const rng = new Rng(`${name}@${version}`);
  const c = () => 2 + rng.int(97);
  const maxScore = 100 + rng.int(900);
  const large = 10 + rng.int(maxScore - 20);
  const files: Files = {};

  const kinds = `// Kind classifies a Record.
type Kind int

// The kinds a Record can have.
const (
	KindNone Kind = iota
	KindSmall
	KindLarge
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindSmall:
		return "small"
	case KindLarge:
		return "large"
	}
	return "none"
}

// Record is one row of ${name}'s data.
type Record struct {
	ID    int               \`json:"id"\`
	Name  string            \`json:"name"\`
	Kind  Kind              \`json:"kind"\`
	Tags  []string          \`json:"tags,omitempty"\`
	Attrs map[string]string \`json:"attrs,omitempty"\`
	Score float64           \`json:"score"\`
}

// MaxScore is the largest score Validate accepts.
const MaxScore = ${maxScore}
`;

  files['types.go'] = stdlib
    ? `// Package ${name} is fixture code generated for the benchmark: types, methods and generics
// that compile for real.
package ${name}

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

${kinds}
// ErrInvalid is returned for a record that fails Validate.
var ErrInvalid = errors.New("${name}: invalid record")

// Validate checks a record before it is stored.
func (r Record) Validate() error {
	if r.ID <= 0 {
		return fmt.Errorf("%w: id %d", ErrInvalid, r.ID)
	}
	if strings.TrimSpace(r.Name) == "" {
		return fmt.Errorf("%w: empty name", ErrInvalid)
	}
	if r.Score < 0 || r.Score > MaxScore {
		return fmt.Errorf("%w: score %.2f", ErrInvalid, r.Score)
	}
	return nil
}

// String shows a record in logs.
func (r Record) String() string {
	return fmt.Sprintf("${name}.Record{%d %q %s %.2f}", r.ID, r.Name, r.Kind, r.Score)
}

// Normalize trims and lower-cases the name, sorts the tags and sets the kind.
func (r *Record) Normalize() {
	r.Name = strings.ToLower(strings.TrimSpace(r.Name))
	sort.Strings(r.Tags)
	switch {
	case r.Score > ${large}:
		r.Kind = KindLarge
	case r.Score > 0:
		r.Kind = KindSmall
	default:
		r.Kind = KindNone
	}
}

// Encode writes records as JSON.
func Encode(rs []Record) ([]byte, error) {
	return json.Marshal(rs)
}

// Decode reads records written by Encode and validates each one.
func Decode(data []byte) ([]Record, error) {
	var rs []Record
	if err := json.Unmarshal(data, &rs); err != nil {
		return nil, fmt.Errorf("${name}: decode: %w", err)
	}
	for _, r := range rs {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	return rs, nil
}
`
    : `// Package ${name} is fixture code generated for the benchmark: types, methods and generics
// that compile for real, with no import from the standard library.
package ${name}

${kinds}
type invalidError struct{ field string }

func (e invalidError) Error() string { return "${name}: invalid record: " + e.field }

// Validate checks a record before it is stored.
func (r Record) Validate() error {
	if r.ID <= 0 {
		return invalidError{"id"}
	}
	if r.Name == "" {
		return invalidError{"name"}
	}
	if r.Score < 0 || r.Score > MaxScore {
		return invalidError{"score"}
	}
	return nil
}

// String shows a record in logs.
func (r Record) String() string {
	return "${name}.Record{" + itoa(r.ID) + " " + r.Name + " " + r.Kind.String() + "}"
}

// Normalize sorts the tags and sets the kind.
func (r *Record) Normalize() {
	SortBy(r.Tags, func(a, b string) bool { return a < b })
	switch {
	case r.Score > ${large}:
		r.Kind = KindLarge
	case r.Score > 0:
		r.Kind = KindSmall
	default:
		r.Kind = KindNone
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
`;

  files['generic.go'] = `package ${name}

// Number is what Sum and Mean accept.
type Number interface {
	~int | ~int32 | ~int64 | ~float32 | ~float64
}

// Map applies f to every element.
func Map[T, U any](in []T, f func(T) U) []U {
	out := make([]U, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}

// Filter keeps the elements keep accepts.
func Filter[T any](in []T, keep func(T) bool) []T {
	var out []T
	for _, v := range in {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

// Reduce folds in into acc.
func Reduce[T, A any](in []T, acc A, f func(A, T) A) A {
	for _, v := range in {
		acc = f(acc, v)
	}
	return acc
}

// Sum adds the elements.
func Sum[T Number](xs []T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total
}

// Mean is the average, zero for no elements.
func Mean[T Number](xs []T) float64 {
	if len(xs) == 0 {
		return 0
	}
	return float64(Sum(xs)) / float64(len(xs))
}

// SortBy sorts xs in place by less (an insertion sort: fixtures are small).
func SortBy[T any](xs []T, less func(a, b T) bool) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && less(xs[j], xs[j-1]); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// Set is a set of comparable values.
type Set[T comparable] struct {
	items map[T]struct{}
}

// NewSet makes a set holding xs.
func NewSet[T comparable](xs ...T) *Set[T] {
	s := &Set[T]{items: make(map[T]struct{}, len(xs))}
	for _, x := range xs {
		s.Add(x)
	}
	return s
}

// Add puts x in the set.
func (s *Set[T]) Add(x T) { s.items[x] = struct{}{} }

// Has reports whether x is in the set.
func (s *Set[T]) Has(x T) bool {
	_, ok := s.items[x]
	return ok
}

// Len is the number of elements.
func (s *Set[T]) Len() int { return len(s.items) }

// Pair is one key and its value.
type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

// Index keeps values by key, in insertion order.
type Index[K comparable, V any] struct {
	byKey map[K]V
	order []K
}

// NewIndex makes an empty index.
func NewIndex[K comparable, V any]() *Index[K, V] {
	return &Index[K, V]{byKey: make(map[K]V)}
}

// Put sets the value for k.
func (ix *Index[K, V]) Put(k K, v V) {
	if _, ok := ix.byKey[k]; !ok {
		ix.order = append(ix.order, k)
	}
	ix.byKey[k] = v
}

// Get returns the value for k.
func (ix *Index[K, V]) Get(k K) (V, bool) {
	v, ok := ix.byKey[k]
	return v, ok
}

// Pairs lists the entries in insertion order.
func (ix *Index[K, V]) Pairs() []Pair[K, V] {
	out := make([]Pair[K, V], 0, len(ix.order))
	for _, k := range ix.order {
		out = append(out, Pair[K, V]{Key: k, Value: ix.byKey[k]})
	}
	return out
}

// Len is the number of keys.
func (ix *Index[K, V]) Len() int { return len(ix.order) }
`;

  const lock = (kind: 'R' | '') =>
    stdlib ? `\ts.mu.${kind}Lock()\n\tdefer s.mu.${kind}Unlock()\n` : '';
  files['store.go'] = `package ${name}
${stdlib ? '\nimport "sync"\n' : ''}
// Store keeps records by ID.
type Store struct {
${stdlib ? '\tmu      sync.RWMutex\n' : ''}\trecords *Index[int, Record]
}

// NewStore makes an empty store.
func NewStore() *Store {
	return &Store{records: NewIndex[int, Record]()}
}

// Put validates, normalizes and stores a record.
func (s *Store) Put(r Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	r.Normalize()
${lock('')}	s.records.Put(r.ID, r)
	return nil
}

// Get returns the record with this ID.
func (s *Store) Get(id int) (Record, bool) {
${lock('R')}	return s.records.Get(id)
}

// List returns every record, by ID.
func (s *Store) List() []Record {
${stdlib ? '\ts.mu.RLock()\n\tpairs := s.records.Pairs()\n\ts.mu.RUnlock()\n' : '\tpairs := s.records.Pairs()\n'}	out := Map(pairs, func(p Pair[int, Record]) Record { return p.Value })
	SortBy(out, func(a, b Record) bool { return a.ID < b.ID })
	return out
}

// Scores lists the records' scores, by ID.
func (s *Store) Scores() []float64 {
	return Map(s.List(), func(r Record) float64 { return r.Score })
}
`;

  const steps = 8;
  let calc = `package ${name}\n`;
  if (dep) calc += `\nimport dep "${dep}"\n`;
  calc += `\n// Name reports the module's name${dep ? ' and its dependency' : ''}.\n`;
  calc += dep
    ? `func Name() string { return "${name}+" + dep.Name() }\n`
    : `func Name() string { return "${name}" }\n`;
  for (let s = 1; s <= steps; s++) {
    calc += `
// Step${s} mixes xs into one number with its own schedule.
func Step${s}(xs []int, k int) int {
	acc := ${c()}
	for i, x := range xs {
		switch {
		case x%${c()} == 0:
			acc += x * ${c()}
		case x > k:
			acc -= i * ${c()}
		default:
			acc ^= x << uint(i%${1 + rng.int(6)})
		}
	}
	if acc < 0 {
		acc = -acc
	}
	return acc % ${1000 + rng.int(9000)}
}
`;
  }
  calc += `
// Pipeline runs every step over xs.
func Pipeline(xs []int) int {
	acc := 0
${Array.from({ length: steps }, (_, i) => `\tacc += Step${i + 1}(xs, ${c()})\n`).join('')}${dep ? `\tacc += dep.Pipeline(xs) % ${c()}\n` : ''}	return acc
}
`;
  if (version !== BASE_VERSION) {
    calc += `
// Version is the module version this file was generated for.
func Version() string { return "${version}" }
`;
  }
  files['calc.go'] = calc;

  if (stdlib) {
    files['http.go'] = `package ${name}

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Handler serves a Store as JSON: GET lists or fetches by ?id=, POST adds a record.
type Handler struct {
	Store *Store
}

// ServeHTTP implements http.Handler.
func (h Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		if id := r.URL.Query().Get("id"); id != "" {
			n, err := strconv.Atoi(id)
			if err != nil {
				http.Error(w, "bad id", http.StatusBadRequest)
				return
			}
			rec, ok := h.Store.Get(n)
			if !ok {
				http.NotFound(w, r)
				return
			}
			writeJSON(w, http.StatusOK, rec)
			return
		}
		writeJSON(w, http.StatusOK, h.Store.List())
	case http.MethodPost:
		var rec Record
		if err := json.NewDecoder(r.Body).Decode(&rec); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := h.Store.Put(rec); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusCreated, rec)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
`;
    files['report.go'] = `package ${name}

import (
	"strings"
	"text/template"
)

var reportTemplate = template.Must(template.New("${name}").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
}).Parse(\`{{range .}}{{.ID}} {{upper .Name}} {{.Kind}} {{printf "%.1f" .Score}}
{{end}}\`))

// Report renders records as text, one per line.
func Report(rs []Record) (string, error) {
	var b strings.Builder
	if err := reportTemplate.Execute(&b, rs); err != nil {
		return "", err
	}
	return b.String(), nil
}
`;
  }

  files[`${name}_test.go`] = `package ${name}

import "testing"

func TestSum(t *testing.T) {
	if got := Sum([]int{1, 2, 3}); got != 6 {
		t.Fatalf("Sum = %d, want 6", got)
	}
}

func TestSet(t *testing.T) {
	s := NewSet(1, 2, 2, 3)
	if s.Len() != 3 || !s.Has(2) || s.Has(4) {
		t.Fatalf("the set holds %d items", s.Len())
	}
}

func TestPipelineDeterministic(t *testing.T) {
	xs := []int{3, 1, 4, 1, 5, 9, 2, 6}
	if a, b := Pipeline(xs), Pipeline(xs); a != b {
		t.Fatalf("Pipeline gave %d, then %d", a, b)
	}
}

func TestStore(t *testing.T) {
	s := NewStore()
	if err := s.Put(Record{ID: 2, Name: "b", Score: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(Record{ID: 0, Name: "x"}); err == nil {
		t.Fatal("want an error for id 0")
	}
	if got := s.List(); len(got) != 1 {
		t.Fatalf("List = %v", got)
	}
}
${
  stdlib
    ? `
func TestEncodeDecode(t *testing.T) {
	in := []Record{{ID: 1, Name: "a", Score: 2}, {ID: 2, Name: "b", Tags: []string{"x"}}}
	data, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Decode(data)
	if err != nil || len(out) != 2 || out[1].Tags[0] != "x" {
		t.Fatalf("Decode = %v, %v", out, err)
	}
}
`
    : ''
}`;
  files.LICENSE = 'MIT fixture\n';
  return files;
}

function depModule(
  index: number,
  count: number,
  version: string,
  stdlib: boolean,
  depVersion = BASE_VERSION,
): FixtureModule {
  const name = depName(index, count);
  const d = depOf(index);
  const dep = d === undefined ? undefined : `${DEP_PREFIX}/${depName(d, count)}`;
  return {
    path: `${DEP_PREFIX}/${name}`,
    version,
    files: depModuleFiles(name, version, dep, stdlib),
    requires: dep ? [{ path: dep, version: depVersion }] : undefined,
  };
}

// --- the project ----------------------------------------------------------------------------

function projectPackages(opts: DayFixtureOptions): ProjectPackage[] {
  const out: ProjectPackage[] = [];
  for (let i = 0; i < opts.packages; i++) {
    if (opts.stdlib && i === opts.packages - 1) {
      out.push({ dir: 'cmd/shop', name: 'main', file: 'cmd/shop/main.go' });
      continue;
    }
    const base = PACKAGE_NAMES[i % PACKAGE_NAMES.length];
    const name = i < PACKAGE_NAMES.length ? base : `${base}${Math.floor(i / PACKAGE_NAMES.length)}`;
    out.push({ dir: `internal/${name}`, name, file: `internal/${name}/${name}.go` });
  }
  return out;
}

function projectFiles(opts: DayFixtureOptions, pkgs: ProjectPackage[]): Files {
  const files: Files = {};
  pkgs.forEach((pkg, i) => {
    const [from, to] = moduleRange(i, opts.modules, opts.packages);
    const mods = Array.from({ length: to - from }, (_, k) => depName(from + k, opts.modules));
    const deps = projectDeps(i).map((j) => pkgs[j]);
    const first = mods[0];
    const second = mods[1] ?? first;
    const isMain = pkg.name === 'main';
    const std = opts.stdlib ? ['"net/http"'] : [];
    if (isMain) std.push('"fmt"', '"os"');
    const imports = [
      ...std,
      '',
      ...mods.map((m) => `${m} "${DEP_PREFIX}/${m}"`),
      ...deps.map((d) => `"${PROJECT}/${d.dir}"`),
    ];
    const runBody = [
      '\txs := make([]int, 0, n)',
      '\tfor i := 0; i < n; i++ {',
      '\t\txs = append(xs, i*7+revision)',
      '\t}',
      '\tacc := revision',
      ...mods.map((m) => `\tacc += ${m}.Pipeline(xs)`),
      ...deps.map((d) => `\tacc += ${d.name}.Run(n)`),
      '\treturn acc',
    ].join('\n');
    let text = `// Package ${pkg.name} is one of the benchmark project's packages.
package ${pkg.name}

import (
${imports.map((l) => (l ? `\t${l}` : '')).join('\n')}
)

// revision changes with every commit that touches this package.
const revision = 0

// Service ties the package's dependencies together.
type Service struct {
	index *${first}.Index[string, int]
	seen  *${second}.Set[int]
	store *${first}.Store
}

// New makes a Service.
func New() *Service {
	return &Service{index: ${first}.NewIndex[string, int](), seen: ${second}.NewSet[int](), store: ${first}.NewStore()}
}

// Add records n under key.
func (s *Service) Add(key string, n int) {
	s.index.Put(key, n)
	s.seen.Add(n)
}

// Total sums what was added.
func (s *Service) Total() int {
	return ${first}.Sum(${first}.Map(s.index.Pairs(), func(p ${first}.Pair[string, int]) int { return p.Value }))
}

// Run is what the tests and the packages above this one call.
func Run(n int) int {
${runBody}
}

// Describe lists n records made with the package's first module.
func Describe(n int) []string {
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		r := ${first}.Record{ID: i, Name: "item", Score: float64(i)}
		out = append(out, r.String())
	}
	return out
}
`;
    if (opts.stdlib) {
      text += `
// Handler serves the package's modules' stores.
func Handler() http.Handler {
	mux := http.NewServeMux()
${mods.map((m) => `\tmux.Handle("/${m}", ${m}.Handler{Store: ${m}.NewStore()})`).join('\n')}
	return mux
}

// Render reports n records with the first module's template.
func Render(n int) (string, error) {
	rs := make([]${first}.Record, 0, n)
	for i := 1; i <= n; i++ {
		rs = append(rs, ${first}.Record{ID: i, Name: "item", Score: float64(i)})
	}
	return ${first}.Report(rs)
}
`;
    }
    if (isMain) {
      text += `
func main() {
	fmt.Fprintln(os.Stdout, Run(3), len(Describe(2)))
}
`;
    }
    files[pkg.file] = text;
    if (opts.serviceTypes > 0) {
      files[`${pkg.dir}/service.go`] = serviceCode(
        pkg.name,
        `${PROJECT}/${pkg.dir}`,
        opts.serviceTypes,
      );
    }
    if (opts.realModules) files[`${pkg.dir}/ext.go`] = realModuleUse(pkg, i, pkgs.length);
    // Without the standard library there are no tests: vetting any package that has a test
    // file compiles the testing package and what it imports, a good part of the standard library.
    if (opts.stdlib) {
      files[`${pkg.dir}/${pkg.name === 'main' ? 'main' : pkg.name}_test.go`] = `package ${pkg.name}

import "testing"

func TestRunDeterministic(t *testing.T) {
	if a, b := Run(5), Run(5); a != b {
		t.Fatalf("Run(5) = %d, then %d", a, b)
	}
}

func TestService(t *testing.T) {
	s := New()
	s.Add("a", 2)
	s.Add("b", 3)
	if got := s.Total(); got != 5 {
		t.Fatalf("Total = %d, want 5", got)
	}
}

func TestDescribe(t *testing.T) {
	if got := Describe(3); len(got) != 3 {
		t.Fatalf("Describe(3) gave %d lines", len(got))
	}
}

func TestRender(t *testing.T) {
	out, err := Render(2)
	if err != nil || out == "" {
		t.Fatalf("Render(2) = %q, %v", out, err)
	}
}
`;
    }
  });
  return files;
}

/**
 * Package i's file that calls into the real modules: the REAL_USES whose index is i modulo the
 * package count, so every use is in some package and most packages have one or two.
 */
function realModuleUse(pkg: ProjectPackage, i: number, packages: number): string {
  const uses = REAL_USES.filter((_, u) => u % packages === i);
  const imports = [...new Set(uses.flatMap((u) => [...(u.std ?? []), u.pkg]))].sort();
  const body = uses.length ? uses.map((u) => `\tn += ${u.expr}`).join('\n') : '\tn += len(s)';
  return `package ${pkg.name}

${imports.length ? `import (\n${imports.map((p) => `\t"${p}"`).join('\n')}\n)\n` : ''}
// Ext runs s through the third-party packages this package uses.
func Ext(s string) int {
\tn := 0
${body}
\treturn n
}
`;
}

function goMod(requires: { path: string; version: string }[]): string {
  return `module ${PROJECT}\n\ngo 1.21\n\nrequire (\n${requires.map((r) => `\t${r.path} ${r.version}\n`).join('')})\n`;
}

function writeFiles(dir: string, files: Files): void {
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
}

/** go.mod and go.sum for `files` (go.mod included), from the real `go mod tidy`. */
function tidy(root: string, proxyDir: string, name: string, files: Files): Files {
  const dir = join(root, name);
  writeFiles(dir, files);
  tidyApp(dir, proxyDir);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  const out = { ...files, 'go.mod': read('go.mod'), 'go.sum': read('go.sum') };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** Applies commit `k` (1-based) to `files`: one edit to one file of one package. */
function applyCommit(files: Files, pkg: ProjectPackage, k: number): void {
  const text = files[pkg.file];
  const edited = text.replace(/^const revision = \d+$/m, `const revision = ${k}`);
  if (edited === text) throw new Error(`commit ${k}: no revision line in ${pkg.file}`);
  files[pkg.file] = `${edited}
// touched${k} is what commit ${k} added.
func touched${k}(n int) int {
	return n*${k} + revision
}
`;
}

/** GOROOT of the Go the fixtures are made with. */
function goroot(): string {
  const r = spawnSync(GO_BIN, ['env', 'GOROOT'], { encoding: 'utf8' });
  const dir = r.stdout?.trim();
  if (r.status !== 0 || !dir)
    throw new Error(`day fixture: \`${GO_BIN} env GOROOT\` failed: ${r.stderr}`);
  return dir;
}

export function makeDayFixture(parent: string, opts: DayFixtureOptions): DayFixture {
  if (opts.modules < opts.packages) throw new Error('day fixture: fewer modules than packages');
  const root = mkdtempSync(join(parent, 'day-'));
  const proxyDir = join(root, 'proxy');
  const bumpIndex = moduleRange(Math.min(1, opts.packages - 1), opts.modules, opts.packages)[0];
  const modules: FixtureModule[] = [];
  for (let i = 0; i < opts.modules; i++) {
    modules.push(depModule(i, opts.modules, BASE_VERSION, opts.stdlib));
  }
  modules.push(depModule(bumpIndex, opts.modules, BUMP_VERSION, opts.stdlib));
  const real = opts.realModules ? vendoredXModules(goroot()) : [];
  writeProxyTree(proxyDir, [...modules, ...real]);
  const realRequires = [...new Set(real.length ? REAL_USES.map((u) => u.module) : [])].map(
    (path) => {
      const mod = real.find((m) => m.path === path);
      if (!mod) throw new Error(`day fixture: the toolchain vendors no ${path}`);
      return { path, version: mod.version };
    },
  );

  const pkgs = projectPackages(opts);
  const sources = projectFiles(opts, pkgs);
  const requires = (bumped: boolean) => [
    ...Array.from({ length: opts.modules }, (_, i) => ({
      path: `${DEP_PREFIX}/${depName(i, opts.modules)}`,
      version: bumped && i === bumpIndex ? BUMP_VERSION : BASE_VERSION,
    })),
    ...realRequires,
  ];
  const base = tidy(root, proxyDir, 'tidy-base', { ...sources, 'go.mod': goMod(requires(false)) });
  const bumped = tidy(root, proxyDir, 'tidy-bump', { ...sources, 'go.mod': goMod(requires(true)) });

  const order = Array.from({ length: pkgs.length }, (_, i) => i);
  const rng = new Rng('commit order');
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return {
    root,
    proxyDir,
    packages: pkgs,
    base,
    bumped,
    bump: {
      module: `${DEP_PREFIX}/${depName(bumpIndex, opts.modules)}`,
      from: BASE_VERSION,
      to: BUMP_VERSION,
    },
    commitOrder: order,
    afterCommits(n) {
      const files = { ...base };
      for (let k = 1; k <= n; k++) applyCommit(files, pkgs[order[(k - 1) % order.length]], k);
      return files;
    },
  };
}

// --- the big module set ---------------------------------------------------------------------

export interface BigFixtureOptions {
  modules: number;
  /** Go-like source per module, besides its small real package. */
  sourceBytes: number;
  /** Called now and then while the modules are written (it takes a while in the full run). */
  progress?: (done: number) => void;
}

/**
 * `modules` modules, each a tiny real package plus `sourceBytes` of Go-like source in a `gen/`
 * package nothing imports, and a library that imports every module's real package. Modules are
 * written one at a time, so the whole set never sits in memory.
 */
export function makeBigFixture(parent: string, opts: BigFixtureOptions): BigFixture {
  const root = mkdtempSync(join(parent, 'big-'));
  const proxyDir = join(root, 'proxy');
  const width = Math.max(3, String(opts.modules).length);
  const names = Array.from({ length: opts.modules }, (_, i) => `b${pad(i + 1, width)}`);
  let zipBytes = 0;
  let sourceBytes = 0;
  names.forEach((name, i) => {
    const files: Files = {
      [`${name}.go`]: `// Package ${name} is one of the benchmark's large fixture modules.
package ${name}

// Name reports the module's name.
func Name() string { return "${name}" }
`,
      LICENSE: 'MIT fixture\n',
      ...goLikeFiles(`${BIG_PREFIX}/${name}`, opts.sourceBytes),
    };
    const mod: FixtureModule = { path: `${BIG_PREFIX}/${name}`, version: BASE_VERSION, files };
    writeProxyTree(proxyDir, [mod]);
    for (const text of Object.values(files)) sourceBytes += Buffer.byteLength(text);
    const zip = join(proxyDir, escapeModulePath(mod.path), '@v', `${BASE_VERSION}.zip`);
    zipBytes += statSync(zip).size;
    if ((i + 1) % 50 === 0) opts.progress?.(i + 1);
  });
  const lib = `// Package bigapp imports every large fixture module.
package bigapp

import (
${names.map((n) => `\t${n} "${BIG_PREFIX}/${n}"`).join('\n')}
)

// Names lists every module's name.
func Names() []string {
	return []string{
${names.map((n) => `\t\t${n}.Name(),`).join('\n')}
	}
}
`;
  const mod = `module example.com/bigapp\n\ngo 1.21\n\nrequire (\n${names.map((n) => `\t${BIG_PREFIX}/${n} ${BASE_VERSION}\n`).join('')})\n`;
  const app = tidy(root, proxyDir, 'tidy', { 'go.mod': mod, 'bigapp.go': lib });
  return { root, proxyDir, app, modules: opts.modules, zipBytes, sourceBytes };
}

/** Writes a checkout of `files` into `dir`. */
export function writeCheckout(dir: string, files: Files): void {
  writeFiles(dir, files);
}
