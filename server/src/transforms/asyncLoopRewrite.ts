// PAR204 on a loop: the loop moves, whole, into a module-level function taking what it reads from the
// coroutine and returning what the coroutine reads after it; in its place the coroutine awaits that function in
// a process pool: `total = await asyncio.get_running_loop().run_in_executor(pool, _crunch_loop, n, total)`.
import { lineIndent } from '../syntax';
import type { CallRewriteInput } from './asyncRewrite';
import { definitionBlock, definitionInsertPoint, type RewriteResult } from './loopRewrite';
import { manglePrivateNames } from './mangling';
import { ensureImports, ensureMainGuard, guardDoubt, type ImportNeed } from './module';
import { applySplices, freshName, indentedUnder, indentUnit, lineEnd, lineStart, reindent, stringContinuationRows } from './text';

export function rewriteStallingLoop({ text, analysis, finding, parse }: CallRewriteInput): RewriteResult {
  const facts = finding.call;
  const stall = facts?.stall.loop;
  if (!facts || !stall) return { ok: false, reason: 'not a loop finding' };
  const { loop, coroutine, inputs, outputs } = stall;
  const start = lineStart(text, loop.startIndex);
  if (text.slice(start, loop.startIndex).trim() !== '') return { ok: false, reason: 'the loop shares its line with other code' };
  const ind = lineIndent(text, loop);
  const unit = indentUnit(text, loop);
  const frozen = stringContinuationRows(analysis.module.root);
  const loopText = text.slice(start, loop.endIndex);
  if (!indentedUnder(loopText, ind, loop.startPosition.row, frozen)) return { ok: false, reason: 'the loop mixes tabs and spaces inconsistently' };

  const used = new Set(analysis.module.identifiers);
  const coroutineName = (coroutine.childForFieldName('name')?.text ?? 'coroutine').replace(/^_+/, '');
  const worker = freshName(`_${coroutineName}_loop`, used);
  used.add(worker);
  const returned = outputs.length === 0 ? '' : `\n${unit}return ${outputs.join(', ')}`;
  const definition = manglePrivateNames(`def ${worker}(${inputs.join(', ')}):\n${reindent(loopText, ind, unit, loop.startPosition.row, frozen)}${returned}`, loop, parse);

  const imports: ImportNeed[] = [{ module: 'asyncio' }];
  // one pool per program: a factory an earlier fix made is reused rather than a second pool started
  const existing = facts.newPool?.scope === 'module' ? existingPoolFactory(analysis) : null;
  const factory = facts.newPool?.scope === 'module' ? (existing ?? freshName('_process_pool', used)) : null;
  const pool = facts.pool ?? (factory ? `${factory}()` : freshName('pool', new Set([...used, ...coroutine.descendantTexts('identifier')])));
  const run = `await asyncio.get_running_loop().run_in_executor(${[pool, worker, ...inputs].join(', ')})`;
  const assigned = outputs.length === 0 ? run : `${outputs.join(', ')} = ${run}`;
  // comments after the loop's last line belong to what follows; the loop's own text ends at its last token
  const end = lineEnd(text, loop.endIndex);
  const trailing = text.slice(loop.endIndex, end);
  let replacement: string;
  if (!facts.pool && facts.newPool?.scope === 'statement') {
    imports.push({ from: 'concurrent.futures', name: 'ProcessPoolExecutor' });
    replacement = `${ind}with ProcessPoolExecutor() as ${pool}:\n${ind}${unit}${assigned}`;
  } else replacement = `${ind}${assigned}`;
  const definitions = [definition];
  if (factory && !existing && facts.newPool?.scope === 'module') {
    imports.push({ module: 'functools' }, { from: 'concurrent.futures', name: 'ProcessPoolExecutor' });
    definitions.unshift(`@${facts.newPool.decorator}\ndef ${factory}():\n${unit}return ProcessPoolExecutor()`);
  }
  const at = definitionInsertPoint(text, coroutine);
  let out = applySplices(text, [
    { start: at, end: at, text: definitionBlock(text, at, definitions.join('\n\n\n')) },
    { start, end, text: `${replacement}${trailing}` },
  ]);
  const doubts: string[] = [];
  const guard = ensureMainGuard(out, parse, indentUnit(text, coroutine));
  out = guard.text;
  const moved = guardDoubt(guard, analysis.module.bindings);
  if (moved) doubts.push(moved);
  return { ok: true, text: ensureImports(out, imports, parse), doubts };
}

/** A module-level `@functools.cache def _process_pool(): return ProcessPoolExecutor()` (as the PAR204 fixes write it). */
function existingPoolFactory(analysis: CallRewriteInput['analysis']): string | null {
  for (const [name, fn] of analysis.module.functions) {
    if (!name.startsWith('_process_pool')) continue;
    const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent.text : '';
    if (/^@functools\.(cache|lru_cache\(maxsize=None\))\s*\ndef \w+\(\):\s*\n\s*return ProcessPoolExecutor\(\)\s*$/.test(decorated)) return name;
  }
  return null;
}
