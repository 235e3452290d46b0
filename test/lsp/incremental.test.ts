// Incremental analysis in the editor: after an edit, what is published must equal a full lint of the new text,
// whatever the edit touched; units the edit cannot affect are not analysed again; hover and code actions see
// facts of the current text, including those that depend on other functions.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DocumentStore, type PythonDocument } from '../../server/src/documents';
import { codeActions } from '../../server/src/features/codeActions';
import { diagnosticsFor } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { type Published, publishedOf } from '../../server/src/incremental';
import { DEFAULT_LINT_CONFIG, lint } from '../../server/src/linter';
import { parseSyntax } from '../../server/src/parser';
import { FIXTURES, getParser } from '../support/harness';

/** Everything a published diagnostic is made of, findings and rejected-loop hints alike. */
function digest(p: Published): string {
  return JSON.stringify({
    findings: p.findings.map((f) => [f.code, f.span, f.message]),
    suppressed: p.suppressed.map((f) => [f.code, f.span, f.message]),
    rejected: p.rejected.map((r) => [r.kind, r.header, r.rejections.map((j) => [j.kind, j.message, j.remedy, j.line])]),
  });
}

async function fullDigest(text: string): Promise<string> {
  const tree = parseSyntax(await getParser(), text);
  try {
    return digest(publishedOf(lint(tree, text, DEFAULT_LINT_CONFIG)));
  } finally {
    tree.delete();
  }
}

/** Replaces the first occurrence of `find` (which must exist) with `replace`, as an LSP range change. */
function edit(doc: PythonDocument, find: string, replace: string): void {
  const at = doc.text.indexOf(find);
  assert.ok(at >= 0, `${JSON.stringify(find)} is in the text`);
  const start = doc.lines.positionAt(at);
  const end = doc.lines.positionAt(at + find.length);
  doc.update([{ range: { start, end }, text: replace }], doc.version + 1);
}

const WEIGH = `import hashlib

calls = 0


def weigh(word):
    return hashlib.pbkdf2_hmac("sha256", word.encode(), b"salt", 100_000).hex()


def weigh_all(words):
    out = []
    for w in words:
        out.append(weigh(w))
    return out


def unrelated(paths):
    import urllib.request

    out = []
    for p in paths:
        with urllib.request.urlopen(p) as f:
            out.append(f.read())
    return out
`;

const READ_ALL = `def read_all(paths):
    import urllib.request
    out = []
    for p in paths:
        with urllib.request.urlopen(p) as f:
            out.append(f.read())
    return out


def handler(paths):
    return read_all(paths)
`;

const CLASS = `import hashlib


class Store:
    def __init__(self, words):
        self.words = words

    def digests(self):
        out = []
        for w in self.words:
            out.append(hashlib.pbkdf2_hmac("sha256", w.encode(), b"salt", 100_000).hex())
        return out

    def read(self, paths):
        import urllib.request
        out = []
        for p in paths:
            with urllib.request.urlopen(p) as f:
                out.append(f.read())
        return out
`;

const STALL = `import asyncio


def checksum(data):
    return len(data)


async def handle(data):
    return checksum(data)


async def main():
    return await asyncio.gather(handle(bytes(3000)), handle(bytes(10)))


asyncio.run(main())
`;

