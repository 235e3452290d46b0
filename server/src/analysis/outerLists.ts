// The guide's Pattern 3 as written: nested loops building a list of lists from two sequences,
// `row.append(a[i] * b[j])` then `result.append(row)`, in a module that imports NumPy. The plan replaces the
// list, the loops and the appends with one NumPy expression (`np.outer(a, b).tolist()`), keeping what the
// loops left behind: a list of lists whose elements have the types the loop computed.
import type { SyntaxNode } from '../parser';
import { boundNames, enclosingFunction, namedChildren, statementsOf, walk } from '../syntax';
import { type ArrayFact, ArrayScope, type DType } from './arrays';
import { liveAfter } from './loops';
import type { ModuleInfo } from './scope';
import {
  arrayDoubts,
  expressionOf,
  knownProduct,
  type Leaf,
  miss,
  numericList,
  operatorDoubts,
  previousStatement,
  type Result,
  translate,
  type VectorPlan,
} from './vectorizable';

/**
 * Below this many elements the loop is faster: measured with /usr/bin/python3 and NumPy 1.24 (one run, ratios only),
 * building the list of lists from two float lists took 0.85× the loop's time at 8 × 8 and ran 1.5× faster at
 * 16 × 16 (from NumPy arrays: 0.7× and 6×): the conversions in and out (`np.asarray`, `.tolist()`) cost more
 * than 64 products.
 */
export const OUTER_LIST_MIN_ELEMENTS = 256;

/** One of the two sequences a row or a column comes from, and how the loop reaches its items. */
interface Side {
  /** The sequence's name (`a`), or null while unknown. */
  name: string;
  /** The loop variable: the index (`i` in `a[i]`) or the item itself (`x` in `for x in a`). */
  variable: string;
  by: 'index' | 'item';
  array: ArrayFact | null;
  list: ReturnType<typeof numericList>;
}

/** `for i in range(len(a))` → index side of `a`; `for x in a` → item side of `a`; anything else: null. */
function sideOf(loop: SyntaxNode, scope: ArrayScope): Side | null {
  const target = loop.childForFieldName('left');
  const iterable = loop.childForFieldName('right');
  if (target?.type !== 'identifier' || !iterable) return null;
  let name: string | null = null;
  let by: Side['by'] = 'item';
  if (iterable.type === 'identifier') name = iterable.text;
  else if (iterable.type === 'call' && iterable.childForFieldName('function')?.text === 'range' && !scope.binds('range')) {
    const args = namedChildren(iterable.childForFieldName('arguments')!);
    const sized = args.length === 1 ? args[0] : args.length === 2 && args[0].type === 'integer' && Number(args[0].text) === 0 ? args[1] : null;
    const measured = sized?.type === 'call' && sized.childForFieldName('function')?.text === 'len' && !scope.binds('len') ? namedChildren(sized.childForFieldName('arguments')!) : [];
    if (measured.length === 1 && measured[0].type === 'identifier') {
      name = measured[0].text;
      by = 'index';
    }
  }
  if (!name || name === target.text) return null;
  return { name, variable: target.text, by, array: scope.array(name), list: scope.array(name) ? null : numericList(name, scope) };
}

/** `name = []` as a plain statement. */
function emptyListAssigned(statement: SyntaxNode | null): string | null {
  const e = statement && expressionOf(statement);
  if (e?.type !== 'assignment' || e.childForFieldName('left')?.type !== 'identifier' || e.childForFieldName('right')?.text.replace(/\s/g, '') !== '[]') return null;
  return e.childForFieldName('left')!.text;
}

/** `list.append(value)` as a plain statement: the list's name and the value. */
function appended(statement: SyntaxNode | null): { list: string; value: SyntaxNode } | null {
  const call = statement && expressionOf(statement);
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  const args = call?.type === 'call' ? namedChildren(call.childForFieldName('arguments')!) : [];
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'append' || fn.childForFieldName('object')?.type !== 'identifier' || args.length !== 1 || args[0].type === 'keyword_argument') return null;
  return { list: fn.childForFieldName('object')!.text, value: args[0] };
}

