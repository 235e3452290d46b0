// A loop that counts its iterations (`i += 1` once per pass, `i` read to number the output) in its parallel form:
// first into a loop that numbers its items (`for i, path in enumerate(paths, start=i):`, the step gone), whose
// iterations no longer depend on each other, then that loop by `rewrite`. Reads after the step saw `i + 1`: the
// numbering then starts one higher.
import { rewriteAgain } from './filterRewrite';
import type { LoopPattern, RewriteInput, RewriteResult } from './loopRewrite';
import { applySplices, lineEnd, lineStart, type Splice } from './text';

export function rewriteCounted(input: RewriteInput, pattern: LoopPattern, rewrite: (input: RewriteInput, pattern: LoopPattern) => RewriteResult): RewriteResult {
  const { text, loop: facts, parse } = input;
  const counter = facts.counter;
  const loop = facts.node;
  const target = facts.target;
  const iterable = facts.iterable;
  if (!counter || !target || !iterable || facts.kind !== 'for') return { ok: false, reason: 'not a counted loop' };
  const statement = counter.step.parent?.type === 'expression_statement' ? counter.step.parent : counter.step;
  const start = lineStart(text, statement.startIndex);
  if (text.slice(start, statement.startIndex).trim() !== '' || !/^\s*(#.*)?$/.test(text.slice(statement.endIndex, lineEnd(text, statement.endIndex)).replace(/\r?\n$/, ''))) {
    return { ok: false, reason: 'the counter\'s step shares its line with other code' };
  }
  // `for a, b in pairs` → `for i, (a, b) in enumerate(pairs, start=i)`
  const element = target.type === 'pattern_list' ? `(${target.text})` : target.text;
  const first = counter.afterStep ? `${counter.name} + 1` : counter.name;
  const splices: Splice[] = [
    { start: target.startIndex, end: target.endIndex, text: `${counter.name}, ${element}` },
    { start: iterable.startIndex, end: iterable.endIndex, text: `enumerate(${iterable.text}, start=${first})` },
    { start, end: lineEnd(text, statement.endIndex), text: '' },
  ];
  const numbered = applySplices(text, splices.sort((a, b) => a.start - b.start));
  return rewriteAgain('numbered', numbered, loop.startIndex, parse, pattern, rewrite, (again) =>
    again.counter ? 'the numbered loop could not be analysed again' : again.rejections.length > 0 ? `the numbered loop is not independent: ${again.rejections[0].message}` : null,
  );
}
