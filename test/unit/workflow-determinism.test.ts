// Workflow code is deterministic (brief, STYLE "Workflows"): no Node modules, no activity code (types
// only), no randomness or timers of its own. The bundler catches some of this at start-up; this test
// catches it at review time, file by file.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', 'workflows');
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
const NODE_MODULES = new Set(['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'util', 'events', 'stream', 'url']);

describe('workflow code stays deterministic', () => {
  const all = files(ROOT);

  it('finds the workflow files', () => {
    expect(all.map((f) => path.relative(ROOT, f))).toEqual(expect.arrayContaining(['application/application.ts', 'index.ts', 'rules/accounting.ts']));
  });

  it.each(all.map((f) => [path.relative(ROOT, f), f]))('%s imports no Node module and activity code only as types', (_name, file) => {
    const source = fs.readFileSync(file, 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2] }));
    for (const i of imports) {
      expect(i.from.startsWith('node:') || NODE_MODULES.has(i.from)).toBe(false);
      if (i.from.includes('/activities')) expect(i).toEqual({ typeOnly: true, from: i.from });
      if (i.from.startsWith('@temporalio/')) expect(['@temporalio/workflow', '@temporalio/common']).toContain(i.from);
    }
    expect(source).not.toMatch(/Math\.random\(|setTimeout\(|setInterval\(|new Date\(\)/);
  });
});
