// The two demo data sets, embedded so that `robustreg demo` needs no files at run time (the npm
// package ships dist/ only). Byte-for-byte copies of data/stackloss.csv and data/starsCYG.csv
// (provenance in data/README.md); test/cli/cli.test.ts fails if they drift apart. To refresh after
// editing a CSV, paste the file between the backticks (the CSVs contain no backticks or dollar-brace).

/** Brownlee (1965) stack loss: 21 days of a plant oxidising ammonia to nitric acid. */
export const STACKLOSS_CSV = `stack.loss,Air.Flow,Water.Temp,Acid.Conc.
42,80,27,89
37,80,27,88
37,75,25,90
28,62,24,87
18,62,22,87
18,62,23,87
19,62,24,93
20,62,24,93
15,58,23,87
14,58,18,80
14,58,18,89
13,58,17,88
11,58,18,82
12,58,19,93
8,50,18,89
7,50,18,86
8,50,19,72
8,50,19,79
9,50,20,80
15,56,20,82
15,70,20,91
`;

/** Hertzsprung-Russell data of the star cluster CYG OB1 (Rousseeuw & Leroy 1987), 47 stars. */
export const STARS_CYG_CSV = `log.light,log.Te
5.23,4.37
5.74,4.56
4.93,4.26
5.74,4.56
5.19,4.3
5.46,4.46
4.65,3.84
5.27,4.57
5.57,4.26
5.12,4.37
5.73,3.49
5.45,4.43
5.42,4.48
4.05,4.01
4.26,4.29
4.58,4.42
3.94,4.23
4.18,4.42
4.18,4.23
5.89,3.49
4.38,4.29
4.22,4.29
4.42,4.42
4.85,4.49
5.02,4.38
4.66,4.42
4.66,4.29
4.9,4.38
4.39,4.22
6.05,3.48
4.42,4.38
5.1,4.56
5.22,4.45
6.29,3.49
4.34,4.23
5.62,4.62
5.1,4.53
5.22,4.45
5.18,4.53
5.57,4.43
4.62,4.38
5.06,4.45
5.34,4.5
5.34,4.45
5.54,4.55
4.98,4.45
4.5,4.42
`;
