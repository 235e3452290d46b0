// Flow-sensitive reads and writes of plain names in a loop body: which names are read before the iteration
// has written them (upward-exposed), and where each name is written. Their intersection is the set of
// loop-carried dependencies.
import type { SyntaxNode } from '../parser';
import { descendantsNamed, JUMP_STATEMENTS, lineOf, namedChildren, SCOPE_TYPES, spellsName, textIncludes, walk } from '../syntax';
import { bindsNothing, isReadOccurrence, namesBoundBy, withItemPattern } from './scope';

export interface Access {
  name: string;
  line: number;
  node: SyntaxNode;
}

export interface BodyAccesses {
  /** Reads of a name not definitely written earlier in the same iteration, in source order. */
  exposedReads: Access[];
  /** Every write of a plain name, in source order. */
  writes: Access[];
  /** Every read of a plain name, in source order. */
  reads: Access[];
}

/** A `range(…)` of integer literals that yields something, or a non-empty list, tuple, set or string literal. */
function nonEmptyLiteral(n: SyntaxNode | null): boolean {
  if (!n) return false;
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'set') {
    const items = namedChildren(n).filter((c) => c.type !== 'comment');
    return items.length > 0 && items.every((c) => c.type !== 'list_splat');
  }
  if (n.type === 'string') return !/^[a-zA-Z]*(['"]{1,3})\1$/.test(n.text) && !namedChildren(n).some((c) => c.type === 'interpolation');
  if (n.type !== 'call' || n.childForFieldName('function')?.text !== 'range') return false;
  const args = namedChildren(n.childForFieldName('arguments')!).filter((c) => c.type !== 'comment');
  const ints = args.map((a) => (a.type === 'integer' ? Number(a.text.replace(/_/g, '')) : a.type === 'unary_operator' && a.namedChildren[0]?.type === 'integer' && a.text.startsWith('-') ? -Number(a.namedChildren[0].text.replace(/_/g, '')) : NaN));
  if (ints.length === 0 || ints.length > 3 || ints.some((v) => !Number.isInteger(v))) return false;
  const [start, stop, step] = ints.length === 1 ? [0, ints[0], 1] : [ints[0], ints[1], ints[2] ?? 1];
  return step > 0 ? stop > start : step < 0 ? stop < start : false;
}

/** Whether a loop body holds a `break` or `continue` of its own (not of a loop or function nested in it). */
function skipsOwnEnd(body: SyntaxNode | null): boolean {
  let found = false;
  if (body) {
    walk(body, (n) => {
      if (found) return false;
      if (n.type === 'break_statement' || n.type === 'continue_statement') found = true;
      return !['for_statement', 'while_statement', 'function_definition', 'class_definition', 'lambda'].includes(n.type);
    });
  }
  return found;
}

/** The call of a statement that ends the program (`sys.exit(1)`, `exit()`, `os._exit(2)`), as spelled, or null. */
export function programExit(statement: SyntaxNode): string | null {
  const call = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
  const f = call?.type === 'call' ? (call.childForFieldName('function')?.text ?? '') : '';
  return /^(sys\.exit|exit|quit|os\._exit)$/.test(f) ? f : null;
}

/** Values whose evaluation cannot raise: literals, and names already assigned on every path (`assigned`). */
function plainValue(v: SyntaxNode | null, assigned: Set<string>): boolean {
  if (!v) return false;
  if (v.type === 'identifier') return assigned.has(v.text);
  if (['string', 'integer', 'float', 'true', 'false', 'none'].includes(v.type)) return !v.namedChildren.some((c) => c?.type === 'interpolation');
  if (v.type === 'tuple' || v.type === 'expression_list' || v.type === 'list' || v.type === 'parenthesized_expression') return v.namedChildren.every((c) => !!c && (c.type === 'comment' || plainValue(c, assigned)));
  return false;
}

/**
 * The names `s` assigns when it is a plain assignment that cannot raise (`current_url = url`, `n, ok = 0, False`:
 * names on the left, literals and names already assigned on the right), or null for any other statement.
 */
function cannotRaise(s: SyntaxNode, assigned: Set<string>): string[] | null {
  if (s.type !== 'expression_statement' || s.namedChildren.length !== 1) return null;
  const a = s.namedChildren[0]!;
  if (a.type !== 'assignment' || a.childForFieldName('type')) return null;
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  if (!left || !plainValue(right, assigned)) return null;
  if (left.type === 'identifier') return [left.text];
  if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && (right!.type === 'tuple' || right!.type === 'expression_list') && left.namedChildren.length === right!.namedChildren.length && left.namedChildren.every((c) => c?.type === 'identifier')) return left.namedChildren.map((c) => c!.text);
  return null;
}

