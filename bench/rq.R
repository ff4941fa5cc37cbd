# R quantreg column for `npm run bench -- --rscript` (run by bench/run.mjs; not part of the package).
# Usage: Rscript bench/rq.R DATA.csv TAU REPS LAD(0|1)
# DATA.csv: no header, first column y, then the p predictors (the model adds the intercept).
# Reading the CSV is not timed. Each method is run once (the answer that run.mjs validates, also a
# warm-up), then REPS samples under system.time() — a fast fit is repeated inside one sample and the
# time divided. R's own elapsed times are printed in milliseconds, one JSON object per line.
# pfn's "Too many fixups: doubling m" warnings are suppressed (they are informational).
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
tau <- as.numeric(args[2])
reps <- as.integer(args[3])
lad <- args[4] == "1"
suppressMessages(library(quantreg))
d <- read.csv(file, header = FALSE)
names(d) <- c("y", paste0("x", seq_len(ncol(d) - 1)))
num <- function(v) paste(sprintf("%.17g", v), collapse = ",")
cat(sprintf('{"R":"%s","quantreg":"%s"}\n', as.character(getRversion()), as.character(packageVersion("quantreg"))))
X <- cbind(1, as.matrix(d[, -1, drop = FALSE]))
for (m in c("fn", "pfn")) {
  res <- tryCatch(suppressWarnings({
    fit <- rq(y ~ ., data = d, tau = tau, method = m)
    b <- coef(fit)
    r <- d$y - drop(X %*% b) # pfn does not return residuals: recompute them from the coefficients
    obj <- if (lad) sum(abs(r)) else sum(r * (tau - (r < 0)))
    # system.time has ~1 ms resolution: batch fast fits so each sample lasts >= ~50 ms.
    t1 <- system.time(rq(y ~ ., data = d, tau = tau, method = m))[["elapsed"]]
    inner <- max(1L, as.integer(ceiling(0.05 / max(t1, 0.001))))
    el <- numeric(reps)
    for (k in seq_len(reps)) {
      el[k] <- system.time(for (i in seq_len(inner)) rq(y ~ ., data = d, tau = tau, method = m))[["elapsed"]] / inner
    }
    sprintf('{"method":"%s","objective":%.17g,"elapsedMs":[%s],"inner":%d,"coef":[%s]}\n', m, obj, num(el * 1000), inner, num(b))
  }), error = function(e) sprintf('{"method":"%s","error":"%s"}\n', m, gsub('"', "'", conditionMessage(e))))
  cat(res)
}
