// Every relative link and #anchor in README.md and docs/*.md resolves (issue 15, item 9): the file
// exists, and an anchor names a heading of the target file (GitHub's slugs: lower case, punctuation
// dropped, spaces to hyphens, repeats numbered -1, -2, ...) or an explicit id/name attribute. Links
// inside code blocks and code spans are not links; absolute URLs are not checked (no network).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILES = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text with fenced code blocks and code spans blanked (line numbers kept). */
function prose(md: string): string {
  let fence: string | null = null;
  return md
    .split('\n')
    .map((line) => {
      const m = /^\s*(```+|~~~+)/.exec(line);
      if (fence) {
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
        return '';
      }
      if (m) {
        fence = m[1];
        return '';
      }
      return line.replace(/(`+)[^`]*?\1/g, '');
    })
    .join('\n');
}

/** GitHub's heading slug (github-slugger): lower case, drop all but letters, marks, digits, connector
 *  punctuation, spaces and hyphens; spaces become hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // [text](url) -> text
    .replace(/<[^>]+>/g, ''); // inline HTML tags
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  let set = anchorCache.get(file);
  if (set) return set;
  set = new Set();
  const md = readFileSync(file, 'utf8');
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    const h = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1]);
      const k = seen.get(base) ?? 0;
      seen.set(base, k + 1);
      set.add(k === 0 ? base : `${base}-${k}`);
    }
    for (const m of line.matchAll(/<[a-z]+[^>]*\s(?:id|name)="([^"]+)"/gi)) set.add(m[1]);
  }
  anchorCache.set(file, set);
  return set;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

function links(file: string): Link[] {
  const out: Link[] = [];
  prose(readFileSync(join(root, file), 'utf8'))
    .split('\n')
    .forEach((text, i) => {
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ file, line: i + 1, target: m[1] });
      for (const m of text.matchAll(/\bhref="([^"]+)"/g)) out.push({ file, line: i + 1, target: m[1] });
      for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) out.push({ file, line: i + 1, target: m[1] });
    });
  return out;
}

/** Why the link does not resolve, or null. */
function broken(l: Link): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(l.target)) return null; // http:, https:, mailto: ...
  const [pathPart, anchor] = l.target.split('#', 2) as [string, string | undefined];
  const path = decodeURIComponent(pathPart);
  const target = path === '' ? join(root, l.file) : resolve(dirname(join(root, l.file)), path);
  if (!existsSync(target)) return `no file ${relative(root, target)}`;
  if (anchor === undefined || anchor === '') return null;
  if (statSync(target).isDirectory() || !target.endsWith('.md')) return `#${anchor} on a file that is not Markdown`;
  if (!anchors(target).has(decodeURIComponent(anchor))) return `no heading or id "${anchor}" in ${relative(root, target)}`;
  return null;
}

describe('documentation links', () => {
  it('the slugger follows GitHub', () => {
    expect(slug('`summary(result, X, y, options?)`')).toBe('summaryresult-x-y-options');
    expect(slug('float32 storage (`precision: \'f32\'`)')).toBe('float32-storage-precision-f32');
    expect(slug('The L1 / quantile certificate')).toBe('the-l1--quantile-certificate');
    expect(slug('Huber — [MASS](https://x.y) & co.')).toBe('huber--mass--co');
  });

  it('finds the links it checks (and would report a broken one)', () => {
    const all = FILES.flatMap(links);
    expect(all.length).toBeGreaterThan(30);
    expect(all.some((l) => l.target.includes('#'))).toBe(true);
    expect(broken({ file: 'README.md', line: 0, target: 'docs/api.md#no-such-heading' })).toMatch(/no heading/);
    expect(broken({ file: 'README.md', line: 0, target: 'docs/nope.md' })).toMatch(/no file/);
    expect(broken({ file: 'docs/cli.md', line: 0, target: 'api.md#summaryresult-x-y-options' })).toBeNull();
  });

  it.each(FILES)('every relative link and #anchor in %s resolves', (file) => {
    const bad = links(file)
      .map((l) => ({ l, why: broken(l) }))
      .filter((x) => x.why !== null)
      .map(({ l, why }) => `${l.file}:${l.line}: (${l.target}) ${why}`);
    expect(bad).toEqual([]);
  });
});