/**
 * Walks statements in execution order, tracking names definitely assigned on every path so far.
 * `assigned` is the state on entry (e.g. the loop target names).
 */
export function bodyAccesses(statements: SyntaxNode[], assigned: Set<string>): BodyAccesses {
  const result: BodyAccesses = { exposedReads: [], writes: [], reads: [] };
  const read = (node: SyntaxNode, state: Set<string>) => {
    for (const id of readsIn(node)) {
      const access = { name: id.text, line: lineOf(id), node: id };
      result.reads.push(access);
      if (!state.has(id.text)) result.exposedReads.push(access);
    }
  };
  const write = (names: string[], node: SyntaxNode, state: Set<string>) => {
    for (const name of names) {
      result.writes.push({ name, line: lineOf(node), node });
      state.add(name);
    }
  };

  const block = (stmts: SyntaxNode[], state: Set<string>): Set<string> => {
    for (const s of stmts) statement(s, state);
    return state;
  };
  const bodyOf = (n: SyntaxNode | null) => (n ? namedChildren(n).filter((c) => c.type !== 'comment') : []);
  const intersect = (sets: Set<string>[]) => new Set([...sets[0]].filter((x) => sets.every((s) => s.has(x))));
  // a branch whose block leaves (`continue`, `break`, `return`, `raise`) never reaches the code after it: what it
  // did not assign cannot be read there on its account (`try: body = get(u) except E: continue`, then `body`)
  const leaves = (stmts: SyntaxNode[]): boolean => {
    const last = stmts[stmts.length - 1];
    if (!last) return false;
    // nothing after a statement that ends the program runs
    if (JUMP_STATEMENTS.includes(last.type) || programExit(last)) return true;
    if (last.type !== 'if_statement') return false;
    const alternatives = last.childrenForFieldName('alternative').filter((a): a is SyntaxNode => !!a);
    const final = alternatives[alternatives.length - 1];
    if (final?.type !== 'else_clause') return false;
    return leaves(bodyOf(last.childForFieldName('consequence'))) && alternatives.every((a) => leaves(bodyOf(a.type === 'elif_clause' ? a.childForFieldName('consequence') : a.childForFieldName('body'))));
  };
  const joined = (outcomes: Array<{ state: Set<string>; leaves: boolean }>, fallback: Set<string>) => {
    const reaching = outcomes.filter((o) => !o.leaves).map((o) => o.state);
    return reaching.length > 0 ? intersect(reaching) : fallback;
  };

  const statement = (s: SyntaxNode, state: Set<string>): void => {
    switch (s.type) {
      case 'expression_statement':
        for (const child of namedChildren(s)) expression(child, state);
        return;
      case 'if_statement': {
        // a condition may bind with `:=` (`if m := pattern.match(line):`): its targets are written there
        expression(s.childForFieldName('condition')!, state);
        const consequence = bodyOf(s.childForFieldName('consequence'));
        const branches = [{ state: block(consequence, new Set(state)), leaves: leaves(consequence) }];
        let hasElse = false;
        for (const alt of s.childrenForFieldName('alternative')) {
          if (!alt) continue;
          if (alt.type === 'elif_clause') {
            const branchState = new Set(state);
            expression(alt.childForFieldName('condition')!, branchState);
            const stmts = bodyOf(alt.childForFieldName('consequence'));
            branches.push({ state: block(stmts, branchState), leaves: leaves(stmts) });
          } else {
            hasElse = true;
            const stmts = bodyOf(alt.childForFieldName('body'));
            branches.push({ state: block(stmts, new Set(state)), leaves: leaves(stmts) });
          }
        }
        if (!hasElse) branches.push({ state: new Set(state), leaves: false });
        replace(state, joined(branches, state));
        return;
      }
      case 'for_statement': {
        read(s.childForFieldName('right')!, state);
        const inner = new Set(state);
        write(namesBoundBy(s), s.childForFieldName('left')!, inner);
        block(bodyOf(s.childForFieldName('body')), inner);
        const alt = s.childForFieldName('alternative');
        if (alt) block(bodyOf(alt.childForFieldName('body')), new Set(state));
        // the body may run zero times — unless the loop runs over a literal that is not empty (`range(1, 13)`,
        // `("a", "b")`) and nothing in the body skips its end (`break`, `continue`): then it ran, whole, at least once
        if (nonEmptyLiteral(s.childForFieldName('right')) && !skipsOwnEnd(s.childForFieldName('body'))) for (const name of inner) state.add(name);
        return;
      }
      case 'while_statement': {
        expression(s.childForFieldName('condition')!, state);
        block(bodyOf(s.childForFieldName('body')), new Set(state));
        return;
      }
      case 'with_statement': {
        // this statement's own items: a `with` nested in its body evaluates its items when the body reaches it
        const clause = namedChildren(s).find((c) => c.type === 'with_clause');
        for (const item of clause ? descendantsNamed(clause, 'with_item') : []) {
          if (!item) continue;
          const pattern = withItemPattern(item);
          const value = item.childForFieldName('value');
          if (pattern) {
            expression(pattern.namedChildren[0]!, state);
            write(namesBoundBy(pattern), pattern, state);
          } else if (value) expression(value, state);
        }
        block(bodyOf(s.childForFieldName('body')), state);
        return;
      }
      case 'try_statement': {
        const entry = new Set(state);
        const tried = bodyOf(s.childForFieldName('body'));
        // a handler starts after any statement of the body but those leading ones that cannot raise (`current =
        // url` first in the `try`): what they assign is assigned in every handler too
        const handled = new Set(entry);
        for (const t of tried) {
          const names = cannotRaise(t, handled);
          if (!names) break;
          for (const n of names) handled.add(n);
        }
        const outcomes = [{ state: block(tried, new Set(state)), leaves: leaves(tried) }];
        for (const clause of namedChildren(s)) {
          if (clause.type === 'except_clause' || clause.type === 'except_group_clause') {
            const st = new Set(handled);
            let handlerLeaves = false;
            for (const c of namedChildren(clause)) {
              if (c.type === 'block') {
                block(bodyOf(c), st);
                handlerLeaves = leaves(bodyOf(c));
              } else if (c.type === 'as_pattern' && c.namedChildren[0]) {
                // `except E as e:` binds `e` when the handler starts
                read(c.namedChildren[0], st);
                write(namesBoundBy(c), c, st);
              } else read(c, st);
            }
            write(namesBoundBy(clause), clause, st);
            outcomes.push({ state: st, leaves: handlerLeaves });
          } else if (clause.type === 'else_clause') {
            const stmts = bodyOf(clause.childForFieldName('body'));
            block(stmts, outcomes[0].state);
            if (leaves(stmts)) outcomes[0].leaves = true;
          }
        }
        replace(state, joined(outcomes, entry));
        for (const clause of namedChildren(s)) if (clause.type === 'finally_clause') block(bodyOf(namedChildren(clause).find((c) => c.type === 'block') ?? null), state);
        return;
      }
      case 'match_statement': {
        read(s.childForFieldName('subject')!, state);
        const outcomes: Set<string>[] = [new Set(state)];
        for (const c of descendantsNamed(s, 'case_clause')) {
          if (!c) continue;
          const st = new Set(state);
          // pattern captures are treated as writes
          walk(c, (n) => {
            if (n.type === 'block') {
              block(bodyOf(n), st);
              return false;
            }
            if (n.type === 'identifier' && n.parent?.type === 'case_pattern') write([n.text], n, st);
            return true;
          });
          outcomes.push(st);
        }
        replace(state, intersect(outcomes));
        return;
      }
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition': {
        const def = s.type === 'decorated_definition' ? s.childForFieldName('definition')! : s;
        // decorators, defaults and bases are evaluated now; the body runs later (its free reads count now)
        read(s, state);
        const name = def.childForFieldName('name');
        if (name) write([name.text], def, state);
        return;
      }
      case 'import_statement':
      case 'import_from_statement':
      case 'delete_statement':
        write(namesBoundBy(s), s, state);
        if (s.type === 'delete_statement') for (const n of namesBoundBy(s)) state.delete(n);
        return;
      case 'global_statement':
      case 'nonlocal_statement':
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
        return;
      default:
        // return, raise, assert, print-like statements, anything else: reads only (and what a `:=` binds)
        expression(s, state);
    }
  };

  const expression = (e: SyntaxNode, state: Set<string>): void => {
    if (e.type === 'assignment') {
      const right = e.childForFieldName('right');
      if (right) expression(right, state);
      const left = e.childForFieldName('left')!;
      read(left, state); // subscripts and attributes in the target read their base names
      write(namesBoundBy(e), left, state);
      return;
    }
    if (e.type === 'augmented_assignment') {
      const right = e.childForFieldName('right');
      const left = e.childForFieldName('left')!;
      read(left, state);
      if (right) expression(right, state);
      write(namesBoundBy(e), left, state);
      return;
    }
    read(e, state);
    // walrus targets bind after their value is read (none without `:=` in the text)
    if (textIncludes(e, ':=')) walk(e, (n) => {
      if (n.type === 'named_expression') write(namesBoundBy(n), n, state);
      return !(n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition');
    });
  };

  block(statements, new Set(assigned));
  return result;
}

