// Every tuning constant of a kernel (top-level `const NAME = value` in assembly/*.ts) has its twin
// (src/twin/*.ts) with the same value, and the twin has none the kernel lacks: the twins copy ~60
// constants by hand, and a drifted one would change results without any bit-identity test on the
// data that exercises it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
/** Every kernel file with a twin of the same name (l1 is split into l1.ts and l1-*.ts: each part is
 *  compared with its own twin) — except mem.ts: the twin's linear memory (its size, its heap base) is
 *  its own, not a copy of a kernel's tuning. */
const PAIRS = readdirSync(new URL('assembly/', root)).filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3)).filter((f) => f !== 'mem' && existsSync(new URL(`src/twin/${f}.ts`, root)));

/** NAME → value (a number when the right-hand side is a numeric literal, else its normalised text). */
function constants(path: string): Map<string, number | string> {
  const text = readFileSync(new URL(path, root), 'utf8');
  const out = new Map<string, number | string>();
  for (const m of text.matchAll(/^(?:export )?const ([A-Z][A-Z0-9_]*)(?:\s*:\s*[a-z0-9]+)?\s*=\s*([^;]+);/gm)) {
    const rhs = m[2].replace(/<[a-z0-9]+>/g, '').replace(/\s+/g, ' ').trim();
    const num = Number(rhs);
    out.set(m[1], rhs !== '' && Number.isFinite(num) || rhs === 'Infinity' ? num : rhs);
  }
  return out;
}

describe('kernel and twin constants agree', () => {
  for (const name of PAIRS) {
    it(`assembly/${name}.ts ↔ src/twin/${name}.ts`, () => {
      const k = constants(`assembly/${name}.ts`);
      const t = constants(`src/twin/${name}.ts`);
      expect([...t.keys()].filter((c) => !k.has(c)), 'constants only in the twin').toEqual([]);
      expect([...k.keys()].filter((c) => !t.has(c)), 'constants only in the kernel').toEqual([]);
      for (const [c, v] of k) expect(t.get(c), c).toBe(v);
    });
  }

  it('the host passes the kernel\'s loss codes (src/fit/robust.ts ↔ assembly/irls.ts)', () => {
    const k = constants('assembly/irls.ts');
    const h = constants('src/fit/robust.ts');
    expect(h.get('LOSS_HUBER')).toBe(k.get('LOSS_HUBER'));
    expect(h.get('LOSS_SMOOTH_L1')).toBe(k.get('LOSS_SMOOTH_L1'));
    expect(k.get('LOSS_HUBER')).toBe(1);
  });

  it('the scan found the constants (l1 alone has more than 30)', () => {
    const expected = ['l1', 'l1-state', 'l1-lu', 'l1-simplex', 'l1-certificate', 'l1-glob', 'l2', 'irls', 'mm', 'lts',
      'select', 'moments', 'dd', 'xload'];
    for (const name of expected) {
      expect(PAIRS, name).toContain(name);
    }
    const l1 = PAIRS.filter((f) => f === 'l1' || f.startsWith('l1-'));
    expect(l1.reduce((s, n) => s + constants(`assembly/${n}.ts`).size, 0)).toBeGreaterThan(30);
    expect(PAIRS.reduce((s, n) => s + constants(`assembly/${n}.ts`).size, 0)).toBeGreaterThan(50);
  });
});
