// Recognises the loops NumPy or pandas can run as one vectorised expression, strictly by shape: an
// element-wise loop over 1-D arrays (PAR302), nested index loops computing an outer / broadcast / matrix
// product (PAR301), a pandas row loop computing a column (PAR303). The result is a plan: the statements
// to replace, the new statement, the evidence, and what could not be proven (which makes the fix unsafe).
import type { SyntaxNode } from '../parser';
import { boundNames, descendantsNamed, dottedName, enclosingFunction, lineOf, namedChildren, statementsOf, walk } from '../syntax';
import { liveAfter } from './loops';
import { intValue } from './cost';
import { type ArrayFact, ArrayScope, type DType, literalShape, stringValue } from './arrays';
import { rowAttributeIsColumn } from './pandasNames';
import type { ModuleInfo } from './scope';

export type VectorRule = 'PAR301' | 'PAR302' | 'PAR303';

export interface VectorPlan {
  rule: VectorRule;
  /** The node the diagnostic sits on: the (outer) `for`, or the `apply` call. */
  node: SyntaxNode;
  /** First and last statement replaced (or, for `apply`, the call replaced by `statement`). */
  first: SyntaxNode;
  last: SyntaxNode;
  /** The replacement: one statement (or the expression replacing the `apply` call). */
  statement: string;
  /** What the loop computes, for the message: "an outer product", "element-wise arithmetic". */
  shape: string;
  /** Why the operands are NumPy arrays / a DataFrame. */
  evidence: string[];
  /** What could not be proven: the fix is unsafe when there is any. */
  doubts: string[];
  /** Risks that remain after the rewrite (hover). */
  risks: string[];
  /** Total element count when known (for min-iterations). */
  elements?: number;
  /** The element count below which the loop is measured to be faster than the rewrite (conversions in and out). */
  minElements?: number;
  /** Why the rewrite computes the same values, when the rule's general sentence does not fit. */
  why?: string;
  /** Why the writes of the loop are not shared state, for the hover (`out[i, j]`: disjoint element stores). */
  writes?: string;
  /** Other vectorised forms of the same statement (offered as further fixes, in order). */
  alternatives?: Array<{ title: string; statement: string }>;
}

/** A loop that indexes known NumPy arrays (or walks DataFrame rows) but that no rule can vectorise: why. */
export interface VectorMiss {
  reason: string;
  line: number;
}

const FLOAT_SAFE_OPS = new Set(['+', '-', '*', '/']);
const OTHER_OPS = new Set(['//', '%', '**']);
/** Ufuncs that are correctly rounded (IEEE): the array loop gives the same bits as the scalar call. */
const EXACT_UFUNCS = new Set(['sqrt', 'abs', 'absolute', 'fabs', 'negative', 'square', 'floor', 'ceil', 'trunc', 'rint']);
const OTHER_UFUNCS = new Set(['exp', 'expm1', 'exp2', 'log', 'log1p', 'log2', 'log10', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'cbrt']);
const MATH_TO_NUMPY: Record<string, string> = { sqrt: 'sqrt', exp: 'exp', log1p: 'log1p', log2: 'log2', log10: 'log10', sin: 'sin', cos: 'cos', tan: 'tan', fabs: 'fabs', tanh: 'tanh', expm1: 'expm1' };

export type Result<T> = { ok: true; value: T } | { ok: false; miss: VectorMiss };
export const miss = (reason: string, node: SyntaxNode): { ok: false; miss: VectorMiss } => ({ ok: false, miss: { reason, line: lineOf(node) } });

/** How the translator maps a leaf of the element expression (a subscript, a name, a row access). */
export type Leaf = { text: string; array?: ArrayFact; column?: string } | { miss: string } | undefined;

interface Translation {
  text: string;
  arrays: ArrayFact[];
  columns: string[];
  doubts: string[];
  operators: Set<string>;
  /** Names read as scalars. */
  scalars: string[];
  /** A `/`, `//` or `%` whose divisor is not a non-zero literal (Python numbers raise on zero; NumPy does not). */
  mayDivideByZero: boolean;
  /** How many conditionals and comparisons became `np.where` / element-wise comparisons. */
  conditionals: number;
  /** The branches of each `np.where` (their result types decide the column's dtype). */
  branches?: SyntaxNode[];
}

/**
 * Rewrites an element expression by replacing its leaves; every node must be arithmetic on numbers, leaves,
 * or a call of a known ufunc. Spacing and parentheses of the original are kept.
 */
export function translate(expr: SyntaxNode, scope: ArrayScope, leaf: (n: SyntaxNode) => Leaf, calls: 'numpy' | 'pandas'): Result<Translation> {
  const out: Translation = { text: '', arrays: [], columns: [], doubts: [], operators: new Set(), scalars: [], mayDivideByZero: false, conditionals: 0, branches: [] };
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const np = scope.numpy ?? 'np';
  let failed: VectorMiss | null = null;
  const fail = (reason: string, n: SyntaxNode) => {
    failed ??= { reason, line: lineOf(n) };
  };
  walk(expr, (n) => {
    if (failed || !n.isNamed) return false;
    const mapped = n.type === 'subscript' || n.type === 'identifier' || n.type === 'attribute' ? leaf(n) : undefined;
    if (mapped && 'miss' in mapped) {
      fail(mapped.miss, n);
      return false;
    }
    if (mapped) {
      edits.push({ start: n.startIndex, end: n.endIndex, text: mapped.text });
      if (mapped.array && !out.arrays.some((a) => a.name === mapped.array!.name)) out.arrays.push(mapped.array);
      if (mapped.column !== undefined) out.columns.push(mapped.column);
      return false;
    }
    switch (n.type) {
      case 'integer':
      case 'float':
      case 'parenthesized_expression':
        return true;
      case 'binary_operator': {
        const op = n.childForFieldName('operator')?.text ?? '';
        if (!FLOAT_SAFE_OPS.has(op) && !OTHER_OPS.has(op)) fail(`the operator \`${op}\` has no element-wise translation here`, n);
        out.operators.add(op);
        const divisor = n.childForFieldName('right');
        if (['/', '//', '%'].includes(op) && !(divisor && literalNumber(divisor) && Number(divisor.text.replace(/_/g, '')) !== 0)) out.mayDivideByZero = true;
        return true;
      }
      case 'unary_operator': {
        const op = n.childForFieldName('operator')?.text ?? '';
        if (op !== '-' && op !== '+') fail(`the operator \`${op}\` has no element-wise translation here`, n);
        return true;
      }
      case 'identifier': {
        // a scalar read by every element: a number, or a doubt
        const def = scope.definition(n.text);
        const number = def && (literalNumber(def.value) || def.value.type === 'binary_operator' && [def.value.childForFieldName('left'), def.value.childForFieldName('right')].every((s) => s && literalNumber(s)));
        if (scope.array(n.text)) fail(`\`${n.text}\` is an array read whole, not element by element`, n);
        else if (scope.frame(n.text)) fail(`\`${n.text}\` is a DataFrame read whole`, n);
        else if (!number) out.doubts.push(`\`${n.text}\` is not proven to be a number (line ${lineOf(n)}): an array or a list would broadcast differently`);
        out.scalars.push(n.text);
        return false;
      }
      case 'conditional_expression':
      case 'comparison_operator':
      case 'boolean_operator':
      case 'not_operator': {
        // pandas only: `a if c else b` → `np.where(c, a, b)`, `x > 0 and y < 1` → `(x > 0) & (y < 1)`
        const made = calls === 'pandas' ? conditional(n, scope, leaf) : { miss: `\`${n.text.split('\n')[0]}\` has no element-wise translation here` };
        if ('miss' in made) {
          fail(made.miss, n);
          return false;
        }
        edits.push({ start: n.startIndex, end: n.endIndex, text: made.value.text });
        for (const a of made.value.arrays) if (!out.arrays.some((b) => b.name === a.name)) out.arrays.push(a);
        out.columns.push(...made.value.columns);
        out.doubts.push(...made.value.doubts);
        out.scalars.push(...made.value.scalars);
        for (const o of made.value.operators) out.operators.add(o);
        out.mayDivideByZero ||= made.value.mayDivideByZero;
        out.conditionals += 1 + made.value.conditionals;
        return false;
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const args = namedChildren(n.childForFieldName('arguments')!);
        const name = dottedName(fn);
        if (args.length !== 1 || args[0].type === 'keyword_argument' || args[0].type.endsWith('splat') || !name) {
          fail(`the call \`${n.text.split('\n')[0]}\` has no element-wise translation`, n);
          return false;
        }
        const [module, ufunc] = name.includes('.') ? [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.') + 1)] : ['', name];
        if (name === 'abs' && !scope.binds('abs')) {
          if (calls === 'numpy') edits.push({ start: fn!.startIndex, end: fn!.endIndex, text: `${np}.abs` });
        } else if (scope.numpy && module === scope.numpy && (EXACT_UFUNCS.has(ufunc) || OTHER_UFUNCS.has(ufunc))) {
          if (OTHER_UFUNCS.has(ufunc)) out.doubts.push(`\`${name}\` on a whole array may use a SIMD implementation whose results differ from the scalar call in the last bit`);
        } else if (calls === 'numpy' && scope.module.imports.get(module) === 'math' && MATH_TO_NUMPY[ufunc]) {
          edits.push({ start: fn!.startIndex, end: fn!.endIndex, text: `${np}.${MATH_TO_NUMPY[ufunc]}` });
          out.doubts.push(`\`${name}\` raises on invalid input (\`ValueError\`, \`OverflowError\`) where \`${np}.${MATH_TO_NUMPY[ufunc]}\` returns nan or inf with a warning${ufunc === 'sqrt' || ufunc === 'fabs' ? '' : ', and its last bit may differ'}`);
        } else {
          fail(`\`${name}\` is not a known element-wise function (a ufunc)`, n);
          return false;
        }
        const sub = translate(args[0], scope, leaf, calls);
        if (!sub.ok) {
          fail(sub.miss.reason, args[0]);
          return false;
        }
        edits.push({ start: args[0].startIndex, end: args[0].endIndex, text: sub.value.text });
        for (const a of sub.value.arrays) if (!out.arrays.some((b) => b.name === a.name)) out.arrays.push(a);
        out.columns.push(...sub.value.columns);
        out.doubts.push(...sub.value.doubts);
        out.scalars.push(...sub.value.scalars);
        for (const o of sub.value.operators) out.operators.add(o);
        out.mayDivideByZero ||= sub.value.mayDivideByZero;
        return false;
      }
      default:
        fail(`\`${n.text.split('\n')[0]}\` has no element-wise translation`, n);
        return false;
    }
  });
  if (failed) return { ok: false, miss: failed };
  let text = expr.text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start - expr.startIndex) + e.text + text.slice(e.end - expr.startIndex);
  out.text = text;
  out.doubts = [...new Set(out.doubts)];
  return { ok: true, value: out };
}

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** `if c: return a` / `return b` → `np.where(c, a, b)`. */
function translateBranches(b: RowBranches, scope: ArrayScope, leaf: (n: SyntaxNode) => Leaf): Result<Translation> {
  if (!scope.numpy) return miss('a conditional needs `np.where`, and the module does not import NumPy', b.condition);
  const parts = [b.condition, b.then, b.otherwise].map((x) => translate(x, scope, leaf, 'pandas'));
  for (const p of parts) if (!p.ok) return p;
  const [c, a, o] = parts.map((p) => (p as { ok: true; value: Translation }).value);
  const merged = mergeTranslations([c, a, o]);
  if (c.columns.length === 0) return miss('the condition reads no column of the row', b.condition);
  merged.text = `${scope.numpy}.where(${c.text}, ${a.text}, ${o.text})`;
  merged.branches!.push(b.then, b.otherwise);
  merged.conditionals++;
  if (a.mayDivideByZero || o.mayDivideByZero) merged.doubts.push('`np.where` computes both branches on every row: a division in the branch the function did not take still runs (a warning, or inf/nan that is then discarded)');
  return { ok: true, value: merged };
}

