# Reference values for summary(..., { se: 'rank' }) (src/inference/rank.ts) ->
#   test/fixtures/inference/rank.json
# Usage (repo root): Rscript scripts/rank-fixtures.R [shared-data-dir] [out-dir]
# Tools: quantreg::summary.rq(se = "rank", iid, alpha) and rq.fit.br(ci = TRUE, interp = FALSE) for
# the raw bounds and rank-test statistics; robustbase for the coleman and starsCYG data.
# Never edit the JSON by hand.
suppressPackageStartupMessages({
  library(jsonlite)
  library(quantreg)
  library(robustbase)
})
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) >= 1) args[1] else "../shared/data"
outdir <- if (length(args) >= 2) args[2] else "test/fixtures/inference"

versions <- list(
  R = R.version.string,
  quantreg = as.character(packageVersion("quantreg")),
  robustbase = as.character(packageVersion("robustbase")),
  jsonlite = as.character(packageVersion("jsonlite"))
)
rows <- function(X) lapply(seq_len(nrow(X)), function(i) I(unname(as.numeric(X[i, ]))))
mat <- function(M) lapply(seq_len(nrow(M)), function(i) unname(as.numeric(M[i, ])))

sl <- read.csv(file.path(shared, "lad/stackloss.csv"), check.names = FALSE)
SLy <- as.numeric(sl[[1]]); SLX <- as.matrix(sl[, -1]); colnames(SLX) <- c("x1", "x2", "x3")
data(engel)
EX <- cbind(income = engel$income); Ey <- engel$foodexp
set.seed(7)
Ew <- runif(nrow(engel), 0.5, 2)
data(starsCYG)
STX <- cbind(logTe = starsCYG$log.Te); STy <- starsCYG$log.light
data(coleman)
CX <- as.matrix(coleman[, 1:5]); Cy <- coleman$Y
set.seed(2020)
n <- 300
SX <- cbind(x1 = rnorm(n), x2 = runif(n, 0, 4), x3 = rexp(n))
Sy <- 1 + SX[, 1] - 0.5 * SX[, 2] + 0.25 * SX[, 3] + (1 + 0.3 * SX[, 2]) * rt(n, 4)

rcase <- function(name, X, y, tau, iid = TRUE, level = 0.9, w = NULL) {
  d <- data.frame(y = y, X)
  fit <- if (is.null(w)) rq(y ~ ., tau = tau, data = d) else rq(y ~ ., tau = tau, data = d, weights = w)
  warn <- character(0)
  catch <- function(expr) withCallingHandlers(expr,
    warning = function(wn) { warn <<- c(warn, conditionMessage(wn)); invokeRestart("muffleWarning") })
  s <- catch(summary(fit, se = "rank", iid = iid, alpha = 1 - level))
  xm <- cbind(1, X); ym <- y
  if (!is.null(w)) { xm <- xm * w; ym <- ym * w }
  raw <- catch(rq.fit.br(xm, ym, tau = tau, alpha = 1 - level, ci = TRUE, iid = iid, interp = FALSE))
  ct <- s$coefficients
  list(
    name = name, tau = tau, iid = iid, level = level,
    X = rows(X), y = y, weights = if (is.null(w)) NULL else w,
    call = sprintf("summary(rq(y ~ ., tau = %s%s), se = 'rank', iid = %s, alpha = %s)",
                   format(tau), if (is.null(w)) "" else ", weights = w", iid, format(1 - level)),
    coef = unname(ct[, 1]), lower = unname(ct[, 2]), upper = unname(ct[, 3]),
    # interp = FALSE: columns lower bound, Lower Bound, upper bd, Upper Bound (outer, inner, inner, outer)
    bounds = mat(raw$coefficients[, 2:5, drop = FALSE]),
    # the rank statistics in quantreg's c.values order (tnmat rows 4:1)
    cvalues = mat(raw$c.values),
    critical = qt(1 - (1 - level) / 2, length(y) - ncol(xm)),
    warnings = I(unique(warn))
  )
}

