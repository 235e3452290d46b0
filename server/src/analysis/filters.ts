// Filters in a loop body: `if <cheap test of the item>: continue` before the work (or the whole body under one
// `if`), which the parent applies to the items before the map, and a final `if <test of the result>:` around
// the statements that collect results, which the parent applies after the map, in input order.
import type { SyntaxNode } from '../parser';
import { lineOf, namedChildren, SCOPE_TYPES, statementsOf, walk } from '../syntax';
import { type CheapContext, costlyPart, type Culprit } from './cheapExpressions';
import { MUTATING_METHODS } from './knowledge';
import type { LateFilter, ParentStatement, Prefilter, ResultGuard } from './model';
import { namesBoundBy } from './scope';

/** The names a region binds or may change in place (a method called on them, an item or attribute stored), with the line of the first change. */
export function namesChangedIn(nodes: SyntaxNode[]): Map<string, number> {
  const changed = new Map<string, number>();
  // a change the code spells (an assignment, a `del`, a binding, a mutating method) beside calls of other methods,
  // which only may change it
  const spelled = new Set<string>();
  const note = (name: string | null, at: SyntaxNode) => {
    if (name && !changed.has(name)) changed.set(name, lineOf(at));
    if (name && at.type !== 'call') spelled.add(name);
  };
  for (const node of nodes) {
    walk(node, (n) => {
      for (const name of namesBoundBy(n)) note(name, n);
      if ((n.type === 'function_definition' || n.type === 'class_definition') && n.childForFieldName('name')) note(n.childForFieldName('name')!.text, n);
      if (n.type === 'call' && n.childForFieldName('function')?.type === 'attribute') {
        const f = n.childForFieldName('function')!;
        // `seen.add(x)`: a method known to change its object; any other only may
        note(rootOf(f.childForFieldName('object')!), MUTATING_METHODS.has(f.childForFieldName('attribute')!.text) ? f : n);
      }
      if (n.type === 'assignment' || n.type === 'augmented_assignment') {
        const left = n.childForFieldName('left');
        for (const target of left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? namedChildren(left) : left ? [left] : []) {
          if (target.type === 'attribute' || target.type === 'subscript') note(rootOf(target), n);
        }
      }
      if (n.type === 'delete_statement') for (const target of namedChildren(n)) if (target.type !== 'identifier') note(rootOf(target), n);
      return true;
    });
  }
  mayOnly.set(changed, new Set([...changed.keys()].filter((name) => !spelled.has(name))));
  return changed;
}

/** For a map namesChangedIn made: the names only calls of their methods change, which may or may not change them. */
const mayOnly = new WeakMap<Map<string, number>, Set<string>>();

/** The name an attribute / subscript / call chain hangs from (`a.b[c].d()` → `a`), or null. */
function rootOf(expr: SyntaxNode): string | null {
  let n: SyntaxNode | null = expr;
  while (n && n.type !== 'identifier') {
    if (n.type === 'attribute') n = n.childForFieldName('object');
    else if (n.type === 'subscript') n = n.childForFieldName('value');
    else if (n.type === 'call') n = n.childForFieldName('function');
    else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
    else return null;
  }
  return n?.text ?? null;
}

/** Whether a statement binds `name` (an assignment, a `for` or `with` target), rather than only changing it in place. */
function boundIn(statement: SyntaxNode, name: string): boolean {
  let found = false;
  walk(statement, (n) => {
    if (namesBoundBy(n).includes(name)) found = true;
    return !found;
  });
  return found;
}

/** `if cond:` with no `elif`/`else`: its condition and its statements, or null. */
function plainIf(statement: SyntaxNode): { condition: SyntaxNode; block: SyntaxNode[] } | null {
  if (statement.type !== 'if_statement' || statement.childrenForFieldName('alternative').some((c) => c !== null)) return null;
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (!condition || !consequence) return null;
  return { condition, block: statementsOf(consequence) };
}

