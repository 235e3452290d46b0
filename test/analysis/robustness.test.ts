// Short fuzz run: mutated real files and pathological inputs never make the analysis throw, every
// diagnostic lies inside the document, and every offered fix yields text with no new syntax errors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyFinding, DEFAULT_LINT_CONFIG, lint } from '../../server/src/linter';
import { parseSyntax } from '../../server/src/parser';
import { hasSyntaxError } from '../../server/src/syntax';
import { fixtureFiles, getParser, REPO } from '../support/harness';
import { mutate } from '../support/mutate';

/** Checks one input; returns the number of fixes applied, pushing any broken property to `failures`. */
async function checkInput(text: string, label: string, failures: string[] = []): Promise<number> {
  const parser = await getParser();
  const tree = parseSyntax(parser, text);
  let fixes = 0;
  try {
    const hadError = hasSyntaxError(tree.rootNode);
    const result = lint(tree, text, DEFAULT_LINT_CONFIG);
    const lines = text.split('\n');
    for (const f of result.findings) {
      if (!(f.span.startLine >= 0 && f.span.endLine < lines.length && f.span.endColumn <= lines[f.span.endLine].length)) failures.push(`${label}: ${f.code} range outside the document`);
      for (let i = 0; i < f.fixes.length; i++) {
        const outcome = applyFinding(text, parser, result.analysis, f, i);
        if (!outcome.ok) continue;
        fixes++;
        const after = parseSyntax(parser, outcome.text);
        const broke = hasSyntaxError(after.rootNode) && !hadError;
        after.delete();
        if (broke) failures.push(`${label}: fix ${f.code} at line ${f.span.startLine + 1} introduced a syntax error`);
      }
    }
  } catch (e) {
    failures.push(`${label}: threw ${(e as Error).stack}`);
  } finally {
    tree.delete();
  }
  return fixes;
}

/** Mutations per file: 12 in `npm test`; raise it for a long run (PARALLELIZE_FUZZ_PER_FILE=2000). */
const PER_FILE = Number(process.env.PARALLELIZE_FUZZ_PER_FILE ?? 12);

test('mutated fixtures: no exception, ranges inside, fixes keep the syntax', async () => {
  const files = [...fixtureFiles('run'), ...fixtureFiles('analysis'), path.join(REPO, 'examples', 'pipeline.py')];
  let inputs = 0;
  let fixes = 0;
  const failures: string[] = [];
  for (const [fileIndex, file] of files.entries()) {
    const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    for (let k = 0; k < PER_FILE; k++) {
      const seed = fileIndex * 1000 + k;
      fixes += await checkInput(mutate(text, seed), `${path.basename(file)} seed ${seed}`, failures);
      inputs++;
    }
  }
  console.log(`fuzz: ${inputs} inputs, ${fixes} fixes applied, ${failures.length} failures`);
  assert.deepEqual(failures.slice(0, 10), []);
  assert.ok(inputs >= 500);
  assert.ok(fixes > 0, 'some mutated inputs still get fixes');
});

/** Inputs the long fuzz run broke once (file, seed): each stays fixed. */
const REGRESSIONS: Array<[string, number]> = [
  ['run/01_module_pbkdf2_append.py', 24],
  ['run/07_float_sum_main.py', 6776],
  ['run/09_counter_main.py', 8037],
  ['run/09_counter_main.py', 9760],
  ['run/12_dict_set_comp_main.py', 11458],
  ['run/14_read_files_open.py', 13002],
  ['run/14_read_files_open.py', 13010],
  ['run/15_read_text_module.py', 14011],
  ['run/17_sleep_io_main.py', 17436],
  ['run/20_crlf.py', 19208],
];

test('inputs the long fuzz run once broke stay fixed', async () => {
  const failures: string[] = [];
  for (const [file, seed] of REGRESSIONS) {
    const text = fs.readFileSync(path.join(REPO, 'test', 'fixtures', file), 'utf8').replace(/\r\n/g, '\n');
    await checkInput(mutate(text, seed), `${file} seed ${seed}`, failures);
  }
  assert.deepEqual(failures, []);
});

test('pathological inputs: empty, NUL bytes, invalid UTF-8, a 1 MB line, 1,000 levels of nesting', async () => {
  const deep = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('') + ' '.repeat(1000) + 'pass\n';
  const brackets = 'x = ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
  const inputs: Array<[string, string]> = [
    ['empty', ''],
    ['nul', 'for x in xs:\0\n    out.append(f(x))\n'],
    ['invalid utf-8', Buffer.from([0x66, 0x6f, 0x72, 0x20, 0xff, 0xfe, 0x0a, 0xc3]).toString('utf8')],
    ['1 MB line', 'x = "' + 'a'.repeat(1 << 20) + '"\n'],
    ['deep nesting', deep],
    ['deep brackets', brackets],
    ['loop without body', 'for x in xs:\n'],
    ['only a for keyword', 'for'],
    // round 47: a slice bounded by a count made from the sliced list's length (`n = min(len(xs), k)`, `xs = xs[:n]`),
    // under code indented past a `continue`: sizes and values asked for each other until the stack overflowed
    ['sizes asking each other', 'for item in ITEMS:\n        if not ok(item):\n            continue\n            if item == "x":\n                if not ok(item):\n                    continue\n                n = min(len(stamps), total)\n                if len(stamps) != total:\n                    print(n)\n                stamps = stamps[:n]\n                while k < n:\n                    ret, frame = src.read()\n                    if not ret:\n                        break'],
    // the same, with each size asking for two others: bounded in calls too (it took two minutes before)
    ['sizes fanning out', 'import os\n\nfor d in os.listdir("."):\n    n = min(len(xs), len(xs), len(ys))\n    m = min(len(ys), len(xs))\n    xs = xs[:n] + xs[:m]\n    ys = ys[:m] + xs[:n]\n    while k < n + m:\n        k += 1\n'],
  ];
  const failures: string[] = [];
  for (const [label, text] of inputs) await checkInput(text, label, failures);
  assert.deepEqual(failures, []);
});
