#!/usr/bin/python3
# Peer side of bench/huber.mjs (run by it; not a project dependency). Reads X (row-major float64, n x p)
# and y (float64) written by the Node script, fits ONE peer once, and prints one JSON line:
#   sk: scikit-learn HuberRegressor(epsilon=delta, alpha=0) with its defaults otherwise (L-BFGS-B,
#       tol 1e-5, max_iter 100) -- what a user gets; concomitant scale with A = W (its scale_ is not
#       an estimate of sigma, see docs/losses.md).
#   sm: statsmodels RLM(y, add_constant(X), M=HuberT(t=delta)).fit(scale_est=HuberScale(d=delta))
#       with its defaults otherwise (IRLS, conv='dev', tol 1e-8, maxiter 50): Huber's proposal 2, the
#       estimator robustreg's huber computes.
# CPU time = time.process_time() around the fit only (loading and the model object's construction for
# RLM are outside). Threads are pinned by the caller (OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1).
import json
import sys
import time
import warnings

import numpy as np

which, xpath, ypath, n, p, delta = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
X = np.fromfile(xpath, dtype=np.float64).reshape(n, p)
y = np.fromfile(ypath, dtype=np.float64)
warnings.simplefilter('ignore')
if which == 'sk':
    from sklearn.linear_model import HuberRegressor
    est = HuberRegressor(epsilon=delta, alpha=0.0)
    t0 = time.process_time()
    est.fit(X, y)
    cpu = time.process_time() - t0
    out = {'cpu': cpu, 'intercept': float(est.intercept_), 'coef': [float(v) for v in est.coef_],
           'iterations': int(est.n_iter_), 'scale': float(est.scale_)}
else:
    import statsmodels.api as sm
    X1 = sm.add_constant(X, has_constant='add')
    model = sm.RLM(y, X1, M=sm.robust.norms.HuberT(t=delta))
    t0 = time.process_time()
    res = model.fit(scale_est=sm.robust.scale.HuberScale(d=delta))
    cpu = time.process_time() - t0
    b = res.params
    out = {'cpu': cpu, 'intercept': float(b[0]), 'coef': [float(v) for v in b[1:]],
           'iterations': int(res.fit_history['iteration']), 'scale': float(res.scale)}
import sklearn, statsmodels  # noqa: E401 (versions for the record)
out['versions'] = {'python': sys.version.split()[0], 'numpy': np.__version__, 'sklearn': sklearn.__version__,
                   'statsmodels': statsmodels.__version__}
print(json.dumps(out))
