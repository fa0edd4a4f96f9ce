// The layering the architecture promises, checked on the source: who may ask the models questions, and no
// import cycles (a cycle is how one module ends up restating another's rule to avoid importing it).
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

interface Import {
  target: string;
  typeOnly: boolean;
}

/** Relative imports of a file, resolved to files (`./x` → x.ts, x.tsx or x/index.ts). */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const pattern = /^(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    const base = path.resolve(path.dirname(file), match[2]!);
    const target = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => {
      try {
        return statSync(candidate).isFile();
      } catch {
        return false;
      }
    });
    if (target) found.push({ target, typeOnly: match[1] !== undefined });
  }
  return found;
}

const files = [...sourceFiles(path.join(ROOT, 'server')), ...sourceFiles(path.join(ROOT, 'shared'))];
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const rel = (file: string) => path.relative(ROOT, file);

describe('architecture: imports', () => {
  it('only the policy, the services and the database layer query the models (routes, sockets and presenters import types only)', () => {
    const offenders: string[] = [];
    for (const [file, imports] of graph) {
      if (!/^server\/(http|realtime|presenters)\//.test(rel(file))) continue;
      for (const { target, typeOnly } of imports) {
        if (!typeOnly && rel(target).startsWith('server/models/')) offenders.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    expect(offenders).to.deep.equal([]);
  });

  it('the embedded engine imports nothing from the forum', () => {
    const offenders: string[] = [];
    for (const [file, imports] of graph) {
      if (!rel(file).startsWith('server/embedded-mongo/')) continue;
      for (const { target } of imports) if (!rel(target).startsWith('server/embedded-mongo/')) offenders.push(`${rel(file)} → ${rel(target)}`);
    }
    expect(offenders).to.deep.equal([]);
  });

  it('has no import cycles among server and shared modules (type-only imports included)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const { target } of graph.get(file) ?? []) {
        if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].map(rel).join(' → '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).to.deep.equal([]);
  });
});