interface RowShape {
  /** The row list (null when each row is a comprehension). */
  row: string | null;
  /** The inner `for` statement, or the comprehension's `for … in …` clause. */
  inner: SyntaxNode;
  cell: { list: string; value: SyntaxNode };
  result: string;
}

/** `row = []` / `for j …: row.append(v)` / `result.append(row)`. */
function rowLoop(body: SyntaxNode[]): RowShape | null {
  if (body[1].type !== 'for_statement' || body[1].childForFieldName('alternative') || body[1].children.some((c) => c.type === 'async')) return null;
  const row = emptyListAssigned(body[0]);
  const collect = appended(body[2]);
  const innerBody = statementsOf(body[1].childForFieldName('body'));
  const cell = innerBody.length === 1 ? appended(innerBody[0]) : null;
  if (!row || !collect || collect.value.text !== row || !cell || cell.list !== row) return null;
  return { row, inner: body[1], cell, result: collect.list };
}

/** `result.append([v for j in …])`: one `for` clause, no `if`. */
function rowComprehension(statement: SyntaxNode): RowShape | null {
  const collect = appended(statement);
  const comprehension = collect?.value;
  if (comprehension?.type !== 'list_comprehension') return null;
  const clauses = namedChildren(comprehension).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
  const value = comprehension.childForFieldName('body');
  if (clauses.length !== 1 || clauses[0].type !== 'for_in_clause' || clauses[0].children.some((c) => c.type === 'async') || !value) return null;
  return { row: null, inner: clauses[0], cell: { list: '', value }, result: collect!.list };
}

/**
 * ```
 * result = []
 * for i in range(len(a)):
 *     row = []
 *     for j in range(len(b)):
 *         row.append(a[i] * b[j])
 *     result.append(row)
 * ```
 */
