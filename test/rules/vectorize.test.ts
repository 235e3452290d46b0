// PAR301-PAR303 as specified: which fixes are safe or unsafe (the `safe`/`unsafe` word on the fixture
// markers), what the hover names as evidence and risk, why a rejected array loop is not vectorised, where the
// `apply` diagnostic sits, and the same findings through the LSP features and the CLI's JSON.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PythonDocument } from '../../server/src/documents';
import { codeActions } from '../../server/src/features/codeActions';
import { hover } from '../../server/src/features/hover';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { FIXTURES, getParser, lintSource, REPO } from '../support/harness';

const FILES = ['a19_numpy_elementwise.py', 'a20_numpy_nested.py', 'a21_pandas_rows.py', 'a29_vector_recall.py'].map((f) => path.join(FIXTURES, 'analysis', f));

/** `# expect: PAR302 safe` → line below → 'safe'. */
function expectedApplicability(text: string): Map<number, string> {
  const found = new Map<number, string>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /#\s*expect:\s*PAR30\d\s+(safe|unsafe)\b/.exec(line);
    if (m) found.set(i + 2, m[1]);
  });
  return found;
}

for (const file of FILES) {
  test(`${path.basename(file)}: each vectorising fix is safe or unsafe as its marker says`, async () => {
    const text = fs.readFileSync(file, 'utf8');
    const expected = expectedApplicability(text);
    assert.ok(expected.size > 0);
    const { tree, result } = await lintSource(text);
    tree.delete();
    const got = new Map(result.findings.map((f) => [f.span.startLine + 1, f.fixes[0]?.applicability ?? 'none']));
    assert.deepEqual(Object.fromEntries([...got].filter(([l]) => expected.has(l))), Object.fromEntries(expected));
    for (const f of result.findings) {
      if (f.fixes[0]?.applicability === 'unsafe') assert.match(f.fixes[0].title, /\(unsafe\)$/);
      if (f.fixes[0]?.applicability === 'unsafe') assert.ok(f.doubts.length > 0, `line ${f.span.startLine + 1}: an unsafe fix says why`);
    }
  });
}

async function documentOf(text: string): Promise<PythonDocument> {
  return new PythonDocument('file:///tmp/vector.py', 1, text, await getParser());
}

function hoverText(doc: PythonDocument, line: number, character: number): string {
  return (hover(doc, { line, character }, DEFAULT_LINT_CONFIG)?.contents as { value: string }).value;
}

const ELEMENTWISE = [
  'import numpy as np',
  '',
  'a = np.zeros(4000)',
  'b = np.linspace(0.0, 1.0, 4000)',
  'c = np.empty(4000)',
  'for i in range(4000):',
  '    c[i] = a[i] * b[i] + 2',
  'print(c.sum())',
  '',
].join('\n');

test('PAR302 hover names why each array is NumPy, the vectorised form, and bit-identical floats', async () => {
  const doc = await documentOf(ELEMENTWISE);
  const value = hoverText(doc, 5, 2);
  assert.match(value, /PAR302/);
  assert.match(value, /`a` is assigned from `np\.zeros` at line 3/);
  assert.match(value, /`b` is assigned from `np\.linspace` at line 4/);
  assert.match(value, /`c` is assigned from `np\.empty` at line 5/);
  assert.match(value, /`c\[:\] = a \* b \+ 2`/);
  assert.match(value, /\*\*Fix\*\* \(safe\)/);
  assert.match(value, /bit-identical/);
  assert.match(value, /\*\*Memory:\*\*/);
  assert.doesNotMatch(value, /Not proven/);
  doc.dispose();
});

