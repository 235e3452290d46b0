// Which inner loops of an iteration are one pass over the item's own data (`for ch in word`, `[root / d for d in
// dirs]`, `while i < len(numerals) - 1: … i += 1`): their trip count is the item's length, so the work of all items
// grows with the size of the input, not faster. The cost model uses it to judge cheap passes of unknown length.
import type { SyntaxNode } from '../parser';
import { namedChildren, walk } from '../syntax';
import { readsIn } from './dependence';

const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/** Names bound in `nodes` from values that read the names in `seed` (the loop variables), with `seed` itself. */
export function derivedNames(nodes: readonly SyntaxNode[], seed: Iterable<string>): Set<string> {
  const names = new Set(seed);
  const readsItem = (n: SyntaxNode | null) => !!n && readsIn(n).some((r) => names.has(r.text));
  const bind = (target: SyntaxNode | null) => {
    if (!target) return false;
    let grew = false;
    walk(target, (t) => {
      if (t.type === 'identifier' && !names.has(t.text)) {
        names.add(t.text);
        grew = true;
      }
      return t.type !== 'subscript' && t.type !== 'attribute';
    });
    return grew;
  };
  for (let pass = 0, grew = true; grew && pass < 5; pass++) {
    grew = false;
    for (const root of nodes) {
      walk(root, (n) => {
        if (n.id !== root.id && SCOPES.has(n.type)) return false;
        if ((n.type === 'assignment' || n.type === 'augmented_assignment') && readsItem(n.childForFieldName('right'))) grew = bind(n.childForFieldName('left')) || grew;
        if ((n.type === 'for_statement' || n.type === 'for_in_clause') && readsItem(n.childForFieldName('right'))) grew = bind(n.childForFieldName('left')) || grew;
        return true;
      });
    }
  }
  return names;
}

const WRAPPERS = new Set(['enumerate', 'reversed', 'sorted', 'list', 'tuple', 'set', 'zip', 'iter']);

/**
 * Whether a `for` loop's iterable is the item's own data: it reads names derived from the item and nothing else
 * but their elements, their length and wrappers that keep the length (`enumerate`, `reversed`, `zip`); a `range`
 * only as `range(len(x))`. `range(n)` of an item that is a number is not data: its trip count is unbounded.
 */
export function overItemData(iterable: SyntaxNode | null, items: ReadonlySet<string>): boolean {
  if (!iterable || items.size === 0) return false;
  let ok = true;
  let readsItem = false;
  walk(iterable, (n) => {
    if (!ok) return false;
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      const args = namedChildren(n.childForFieldName('arguments')!);
      if (f?.type === 'identifier' && f.text === 'range') {
        ok = args.length === 1 && isLengthOf(args[0], items);
        if (ok) readsItem = true;
        return false;
      }
      if (f?.type === 'identifier' && (WRAPPERS.has(f.text) || f.text === 'len')) return true;
      if (f?.type === 'attribute') return true; // `s.split()`, `d.items()`: the receiver decides
      ok = false;
      return false;
    }
    if (n.type === 'identifier') {
      const parent = n.parent;
      if (parent?.type === 'call' && parent.childForFieldName('function')?.id === n.id) return true;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === n.id) return true;
      if (items.has(n.text)) readsItem = true;
      else ok = false;
    }
    return true;
  });
  return ok && readsItem;
}

/** `len(x)` or `len(x) - k` of a name derived from the item. */
function isLengthOf(n: SyntaxNode, items: ReadonlySet<string>): boolean {
  if (n.type === 'binary_operator' && n.childForFieldName('operator')?.text === '-' && n.childForFieldName('right')?.type === 'integer') n = n.childForFieldName('left')!;
  if (n.type !== 'call' || n.childForFieldName('function')?.text !== 'len') return false;
  const args = namedChildren(n.childForFieldName('arguments')!);
  return args.length === 1 && args[0].type === 'identifier' && items.has(args[0].text);
}

/** A `while` loop walking an index over the item's data: `while i < len(x) [- k]:` whose body steps `i += 1`. */
export function indexWalk(loop: SyntaxNode, items: ReadonlySet<string>): boolean {
  const condition = loop.childForFieldName('condition');
  if (condition?.type !== 'comparison_operator') return false;
  const [left, right] = namedChildren(condition);
  if (namedChildren(condition).length !== 2 || left?.type !== 'identifier' || !right || !/^<=?$/.test(condition.children[1]?.text ?? '')) return false;
  if (!isLengthOf(right, items)) return false;
  let steps = 0;
  let other = false;
  walk(loop.childForFieldName('body')!, (n) => {
    if (SCOPES.has(n.type)) return false;
    if ((n.type === 'assignment' || n.type === 'augmented_assignment') && n.childForFieldName('left')?.text === left.text) {
      if (n.type === 'augmented_assignment' && n.children[1]?.text === '+=' && n.childForFieldName('right')?.type === 'integer' && Number(n.childForFieldName('right')!.text) > 0) steps++;
      else other = true;
    }
    return true;
  });
  return steps > 0 && !other;
}

/**
 * Whether a loop `for j in range(width)` walks the item's row of shared data: the width reads nothing of the item,
 * and `j` is used only as the index after one the item gives (`m[i][j]`), or passed together with such an index
 * (`other.component(i, j)`). Every element of the data then belongs to one item: the work of all items is one pass
 * over it. A use of `j` alone (`v[j]`, `b[k][j]`) reads data every item shares, which is not a pass.
 */
export function rowPass(target: SyntaxNode | null | undefined, iterable: SyntaxNode | null, body: readonly SyntaxNode[], items: ReadonlySet<string>): boolean {
  if (items.size === 0 || target?.type !== 'identifier' || iterable?.type !== 'call' || iterable.childForFieldName('function')?.text !== 'range') return false;
  const bounds = namedChildren(iterable.childForFieldName('arguments')!);
  if (bounds.length === 0 || bounds.length > 2 || bounds.some((b) => readsIn(b).some((r) => items.has(r.text)))) return false;
  const j = target.text;
  const fromItem = (n: SyntaxNode | null | undefined) => !!n && readsIn(n).some((r) => items.has(r.text)) && !readsIn(n).some((r) => r.text === j);
  let uses = 0;
  let ok = true;
  for (const root of body) {
    walk(root, (n) => {
      if (!ok) return false;
      if (n.type !== 'identifier' || n.text !== j) return true;
      const parent = n.parent;
      if (parent?.type === 'subscript' && parent.childForFieldName('subscript')?.id === n.id) {
        const value = parent.childForFieldName('value');
        if (value?.type === 'subscript' && fromItem(value.childForFieldName('subscript'))) uses++;
        else ok = false;
      } else if (parent?.type === 'argument_list') {
        if (namedChildren(parent).some((a) => a.id !== n.id && fromItem(a))) uses++;
        else ok = false;
      } else ok = false;
      return true;
    });
  }
  return ok && uses > 0;
}