function mergeTranslations(done: Translation[]): Translation {
  const merged: Translation = { text: '', arrays: [], columns: [], doubts: [], operators: new Set(), scalars: [], mayDivideByZero: false, conditionals: 0, branches: [] };
  for (const d of done) {
    for (const a of d.arrays) if (!merged.arrays.some((b) => b.name === a.name)) merged.arrays.push(a);
    merged.columns.push(...d.columns);
    merged.doubts.push(...d.doubts);
    merged.scalars.push(...d.scalars);
    for (const o of d.operators) merged.operators.add(o);
    merged.mayDivideByZero ||= d.mayDivideByZero;
    merged.conditionals += d.conditionals;
    merged.branches!.push(...(d.branches ?? []));
  }
  return merged;
}

/** The element-wise form of a conditional, a comparison or a boolean operator over columns (pandas). */
function conditional(n: SyntaxNode, scope: ArrayScope, leaf: (n: SyntaxNode) => Leaf): { value: Translation } | { miss: string } {
  const np = scope.numpy;
  const parts: SyntaxNode[] = namedChildren(n).filter((c) => c.type !== 'comment');
  const sub = (x: SyntaxNode) => translate(x, scope, leaf, 'pandas');
  const done: Translation[] = [];
  for (const part of parts) {
    const t = sub(part);
    if (!t.ok) return { miss: t.miss.reason };
    done.push(t.value);
  }
  const merged = mergeTranslations(done);
  const wrap = (t: string) => `(${t})`;
  switch (n.type) {
    case 'conditional_expression': {
      if (!np) return { miss: 'a conditional needs `np.where`, and the module does not import NumPy' };
      if (parts.length !== 3) return { miss: `\`${n.text.split('\n')[0]}\` has no element-wise translation` };
      // `a if c else b`: children in source order are a, c, b
      merged.text = `${np}.where(${done[1].text}, ${done[0].text}, ${done[2].text})`;
      merged.branches!.push(parts[0], parts[2]);
      // np.where computes both branches for every row: a division in the branch not taken still runs
      if (done[0].mayDivideByZero || done[2].mayDivideByZero) merged.doubts.push('`np.where` computes both branches on every row: a division in the branch the loop did not take still runs (a warning, or inf/nan that is then discarded)');
      return { value: merged };
    }
    case 'comparison_operator': {
      const ops = n.children.filter((c) => !c.isNamed).map((c) => c.text);
      if (parts.length !== 2 || ops.length !== 1 || !COMPARISONS.has(ops[0])) return { miss: `the comparison \`${n.text.split('\n')[0]}\` has no element-wise translation (chained, \`in\` or \`is\`)` };
      // arithmetic binds tighter than a comparison: the operands need no parentheses
      merged.text = `${done[0].text} ${ops[0]} ${done[1].text}`;
      if (done.every((d) => d.columns.length === 0)) return { miss: `\`${n.text}\` reads no column` };
      return { value: merged };
    }
    case 'boolean_operator': {
      const op = n.childForFieldName('operator')?.text;
      // `and`/`or` on whole columns: both sides are computed (no short-circuit), which is only the same for comparisons
      if (!parts.every((p) => p.type === 'comparison_operator' || p.type === 'boolean_operator' || p.type === 'not_operator' || (p.type === 'parenthesized_expression' && /^(comparison|boolean|not)_operator$/.test(namedChildren(p)[0]?.type ?? '')))) {
        return { miss: `\`${op}\` combines values that are not comparisons: on whole columns it cannot short-circuit` };
      }
      merged.text = done.map((d) => wrap(d.text)).join(op === 'and' ? ' & ' : ' | ');
      return { value: merged };
    }
    default: {
      const inner = parts[0];
      if (!(inner.type === 'comparison_operator' || inner.type === 'boolean_operator' || inner.type === 'not_operator' || inner.type === 'parenthesized_expression')) return { miss: '`not` of a value that is not a comparison' };
      merged.text = `~${wrap(done[0].text)}`;
      return { value: merged };
    }
  }
}

export function literalNumber(n: SyntaxNode): boolean {
  if (n.type === 'integer' || n.type === 'float') return true;
  return n.type === 'unary_operator' && namedChildren(n).length === 1 && literalNumber(namedChildren(n)[0]);
}

/** `x[i, j]` / `x[i][j]` with plain names: the array name and the index names; null otherwise. */
export function indexChain(n: SyntaxNode): { object: SyntaxNode; indices: SyntaxNode[] } | null {
  if (n.type !== 'subscript') return null;
  const value = n.childForFieldName('value');
  const keys = n.childrenForFieldName('subscript').filter((k): k is SyntaxNode => k !== null);
  if (!value || keys.length === 0) return null;
  if (value.type === 'identifier') return { object: value, indices: keys };
  const inner = indexChain(value);
  return inner ? { object: inner.object, indices: [...inner.indices, ...keys] } : null;
}

