#!/usr/bin/python3
"""Reference fixtures for the Huber, smooth-L1 and lasso-path tests (test/fixtures/huber/).

Run with Debian's interpreter, which has the packages:
    apt-get install -y python3-statsmodels python3-sklearn     # numpy, scipy come with them
    /usr/bin/python3 scripts/huber-fixtures.py

Writes (never edit these by hand; rerun this script):
  test/fixtures/huber/<dataset>.csv   data (first column y, then X; optional last column 'weight')
  test/fixtures/huber/fixtures.json   reference results with tool, version and call for each case

References, per case kind:
  huber-joint       statsmodels RLM(norm=HuberT(t=d), scale_est=HuberScale(d=d)): Huber's proposal 2
                    (Huber 1981, §7.7), the convention robustreg implements for an estimated scale.
  huber-fixed       scikit-learn HuberRegressor(epsilon=d, alpha): its coefficients minimise
                    sum w s H_d(r/s) + alpha ||b||^2 at its own scale s = scale_, i.e. robustreg's
                    fixed-scale problem with scale = s and ridge = alpha * s.
  smoothl1-newton   damped Newton's method with the exact Hessian on
                    sum w (sqrt(r^2 + e^2) - e) + ridge ||b||^2 (numpy; independent of IRLS).
  lasso-lp          sum w rho_tau(r) + lambda ||b||_1 as a linear program, scipy.optimize.linprog
                    with HiGHS dual simplex and interior point (both reported; they agree).
  lambdamax-lp      the smallest lambda for which b = 0 is optimal, as a linear program over the
                    subgradients (exact, also with ties at the quantile), next to the closed form.
"""
import datetime
import hashlib
import json
import os
import platform
import shutil
import sys

import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy.optimize import linprog
from scipy.stats import norm
from sklearn.linear_model import HuberRegressor

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'huber')
SHARED = '/work/shared/data/lad'


def r(x):
    """Shortest round-trip decimal (Python's repr) for JSON."""
    return [float(v) for v in np.asarray(x, dtype=float).ravel()]


def write_csv(name, y, X, w=None):
    header = ['y'] + ['x%d' % (j + 1) for j in range(X.shape[1])] + (['weight'] if w is not None else [])
    path = os.path.join(OUT, name + '.csv')
    with open(path, 'w') as f:
        f.write(','.join(header) + '\n')
        for i in range(len(y)):
            row = [y[i]] + list(X[i]) + ([w[i]] if w is not None else [])
            f.write(','.join(repr(float(v)) for v in row) + '\n')
    return path


def sha(path):
    return hashlib.sha256(open(path, 'rb').read()).hexdigest()


def load_shared(name):
    src = os.path.join(SHARED, name + '.csv')
    dst = os.path.join(OUT, name + '.csv')
    shutil.copyfile(src, dst)
    a = np.loadtxt(dst, delimiter=',', skiprows=1)
    return a[:, 0].copy(), a[:, 1:].copy(), None


# ------------------------------------------------------------------------------------------- data

def synth_huber():
    """n = 200, p = 3, normal errors (sd 0.5) plus 10% vertical outliers (+N(8, 3^2)) and 3 bad
    leverage points; positive weights for the weighted cases."""
    g = np.random.default_rng(20261127)
    n = 200
    X = np.column_stack([g.normal(0, 1, n), g.uniform(-2, 2, n), g.normal(5, 2, n)])
    y = 1 + 2 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] + g.normal(0, 0.5, n)
    out = g.choice(n, 20, replace=False)
    y[out] += g.normal(8, 3, 20)
    X[:3, 0] = [6.0, 6.5, 7.0]
    y[:3] = [-3.0, -2.5, -4.0]
    w = np.round(g.uniform(0.5, 2.0, n), 3)
    return y, X, w


def synth_lasso():
    """n = 120, p = 6, sparse truth (3, 0, -2, 0, 0, 1), t_3 errors: continuous y (no ties)."""
    g = np.random.default_rng(7)
    n = 120
    X = g.normal(0, 1, (n, 6))
    X[:, 1] += 0.5 * X[:, 0]
    y = 0.5 + X @ np.array([3, 0, -2, 0, 0, 1.0]) + g.standard_t(3, n)
    w = np.round(g.uniform(0.2, 3.0, n), 2)
    return y, X, w


# ----------------------------------------------------------------------------------------- Huber

def huber_beta(d):
    """E min(Z^2, d^2) = 1 - 2 d phi(d) - 2 (1 - d^2) (1 - Phi(d))."""
    return 1 - 2 * d * norm.pdf(d) - 2 * (1 - d * d) * norm.sf(d)