function replace(target: Set<string>, source: Set<string>): void {
  target.clear();
  for (const x of source) target.add(x);
}

/**
 * Identifier reads in a subtree in source order, including free reads inside lambdas, comprehensions and
 * nested defs (a closure reads the current value when it runs); names those nested scopes bind are skipped.
 */
export function readsIn(node: SyntaxNode): readonly SyntaxNode[] {
  // the liveness scans of every loop in a scope ask again for the same nested functions and names
  let reads = readsCache.get(node);
  if (!reads) {
    reads = collectReads(node);
    readsCache.set(node, reads);
  }
  return reads;
}

const readsCache = new WeakMap<SyntaxNode, readonly SyntaxNode[]>();

function collectReads(node: SyntaxNode): SyntaxNode[] {
  const reads: SyntaxNode[] = [];
  // `nested`: `n` is a child of a scope already entered, so if it is a scope itself (the inner comprehension of
  // `[[p[i] for i in r] for p in ps]`, a lambda's body that is a lambda) its own bindings count too
  const visit = (n: SyntaxNode, shadowed: Set<string>, nested = false) => {
    walk(n, (m) => {
      if ((m.id !== n.id || nested) && SCOPE_TYPES.has(m.type)) {
        const inner = new Set(shadowed);
        for (const name of nestedScopeBindings(m)) inner.add(name);
        for (const child of namedChildren(m)) visit(child, inner, true);
        return false;
      }
      if (m.type === 'identifier' && !shadowed.has(m.text) && isReadOccurrence(m)) reads.push(m);
      return true;
    });
  };
  if (SCOPE_TYPES.has(node.type)) {
    const inner = new Set(nestedScopeBindings(node));
    for (const child of namedChildren(node)) visit(child, inner, true);
  } else visit(node, new Set());
  reads.sort((a, b) => a.startIndex - b.startIndex);
  return reads;
}