/** The symbolic length of `range(n)` / `range(0, n)`, or null. */
export function rangeLength(iterable: SyntaxNode | null, scope: ArrayScope): string | null {
  if (iterable?.type !== 'call' || iterable.childForFieldName('function')?.text !== 'range' || scope.binds('range')) return null;
  const args = namedChildren(iterable.childForFieldName('arguments')!);
  if (args.length === 1) return scope.length(args[0]);
  if (args.length === 2 && args[0].type === 'integer' && Number(args[0].text) === 0) return scope.length(args[1]);
  return null;
}

/** The only statement of a loop's body, when the loop has no `else` and a plain name target. */
function soleStatement(loop: SyntaxNode): SyntaxNode | null {
  if (loop.type !== 'for_statement' || loop.childForFieldName('alternative') || loop.children.some((c) => c.type === 'async')) return null;
  const body = statementsOf(loop.childForFieldName('body'));
  return body.length === 1 ? body[0] : null;
}

export function expressionOf(statement: SyntaxNode): SyntaxNode | null {
  return statement.type === 'expression_statement' && statement.namedChildCount === 1 ? statement.namedChildren[0]! : null;
}

/** Doubts about the arrays an expression reads: the dtype (only float64 is proven bit-identical) and shape. */
export function arrayDoubts(arrays: ArrayFact[], output: ArrayFact | null, integersExact = false): string[] {
  const doubts: string[] = [];
  for (const a of output ? [output, ...arrays] : arrays) {
    if (a.fromCallers) doubts.push(a.fromCallers);
    if (a.dtype === 'unknown') doubts.push(`the dtype of \`${a.name}\` is not known (only float64 arithmetic is proven bit-identical)`);
    else if (a.dtype !== 'float64' && !(integersExact && a.dtype === 'int64')) doubts.push(`\`${a.name}\` has dtype ${a.dtype === 'other' ? 'other than float64/int64' : a.dtype}: only float64 arithmetic is proven bit-identical (integer arrays: overflow and casting of large Python ints are handled per element in the loop)`);
  }
  return doubts;
}

export function operatorDoubts(ops: Set<string>): string[] {
  const doubts: string[] = [];
  if (ops.has('**')) doubts.push('`**` on a whole array takes fast paths (`x ** 2` becomes `x * x`) that can differ in the last bit from the scalar power');
  if (ops.has('//') || ops.has('%')) doubts.push('`//` and `%` on floats use separate scalar and array implementations in NumPy; equality of every result was not proven');
  return doubts;
}

function memoryRisk(out: string): string {
  return `**Memory:** every operator allocates a temporary array of the full size before the result is stored into \`${out}\`.`;
}

const ELEMENTWISE_ORDER = '**Floating point:** `+ - * /`, `abs` and `sqrt` compute each element with the same IEEE operations in the same order as the loop, one operator at a time over the whole array: on float64 the results are bit-identical.';

/**
 * The rewrite removes the loop, so its variables (`i`, `row`, the inner loops' `j`, `k`) no longer hold the
 * last item afterwards: a loop whose variables are read after it is not vectorised.
 */
function loopVariablesDead(loop: SyntaxNode, module: ModuleInfo, match: Result<VectorPlan> | null): Result<VectorPlan> | null {
  if (!match?.ok) return match;
  const names = new Set([loop, ...descendantsNamed(loop, 'for_statement')].flatMap((l) => boundNames(l.childForFieldName('left'))));
  for (const [name, line] of liveAfter(loop, names, module)) return miss(`the loop variable \`${name}\` is read after the loop (line ${line}); the vectorised form does not leave its last value behind`, loop);
  return match;
}

export const matchElementwise = (loop: SyntaxNode, module: ModuleInfo) => loopVariablesDead(loop, module, elementwise(loop, module));
export const matchNested = (loop: SyntaxNode, module: ModuleInfo) => loopVariablesDead(loop, module, nested(loop, module));
export const matchRowLoop = (loop: SyntaxNode, module: ModuleInfo) => loopVariablesDead(loop, module, rowLoop(loop, module));

/** A plan that replaces the loop itself (PAR301, PAR302 on arrays). */
function replacingLoop(rule: VectorRule, loop: SyntaxNode, rest: Omit<VectorPlan, 'rule' | 'node' | 'first' | 'last'>): Result<VectorPlan> {
  return { ok: true, value: { rule, node: loop, first: loop, last: loop, ...rest } };
}

/**
 * The number of elements of a plan whose `range(…)` bounds the code spells as names of a known value (`range(n)` with
 * `n=7`, the default every caller keeps): enough to refuse a finding on, never to promise a gain (round 57: 7×7
 * matrices of year gaps, microseconds either way).
 */
export function countedElements(plan: VectorPlan, module: ModuleInfo): number | undefined {
  if (plan.elements !== undefined) return plan.elements;
  let n = 1;
  let counted = 0;
  for (let loop: SyntaxNode | null = plan.node; loop?.type === 'for_statement'; loop = soleStatement(loop)) {
    const iterable = loop.childForFieldName('right');
    const args = iterable?.type === 'call' && iterable.childForFieldName('function')?.text === 'range' && !module.bindings.has('range') ? namedChildren(iterable.childForFieldName('arguments')!) : [];
    const stop = args.length === 1 ? args[0] : args.length === 2 && intValue(args[0], module) === 0 ? args[1] : null;
    const v = stop ? intValue(stop, module) : undefined;
    if (v === undefined) return undefined;
    n *= Math.max(0, v);
    counted++;
  }
  return counted > 0 ? n : undefined;
}

export function knownProduct(lengths: string[]): number | undefined {
  const n = lengths.map(Number);
  return n.every((x) => Number.isInteger(x)) ? n.reduce((a, b) => a * b, 1) : undefined;
}

/** Output array of a rewrite: a known, fresh NumPy array of the expected rank. */
function freshOutput(name: string, scope: ArrayScope, rank: number, node: SyntaxNode): Result<ArrayFact> {
  const out = scope.array(name);
  if (!out) return miss(`\`${name}\` is not known to be a NumPy array`, node);
  if (!out.fresh) return miss(`\`${name}\` is not a fresh allocation (it may share memory with another array)`, node);
  if (!out.shape || out.shape.length !== rank) return miss(`the shape of \`${name}\` is not known to be ${rank}-D`, node);
  return { ok: true, value: out };
}

// ------------------------------------------------------------------------------------------------- PAR302