cases <- list(
  rcase("stackloss", SLX, SLy, 0.5),
  rcase("stackloss", SLX, SLy, 0.5, level = 0.95),
  rcase("stackloss", SLX, SLy, 0.25),
  rcase("stackloss", SLX, SLy, 0.75, iid = FALSE),
  rcase("stackloss", SLX, SLy, 0.5, iid = FALSE),
  rcase("engel", EX, Ey, 0.5),
  rcase("engel", EX, Ey, 0.1),
  rcase("engel", EX, Ey, 0.9, level = 0.95),
  rcase("engel", EX, Ey, 0.5, iid = FALSE),
  rcase("engel", EX, Ey, 0.25, iid = FALSE, level = 0.95),
  rcase("engel-weighted", EX, Ey, 0.5, w = Ew),
  rcase("starsCYG", STX, STy, 0.5),
  rcase("starsCYG", STX, STy, 0.9, iid = FALSE),
  rcase("coleman", CX, Cy, 0.5),
  rcase("coleman", CX, Cy, 0.9),
  rcase("coleman", CX, Cy, 0.1, level = 0.95),
  rcase("synthetic", SX, Sy, 0.5),
  rcase("synthetic", SX, Sy, 0.8, iid = FALSE),
  rcase("synthetic", SX, Sy, 0.05)
)
# More real data sets, many of them degenerate for the walk (integer y, discrete or binary x, tied
# rows): restricted residuals cross zero together, and quantreg's tie-breaking decides the bounds.
# cars: integer speed and dist, repeated values and duplicated rows.
CAX <- cbind(speed = cars$speed); CAy <- cars$dist
# mtcars: mpg on weight, horsepower and two binary columns (am, vs).
MTX <- as.matrix(mtcars[, c("wt", "hp", "am", "vs")]); MTy <- mtcars$mpg
# airquality, complete rows: integer Ozone on integer Solar.R and Temp, Wind to one decimal.
aq <- airquality[complete.cases(airquality), ]
AQX <- as.matrix(aq[, c("Solar.R", "Wind", "Temp")]); AQy <- aq$Ozone
# quantreg's barro (161 x 13) and uis (575 rows; integer age, Beck score, binary IV3, TREAT, SITE, RACE).
data(barro)
BAX <- as.matrix(barro[, -1]); BAy <- barro$y.net
data(uis)
UX <- as.matrix(uis[, c("AGE", "BECK", "IV3", "TREAT", "SITE", "RACE")]); Uy <- log(uis$TIME)
# quantreg's Mammals: log speed on log weight and the binary hoppers; faithful: waiting (integer) -> eruptions (ties).
data(Mammals)
MAX <- cbind(lweight = log(Mammals$weight), hoppers = as.numeric(Mammals$hoppers)); MAy <- log(Mammals$speed)
FAX <- cbind(waiting = faithful$waiting); FAy <- faithful$eruptions
more <- list(
  rcase("cars", CAX, CAy, 0.5), rcase("cars", CAX, CAy, 0.25), rcase("cars", CAX, CAy, 0.75, iid = FALSE),
  rcase("cars", CAX, CAy, 0.5, iid = FALSE, level = 0.95),
  rcase("mtcars", MTX, MTy, 0.5), rcase("mtcars", MTX, MTy, 0.25, level = 0.95), rcase("mtcars", MTX, MTy, 0.5, iid = FALSE),
  rcase("airquality", AQX, AQy, 0.5), rcase("airquality", AQX, AQy, 0.1), rcase("airquality", AQX, AQy, 0.9, iid = FALSE),
  rcase("airquality", AQX, AQy, 0.75, level = 0.95),
  rcase("barro", BAX, BAy, 0.5), rcase("barro", BAX, BAy, 0.25, iid = FALSE),
  rcase("uis", UX, Uy, 0.5), rcase("uis", UX, Uy, 0.9), rcase("uis", UX, Uy, 0.25, iid = FALSE, level = 0.95),
  rcase("Mammals", MAX, MAy, 0.5), rcase("Mammals", MAX, MAy, 0.8, iid = FALSE),
  rcase("faithful", FAX, FAy, 0.5), rcase("faithful", FAX, FAy, 0.3), rcase("faithful", FAX, FAy, 0.7, iid = FALSE),
  rcase("stackloss", SLX, SLy, 0.1), rcase("stackloss", SLX, SLy, 0.9),
  # zero weights: quantreg keeps those rows (as zero rows) in its tableau, and their places in it
  rcase("cars-weighted", CAX, CAy, 0.5, w = rep(c(1, 1, 0, 2, 1), 10))
)
cases <- c(cases, more)
# quantreg's parametric walk for stackloss (tau = 0.5, Air.Flow, downwards) reports an inner
# bound 0.5142857 = 18/35 that is not a breakpoint of the rank statistic: fresh fits of the
# restricted model (rq.fit.br on y - b x_AirFlow) have one optimal basis and T = 1.588346 for all
# b in (0.5079365, 0.5277778). These independent values let the test show which is right.
restrictedT <- function(X, y, tau, j, b) {
  x <- cbind(1, X); xj <- x[, j]; Z <- x[, -j, drop = FALSE]
  qn <- 1 / diag(solve(crossprod(x)))[j]
  sapply(b, function(bb) {
    f <- rq.fit.br(Z, y - bb * xj, tau = tau)
    sum(xj * (f$dual - (1 - tau))) / sqrt(qn * tau * (1 - tau))
  })
}
checkB <- c(0.5080, 0.5100, 0.5142, 0.5143, 0.5200, 0.5270, 0.5277, 0.5290)
checks <- list(list(name = "stackloss", tau = 0.5, coefficient = 1, b = checkB,
  T = restrictedT(SLX, SLy, 0.5, 2, checkB)))
