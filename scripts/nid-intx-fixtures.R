# quantreg summary.rq(se = "nid") on integer designs -> the R side of test/fixtures/inference/nid-intx.json.
# Run through `node scripts/nid-intx-fixtures.mjs` (writes the data, calls this, writes the JSON):
#   Rscript scripts/nid-intx-fixtures.R <dir with cases.json and <name>.X / <name>.y (float64, X column-major)>
# For each case and tau: rq(y ~ X, tau, method = "br") and summary(., se = "nid"): the standard
# errors, the "non-positive fis" warning if any, or the error (on flat conditional quantiles the fits
# at tau +- h coincide, every density estimate is 0 and summary.rq stops in backsolve).
suppressPackageStartupMessages({
  library(jsonlite)
  library(quantreg)
})
dir <- commandArgs(trailingOnly = TRUE)[1]
cases <- fromJSON(file.path(dir, "cases.json"), simplifyVector = FALSE)
out <- list(versions = list(R = R.version.string, quantreg = as.character(packageVersion("quantreg"))), results = list())
for (cs in cases) {
  n <- cs$n; p <- cs$p
  X <- matrix(readBin(file.path(dir, paste0(cs$name, ".X")), "double", n * p), n, p)
  y <- readBin(file.path(dir, paste0(cs$name, ".y")), "double", n)
  for (tau in unlist(cs$taus)) {
    f <- rq(y ~ X, tau = tau, method = "br")
    warn <- NULL
    s <- tryCatch(withCallingHandlers(summary(f, se = "nid"),
      warning = function(w) { warn <<- conditionMessage(w); invokeRestart("muffleWarning") }),
      error = function(e) e)
    r <- list(name = cs$name, tau = tau, coef = unname(as.numeric(coef(f))))
    if (inherits(s, "error")) r$error <- conditionMessage(s) else r$se <- unname(as.numeric(s$coefficients[, 2]))
    if (!is.null(warn)) r$warning <- warn
    out$results[[length(out$results) + 1]] <- r
  }
}
write_json(out, file.path(dir, "r.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