/** `for i in range(n): out[i] = f(a[i], b[i])`, `for i, v in enumerate(a): out[i] = f(v)`, `for v in xs: out.append(f(v))`. */
function elementwise(loop: SyntaxNode, module: ModuleInfo): Result<VectorPlan> | null {
  const statement = soleStatement(loop);
  const target = loop.childForFieldName('left');
  const iterable = loop.childForFieldName('right');
  if (!statement || !target || !iterable) return null;
  const scope = new ArrayScope(module, loop);
  const e = expressionOf(statement);
  if (e?.type === 'call' && target.type === 'identifier') return matchListAppend(loop, statement, e, target.text, iterable, scope);
  if (e?.type !== 'assignment' || e.childForFieldName('type')) return null;
  const left = e.childForFieldName('left')!;
  const right = e.childForFieldName('right')!;
  const chain = indexChain(left);
  if (!chain || chain.indices.length !== 1) return null;
  let index: string;
  let element: { name: string; array: ArrayFact } | null = null;
  let length: string | null;
  if (target.type === 'identifier') {
    index = target.text;
    length = rangeLength(iterable, scope);
    if (!length) return null;
  } else {
    // `for i, v in enumerate(a)`
    const names = namedChildren(target);
    const args = iterable.type === 'call' && iterable.childForFieldName('function')?.text === 'enumerate' && !module.bindings.has('enumerate') ? namedChildren(iterable.childForFieldName('arguments')!) : [];
    if ((target.type !== 'pattern_list' && target.type !== 'tuple_pattern') || names.length !== 2 || !names.every((n) => n.type === 'identifier') || args.length !== 1 || args[0].type !== 'identifier') return null;
    const array = scope.array(args[0].text);
    if (!array) return null;
    index = names[0].text;
    element = { name: names[1].text, array };
    length = array.shape?.[0] ?? `len(${array.name})`;
  }
  if (chain.indices[0].type !== 'identifier' || chain.indices[0].text !== index) return null;
  const outName = chain.object.text;
  // from here on the loop is array code: a miss is explained
  const output = freshOutput(outName, scope, 1, left);
  if (!output.ok) return scope.array(outName) ? output : null;
  if (output.value.shape![0] !== length) return miss(`the loop covers ${length} elements but \`${outName}\` has ${output.value.shape![0]}`, loop);
  const shapeDoubts: string[] = [];
  const leaf = (n: SyntaxNode): Leaf => {
    if (n.type === 'identifier') {
      if (n.text === index) return { miss: `the index \`${index}\` is used as a value` };
      if (element && n.text === element.name) return { text: element.array.name, array: element.array };
      if (n.text === outName) return { miss: `\`${outName}\` is read while it is being written (a recurrence or an in-place update)` };
      return undefined;
    }
    if (n.type !== 'subscript') return undefined;
    const c = indexChain(n);
    if (!c || c.indices.length !== 1 || c.indices[0].type !== 'identifier' || c.indices[0].text !== index) {
      return { miss: `\`${n.text}\` is not indexed by the loop variable alone (index arithmetic reads other elements)` };
    }
    if (c.object.text === outName) return { miss: `\`${outName}\` is read while it is being written` };
    const array = scope.array(c.object.text);
    if (!array) return { miss: `\`${c.object.text}\` is not known to be a NumPy array` };
    if (array.reads.includes(outName)) return { miss: `\`${array.name}\` is made from \`${outName}\` and may share its memory` };
    if (array.mayAlias) shapeDoubts.push(`\`${array.name}\` may share memory with \`${outName}\`: ${array.mayAlias}`);
    if (!array.shape) shapeDoubts.push(`the shape of \`${array.name}\` is not known: the rewrite assumes a 1-D array of ${length} elements`);
    else if (array.shape.length !== 1 || array.shape[0] !== length) return { miss: `\`${array.name}\` has shape (${array.shape.join(', ')}), not the ${length} elements the loop covers` };
    return { text: array.name, array };
  };
  const t = translate(right, scope, leaf, 'numpy');
  if (!t.ok) return t;
  const inputs = element && !t.value.arrays.some((a) => a.name === element!.array.name) ? t.value.arrays : t.value.arrays;
  if (inputs.length === 0) return miss('no array element is read: nothing to vectorise', right);
  if (element && element.array.reads.includes(outName)) return miss(`\`${element.array.name}\` is made from \`${outName}\``, loop);
  if (element?.array.mayAlias) shapeDoubts.push(`\`${element.array.name}\` may share memory with \`${outName}\`: ${element.array.mayAlias}`);
  if (element && !element.array.shape) shapeDoubts.push(`the shape of \`${element.array.name}\` is not known: the rewrite assumes a 1-D array`);
  const doubts = [...new Set([...arrayDoubts(inputs, output.value), ...shapeDoubts, ...t.value.doubts, ...operatorDoubts(t.value.operators)])];
  return replacingLoop('PAR302', loop, {
    statement: `${outName}[:] = ${t.value.text}`,
    shape: 'element-wise arithmetic over NumPy arrays',
    evidence: [output.value.evidence, ...inputs.filter((a) => a.name !== outName).map((a) => a.evidence)],
    doubts,
    risks: [ELEMENTWISE_ORDER, memoryRisk(outName), `**dtype:** \`${outName}[:] = …\` stores into the existing array, so its dtype${output.value.dtype === 'unknown' ? '' : ` (${output.value.dtype})`}, shape and identity are kept.`],
    elements: knownProduct([length]),
    writes: disjointStores(left.text, outName),
  });
}

/** `out = []` then `for v in xs: out.append(f(v))` over a list of numbers → `out = (f(np.asarray(xs))).tolist()`. */
function matchListAppend(loop: SyntaxNode, statement: SyntaxNode, call: SyntaxNode, variable: string, iterable: SyntaxNode, scope: ArrayScope): Result<VectorPlan> | null {
  const fn = call.childForFieldName('function');
  const args = namedChildren(call.childForFieldName('arguments')!);
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'append' || args.length !== 1 || args[0].type === 'keyword_argument') return null;
  const list = fn.childForFieldName('object');
  if (list?.type !== 'identifier' || iterable.type !== 'identifier') return null;
  const source = numericList(iterable.text, scope);
  if (!source) return null;
  const previous = previousStatement(loop);
  const init = previous && expressionOf(previous);
  if (!init || init.type !== 'assignment' || init.childForFieldName('left')?.text !== list.text || init.childForFieldName('right')?.text.replace(/\s/g, '') !== '[]') {
    return miss(`\`${list.text}\` is not an empty list created right before the loop`, loop);
  }
  if (!scope.boundOnce(list.text) || list.text === iterable.text) return miss(`\`${list.text}\` is bound more than once`, loop);
  // a module that does not use NumPy is not told to start: the plain-list form needs it imported already
  const np = scope.numpy;
  if (!np) return null;
  const asArray = `${np}.asarray(${iterable.text})`;
  const leaf = (n: SyntaxNode): Leaf => {
    if (n.type === 'identifier' && n.text === variable) return { text: asArray };
    if (n.type === 'identifier' && n.text === list.text) return { miss: `\`${list.text}\` is read while it is being built` };
    if (n.type === 'subscript' || n.type === 'attribute') return { miss: `\`${n.text}\` has no element-wise translation` };
    return undefined;
  };
  const t = translate(args[0], scope, leaf, 'numpy');
  if (!t.ok) return t;
  if (!t.value.text.includes(asArray)) return miss(`the appended value does not use \`${variable}\``, args[0]);
  const doubts = [
    `\`${iterable.text}\` is a Python list: \`np.asarray\` turns a list mixing ints and floats into floats, and \`.tolist()\` then returns \`2.0\` where the loop produced \`2\``,
    'Python integers never overflow; NumPy int64 wraps around silently',
    ...(t.value.mayDivideByZero ? ['division by zero raises `ZeroDivisionError` in the loop; NumPy returns inf or nan with a warning'] : []),
    ...t.value.doubts,
    ...operatorDoubts(t.value.operators),
  ];
  return {
    ok: true,
    value: {
      rule: 'PAR302',
      node: loop,
      first: previous!,
      last: loop,
      statement: `${list.text} = (${t.value.text}).tolist()`,
      shape: 'element-wise arithmetic over a list of numbers',
      evidence: [source.evidence],
      doubts,
      risks: [
        '**Floating point:** on floats each element goes through the same IEEE operations in the same order: bit-identical.',
        '**Memory:** the list is converted to an array, every operator allocates a temporary, and `.tolist()` builds the list again; only worth it for long lists.',
      ],
      elements: source.length,
    },
  };
}

/** A list of numbers: a literal, `list(range(…))`, `[float(…) for …]`, `a.tolist()` of a known array. */
export function numericList(name: string, scope: ArrayScope): { evidence: string; length?: number; dtype: DType } | null {
  const def = scope.definition(name);
  if (!def) return null;
  const v = def.value;
  const at = `\`${name}\` is assigned ${'{}'} at line ${lineOf(def.statement)}`;
  let what: string | null = null;
  let length: number | undefined;
  let dtype: DType = 'unknown';
  if (v.type === 'list' && literalShape(v)?.shape.length === 1) {
    what = 'a list of number literals';
    length = namedChildren(v).length;
    dtype = literalShape(v)!.dtype;
  } else if (v.type === 'call' && v.childForFieldName('function')?.text === 'list') {
    const inner = namedChildren(v.childForFieldName('arguments')!)[0];
    if (inner?.type === 'call' && inner.childForFieldName('function')?.text === 'range') {
      what = '`list(range(…))`';
      dtype = 'int64';
      length = literalRangeLength(inner) ?? undefined;
    }
  } else if (v.type === 'list_comprehension') {
    const body = v.childForFieldName('body');
    const clauses = namedChildren(v).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const source = clauses.length === 1 ? clauses[0].childForFieldName('right') : null;
    const overRange = source?.type === 'call' && source.childForFieldName('function')?.text === 'range' && !scope.binds('range');
    // the comprehension's variable counts through a range: an int
    const ints = new Set(overRange ? boundNames(clauses[0].childForFieldName('left')) : []);
    const kind = body ? numberKind(body, ints, scope) : null;
    if (kind) {
      const callee = body?.type === 'call' ? body.childForFieldName('function')?.text : null;
      what = callee === 'float' || callee === 'int' ? `a comprehension of \`${callee}(…)\` values` : `a comprehension of ${kind === 'float' ? 'floats' : 'integers'} (\`${body!.text.slice(0, 40)}\`)`;
      dtype = kind === 'float' ? 'float64' : 'int64';
      // `[float(x) for x in range(300)]`: one value per item of a literal range
      if (overRange) length = literalRangeLength(source) ?? undefined;
    }
  } else if (v.type === 'call') {
    const fn = v.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'tolist' && object?.type === 'identifier' && scope.array(object.text)) {
      what = `\`${object.text}.tolist()\``;
      length = Number(scope.array(object.text)!.shape?.[0]);
      const d = scope.array(object.text)!.dtype;
      // `tolist()` of a 1-D float64 / int64 array: Python floats / ints
      dtype = scope.array(object.text)!.shape?.length === 1 ? d : 'unknown';
    }
  }
  if (!what) return null;
  // a list changed in place may no longer hold only numbers
  let mutated = false;
  walk(scope.module.root, (n) => {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name && fn.childForFieldName('attribute')?.text !== 'copy') mutated = true;
    }
    if ((n.type === 'assignment' || n.type === 'augmented_assignment') && n.childForFieldName('left')?.type === 'subscript' && n.childForFieldName('left')!.childForFieldName('value')?.text === name) mutated = true;
    return !mutated;
  });
  if (mutated) return null;
  return { evidence: at.replace('{}', what), length: Number.isInteger(length) ? length : undefined, dtype };
}