/** `if cond: continue` with nothing else in it: its condition, or null. */
function continueTest(statement: SyntaxNode): SyntaxNode | null {
  const plain = plainIf(statement);
  return plain && plain.block.length === 1 && plain.block[0].type === 'continue_statement' ? plain.condition : null;
}

export interface FilterSplit {
  prefilters: Prefilter[];
  /** The statements that run for the items the filters keep. */
  statements: SyntaxNode[];
}

/**
 * The filters at the top of a body whose tests are cheap, free of effects and read only the item and names the
 * loop never changes: `if p.suffix != ".py": continue` (keep when false), and a body that is one `if` without
 * `else` (keep when true; its block is then the body). Anything else ends the filters.
 */
export function leadingFilters(statements: SyntaxNode[], ctx: CheapContext): FilterSplit {
  const prefilters: Prefilter[] = [];
  let rest = statements;
  for (;;) {
    const first = rest[0];
    if (!first) break;
    const skipTest = continueTest(first);
    if (skipTest && rest.length > 1 && !costlyPart(skipTest, ctx)) {
      prefilters.push({ statement: first, condition: skipTest, keepWhen: false });
      rest = rest.slice(1);
      continue;
    }
    const wrapping = rest.length === 1 ? plainIf(first) : null;
    if (wrapping && wrapping.block.length > 0 && !costlyPart(wrapping.condition, ctx)) {
      // the last filter: the rewrite moves its block out of it in one piece
      prefilters.push({ statement: first, condition: wrapping.condition, keepWhen: true });
      rest = wrapping.block;
      break;
    }
    break;
  }
  return { prefilters, statements: rest };
}

/**
 * A final `if cond:` (no `else`) holding only statements that collect results, when the body collects nothing
 * else: the worker computes the test (and the values that are not cheap on the item), the parent folds them in
 * when the test held, in input order.
 */
export function resultGuard(statements: SyntaxNode[], collect: (s: SyntaxNode) => ParentStatement | null, ctx: CheapContext): { guard: ResultGuard; parents: ParentStatement[] } | null {
  const last = statements[statements.length - 1];
  const plain = last ? plainIf(last) : null;
  if (!plain || plain.block.length === 0) return null;
  const parents = plain.block.map(collect);
  if (parents.some((p) => p === null)) return null;
  const collected = parents as ParentStatement[];
  const cheapValues = new Set(collected.filter((p) => !costlyPart(p.value, ctx)).map((p) => p.statement.id));
  return { guard: { statement: last, condition: plain.condition, cheapValues }, parents: collected };
}

/** Why a `continue` in the body is not a filter the rewrite can apply: a true reason, with the name and line that decide it. */
export function continueRejection(exit: SyntaxNode, changed: Map<string, number>, ctx: CheapContext): { kind: 'loop-carried' | 'unsupported'; message: string; remedy: string; name?: string } {
  const owner = exit.parent?.parent;
  const test = owner ? continueTest(owner) : null;
  const culprit: Culprit | null = test ? costlyPart(test, ctx) : null;
  // a name the work before the test assigns is the iteration's own: the filter comes after the work
  // (the statements before it in its own block, and before each enclosing statement in theirs, up to the loop's body)
  const before: SyntaxNode[] = [];
  for (let at: SyntaxNode | null = test ? owner! : null; at?.parent && at.parent.type === 'block'; ) {
    const here = at;
    before.push(...statementsOf(here.parent).filter((s) => s.endIndex <= here.startIndex));
    const up = here.parent!.parent;
    if (!up || up.type === 'for_statement' || up.type === 'while_statement' || SCOPE_TYPES.has(up.type)) break;
    // an `elif`/`else`/`except` clause's block: the statement that holds it
    at = up.type === 'if_statement' || up.type === 'try_statement' || up.type === 'with_statement' ? up : up.parent;
  }
  if (test && culprit?.node.type === 'identifier' && before.some((s) => boundIn(s, culprit.node.text))) {
    return {
      kind: 'unsupported',
      message: `the \`continue\` at line ${lineOf(exit)} tests \`${culprit.node.text}\`, which the work before it computes`,
      remedy: 'collect every statement that folds results after the test, at the top level of the body, or collect a value (or `None`) for every item and drop the unwanted ones after the loop',
      name: culprit.node.text,
    };
  }
  if (test && culprit?.node.type === 'identifier' && changed.has(culprit.node.text)) {
    const name = culprit.node.text;
    return {
      kind: 'loop-carried',
      message: mayOnly.get(changed)?.has(name)
        ? `whether an item is skipped (\`continue\` at line ${lineOf(exit)}) depends on \`${name}\`, whose method the body calls at line ${changed.get(name)}, which may change it: each iteration's filter may see what the earlier ones did`
        : `whether an item is skipped (\`continue\` at line ${lineOf(exit)}) depends on \`${name}\`, which the body changes at line ${changed.get(name)}: each iteration's filter sees what the earlier ones did`,
      remedy: `filter on the item alone (e.g. de-duplicate the items first: \`dict.fromkeys(items)\`), then map the work`,
      name,
    };
  }
  const where = test ? `the test \`${test.text.split('\n')[0].slice(0, 50)}\` ${culprit ? `uses ${culprit.why}` : 'comes after other work'}` : 'it is not the only statement of an `if` at the top of the body';
  return {
    kind: 'unsupported',
    message: `the \`continue\` at line ${lineOf(exit)} is a filter the rewrite cannot apply in the parent: ${where}`,
    remedy: 'test the item with a cheap expression at the top of the body (`if …: continue`), or compute a value (or `None`) for every item in the pool and drop the filtered ones from the results in the parent',
  };
}

