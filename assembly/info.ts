// Layout of the info region (f64 slots). Mirrored by src/abi/info.ts; see there for meanings.
export const INFO_LEN: i32 = 16;
export const INFO_OBJECTIVE: i32 = 0;
export const INFO_RCOND: i32 = 1;
export const INFO_ITERATIONS: i32 = 2;
export const INFO_METHOD: i32 = 3;
export const INFO_RANK: i32 = 4;
export const INFO_PRIMAL: i32 = 5;
export const INFO_DUAL: i32 = 6;
export const INFO_GAP: i32 = 7;
export const INFO_NONUNIQUE: i32 = 8;
export const INFO_DUAL_INFEAS: i32 = 9;
export const INFO_REFINE: i32 = 10;
export const INFO_EDGE_STEPS: i32 = 11;
export const INFO_SCALE: i32 = 12;
export const INFO_OUTLIERS: i32 = 13;
export const INFO_GLOB_ROUNDS: i32 = 14;
export const INFO_GLOB_FIXUPS: i32 = 15;
