// What the analysis can prove about NumPy arrays and pandas DataFrames named in a scope: how a name was
// made (the evidence a hover names), its dtype, its shape as symbolic lengths, and whether it is a fresh
// allocation no other name refers to. Anything not proven stays 'unknown'.
import type { SyntaxNode } from '../parser';
import { descendantsNamed, dottedName, enclosingFunction, isAncestorOf, lineOf, namedChildren, SCOPE_TYPES, tokensSpelled, walk } from '../syntax';
import { callSitesOf, type ModuleInfo, namesBoundBy, parameterNames } from './scope';

export type DType = 'float64' | 'int64' | 'other' | 'unknown';

export interface ArrayFact {
  name: string;
  /** Why the name is a NumPy array, for the hover: "`a` is assigned from `np.zeros` at line 4". */
  evidence: string;
  dtype: DType;
  /** Symbolic lengths per axis ('800', 'n', 'len(values)'); undefined when the shape is not known. */
  shape?: string[];
  /** A new allocation that no other name refers to (the output of a rewrite must be one). */
  fresh: boolean;
  /** Names the defining expression reads (an input made from the output would alias it). */
  reads: string[];
  /** The NumPy function that made it (`zeros`, `linspace`, …), when one did. */
  madeBy?: string;
  /** Set when the array may be a view of something the analysis does not follow (`np.asarray(x)`). */
  mayAlias?: string;
  /** Set when only the calls in this file show the name is an array (a parameter): what that leaves open. */
  fromCallers?: string;
}

export interface FrameFact {
  name: string;
  evidence: string;
  /** Column name → dtype, when the frame is built from a literal dict of lists and not changed before. */
  columns?: Map<string, DType | 'object'>;
}

/** What a scope knows: names of the numpy / pandas modules and single assignments before a node. */
export class ArrayScope {
  readonly numpy: string | null;
  readonly pandas: string | null;
  private readonly body: SyntaxNode;
  private readonly fn: SyntaxNode | null;
  private bindingsCache: Map<string, SyntaxNode[]> | null = null;

  constructor(
    readonly module: ModuleInfo,
    /** The node the facts must hold at (a loop): definitions must run before it on every path. */
    readonly at: SyntaxNode,
  ) {
    this.numpy = aliasOf(module, 'numpy');
    this.pandas = aliasOf(module, 'pandas');
    this.fn = enclosingFunction(at);
    this.body = this.fn ? this.fn.childForFieldName('body')! : module.root;
  }

  /** Every node binding each name in the scope (nested scopes excluded), computed on first use. */
  private get bindings(): Map<string, SyntaxNode[]> {
    if (this.bindingsCache) return this.bindingsCache;
    const bindings = new Map<string, SyntaxNode[]>();
    walk(this.body, (n) => {
      if (n.id !== this.body.id && SCOPE_TYPES.has(n.type)) return false;
      const names = n.type === 'global_statement' || n.type === 'nonlocal_statement' ? namedChildren(n).map((c) => c.text) : namesBoundBy(n);
      for (const name of names) {
        const list = bindings.get(name) ?? [];
        list.push(n);
        bindings.set(name, list);
      }
      return true;
    });
    this.bindingsCache = bindings;
    return bindings;
  }

  /** Whether `name` is bound exactly once in the scope (a parameter counts) and never declared global. */
  boundOnce(name: string): boolean {
    if (!this.fn && this.declaredGlobal().has(name)) return false;
    const count = (this.bindings.get(name)?.length ?? 0) + (this.isParameter(name) ? 1 : 0);
    return count === 1 && !(this.bindings.get(name) ?? []).some((n) => n.type === 'global_statement' || n.type === 'nonlocal_statement');
  }

  private globalsCache: Set<string> | null = null;

  /** Names some function of the module declares `global` (it may rebind them at any call). */
  private declaredGlobal(): Set<string> {
    this.globalsCache ??= new Set(descendantsNamed(this.module.root, 'global_statement').flatMap((g) => namedChildren(g).map((c) => c.text)));
    return this.globalsCache;
  }

