#!/usr/bin/env node
// node bench/degenerate-table.mjs [--md OUT.md] RESULTS.json [MORE.json ...]
//
// The issue-18 grid as markdown, from bench/degenerate.mjs's JSON: pfn/ours and fn/ours per family
// (rows) and n × p × tau (columns), the verdict (worst and best cell, cells below 2× pfn, cells where
// R's fn was faster than ours, cells not certified), where every R time came from (measured in the
// run, or the R-time cache — when and at what load) and a detail table. Several JSON files merge:
// a cell (family, n, p, tau) in a later file replaces the same cell of an earlier one. Without --md
// the markdown goes to stdout. bench/degenerate.mjs writes the same page next to its JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FAMILIES } from './degenerate.mjs';
import * as L from './lib.mjs';

const cellName = (c) => `${c.family} ${L.fmtN(c.n)}×${c.p} τ = ${c.tau}`;
const ok = (c) => c.ours && !c.ours.error;

/** Worst and best pfn/ours, counts; `text` is the line the README quotes. */
export function verdict(results) {
  const ratios = results.filter((c) => ok(c) && c.R?.pfn?.ms).map((c) => ({ c, r: c.R.pfn.ms / c.ours.ms })).sort((a, b) => a.r - b.r);
  const worst = ratios[0], best = ratios.at(-1);
  const below2 = ratios.filter((x) => x.r < 2);
  const withFn = results.filter((c) => ok(c) && c.R?.fn?.ms);
  const fnFaster = withFn.filter((c) => c.R.fn.ms < c.ours.ms);
  const failed = results.filter((c) => !ok(c));
  const noR = results.filter((c) => ok(c) && !c.R?.pfn?.ms);
  const d = (x) => (x ? `${cellName(x.c)}: ${L.fmtRatio(x.r)}` : '—');
  const text = `${results.length} cells; pfn/ours: worst ${d(worst)}; best ${d(best)}; cells below 2× pfn: ${below2.length} of ${ratios.length}`
    + `; cells where fn was faster than ours: ${fnFaster.length} of ${withFn.length}${fnFaster.length ? ` (${fnFaster.map(cellName).join(', ')})` : ''}`
    + `; cells not certified or not optimal: ${failed.length}${failed.length ? ` (${failed.map(cellName).join(', ')})` : ''}`
    + (noR.length ? `; cells without an R time: ${noR.length}` : '');
  return { worst, best, below2: below2.length, measured: ratios.length, fnFaster: fnFaster.length, withFn: withFn.length, failed: failed.length, noR: noR.length, text };
}

const utc = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '?');
const range = (xs, f) => (xs.length ? (Math.min(...xs) === Math.max(...xs) ? f(xs[0]) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`) : '—');

/** Where the R times of these cells came from, one sentence per source. */
function rSources(results) {
  const out = [];
  for (const m of ['pfn', 'fn']) {
    const rs = results.map((c) => c.R?.[m]).filter((r) => r?.ms);
    const cached = rs.filter((r) => r.source === 'cache');
    const fresh = rs.filter((r) => r.source !== 'cache');
    const when = (xs) => {
      const at = xs.map((r) => r.measuredAt).filter(Boolean).sort();
      const ld = xs.flatMap((r) => [r.loadBefore?.[0], r.loadAfter?.[0]]).filter((x) => x !== undefined);
      const qr = [...new Set(xs.map((r) => r.quantreg).filter(Boolean))];
      return `${at.length ? `Rscript processes started ${utc(at[0])} – ${utc(at.at(-1))}` : 'measured in the run'}${ld.length ? `, 1-minute load average ${range(ld, (x) => x.toFixed(1))}` : ''}${qr.length ? `, quantreg ${qr.join('/')}` : ''}`;
    };
    if (cached.length) out.push(`R \`${m}\`: ${cached.length} of ${rs.length} times from the R-time cache (${when(cached)})`);
    if (fresh.length) out.push(`R \`${m}\`: ${fresh.length} of ${rs.length} measured in the run (${when(fresh)})`);
  }
  return out;
}

function order(results) {
  const fi = (f) => FAMILIES.indexOf(f);
  return [...results].sort((a, b) => a.n - b.n || a.p - b.p || fi(a.family) - fi(b.family) || a.tau - b.tau);
}

function grid(results, m, title) {
  const cols = [...new Map(order(results).map((c) => [`${c.n}x${c.p}|${c.tau}`, c])).values()]
    .sort((a, b) => a.n - b.n || a.p - b.p || a.tau - b.tau);
  const fams = FAMILIES.filter((f) => results.some((c) => c.family === f));
  const at = new Map(results.map((c) => [`${c.family}|${c.n}x${c.p}|${c.tau}`, c]));
  const mixed = new Set(results.map((c) => c.R?.[m]?.source === 'cache')).size > 1;
  const lines = [`| ${title} | ${cols.map((c) => `${L.fmtN(c.n)}×${c.p} τ=${c.tau}`).join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`];
  for (const f of fams) {
    const cells = cols.map((k) => {
      const c = at.get(`${f}|${k.n}x${k.p}|${k.tau}`);
      if (!c) return '—';
      if (!ok(c)) return c.ours.error.startsWith('not optimal') ? '**not optimal**' : '**not certified**';
      const r = c.R?.[m]?.ms / c.ours.ms;
      if (!Number.isFinite(r)) return '—';
      const s = L.fmtRatio(r) + (mixed && c.R[m].source === 'cache' ? '†' : '');
      return r < (m === 'pfn' ? 2 : 1) ? `**${s}**` : s;
    });
    lines.push(`| ${f} | ${cells.join(' | ')} |`);
  }
  if (mixed) lines.push('', `†: R \`${m}\` time from the R-time cache (not measured in the run).`);
  return lines.join('\n');
}

