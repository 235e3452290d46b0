// parallelize.unsafeFixes in VS Code: unsafe fixes are never preferred, ask before applying ("confirm", the
// default), apply when chosen ("apply") or are not offered ("hide"); safe fixes and other actions are untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPLY_UNSAFE_FIX_COMMAND, confirmationMessage, gateUnsafeFixes, unsafeFixesSetting } from '../../client/src/unsafeFixes';

interface Action {
  title: string;
  edit?: string;
  isPreferred?: boolean;
  command?: { title: string; command: string; arguments?: unknown[] };
}

const actions = (): Action[] => [
  { title: 'Run the loop in a ProcessPoolExecutor', edit: 'safe-edit', isPreferred: true },
  { title: 'Run the loop in a multiprocessing.Pool (map with chunksize) (unsafe)', edit: 'unsafe-edit', isPreferred: true },
  { title: 'Ignore PAR101 for this line', edit: 'noqa' },
  { title: 'Show documentation for PAR101', command: { title: 'Show documentation for PAR101', command: 'parallelize.showDocumentation', arguments: ['PAR101'] } },
];

test('unsafeFixes "confirm" (default): the unsafe fix runs a confirming command holding its edit, never preferred', () => {
  assert.equal(unsafeFixesSetting(undefined), 'confirm');
  assert.equal(unsafeFixesSetting('nonsense'), 'confirm');
  const out = gateUnsafeFixes<string, Action>(actions(), 'confirm');
  assert.equal(out.length, 4);
  assert.deepEqual(out[0], actions()[0], 'a safe fix is untouched');
  assert.equal(out[1].edit, undefined, 'choosing it does not apply the edit directly');
  assert.equal(out[1].isPreferred, false);
  assert.equal(out[1].command?.command, APPLY_UNSAFE_FIX_COMMAND);
  assert.deepEqual(out[1].command?.arguments, [out[1].title, 'unsafe-edit']);
  assert.deepEqual(out.slice(2), actions().slice(2));
  assert.match(confirmationMessage(out[1].title), /^"Run the loop in a multiprocessing\.Pool \(map with chunksize\)" is an unsafe fix: .*Apply it\?$/);
});

test('unsafeFixes "apply": offered with its edit, not preferred; "hide": not offered', () => {
  const applied = gateUnsafeFixes<string, Action>(actions(), 'apply');
  assert.equal(applied[1].edit, 'unsafe-edit');
  assert.equal(applied[1].isPreferred, false);
  assert.equal(applied[1].command, undefined);
  const hidden = gateUnsafeFixes<string, Action>(actions(), 'hide');
  assert.deepEqual(hidden.map((a) => a.title), ['Run the loop in a ProcessPoolExecutor', 'Ignore PAR101 for this line', 'Show documentation for PAR101']);
});
