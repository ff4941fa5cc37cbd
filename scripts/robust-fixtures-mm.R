# Reference values for mm() (src/fit/mm.ts) -> test/fixtures/robust/mm.json
# Run: Rscript scripts/robust-fixtures-mm.R [out-file]
# Tools: robustbase::lmrob with lmrob.control() defaults (method "MM": fast-S init, bisquare M step,
# cov = ".vcov.avar1"), summary.lmrob, jsonlite. Numbers written with 17 significant digits.
# Never edit the JSON by hand.
suppressPackageStartupMessages({
  library(robustbase)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "test/fixtures/robust/mm.json"

versions <- list(R = R.version.string, robustbase = as.character(packageVersion("robustbase")),
                 jsonlite = as.character(packageVersion("jsonlite")))

rows <- function(X) lapply(seq_len(nrow(X)), function(i) I(unname(as.numeric(X[i, ]))))
mat <- function(M) lapply(seq_len(nrow(M)), function(i) I(unname(as.numeric(M[i, ]))))

data(starsCYG, hbk, wood, salinity, aircraft, coleman, education, package = "robustbase")
data(stackloss, package = "datasets")
cases <- list(
  starsCYG  = list(data = starsCYG,  formula = log.light ~ log.Te),
  hbk       = list(data = hbk,       formula = Y ~ .),
  wood      = list(data = wood,      formula = y ~ .),
  salinity  = list(data = salinity,  formula = Y ~ .),
  aircraft  = list(data = aircraft,  formula = Y ~ .),
  coleman   = list(data = coleman,   formula = Y ~ .),
  education = list(data = education, formula = Y ~ Region + X1 + X2 + X3),
  stackloss = list(data = stackloss, formula = stack.loss ~ .)
)

res <- list()
for (nm in names(cases)) {
  cs <- cases[[nm]]
  set.seed(1)
  fit <- lmrob(cs$formula, data = cs$data)
  mf <- model.frame(cs$formula, cs$data)
  Xf <- model.matrix(cs$formula, cs$data)
  X <- Xf[, colnames(Xf) != "(Intercept)", drop = FALSE]
  y <- model.response(mf)
  ctrl <- fit$control
  S <- fit$init.S
  n <- length(y)
  w <- fit$rweights
  sm <- summary(fit)
  ct <- coef(sm)
  r <- residuals(fit)
  res[[nm]] <- list(
    formula = deparse(cs$formula),
    names = I(colnames(X)),
    X = rows(X),
    y = unname(as.numeric(y)),
    S = list(coef = unname(S$coefficients), scale = S$scale, converged = S$converged, kIter = S$k.iter),
    MM = list(coef = unname(coef(fit)), scale = fit$scale, iter = fit$iter, converged = fit$converged,
              rweights = unname(w), outliers = I(unname(which(abs(w) < 0.1 / n))),
              objective = sum(Mchi(r / fit$scale, ctrl$tuning.psi, "bisquare")),
              residuals = unname(as.numeric(r))),
    summary = list(estimate = unname(ct[, 1]), se = unname(ct[, 2]), t = unname(ct[, 3]), p = unname(ct[, 4]),
                   cov = mat(unname(vcov(fit))), df = fit$df.residual),
    tuning = list(chi = ctrl$tuning.chi, psi = ctrl$tuning.psi, bb = ctrl$bb)
  )
}
doc <- list(
  tool = "robustbase::lmrob(formula, data) with lmrob.control() defaults; set.seed(1) before each fit",
  versions = versions,
  cases = res
)
writeLines(toJSON(doc, digits = I(17), auto_unbox = TRUE, pretty = FALSE), out)
cat("wrote", out, "\n")
