#!/usr/bin/env python3
"""Exact least-squares solutions of the NIST StRD linear sets *as stored in float64*.

NIST certifies the solution of the decimal data; the kernels see the data rounded to float64 (and the
polynomial columns x^k built as x^(k-1) * x in float64, as test/estimators/nist.test.ts does). This script solves
the normal equations of that float64 data exactly in rational arithmetic (fractions.Fraction: every
double is a dyadic rational) and writes the correctly rounded solution, so the test can measure the
kernels in ulps from the best answer any float64 method can give.

Usage (from the repository root; Python >= 3.8, standard library only):
    python3 scripts/l2-nist-exact.py > test/fixtures/nist/float64-exact.json
"""
import json
import platform
import sys
from fractions import Fraction
from pathlib import Path

SETS = ['Norris', 'Pontius', 'NoInt1', 'NoInt2', 'Filip', 'Longley',
        'Wampler1', 'Wampler2', 'Wampler3', 'Wampler4', 'Wampler5']


def columns(d):
    if d['model']['kind'] == 'multiple':
        return [[row[j] for row in d['x']] for j in range(len(d['x'][0]))]
    x = [float(v) for v in d['x']]
    cols = [x]
    for _ in range(2, d['model']['degree'] + 1):
        cols.append([a * b for a, b in zip(cols[-1], x)])  # float64 products, like the test
    return cols


def exact_ls(cols, y):
    m = len(cols)
    n = len(y)
    A = [[Fraction(c[i]) for c in cols] for i in range(n)]
    Y = [Fraction(v) for v in y]
    M = [[sum(A[i][a] * A[i][b] for i in range(n)) for b in range(m)] + [sum(A[i][a] * Y[i] for i in range(n))]
         for a in range(m)]
    for c in range(m):
        piv = next(r for r in range(c, m) if M[r][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        for r in range(m):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return [M[a][m] / M[a][a] for a in range(m)]


def main():
    root = Path(__file__).resolve().parent.parent / 'test' / 'fixtures' / 'nist'
    out = {
        'provenance': {
            'tool': f'Python {platform.python_version()} fractions.Fraction (exact rational arithmetic)',
            'call': 'python3 scripts/l2-nist-exact.py > test/fixtures/nist/float64-exact.json',
            'what': 'float(Fraction) (correctly rounded) of the exact least-squares solution of the '
                    'float64 data in test/fixtures/nist/*.json, polynomial columns x^k = x^(k-1) * x '
                    'in float64; intercept first for intercept models',
        },
        'coef': {},
    }
    for name in SETS:
        d = json.loads((root / f'{name}.json').read_text())
        cols = columns(d)
        if d['model']['intercept']:
            cols = [[1.0] * len(d['y'])] + cols
        out['coef'][name] = [float(v) for v in exact_ls(cols, d['y'])]
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
