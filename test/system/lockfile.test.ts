// package-lock.json is in step with package.json (issue 15, item 5): `npm install` on a fresh clone
// rewrote the lock's root entry (engines ">=20" against package.json's ">=20.16"). npm copies these
// fields of package.json into the lock's root package; any difference is a lock file npm will
// rewrite. (Checked from a fresh clone: after `npm install`, `git diff package-lock.json` is empty.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (f: string) => JSON.parse(readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8'));

describe('package-lock.json', () => {
  const pkg = read('package.json');
  const lock = read('package-lock.json');
  const rootPkg = lock.packages[''];

  it('names the same package and version, lockfile v3', () => {
    expect([lock.name, lock.version, lock.lockfileVersion]).toEqual([pkg.name, pkg.version, 3]);
    expect([rootPkg.name, rootPkg.version]).toEqual([pkg.name, pkg.version]);
  });

  it.each(['engines', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'license'])(
    'root entry: %s equals package.json', (field) => {
      expect(rootPkg[field], field).toEqual(pkg[field]);
    });

  it('root entry: bin equals package.json (npm drops a leading ./)', () => {
    const norm = (b: Record<string, string>) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.replace(/^\.\//, '')]));
    expect(rootPkg.bin).toEqual(norm(pkg.bin));
  });

  it('locks every devDependency at the exact version package.json pins', () => {
    for (const [name, version] of Object.entries(pkg.devDependencies as Record<string, string>)) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });
});
