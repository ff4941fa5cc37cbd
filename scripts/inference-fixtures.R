# Reference values for src/inference (L2 classical + HC, quantile nid/ker) ->
#   test/fixtures/inference/l2.raw.json, quantile.raw.json
# Run through `node scripts/inference-fixtures.mjs` (which also writes the final JSON with shortest
# round-trip decimals), or directly: Rscript scripts/inference-fixtures.R <shared-data-dir> <out-dir>
# Tools: R summary.lm / confint / pf (stats), sandwich::vcovHC, quantreg::rq + summary.rq.
# Never edit the JSON by hand.
suppressPackageStartupMessages({
  library(jsonlite)
  library(sandwich)
  library(quantreg)
})
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) >= 1) args[1] else "../shared/data"
outdir <- if (length(args) >= 2) args[2] else "test/fixtures/inference"

versions <- list(
  R = R.version.string,
  sandwich = as.character(packageVersion("sandwich")),
  quantreg = as.character(packageVersion("quantreg")),
  jsonlite = as.character(packageVersion("jsonlite"))
)

# I(): keep length-1 rows as arrays (write_json auto_unbox would make them scalars)
rows <- function(X) lapply(seq_len(nrow(X)), function(i) I(unname(as.numeric(X[i, ]))))
mat <- function(M) lapply(seq_len(nrow(M)), function(i) unname(as.numeric(M[i, ])))

# ----------------------------------------------------------------------------------------------- L2
longley <- fromJSON(file.path(shared, "nist/Longley.json"))
LX <- as.matrix(longley$x)
colnames(LX) <- paste0("x", seq_len(ncol(LX)))
Ly <- as.numeric(longley$y)

set.seed(20261127)
n <- 60
x1 <- rnorm(n)
x2 <- runif(n, 0, 10)
x3 <- rt(n, df = 3)
SX <- cbind(x1 = x1, x2 = x2, x3 = x3)
Sy <- 1 + 2 * x1 - 0.5 * x2 + 0.3 * x3 + (0.5 + abs(x1)) * rnorm(n)
Sw <- runif(n, 0.5, 2)

l2case <- function(name, X, y, w = NULL, intercept = TRUE) {
  d <- data.frame(y = y, X)
  f <- if (intercept) y ~ . else y ~ 0 + .
  fit <- if (is.null(w)) lm(f, data = d) else lm(f, data = d, weights = w)
  s <- summary(fit)
  ct <- coef(s)
  fs <- s$fstatistic
  hc <- list()
  for (type in c("HC0", "HC1", "HC2", "HC3")) {
    V <- vcovHC(fit, type = type)
    se <- sqrt(diag(V))
    tv <- coef(fit) / se
    hc[[type]] <- list(vcov = mat(V), stdError = unname(se), statistic = unname(tv),
                       pValue = unname(2 * pt(-abs(tv), fit$df.residual)))
  }
  list(
    name = name, intercept = intercept,
    X = rows(X), y = y, weights = if (is.null(w)) NULL else w,
    call = paste0(if (is.null(w)) "lm(" else "lm(weights = w, ", deparse(f), ")"),
    coef = unname(coef(fit)),
    classical = list(
      stdError = unname(ct[, 2]), statistic = unname(ct[, 3]), pValue = unname(ct[, 4]),
      vcov = mat(vcov(fit)),
      ci95 = mat(confint(fit, level = 0.95)), ci90 = mat(confint(fit, level = 0.90))
    ),
    df = fit$df.residual, sigma = s$sigma, rSquared = s$r.squared, adjRSquared = s$adj.r.squared,
    fStatistic = if (is.null(fs)) NULL else list(value = unname(fs[1]), df1 = unname(fs[2]), df2 = unname(fs[3]),
      pValue = unname(pf(fs[1], fs[2], fs[3], lower.tail = FALSE))),
    hc = hc
  )
}

l2 <- list(
  provenance = list(
    script = "scripts/inference-fixtures.R", command = "node scripts/inference-fixtures.mjs", versions = versions,
    calls = "summary(lm(...)), confint(fit, level = 0.95 / 0.90), pf(F, df1, df2, lower.tail = FALSE), sandwich::vcovHC(fit, type = 'HC0'..'HC3'); p-values for HC as 2*pt(-|t|, df.residual) (lmtest::coeftest convention)",
    data = "NIST StRD Longley (shared/data/nist/Longley.json); synthetic: set.seed(20261127), n = 60, x1 ~ N(0,1), x2 ~ U(0,10), x3 ~ t3, y = 1 + 2 x1 - 0.5 x2 + 0.3 x3 + (0.5 + |x1|) e, weights ~ U(0.5, 2)"
  ),
  cases = list(
    l2case("longley", LX, Ly),
    l2case("synthetic", SX, Sy),
    l2case("synthetic-weighted", SX, Sy, w = Sw),
    l2case("synthetic-no-intercept", SX, Sy, intercept = FALSE)
  )
)
write_json(l2, file.path(outdir, "l2.raw.json"), digits = I(17), auto_unbox = TRUE, null = "null", pretty = FALSE)