  /** Whether the scope binds `name` at all (a local shadowing a builtin, a parameter). */
  binds(name: string): boolean {
    return this.bindings.has(name) || this.isParameter(name) || this.module.bindings.has(name);
  }

  isParameter(name: string): boolean {
    return !!this.fn && parameterNames(this.fn).includes(name);
  }

  /** The right-hand side of the single plain `name = …` that runs before `at` on every path, if any. */
  definition(name: string): { value: SyntaxNode; statement: SyntaxNode } | null {
    if (!this.boundOnce(name) || this.isParameter(name)) return null;
    const node = this.bindings.get(name)![0];
    if (node.type !== 'assignment' || node.childForFieldName('left')?.type !== 'identifier' || node.childForFieldName('type')) return null;
    const value = node.childForFieldName('right');
    const statement = node.parent;
    if (!value || !statement || statement.type !== 'expression_statement' || statement.endIndex > this.at.startIndex) return null;
    // it dominates `at` when its block encloses `at`
    const block = statement.parent;
    if (!block || !(block.id === this.body.id || isAncestorOf(block, this.at))) return null;
    return { value, statement };
  }

  /** A symbolic length for an expression sizing an array or a range, or null when it cannot be trusted. */
  length(expr: SyntaxNode | null): string | null {
    if (!expr) return null;
    if (expr.type === 'integer') return String(Number(expr.text.replace(/_/g, '')));
    if (expr.type === 'parenthesized_expression') return this.length(namedChildren(expr)[0] ?? null);
    if (expr.type === 'identifier') {
      // a size is a parameter or a name assigned once before `at`: not a loop variable, not rebound
      const def = this.definition(expr.text);
      if (def?.value.type === 'integer') return this.length(def.value);
      return def || (this.isParameter(expr.text) && this.boundOnce(expr.text)) ? expr.text : null;
    }
    if (expr.type === 'call' && expr.childForFieldName('function')?.text === 'len') {
      const args = namedChildren(expr.childForFieldName('arguments')!);
      if (args.length !== 1 || args[0].type !== 'identifier') return null;
      const fact = this.array(args[0].text);
      if (fact?.shape) return fact.shape[0];
      if (fact) return `len(${args[0].text})`;
      return this.boundOnce(args[0].text) && !this.mutated(args[0].text) ? `len(${args[0].text})` : null;
    }
    // `a.shape[0]`
    if (expr.type === 'subscript') {
      const value = expr.childForFieldName('value');
      const index = expr.childForFieldName('subscript');
      if (value?.type === 'attribute' && value.childForFieldName('attribute')?.text === 'shape' && index?.type === 'integer') {
        const object = value.childForFieldName('object');
        const fact = object?.type === 'identifier' ? this.array(object.text) : null;
        const axis = Number(index.text);
        if (fact?.shape && axis < fact.shape.length) return fact.shape[axis];
        if (fact) return axis === 0 ? `len(${object!.text})` : `${object!.text}.shape[${axis}]`;
      }
    }
    return null;
  }

  /** Whether a list-like name is changed in place anywhere in the scope (its length may change). */
  private mutated(name: string): boolean {
    let found = false;
    walk(this.body, (n) => {
      if (found) return false;
      if (n.type === 'call') {
        const fn = n.childForFieldName('function');
        if (fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name) found = true;
      }
      if (n.type === 'delete_statement' && n.text.includes(name)) found = true;
      if ((n.type === 'augmented_assignment' || n.type === 'assignment') && n.childForFieldName('left')?.type === 'subscript' && n.childForFieldName('left')!.childForFieldName('value')?.text === name) found = true;
      return true;
    });
    return found;
  }

  /** What is known about `name` as a NumPy array, or null when it is not known to be one. */
  array(name: string, depth = 0): ArrayFact | null {
    if (!this.numpy) return null;
    if (this.isParameter(name)) return this.boundOnce(name) ? this.parameterArray(name, depth) : this.convertedParameter(name);
    const def = this.definition(name);
    if (!def || depth > 4) return null;
    const made = this.evaluate(def.value, depth);
    if (!made) return null;
    return { name, ...made, evidence: `\`${name}\` is assigned from ${made.evidence} at line ${lineOf(def.statement)}` };
  }