def H(z, d):
    a = np.abs(z)
    return np.where(a <= d, z * z, 2 * d * a - d * d)


def joint_Q(b, s, y, X1, w, d, ridge, p_params):
    """Q(b, s) = sum w s H_d(r/s) + ridge ||slopes||^2 / s + A s, A = W (1 - p/n+) beta(d)."""
    res = y - X1 @ b
    npos = int(np.sum(w > 0))
    pe = min(p_params, npos - 1)
    A = np.sum(w) * ((npos - pe) / npos) * huber_beta(d)
    return float(np.sum(w * s * H(res / s, d)) + ridge * np.sum(b[1:] ** 2) / s + A * s), float(A)


def huber_joint_case(name, y, X, d):
    X1 = sm.add_constant(X, prepend=True, has_constant='add')
    model = sm.RLM(y, X1, M=sm.robust.norms.HuberT(t=d))
    res = model.fit(scale_est=sm.robust.scale.HuberScale(d=d, tol=1e-15, maxiter=1000),
                    conv='coefs', tol=1e-13, maxiter=100000, update_scale=True)
    b, s = np.asarray(res.params), float(res.scale)
    w = np.ones(len(y))
    Q, A = joint_Q(b, s, y, X1, w, d, 0.0, X1.shape[1])
    rr = y - X1 @ b
    psi = np.clip(rr / s, -d, d)
    return {
        'kind': 'huber-joint', 'dataset': name, 'delta': d,
        'coefficients': r(b), 'scale': s, 'objective': Q, 'A': A,
        'stationarity': {'max_abs_X1T_psi': float(np.max(np.abs(X1.T @ psi))),
                         'sum_psi2_minus_A': float(np.sum(psi ** 2) - A)},
        'iterations': int(res.fit_history['iteration']),
        'tool': 'statsmodels %s' % statsmodels.__version__,
        'call': ("sm.RLM(y, add_constant(X), M=sm.robust.norms.HuberT(t=%r)).fit(scale_est="
                 "sm.robust.scale.HuberScale(d=%r, tol=1e-15, maxiter=1000), conv='coefs', tol=1e-13, "
                 "maxiter=100000, update_scale=True)" % (d, d)),
    }


def huber_fixed_case(name, y, X, w, d, alpha):
    est = HuberRegressor(epsilon=d, alpha=alpha, fit_intercept=True, max_iter=100000, tol=1e-12)
    est.fit(X, y, sample_weight=w)
    s = float(est.scale_)
    b = np.concatenate([[est.intercept_], est.coef_])
    X1 = np.column_stack([np.ones(len(y)), X])
    ww = np.ones(len(y)) if w is None else w
    res = y - X1 @ b
    F = float(np.sum(ww * s * s * H(res / s, d)) + alpha * s * np.sum(b[1:] ** 2))
    return {
        'kind': 'huber-fixed', 'dataset': name, 'delta': d, 'weighted': w is not None,
        'scale': s, 'ridge': alpha * s, 'coefficients': r(b), 'objective': F,
        'iterations': int(est.n_iter_),
        'tool': 'scikit-learn %s' % sklearn.__version__,
        'call': ('HuberRegressor(epsilon=%r, alpha=%r, fit_intercept=True, max_iter=100000, tol=1e-12)'
                 '.fit(X, y, sample_weight=%s); robustreg: scale = scale_, ridge = alpha * scale_'
                 % (d, alpha, 'w' if w is not None else 'None')),
        'note': 'L-BFGS-B stops on its own criteria: compare objectives first (robustreg <= sklearn), '
                'coefficients to the optimiser tolerance',
    }


# ------------------------------------------------------------------------------------- smooth-L1

