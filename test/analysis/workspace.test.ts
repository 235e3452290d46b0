// A package of several modules (relative and absolute imports, a re-export through __init__, an import cycle)
// gets the verdicts and safe fixes of the same code in one file: module summaries, import resolution, and the
// dependencies a file's result records.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkFile, withWorkspace } from '../../server/src/checkFiles';
import { DEFAULT_LINT_CONFIG, type LintConfig, lint } from '../../server/src/linter';
import { parseSyntax } from '../../server/src/parser';
import { ImportRoots } from '../../server/src/workspace/importRoots';
import { DISK, SummaryStore } from '../../server/src/workspace/summaryStore';
import { FIXTURES, getParser, tempDir } from '../support/harness';

const ROOT = path.join(FIXTURES, 'workspace');
const SHOP = path.join(ROOT, 'shop');
const PKG = path.join(SHOP, 'src', 'shop');
const PIPELINE = path.join(PKG, 'pipeline.py');
const SINGLE = path.join(ROOT, 'single.py');
const CONFIG: LintConfig = DEFAULT_LINT_CONFIG;

/** Per function of the file: the code reported on its loop with each fix's applicability, or why it was not reported. */
async function verdicts(file: string, store?: SummaryStore): Promise<Record<string, string>> {
  const parser = await getParser();
  const text = fs.readFileSync(file, 'utf8');
  const checked = checkFile(parser, file, CONFIG, store);
  assert.ok(checked.ok);
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, file, store));
  const out: Record<string, string> = {};
  for (const loop of result.analysis.loops) {
    const fn = loop.function?.childForFieldName('name')?.text ?? '<module>';
    const finding = checked.findings.find((f) => f.span.startLine === loop.node.startPosition.row);
    out[fn] = finding ? `${finding.code} ${finding.fixes.map((f) => f.applicability).join(',')}` : `not reported: ${loop.rejections.map((r) => r.kind).join(',')}`;
  }
  tree.delete();
  return out;
}

test('imports resolve: relative, absolute through a src/ root from pyproject.toml, a module alias, __init__ re-exports', () => {
  const roots = new ImportRoots(DISK);
  assert.deepEqual(roots.locate('.features.strength', PIPELINE), { file: path.join(PKG, 'features.py'), rest: ['strength'], root: path.join(SHOP, 'src') });
  assert.deepEqual(roots.locate('shop.features.fib', PIPELINE)?.rest, ['fib']);
  assert.equal(roots.locate('shop.fib', PIPELINE)?.file, path.join(PKG, '__init__.py'));
  // main.py is not in the package: `src` comes from pyproject.toml
  assert.equal(roots.locate('shop.pipeline', path.join(SHOP, 'main.py'))?.file, PIPELINE);
  assert.equal(roots.locate('.report.render', path.join(PKG, 'features.py'))?.file, path.join(PKG, 'report.py'));
  assert.equal(roots.locate('hashlib.sha256', PIPELINE), null);
});

test('a module summary is plain JSON: effects, workload, cost, picklability and exports of each function', async () => {
  const store = new SummaryStore(await getParser());
  const stored = store.summary(path.join(PKG, 'features.py'), 0)!;
  const summary = stored.summary;
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
  assert.equal(summary.functions.strength.cpu?.what, 'hashlib.pbkdf2_hmac');
  assert.ok(summary.functions.strength.work.cpu > 0.001, 'the cost of one call is estimated');
  assert.equal(summary.functions.strength.work.open, null);
  assert.equal(summary.functions.strength.importable, true);
  assert.deepEqual(summary.functions.strength.returns, { verdict: 'yes' });
  assert.deepEqual(summary.functions.tally.mutatedParams, ['counts']);
  assert.equal(summary.functions.announce.problems[0].kind, 'ordered-effect');
  assert.equal(summary.functions.fib.isGenerator, false);
  assert.ok(summary.exports.includes('strength') && summary.exports.includes('SALT'), 'module-level public names are exported');
  assert.equal(summary.reexports.report, '.report');
  const init = store.summary(path.join(PKG, '__init__.py'), 0)!.summary;
  assert.deepEqual(init.exports, ['fib', 'strength']);
  assert.equal(init.reexports.fib, '.features.fib');
  // the same text gives the same key and hash
  const again = new SummaryStore(await getParser()).summary(path.join(PKG, 'features.py'), 0)!;
  assert.equal(again.key, stored.key);
  assert.equal(again.hash, stored.hash);
});

