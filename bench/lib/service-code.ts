// Compilable Go in the shape of a service package's own code: types with fields, validation
// that loops and formats errors, methods that switch, sorting with closures. The normal-day
// project's packages carry it so that they weigh, in the compiler, what a real project's
// packages weigh; a package of a few dozen lines costs Go less to compile than to decide that
// it must, and would hide what a stale build cache costs.
import { Rng } from './golike.js';

/** Standard-library imports `serviceCode` needs. */
export const SERVICE_CODE_IMPORTS = ['errors', 'fmt', 'math', 'sort', 'strconv', 'strings'];

/**
 * `types` types and their methods for package `pkg`, about 40 lines each. `seed` varies the
 * constants, so that no two packages compile to the same code.
 */
export function serviceCode(pkg: string, seed: string, types: number): string {
  const rng = new Rng(seed);
  const parts = [
    `// Code generated for the benchmark project. DO NOT EDIT.\n\npackage ${pkg}\n`,
    `import (\n${SERVICE_CODE_IMPORTS.map((i) => `\t"${i}"`).join('\n')}\n)\n`,
  ];
  for (let n = 0; n < types; n++) {
    const k = 10 + rng.int(990);
    const a = 1 + rng.int(9);
    const limit = 16 + rng.int(240);
    parts.push(`// Item${n} is one of the package's records.
type Item${n} struct {
	ID    int
	Name  string
	Tags  []string
	Score float64
	Meta  map[string]string
}

// Validate reports the first problem with x.
func (x *Item${n}) Validate() error {
	if x.ID <= 0 {
		return fmt.Errorf("item${n}: id %d is not positive", x.ID)
	}
	if strings.TrimSpace(x.Name) == "" {
		return errors.New("item${n}: empty name")
	}
	if len(x.Tags) > ${limit} {
		return fmt.Errorf("item${n}: %d tags, at most ${limit}", len(x.Tags))
	}
	for i, t := range x.Tags {
		if t == "" || strings.ContainsAny(t, " \\t") {
			return fmt.Errorf("item${n}: tag %d (%q) is not a word", i, t)
		}
	}
	return nil
}

// Key identifies x.
func (x Item${n}) Key() string { return strconv.Itoa(x.ID*${a}) + "/" + strings.ToLower(x.Name) }

// Apply changes the score by op.
func (x *Item${n}) Apply(op string, v float64) float64 {
	switch op {
	case "add":
		x.Score += v
	case "mul":
		x.Score *= v
	case "max":
		x.Score = math.Max(x.Score, v)
	case "tag":
		if x.Meta == nil {
			x.Meta = map[string]string{}
		}
		x.Meta[op] = strconv.FormatFloat(v, 'f', ${a % 4}, 64)
	default:
		x.Score = math.Round(x.Score*${k}) / ${k}
	}
	return x.Score
}

// SortItem${n} orders xs by score, then key.
func SortItem${n}(xs []Item${n}) {
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].Score != xs[j].Score {
			return xs[i].Score*${a} < xs[j].Score*${a}
		}
		return xs[i].Key() < xs[j].Key()
	})
}
`);
  }
  return parts.join('\n');
}