/**
 * Whether an expression always yields a Python float or int: `float(…)`, `int(…)`, number literals, names in
 * `ints`, and `+ - * /` of those (`/` gives a float).
 */
function numberKind(n: SyntaxNode, ints: Set<string>, scope: ArrayScope): 'float' | 'int' | null {
  switch (n.type) {
    case 'integer':
      return 'int';
    case 'float':
      return 'float';
    case 'identifier':
      return ints.has(n.text) ? 'int' : null;
    case 'parenthesized_expression':
      return namedChildren(n).length === 1 ? numberKind(namedChildren(n)[0], ints, scope) : null;
    case 'unary_operator':
      return ['-', '+'].includes(n.childForFieldName('operator')?.text ?? '') ? numberKind(n.childForFieldName('argument')!, ints, scope) : null;
    case 'call': {
      const callee = n.childForFieldName('function')?.text;
      return (callee === 'float' || callee === 'int') && !scope.binds(callee) && namedChildren(n.childForFieldName('arguments')!).length === 1 ? callee : null;
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text ?? '';
      const [l, r] = [numberKind(n.childForFieldName('left')!, ints, scope), numberKind(n.childForFieldName('right')!, ints, scope)];
      if (!l || !r || !['+', '-', '*', '/'].includes(op)) return null;
      return op === '/' || l === 'float' || r === 'float' ? 'float' : 'int';
    }
    default:
      return null;
  }
}

/** The item count of `range(n)`, `range(a, b)`, `range(a, b, s)` with integer literals, or null. */
function literalRangeLength(call: SyntaxNode): number | null {
  const n = namedChildren(call.childForFieldName('arguments')!);
  if (n.length === 0 || n.length > 3 || !n.every((x) => x.type === 'integer')) return null;
  const v = n.map((x) => Number(x.text.replace(/_/g, '')));
  const [start, stop, step] = v.length === 1 ? [0, v[0], 1] : [v[0], v[1], v[2] ?? 1];
  return step === 0 ? null : Math.max(0, Math.ceil((stop - start) / step));
}

export function previousStatement(node: SyntaxNode): SyntaxNode | null {
  let p = node.previousSibling;
  while (p && p.type === 'comment') p = p.previousSibling;
  return p && p.isNamed ? p : null;
}

export function nextStatement(node: SyntaxNode): SyntaxNode | null {
  let p = node.nextSibling;
  while (p && p.type === 'comment') p = p.nextSibling;
  return p && p.isNamed ? p : null;
}

// ------------------------------------------------------------------------------------------------- PAR301

/** Nested index loops: `out[i, j] = f(x[i], y[j], z[i, j])` (outer / broadcast) or `c[i][j] += a[i][k] * b[k][j]`. */
function nested(loop: SyntaxNode, module: ModuleInfo): Result<VectorPlan> | null {
  const inner = soleStatement(loop);
  const i = loop.childForFieldName('left');
  if (!inner || inner.type !== 'for_statement' || i?.type !== 'identifier') return null;
  const statement = soleStatement(inner);
  const j = inner.childForFieldName('left');
  if (!statement || j?.type !== 'identifier' || j.text === i.text) return null;
  const scope = new ArrayScope(module, loop);
  const rows = rangeLength(loop.childForFieldName('right'), scope);
  const cols = rangeLength(inner.childForFieldName('right'), scope);
  if (!rows || !cols) return null;
  if (statement.type === 'for_statement') return matchMatmul(loop, statement, i.text, j.text, rows, cols, scope);
  const e = expressionOf(statement);
  if (e?.type !== 'assignment' || e.childForFieldName('type')) return null;
  const left = indexChain(e.childForFieldName('left')!);
  if (!left || left.indices.map((n) => n.text).join() !== `${i.text},${j.text}`) return null;
  const outName = left.object.text;
  const output = freshOutput(outName, scope, 2, e);
  if (!output.ok) return scope.array(outName) ? output : null;
  if (output.value.shape!.join() !== `${rows},${cols}`) return miss(`the loops cover (${rows}, ${cols}) elements but \`${outName}\` has shape (${output.value.shape!.join(', ')})`, loop);
  const np = scope.numpy!;
  const shapeDoubts: string[] = [];
  const axisOf = (name: string) => (name === i.text ? rows : name === j.text ? cols : null);
  const leaf = (n: SyntaxNode): Leaf => {
    if (n.type === 'identifier') {
      if (n.text === i.text || n.text === j.text) return { miss: `the index \`${n.text}\` is used as a value` };
      if (n.text === outName) return { miss: `\`${outName}\` is read while it is being written` };
      return undefined;
    }
    if (n.type !== 'subscript') return undefined;
    const c = indexChain(n);
    const names = c?.indices.map((x) => (x.type === 'identifier' ? x.text : '')) ?? [];
    if (!c || names.some((x) => axisOf(x) === null) || new Set(names).size !== names.length || names.length > 2) {
      return { miss: `\`${n.text}\` is not indexed by the loop variables alone (index arithmetic reads other elements)` };
    }
    if (c.object.text === outName) return { miss: `\`${outName}\` is read while it is being written` };
    const array = scope.array(c.object.text);
    if (!array) return { miss: `\`${c.object.text}\` is not known to be a NumPy array` };
    if (array.reads.includes(outName)) return { miss: `\`${array.name}\` is made from \`${outName}\` and may share its memory` };
    const expected = names.map((x) => axisOf(x)!);
    if (array.mayAlias) shapeDoubts.push(`\`${array.name}\` may share memory with \`${outName}\`: ${array.mayAlias}`);
    if (!array.shape) shapeDoubts.push(`the shape of \`${array.name}\` is not known: the rewrite assumes (${expected.join(', ')})`);
    else if (array.shape.join() !== expected.join()) return { miss: `\`${array.name}\` has shape (${array.shape.join(', ')}), not (${expected.join(', ')})` };
    const key = names.join();
    const text = key === i.text ? `${array.name}[:, ${np}.newaxis]` : key === `${j.text},${i.text}` ? `${array.name}.T` : array.name;
    return { text, array };
  };
  const right = e.childForFieldName('right')!;
  const t = translate(right, scope, leaf, 'numpy');
  if (!t.ok) return t;
  if (t.value.arrays.length === 0) return miss('no array element is read: nothing to vectorise', right);
  // `x[i] * y[j]` exactly: the outer product
  let expression = t.value.text;
  let shape = 'a broadcast element-wise product';
  if (right.type === 'binary_operator' && right.childForFieldName('operator')?.text === '*') {
    const [l, r] = [indexChain(right.childForFieldName('left')!), indexChain(right.childForFieldName('right')!)];
    if (l && r && l.indices.length === 1 && r.indices.length === 1 && l.indices[0].text === i.text && r.indices[0].text === j.text) {
      expression = `${np}.outer(${l.object.text}, ${r.object.text})`;
      shape = 'an outer product';
    }
  }
  return replacingLoop('PAR301', loop, {
    statement: `${outName}[:, :] = ${expression}`,
    shape,
    evidence: [output.value.evidence, ...t.value.arrays.map((a) => a.evidence)],
    doubts: [...new Set([...arrayDoubts(t.value.arrays, output.value), ...shapeDoubts, ...t.value.doubts, ...operatorDoubts(t.value.operators)])],
    risks: [ELEMENTWISE_ORDER, memoryRisk(outName), `**dtype:** \`${outName}[:, :] = …\` stores into the existing array, so its dtype${output.value.dtype === 'unknown' ? '' : ` (${output.value.dtype})`}, shape and identity are kept.`],
    elements: knownProduct([rows, cols]),
    writes: disjointStores(e.childForFieldName('left')!.text, outName),
    alternatives: expression !== t.value.text ? [{ title: 'Vectorise with broadcasting', statement: `${outName}[:, :] = ${t.value.text}` }] : undefined,
  });
}

