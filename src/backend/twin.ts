// The pure-TypeScript twin's kernel set: same names, same arguments, same loop order as assembly/.
import type { Backend, Kernels } from '../abi/kernels.js';
import { MAX_MEMORY_BYTES } from '../abi/kernels.js';
import { RobustRegError } from '../errors.js';
import { formatBytes } from './arena.js';
import { F64, I32, TWIN_HEAP_BASE, byteLength, growTo } from '../twin/mem.js';
import { l2_fit, l2_work_bytes } from '../twin/l2.js';
import { l1_fit, l1_fresh, l1_glob, l1_work_bytes } from '../twin/l1.js';
import { irls_fit, irls_work_bytes } from '../twin/irls.js';
import { moments, moments_work_bytes } from '../twin/moments.js';
import { hc_pass, hc_work_bytes } from '../twin/hc.js';
import { nid_face, nid_gram, nid_gram_work_bytes, nid_rows } from '../twin/nid.js';
import { mm_fit, mm_work_bytes } from '../twin/mm.js';
import { lts_fit, lts_resid, lts_work_bytes } from '../twin/lts.js';
import { collapse_build, collapse_groups, collapse_work_bytes } from '../twin/collapse.js';

export const twinKernels: Kernels = {
  heap_base: () => TWIN_HEAP_BASE,
  l2_work_bytes,
  l2_fit,
  l1_work_bytes,
  l1_fit,
  l1_glob,
  l1_fresh,
  irls_work_bytes,
  irls_fit,
  moments_work_bytes,
  moments,
  hc_work_bytes,
  hc_pass,
  nid_rows,
  nid_gram_work_bytes,
  nid_gram,
  nid_face,
  mm_work_bytes,
  mm_fit,
  lts_work_bytes,
  lts_fit,
  lts_resid,
  collapse_work_bytes,
  collapse_groups,
  collapse_build,
};

export const jsBackend: Backend = {
  name: 'js',
  kernels: twinKernels,
  byteLength,
  grow(bytes: number) {
    if (bytes > MAX_MEMORY_BYTES) {
      throw new RobustRegError('OUT_OF_MEMORY', `the TypeScript backend cannot hold ${formatBytes(bytes)} (limit ${formatBytes(MAX_MEMORY_BYTES)}, as for wasm32)`, { bytesNeeded: bytes });
    }
    try {
      growTo(bytes);
    } catch (e) {
      throw new RobustRegError('OUT_OF_MEMORY', `could not allocate ${formatBytes(bytes)} for the TypeScript backend: ${(e as Error).message}`, { bytesNeeded: bytes });
    }
  },
  f64: () => F64,
  i32: () => I32,
};