export function renderMarkdown(doc, { partial = false, jsonName = '' } = {}) {
  const { runs = [], results = [] } = doc;
  const v = verdict(results);
  const runLines = runs.map((r) => `- \`${r.command ?? r.run}\` — commit ${r.commit}, ${utc(r.machine?.date ?? r.date)}${r.date && r.machine?.date ? ` → ${utc(r.date)}` : ''}, `
    + `load average ${(r.loadStart ?? []).join(' ')} → ${(r.loadEnd ?? []).join(' ')}${typeof r.machine === 'object' ? `, ${r.machine.cpu} (${r.machine.cores} cores), Node ${r.machine.node}` : r.machine ? `, ${r.machine}` : ''}`
    + `${r.reps ? `; ours: medians of ${r.reps} at 1e5${r.reps1e6 ? `, ${r.reps1e6} at 1e6` : ''} after a validating warm-up run` : ''}`);
  const header = ['family', 'n×p', 'τ', 'ours', 'R pfn', 'R fn', 'pfn/ours', 'fn/ours', 'nid/fit', 'sweeps+pivots', 'glob rounds/fix-ups', 'rows collapsed', 'R times from', 'load (ours)'];
  const rows = order(results).map((c) => {
    const o = c.ours ?? {};
    const src = c.R?.pfn ? (c.R.pfn.source === 'cache' ? `cache, Rscript started ${utc(c.R.pfn.measuredAt)}, load ${c.R.pfn.loadBefore?.[0]}→${c.R.pfn.loadAfter?.[0]}` : 'this run') : '—';
    const steps = o.iterations !== undefined ? `${o.iterations - o.edgeSteps}+${o.edgeSteps}` : '—';
    return [c.family, `${L.fmtN(c.n)}×${c.p}`, c.tau, o.error ? `**${o.error.split(':')[0]}**` : L.fmtMs(o.ms), L.fmtMs(c.R?.pfn?.ms), L.fmtMs(c.R?.fn?.ms),
      o.error ? '—' : L.fmtRatio(c.R?.pfn?.ms / o.ms), o.error ? '—' : L.fmtRatio(c.R?.fn?.ms / o.ms), o.summaryMs ? L.fmtRatio(o.summaryMs / o.ms) : '—',
      steps, `${o.globRounds ?? '—'}/${o.globFixups ?? '—'}`, o.collapsed ?? '—', src, c.loadAverage?.[0] ?? '—'];
  });
  return [
    `# Exact quantile regression on every kind of data — robustreg vs R quantreg (issue 18)${partial ? ' (partial: the run is still going)' : ''}`,
    '',
    'CPU time (user + system) of our process and of R (`system.time`), identical data (same generator, data hash in the JSON). '
      + 'Ours is `quantile()` on a `Dataset` (WASM), certified (relative gap ≤ 1e-10) and its objective (compensated sum) not above R\'s by more than 1e-9 relative; '
      + 'R is `rq.fit(cbind(1, X), y, tau, method)` on the same float64 data, medians of 3 at 1e5 and 1 at 1e6. '
      + 'Bold: below 2× `pfn` (first grid), below 1× `fn` (second).',
    '',
    ...runLines,
    '',
    ...rSources(results).map((s) => `- ${s}`),
    '',
    `**Verdict:** ${v.text}.`,
    '',
    grid(results, 'pfn', '`pfn` / ours'),
    '',
    grid(results, 'fn', '`fn` / ours'),
    '',
    `Every cell${jsonName ? ` (JSON: \`${jsonName}\`)` : ''}:`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}

/** Cells of several result files, a later file's cell replacing an earlier one's. */
export function mergeResults(docs) {
  const at = new Map();
  const runs = [];
  for (const doc of docs) {
    runs.push(...(doc.runs ?? []));
    for (const c of doc.results ?? []) at.set(`${c.family}|${c.n}x${c.p}|${c.tau}`, c);
  }
  return { runs, results: [...at.values()] };
}

async function main() {
  const { values: A, positionals } = parseArgs({ allowPositionals: true, options: { md: { type: 'string' } } });
  if (!positionals.length) throw new Error('usage: node bench/degenerate-table.mjs [--md OUT.md] RESULTS.json [MORE.json ...]');
  const doc = mergeResults(positionals.map((f) => JSON.parse(readFileSync(f, 'utf8'))));
  const text = renderMarkdown(doc, { jsonName: positionals.map((f) => path.basename(f)).join(', ') });
  if (A.md) {
    writeFileSync(A.md, text);
    console.log(verdict(doc.results).text);
  } else {
    process.stdout.write(text);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
