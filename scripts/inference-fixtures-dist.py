#!/usr/bin/env python3
"""Reference values for src/inference/distributions.ts -> test/fixtures/inference/distributions.json.

Run from the repo root:  python3 scripts/inference-fixtures-dist.py
Tools: scipy.stats / scipy.special (the values the tests are asked to match) and mpmath at 60
significant digits (an independent arbitrary-precision reference). Both are recorded per case; the
test checks against both. Versions are written into the fixture. Never edit the JSON by hand.
"""
import json
import sys

import mpmath as mp
import numpy as np
import scipy
from scipy import special, stats

mp.mp.dps = 60


def f(x):
    """Shortest round-trip decimal of a double (JSON number); non-finite as a string."""
    x = float(x)
    if np.isfinite(x):
        return float(repr(x))
    return str(x)


def _series(a, b, x):
    """I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * sum_n (a+b)_n / (a+1)_n x^n  (positive terms)."""
    lpre = a * mp.log(x) + b * mp.log1p(-x) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)) - mp.log(a)
    s, term, n = mp.mpf(0), mp.mpf(1), 0
    eps = mp.mpf(10) ** (-mp.mp.dps - 5)
    while True:
        s += term
        ratio = (a + b + n) * x / (a + 1 + n)
        term *= ratio
        n += 1
        bound = max(ratio, x)  # later ratios stay below this once it is < 1
        if bound < 1 and term < eps * s * (1 - bound):
            break
    return mp.exp(lpre) * s


def mp_betainc(a, b, x, upper=False):
    """Regularised incomplete beta by the positive series, directly or through 1 - I_{1-x}(b, a),
    whichever needs fewer terms; the working precision is raised until a complement 1 - I keeps 40+
    significant digits."""
    def terms(a, b, x):  # terms grow while (a+b+n)x > a+1+n, then shrink about like x^n
        if x <= 0:
            return 0.0
        if x >= 1:
            return float('inf')
        return max(0.0, ((a + b) * x - a - 1) / (1 - x)) + 150.0 / -float(mp.log(x))
    direct = terms(float(a), float(b), float(x)) <= terms(float(b), float(a), float(1 - mp.mpf(x)))
    dps = 60
    while True:
        with mp.workdps(dps):
            A, B, X = mp.mpf(a), mp.mpf(b), mp.mpf(x)
            if direct:
                v = _series(A, B, X)
                r, cancel = (1 - v, True) if upper else (v, False)
            else:
                v = _series(B, A, 1 - X)
                r, cancel = (v, False) if upper else (1 - v, True)
            if not cancel or r > mp.mpf(10) ** (-(dps - 45)) or (r == 0 and v == 0):
                return +r
            if dps > 1000:  # |result| < 1e-900: far below the smallest double
                return mp.mpf(0)
            dps = 2 * dps if r <= 0 else int(-mp.log10(r)) + 80


def mp_t_cdf(t, df):
    t, df = mp.mpf(t), mp.mpf(df)
    x = df / (df + t * t)
    tail = mp_betainc(df / 2, mp.mpf(1) / 2, x) / 2  # P(T > |t|)
    return tail if t < 0 else 1 - tail


def mp_t_sf(t, df):
    return mp_t_cdf(-t, df)


def mp_norm_cdf(x):
    return mp.ncdf(mp.mpf(x))


def mp_f_sf(x, d1, d2):
    x, d1, d2 = mp.mpf(x), mp.mpf(d1), mp.mpf(d2)
    return mp_betainc(d2 / 2, d1 / 2, d2 / (d2 + d1 * x))


def mp_f_cdf(x, d1, d2):
    x, d1, d2 = mp.mpf(x), mp.mpf(d1), mp.mpf(d2)
    return mp_betainc(d1 / 2, d2 / 2, d1 * x / (d2 + d1 * x))


def mp_t_ppf(p, df):
    p, df = mp.mpf(p), mp.mpf(df)
    # Solve cdf(t) = p starting from scipy's answer (high precision polish).
    t0 = mp.mpf(stats.t.ppf(float(p), float(df)))
    return mp.findroot(lambda t: mp_t_cdf(t, df) - p, t0, tol=mp.mpf(10) ** -50)


def mp_norm_ppf(p):
    # 1 - 2p keeps all digits of a tiny p only with enough working precision.
    with mp.workdps(60 + (int(-mp.log10(p)) if p < 0.5 else 0)):
        p = mp.mpf(p)
        return +(-mp.sqrt(2) * mp.erfinv(1 - 2 * p) if p < 0.5 else mp.sqrt(2) * mp.erfinv(2 * p - 1))


cases = {}

# log-gamma
xs = [1e-300, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1.5, 2.5, 3.0, 4.75, 7.3, 10.0, 14.9, 15.0, 15.1, 20.0,
      33.3, 100.0, 1e3, 123456.789, 1e7, 1e15, 1e100]
cases['logGamma'] = [dict(args=[x], scipy=f(special.gammaln(x)), mpmath=f(mp.loggamma(mp.mpf(x)))) for x in xs]

