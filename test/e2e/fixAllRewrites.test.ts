// Run-and-compare for `check --fix --unsafe-fixes`: every runnable fixture gets all its fixes at once (several
// rewrites of one file, in passes), and must still parse and print exactly what the original printed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixAll } from '../../server/src/fixAll';
import { fixtureFiles, getParser, needsScientificPython, PYTHON, pythonParses, pythonVersion, REWRITE_CONFIG, runPython, SCIENTIFIC_PYTHON, scientificPythonMissing, tempDir } from '../support/harness';

const work = tempDir('parallelize-fix-all-');
const numpyMissing = scientificPythonMissing();

for (const file of [...fixtureFiles('run'), ...fixtureFiles('run-numpy')]) {
  const name = path.basename(file);
  const original = fs.readFileSync(file, 'utf8');
  const python = needsScientificPython(original) ? SCIENTIFIC_PYTHON : PYTHON;
  const skip = python === SCIENTIFIC_PYTHON && numpyMissing && process.env.CI !== 'true' ? numpyMissing : false;
  test(`${path.basename(path.dirname(file))}/${name}: all fixes at once keep the program's output`, { skip }, async (t) => {
    const config = { ...REWRITE_CONFIG, targetVersion: pythonVersion(python) };
    const outcome = fixAll(original, await getParser(), config, { unsafe: true });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
    if (outcome.applied.length === 0) return t.diagnostic('no fixes');
    t.diagnostic(`${outcome.applied.length} fix(es) in ${outcome.passes} pass(es): ${outcome.applied.map((f) => `${f.code}@${f.line ?? 'new code'}`).join(', ')}`);
    if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(outcome.text), 'CRLF line endings kept');
    const parses = pythonParses(outcome.text);
    assert.ok(parses.ok, `ast.parse fails: ${parses.error}\n${outcome.text}`);
    const dir = fs.mkdtempSync(path.join(work, name.replace('.py', '-')));
    fs.writeFileSync(path.join(dir, name), original);
    fs.writeFileSync(path.join(dir, `fixed_${name}`), outcome.text);
    const expected = runPython(path.join(dir, name), 60_000, 'spawn', python);
    assert.equal(expected.status, 0, `original fails: ${expected.stderr}`);
    const actual = runPython(path.join(dir, `fixed_${name}`), 60_000, 'spawn', python);
    assert.equal(actual.status, 0, `the fixed program fails:\n${actual.stderr}\n${outcome.text}`);
    assert.equal(actual.stdout, expected.stdout, `output differs\n${outcome.text}`);
  });
}
