# Reference quantile processes for quantileProcess() (src/inference/process.ts) ->
#   test/fixtures/inference/process.json
# Usage (repo root): Rscript scripts/process-fixtures.R [shared-data-dir] [out-dir]
# Tool: quantreg::rq(y ~ ., tau = -1) (rq.fit.br's parametric simplex): sol rows tau, Qbar, Obj.Fun,
# coefficients; column j holds the solution from tau_j to tau_{j+1}. Never edit the JSON by hand.
source("scripts/quantreg-fixture-setup.R")
set.seed(42)
n <- 150
SX <- cbind(x1 = rnorm(n), x2 = runif(n, 0, 3))
Sy <- 2 + SX[, 1] + 0.5 * SX[, 2] + (0.5 + 0.5 * SX[, 2]) * rnorm(n)
set.seed(43)
Sw <- runif(n, 0.2, 3)

pcase <- function(name, X, y, w = NULL) {
  d <- data.frame(y = y, X)
  warn <- character(0)
  fit <- withCallingHandlers(
    if (is.null(w)) rq(y ~ ., tau = -1, data = d) else rq(y ~ ., tau = -1, data = d, weights = w),
    warning = function(wn) { warn <<- c(warn, conditionMessage(wn)); invokeRestart("muffleWarning") })
  sol <- fit$sol
  list(name = name, X = rows(X), y = y, weights = if (is.null(w)) NULL else w,
       call = sprintf("rq(y ~ ., tau = -1%s)$sol", if (is.null(w)) "" else ", weights = w"),
       tau = unname(sol[1, ]), objective = unname(sol[3, ]),
       coef = lapply(seq_len(ncol(sol)), function(j) unname(sol[-(1:3), j])),
       warnings = I(unique(warn)))
}
out <- list(
  provenance = list(script = "scripts/process-fixtures.R", command = "Rscript scripts/process-fixtures.R", versions = versions,
    data = "stackloss (shared/data/lad/stackloss.csv); quantreg data(engel); synthetic set.seed(42), n = 150, x1 ~ N(0,1), x2 ~ U(0,3), y = 2 + x1 + 0.5 x2 + (0.5 + 0.5 x2) N(0,1); weights set.seed(43) runif(150, 0.2, 3)"),
  cases = list(pcase("stackloss", SLX, SLy), pcase("engel", EX, Ey), pcase("synthetic", SX, Sy), pcase("synthetic-weighted", SX, Sy, Sw))
)
write_json(out, file.path(outdir, "process.json"), digits = I(17), auto_unbox = TRUE, null = "null", pretty = FALSE)
cat("wrote", file.path(outdir, "process.json"), "\n")