# regularised incomplete beta I_x(a, b), lower and upper
ib = []
for a, b, x in [(0.5, 0.5, 0.3), (1, 1, 0.25), (2, 3, 0.4), (0.1, 10, 0.01), (10, 0.1, 0.99),
                (5, 5, 0.5), (5, 5, 0.05), (5, 5, 0.95), (50, 70, 0.4), (200, 0.5, 0.999),
                (0.5, 200, 1e-4), (1e3, 1e3, 0.48), (1e4, 3e4, 0.26), (5e5, 0.5, 0.99999),
                (3, 1e6, 1e-6), (1e6, 1e6, 0.4995), (2.5, 7.25, 0.9), (1e-3, 1e-3, 0.5),
                (30, 30, 1e-10), (0.7, 1.3, 1 - 1e-12)]:
    for upper in (False, True):
        sp = special.betaincc(a, b, x) if upper else special.betainc(a, b, x)
        ib.append(dict(args=[a, b, x, upper], scipy=f(sp), mpmath=f(mp_betainc(a, b, x, upper))))
cases['incompleteBeta'] = ib

# normal
ncdf = []
for x in [-38.5, -37, -30, -20, -10, -8.3, -5, -3, -2, -1.7, -1, -0.5, -1e-5, 0, 1e-8, 0.3, 1, 1.2,
          1.8, 2.5, 4, 6, 8.2, 9]:
    ncdf.append(dict(args=[x], scipy=f(stats.norm.cdf(x)), mpmath=f(mp_norm_cdf(x))))
cases['normalCdf'] = ncdf
cases['normalSf'] = [dict(args=[x], scipy=f(stats.norm.sf(x)), mpmath=f(mp_norm_cdf(-x))) for x in
                     [-8, -1, 0, 0.5, 1.5, 3, 7, 15, 37.5]]
npf = []
for p in [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.0749, 0.075, 0.1, 0.3, 0.5,
          0.6, 0.9, 0.925, 0.975, 0.99, 0.999999, 1 - 2 ** -40]:
    npf.append(dict(args=[p], scipy=f(stats.norm.ppf(p)), mpmath=f(mp_norm_ppf(p))))
cases['normalQuantile'] = npf

# Student t
tc = []
for df in [1, 2, 3, 4.5, 10, 30, 100, 1e3, 1e5, 1e7]:
    for t in [-50, -7.5, -3, -2.1, -1, -0.2, -1e-4, 0, 1e-4, 0.7, 1.96, 4, 12, 300]:
        tc.append(dict(args=[t, df], scipy=f(stats.t.cdf(t, df)), mpmath=f(mp_t_cdf(t, df))))
cases['studentTCdf'] = tc
ts = []
for df in [1, 2.5, 9, 17, 1e4]:
    for t in [0.01, 1.5, 2.6, 6, 25, 1e3]:
        ts.append(dict(args=[t, df], scipy=f(stats.t.sf(t, df)), mpmath=f(mp_t_sf(t, df))))
cases['studentTSf'] = ts
tq = []
for df in [1, 2, 3, 4.5, 9, 17, 60, 1e3, 1e6]:
    for p in [1e-12, 1e-6, 0.001, 0.025, 0.05, 0.3, 0.5, 0.7, 0.975, 0.995, 0.9999999]:
        tq.append(dict(args=[p, df], scipy=f(stats.t.ppf(p, df)), mpmath=f(mp_t_ppf(p, df))))
cases['studentTQuantile'] = tq

# F
fs = []
for d1, d2 in [(1, 1), (1, 10), (3, 17), (6, 9), (10, 1e3), (2.5, 7.5), (50, 50), (1000, 1e6), (1, 1e6)]:
    for x in [1e-3, 0.2, 1, 2.7, 10, 330.3, 1e5]:
        fs.append(dict(args=[x, d1, d2], scipy=f(stats.f.sf(x, d1, d2)), mpmath=f(mp_f_sf(x, d1, d2))))
cases['fSf'] = fs
fc = []
for d1, d2 in [(1, 1), (3, 17), (6, 9), (50, 50), (1000, 1e6)]:
    for x in [1e-3, 0.2, 1, 2.7, 10]:
        fc.append(dict(args=[x, d1, d2], scipy=f(stats.f.cdf(x, d1, d2)), mpmath=f(mp_f_cdf(x, d1, d2))))
cases['fCdf'] = fc

# scipy vs mpmath agreement, for the record
worst = {}
for k, v in cases.items():
    m = 0.0
    for c in v:
        s, r = c['scipy'], c['mpmath']
        if isinstance(s, str) or isinstance(r, str):
            continue
        d = abs(s - r) / max(abs(r), 1e-300) if r != 0 else abs(s)
        m = max(m, d)
    worst[k] = m

out = dict(
    provenance=dict(
        script='scripts/inference-fixtures-dist.py',
        command='python3 scripts/inference-fixtures-dist.py',
        python=sys.version.split()[0], scipy=scipy.__version__, numpy=np.__version__,
        mpmath=mp.__version__, mpmath_dps=mp.mp.dps,
        calls='scipy.special.gammaln, betainc, betaincc; scipy.stats.norm.cdf/sf/ppf, t.cdf/sf/ppf, f.cdf/sf; '
              'mpmath.loggamma, betainc(regularized=True), ncdf, erfinv, findroot on the t cdf',
        scipy_vs_mpmath_max_rel=worst,
    ),
    cases=cases,
)
with open('test/fixtures/inference/distributions.json', 'w') as fh:
    json.dump(out, fh, indent=1)
    fh.write('\n')
print(json.dumps(worst, indent=1))