# ----------------------------------------------------------------------------------------- quantile
sl <- read.csv(file.path(shared, "lad/stackloss.csv"), check.names = FALSE)
SLy <- as.numeric(sl[[1]])
SLX <- as.matrix(sl[, -1])
colnames(SLX) <- c("x1", "x2", "x3")
data(engel)
EX <- cbind(income = engel$income)
Ey <- engel$foodexp
set.seed(7)
Ew <- runif(nrow(engel), 0.5, 2)
# Light-tailed (uniform) errors: sd(residuals) < IQR/1.34, so the ker bandwidth uses the sd branch.
set.seed(11)
UX <- cbind(x1 = runif(80, 0, 5), x2 = rnorm(80))
Uy <- 1 + UX[, 1] - 0.5 * UX[, 2] + runif(80, -1, 1)

qcase <- function(name, X, y, tau, se, hs = TRUE, w = NULL) {
  d <- data.frame(y = y, X)
  fit <- if (is.null(w)) rq(y ~ ., tau = tau, data = d, method = "br") else rq(y ~ ., tau = tau, data = d, weights = w, method = "br")
  warn <- character(0)
  s <- withCallingHandlers(summary(fit, se = se, hs = hs, covariance = TRUE),
    warning = function(wn) { warn <<- c(warn, conditionMessage(wn)); invokeRestart("muffleWarning") })
  ct <- coef(s)
  # The bandwidth and the tau +- h fits exactly as summary.rq computes them (nid), for the record.
  nobs <- length(y)
  h <- bandwidth.rq(tau, nobs, hs = hs)
  while ((tau - h < 0) || (tau + h > 1)) h <- h / 2
  xm <- cbind(1, X)
  ym <- y
  if (!is.null(w)) { xm <- xm * w; ym <- ym * w }
  extra <- list()
  if (se == "nid") {
    extra$bhi <- unname(rq.fit(xm, ym, tau = tau + h, method = "br")$coef)
    extra$blo <- unname(rq.fit(xm, ym, tau = tau - h, method = "br")$coef)
  } else {
    uhat <- c(ym - xm %*% coef(fit))
    extra$kernelH <- (qnorm(tau + h) - qnorm(tau - h)) * min(sqrt(var(uhat)), (quantile(uhat, 0.75) - quantile(uhat, 0.25)) / 1.34)
  }
  c(list(
    name = name, tau = tau, se = se, hs = hs,
    X = rows(X), y = y, weights = if (is.null(w)) NULL else w,
    call = sprintf("summary(rq(y ~ ., tau = %s, method = 'br'%s), se = '%s', hs = %s, covariance = TRUE)",
                   format(tau), if (is.null(w)) "" else ", weights = w", se, hs),
    coef = unname(coef(fit)),
    objective = sum((if (is.null(w)) 1 else w) * resid(fit) * (tau - (resid(fit) < 0))),
    h = h,
    stdError = unname(ct[, 2]), statistic = unname(ct[, 3]), pValue = unname(ct[, 4]),
    # summary.rq computes 2 * (1 - pt(|t|, rdf)), which is 0 below ~1e-16; the same p without the
    # cancellation:
    pValueAccurate = unname(2 * pt(-abs(ct[, 3]), s$rdf)),
    vcov = mat(s$cov), df = s$rdf, warnings = I(warn)
  ), extra)
}

quant <- list(
  provenance = list(
    script = "scripts/inference-fixtures.R", command = "node scripts/inference-fixtures.mjs", versions = versions,
    calls = "summary(rq(y ~ ., tau, method = 'br'), se = 'nid' | 'ker', hs = TRUE | FALSE, covariance = TRUE); bandwidth.rq; rq.fit(x, y, tau +- h, method = 'br') (the fits summary.rq makes for nid)",
    data = "stackloss (shared/data/lad/stackloss.csv); quantreg data(engel); engel weights: set.seed(7), runif(235, 0.5, 2); uniform-errors: set.seed(11), x1 ~ U(0,5), x2 ~ N(0,1), y = 1 + x1 - 0.5 x2 + U(-1,1), n = 80"
  ),
  cases = list(
    qcase("stackloss", SLX, SLy, 0.5, "nid"),
    qcase("stackloss", SLX, SLy, 0.25, "nid"),
    qcase("stackloss", SLX, SLy, 0.5, "ker"),
    qcase("stackloss", SLX, SLy, 0.25, "ker"),
    qcase("engel", EX, Ey, 0.5, "nid"),
    qcase("engel", EX, Ey, 0.25, "nid"),
    qcase("engel", EX, Ey, 0.9, "nid"),
    qcase("engel", EX, Ey, 0.5, "ker"),
    qcase("engel", EX, Ey, 0.9, "ker"),
    qcase("engel-bofinger", EX, Ey, 0.5, "nid", hs = FALSE),
    qcase("engel-bofinger", EX, Ey, 0.75, "ker", hs = FALSE),
    qcase("engel-weighted", EX, Ey, 0.5, "nid", w = Ew),
    qcase("engel-weighted", EX, Ey, 0.3, "ker", w = Ew),
    qcase("uniform-errors", UX, Uy, 0.5, "ker"),
    qcase("uniform-errors", UX, Uy, 0.7, "nid")
  )
)
write_json(quant, file.path(outdir, "quantile.raw.json"), digits = I(17), auto_unbox = TRUE, null = "null", pretty = FALSE)
cat("wrote", file.path(outdir, "l2.raw.json"), "and", file.path(outdir, "quantile.raw.json"), "\n")