# Why quantreg's walk reports 18/35 (docs/inference.md): traced in its Fortran, the walk down for
# Air.Flow holds the basis of rows 2, 16, 18 on (0.5375, 0.7) after two residuals (rows 17, 18) reach
# zero together at b = 0.7 and only one is flipped. That vertex is not optimal there: its objective
# against the optimum (rq.fit.br on y - b x_AirFlow) and the optimal fit's T.
walkB <- c(0.69, 0.65, 0.6)
Zs <- cbind(1, SLX[, -1]); xs <- SLX[, 1]
rho <- function(r, tau) sum(r * (tau - (r < 0)))
walkCheck <- list(b = walkB, basis = c(2, 16, 18),
  objectiveBasis = sapply(walkB, function(bb) {
    v <- SLy - bb * xs; g <- solve(Zs[c(2, 16, 18), ], v[c(2, 16, 18)]); rho(v - Zs %*% g, 0.5) }),
  objectiveOptimal = sapply(walkB, function(bb) rho(rq.fit.br(Zs, SLy - bb * xs, tau = 0.5)$residuals, 0.5)),
  T = restrictedT(SLX, SLy, 0.5, 2, walkB))

out <- list(
  checks = checks,
  walkCheck = walkCheck,
  provenance = list(
    script = "scripts/rank-fixtures.R", command = "Rscript scripts/rank-fixtures.R", versions = versions,
    calls = "summary(rq(y ~ ., tau), se = 'rank', iid, alpha = 1 - level); rq.fit.br(cbind(1, X)*w, y*w, tau, alpha, ci = TRUE, iid, interp = FALSE)",
    data = "stackloss (shared/data/lad/stackloss.csv); quantreg data(engel), engel weights set.seed(7) runif(235, 0.5, 2); robustbase data(starsCYG) log.light ~ log.Te, data(coleman) Y ~ 5 covariates; synthetic set.seed(2020), n = 300, x1 ~ N(0,1), x2 ~ U(0,4), x3 ~ Exp(1), y = 1 + x1 - 0.5 x2 + 0.25 x3 + (1 + 0.3 x2) t4; R datasets cars dist ~ speed, mtcars mpg ~ wt + hp + am + vs, airquality (complete rows) Ozone ~ Solar.R + Wind + Temp, faithful eruptions ~ waiting, cars-weighted with weights rep(c(1, 1, 0, 2, 1), 10); quantreg data(barro) y.net ~ all, data(uis) log(TIME) ~ AGE + BECK + IV3 + TREAT + SITE + RACE, data(Mammals) log(speed) ~ log(weight) + hoppers",
    note = "quantreg reports unbounded ends as +-.Machine$double.xmax (1.797693e308)"
  ),
  cases = cases
)
write_json(out, file.path(outdir, "rank.json"), digits = I(17), auto_unbox = TRUE, null = "null", pretty = FALSE)
cat("wrote", file.path(outdir, "rank.json"), "\n")