def smoothl1_newton(name, y, X, w, eps, ridge):
    X1 = np.column_stack([np.ones(len(y)), X])
    ww = np.ones(len(y)) if w is None else w
    D = np.diag([0.0] + [1.0] * X.shape[1])

    def f(b):
        rr = y - X1 @ b
        return np.sum(ww * (np.sqrt(rr * rr + eps * eps) - eps)) + ridge * b @ D @ b

    b = np.linalg.lstsq(X1 * np.sqrt(ww)[:, None], y * np.sqrt(ww), rcond=None)[0]
    it = 0
    for it in range(1, 500):
        rr = y - X1 @ b
        q = np.sqrt(rr * rr + eps * eps)
        g = -X1.T @ (ww * rr / q) + 2 * ridge * D @ b
        Hm = X1.T @ (X1 * (ww * eps * eps / q ** 3)[:, None]) + 2 * ridge * D
        step = np.linalg.solve(Hm, g)
        t, f0 = 1.0, f(b)
        while f(b - t * step) > f0 - 1e-4 * t * g @ step and t > 1e-12:
            t *= 0.5
        b = b - t * step
        if np.max(np.abs(t * step)) <= 1e-15 * max(1.0, np.max(np.abs(b))):
            break
    rr = y - X1 @ b
    q = np.sqrt(rr * rr + eps * eps)
    g = -X1.T @ (ww * rr / q) + 2 * ridge * D @ b
    return {
        'kind': 'smoothl1-newton', 'dataset': name, 'epsilon': eps, 'ridge': ridge, 'weighted': w is not None,
        'coefficients': r(b), 'objective': float(f(b)), 'gradient_max_abs': float(np.max(np.abs(g))),
        'iterations': it, 'tool': 'numpy %s' % np.__version__,
        'call': 'damped Newton, exact Hessian, Armijo backtracking, start = weighted least squares',
    }


# ----------------------------------------------------------------------------------------- lasso

def lasso_lp(y, X, w, tau, lam, method):
    """min sum w (tau u + (1 - tau) v) + lam sum (bp + bm), b0 + X (bp - bm) + u - v = y."""
    n, p = X.shape
    c = np.concatenate([[0.0], lam * np.ones(2 * p), tau * w, (1 - tau) * w])
    A = np.hstack([np.ones((n, 1)), X, -X, np.eye(n), -np.eye(n)])
    bounds = [(None, None)] + [(0, None)] * (2 * p + 2 * n)
    res = linprog(c, A_eq=A, b_eq=y, bounds=bounds, method=method,
                  options={'primal_feasibility_tolerance': 1e-10, 'dual_feasibility_tolerance': 1e-10})
    assert res.status == 0, res.message
    b = np.concatenate([[res.x[0]], res.x[1:p + 1] - res.x[p + 1:2 * p + 1]])
    rr = y - b[0] - X @ b[1:]
    obj = float(np.sum(w * rr * (tau - (rr < 0))) + lam * np.sum(np.abs(b[1:])))
    return obj, b


def lasso_case(name, y, X, w, tau, lam):
    ww = np.ones(len(y)) if w is None else w
    o1, b1 = lasso_lp(y, X, ww, tau, lam, 'highs-ds')
    o2, _ = lasso_lp(y, X, ww, tau, lam, 'highs-ipm')
    return {
        'kind': 'lasso-lp', 'dataset': name, 'tau': tau, 'lambda': lam, 'weighted': w is not None,
        'objective': o1, 'coefficients': r(b1), 'ipm_objective': o2,
        'rel_diff_simplex_ipm': abs(o1 - o2) / abs(o1),
        'tool': 'scipy %s (HiGHS)' % scipy.__version__,
        'call': "linprog(c, A_eq, b_eq, bounds, method='highs-ds' and 'highs-ipm'); objective "
                "sum w rho_tau(r) + lambda ||b||_1 (quantile units) re-evaluated at the simplex solution",
    }


def lower_wquantile(y, w, tau):
    idx = np.lexsort((np.arange(len(y)), y))
    idx = idx[w[idx] > 0]
    cw = np.cumsum(w[idx])
    k = int(np.argmax(cw >= tau * cw[-1]))
    return float(y[idx[k]])


