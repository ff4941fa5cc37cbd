# Reference values for lts() (src/fit/lts.ts) from robustbase::ltsReg(mcd = FALSE) with its defaults
# (alpha = 0.5, nsamp = 500, adjust = FALSE, use.correction = TRUE) -> test/fixtures/robust/lts.json
# Run: Rscript scripts/robust-fixtures-lts.R [out-file]. Never edit the JSON by hand.
# Per case: the data, h, robustbase's raw/reweighted coefficients and scales, its flagged rows
# (lts.wt == 0), `objective` = the sum of the h smallest squared residuals of its raw fit (ltsReg's
# own `crit` is on internally standardised data, so it is recomputed here in the data's units), and
# summary(ltsReg) (classical inference on the reweighted fit). ltsReg is run from set.seed(1), ..., set.seed(5)
# and the run with the smallest objective is kept (education: seed 1 stops at a local optimum 1.5% above
# the others and flags one more row).
suppressPackageStartupMessages({
  library(jsonlite)
  library(robustbase)
})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "test/fixtures/robust/lts.json"

rows <- function(X) lapply(seq_len(nrow(X)), function(i) I(unname(as.numeric(X[i, ]))))
data(starsCYG, hbk, wood, salinity, aircraft, coleman, education, package = "robustbase")
stack <- datasets::stackloss
sets <- list(
  starsCYG = list(X = starsCYG[, "log.Te", drop = FALSE], y = starsCYG[, "log.light"]),
  hbk = list(X = hbk[, c("X1", "X2", "X3")], y = hbk[, "Y"]),
  wood = list(X = wood[, c("x1", "x2", "x3", "x4", "x5")], y = wood[, "y"]),
  salinity = list(X = salinity[, c("X1", "X2", "X3")], y = salinity[, "Y"]),
  aircraft = list(X = aircraft[, c("X1", "X2", "X3", "X4")], y = aircraft[, "Y"]),
  coleman = list(X = coleman[, c("salaryP", "fatherWc", "sstatus", "teacherSc", "motherLev")], y = coleman[, "Y"]),
  education = list(X = education[, c("X1", "X2", "X3")], y = education[, "Y"]),
  stackloss = list(X = stack[, c("Air.Flow", "Water.Temp", "Acid.Conc.")], y = stack[, "stack.loss"])
)

one <- function(name, d, intercept = TRUE, alpha = 0.5) {
  X <- as.matrix(d$X); y <- as.numeric(d$y)
  Xi <- if (intercept) cbind(1, X) else X
  # ltsReg's search is random: run it from set.seed(1..5) and keep the run of smallest objective
  # (the first on ties); every seed's objective is recorded.
  objs <- numeric(0); fit <- NULL; best <- Inf
  for (s in 1:5) {
    set.seed(s)
    f <- ltsReg(X, y, intercept = intercept, alpha = alpha, mcd = FALSE)
    rr <- y - drop(Xi %*% as.numeric(f$raw.coefficients))
    o <- sum(sort(rr^2)[1:f$quan])
    objs <- c(objs, o)
    if (o < best) { best <- o; fit <- f }
  }
  n <- nrow(X); h <- fit$quan
  raw <- as.numeric(fit$raw.coefficients)
  r <- y - drop(Xi %*% raw)
  objective <- sum(sort(r^2)[1:h])
  s <- summary(fit)
  list(name = name, intercept = intercept, alpha = alpha, n = n, p = ncol(X), h = h,
       colnames = colnames(X), X = rows(X), y = y,
       raw = list(coef = raw, scale = unname(fit$raw.scale), objective = objective, crit = unname(fit$crit),
                  best = fit$best, seedObjectives = objs),
       coef = as.numeric(fit$coefficients), scale = unname(fit$scale),
       weights = as.numeric(fit$lts.wt), rawWeights = as.numeric(fit$raw.weights),
       outliers = I(which(fit$lts.wt == 0)),
       summary = list(estimate = unname(s$coefficients[, 1]), se = unname(s$coefficients[, 2]),
                      t = unname(s$coefficients[, 3]), p = unname(s$coefficients[, 4]),
                      sigma = s$sigma, df = unname(s$df),
                      r2 = if (is.null(s$r.squared)) NULL else unname(s$r.squared),
                      adjr2 = if (is.null(s$adj.r.squared)) NULL else unname(s$adj.r.squared),
                      fstat = if (is.null(s$fstatistic)) NULL else unname(s$fstatistic)))
}
cases <- list()
for (nm in names(sets)) cases[[length(cases) + 1]] <- one(nm, sets[[nm]])
cases[[length(cases) + 1]] <- one("hbk", sets$hbk, intercept = FALSE)
cases[[length(cases) + 1]] <- one("stackloss", sets$stackloss, alpha = 0.75)
cases[[length(cases) + 1]] <- one("salinity", sets$salinity, alpha = 0.9)
res <- list(versions = list(R = R.version.string, robustbase = as.character(packageVersion("robustbase"))),
            cutoff = qnorm(0.9875), cases = cases)
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, null = "null"), out)
cat("wrote", out, "\n")