describe('incremental analysis', () => {
  test('editing a function changes the verdict on a loop in another function that calls it', async () => {
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/weigh.py', 1, WEIGH);
    assert.deepEqual(doc.publish().findings.map((f) => `${f.code}@${f.span.startLine}`), ['PAR101@11', 'PAR201@20']);
    // `weigh` now updates a global: the loop in `weigh_all` shares state through it
    edit(doc, '    return hashlib', '    global calls\n    calls += 1\n    return hashlib');
    const after = doc.publish();
    assert.deepEqual(after.findings.map((f) => `${f.code}@${f.span.startLine}`), ['PAR201@22'], 'PAR101 gone, PAR201 moved down two lines');
    assert.equal(digest(after), await fullDigest(doc.text));
    assert.ok(after.analysedUnits < after.totalUnits, `only what the edit reaches is analysed (${after.analysedUnits} of ${after.totalUnits})`);
    // and back
    edit(doc, '    global calls\n    calls += 1\n', '');
    assert.deepEqual(doc.publish().findings.map((f) => `${f.code}@${f.span.startLine}`), ['PAR101@11', 'PAR201@20']);
    store.close(doc.uri);
  });

  test('a function body edit that changes nothing outside it re-analyses that function and what it reaches by name only', async () => {
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/weigh.py', 1, WEIGH);
    doc.publish();
    edit(doc, 'out.append(f.read())', 'out.append(f.read(7))');
    const after = doc.publish();
    // `unrelated` alone: it defines and uses no name another unit defines
    assert.equal(after.analysedUnits, 1);
    assert.equal(digest(after), await fullDigest(doc.text));
    store.close(doc.uri);
  });

  test('making a caller async changes the fixes offered on the loop of the function it calls', async () => {
    const store = new DocumentStore(await getParser());
    const parser = await getParser();
    const doc = store.open('file:///inc/read.py', 1, READ_ALL);
    const titles = () => {
      const published = doc.publish();
      const diagnostic = { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 22 } }, message: '', source: 'parallelize', data: { code: 'PAR201', line: 3, character: 4, version: doc.version } };
      assert.equal(published.findings[0]?.code, 'PAR201');
      return codeActions(doc, diagnostic.range, [diagnostic], DEFAULT_LINT_CONFIG, parser).map((a) => a.title);
    };
    assert.ok(titles().some((t) => t.includes('asyncio.to_thread')), 'to_thread is offered while no caller is async');
    edit(doc, 'def handler', 'async def handler');
    assert.ok(!titles().some((t) => t.includes('asyncio.to_thread')), 'not once `handler` is async');
    assert.equal(digest(doc.publish()), await fullDigest(doc.text));
    store.close(doc.uri);
  });

  test('hover after edits elsewhere explains the loop of the current text, as a full analysis does', async () => {
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/weigh.py', 1, WEIGH);
    doc.publish();
    edit(doc, 'import hashlib\n', 'import hashlib\nimport time\n\n\ndef pause():\n    time.sleep(1)\n');
    doc.publish();
    const line = doc.text.split('\n').findIndex((l) => l.includes('for w in words'));
    const incremental = hover(doc, { line, character: 6 }, DEFAULT_LINT_CONFIG);
    const fresh = store.open('file:///inc/fresh.py', 1, doc.text);
    fresh.lint(); // the whole module analysed: hover answers from it
    assert.ok(incremental);
    assert.deepEqual(incremental, hover(fresh, { line, character: 6 }, DEFAULT_LINT_CONFIG));
    store.close(doc.uri);
    store.close(fresh.uri);
  });

  test('switching the module to trio (a fact about the whole module) re-analyses every unit', async () => {
    const store = new DocumentStore(await getParser());
    const text = fs.readFileSync(path.join(FIXTURES, 'analysis', 'a25_trio.py'), 'utf8').replace('import trio\n', 'import asyncio as trio\n');
    const doc = store.open('file:///inc/trio.py', 1, text);
    assert.ok(doc.publish().findings.some((f) => f.code === 'PAR202'));
    edit(doc, 'import asyncio as trio\n', 'import trio\n');
    const after = doc.publish();
    assert.equal(after.analysedUnits, after.totalUnits);
    assert.ok(!after.findings.some((f) => f.code === 'PAR202' || f.code === 'PAR203' || f.code === 'PAR204'));
    assert.equal(digest(after), await fullDigest(doc.text));
    store.close(doc.uri);
  });

  test('a method edit in a class re-analyses that method only', async () => {
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/cls.py', 1, CLASS);
    assert.deepEqual(doc.publish().findings.map((f) => `${f.code}@${f.span.startLine}`), ['PAR101@9', 'PAR201@16']);
    edit(doc, 'out.append(f.read())', 'out.append(f.read(9))');
    const after = doc.publish();
    assert.equal(after.analysedUnits, 1);
    assert.equal(digest(after), await fullDigest(doc.text));
    // a method that now updates a global: its own loop changes verdict, nothing else is analysed
    edit(doc, '        out = []\n        for p in paths', '        global opened\n        opened = True\n        out = []\n        for p in paths');
    assert.equal(digest(doc.publish()), await fullDigest(doc.text));
    store.close(doc.uri);
  });

  test('editing a helper makes a call to it in a coroutine of another function CPU-bound (PAR204)', async () => {
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/stall.py', 1, STALL);
    assert.deepEqual(doc.publish().findings, []);
    edit(doc, '    return len(data)', '    total = 0\n    for i in range(len(data)):\n        for j in range(len(data)): total += i * j\n    return total');
    const after = doc.publish();
    assert.deepEqual(after.findings.map((f) => `${f.code}@${f.span.startLine}`), ['PAR204@11']);
    assert.equal(digest(after), await fullDigest(doc.text));
    // an edit elsewhere keeps the finding, moved down with its coroutine
    edit(doc, 'import asyncio\n', 'import asyncio\nimport os\n');
    const moved = doc.publish();
    assert.deepEqual(moved.findings.map((f) => `${f.code}@${f.span.startLine}`), ['PAR204@12']);
    assert.equal(digest(moved), await fullDigest(doc.text));
    // its code actions and hover come from the current text, as from a full analysis
    const parser = await getParser();
    const fresh = store.open('file:///inc/stall-fresh.py', 1, doc.text);
    fresh.lint();
    const [diagnostic] = diagnosticsFor(moved, doc.version);
    const actions = (d: PythonDocument) =>
      codeActions(d, diagnostic.range, [{ ...diagnostic, data: { ...(diagnostic.data as object), version: d.version } }], DEFAULT_LINT_CONFIG, parser).map((a) => ({
        title: a.title,
        preferred: a.isPreferred,
        edits: a.edit?.documentChanges?.map((c) => ('edits' in c ? c.edits : c)),
      }));
    assert.ok(actions(doc).some((a) => a.title.includes('run_in_executor')));
    assert.deepEqual(actions(doc), actions(fresh));
    assert.deepEqual(hover(doc, diagnostic.range.start, DEFAULT_LINT_CONFIG), hover(fresh, diagnostic.range.start, DEFAULT_LINT_CONFIG));
    store.close(fresh.uri);
    store.close(doc.uri);
  });

  test('a statement whose text is unchanged but whose parse now holds a syntax error is analysed again', async () => {
    // found by the random edits below: typing `def ` on the line after a loop gives the loop a missing token
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/recovery.py', 1, fs.readFileSync(path.join(FIXTURES, 'incremental', 'recovery_before.py'), 'utf8'));
    doc.publish();
    const line = doc.text.split('\n').indexOf('    print(table)');
    doc.update([{ range: { start: { line, character: 0 }, end: { line, character: 4 } }, text: '  def   ' }], 2);
    assert.equal(digest(doc.publish()), await fullDigest(doc.text));
    store.close(doc.uri);
  });

  test('a syntax error that stays where it is does not make edits elsewhere re-analyse it', async () => {
    const store = new DocumentStore(await getParser());
    const analysedAfterEdit = async (text: string) => {
      const doc = store.open('file:///inc/broken.py', 1, text);
      doc.publish();
      edit(doc, 'out.append(weigh(w))', 'out.append(weigh(w + "!"))');
      const after = doc.publish();
      assert.equal(digest(after), await fullDigest(doc.text));
      store.close(doc.uri);
      return after.analysedUnits;
    };
    // `weigh_all`, and what it reaches: `weigh`, the import of hashlib; never the broken `unrelated`
    assert.equal(await analysedAfterEdit(WEIGH.replace('def unrelated(paths):', 'def unrelated(paths:')), await analysedAfterEdit(WEIGH));
  });

  test('an import that weighs on a process pool\'s start-up (numpy) is a fact of the whole module: removing it re-estimates every loop', async () => {
    // found by the random edits below: the start-up in a loop's estimate kept NumPy's import time after `import numpy` broke
    const store = new DocumentStore(await getParser());
    const text = ['import numpy as np', '', '', 'def pass_over(rows):', '    out = []', '    for row in rows:', '        total = 0', '        for x in row:', '            total += x * x', '        out.append(total)', '    return out', ''].join('\n');
    const doc = store.open('file:///inc/numpy.py', 1, text);
    const before = digest(doc.publish());
    assert.match(before, /start-up ≈ \d+ ms/);
    edit(doc, 'import numpy as np', 'import numdef py as np');
    const after = doc.publish();
    assert.notEqual(digest(after), before, 'the start-up without NumPy is shorter');
    assert.equal(digest(after), await fullDigest(doc.text));
    store.close(doc.uri);
  });

  test('editing a method re-analyses a loop of another method of the file that calls it (its cost goes through that body)', async () => {
    // found by the random edits below: commenting out the body of `Grid.at` kept the old cost of `__add__`'s loop
    const store = new DocumentStore(await getParser());
    const text = fs.readFileSync(path.join(FIXTURES, 'analysis', 'a30_cost_classes.py'), 'utf8');
    const doc = store.open('file:///inc/grid.py', 1, text);
    doc.publish();
    edit(doc, '            return self.__cells[x][y]', '            #return self.__cells[x][y]\n            pass');
    assert.equal(digest(doc.publish()), await fullDigest(doc.text));
    store.close(doc.uri);
  });

  test('a comment naming the Ollama server elsewhere in the module changes the verdict of its embedding loop', async () => {
    // the server is named only by the module (`local` in SERIAL_SERVICES): a whole-module fact, like a test module's
    const store = new DocumentStore(await getParser());
    const text = [
      'import requests',
      '',
      'EMBED = "http://gpu-box:8080/api/embeddings"',
      '',
      '',
      'def index(chunks):',
      '    vectors = []',
      '    for chunk in chunks:',
      '        vectors.append(requests.post(EMBED, json={"prompt": chunk}).json())',
      '    return vectors',
      '',
      '# the embedding server',
      '',
    ].join('\n');
    const doc = store.open('file:///inc/embed.py', 1, text);
    const before = doc.publish();
    assert.equal(digest(before), await fullDigest(doc.text));
    edit(doc, '# the embedding server', '# the embedding server (Ollama)');
    const after = doc.publish();
    assert.equal(digest(after), await fullDigest(doc.text));
    assert.notEqual(digest(after), digest(before), 'naming Ollama turns the loop away');
    store.close(doc.uri);
  });

  test('after random edits to the analysis fixtures, what is published equals a full lint', async () => {
    const store = new DocumentStore(await getParser());
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // keystrokes, statements that change a function's effects, and edits that break the syntax for a moment
    const inserts = ['7', '\n', 'x', ' ', '(', 'time.sleep(1)\n    ', 'global counter\n    counter += 1\n    ', 'print(1)\n', 'async ', 'def ', '#', 'return 1\n    ', '\n\n'];
    const files = fs.readdirSync(path.join(FIXTURES, 'analysis')).filter((f) => f.endsWith('.py'));
    let edits = 0;
    let reused = 0;
    for (const file of files) {
      const doc = store.open(`file:///inc/${file}`, 1, fs.readFileSync(path.join(FIXTURES, 'analysis', file), 'utf8'));
      doc.publish();
      for (let step = 0; step < 12; step++) {
        const lines = doc.text.split('\n');
        const line = random(lines.length);
        const character = random(lines[line].length + 1);
        const removed = random(3) === 0 ? Math.min(random(5), lines[line].length - character) : 0;
        const text = removed > 0 && random(2) === 0 ? '' : inserts[random(inserts.length)];
        doc.update([{ range: { start: { line, character }, end: { line, character: character + removed } }, text }], doc.version + 1);
        const published = doc.publish();
        assert.equal(digest(published), await fullDigest(doc.text), `${file}, edit ${step + 1}: ${JSON.stringify(text)} at ${line + 1}:${character + 1}`);
        edits++;
        if (published.analysedUnits < published.totalUnits) reused++;
      }
      store.close(doc.uri);
    }
    assert.ok(edits >= 200);
    assert.ok(reused > edits / 4, `some edits reuse units (${reused} of ${edits})`);
  });
  test('an edit to an import the analysis reads module-wide (googleapiclient) re-analyses every unit', async () => {
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/google.py', 1, fs.readFileSync(path.join(FIXTURES, 'analysis', 'd60_google_nested_resources.py'), 'utf8'));
    doc.publish();
    edit(doc, 'from googleapiclient.errors import HttpError', 'from goo\n\ngleapiclient.errors import HttpError');
    assert.equal(digest(doc.publish()), await fullDigest(doc.text));
    edit(doc, 'from goo\n\ngleapiclient.errors import HttpError', 'from googleapiclient.errors import HttpError');
    assert.equal(digest(doc.publish()), await fullDigest(doc.text));
    store.close(doc.uri);
  });
  test('an edit making another function Python 2 code (a `print x` statement) takes back the finding of a loop it did not touch', async () => {
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/py2.py', 1, fs.readFileSync(path.join(FIXTURES, 'analysis', 'd39_pauses_the_loop_makes.py'), 'utf8'));
    assert.ok(doc.publish().findings.some((f) => f.code === 'PAR201'));
    edit(doc, 'def countdown(n):\n', 'def countdown(n):\n    print "go"\n');
    const published = doc.publish();
    assert.equal(digest(published), await fullDigest(doc.text));
    assert.deepEqual(published.findings, []);
    store.close(doc.uri);
  });
  test('an edit to a call site changes the cost verdict on the loop of the function it calls', async () => {
    const source = [
      'import hashlib',
      '',
      '',
      'def derive(words):',
      '    out = []',
      '    for w in words:',
      '        out.append(hashlib.pbkdf2_hmac("sha256", w.encode(), b"s", 400_000))',
      '    return out',
      '',
      '',
      'def main():',
      '    return derive(["only"])',
      '',
    ].join('\n');
    const store = new DocumentStore(await getParser());
    const doc = store.open('file:///inc/derive.py', 1, source);
    // one item can never run faster in a pool
    assert.deepEqual(doc.publish().findings.map((f) => f.code), []);
    edit(doc, '["only"]', '[str(i) for i in range(16)]');
    const after = doc.publish();
    assert.deepEqual(after.findings.map((f) => `${f.code}@${f.span.startLine}`), ['PAR101@5'], 'sixteen items of a fixed key derivation pay off');
    assert.equal(digest(after), await fullDigest(doc.text));
    store.close(doc.uri);
  });
});