export function matchOuterLists(loop: SyntaxNode, module: ModuleInfo): Result<VectorPlan> | null {
  if (loop.type !== 'for_statement' || loop.childForFieldName('alternative') || loop.children.some((c) => c.type === 'async')) return null;
  const body = statementsOf(loop.childForFieldName('body'));
  const shape = body.length === 3 ? rowLoop(body) : body.length === 1 ? rowComprehension(body[0]) : null;
  if (!shape) return null;
  const { row, inner, cell, result } = shape;
  const scope = new ArrayScope(module, loop);
  if (!scope.numpy) return null; // a module that does not use NumPy is not told to start
  const rows = sideOf(loop, scope);
  const cols = sideOf(inner, scope);
  if (!rows || !cols || rows.variable === cols.variable) return null;
  for (const side of [rows, cols]) {
    if (side.array?.shape && side.array.shape.length !== 1) return miss(`\`${side.name}\` is a ${side.array.shape.length}-D array: its items are rows, not numbers`, loop);
    let made = scope.definition(side.name)?.value;
    // `["ab", "cd"] * 100`: the items of the literal
    if (made?.type === 'binary_operator' && made.childForFieldName('operator')?.text === '*') made = [made.childForFieldName('left'), made.childForFieldName('right')].find((x) => x?.type === 'list') ?? made;
    if (made?.type === 'list' && namedChildren(made).some((x) => x.type === 'string' || x.type === 'list' || x.type === 'none')) {
      return miss(`\`${side.name}\` holds items that are not numbers: \`*\` on them is not arithmetic, and NumPy would not compute what the loop does`, made);
    }
  }
  // from here on the loop is Pattern 3: a miss is explained
  if (emptyListAssigned(previousStatement(loop)) !== result) return miss(`\`${result}\` is not an empty list created right before the loop`, loop);
  if (!scope.boundOnce(result)) return miss(`\`${result}\` is bound more than once`, loop);
  for (const name of row ? [result, row] : [result]) {
    let read: SyntaxNode | null = null;
    walk(cell.value, (n) => {
      if (n.type === 'identifier' && n.text === name) read ??= n;
      return true;
    });
    if (read) return miss(`\`${name}\` is read while it is being built: each row would depend on the rows before it`, read);
  }
  for (const side of [rows, cols]) if (side.name === result || side.name === row) return miss(`\`${side.name}\` is read while it is being built`, loop);
  const np = scope.numpy;
  const asArray = (side: Side) => (side.array ? side.name : `${np}.asarray(${side.name})`);
  const used = new Set<Side>();
  const leaf = (n: SyntaxNode): Leaf => {
    if (n.type === 'identifier') {
      for (const side of [rows, cols]) {
        if (n.text !== side.variable) continue;
        if (side.by === 'index') return { miss: `the index \`${n.text}\` is used as a value` };
        used.add(side);
        return { text: side === rows ? `${asArray(side)}[:, ${np}.newaxis]` : asArray(side), ...(side.array ? { array: side.array } : {}) };
      }
      if (n.text === rows.name || n.text === cols.name) return { miss: `\`${n.text}\` is read whole, not item by item` };
      return undefined;
    }
    if (n.type !== 'subscript') return n.type === 'attribute' ? { miss: `\`${n.text}\` has no element-wise translation` } : undefined;
    const object = n.childForFieldName('value');
    const keys = n.childrenForFieldName('subscript');
    const side = [rows, cols].find((s) => s.by === 'index' && object?.text === s.name && keys.length === 1 && keys[0]?.text === s.variable);
    if (!side) return { miss: `\`${n.text}\` is not an item of \`${rows.name}\` or \`${cols.name}\` at the loop's own index` };
    used.add(side);
    return { text: side === rows ? `${asArray(side)}[:, ${np}.newaxis]` : asArray(side), ...(side.array ? { array: side.array } : {}) };
  };
  const t = translate(cell.value, scope, leaf, 'numpy');
  if (!t.ok) return t;
  if (used.size !== 2) return miss('each element does not combine an item of both sequences: there is no outer product to take', cell.value);
  // `a[i] * b[j]` exactly: the outer product
  const product = cell.value.type === 'binary_operator' && cell.value.childForFieldName('operator')?.text === '*' && [cell.value.childForFieldName('left'), cell.value.childForFieldName('right')].every((x) => x && (x.type === 'subscript' || x.type === 'identifier'));
  // (multiplication commutes exactly, so `b[j] * a[i]` is the same outer product)
  const outer = product ? `${np}.outer(${rows.name}, ${cols.name})` : t.value.text;

  const doubts: string[] = [];
  const arrays = [rows, cols].filter((s) => s.array).map((s) => s.array!);
  doubts.push(...arrayDoubts(arrays, null, true));
  for (const side of [rows, cols]) {
    if (side.array && !side.array.shape) doubts.push(`the shape of \`${side.name}\` is not known: the rewrite assumes a 1-D array (\`np.outer\` flattens anything else; the loop would build rows of rows)`);
    if (side.array?.mayAlias) doubts.push(`\`${side.name}\`: ${side.array.mayAlias}`);
    if (!side.array && !side.list) doubts.push(`the items of \`${side.name}\` are not proven to be numbers: on strings, \`None\` or nested lists the loop computes something else (\`*\` repeats a string) or raises where NumPy does not`);
  }
  const dtypes: DType[] = [rows, cols].map((s) => s.array?.dtype ?? s.list?.dtype ?? 'unknown');
  const pythonNumbers = !rows.array && !cols.array;
  if (pythonNumbers && dtypes.every((d) => d === 'int64')) doubts.push('both lists hold integers: Python integers never overflow, NumPy int64 wraps around silently');
  if (pythonNumbers && t.value.mayDivideByZero) doubts.push('division by zero raises `ZeroDivisionError` on Python numbers; NumPy returns inf or nan with a warning');
  doubts.push(...t.value.doubts, ...operatorDoubts(t.value.operators));

  // what the loops leave behind: a list of lists of Python numbers (`.tolist()`), or of NumPy scalars when an
  // operand is an array (`list(r)` of each row keeps them); as an array when it is only ever converted to one
  const asArrayOnly = onlyConvertedToArray(result, loop, module, np);
  const statement = asArrayOnly ? `${result} = ${outer}` : pythonNumbers ? `${result} = ${parenthesised(outer)}.tolist()` : `${result} = [list(r) for r in ${outer}]`;
  // (a comprehension's variable does not outlive it)
  const names = new Set([...(row ? [row] : []), ...boundNames(loop.childForFieldName('left')), ...(row ? boundNames(inner.childForFieldName('left')) : [])]);
  for (const [name, line] of liveAfter(loop, names, module)) return miss(`\`${name}\` is read after the loop (line ${line}); the vectorised form does not leave it behind`, loop);
  const lengths = [rows, cols].map((s) => (s.array?.shape?.length === 1 ? s.array.shape[0] : s.list?.length !== undefined ? String(s.list.length) : 'unknown'));
  const elements = knownProduct(lengths);
  return {
    ok: true,
    value: {
      rule: 'PAR301',
      node: loop,
      first: previousStatement(loop)!,
      last: loop,
      statement,
      why: `element (${rows.variable}, ${cols.variable}) is computed from item ${rows.variable} of \`${rows.name}\` and item ${cols.variable} of \`${cols.name}\` only, and the rows are appended in order, one per item of \`${rows.name}\``,
      shape: product ? 'an outer product (a list of lists)' : 'a broadcast element-wise expression (a list of lists)',
      evidence: [rows, cols].map((s) => s.array?.evidence ?? s.list?.evidence ?? `\`${s.name}\` is a sequence of unknown items`),
      doubts: [...new Set(doubts)],
      risks: [
        '**Floating point:** on floats each element is one IEEE operation, as in the loop: the values are bit-identical.',
        asArrayOnly
          ? `**Types:** \`${result}\` is only ever converted to an array (\`${np}.array(${result})\`), so it is built as one directly.`
          : pythonNumbers
            ? `**Types:** \`.tolist()\` gives back a list of lists of Python numbers, as the loop built.`
            : `**Types:** \`list(r)\` of each row keeps the NumPy scalars the loop built (\`.tolist()\` would turn them into Python numbers).`,
        `**Memory:** the whole table is built as one array first${asArrayOnly ? '' : ', then converted to lists'}.`,
      ],
      elements,
      minElements: OUTER_LIST_MIN_ELEMENTS,
      writes: row
        ? `\`${row}.append(…)\` and \`${result}.append(${row})\` only build new lists, one per iteration, in order: nothing outside the loop is changed`
        : `\`${result}.append([…])\` only appends a new list per iteration, in order: nothing outside the loop is changed`,
    },
  };
}

function parenthesised(text: string): string {
  return /^[\w.]+\(.*\)$/s.test(text) && balanced(text) ? text : `(${text})`;
}

/** Whether `text` is one call whose closing parenthesis is the last character (not `f(a) * g(b)`). */
function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i !== text.length - 1) return false;
  }
  return depth === 0;
}

/** Every read of `name` after the loop is `np.array(name)` / `np.asarray(name)`: it is only used as an array. */
function onlyConvertedToArray(name: string, loop: SyntaxNode, module: ModuleInfo, np: string): boolean {
  const scopeNode = enclosingFunction(loop) ?? module.root;
  let reads = 0;
  let converted = 0;
  walk(scopeNode, (n) => {
    if (n.type !== 'identifier' || n.text !== name || n.startIndex < loop.endIndex) return true;
    reads++;
    const call = n.parent?.parent;
    const callee = call?.type === 'call' ? call.childForFieldName('function')?.text : null;
    if (n.parent?.type === 'argument_list' && namedChildren(n.parent).length === 1 && (callee === `${np}.array` || callee === `${np}.asarray`)) converted++;
    return true;
  });
  return reads > 0 && reads === converted;
}
