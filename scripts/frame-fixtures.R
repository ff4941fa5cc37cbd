# Fixtures for the model frame (issue 19): R's write.csv files (row names included, as R writes
# them by default) and the coefficients of lm() and quantreg::rq(tau = 0.5) with the same model,
# (rq: its objective too, and whether rq warned that the solution may be nonunique, in which case
# only the objective is comparable), so the CLI and modelFrame are checked against R's model.matrix coding (factors, logicals, NAs).
# Run from the repository root: Rscript scripts/frame-fixtures.R
suppressMessages({ library(quantreg); library(robustbase) })
out <- "test/fixtures/frame"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

num <- function(x) sprintf("%.17g", x)
jstr <- function(s) paste0('"', gsub('"', '\\\\"', s), '"')
jarr <- function(v, f) paste0("[", paste(vapply(v, f, ""), collapse = ", "), "]")

cases <- list()
add <- function(name, data, fitdata, formula, args) {
  write.csv(data, file.path(out, paste0(name, ".csv")))
  l <- lm(formula, data = fitdata)
  nonunique <- FALSE
  q <- withCallingHandlers(rq(formula, tau = 0.5, data = fitdata, method = "br"),
    warning = function(w) { if (grepl("nonunique", conditionMessage(w))) { nonunique <<- TRUE; invokeRestart("muffleWarning") } })
  dropped <- as.integer(l$na.action)
  cases[[length(cases) + 1]] <<- paste0(
    '{"name": ', jstr(name), ', "args": ', jarr(args, jstr), ', "n": ', nobs(l),
    ', "droppedRows": ', jarr(if (is.null(dropped)) integer(0) else sort(dropped), function(i) as.character(i)),
    ', "names": ', jarr(names(coef(l)), jstr),
    ', "lm": ', jarr(unname(coef(l)), num),
    ', "rq": ', jarr(unname(coef(q)), num), ', "rqObjective": ', num(sum(abs(resid(q)))),
    ', "rqNonUnique": ', tolower(nonunique), '}')
}

# iris: a text column (Species) becomes a factor with reference "setosa".
add("iris", iris, iris, Sepal.Length ~ ., c("--y", "Sepal.Length"))

# Mammals (quantreg): two logical columns, named hoppersTRUE and specialsTRUE.
data(Mammals, package = "quantreg")
add("mammals", Mammals, Mammals, speed ~ weight + hoppers + specials, c("--y", "speed"))

# airquality: NAs in Ozone and Solar.R (na.omit drops 42 rows); Month as a factor.
aq <- airquality; aq$Month <- factor(aq$Month)
add("airquality", airquality, aq, Ozone ~ Solar.R + Wind + Temp + Month,
    c("--y", "Ozone", "--x", "Solar.R,Wind,Temp,Month", "--factor", "Month"))

# education (robustbase): Region coded 1-4 as a factor; State (50 levels, one row each) left out.
data(education, package = "robustbase")
ed <- education; ed$Region <- factor(ed$Region)
add("education", education, ed, Y ~ Region + X1 + X2 + X3,
    c("--y", "Y", "--x", "Region,X1,X2,X3", "--factor", "Region"))

# mtcars: meaningful row names (car models); cyl as a factor.
mt <- mtcars; mt$cyl <- factor(mt$cyl)
add("mtcars", mtcars, mt, mpg ~ wt + hp + cyl, c("--y", "mpg", "--x", "wt,hp,cyl", "--factor", "cyl"))

writeLines(c("[", paste(unlist(cases), collapse = ",\n"), "]"), file.path(out, "reference.json"))
cat("wrote", length(cases), "cases to", out, "\n")
