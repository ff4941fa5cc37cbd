// The host allocator: blocks never overlap, are 16-byte aligned, freeing coalesces, and memory
// returns to its start when everything is freed (so repeated fits cannot creep upwards).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/backend/arena.js';
import { jsBackend } from '../../src/backend/twin.js';

describe('Arena', () => {
  it('random persistent and scoped allocations never overlap and fully coalesce', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 }), fc.nat()), { maxLength: 60 }), (ops) => {
        const a = new Arena(jsBackend);
        const start = a.highWater;
        const live: Array<[number, number]> = [];
        const mark = a.mark();
        for (const [persistent, size, pick] of ops) {
          if (persistent && live.length && pick % 3 === 0) {
            const [s] = live.splice(pick % live.length, 1)[0];
            a.freeBlock(s);
            continue;
          }
          const [p] = a.allocMany([size], 'test', persistent);
          expect(p % 16).toBe(0);
          const end = p + Math.max(16, Math.ceil(size / 16) * 16);
          for (const [s, e] of live) expect(end <= s || p >= e).toBe(true);
          if (persistent) live.push([p, end]);
        }
        a.release(mark);
        for (const [s] of live) a.freeBlock(s);
        expect(a.used).toBe(0);
        expect(a.highWater).toBe(start);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('a freed hole is reused before memory grows', () => {
    const a = new Arena(jsBackend);
    const [p1] = a.allocMany([1000], 't', true);
    const [p2] = a.allocMany([1000], 't', true);
    a.freeBlock(p1);
    const [p3] = a.allocMany([500], 't', true);
    expect(p3).toBe(p1);
    a.freeBlock(p2);
    a.freeBlock(p3);
    expect(a.used).toBe(0);
  });
});
