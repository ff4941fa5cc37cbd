#!/usr/bin/python3
"""Reference values from statsmodels for src/inference -> test/fixtures/inference/huber.raw.json and
l2-statsmodels.raw.json. Run through `node scripts/inference-fixtures.mjs` (which writes the final JSON
with shortest round-trip decimals), or: /usr/bin/python3 scripts/inference-fixtures-sm.py <shared-data-dir> <out-dir>
Uses Debian's python3-statsmodels (/usr/bin/python3). Never edit the JSON by hand.

- Huber: statsmodels RLM(y, X, M=HuberT(t)).fit(cov='H1'|'H2'|'H3'), with Huber's proposal-2 joint scale
  (scale_est=HuberScale(d=t), robustreg's convention, tight tolerances) and, for one case, statsmodels'
  default scale_est='mad' (MAD of the residuals about 0 / Phi^-1(3/4), conv='dev', tol=1e-8, maxiter=50).
- L2: OLS / WLS .fit(cov_type='nonrobust'|'HC0'..'HC3'): bse and the robust Wald F (fvalue, f_pvalue),
  which R's summary.lm does not give for HC covariances.
- L2 'exact': the same quantities in 50-digit arithmetic (mpmath) from the decimal data as doubles:
  least-squares coefficients, classical and HC0-HC3 covariances, leverages, robust Wald F. R and
  statsmodels lose up to ~1e-6 (off-diagonal) on ill-conditioned Longley HC covariances; this is the
  reference the 1e-10 tests use.
"""
import json
import sys

import mpmath as mp
import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm

shared = sys.argv[1] if len(sys.argv) > 1 else '../shared/data'
outdir = sys.argv[2] if len(sys.argv) > 2 else 'test/fixtures/inference'
versions = dict(python=sys.version.split()[0], statsmodels=statsmodels.__version__, numpy=np.__version__,
                scipy=scipy.__version__, mpmath=mp.__version__)


def lst(a):
    return np.asarray(a, dtype=float).tolist()


def load_csv(path):
    d = np.genfromtxt(path, delimiter=',', skip_header=1)
    return d[:, 1:], d[:, 0]


# ------------------------------------------------------------------------------------------- Huber
SX, Sy = load_csv(f'{shared}/lad/stackloss.csv')
rng = np.random.default_rng(20261127)
n = 80
HX = np.column_stack([rng.normal(size=n), rng.uniform(0, 5, size=n)])
Hy = 2 + 1.5 * HX[:, 0] - 0.7 * HX[:, 1] + rng.standard_t(2, size=n)
Hy[:4] += 15  # a few gross outliers


def huber_case(name, X, y, t=1.345, intercept=True, scale_est='joint'):
    Z = sm.add_constant(X, prepend=True) if intercept else X
    if scale_est == 'joint':
        # Huber's proposal 2 (joint scale): the convention of robustreg's huber().
        kw = dict(scale_est=sm.robust.scale.HuberScale(d=t, tol=1e-15, maxiter=1000), conv='coefs', tol=1e-13,
                  maxiter=100000)
        kwtext = f'scale_est=HuberScale(d={t}, tol=1e-15, maxiter=1000), conv="coefs", tol=1e-13, maxiter=100000, '
    else:
        kw = dict()  # statsmodels defaults: scale_est='mad', conv='dev', tol=1e-8, maxiter=50
        kwtext = ''
    out = dict(name=name, delta=t, intercept=intercept, scaleEstimate=scale_est, X=lst(X), y=lst(y),
               call=f'RLM(y, {"add_constant(X)" if intercept else "X"}, M=HuberT(t={t})).fit({kwtext}cov=...)')
    for cov in ('H1', 'H2', 'H3'):
        r = sm.RLM(y, Z, M=sm.robust.norms.HuberT(t=t)).fit(cov=cov, **kw)
        ci = r.conf_int(0.05)
        out[cov] = dict(params=lst(r.params), scale=float(r.scale), stdError=lst(r.bse), statistic=lst(r.tvalues),
                        pValue=lst(r.pvalues), vcov=lst(r.cov_params()), ciLower=lst(ci[:, 0]), ciUpper=lst(ci[:, 1]),
                        iterations=int(r.fit_history['iteration']), dfResid=float(r.df_resid))
    return out


huber = dict(
    provenance=dict(script='scripts/inference-fixtures-sm.py', command='node scripts/inference-fixtures.mjs',
                    versions=versions,
                    calls='statsmodels.api.RLM(y, X, M=statsmodels.robust.norms.HuberT(t)).fit(cov=H1|H2|H3, '
                          'scale_est=HuberScale(d=t, tol=1e-15, maxiter=1000), conv=coefs, tol=1e-13, maxiter=100000) '
                          'or (case stackloss-mad) the default scale_est=mad; '
                          'bse, tvalues, pvalues (normal), cov_params(), conf_int(0.05) (normal)',
                    data='stackloss (shared/data/lad/stackloss.csv); synthetic: numpy default_rng(20261127), n = 80, '
                         'x1 ~ N(0,1), x2 ~ U(0,5), y = 2 + 1.5 x1 - 0.7 x2 + t2 noise, y[0:4] += 15'),
    cases=[huber_case('stackloss', SX, Sy), huber_case('stackloss-mad', SX, Sy, scale_est='mad'),
           huber_case('synthetic', HX, Hy, t=1.0),
           huber_case('synthetic-no-intercept', HX, Hy, t=1.5, intercept=False)],
)
with open(f'{outdir}/huber.raw.json', 'w') as fh:
    json.dump(huber, fh)

