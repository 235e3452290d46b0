// The filters of a loop in its parallel form. Tests cheap on the item run in the parent before the map: the loop
// is first rewritten to iterate over the kept items (`kept = [p for p in paths if p.suffix == ".py"]`), then
// parallelised as any loop. A final `if` around the statements collecting results runs in the worker, which
// returns whether it held (and the values the parent cannot compute); the parent folds in order when it held.
import type { SyntaxNode } from '../parser';
import { analyzeTree } from '../analysis/loops';
import type { LateFilter, LoopFacts, ParentStatement, ResultGuard } from '../analysis/model';
import { children, lineIndent, namedChildren, operandText } from '../syntax';
import type { LoopPattern, RewriteInput, RewriteResult } from './loopRewrite';
import type { Parse } from './module';
import { applySplices, freshName, lineEnd, lineStart, reindent, type Splice, stringContinuationRows } from './text';

/** Operators whose negation is exact (`not (a in b)` is `a not in b` by definition). */
const EXACT_NEGATIONS: Record<string, string> = { in: 'not in', 'not in': 'in', is: 'is not', 'is not': 'is' };

const LITERAL_TYPES = new Set(['string', 'integer', 'float', 'true', 'false', 'none', 'concatenated_string']);

function comparisonOperators(comparison: SyntaxNode): string[] {
  return comparison.childrenForFieldName('operators').filter((o): o is SyntaxNode => o !== null).map((o) => o.text.replace(/\s+/g, ' '));
}

/** A condition as one `if` clause of a comprehension (a conditional expression or lambda needs parentheses). */
function clause(condition: SyntaxNode): string {
  return ['conditional_expression', 'lambda', 'named_expression'].includes(condition.type) ? `(${condition.text})` : condition.text;
}

/** The test that keeps an item: the condition itself, or its negation (exact, never `<` ↔ `>=`: NaN). */
function keepTest(condition: SyntaxNode, keepWhen: boolean): string {
  let c = condition;
  while (c.type === 'parenthesized_expression' && c.namedChildCount === 1) c = c.namedChildren[0]!;
  if (keepWhen) return clause(c);
  if (c.type === 'not_operator') return clause(c.childForFieldName('argument')!);
  const operators = c.type === 'comparison_operator' ? comparisonOperators(c) : [];
  const [left, right] = namedChildren(c);
  if (operators.length === 1 && EXACT_NEGATIONS[operators[0]]) return `${left.text} ${EXACT_NEGATIONS[operators[0]]} ${right.text}`;
  // against a literal the comparison is the builtin type's, whose `!=` is exactly `not ==`
  if (operators.length === 1 && (operators[0] === '==' || operators[0] === '!=') && [left, right].some((s) => LITERAL_TYPES.has(s.type))) {
    return `${left.text} ${operators[0] === '==' ? '!=' : '=='} ${right.text}`;
  }
  const atom = ['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression'].includes(c.type);
  return atom ? `not ${c.text}` : `not (${c.text})`;
}

/**
 * Rewrites a loop whose body starts with filters on the item: first into a loop over the items they keep (listed
 * once, above the loop), then that loop by `rewrite`.
 */
