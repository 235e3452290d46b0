// Element stores at the loop's own indices (`table[i, j] = …` inside `for i …: for j …:`): every iteration
// writes different elements and none reads another's, so they are disjoint writes, not shared state. A pool
// still cannot make them (each worker process would write into its own copy of the array), so the loop is
// turned away with that reason and a remedy that can: vectorise, or return each row and store it in the parent.
import type { SyntaxNode } from '../parser';
import { boundNames, descendantsNamed, lineOf, walk } from '../syntax';
import { ArrayScope } from './arrays';
import type { ModuleInfo } from './scope';

export interface DisjointStore {
  message: string;
  remedy: string;
  line: number;
}

/**
 * The write to `name` at `line` when it is `name[i, …] = …` (or `name[i][j] = …`) with the indices the loop's own
 * variable and the variables of loops nested in it, `name` being read nowhere else in the loop but at that element
 * (`if band1[i, j] < 0: band1[i, j] = 0`); null otherwise.
 */
export function disjointElementStore(loop: SyntaxNode, name: string, line: number, module: ModuleInfo): DisjointStore | null {
  const target = loop.childForFieldName('left');
  const body = loop.childForFieldName('body');
  if (target?.type !== 'identifier' || !body) return null;
  const own = target.text;
  // the variables of the inner loops, found once an index other than the loop's own needs them
  let inner: Set<string> | undefined;
  const innerNames = () => (inner ??= new Set(descendantsNamed(body, 'for_statement').flatMap((f) => boundNames(f.childForFieldName('left')))));
  // names the loop binds (its variables, assignments): an offset must be none of them to keep the index one-to-one
  const bound = new Set([own, ...innerNames(), ...descendantsNamed(body, 'assignment').flatMap((a) => boundNames(a.childForFieldName('left')))]);
  const invariant = (n: SyntaxNode) => n.type === 'integer' || (n.type === 'identifier' && !bound.has(n.text));
  let store: SyntaxNode | null = null;
  let other = false;
  // reads of an element outside the store (`if band1[i, j] < 0:`): allowed only of the element the store writes
  const reads: Array<string[] | null> = [];
  walk(body, (n) => {
    if (other) return false;
    if (n.type === 'assignment' && lineOf(n) === line && !store) {
      const indices = elementIndices(n.childForFieldName('left'), name, invariant);
      if (indices && indices.includes(own) && indices.every((x) => x === own || (innerNames().has(x) && x !== own)) && new Set(indices).size === indices.length) {
        store = n;
        // the value must not read the array (that would be a recurrence between elements)
        walk(n.childForFieldName('right')!, (r) => {
          if (r.type === 'identifier' && r.text === name) other = true;
          return !other;
        });
        return false;
      }
    }
    if (n.type === 'identifier' && n.text === name && !(store && isWithin(n, store))) reads.push(elementRead(n, invariant));
    return true;
  });
  if (!store || other) return null;
  const written = elementIndices((store as SyntaxNode).childForFieldName('left'), name, invariant, true)!.join(',');
  if (reads.some((r) => r?.join(',') !== written)) return null;
  const left = (store as SyntaxNode).childForFieldName('left')!;
  // `grid[i][j]` on a list of lists: the rows may be one list (`[[0] * m] * n`), so different `i` may write the
  // same element; only a NumPy array's `a[i][j]` is its own element
  if (left.childForFieldName('value')?.type === 'subscript' && !new ArrayScope(module, loop).array(name)) return null;
  const text = left.text;
  const array = new ArrayScope(module, loop).array(name) !== null;
  return {
    message: `\`${text} = …\` stores into the elements at this iteration's own index \`${own}\`: each iteration writes different elements of \`${name}\` and none reads another's, so these are disjoint writes, not shared state — but a worker process would write them into its own copy of \`${name}\`, and the pool rewrite does not send them back`,
    remedy: array
      ? `vectorise the element expression with NumPy when it is arithmetic (PAR301), or compute each row in the iteration, return it, and store it in the parent (\`${name}[${written.split(',')[0]}] = row\`)`
      : `compute the iteration's values in the iteration, return them with their indices, and store them in the parent, in order`,
    line,
  };
}

/**
 * `name[i, j]` / `name[i][j]` with plain names as indices, or a name shifted by an offset the loop does not change
 * (`out[i - pad, j - pad]`, one-to-one as the name is): the names (`spelled`: the indices as written); null otherwise.
 */
function elementIndices(left: SyntaxNode | null, name: string, invariant: (n: SyntaxNode) => boolean, spelled = false): string[] | null {
  const indices: string[] = [];
  const base = (k: SyntaxNode | null): string | null => {
    if (k?.type === 'identifier') return k.text;
    if (k?.type !== 'binary_operator' || !['+', '-'].includes(k.childForFieldName('operator')?.text ?? '')) return null;
    const l = k.childForFieldName('left');
    const r = k.childForFieldName('right');
    if (l?.type === 'identifier' && r && invariant(r)) return l.text;
    return k.childForFieldName('operator')?.text === '+' && r?.type === 'identifier' && l && invariant(l) ? r.text : null;
  };
  let n = left;
  while (n?.type === 'subscript') {
    const keys = n.childrenForFieldName('subscript');
    const names = keys.map(base);
    if (names.some((x) => x === null)) return null;
    indices.unshift(...(spelled ? keys.map((k) => k!.text.replace(/\s+/g, '')) : (names as string[])));
    n = n.childForFieldName('value');
  }
  return n?.type === 'identifier' && n.text === name && indices.length > 0 ? indices : null;
}

/** The plain-name indices of the element a use of an array name reads (`band1[i, j]` → `i, j`); null for another use. */
function elementRead(id: SyntaxNode, invariant: (n: SyntaxNode) => boolean): string[] | null {
  let top = id;
  while (top.parent?.type === 'subscript' && top.parent.childForFieldName('value')?.id === top.id) top = top.parent;
  if (top.id === id.id) return null;
  return elementIndices(top, id.text, invariant, true);
}

function isWithin(node: SyntaxNode, outer: SyntaxNode): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}
