// Replaces a loop (with the list it fills and the column it assigns, for pandas) or an `apply(axis=1)`
// call by the vectorised statement the analysis planned. Comments inside the replaced lines are kept
// above the new statement; a comment on the `for` line stays on its line.
import type { VectorPlan } from '../analysis/vectorizable';
import { descendantsNamed, lineIndent } from '../syntax';
import type { Parse } from './module';
import type { RewriteResult } from './loopRewrite';
import { applySplices } from './text';

export interface VectorRewriteInput {
  text: string;
  plan: VectorPlan;
  parse: Parse;
  /** 0: the plan's statement; k: its k-th alternative form. */
  fixIndex?: number;
}

export function rewriteVector({ text, plan: planned, parse, fixIndex = 0 }: VectorRewriteInput): RewriteResult {
  const alternative = fixIndex > 0 ? planned.alternatives?.[fixIndex - 1] : undefined;
  if (fixIndex > 0 && !alternative) return { ok: false, reason: `no vectorised form number ${fixIndex + 1}` };
  const plan = alternative ? { ...planned, statement: alternative.statement } : planned;
  const { first, last } = plan;
  let replacement: string;
  if (first.type === 'call') {
    if (descendantsNamed(first, 'comment').length > 0) return { ok: false, reason: 'the `apply` call contains comments' };
    // an expression spread over lines (a lambda's body continued on the next line inside `apply(…)`'s parentheses)
    // needs brackets of its own where the call stood (round 46: `… ** 2 - x["b"])\n / x["b"]`)
    replacement = plan.statement.includes('\n') ? `(${plan.statement})` : plan.statement;
  } else {
    const indent = lineIndent(text, first);
    const headerRow = plan.node.startPosition.row;
    const found = [first, ...siblingsBetween(first, last)].flatMap((s) => (s.type === 'comment' ? [s] : descendantsNamed(s, 'comment')));
    const comments = found.filter((c, i) => found.findIndex((d) => d.id === c.id) === i).sort((a, b) => a.startIndex - b.startIndex);
    const above = comments.filter((c) => c.startPosition.row !== headerRow).map((c) => `${c.text}\n${indent}`);
    const trailing = comments.filter((c) => c.startPosition.row === headerRow).map((c) => `  ${c.text}`);
    replacement = above.join('') + plan.statement + trailing.join('');
  }
  const rewritten = applySplices(text, [{ start: first.startIndex, end: last.endIndex, text: replacement }]);
  const tree = parse(rewritten);
  try {
    if (tree.rootNode.hasError) return { ok: false, reason: 'the vectorised statement does not parse' };
  } finally {
    tree.delete();
  }
  return { ok: true, text: rewritten, doubts: [] };
}

/** The statements (and comments) after `first` up to and including `last`, in one block. */
function siblingsBetween(first: VectorPlan['first'], last: VectorPlan['last']): VectorPlan['first'][] {
  const list: VectorPlan['first'][] = [];
  for (let s = first.nextSibling; s && s.startIndex < last.endIndex; s = s.nextSibling) list.push(s);
  return list;
}