export function rewritePrefiltered(input: RewriteInput, pattern: LoopPattern, rewrite: (input: RewriteInput, pattern: LoopPattern) => RewriteResult): RewriteResult {
  const { text, analysis, loop: facts, parse } = input;
  const filters = facts.prefilters ?? [];
  const loop = facts.node;
  const target = facts.target;
  const iterable = facts.iterable;
  if (!target || !iterable || filters.length === 0) return { ok: false, reason: 'not a filtered loop' };
  const ind = lineIndent(text, loop);
  const frozen = stringContinuationRows(analysis.module.root);
  const kept = freshName(iterable.type === 'identifier' ? `kept_${iterable.text.replace(/^_+/, '')}` : 'kept_items', new Set(analysis.module.identifiers));
  const element = target.type === 'pattern_list' ? `(${target.text})` : target.text;
  const tests = filters.map((f) => keepTest(f.condition, f.keepWhen));
  const test = tests.length === 1 ? tests[0] : tests.map((t) => (/\bor\b/.test(t) ? `(${t})` : t)).join(' and ');
  // an `async for` reads its source to the end here; the loop left over the list is a plain `for`
  const asyncKeyword = facts.isAsync ? children(loop).find((c) => c.type === 'async') : undefined;
  const listing = `${ind}${kept} = [${element} ${asyncKeyword ? 'async ' : ''}for ${target.text} in ${operandText(iterable)} if ${test}]\n`;
  const splices: Splice[] = [
    { start: lineStart(text, loop.startIndex), end: lineStart(text, loop.startIndex), text: listing },
    { start: iterable.startIndex, end: iterable.endIndex, text: kept },
  ];
  if (asyncKeyword) splices.push({ start: asyncKeyword.startIndex, end: (children(loop).find((c) => c.type === 'for') ?? asyncKeyword).startIndex, text: '' });
  for (const f of filters) {
    const start = lineStart(text, f.statement.startIndex);
    if (text.slice(start, f.statement.startIndex).trim() !== '') return { ok: false, reason: 'a filter shares its line with other code' };
    if (!f.keepWhen) {
      // `if …: continue` goes, with its line(s)
      splices.push({ start, end: lineEnd(text, f.statement.endIndex), text: '' });
      continue;
    }
    // the body under `if …:` moves out of it, one level up
    const colon = children(f.statement).find((c) => c.type === ':');
    const block = f.statement.childForFieldName('consequence');
    if (!colon || !block) return { ok: false, reason: 'the filter has no block' };
    const ifIndent = lineIndent(text, f.statement);
    if (block.startPosition.row === colon.startPosition.row) {
      splices.push({ start, end: f.statement.endIndex, text: `${ifIndent}${block.text}` });
      continue;
    }
    const blockStart = lineEnd(text, colon.endIndex);
    const blockIndent = /^[ \t]*/.exec(text.slice(lineStart(text, block.startIndex)))![0];
    const moved = reindent(text.slice(blockStart, f.statement.endIndex), blockIndent, ifIndent, colon.startPosition.row + 1, frozen);
    splices.push({ start, end: f.statement.endIndex, text: moved });
  }
  const filtered = applySplices(text, splices.sort((a, b) => a.start - b.start));
  return rewriteAgain('filtered', filtered, loop.startIndex + listing.length, parse, pattern, rewrite, (again) => (again.prefilters ? 'the filtered loop could not be analysed again' : null));
}

/**
 * The second step of a rewrite made in two (a filtered loop over the kept items, a counted loop over numbered ones):
 * the edited text is analysed again and the `for` loop now starting at `loopStart` rewritten, unless `refuse` gives
 * a reason not to.
 */
export function rewriteAgain(
  what: 'filtered' | 'numbered',
  edited: string,
  loopStart: number,
  parse: Parse,
  pattern: LoopPattern,
  rewrite: (input: RewriteInput, pattern: LoopPattern) => RewriteResult,
  refuse: (facts: LoopFacts) => string | null,
): RewriteResult {
  const tree = parse(edited);
  try {
    const analysis = analyzeTree(tree);
    const facts = analysis.loops.find((l) => l.node.startIndex === loopStart && l.kind === 'for');
    if (!facts) return { ok: false, reason: `the ${what} loop could not be analysed again` };
    const reason = refuse(facts);
    return reason ? { ok: false, reason } : rewrite({ text: edited, analysis, loop: facts, parse }, pattern);
  } finally {
    tree.delete();
  }
}

/** The value a worker returns for the test of a guard: kept as is when it is a truth value already. */
function truth(condition: SyntaxNode): string {
  const multiline = condition.text.includes('\n') && condition.type !== 'parenthesized_expression';
  if (condition.type === 'not_operator' || condition.type === 'comparison_operator') return multiline ? `(${condition.text})` : condition.text;
  return `bool(${condition.text})`;
}

/**
 * A value the worker sends back: `out.extend(gen(…))` consumes what the call returns in the parent, which may be a
 * generator (`difflib.unified_diff`) that cannot be pickled: the worker lists it (`extend` consumes it all anyway).
 */
export function sentValue(p: ParentStatement, text: string): string {
  const listed = p.kind === 'reduce' && p.operator === '.extend' && !['list', 'list_comprehension', 'tuple'].includes(p.value.type);
  return listed ? `list(${p.value.text})` : text;
}

/** The parent statements whose value the worker computes (the others the parent computes from the item). */
export function workerValues(filter: { cheapValues: Set<number> }, parents: ParentStatement[]): ParentStatement[] {
  return parents.filter((p) => !filter.cheapValues.has(p.statement.id));
}