  private parameterArray(name: string, depth = 0): ArrayFact | null {
    const params = this.fn!.childForFieldName('parameters');
    const param = params ? namedChildren(params).find((p) => (p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? namedChildren(p)[0])?.text) === name) : undefined;
    const annotation = param?.childForFieldName('type')?.text.replace(/\s+/g, '');
    const base: ArrayFact = { name, evidence: '', dtype: 'unknown', fresh: false, reads: [] };
    if (annotation && this.numpy && (annotation === `${this.numpy}.ndarray` || annotation.startsWith('npt.NDArray') || annotation.startsWith(`${this.numpy}.typing.NDArray`))) {
      const m = /NDArray\[(?:np|numpy)\.(float64|int64)\]/.exec(annotation);
      return { ...base, dtype: m ? (m[1] as DType) : 'unknown', evidence: `parameter \`${name}\` is annotated \`${annotation}\`` };
    }
    // a parameter used with methods only NumPy arrays have
    let use: SyntaxNode | null = null;
    walk(this.fn!.childForFieldName('body')!, (n) => {
      if (use) return false;
      if (n.type === 'attribute' && n.childForFieldName('object')?.text === name && NDARRAY_ONLY_METHODS.has(n.childForFieldName('attribute')?.text ?? '') && n.parent?.type === 'call') use = n;
      return !SCOPE_TYPES.has(n.type);
    });
    if (use) return { ...base, evidence: `parameter \`${name}\` is used with the NumPy method \`${(use as SyntaxNode).text}()\` at line ${lineOf(use)}` };
    return depth === 0 ? this.arrayFromCallSites(name, param) : null;
  }

  /**
   * A parameter every call in the file passes a NumPy array for (`table_of(np.linspace(0, 1, n), w)`): an array
   * of the dtype all the calls agree on. Its shape is the callers', not known here.
   */
  private arrayFromCallSites(name: string, param: SyntaxNode | undefined): ArrayFact | null {
    const fn = this.fn!;
    const fnName = fn.childForFieldName('name')?.text;
    if (!fnName || fn.parent?.type !== 'module' || !param || param.type !== 'identifier' || this.module.functions.get(fnName)?.id !== fn.id) return null;
    const position = parameterNames(fn).indexOf(name);
    const calls = callSitesOf(this.module, fnName);
    // the function must not escape as a value (a callback, `map(f, …)`): every use of its name is one of these calls
    const uses = tokensSpelledName(this.module.root, fnName);
    if (calls.length === 0 || uses !== calls.length + 1) return null;
    const facts: ArrayFact[] = [];
    for (const call of calls) {
      const args = namedChildren(call.childForFieldName('arguments')!);
      if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return null;
      const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value');
      const positional = args.filter((a) => a.type !== 'keyword_argument');
      const arg = keyword ?? positional[position];
      if (!arg || isAncestorOf(fn, call)) return null;
      const fact = new ArrayScope(this.module, call).expressionArray(arg);
      if (!fact) return null;
      facts.push(fact);
    }
    const dtypes = new Set(facts.map((f) => f.dtype));
    const lines = calls.map((c) => lineOf(c)).join(', ');
    return {
      name,
      evidence: `every call of \`${fnName}\` in this file (line${calls.length > 1 ? 's' : ''} ${lines}) passes a NumPy array as \`${name}\` (${facts[0].evidence.replace(/^`[^`]*` is /, '')})`,
      dtype: dtypes.size === 1 ? facts[0].dtype : 'unknown',
      fresh: false,
      reads: [],
      fromCallers: `\`${name}\` is known to be a NumPy array only from the calls in this file: a caller elsewhere may pass something else`,
    };
  }

  /** `w = np.asarray(w)` (or `np.array`, `.astype`) as a statement of the function body before the loop: an array of unknown shape. */
  private convertedParameter(name: string): ArrayFact | null {
    const bindings = (this.bindings.get(name) ?? []).filter((b) => b.type !== 'parameters');
    if (bindings.length !== 1 || bindings[0].type !== 'assignment') return null;
    const node = bindings[0];
    const statement = node.parent;
    const value = node.childForFieldName('right');
    if (node.childForFieldName('left')?.type !== 'identifier' || statement?.type !== 'expression_statement' || statement.parent?.id !== this.body.id || statement.endIndex > this.at.startIndex || value?.type !== 'call') return null;
    const callee = dottedName(value.childForFieldName('function'));
    const args = namedChildren(value.childForFieldName('arguments')!);
    const np = this.numpy;
    if ((callee !== `${np}.asarray` && callee !== `${np}.array`) || args[0]?.text !== name || args.slice(1).some((a) => a.type !== 'keyword_argument')) return null;
    const dtypeArg = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'dtype')?.childForFieldName('value');
    return {
      name,
      evidence: `parameter \`${name}\` is converted with \`${callee}\` at line ${lineOf(statement)}`,
      dtype: dtypeArg ? this.dtypeOf(dtypeArg) : 'unknown',
      fresh: false,
      // the caller's array (or a copy): never one of the fresh outputs a rewrite stores into
      reads: [name],
    };
  }

  /** What is known about an expression as a NumPy array here: a name, or an array-making call. */
  expressionArray(expr: SyntaxNode): ArrayFact | null {
    // depth 1: a caller's own parameters are not traced back to their callers in turn
    if (expr.type === 'identifier') return this.array(expr.text, 1);
    const made = this.numpy ? this.evaluate(expr, 1) : null;
    return made ? { name: expr.text, ...made, evidence: `${made.evidence} at line ${lineOf(expr)}` } : null;
  }

  /** Evaluates an array-making expression: its dtype, shape and freshness. */
  private evaluate(expr: SyntaxNode, depth: number): Omit<ArrayFact, 'name'> | null {
    const np = this.numpy;
    const reads: string[] = [];
    walk(expr, (n) => {
      if (n.type === 'identifier') reads.push(n.text);
      return true;
    });
    if (expr.type === 'binary_operator' && ARITHMETIC.has(expr.childForFieldName('operator')?.text ?? '')) {
      // `np.arange(n) * 0.5`: a new array with the operand's shape
      const [l, r] = [expr.childForFieldName('left')!, expr.childForFieldName('right')!];
      const [arr, lit] = l.type === 'float' || l.type === 'integer' ? [r, l] : [l, r];
      if (lit.type !== 'float' && lit.type !== 'integer') return null;
      const inner = this.evaluateOperand(arr, depth);
      if (!inner) return null;
      const op = expr.childForFieldName('operator')!.text;
      const dtype = inner.dtype === 'unknown' || inner.dtype === 'other' ? inner.dtype : lit.type === 'float' || op === '/' ? 'float64' : inner.dtype;
      return { evidence: `\`${expr.text}\``, dtype, shape: inner.shape, fresh: true, reads };
    }
    if (expr.type !== 'call') return null;
    const fnNode = expr.childForFieldName('function');
    const callee = dottedName(fnNode);
    const args = namedChildren(expr.childForFieldName('arguments')!);
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    const keyword = (k: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k)?.childForFieldName('value') ?? null;
    if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return null;
    // methods of a known array: `.reshape(…)`, `.astype(…)`, `.copy()`
    if (fnNode?.type === 'attribute') {
      const method = fnNode.childForFieldName('attribute')!.text;
      const object = fnNode.childForFieldName('object')!;
      if (['reshape', 'astype', 'copy'].includes(method)) {
        const base = this.evaluateOperand(object, depth);
        if (!base) return null;
        const base_ = object.type === 'call' ? dottedName(object.childForFieldName('function')) : null;
        const evidence = `\`${callee ?? `${base_ ?? '…'}(…).${method}`}\``;
        if (method === 'copy' && positional.length === 0) return { ...base, evidence, fresh: true, reads };
        if (method === 'astype' && positional.length === 1) return { ...base, evidence, dtype: this.dtypeOf(positional[0]), fresh: true, reads };
        if (method === 'reshape' && args.length === positional.length) {
          const dims = positional.length === 1 && positional[0].type === 'tuple' ? namedChildren(positional[0]) : positional;
          const shape = dims.map((d) => this.length(d));
          // a reshaped temporary is fresh; a reshaped name is a view of it
          return { ...base, evidence, shape: shape.every((s) => s !== null) ? (shape as string[]) : undefined, fresh: base.fresh && object.type !== 'identifier', reads };
        }
      }
    }
    const rng = this.isGenerator(fnNode);
    if ((!callee && !rng) || !np) return null;
    const fn = rng ? `rng.${fnNode!.childForFieldName('attribute')!.text}` : callee!.startsWith(`${np}.`) ? callee!.slice(np.length + 1) : null;
    if (!fn) return null;
    const dtypeArg = keyword('dtype');
    const evidence = `\`${callee ?? fnNode!.text.replace(/\(.*\)/s, '(…)')}\``;
    const dims = (shapeArg: SyntaxNode | SyntaxNode[] | null | undefined): string[] | undefined => {
      if (!shapeArg) return undefined;
      const parts = Array.isArray(shapeArg) ? shapeArg : shapeArg.type === 'tuple' || shapeArg.type === 'list' ? namedChildren(shapeArg) : [shapeArg];
      const lengths = parts.map((p) => this.length(p));
      return lengths.every((l) => l !== null) ? (lengths as string[]) : undefined;
    };
    const made = this.constructed(fn, positional, keyword, dims, dtypeArg, evidence, reads, depth);
    return made ? { ...made, madeBy: fn } : null;
  }

  private constructed(
    fn: string,
    positional: SyntaxNode[],
    keyword: (k: string) => SyntaxNode | null,
    dims: (shapeArg: SyntaxNode | SyntaxNode[] | null | undefined) => string[] | undefined,
    dtypeArg: SyntaxNode | null,
    evidence: string,
    reads: string[],
    depth: number,
  ): Omit<ArrayFact, 'name'> | null {
    switch (fn) {
      case 'zeros':
      case 'ones':
      case 'empty': {
        const dt = dtypeArg ?? positional[1];
        return { evidence, dtype: dt ? this.dtypeOf(dt) : 'float64', shape: dims(positional[0] ?? keyword('shape')), fresh: true, reads };
      }
      case 'full': {
        const fill = positional[1] ?? keyword('fill_value');
        const dtype = dtypeArg ? this.dtypeOf(dtypeArg) : fill?.type === 'float' ? 'float64' : fill?.type === 'integer' ? 'int64' : 'unknown';
        return { evidence, dtype, shape: dims(positional[0] ?? keyword('shape')), fresh: true, reads };
      }
      case 'zeros_like':
      case 'ones_like':
      case 'empty_like':
      case 'full_like': {
        const like = positional[0];
        const base = like ? this.evaluateOperand(like, depth) : null;
        const dtype = dtypeArg ? this.dtypeOf(dtypeArg) : (base?.dtype ?? 'unknown');
        // shaped like an array of unknown shape: as long as it, whatever its rank
        const shape = base?.shape ?? (like?.type === 'identifier' && base ? [`len(${like.text})`] : undefined);
        return { evidence, dtype, shape, fresh: true, reads };
      }
      case 'arange': {
        const ints = positional.map((p) => (p.type === 'integer' ? Number(p.text.replace(/_/g, '')) : NaN));
        const literal = positional.length > 0 && positional.length <= 3 && ints.every((n) => !Number.isNaN(n));
        let shape: string[] | undefined;
        if (literal) {
          const [start, stop, step] = ints.length === 1 ? [0, ints[0], 1] : [ints[0], ints[1], ints[2] ?? 1];
          if (step !== 0) shape = [String(Math.max(0, Math.ceil((stop - start) / step)))];
        } else if (positional.length === 1) shape = dims(positional[0]);
        const dtype = dtypeArg ? this.dtypeOf(dtypeArg) : literal ? 'int64' : positional.some((p) => p.type === 'float') ? 'float64' : 'unknown';
        return { evidence, dtype, shape, fresh: true, reads };
      }
      case 'linspace': {
        const num = positional[2] ?? keyword('num');
        return { evidence, dtype: dtypeArg ? this.dtypeOf(dtypeArg) : 'float64', shape: num ? dims(num) : ['50'], fresh: true, reads };
      }
      case 'array':
      case 'asarray': {
        const source = positional[0];
        if (!source) return null;
        const copies = fn === 'array' && keyword('copy')?.text !== 'False';
        if (source.type === 'list') {
          const literal = literalShape(source);
          const dtype = dtypeArg ? this.dtypeOf(dtypeArg) : (literal?.dtype ?? 'unknown');
          return { evidence, dtype, shape: literal?.shape, fresh: true, reads };
        }
        const base = this.evaluateOperand(source, depth);
        if (base) return { evidence, dtype: dtypeArg ? this.dtypeOf(dtypeArg) : base.dtype, shape: base.shape, fresh: copies, reads, mayAlias: copies ? undefined : base.mayAlias };
        const mayAlias = copies ? undefined : `\`${fn}(${source.text.split('\n')[0]})\` returns its argument itself when that is already an array, which may share memory with another one`;
        return { evidence, dtype: dtypeArg ? this.dtypeOf(dtypeArg) : 'unknown', shape: undefined, fresh: copies, reads, mayAlias };
      }
      case 'random.rand':
        return { evidence, dtype: 'float64', shape: positional.length > 0 ? dims(positional) : undefined, fresh: true, reads };
      case 'random.random':
      case 'rng.random':
      case 'rng.standard_normal': {
        const size = positional[0] ?? keyword('size');
        return { evidence, dtype: 'float64', shape: dims(size), fresh: true, reads };
      }
      default:
        return null;
    }
  }

  /** An operand of an array-making call: a known array name, or another array-making expression. */
  private evaluateOperand(node: SyntaxNode, depth: number): Omit<ArrayFact, 'name'> | null {
    if (node.type === 'identifier') {
      const fact = this.array(node.text, depth + 1);
      return fact ? { ...fact, fresh: false } : null;
    }
    return this.evaluate(node, depth + 1);
  }

  /** `rng.random(…)` where `rng = np.random.default_rng(…)`. */
  private isGenerator(fnNode: SyntaxNode | null): boolean {
    const object = fnNode?.type === 'attribute' ? fnNode.childForFieldName('object') : null;
    if (!object || !this.numpy) return false;
    const made = object.type === 'identifier' ? this.definition(object.text)?.value : object;
    const callee = made?.type === 'call' ? dottedName(made.childForFieldName('function')) : null;
    return callee === `${this.numpy}.random.default_rng`;
  }

  private dtypeOf(node: SyntaxNode): DType {
    const text = node.text.replace(/^['"]|['"]$/g, '');
    const np = this.numpy;
    if (text === 'float' || text === 'float64' || text === 'f8' || text === `${np}.float64` || text === `${np}.double`) return 'float64';
    if (text === 'int64' || text === 'i8' || text === `${np}.int64`) return 'int64';
    return 'other';
  }

  /** What is known about `name` as a pandas DataFrame built in this scope, or null. */
  frame(name: string): FrameFact | null {
    const def = this.definition(name);
    if (!def || !this.pandas) return null;
    const callee = def.value.type === 'call' ? dottedName(def.value.childForFieldName('function')) : null;
    if (!callee || !callee.startsWith(`${this.pandas}.`)) return null;
    const evidence = `\`${name}\` is assigned from \`${callee}\` at line ${lineOf(def.statement)}`;
    if (callee !== `${this.pandas}.DataFrame`) return { name, evidence };
    const args = namedChildren(def.value.childForFieldName('arguments')!);
    if (args.length !== 1 || args[0].type !== 'dictionary') return { name, evidence };
    const columns = new Map<string, DType | 'object'>();
    for (const pair of namedChildren(args[0])) {
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      if (pair.type !== 'pair' || key?.type !== 'string' || value?.type !== 'list') return { name, evidence };
      const column = stringValue(key);
      if (column === null) return { name, evidence };
      const literal = literalShape(value);
      const strings = namedChildren(value).every((v) => v.type === 'string');
      // numbers with missing values (`np.nan`, `float("nan")`) make a float64 column
      const missing = (v: SyntaxNode) => (this.numpy && v.text === `${this.numpy}.nan`) || /^float\((['"])nan\1\)$/.test(v.text);
      const withNaN = !literal && namedChildren(value).some(missing) && namedChildren(value).every((v) => missing(v) || v.type === 'integer' || v.type === 'float' || (v.type === 'unary_operator' && /^-\s*[\d.]/.test(v.text)));
      columns.set(column, literal ? literal.dtype : withNaN ? 'float64' : strings ? 'object' : 'unknown');
    }
    // a frame changed between its construction and `at` may have other columns or dtypes
    if (this.changedBefore(name, def.statement)) return { name, evidence };
    return { name, evidence, columns };
  }

  /** Whether a statement between `from` and `at` assigns into `name[…]` / `name.loc[…]`, sets an attribute or calls a method on it. */
  private changedBefore(name: string, from: SyntaxNode): boolean {
    let changed = false;
    walk(this.body, (n) => {
      if (changed || n.endIndex <= from.endIndex || n.startIndex >= this.at.startIndex) return false;
      if ((n.type === 'assignment' || n.type === 'augmented_assignment') && /^(subscript|attribute)$/.test(n.childForFieldName('left')?.type ?? '')) {
        let target = n.childForFieldName('left')!;
        while (target.type === 'subscript' || target.type === 'attribute') target = (target.childForFieldName('value') ?? target.childForFieldName('object'))!;
        if (target.text === name) changed = true;
      }
      if (n.type === 'call') {
        const fn = n.childForFieldName('function');
        if (fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name && !FRAME_READS.has(fn.childForFieldName('attribute')?.text ?? '')) changed = true;
      }
      return true;
    });
    return changed;
  }
}

const ARITHMETIC = new Set(['+', '-', '*', '/']);

/** Methods of `numpy.ndarray` that pandas objects and lists lack. */
const NDARRAY_ONLY_METHODS = new Set(['reshape', 'flatten', 'tobytes', 'itemset', 'byteswap']);

/** DataFrame methods that only read the frame. */
const FRAME_READS = new Set(['head', 'tail', 'describe', 'info', 'to_string', 'copy', 'sum', 'mean', 'iterrows', 'itertuples']);

/** How often `name` is spelled as an identifier in the module. */
function tokensSpelledName(root: SyntaxNode, name: string): number {
  return tokensSpelled(root, name, 'identifier').filter((t) => t.text === name).length;
}

function aliasOf(module: ModuleInfo, qualified: string): string | null {
  for (const [local, q] of module.imports) if (q === qualified) return local;
  return null;
}

/** dtype and shape of a (nested) list literal of numbers: all ints → int64, any float → float64. */
export function literalShape(list: SyntaxNode): { dtype: DType; shape: string[] } | null {
  const items = namedChildren(list).filter((c) => c.type !== 'comment');
  if (items.length === 0) return null;
  if (items.every((i) => i.type === 'list')) {
    const rows = items.map(literalShape);
    if (rows.some((r) => !r) || rows.some((r) => r!.shape.join() !== rows[0]!.shape.join())) return null;
    const dtype = rows.some((r) => r!.dtype === 'float64') ? 'float64' : rows.every((r) => r!.dtype === 'int64') ? 'int64' : 'unknown';
    return { dtype, shape: [String(items.length), ...rows[0]!.shape] };
  }
  const number = (i: SyntaxNode): 'integer' | 'float' | null => {
    if (i.type === 'integer' || i.type === 'float') return i.type;
    if (i.type === 'unary_operator' && namedChildren(i).length === 1) return number(namedChildren(i)[0]);
    return null;
  };
  const kinds = items.map(number);
  if (kinds.some((k) => k === null)) return null;
  return { dtype: kinds.includes('float') ? 'float64' : 'int64', shape: [String(items.length)] };
}

/** The value of a plain string literal (no prefixes other than r, no interpolation), or null. */
export function stringValue(node: SyntaxNode): string | null {
  if (node.type !== 'string' || namedChildren(node).some((c) => c.type === 'interpolation')) return null;
  const m = /^[rR]?(['"])(.*)\1$/s.exec(node.text);
  return m && !m[2].includes('\\') && !m[2].includes(m[1]) ? m[2] : null;
}