# ----------------------------------------------------------------------------------- L2 robust F
# Same data as the R fixture (read back from it, so both tools see identical doubles).
with open(f'{outdir}/l2.raw.json') as fh:
    l2r = json.load(fh)
def exact_l2(X, y, w, intercept):
    mp.mp.dps = 50
    n = len(y)
    Z = [[mp.mpf(1)] + [mp.mpf(float(v)) for v in row] if intercept else [mp.mpf(float(v)) for v in row] for row in X]
    k = len(Z[0])
    W = [mp.mpf(float(v)) for v in w] if w is not None else [mp.mpf(1)] * n
    Y = [mp.mpf(float(v)) for v in y]
    A = mp.matrix(k, k)
    bvec = mp.matrix(k, 1)
    for i in range(n):
        for a in range(k):
            bvec[a] += W[i] * Z[i][a] * Y[i]
            for b in range(k):
                A[a, b] += W[i] * Z[i][a] * Z[i][b]
    Ainv = mp.inverse(A)
    coef = Ainv * bvec
    e = [Y[i] - sum(Z[i][a] * coef[a] for a in range(k)) for i in range(n)]
    rss = sum(W[i] * e[i] ** 2 for i in range(n))
    df = n - k
    sigma2 = rss / df
    out = dict(coef=[float(coef[a]) for a in range(k)], sigma=float(mp.sqrt(sigma2)),
               classical=[[float(sigma2 * Ainv[a, b]) for b in range(k)] for a in range(k)])
    h = [W[i] * sum(Z[i][a] * Ainv[a, b] * Z[i][b] for a in range(k) for b in range(k)) for i in range(n)]
    out['leverage'] = [float(v) for v in h]
    for typ in ('HC0', 'HC1', 'HC2', 'HC3'):
        M = mp.matrix(k, k)
        for i in range(n):
            et2 = W[i] * e[i] ** 2  # (sqrt(w) e)^2
            om = et2
            if typ == 'HC1':
                om = et2 * n / df
            elif typ == 'HC2':
                om = et2 / (1 - h[i])
            elif typ == 'HC3':
                om = et2 / (1 - h[i]) ** 2
            for a in range(k):
                for b in range(k):
                    M[a, b] += om * W[i] * Z[i][a] * Z[i][b]
        V = Ainv * M * Ainv
        # robust Wald F on the non-intercept coefficients
        s0 = 1 if intercept else 0
        q = k - s0
        Vbb = mp.matrix(q, q)
        bb = mp.matrix(q, 1)
        for a in range(q):
            bb[a] = coef[a + s0]
            for b in range(q):
                Vbb[a, b] = V[a + s0, b + s0]
        F = (bb.T * mp.inverse(Vbb) * bb)[0] / q
        out[typ] = dict(vcov=[[float(V[a, b]) for b in range(k)] for a in range(k)], fValue=float(F))
    return out


cases = []
for c in l2r['cases']:
    X = np.array(c['X'], dtype=float)
    y = np.array(c['y'], dtype=float)
    Z = sm.add_constant(X, prepend=True, has_constant='add') if c['intercept'] else X
    w = c.get('weights')
    out = dict(name=c['name'], exact=exact_l2(c['X'], c['y'], w, c['intercept']))
    for cov in ('nonrobust', 'HC0', 'HC1', 'HC2', 'HC3'):
        model = sm.WLS(y, Z, weights=np.array(w)) if w is not None else sm.OLS(y, Z)
        r = model.fit(cov_type=cov)
        out[cov] = dict(stdError=lst(r.bse), fValue=float(r.fvalue), fPValue=float(r.f_pvalue),
                        dfNum=float(r.df_model), dfDenom=float(r.df_resid))
    cases.append(out)
l2sm = dict(
    provenance=dict(script='scripts/inference-fixtures-sm.py', command='node scripts/inference-fixtures.mjs',
                    versions=versions,
                    calls='statsmodels OLS(y, add_constant(X)) / WLS(..., weights=w) .fit(cov_type=nonrobust|HC0..HC3): '
                          'bse, fvalue, f_pvalue (robust Wald F on the non-constant coefficients); '
                          'exact: mpmath at 50 digits (normal equations solved exactly enough: the error is ~cond^2 * 1e-50)',
                    data='the X, y, weights of test/fixtures/inference/l2.json (made by scripts/inference-fixtures.R)'),
    cases=cases,
)
with open(f'{outdir}/l2-statsmodels.raw.json', 'w') as fh:
    json.dump(l2sm, fh)
print('wrote', f'{outdir}/huber.raw.json', f'{outdir}/l2-statsmodels.raw.json')