def lambdamax_case(name, y, X, w, tau):
    ww = np.ones(len(y)) if w is None else w
    q = lower_wquantile(y, ww, tau)
    rr = y - q
    nz, Z = rr != 0, rr == 0
    d = np.where(rr > 0, tau, tau - 1.0)
    g = X[nz].T @ (ww[nz] * d[nz])
    # closed form: tied rows share the balancing value
    cz = np.clip(-np.sum(ww[nz] * d[nz]) / np.sum(ww[Z]), tau - 1, tau)
    formula = float(np.max(np.abs(g + X[Z].T @ (ww[Z] * cz))))
    # exact: min t s.t. |g + X_Z^T W_Z dz| <= t, sum w_Z dz = -sum w d (nonzero), dz in [tau-1, tau]
    m, p = int(Z.sum()), X.shape[1]
    XZ = X[Z].T * ww[Z]  # p x m
    c = np.concatenate([np.zeros(m), [1.0]])
    A_ub = np.vstack([np.hstack([XZ, -np.ones((p, 1))]), np.hstack([-XZ, -np.ones((p, 1))])])
    b_ub = np.concatenate([-g, g])
    A_eq = np.concatenate([ww[Z], [0.0]])[None, :]
    b_eq = [-np.sum(ww[nz] * d[nz])]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                  bounds=[(tau - 1, tau)] * m + [(0, None)], method='highs')
    assert res.status == 0, res.message
    return {
        'kind': 'lambdamax-lp', 'dataset': name, 'tau': tau, 'weighted': w is not None,
        'quantile': q, 'ties_at_quantile': m, 'lambda_max_exact': float(res.fun),
        'lambda_max_formula': formula, 'units': 'quantile (sum w rho_tau); LAD units are twice these',
        'tool': 'scipy %s (HiGHS)' % scipy.__version__,
        'call': 'linprog over the subgradients at the zero residuals (see lambdamax_case in this script)',
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    data = {}
    for name in ['stackloss', 'starsCYG']:
        data[name] = load_shared(name)
    y, X, w = synth_huber()
    write_csv('synth_huber', y, X, w)
    data['synth_huber'] = (y, X, w)
    y, X, w = synth_lasso()
    write_csv('synth_lasso', y, X, w)
    data['synth_lasso'] = (y, X, w)

    cases = []
    for name in ['stackloss', 'starsCYG', 'synth_huber']:
        y, X, _ = data[name]
        for d in [1.345, 2.0]:
            cases.append(huber_joint_case(name, y, X, d))
    for name, weighted, d, alpha in [('stackloss', False, 1.345, 0.0), ('starsCYG', False, 1.345, 0.0),
                                     ('synth_huber', True, 1.345, 0.0), ('synth_huber', True, 1.5, 2.0),
                                     ('synth_huber', False, 1.345, 0.0)]:
        y, X, w = data[name]
        cases.append(huber_fixed_case(name, y, X, w if weighted else None, d, alpha))
    for name, eps, ridge, weighted in [('stackloss', 0.5, 0.0, False), ('stackloss', 0.05, 0.0, False),
                                       ('starsCYG', 0.1, 0.0, False), ('synth_huber', 0.2, 0.0, True),
                                       ('synth_huber', 0.2, 3.0, True)]:
        y, X, w = data[name]
        cases.append(smoothl1_newton(name, y, X, w if weighted else None, eps, ridge))
    for name, tau, lam, weighted in [('stackloss', 0.5, 1.0, False), ('stackloss', 0.5, 5.0, False),
                                     ('stackloss', 0.5, 20.0, False), ('starsCYG', 0.25, 0.5, False),
                                     ('starsCYG', 0.25, 2.0, False), ('synth_lasso', 0.5, 2.0, False),
                                     ('synth_lasso', 0.5, 10.0, False), ('synth_lasso', 0.75, 5.0, True),
                                     ('synth_lasso', 0.3, 20.0, True)]:
        y, X, w = data[name]
        cases.append(lasso_case(name, y, X, w if weighted else None, tau, lam))
    for name, tau, weighted in [('stackloss', 0.5, False), ('stackloss', 0.25, False), ('starsCYG', 0.5, False),
                                ('synth_lasso', 0.5, False), ('synth_lasso', 0.75, True), ('synth_lasso', 0.3, False)]:
        y, X, w = data[name]
        cases.append(lambdamax_case(name, y, X, w if weighted else None, tau))

    files = {name: {'file': name + '.csv', 'sha256': sha(os.path.join(OUT, name + '.csv')),
                    'n': int(len(data[name][0])), 'p': int(data[name][1].shape[1]),
                    'weights_column': data[name][2] is not None}
             for name in data}
    doc = {
        'generator': 'scripts/huber-fixtures.py (run with /usr/bin/python3; do not edit by hand)',
        'generated': datetime.date.today().isoformat(),
        'environment': {'python': platform.python_version(), 'numpy': np.__version__, 'scipy': scipy.__version__,
                        'statsmodels': statsmodels.__version__, 'scikit-learn': sklearn.__version__,
                        'platform': platform.platform()},
        'conventions': 'coefficients are [intercept, b_1..b_p]; CSV: y, x1..xp[, weight]; stackloss and '
                       'starsCYG copied from /work/shared/data/lad (Brownlee 1965; Rousseeuw & Leroy 1987)',
        'datasets': files,
        'cases': cases,
    }
    with open(os.path.join(OUT, 'fixtures.json'), 'w') as f:
        json.dump(doc, f, indent=1)
    print('wrote %d cases to %s' % (len(cases), os.path.relpath(os.path.join(OUT, 'fixtures.json'), ROOT)))


if __name__ == '__main__':
    sys.exit(main())