/** The hover's account of an element store at the loop's own indices. */
export function disjointStores(target: string, array: string): string {
  return `\`${target} = …\` stores into the element at the loop's own indices: each iteration writes a different element of \`${array}\` and none reads another's (disjoint writes, not shared state)`;
}

/** `for k in range(p): c[i][j] += a[i][k] * b[k][j]` with `c` a fresh float64 `np.zeros((n, m))` → `c += a @ b`. */
function matchMatmul(loop: SyntaxNode, innermost: SyntaxNode, i: string, j: string, rows: string, cols: string, scope: ArrayScope): Result<VectorPlan> | null {
  const k = innermost.childForFieldName('left');
  const depth = rangeLength(innermost.childForFieldName('right'), scope);
  const statement = soleStatement(innermost);
  const e = statement && expressionOf(statement);
  if (k?.type !== 'identifier' || !depth || e?.type !== 'augmented_assignment' || e.childForFieldName('operator')?.text !== '+=' || k.text === i || k.text === j) return null;
  const target = indexChain(e.childForFieldName('left')!);
  const product = e.childForFieldName('right')!;
  if (!target || target.indices.map((n) => n.text).join() !== `${i},${j}` || product.type !== 'binary_operator' || product.childForFieldName('operator')?.text !== '*') return null;
  const factors = [indexChain(product.childForFieldName('left')!), indexChain(product.childForFieldName('right')!)];
  if (factors.some((f) => !f || f.indices.length !== 2)) return null;
  const key = (f: (typeof factors)[number]) => f!.indices.map((n) => n.text).join();
  const a = factors.find((f) => key(f) === `${i},${k.text}`);
  const b = factors.find((f) => key(f) === `${k.text},${j}`);
  if (!a || !b) return null;
  const outName = target.object.text;
  const output = freshOutput(outName, scope, 2, e);
  if (!output.ok) return scope.array(outName) ? output : null;
  const made = scope.definition(outName)?.value;
  if (output.value.madeBy !== 'zeros' || !made) return miss(`\`${outName}\` is not initialised with zeros`, loop);
  if (output.value.dtype !== 'float64') return miss(`\`${outName}\` has dtype ${output.value.dtype}: \`+=\` of a float product would be truncated element by element`, loop);
  if (output.value.shape!.join() !== `${rows},${cols}`) return miss(`\`${outName}\` has shape (${output.value.shape!.join(', ')}), not (${rows}, ${cols})`, loop);
  const doubts: string[] = [];
  const facts: ArrayFact[] = [];
  for (const [f, expected] of [[a, [rows, depth]], [b, [depth, cols]]] as const) {
    const array = scope.array(f.object.text);
    if (!array) return miss(`\`${f.object.text}\` is not known to be a NumPy array`, loop);
    if (array.name === outName || array.reads.includes(outName)) return miss(`\`${array.name}\` may share memory with \`${outName}\``, loop);
    if (array.mayAlias) doubts.push(`\`${array.name}\` may share memory with \`${outName}\`: ${array.mayAlias}`);
    if (!array.shape) doubts.push(`the shape of \`${array.name}\` is not known: the rewrite assumes (${expected.join(', ')})`);
    else if (array.shape.join() !== expected.join()) return miss(`\`${array.name}\` has shape (${array.shape.join(', ')}), not (${expected.join(', ')})`, loop);
    facts.push(array);
  }
  doubts.unshift('`@` sums each dot product in the order the BLAS library chooses (blocked, vectorised, possibly with fused multiply-add): float results can differ from the `+=` loop in the last bits');
  doubts.push(...arrayDoubts(facts, null, true));
  return replacingLoop('PAR301', loop, {
    statement: `${outName} += ${a.object.text} @ ${b.object.text}`,
    shape: 'a matrix product',
    evidence: [output.value.evidence, ...facts.map((f) => f.evidence)],
    doubts,
    risks: [
      '**Floating point:** the matrix product reorders the additions of each dot product: float results may differ in the last bits (integer-valued data stays exact).',
      `**Memory:** \`${a.object.text} @ ${b.object.text}\` allocates one temporary of the output's size.`,
      `**dtype:** \`${outName} += …\` adds into the existing float64 array, keeping its dtype, shape and identity.`,
    ],
    elements: knownProduct([rows, cols, depth]),
  });
}

// ------------------------------------------------------------------------------------------------- PAR303

export type RowAccess = 'iterrows' | 'itertuples' | 'apply';

/** `totals = []` / `for _, row in df.iterrows(): totals.append(f(row))` / `df["c"] = totals` → `df["c"] = f(df)`. */
function rowLoop(loop: SyntaxNode, module: ModuleInfo): Result<VectorPlan> | null {
  const statement = soleStatement(loop);
  const target = loop.childForFieldName('left');
  const iterable = loop.childForFieldName('right');
  if (!statement || !target || iterable?.type !== 'call') return null;
  const method = iterable.childForFieldName('function');
  const frameNode = method?.type === 'attribute' ? method.childForFieldName('object') : null;
  const access = method?.type === 'attribute' ? method.childForFieldName('attribute')?.text : undefined;
  if (frameNode?.type !== 'identifier' || (access !== 'iterrows' && access !== 'itertuples')) return null;
  const iterArgs = namedChildren(iterable.childForFieldName('arguments')!);
  if (access === 'iterrows' && iterArgs.length > 0) return null;
  if (access === 'itertuples' && !iterArgs.every((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'index')) return miss('`itertuples` with a `name` argument is not translated', loop);
  let row: string;
  let index: string | null = null;
  if (access === 'iterrows') {
    const names = namedChildren(target);
    if ((target.type !== 'pattern_list' && target.type !== 'tuple_pattern') || names.length !== 2 || !names.every((n) => n.type === 'identifier')) return null;
    row = names[1].text;
    index = names[0].text;
  } else {
    if (target.type !== 'identifier') return null;
    row = target.text;
  }
  const scope = new ArrayScope(module, loop);
  const frame = frameNode.text;
  const cell = locStore(statement, frame, index);
  if (cell) return locPlan(loop, cell, row, frame, index!, scope);
  // `if c: vals.append(a)` / `else: vals.append(b)`: one value per row either way, `np.where(c, a, b)`
  const branches = appendBranches(statement);
  const call = expressionOf(branches?.then ?? statement);
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  const args = call?.type === 'call' ? namedChildren(call.childForFieldName('arguments')!) : [];
  const list = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'append' || list?.type !== 'identifier' || args.length !== 1) {
    return miss(statement.type === 'if_statement' ? 'the `if` does not append one value to the same list in each of its two branches' : 'the body does not append one value per row to a list', statement);
  }
  const otherwise = branches ? expressionOf(branches.otherwise) : null;
  const otherFn = otherwise?.type === 'call' ? otherwise.childForFieldName('function') : null;
  const otherArgs = otherwise?.type === 'call' ? namedChildren(otherwise.childForFieldName('arguments')!) : [];
  if (branches && (otherFn?.type !== 'attribute' || otherFn.childForFieldName('attribute')?.text !== 'append' || otherFn.childForFieldName('object')?.text !== list.text || otherArgs.length !== 1)) {
    return miss('the `if` does not append one value to the same list in each of its two branches', statement);
  }
  const previous = previousStatement(loop);
  const init = previous && expressionOf(previous);
  if (!init || init.type !== 'assignment' || init.childForFieldName('left')?.text !== list.text || init.childForFieldName('right')?.text.replace(/\s/g, '') !== '[]') {
    return miss(`\`${list.text}\` is not an empty list created right before the loop`, loop);
  }
  const next = nextStatement(loop);
  const store = next && expressionOf(next);
  const column = store?.type === 'assignment' ? indexChain(store.childForFieldName('left')!) : null;
  const stored = store?.type === 'assignment' ? store.childForFieldName('right') : null;
  if (!column || column.object.text !== frame || column.indices.length !== 1 || column.indices[0].type !== 'string' || stored?.text !== list.text) {
    return miss(`the list \`${list.text}\` is not assigned to a column of \`${frame}\` right after the loop`, loop);
  }
  // the list must serve only that column
  let uses = 0;
  walk(enclosingFunction(loop) ?? scope.module.root, (n) => {
    if (n.type === 'identifier' && n.text === list.text) uses++;
    return true;
  });
  if (uses !== (branches ? 4 : 3) || !scope.boundOnce(list.text)) return miss(`\`${list.text}\` is used for more than the column`, loop);
  const plan = rowPlan(branches ? { condition: branches.condition, then: args[0], otherwise: otherArgs[0] } : args[0], row, frame, access, scope, loop, index);
  if (!plan.ok) return plan;
  return {
    ok: true,
    value: { ...plan.value, node: loop, first: previous!, last: next!, statement: `${column.object.text}[${column.indices[0].text}] = ${plan.value.statement}` },
  };
}

