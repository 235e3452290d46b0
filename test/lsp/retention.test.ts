// What a closed document leaves behind: nothing that keeps its syntax tree mirror (and through it every wrapped
// node and the analysis) reachable. Observed with a WeakRef and a forced garbage collection, not with timing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DocumentStore } from '../../server/src/documents';
import { getParser } from '../support/harness';
import { DIGEST_PROGRAM } from '../support/programs';

/** A full garbage collection (the flag can be set at run time; `gc` comes from a fresh context). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Lets the current job end: a WeakRef's target is kept alive until then, whatever else holds it. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('retention', () => {
  test('a closed document’s tree mirror is collectable, after a full lint and after incremental publishes', async () => {
    const store = new DocumentStore(await getParser());
    const refs: Array<WeakRef<object>> = [];
    const uris: string[] = [];
    await (async () => {
      for (let i = 0; i < 2; i++) {
        const uri = `file:///retention/m${i}.py`;
        const doc = store.open(uri, 1, DIGEST_PROGRAM);
        const hold = () => refs.push(new WeakRef(doc.mirror), new WeakRef(doc.mirror.rootNode));
        if (i === 0) assert.deepEqual(doc.lint().findings.map((f) => f.code), ['PAR101']);
        else {
          doc.publish();
          hold();
          doc.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }], 2);
          assert.deepEqual(doc.publish().findings.map((f) => f.code), ['PAR101']);
        }
        hold();
        uris.push(uri);
      }
    })();
    for (const uri of uris) store.close(uri);
    await nextTurn();
    collectGarbage();
    assert.deepEqual(
      refs.map((r) => r.deref() === undefined),
      refs.map(() => true),
      'nothing keeps the trees of closed documents alive (module-level caches must be weak)',
    );
  });
});
