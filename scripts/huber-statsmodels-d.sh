#!/bin/sh
# The numbers quoted in README.md (Accuracy, Huber) and docs/losses.md: on stack loss, statsmodels'
# HuberScale() with its default d = 2.5 against d = 1.345 (robustreg's convention), and R's MASS
# rlm(psi.huber, scale.est = "Huber"), which matches robustreg's huber() with no options.
cd "$(dirname "$0")/.."
/usr/bin/python3 - <<'PY'
import numpy as np, statsmodels.api as sm
d = np.loadtxt('data/stackloss.csv', delimiter=',', skiprows=1); y = d[:, 0]; X = sm.add_constant(d[:, 1:])
for dd in (2.5, 1.345):
    r = sm.RLM(y, X, M=sm.robust.norms.HuberT(t=1.345)).fit(scale_est=sm.robust.scale.HuberScale(d=dd))
    print(f'statsmodels HuberScale(d={dd}):', r.params, 'scale', r.scale)
PY
Rscript -e 'suppressMessages(library(MASS)); m <- rlm(stack.loss ~ ., stackloss, psi = psi.huber, scale.est = "Huber", maxit = 1000, acc = 1e-14); cat("MASS rlm:", format(coef(m), digits = 15), "scale", format(m$s, digits = 15), "\n")'
node --input-type=module -e '
import { readFileSync } from "node:fs"; import { init, huber } from "./dist/index.js"; await init();
const rows = readFileSync("data/stackloss.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
const h = huber(rows.map((r) => r.slice(1)), rows.map((r) => r[0]));
console.log("robustreg huber:", h.intercept, Array.from(h.coef), "scale", h.scale);'
