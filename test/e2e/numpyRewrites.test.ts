// Run-and-compare for the vectorising rules: the NumPy / pandas fixtures run with the Python that has those
// libraries (Debian's /usr/bin/python3, or PARALLELIZE_TEST_NUMPY_PYTHON). Each fixture must get fixes,
// and every fix must print exactly what the loop printed (digests of the arrays' bytes, reprs of floats).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixtureFiles, SCIENTIFIC_PYTHON, scientificPythonMissing, tempDir } from '../support/harness';
import { everyFixKeepsOutput } from '../support/rewriteCheck';

const work = tempDir('parallelize-numpy-rewrites-');
const missing = scientificPythonMissing();
// on CI the libraries are installed by .ci/run: missing them there is a failure, not a skip
const skip = missing && process.env.CI !== 'true' ? missing : false;

test('NumPy and pandas are available to the vectorisation tests', { skip }, () => {
  assert.equal(missing, null);
});

for (const file of fixtureFiles('run-numpy')) {
  test(`run-numpy/${path.basename(file)}: every fix keeps the program's output (${SCIENTIFIC_PYTHON})`, { skip }, async (t) => {
    const ran = await everyFixKeepsOutput(file, work, SCIENTIFIC_PYTHON);
    assert.ok(ran > 0, 'the fixture offers fixes');
    t.diagnostic(`${ran} fix(es) applied and run`);
  });
}