/**
 * The worker's edits for filters after the work (offsets relative to `offset`): each `continue` returns that the
 * item was dropped, each collecting statement keeps its value in a variable (or goes, when the parent computes it),
 * and the worker ends returning that the item passed, with those values.
 */
export function lateFilterWorker(text: string, late: LateFilter, parents: ParentStatement[], valueNames: string[], offset: number, end: (p: ParentStatement) => number, valueText: (p: ParentStatement) => string): { splices: Splice[]; tail: string } {
  const computed = workerValues(late, parents);
  const names = parents.map((p, i) => (computed.includes(p) ? valueNames[i] : null));
  const dropped = computed.length === 0 ? 'return False' : `return False, ${computed.map(() => 'None').join(', ')}`;
  const splices: Splice[] = late.continues.map((c) => ({ start: c.startIndex - offset, end: c.endIndex - offset, text: dropped }));
  parents.forEach((p, i) => {
    if (names[i]) splices.push({ start: p.statement.startIndex - offset, end: end(p) - offset, text: `${names[i]} = ${sentValue(p, valueText(p))}` });
    // computed by the parent: the statement leaves the worker with its line
    else splices.push({ start: lineStart(text, p.statement.startIndex) - 1 - offset, end: end(p) - offset, text: '' });
  });
  const kept = names.filter((n): n is string => n !== null);
  return { splices: splices.sort((a, b) => a.start - b.start), tail: kept.length === 0 ? 'return True' : `return True, ${kept.join(', ')}` };
}

/**
 * The worker's last statement in place of the guard (at `indent`, the body's): `return <test>`, or the test with the
 * values computed only when it holds: `if test: return True, v` / `return False, None`.
 */
export function guardedReturn(guard: ResultGuard, parents: ParentStatement[], indent: string, unit: string): string {
  const values = workerValues(guard, parents).map((p) => sentValue(p, p.value.text.includes('\n') ? `(${p.value.text})` : p.value.text));
  if (values.length === 0) return `return ${truth(guard.condition)}`;
  const nones = values.map(() => 'None').join(', ');
  return `if ${guard.condition.text}:\n${indent}${unit}return True, ${values.join(', ')}\n${indent}return False, ${nones}`;
}

/**
 * The parent's loop folding the results in input order when their test held: `for x, keep in zip(items, results):`
 * then `if keep:` and the collecting statements, each worker value replaced by its variable.
 */
export function guardedFold(opts: { guard: { cheapValues: Set<number> }; parents: ParentStatement[]; target: SyntaxNode; items: string; results: string; indent: string; unit: string; used: Set<string>; text: string }): string {
  const { guard, parents, target, items, results, indent, unit, used, text } = opts;
  const keep = freshName('keep', used);
  const computed = workerValues(guard, parents);
  const vars = computed.map((p) => freshName(computed.length === 1 ? 'value' : `${p.target.replace(/^_+/, '')}_value`, used));
  const lines = parents.map((p) => {
    const at = computed.indexOf(p);
    const relative = (n: SyntaxNode) => n.startIndex - p.statement.startIndex;
    let statement = at < 0 ? p.statement.text : p.statement.text.slice(0, relative(p.value)) + vars[at] + p.statement.text.slice(p.value.endIndex - p.statement.startIndex);
    const comment = /^[ \t]*#[^\r\n]*/.exec(text.slice(p.statement.endIndex, lineEnd(text, p.statement.endIndex)));
    if (comment) statement += comment[0];
    // a multi-line string in the statement keeps its lines as they are
    return reindent(statement, '', `${indent}${unit}${unit}`, p.statement.startPosition.row, stringContinuationRows(p.statement));
  });
  const folded = vars.length === 0 ? keep : `(${[keep, ...vars].join(', ')})`;
  const name = target.type === 'identifier' ? target.text : `(${target.text})`;
  return `${indent}for ${name}, ${folded} in zip(${items}, ${results}):\n${indent}${unit}if ${keep}:\n${lines.join('\n')}`;
}

/** Re-indents an edited loop body (lines at `from`), leaving alone the rows that continue its multi-line strings. */
export function reindentEdited(block: string, from: string, to: string, parse: Parse): string {
  const tree = parse(`if 1:\n${block}\n`);
  try {
    const rows = new Set([...stringContinuationRows(tree.rootNode)].map((r) => r - 1));
    return reindent(block, from, to, 0, rows);
  } finally {
    tree.delete();
  }
}