/** `if c: <then>` / `else: <otherwise>` with one statement in each branch and no `elif`. */
function appendBranches(statement: SyntaxNode): { condition: SyntaxNode; then: SyntaxNode; otherwise: SyntaxNode } | null {
  if (statement.type !== 'if_statement') return null;
  const alternatives = statement.childrenForFieldName('alternative').filter((a): a is SyntaxNode => a !== null);
  const consequence = statementsOf(statement.childForFieldName('consequence'));
  const elseBody = alternatives.length === 1 && alternatives[0].type === 'else_clause' ? statementsOf(alternatives[0].childForFieldName('body')) : [];
  if (consequence.length !== 1 || elseBody.length !== 1) return null;
  return { condition: statement.childForFieldName('condition')!, then: consequence[0], otherwise: elseBody[0] };
}

/** `df.loc[i, "c"] = value` / `df.at[i, "c"] = value` with `i` the row label from `iterrows`: the column and the value. */
function locStore(statement: SyntaxNode, frame: string, index: string | null): { column: string; value: SyntaxNode; via: string } | null {
  const e = expressionOf(statement);
  const left = e?.type === 'assignment' ? e.childForFieldName('left') : null;
  const accessor = left?.type === 'subscript' ? left.childForFieldName('value') : null;
  if (!index || accessor?.type !== 'attribute' || accessor.childForFieldName('object')?.text !== frame) return null;
  const via = accessor.childForFieldName('attribute')?.text;
  const keys = left!.childrenForFieldName('subscript');
  const column = keys.length === 2 && keys[1] ? stringValue(keys[1]) : null;
  if ((via !== 'loc' && via !== 'at') || keys[0]?.text !== index || column === null || e!.childForFieldName('type')) return null;
  return { column, value: e!.childForFieldName('right')!, via };
}

/** `for i, row in df.iterrows(): df.loc[i, "c"] = f(row)` → `df["c"] = f(df)`. */
function locPlan(loop: SyntaxNode, store: { column: string; value: SyntaxNode; via: string }, row: string, frame: string, index: string, scope: ArrayScope): Result<VectorPlan> {
  const plan = rowPlan(store.value, row, frame, 'iterrows', scope, loop, index);
  if (!plan.ok) return plan;
  const facts = scope.frame(frame);
  const doubts = [...plan.value.doubts];
  const literalRows = facts?.columns !== undefined && scope.definition(frame) !== null;
  if (!literalRows) {
    doubts.push(`the index of \`${frame}\` is not known to be unique: \`${frame}.${store.via}[${index}, …]\` sets every row of a repeated label, each time, where the column expression sets each row once`);
    doubts.push(`\`${frame}\` may be empty: then the loop adds no column \`${store.column}\`, while the column expression adds an empty one`);
  }
  const existing = facts?.columns?.get(store.column);
  // `iterrows` hands over every row as one float64 Series when the frame is numeric with a float column
  const floats = facts?.columns !== undefined && [...facts.columns.values()].every((d) => d === 'float64' || d === 'int64') && [...facts.columns.values()].includes('float64');
  if (existing === undefined) {
    // a column made by `.loc` starts as NaN (float64) and keeps that dtype when integers are stored into it
    if (!floats) doubts.push(`\`${frame}.${store.via}[${index}, ${JSON.stringify(store.column)}] = …\` creates the column as float64 (it starts as NaN): if the values are integers the column expression keeps int64`);
  } else if (existing !== 'float64') {
    doubts.push(`column \`${store.column}\` already exists with dtype ${existing}: storing row by row may cast each value to it (or upcast the column), the column expression replaces it with its own dtype`);
  }
  return {
    ok: true,
    value: {
      ...plan.value,
      node: loop,
      first: loop,
      last: loop,
      statement: `${frame}[${JSON.stringify(store.column)}] = ${plan.value.statement}`,
      doubts: [...new Set(doubts)],
      writes: `\`${frame}.${store.via}[${index}, ${JSON.stringify(store.column)}] = …\` stores into this row's own cell of column \`${store.column}\`, which no iteration reads (disjoint writes, not shared state)`,
    },
  };
}

/** `df["c"] = df.apply(lambda row: f(row), axis=1)` → `df["c"] = f(df)`; the plan replaces the call only. */
export function matchApply(call: SyntaxNode, module: ModuleInfo): Result<VectorPlan> | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'apply') return null;
  const frameNode = fn.childForFieldName('object');
  const args = namedChildren(call.childForFieldName('arguments')!);
  const axis = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'axis')?.childForFieldName('value') ?? args[1];
  if (frameNode?.type !== 'identifier' || !axis || !(axis.text === '1' || stringValue(axis) === 'columns')) return null;
  const lambda = args[0];
  if (!lambda || args.length > 2 || (args.length === 2 && args[1].type !== 'keyword_argument' && args[1].id !== axis.id)) return null;
  // `df.apply(f, axis=1)` with `f` a function of this module that returns one expression of the row (or one of two)
  const named = lambda.type === 'identifier' ? rowFunction(lambda.text, module) : null;
  if (lambda.type !== 'lambda' && !named) return null;
  if (named && !named.ok) return miss(named.miss.reason, call);
  const params = lambda.type === 'lambda' ? lambda.childForFieldName('parameters') : named!.ok ? named!.value.fn.childForFieldName('parameters') : null;
  const paramNames = params ? namedChildren(params) : [];
  if (paramNames.length !== 1 || paramNames[0].type !== 'identifier') return miss(`the ${named ? 'function' : 'lambda'} does not take exactly one row`, call);
  const assignment = call.parent;
  const column = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call.id ? indexChain(assignment.childForFieldName('left')!) : null;
  if (!column || column.object.text !== frameNode.text || column.indices.length !== 1 || column.indices[0].type !== 'string' || assignment?.parent?.type !== 'expression_statement') {
    return miss(`the result is not assigned to a column of \`${frameNode.text}\``, call);
  }
  const scope = new ArrayScope(module, assignment.parent);
  const body = named?.ok ? named.value.body : lambda.childForFieldName('body')!;
  if (named?.ok) {
    // inlined at the call, a name the function reads from its module could mean something else there
    const free = freeNameOf(named.value.fn, paramNames[0].text, module);
    if (free) return miss(`\`${lambda.text}\` reads \`${free}\`, which the column expression written at the call could resolve to another value`, call);
  }
  const plan = rowPlan(body, paramNames[0].text, frameNode.text, 'apply', scope, call);
  if (!plan.ok) return plan;
  if (named?.ok) plan.value.evidence.push(`\`${lambda.text}\` (line ${lineOf(named.value.fn)}) returns ${'condition' in body ? 'one of two expressions' : 'one expression'} of the row's columns`);
  return { ok: true, value: { ...plan.value, node: call, first: call, last: call } };
}

