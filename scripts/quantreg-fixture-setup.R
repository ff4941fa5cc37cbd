# Shared set-up of the quantreg fixture scripts (process-fixtures.R, wald-fixtures.R): packages,
# the [shared-data-dir] [out-dir] arguments, the versions recorded in each JSON, a row-list helper,
# and the two real data sets both use (stackloss from the shared data, engel from quantreg).
# Sourced from the repo root: source("scripts/quantreg-fixture-setup.R").
suppressPackageStartupMessages({
  library(jsonlite)
  library(quantreg)
})
args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) >= 1) args[1] else "../shared/data"
outdir <- if (length(args) >= 2) args[2] else "test/fixtures/inference"
versions <- list(R = R.version.string, quantreg = as.character(packageVersion("quantreg")),
                 jsonlite = as.character(packageVersion("jsonlite")))
rows <- function(X) lapply(seq_len(nrow(X)), function(i) I(unname(as.numeric(X[i, ]))))

sl <- read.csv(file.path(shared, "lad/stackloss.csv"), check.names = FALSE)
SLy <- as.numeric(sl[[1]]); SLX <- as.matrix(sl[, -1]); colnames(SLX) <- c("x1", "x2", "x3")
data(engel)
EX <- cbind(income = engel$income); Ey <- engel$foodexp