test('a re-exported function resolves to where it is defined; the import cycle terminates', async () => {
  const store = new SummaryStore(await getParser());
  const resolver = store.resolverFor(PIPELINE);
  const fib = resolver.resolve('shop.fib');
  assert.equal(fib?.kind, 'function');
  assert.equal(fib?.where, 'shop/features.py:11');
  assert.equal(resolver.resolve('.features.strength')?.where, 'shop/features.py:7');
  // features → report → features: each summary sees the other's one level less deep
  const describe = resolver.resolve('.features.describe');
  assert.equal(describe?.kind === 'function' && describe.summary.problems.length, 0);
  assert.ok(store.summary(path.join(PKG, 'report.py'), 3));
});

test('the package gives the same verdicts and safe fixes as its single-file equivalent', async () => {
  const store = new SummaryStore(await getParser());
  const split = await verdicts(PIPELINE, store);
  const single = await verdicts(SINGLE);
  assert.deepEqual(split, single);
  // and they are the ones expected: safe where everything is proven, rejected for the callee's effects
  assert.equal(split.keys, 'PAR101 safe,safe');
  assert.equal(split.via_alias, 'PAR103 safe');
  assert.match(split.counted, /^not reported: .*shared-state/);
  assert.match(split.loud, /^not reported: .*ordered-effect/);
  // alone, the same file sees nothing of its callees
  const alone = await verdicts(PIPELINE);
  assert.match(alone.keys, /^not reported/);
});

test('the hover names where the callee lives', async () => {
  const parser = await getParser();
  const text = fs.readFileSync(PIPELINE, 'utf8');
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, PIPELINE, new SummaryStore(parser)));
  const keys = result.findings.find((f) => f.loop?.function?.childForFieldName('name')?.text === 'keys')!;
  assert.equal(keys.loop!.evidence[0].defined, 'shop/features.py:7');
  tree.delete();
});

test('a result records the summaries it used; editing the callee changes their hash and the verdict', async () => {
  const work = tempDir('parallelize-ws-');
  fs.cpSync(SHOP, work, { recursive: true });
  const pipeline = path.join(work, 'src', 'shop', 'pipeline.py');
  const features = path.join(work, 'src', 'shop', 'features.py');
  const parser = await getParser();
  const before = checkFile(parser, pipeline, CONFIG, new SummaryStore(parser));
  assert.ok(before.ok);
  const used = before.dependencies.map((d) => path.relative(work, d.path));
  assert.ok(used.includes(path.join('src', 'shop', 'features.py')), used.join());
  assert.ok(used.includes(path.join('src', 'shop', '__init__.py')), 'the re-exporting module is a dependency too');
  assert.ok(before.dependencies.every((d) => /^[0-9a-f]{16}$/.test(d.summaryHash)));
  assert.ok(before.findings.some((f) => f.span.startLine === 10));
  // the key derivation becomes cheap: the loop over it is no longer worth a pool
  fs.writeFileSync(features, fs.readFileSync(features, 'utf8').replace('hashlib.pbkdf2_hmac("sha256", word.encode(), SALT, 20000).hex()[:12]', 'word.upper()'));
  const after = checkFile(parser, pipeline, CONFIG, new SummaryStore(parser));
  assert.ok(after.ok);
  const hashOf = (o: typeof before) => (o.ok ? o.dependencies.find((d) => d.path === features)?.summaryHash : undefined);
  assert.notEqual(hashOf(after), hashOf(before));
  assert.ok(!after.findings.some((f) => f.span.startLine === 10));
});
