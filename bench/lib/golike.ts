// Deterministic Go-like source text, for fixture modules that must weigh what real ones weigh.
// The code is shaped like Go (package clause, imports, structs with tags, methods, error
// handling, loops, switches, comments) and compresses about as real Go does (roughly 3.5 to 4
// times with deflate), so archives of it are as large as archives of a real module cache.
// Nothing imports it, so it never has to compile.

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same text everywhere. */
export class Rng {
  private state: number;

  constructor(seed: string) {
    // FNV-1a over the seed string.
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    this.state = h;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const WORDS = (
  'account action active address agent alert amount answer api apply archive attempt audit ' +
  'backend balance batch bind block body bound bucket buffer build bundle cache call cancel ' +
  'capacity channel check child chunk claim client close cluster code column commit config ' +
  'conflict connect context control count counter cursor data deadline decode delay ' +
  'delete delta detail device digest direct domain draft driver edge encode endpoint entry ' +
  'error event expire export factor feature fetch field filter flag flush format frame group ' +
  'handle handler hash header health hint host index input instance interval item job key ' +
  'label layer lease ledger level limit link list load local lock log lookup manifest marker ' +
  'match member merge message meta metric mirror mode module monitor name node notify object ' +
  'offset option order origin output owner page parent parse partition patch path payload ' +
  'peer pending period plan policy pool port prefix probe process profile proxy quota queue ' +
  'rate reader record region registry release remote replica report request reset ' +
  'resolve resource result retry revision role route rule runner sample scope segment ' +
  'send sequence server service session shard signal size slot snapshot source span ' +
  'stage state status step store stream subject summary sync table tag target task tenant ' +
  'term thread ticket timeout token topic trace track transfer tree trigger unit update ' +
  'upload user value vendor version view volume watch weight window worker writer zone'
).split(' ');

const VERBS = (
  'add apply build check collect compute convert create decode delete describe drain encode ' +
  'ensure fetch find flush format gather handle init insert list load lookup merge move ' +
  'normalize open parse prepare process read refresh register release remove render reset ' +
  'resolve restore retry scan select send set split start stop store sync trim update ' +
  'validate verify walk write'
).split(' ');

const SYLLABLES =
  'ka lo mi ne ru ta vo zi be da fe gu hu ja ke li mo nu pa qu re si to vu xa yo'.split(' ');

const TYPES = ['int', 'int64', 'string', 'bool', 'float64', 'uint32', 'time.Duration', '[]byte'];

const IMPORTS = ['context', 'errors', 'fmt', 'sort', 'strconv', 'strings', 'sync', 'time'];

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Per-module words, as every real project has its own domain vocabulary. */
function domainWords(rng: Rng): string[] {
  const words: string[] = [];
  for (let i = 0; i < 48; i++) {
    let w = '';
    const n = 2 + rng.int(3);
    for (let j = 0; j < n; j++) w += rng.pick(SYLLABLES);
    words.push(w);
  }
  return words;
}

class Writer {
  readonly rng: Rng;
  private readonly domain: string[];
  private readonly types: string[] = [];
  /** The current function's own names: real code keeps coming back to a few. */
  private locals: string[] = [];
  private parts: string[] = [];
  private length = 0;

  constructor(rng: Rng) {
    this.rng = rng;
    this.domain = domainWords(rng);
  }

  get size(): number {
    return this.length;
  }

  emit(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }

  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    return text;
  }

  word(): string {
    return this.rng.chance(0.2) ? this.rng.pick(this.domain) : this.rng.pick(WORDS);
  }

  /** camelCase (or CamelCase) identifier of one to three words. */
  ident(exported: boolean): string {
    if (!exported && this.locals.length > 0 && this.rng.chance(0.6)) {
      return this.rng.pick(this.locals);
    }
    const n = 1 + this.rng.int(3);
    let id = '';
    for (let i = 0; i < n; i++) {
      const w = this.word();
      id += i === 0 && !exported ? w : capital(w);
    }
    return id;
  }

  sentence(min: number, max: number): string {
    const n = min + this.rng.int(max - min + 1);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(i % 5 === 2 ? this.rng.pick(VERBS) : this.word());
    return words.join(' ');
  }

  comment(indent: string, subject: string): void {
    const lines = 1 + this.rng.int(3);
    this.emit(`${indent}// ${subject} ${this.sentence(4, 10)}.\n`);
    for (let i = 1; i < lines; i++) this.emit(`${indent}// ${capital(this.sentence(6, 12))}.\n`);
  }

  literal(type: string): string {
    switch (type) {
      case 'string':
        return `"${this.word()}-${this.word()}"`;
      case 'bool':
        return this.rng.chance(0.5) ? 'true' : 'false';
      case 'float64':
        return `${this.rng.int(1000)}.${this.rng.int(100)}`;
      case 'time.Duration':
        return `${1 + this.rng.int(120)} * time.${this.rng.pick(['Millisecond', 'Second', 'Minute'])}`;
      case '[]byte':
        return `[]byte("${this.word()}")`;
      default:
        return String(this.rng.int(this.rng.chance(0.5) ? 16 : 100000));
    }
  }

  structType(): void {
    const name = this.ident(true);
    this.types.push(name);
    this.comment('', name);
    this.emit(`type ${name} struct {\n`);
    const fields = 3 + this.rng.int(8);
    for (let i = 0; i < fields; i++) {
      const field = this.ident(true);
      const type = this.rng.chance(0.15)
        ? `map[string]${this.rng.pick(TYPES)}`
        : this.rng.chance(0.15)
          ? `[]${this.rng.pick(TYPES)}`
          : this.rng.pick(TYPES);
      const tag = field.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
      const omit = this.rng.chance(0.4) ? ',omitempty' : '';
      this.emit(`\t${field} ${type} \`json:"${tag}${omit}"\`\n`);
    }
    if (this.rng.chance(0.3)) this.emit('\tmu sync.Mutex\n');
    this.emit('}\n\n');
  }

  constBlock(): void {
    const base = capital(this.word());
    this.emit('const (\n');
    const n = 3 + this.rng.int(6);
    for (let i = 0; i < n; i++) {
      const name = `${base}${capital(this.word())}`;
      if (i === 0) this.emit(`\t${name} = iota + ${this.rng.int(10)}\n`);
      else this.emit(`\t${name}\n`);
    }
    this.emit(')\n\n');
    if (this.rng.chance(0.5)) {
      this.emit(`var err${base}${capital(this.word())} = errors.New("${this.sentence(3, 6)}")\n\n`);
    }
  }

  statement(indent: string, depth: number): void {
    const v = this.ident(false);
    switch (this.rng.int(depth > 2 ? 5 : 9)) {
      case 0:
        this.emit(`${indent}${v}, err := ${this.ident(false)}(ctx, ${this.literal('int')})\n`);
        this.emit(`${indent}if err != nil {\n`);
        this.emit(
          `${indent}\treturn fmt.Errorf("${this.word()} ${this.rng.pick(VERBS)}: %w", err)\n`,
        );
        this.emit(`${indent}}\n`);
        this.emit(`${indent}_ = ${v}\n`);
        return;
      case 1:
        this.emit(
          `${indent}${v} := ${this.literal(this.rng.pick(['int', 'string', 'float64']))}\n`,
        );
        this.emit(`${indent}_ = ${v}\n`);
        return;
      case 2:
        this.emit(
          `${indent}if len(${this.ident(false)}) > ${this.rng.int(64)} && !${this.ident(false)} {\n`,
        );
        this.emit(
          `${indent}\treturn errors.New("${this.word()}: ${this.sentence(2, 5)}")\n${indent}}\n`,
        );
        return;
      case 3:
        this.emit(
          `${indent}s.${this.ident(true)} = strings.${this.rng.pick(['TrimSpace', 'ToLower', 'ToUpper'])}(${this.ident(false)})\n`,
        );
        return;
      case 4:
        this.emit(
          `${indent}log${capital(this.word())}("${this.sentence(2, 6)}", ${this.ident(false)}, strconv.Itoa(${this.rng.int(1000)}))\n`,
        );
        return;
      case 5:
      case 6: {
        this.emit(`${indent}for i, ${v} := range ${this.ident(false)} {\n`);
        const n = 1 + this.rng.int(3);
        for (let i = 0; i < n; i++) this.statement(indent + '\t', depth + 1);
        this.emit(`${indent}\t_ = i\n${indent}}\n`);
        return;
      }
      case 7: {
        this.emit(`${indent}switch ${v} {\n`);
        const n = 2 + this.rng.int(3);
        for (let i = 0; i < n; i++) {
          this.emit(`${indent}case "${this.word()}", "${this.word()}":\n`);
          this.statement(indent + '\t', depth + 1);
        }
        this.emit(`${indent}default:\n`);
        this.statement(indent + '\t', depth + 1);
        this.emit(`${indent}}\n`);
        return;
      }
      default: {
        this.emit(
          `${indent}if ${v} := ${this.ident(false)}.${this.ident(true)}(); ${v} != nil {\n`,
        );
        const n = 1 + this.rng.int(2);
        for (let i = 0; i < n; i++) this.statement(indent + '\t', depth + 1);
        this.emit(`${indent}}\n`);
      }
    }
  }

  func(): void {
    const receiver = this.types.length > 0 && this.rng.chance(0.6) ? this.rng.pick(this.types) : '';
    const name = `${capital(this.rng.pick(VERBS))}${this.ident(true)}`;
    this.comment('', name);
    const params = ['ctx context.Context'];
    const n = this.rng.int(3);
    for (let i = 0; i < n; i++) params.push(`${this.ident(false)} ${this.rng.pick(TYPES)}`);
    this.locals = [];
    const locals = 4 + this.rng.int(5);
    for (let i = 0; i < locals; i++) this.locals.push(this.ident(false));
    const recv = receiver ? `(s *${receiver}) ` : '';
    this.emit(`func ${recv}${name}(${params.join(', ')}) error {\n`);
    if (receiver && this.rng.chance(0.3)) this.emit('\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n');
    const statements = 3 + this.rng.int(8);
    for (let i = 0; i < statements; i++) this.statement('\t', 0);
    this.emit('\treturn nil\n}\n\n');
    this.locals = [];
  }
}

/**
 * About `bytes` of Go-like source for one module, as files of 16 to 48 KB under `dir`, all
 * derived from `seed`.
 */
export function goLikeFiles(seed: string, bytes: number, dir = 'gen'): Record<string, string> {
  const rng = new Rng(seed);
  const w = new Writer(rng);
  const files: Record<string, string> = {};
  let total = 0;
  for (let n = 1; total < bytes; n++) {
    const target = Math.min(bytes - total, 16_384 + rng.int(32_768));
    w.emit('// Code generated by the benchmark fixture generator. DO NOT EDIT.\n\n');
    w.comment('', `Package ${dir.split('/').pop()}`);
    w.emit(`package ${dir.split('/').pop()}\n\nimport (\n`);
    for (const imp of IMPORTS) w.emit(`\t"${imp}"\n`);
    w.emit(')\n\n');
    while (w.size < target) {
      const r = rng.int(10);
      if (r < 3) w.structType();
      else if (r < 4) w.constBlock();
      else w.func();
    }
    const text = w.take();
    files[`${dir}/${String(n).padStart(3, '0')}_${w.ident(false).toLowerCase()}.go`] = text;
    total += text.length;
  }
  return files;
}