/** Names bound inside a nested scope node (parameters, comprehension variables, local assignments). */
function nestedScopeBindings(scopeNode: SyntaxNode): string[] {
  const names: string[] = [];
  if (scopeNode.type === 'lambda' || scopeNode.type === 'function_definition') {
    const params = scopeNode.childForFieldName('parameters');
    if (params) {
      walk(params, (p) => {
        if (p.type === 'identifier' && p.parent && !['default_parameter', 'typed_default_parameter'].includes(p.parent.type)) names.push(p.text);
        if (p.type === 'identifier' && p.parent && ['default_parameter', 'typed_default_parameter'].includes(p.parent.type) && p.parent.childForFieldName('name')?.id === p.id) names.push(p.text);
        return p.type !== 'type';
      });
    }
  }
  // a plain expression binds nothing, unless it holds `:=` or `with (x as y)`'s pattern (which spells `as`)
  const skipped = (n: SyntaxNode) => SCOPE_TYPES.has(n.type) || (bindsNothing(n) && !spellsName(n, 'as', n.startIndex, n.endIndex));
  walk(scopeNode, (n) => {
    if (n.id !== scopeNode.id && skipped(n)) return false;
    if (n.type !== 'named_expression' || scopeNode.type === 'function_definition') names.push(...namesBoundBy(n));
    return true;
  });
  return names;
}