/** The `if` holding a `continue` alone, when that `if` is a top-level statement of the body, or null. */
export function topLevelSkip(exit: SyntaxNode, statements: SyntaxNode[]): SyntaxNode | null {
  const owner = exit.parent?.parent;
  return owner && continueTest(owner) && statements.some((s) => s.id === owner.id) ? owner : null;
}

/**
 * `if <test>: continue` after work, when every statement collecting results is a top-level statement after the
 * last such test: the worker returns whether the item passed, the parent folds it in order when it did.
 */
export function lateFilter(skips: SyntaxNode[], statements: SyntaxNode[], parents: ParentStatement[], ctx: CheapContext): LateFilter | null {
  if (parents.length === 0) return null;
  const lastSkip = Math.max(...skips.map((s) => s.parent!.parent!.endIndex));
  const topLevel = new Set(statements.map((s) => s.id));
  if (!parents.every((p) => topLevel.has(p.statement.id) && p.statement.startIndex >= lastSkip)) return null;
  return { continues: skips, cheapValues: new Set(parents.filter((p) => !costlyPart(p.value, ctx)).map((p) => p.statement.id)) };
}

/** Block statements whose blocks run within one iteration (conditionally or repeatedly), and their blocks. */
function innerBlocks(statement: SyntaxNode): SyntaxNode[] {
  switch (statement.type) {
    case 'if_statement':
    case 'for_statement':
    case 'while_statement':
    case 'with_statement':
    case 'try_statement':
      return namedChildren(statement).flatMap((c) => {
        if (c.type === 'block') return [c];
        if (['elif_clause', 'else_clause', 'except_clause', 'except_group_clause', 'finally_clause'].includes(c.type)) return namedChildren(c).filter((b) => b.type === 'block');
        return [];
      });
    default:
      return [];
  }
}

/**
 * The statements collecting results inside the blocks of `statements` (under an `if`, in an inner loop, a `with`
 * or a `try`), not in nested functions, in source order; `collect` says whether a statement is one.
 */
export function nestedFolds(statements: SyntaxNode[], collect: (s: SyntaxNode) => ParentStatement | null): ParentStatement[] {
  const found: ParentStatement[] = [];
  const visit = (block: SyntaxNode) => {
    for (const s of statementsOf(block)) {
      const p = collect(s);
      if (p) found.push(p);
      else for (const inner of innerBlocks(s)) visit(inner);
    }
  };
  for (const s of statements) for (const inner of innerBlocks(s)) visit(inner);
  return found;
}
