# Reference Wald tests of equal slopes across tau for quantileTest() (src/inference/wald.ts) ->
#   test/fixtures/inference/wald.json
# Usage (repo root): Rscript scripts/wald-fixtures.R [shared-data-dir] [out-dir]
# Tool: quantreg::anova(rq(y ~ ., tau = t1), rq(..., tau = t2), ..., test = "Wald", joint = TRUE | FALSE)
# (anova.rqlist: nid covariances with Hall-Sheather bandwidth). Never edit the JSON by hand.
source("scripts/quantreg-fixture-setup.R")
set.seed(7)
Ew <- runif(nrow(engel), 0.5, 2)
set.seed(99)
n <- 200
SX <- cbind(x1 = runif(n, 0, 4), x2 = rnorm(n))
Sy <- 1 + SX[, 1] + 0.3 * SX[, 2] + (0.3 + 0.6 * SX[, 1]) * rnorm(n)

wcase <- function(name, X, y, taus, w = NULL) {
  d <- data.frame(y = y, X)
  d$w <- if (is.null(w)) rep(1, length(y)) else w
  fits <- lapply(taus, function(t) if (is.null(w)) rq(y ~ . - w, tau = t, data = d) else rq(y ~ . - w, tau = t, data = d, weights = w))
  warn <- character(0)
  run <- function(joint) withCallingHandlers(do.call(anova, c(fits, list(test = "Wald", joint = joint))),
    warning = function(wn) { warn <<- c(warn, conditionMessage(wn)); invokeRestart("muffleWarning") })
  tab <- function(a) {
    t <- a$table
    list(ndf = unname(as.numeric(t$ndf)), ddf = unname(as.numeric(t$ddf)), Tn = unname(as.numeric(t$Tn)),
         pvalue = unname(as.numeric(t$pvalue)),
         pvalueAccurate = unname(pf(as.numeric(t$Tn), as.numeric(t$ndf), as.numeric(t$ddf), lower.tail = FALSE)))
  }
  list(name = name, taus = taus, X = rows(X), y = y, weights = if (is.null(w)) NULL else w,
       call = sprintf("anova(%s, test = 'Wald', joint = TRUE | FALSE)",
                      paste(sprintf("rq(y ~ ., tau = %s%s)", taus, if (is.null(w)) "" else ", weights = w"), collapse = ", ")),
       coef = lapply(fits, function(f) unname(coef(f))),
       joint = tab(run(TRUE)), separate = tab(run(FALSE)), warnings = I(unique(warn)))
}
out <- list(
  provenance = list(script = "scripts/wald-fixtures.R", command = "Rscript scripts/wald-fixtures.R", versions = versions,
    data = "stackloss (shared/data/lad/stackloss.csv); quantreg data(engel), weights set.seed(7) runif(235, 0.5, 2); synthetic set.seed(99), n = 200, x1 ~ U(0,4), x2 ~ N(0,1), y = 1 + x1 + 0.3 x2 + (0.3 + 0.6 x1) N(0,1)"),
  cases = list(
    wcase("engel", EX, Ey, c(0.25, 0.5, 0.75)),
    wcase("engel", EX, Ey, c(0.1, 0.9)),
    wcase("engel-weighted", EX, Ey, c(0.25, 0.75), Ew),
    wcase("stackloss", SLX, SLy, c(0.25, 0.5, 0.75)),
    wcase("synthetic", SX, Sy, c(0.1, 0.3, 0.5, 0.7, 0.9)),
    wcase("synthetic", SX, Sy, c(0.4, 0.6))
  )
)
write_json(out, file.path(outdir, "wald.json"), digits = I(17), auto_unbox = TRUE, null = "null", pretty = FALSE)
cat("wrote", file.path(outdir, "wald.json"), "\n")
