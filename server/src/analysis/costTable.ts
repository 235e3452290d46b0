// PROVISIONAL: replaced by the table `npm run calibrate` (scripts/calibrate.ts) writes on this machine.
export interface CostConstant {
  value: number;
  unit: string;
  source: string;
}

export const CALIBRATION = { machine: 'provisional', cores: 2, python: '3.11.7', date: '2026-12-02' } as const;

const p = (value: number, source: string): CostConstant => ({ value, unit: 's', source });

export const COST_TABLE = {
  pyOp: p(7e-9, 'x = a * b + c, per operator (timeit)'),
  pyLoopTrip: p(1.5e-8, 'provisional'),
  pyCall: p(2.1e-8, 'f(1), def f(x): return x (timeit)'),
  builtinCall: p(4e-8, 'provisional'),
  strFormat: p(1e-7, 'provisional'),
  sha256PerByte: p(2e-9, 'provisional'),
  md5PerByte: p(1.6e-9, 'provisional'),
  sha1PerByte: p(1e-9, 'provisional'),
  blake2bPerByte: p(1.3e-9, 'provisional'),
  hashCall: p(3e-7, 'provisional'),
  zlibCompressPerByte: p(1e-8, 'provisional'),
  zlibDecompressPerByte: p(1.5e-9, 'provisional'),
  bz2CompressPerByte: p(5e-8, 'provisional'),
  lzmaCompressPerByte: p(1e-7, 'provisional'),
  pbkdf2Sha256PerIteration: p(9e-7, "hashlib.pbkdf2_hmac('sha256', …, 10000) / 10000 (timeit)"),
  regexSearchPerChar: p(2e-8, 'provisional'),
  jsonDumpsPerElement: p(3e-7, 'provisional'),
  jsonLoadsPerByte: p(1e-8, 'provisional'),
  sortPerElementLog2: p(2e-8, 'provisional'),
  fileOpenRead: p(1.5e-5, 'provisional'),
  fileWrite: p(3e-5, 'provisional'),
  subprocessRun: p(1.5e-3, 'provisional'),
  interpreterStart: p(0.02, 'provisional'),
  processPoolStartupSpawn: p(0.08, 'provisional'),
  processPoolStartupFork: p(0.01, 'provisional'),
  processWorkerSpawnCpu: p(0.04, 'provisional'),
  processPerChunk: p(1.9e-4, 'executor.map(f, range(2000), chunksize=1) per item'),
  processPerItem: p(1.3e-6, 'executor.map(f, range(20000), chunksize=1000) per item'),
  picklePerByte: p(1e-9, 'provisional'),
  threadPoolStartup: p(1e-4, 'provisional'),
  threadPerTask: p(1.8e-5, 'ThreadPoolExecutor().map(f, range(20000)) per item'),
  asyncioPerTask: p(1e-5, 'provisional'),
  importNumpy: p(0.1, 'provisional'),
  importPandas: p(0.35, 'provisional'),
  networkRoundTrip: p(0.05, 'assumption, not a measurement: a typical round trip to a remote API (no network here)'),
  httpLoopback: p(1e-3, 'provisional'),
  sleepOverhead: p(6e-5, 'provisional'),
} satisfies Record<string, CostConstant>;
