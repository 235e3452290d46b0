// The generated cost table (npm run calibrate): every constant the cost model needs is there, measured, in
// seconds, and within an order of magnitude or two of what any machine that runs this tool would give.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALIBRATION, COST_TABLE, type CostConstant } from '../../server/src/analysis/costTable';

/** Each key with the range [low, high] (seconds per its unit) outside which a measurement is surely wrong. */
const SANE: Record<string, [number, number]> = {
  pyOp: [1e-9, 1e-6],
  pyLoopTrip: [1e-9, 1e-6],
  pyCall: [5e-9, 5e-6],
  builtinCall: [5e-9, 5e-6],
  strFormat: [1e-8, 1e-5],
  sha256PerByte: [1e-11, 1e-7],
  md5PerByte: [1e-11, 1e-7],
  sha1PerByte: [1e-11, 1e-7],
  blake2bPerByte: [1e-11, 1e-7],
  hashCall: [1e-8, 1e-4],
  zlibCompressPerByte: [1e-10, 1e-6],
  zlibDecompressPerByte: [1e-11, 1e-7],
  bz2CompressPerByte: [1e-9, 1e-5],
  lzmaCompressPerByte: [1e-9, 1e-5],
  pbkdf2Sha256PerIteration: [1e-8, 1e-4],
  regexSearchPerChar: [1e-10, 1e-6],
  jsonDumpsPerElement: [1e-8, 1e-5],
  jsonLoadsPerByte: [1e-10, 1e-6],
  sortPerElementLog2: [1e-10, 1e-6],
  numpyDrawPerElement: [1e-10, 1e-6],
  numpyUfuncPerElement: [1e-11, 1e-7],
  fileOpenRead: [1e-7, 1e-2],
  fileWrite: [1e-7, 1e-1],
  subprocessRun: [1e-4, 0.5],
  interpreterStart: [1e-3, 1],
  processPoolStartupSpawn: [0.01, 5],
  processPoolStartupFork: [1e-3, 5],
  processWorkerSpawnCpu: [1e-3, 2],
  processResourceTrackerCpu: [1e-3, 2],
  processPerChunk: [1e-6, 1e-2],
  processPerItem: [1e-9, 1e-4],
  picklePerByte: [1e-11, 1e-7],
  threadPoolStartup: [1e-5, 0.1],
  threadPerTask: [1e-7, 1e-3],
  asyncioPerTask: [1e-7, 1e-3],
  importNumpy: [1e-3, 5],
  importPandas: [1e-2, 10],
  importScipy: [1e-2, 10],
  importSklearn: [1e-2, 10],
  importPyplot: [1e-2, 10],
  importCv2: [1e-2, 10],
  importPillow: [1e-3, 5],
  importBs4: [1e-2, 10],
  importRequests: [1e-2, 10],
  importOpenpyxl: [1e-2, 10],
  networkRoundTrip: [1e-3, 1],
  httpLoopback: [1e-5, 0.1],
  sleepOverhead: [1e-7, 1e-2],
};

const table: Record<string, CostConstant> = COST_TABLE;

test('the table records the machine it was measured on', () => {
  assert.ok(CALIBRATION.machine.length > 0);
  assert.ok(Number.isInteger(CALIBRATION.cores) && CALIBRATION.cores > 0);
  assert.match(CALIBRATION.python, /^3\.\d+\.\d+/);
  assert.ok(!Number.isNaN(Date.parse(CALIBRATION.date)));
});

test('every constant is a positive finite number of seconds with a unit and a source', () => {
  for (const [key, constant] of Object.entries(table)) {
    assert.ok(Number.isFinite(constant.value) && constant.value > 0, `${key}: ${constant.value}`);
    assert.match(constant.unit, /^s(\/\w+)?$/, key);
    assert.ok(constant.source.trim().length > 0, key);
  }
});

test('every constant the cost model uses is present and of a sane order of magnitude', () => {
  for (const [key, [low, high]] of Object.entries(SANE)) {
    const constant = table[key];
    assert.ok(constant, `${key} is missing`);
    assert.ok(constant.value >= low && constant.value <= high, `${key} = ${constant.value} ${constant.unit}, outside [${low}, ${high}]`);
  }
});

test('measured constants say how they were measured; the assumed one says it is an assumption', () => {
  for (const [key, constant] of Object.entries(table)) {
    if (key === 'networkRoundTrip') assert.match(constant.source, /ASSUMPTION, not a measurement/);
    else assert.match(constant.source, /median of \d+|^not measured: /, key);
  }
});

test('start-up costs are ordered as processes and threads are', () => {
  assert.ok(table.processPoolStartupFork.value < table.processPoolStartupSpawn.value);
  assert.ok(table.threadPoolStartup.value < table.processPoolStartupFork.value);
  assert.ok(table.pyLoopTrip.value < table.processPerItem.value);
});
