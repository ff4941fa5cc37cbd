# Peer side of `npm run bench:robust` (bench/robust.mjs): robustbase lmrob() (defaults) and
# ltsReg(mcd = FALSE) on the cases written by robust.mjs (binary little-endian doubles: X column-major
# then y). Prints one JSON line per (case, method): objective (lmrob: the S-scale of init.S;
# ltsReg: the sum of the h smallest squared residuals of its raw coefficients), CPU seconds (proc.time user+sys),
# coefficients. Usage: Rscript bench/robust.R <dir> <case> [<case> ...]   (case = "n_p_methods")
suppressPackageStartupMessages({ library(robustbase); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
# VmRSS / VmHWM (kB) of this R process from /proc/self/status (NA off Linux); VmHWM is the peak so far,
# so it is meaningful for the first method of a case only (lmrob, the one whose memory is reported)
proc_kb <- function(key) {
  st <- tryCatch(readLines("/proc/self/status"), error = function(e) character(0))
  v <- grep(paste0("^", key, ":"), st, value = TRUE)
  if (length(v) == 0) NA_real_ else as.numeric(gsub("[^0-9]", "", v[1]))
}
dir <- args[1]
for (cs in args[-1]) {
  parts <- strsplit(cs, "_")[[1]]
  n <- as.integer(parts[1]); p <- as.integer(parts[2]); methods <- strsplit(parts[3], ",")[[1]]
  con <- file(file.path(dir, paste0(n, "_", p, ".bin")), "rb")
  X <- matrix(readBin(con, "double", n * p, size = 8, endian = "little"), n, p)
  y <- readBin(con, "double", n, size = 8, endian = "little")
  close(con)
  for (m in methods) {
    gc()
    rss_base <- proc_kb("VmRSS")
    set.seed(1)
    t0 <- proc.time()
    if (m == "lmrob") {
      fit <- lmrob(y ~ X)
      t <- proc.time() - t0
      rss_peak <- proc_kb("VmHWM")
      # LMROB_REPS (set by robust.mjs, default 1): further timed fits of the same data (same seed, same
      # result); the median CPU time is reported, every time in cpus
      cpus <- unname(t[1] + t[2])
      reps <- as.integer(Sys.getenv("LMROB_REPS", "1"))
      if (!is.na(reps) && reps > 1) for (k in 2:reps) {
        gc()
        set.seed(1)
        t0 <- proc.time()
        fit <- lmrob(y ~ X)
        tk <- proc.time() - t0
        cpus <- c(cpus, unname(tk[1] + tk[2]))
      }
      out <- list(n = n, p = p, method = m, cpu = median(cpus), cpus = cpus, elapsed = unname(t[3]),
                  objective = fit$init.S$scale, scale = fit$scale, coef = unname(coef(fit)),
                  converged = fit$converged, rss_base_kb = rss_base, rss_peak_kb = rss_peak)
    } else {
      fit <- ltsReg(X, y, mcd = FALSE)
      t <- proc.time() - t0
      # LTS_REPS (set by robust.mjs, default 1): further timed fits of the same data (same seed, same
      # result); cpu = the median, every time in cpus
      cpus <- unname(t[1] + t[2])
      reps <- as.integer(Sys.getenv("LTS_REPS", "1"))
      if (!is.na(reps) && reps > 1) for (k in 2:reps) {
        gc()
        set.seed(1)
        t0 <- proc.time()
        fit <- ltsReg(X, y, mcd = FALSE)
        tk <- proc.time() - t0
        cpus <- c(cpus, unname(tk[1] + tk[2]))
      }
      # crit is in ltsReg's internally standardised units: the objective is recomputed from the raw
      # coefficients (sum of the h = quan smallest squared residuals), outside the timing
      r <- y - cbind(1, X) %*% fit$raw.coefficients
      obj <- sum(sort(as.vector(r)^2)[seq_len(fit$quan)])
      out <- list(n = n, p = p, method = m, cpu = median(cpus), cpus = cpus, elapsed = unname(t[3]),
                  objective = obj, h = fit$quan, scale = fit$raw.scale, coef = unname(fit$raw.coefficients))
    }
    cat(toJSON(out, digits = I(17), auto_unbox = TRUE), "\n", sep = "")
    flush(stdout())
  }
}