/** A name a row function reads other than its row, the module's NumPy / math imports and `abs`; null when none. */
function freeNameOf(fn: SyntaxNode, row: string, module: ModuleInfo): string | null {
  let found: string | null = null;
  walk(fn.childForFieldName('body')!, (n) => {
    if (found) return false;
    if (n.type === 'attribute') {
      walk(n.childForFieldName('object')!, (m) => {
        if (!found && m.type === 'identifier' && m.text !== row && !['numpy', 'math'].includes(module.imports.get(m.text) ?? '')) found = m.text;
        return !found;
      });
      return false;
    }
    if (n.type === 'keyword_argument') return true;
    if (n.type === 'identifier' && n.text !== row && n.text !== 'abs') found = n.text;
    return true;
  });
  return found;
}

/** A row value written as branches: `if c: return a` / `return b`. */
export interface RowBranches {
  condition: SyntaxNode;
  then: SyntaxNode;
  otherwise: SyntaxNode;
}

/**
 * A module-level function the rewrite can inline: one parameter, no decorators, and a body of `return e`, or of
 * `if c: return a` followed by `else: return b` or `return b` (docstrings and comments aside).
 */
function rowFunction(name: string, module: ModuleInfo): Result<{ fn: SyntaxNode; body: SyntaxNode | RowBranches }> | null {
  const fn = module.functions.get(name);
  if (!fn || fn.parent?.type === 'decorated_definition' || module.bindings.get(name) !== 'def') return null;
  const statements = statementsOf(fn.childForFieldName('body')).filter((st, i) => !(i === 0 && expressionOf(st)?.type === 'string'));
  const returned = (st: SyntaxNode | undefined) => (st?.type === 'return_statement' && namedChildren(st).length === 1 ? namedChildren(st)[0] : null);
  if (statements.length === 1 && returned(statements[0])) return { ok: true, value: { fn, body: returned(statements[0])! } };
  const branch = statements[0];
  if (branch?.type === 'if_statement' && statements.length <= 2) {
    const consequence = statementsOf(branch.childForFieldName('consequence'));
    const alternatives = branch.childrenForFieldName('alternative').filter((a): a is SyntaxNode => a !== null);
    const otherwise = statements.length === 2 && alternatives.length === 0 ? statements[1] : alternatives.length === 1 && alternatives[0].type === 'else_clause' && statements.length === 1 ? statementsOf(alternatives[0].childForFieldName('body'))[0] : null;
    const elseBody = alternatives.length === 1 ? statementsOf(alternatives[0].childForFieldName('body')) : [];
    if (consequence.length === 1 && returned(consequence[0]) && otherwise && returned(otherwise) && (alternatives.length === 0 || elseBody.length === 1)) {
      return { ok: true, value: { fn, body: { condition: branch.childForFieldName('condition')!, then: returned(consequence[0])!, otherwise: returned(otherwise)! } } };
    }
  }
  return miss(`\`${name}\` does more than return one expression of the row (or one of two, under an \`if\`): its branches cannot be vectorised safely`, fn);
}

/** The column expression for a per-row expression, and what the row's types make unsafe. */
export function rowPlan(expr: SyntaxNode | RowBranches, row: string, frame: string, access: RowAccess, scope: ArrayScope, node: SyntaxNode, index: string | null = null): Result<VectorPlan> {
  const facts = scope.frame(frame);
  const columns = facts?.columns;
  const leaf = (n: SyntaxNode): Leaf => {
    if (n.type === 'identifier') {
      if (n.text === row) return { miss: `the whole row \`${row}\` is used, not one column` };
      if (n.text === index) return { miss: `the row index \`${index}\` is used` };
      return n.text === frame ? { miss: `\`${frame}\` is read inside the loop` } : undefined;
    }
    let name: string | null = null;
    let root: SyntaxNode | null = n;
    while (root && (root.type === 'subscript' || root.type === 'attribute')) root = root.childForFieldName(root.type === 'subscript' ? 'value' : 'object');
    if (root?.text === frame) return { miss: `\`${frame}\` itself is read inside the loop (\`${n.text.slice(0, 40)}\`): where the loop writes it, a row would see the values earlier rows stored` };
    if (n.type === 'subscript' && access !== 'itertuples') {
      const keys = n.childrenForFieldName('subscript');
      if (n.childForFieldName('value')?.text === row && keys.length === 1 && keys[0]) name = stringValue(keys[0]);
    } else if (n.type === 'attribute' && n.childForFieldName('object')?.text === row) {
      name = n.childForFieldName('attribute')!.text;
      if (access === 'itertuples' && name === 'Index') return { miss: 'the row index is used' };
      // `row.name` on a Series is its label, `row.size` its length: only other names read a column
      if (access !== 'itertuples' && !rowAttributeIsColumn(name)) return { miss: `\`${n.text}\` is an attribute of the row Series, not a column` };
    }
    if (name === null) return n.type === 'attribute' ? undefined : { miss: `\`${n.text}\` is not a column of the row` };
    if (columns && !columns.has(name)) return { miss: `\`${name}\` is not a column of \`${frame}\`` };
    if (columns && columns.get(name) !== 'float64' && columns.get(name) !== 'int64') return { miss: `column \`${name}\` is not numeric` };
    return { text: `${frame}[${JSON.stringify(name)}]`, column: name };
  };
  const t = 'condition' in expr ? translateBranches(expr, scope, leaf) : translate(expr, scope, leaf, 'pandas');
  if (!t.ok) return t;
  if (t.value.columns.length === 0) return miss('no column of the row is read', 'condition' in expr ? expr.condition : expr);
  const doubts = [...t.value.doubts, ...operatorDoubts(t.value.operators)];
  for (const branch of t.value.branches ?? []) {
    // a branch that yields an int literal: when every row takes it, the loop's column is int64, np.where's float64
    let typed = false;
    walk(branch, (x) => {
      if (x.type === 'float' || x.type === 'subscript' || x.type === 'attribute' || (x.type === 'binary_operator' && x.childForFieldName('operator')?.text === '/')) typed = true;
      return !typed;
    });
    if (!typed) doubts.push(`the branch \`${branch.text}\` yields an integer: when every row takes it the loop's column is int64, while \`np.where\` mixes it with the other branch's type`);
  }
  const used = [...new Set(t.value.columns)];
  const risks: string[] = [];
  if (!columns) {
    doubts.push(`the columns and dtypes of \`${frame}\` are not known${facts ? ` (${facts.evidence})` : ''}: a row loop sees values upcast to one dtype (\`iterrows\`, \`apply\`) or as Python numbers (\`itertuples\`), the column expression keeps each column's dtype`);
  } else {
    const numeric = [...columns.values()].every((d) => d === 'float64' || d === 'int64');
    const rowDtype = [...columns.values()].includes('float64') ? 'float64' : 'int64';
    const pythonScalars = access === 'itertuples' || !numeric;
    if (!pythonScalars) {
      for (const c of used) {
        if (columns.get(c) !== rowDtype) doubts.push(`column \`${c}\` is ${columns.get(c)} but \`${access}\` hands each row over as one ${rowDtype} Series, so the loop computed in ${rowDtype}: the new column's dtype and printed form can differ`);
      }
    } else {
      for (const c of used) if (columns.get(c) === 'int64') doubts.push(`column \`${c}\` holds integers: the loop computed with Python ints (unbounded), the column expression with int64 (wraps on overflow)`);
      if (t.value.mayDivideByZero) doubts.push('division by zero raises `ZeroDivisionError` on the Python numbers of the loop; the column expression yields inf or nan');
    }
    risks.push(`**Types:** ${pythonScalars ? `\`${access}\` yields plain Python numbers here` : `\`${access}\` upcasts each row to ${rowDtype}`}; ${doubts.length === 0 ? 'every column read has that type already, so the values and the new column\'s dtype are the same' : 'see above for the columns where that matters'}.`);
  }
  risks.push('**Missing values:** `NaN` propagates the same way; `None` raises `TypeError` in the loop but becomes `NaN` in the column expression.');
  risks.push('**Memory:** each operator allocates a temporary column.');
  return {
    ok: true,
    value: {
      rule: 'PAR303',
      node,
      first: node,
      last: node,
      statement: t.value.text,
      shape: `a column computed row by row with \`${access === 'apply' ? 'apply(axis=1)' : access}\``,
      evidence: [facts?.evidence ?? `\`${frame}.${access === 'apply' ? 'apply(…, axis=1)' : `${access}()`}\` is a pandas DataFrame method`],
      doubts: [...new Set(doubts)],
      risks,
    },
  };
}

export type { DType };