test('PAR301 matrix product: the fix is unsafe and the hover says the additions are reordered', async () => {
  const source = [
    'import numpy as np',
    '',
    'n = 12',
    'a = np.ones((n, n))',
    'b = np.ones((n, n))',
    'c = np.zeros((n, n))',
    'for i in range(n):',
    '    for j in range(n):',
    '        for k in range(n):',
    '            c[i][j] += a[i][k] * b[k][j]',
    '',
  ].join('\n');
  const doc = await documentOf(source);
  const value = hoverText(doc, 6, 1);
  assert.match(value, /PAR301/);
  assert.match(value, /`c \+= a @ b`/);
  assert.match(value, /\*\*Fix\*\* \(unsafe\)/);
  assert.match(value, /Not proven[\s\S]*BLAS/);
  const actions = codeActions(doc, { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, [], DEFAULT_LINT_CONFIG, await getParser());
  const fix = actions.find((a) => a.title.startsWith('Vectorise'));
  assert.equal(fix?.title, 'Vectorise with NumPy (unsafe)');
  assert.equal(fix?.isPreferred, false);
  assert.ok(actions.some((a) => a.title === 'Ignore PAR301 for this line'));
  doc.dispose();
});

test('a recurrence over a NumPy array is not vectorised, and the hover says which element is read', async () => {
  const source = [
    'import numpy as np',
    '',
    'x = np.linspace(0.0, 1.0, 5000)',
    'grid = np.zeros(5000)',
    'for i in range(5000):',
    '    grid[i] = grid[i] * 0.5 + x[i]',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  assert.deepEqual(result.findings.map((f) => f.code), []);
  const doc = await documentOf(source);
  const value = hoverText(doc, 4, 1);
  assert.match(value, /Not vectorised:\*\* `grid` is read while it is being written \(line 6\)/);
  doc.dispose();
});

test('PAR303 on `apply(axis=1)` sits on the call, honours noqa on its line, and rewrites only the call', async () => {
  const source = [
    'import pandas as pd',
    '',
    'df = pd.DataFrame({"w": [1.5, 2.5], "h": [2.0, 4.0]})',
    'df["area"] = df.apply(lambda r: r["w"] * r["h"], axis=1)',
    'df["half"] = df.apply(lambda r: r["w"] / 2, axis=1)  # noqa: PAR303',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  assert.deepEqual(result.findings.map((f) => [f.code, f.span.startLine, f.span.startColumn, f.span.endColumn]), [['PAR303', 3, 13, 56]]);
  assert.deepEqual(result.suppressed.map((f) => [f.code, f.span.startLine]), [['PAR303', 4]]);
  const doc = await documentOf(source);
  const value = hoverText(doc, 3, 20);
  assert.match(value, /`df` is assigned from `pd\.DataFrame` at line 3/);
  assert.match(value, /`df\["w"\] \* df\["h"\]`/);
  const actions = codeActions(doc, { start: { line: 3, character: 14 }, end: { line: 3, character: 14 } }, [], DEFAULT_LINT_CONFIG, await getParser());
  const edits = actions.find((a) => a.title === 'Replace with a column expression')?.edit?.documentChanges?.[0];
  assert.ok(edits && 'edits' in edits);
  assert.equal(actions.find((a) => a.title === 'Replace with a column expression')?.isPreferred, true);
  doc.dispose();
});

test('the CLI reports the vectorising rules with their applicability in JSON', () => {
  const file = path.join(FIXTURES, 'run-numpy', 'n02_nested.py');
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', file, '--format', 'json', '--include-tests'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  const findings = JSON.parse(r.stdout) as Array<{ line: number; column: number; code: string; fixes: Array<{ applicability: string }> }>;
  assert.deepEqual(
    findings.map((f) => [f.code, f.line, f.column, f.fixes[0].applicability]),
    [
      ['PAR301', 16, 5, 'safe'],
      ['PAR301', 24, 5, 'safe'],
      ['PAR301', 35, 5, 'unsafe'],
    ],
  );
});

const PARAMETER_TABLE = [
  'import numpy as np',
  '',
  '',
  'def table_of(w, s, n, m):',
  '    table = np.zeros((n, m))',
  '    for i in range(n):',
  '        for j in range(m):',
  '            table[i, j] = w[i] * s[j]',
  '    return table',
  '',
  '',
  'print(table_of(np.linspace(0.0, 1.0, 300), np.arange(200.0), 300, 200).sum())',
  '',
].join('\n');

test('PAR301 on arrays passed by every caller: the hover calls the element stores disjoint writes and offers broadcasting too', async () => {
  const doc = await documentOf(PARAMETER_TABLE);
  const value = hoverText(doc, 5, 5);
  assert.match(value, /PAR301/);
  assert.match(value, /\*\*Writes:\*\* `table\[i, j\] = …` stores into the element at the loop's own indices[^\n]*disjoint writes, not shared state/);
  assert.doesNotMatch(value, /which every iteration shares/);
  assert.match(value, /every call of `table_of` in this file \(line 12\) passes a NumPy array as `w`/);
  assert.match(value, /Not proven[\s\S]*only from the calls in this file/);
  assert.match(value, /\*\*Also:\*\* `table\[:, :\] = w\[:, np\.newaxis\] \* s`/);
  const actions = codeActions(doc, { start: { line: 5, character: 4 }, end: { line: 5, character: 4 } }, [], DEFAULT_LINT_CONFIG, await getParser());
  assert.deepEqual(
    actions.filter((a) => a.title.startsWith('Vectorise')).map((a) => a.title),
    ['Vectorise with NumPy (unsafe)', 'Vectorise with broadcasting (unsafe)'],
  );
  doc.dispose();
});

test('a caller passing a list leaves the parameter unproven: no PAR301', async () => {
  const { tree, result } = await lintSource(PARAMETER_TABLE.replace('np.arange(200.0)', '[float(k) for k in range(200)]'));
  tree.delete();
  assert.deepEqual(result.findings.map((f) => f.code), []);
});

test('element stores the rewrite cannot vectorise are rejected as disjoint writes, not as shared state', async () => {
  const source = PARAMETER_TABLE.replace('import numpy as np', 'import math\nimport numpy as np').replace('w[i] * s[j]', 'math.gamma(w[i] + s[j] + 1.0)');
  const { tree, result } = await lintSource(source);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === 7)!;
  const rejection = loop.rejections.find((r) => r.name === 'table');
  assert.equal(rejection?.kind, 'unsupported');
  assert.match(rejection!.message, /disjoint writes, not shared state/);
  assert.match(rejection!.remedy, /return it, and store it in the parent/);
  assert.ok(!loop.rejections.some((r) => r.kind === 'shared-state'));
});

test('an element store whose loop also reads that element (`if band1[i, j] < 0: band1[i, j] = 0`) is a disjoint write too; a read of another element is not (round 40: raster clean-up)', async () => {
  const clip = (test: string) =>
    ['import rasterio as rio', '', '', 'def clip(path):', '    band1 = rio.open(path).read(1)', '    band2 = rio.open(path).read(2)', '    h, w = band1.shape', '    for i in range(h):', '        for j in range(w):', `            if ${test} < 0:`, '                band1[i, j] = 0', '                band2[i, j] = 0', '    return band1, band2', ''].join('\n');
  const rejectionsFor = async (source: string) => {
    const { tree, result } = await lintSource(source);
    tree.delete();
    return result.analysis.loops.find((l) => l.line === 8)!.rejections;
  };
  const own = await rejectionsFor(clip('band1[i, j]'));
  assert.ok(!own.some((r) => r.kind === 'shared-state'), own.map((r) => r.message).join('\n'));
  assert.match(own.find((r) => r.name === 'band1')?.message ?? '', /disjoint writes, not shared state/);
  const neighbour = await rejectionsFor(clip('band1[i - 1, j]'));
  assert.ok(neighbour.some((r) => r.name === 'band1' && r.kind === 'shared-state'), neighbour.map((r) => r.message).join('\n'));
});

test('Pattern 3 as written: the rewrite replaces the list and both loops, and a 3 × 3 table is not worth it', async () => {
  const source = [
    'import numpy as np',
    '',
    'a = [float(x) for x in range(300)]',
    'b = [float(x) / 7 for x in range(200)]',
    'result = []',
    'for i in range(len(a)):',
    '    row = []',
    '    for j in range(len(b)):',
    '        row.append(a[i] * b[j])',
    '    result.append(row)',
    'print(result[3][:4])',
    '',
  ].join('\n');
  const parser = await getParser();
  const fixed = fixText(source, parser, DEFAULT_LINT_CONFIG, 6, 'PAR301');
  assert.ok(fixed.ok);
  assert.equal(fixed.applicability, 'safe');
  assert.equal(fixed.text, ['import numpy as np', '', 'a = [float(x) for x in range(300)]', 'b = [float(x) / 7 for x in range(200)]', 'result = np.outer(a, b).tolist()', 'print(result[3][:4])', ''].join('\n'));
  const small = source.replace('range(300)', 'range(3)').replace('range(200)', 'range(3)');
  const { tree, result } = await lintSource(small);
  tree.delete();
  assert.deepEqual(result.findings.map((f) => f.code), []);
  const doc = await documentOf(small);
  assert.match(hoverText(doc, 5, 1), /Not vectorised:\*\* not worth it: 9 elements, below the 256/);
  doc.dispose();
});

test('PAR303 on a `.loc` store in an iterrows loop: the hover says the cell stores are disjoint', async () => {
  const source = [
    'import pandas as pd',
    '',
    'df = pd.DataFrame({"a": [1.5, 2.0, 3.25], "b": [2.0, 4.0, 0.5]})',
    'for i, row in df.iterrows():',
    '    df.loc[i, "c"] = row.a * row.b',
    '',
  ].join('\n');
  const doc = await documentOf(source);
  const value = hoverText(doc, 3, 1);
  assert.match(value, /`df\["c"\] = df\["a"\] \* df\["b"\]`/);
  assert.match(value, /\*\*Fix\*\* \(safe\)[^\n]*replaces the loop;/);
  assert.match(value, /\*\*Writes:\*\* `df\.loc\[i, "c"\] = …` stores into this row's own cell/);
  doc.dispose();
  // `row.name` is the row's label, not a column
  const { tree, result } = await lintSource(source.replace('row.b', 'row.name'));
  tree.delete();
  assert.deepEqual(result.findings.map((f) => f.code), []);
});

test('element stores shifted by an offset the loop does not change (`out[i - pad, j - pad]`) are disjoint writes too; a shift read back elsewhere is a recurrence (round 59: a Sobel filter over a padded image called shared state)', async () => {
  const source = [
    'import numpy as np',
    '',
    '',
    'def convolve(padded, kernel, h, w, pad):',
    '    out = np.zeros((h, w))',
    '    for i in range(pad, h + pad):',
    '        for j in range(pad, w + pad):',
    '            patch = padded[i - pad:i + pad + 1, j - pad:j + pad + 1]',
    '            out[i - pad, j - pad] = np.sum(patch * kernel)',
    '    return out',
    '',
    '',
    'def smear(out, h):',
    '    for i in range(1, h):',
    '        out[i - 1] = out[i] * 0.5',
    '    return out',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === 6)!;
  const rejection = loop.rejections.find((r) => r.name === 'out');
  assert.equal(rejection?.kind, 'unsupported', JSON.stringify(loop.rejections));
  assert.match(rejection!.message, /`out\[i - pad, j - pad\] = …` stores into the elements at this iteration's own index `i`[^\n]*disjoint writes, not shared state/);
  assert.match(rejection!.remedy, /`out\[i-pad\] = row`/);
  assert.ok(!loop.rejections.some((r) => r.kind === 'shared-state'));
  const recurrence = result.analysis.loops.find((l) => l.line === 14)!;
  assert.ok(!recurrence.rejections.some((r) => /disjoint writes/.test(r.message)), JSON.stringify(recurrence.rejections));
});
