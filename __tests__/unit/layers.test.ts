import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layers of src/, lowest first: a file may import its own folder and the folders of lower
 * layers, never a higher one. Entry points (src/*.ts) sit above everything and nothing imports
 * them. A file that only declares types is a leaf: any layer may import types from it, as long
 * as it imports nothing but types itself.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['util', 'host'],
  ['tar', 'gomod'],
  ['go', 'cache-service'],
  ['proxy'],
  ['tools', 'modcache', 'buildcache'],
  ['bundle', 'prefetch', 'report'],
  ['config'],
  ['action', 'cli'],
];

const SRC = path.resolve('src');

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function importsOf(file: string): Import[] {
  const out: Import[] = [];
  for (const node of parse(file).statements) {
    if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
    const spec = node.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const to = path.resolve(path.dirname(file), spec.text.replace(/\.js$/, '.ts'));
    out.push({ from: file, to, typeOnly: isTypeOnly(node) });
  }
  return out;
}

/** Declares only types and imports only types: safe to import from any layer. */
function isTypeLeaf(file: string): boolean {
  const sf = parse(file);
  return sf.statements.every((s) => {
    if (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) return isTypeOnly(s);
    return ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s);
  });
}

/** The folder under src/ a file sits in, or undefined for an entry point at the root. */
function folderOf(file: string): string | undefined {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0] : undefined;
}

function rankOf(folder: string | undefined): number {
  if (folder === undefined) return LAYERS.length;
  const rank = LAYERS.findIndex((layer) => layer.includes(folder));
  if (rank < 0) throw new Error(`src/${folder}/ has no layer: add it to LAYERS`);
  return rank;
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const rel = (f: string): string => path.relative(process.cwd(), f);

describe('layers of src/', () => {
  it('gives every folder a layer', () => {
    for (const f of files) expect(() => rankOf(folderOf(f))).not.toThrow();
  });

  it('never imports an entry point', () => {
    const bad = imports.filter((i) => folderOf(i.to) === undefined).map((i) => rel(i.from));
    expect(bad).toEqual([]);
  });

  it('only imports its own layer or lower ones, but for types from type-only leaves', () => {
    const bad = imports
      .filter((i) => rankOf(folderOf(i.to)) > rankOf(folderOf(i.from)))
      .filter((i) => !(i.typeOnly && isTypeLeaf(i.to)))
      .map((i) => `${rel(i.from)} → ${rel(i.to)}`);
    expect(bad).toEqual([]);
  });

  it('has no import cycles between files', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports.filter((x) => !x.typeOnly)) {
      graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map(rel).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const to of graph.get(f) ?? []) visit(to, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
