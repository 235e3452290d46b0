// Can the values a worker process sends back be pickled? The other half of pickling.ts: a result that does not
// pickle (a closure made by a factory, a dict view, a hash object) makes the parallel form raise in the parent.
import type { ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts } from '../analysis/model';
import { methodArgumentFor, sameFileMethod } from '../analysis/methods';
import { lookupCall } from '../analysis/knowledge';
import { importedName, namesBoundBy, parameterNames, scopeOf } from '../analysis/scope';
import type { SyntaxNode } from '../parser';
import { ancestor, descendantsNamed, enclosingFunction, isMainGuard, namedChildren, walk } from '../syntax';
import { PicklingProver, type PicklingReport } from './pickling';

type Verdict = 'yes' | 'no' | 'unknown';

/** Why a result does not pickle, when it is known not to: shown to the user. */
interface Outcome {
  verdict: Verdict;
  /** For 'no': what the value is (`a local function made by \`make_scaler\``). */
  what?: string;
}

const YES: Outcome = { verdict: 'yes' };
const UNKNOWN: Outcome = { verdict: 'unknown' };
const no = (what: string): Outcome => ({ verdict: 'no', what });

function all(outcomes: Outcome[]): Outcome {
  return outcomes.find((o) => o.verdict === 'no') ?? outcomes.find((o) => o.verdict === 'unknown') ?? YES;
}

const MAX_DEPTH = 6;
const LITERALS = new Set(['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none', 'ellipsis']);

/** Builtins whose value is a number, a string, bytes or a bool. */
const SCALAR_BUILTINS = new Set('int float str bool bytes bytearray complex len abs round ord chr repr ascii hex oct bin hash format divmod sum min max pow any all isinstance callable id slice range'.split(' '));
/** Builtins that copy the items of their argument into a container. */
const CONTAINER_BUILTINS = new Set('list tuple set frozenset sorted'.split(' '));

const BUILTIN_TYPES = new Set('int float str bytes bytearray complex bool dict list tuple set frozenset'.split(' '));

/** Methods whose value is plain data (str, bytes, numbers, lists or tuples of them) whatever their receiver. */
const DATA_METHODS = new Set(
  (
    'lower upper strip lstrip rstrip split rsplit splitlines join replace startswith endswith find rfind index rindex ' +
    'count format format_map encode decode casefold capitalize title swapcase center ljust rjust zfill partition ' +
    'rpartition expandtabs isdigit isalpha isalnum isspace islower isupper isnumeric isdecimal isidentifier istitle ' +
    'translate removeprefix removesuffix hex fromhex bit_length is_integer hexdigest digest group groups groupdict span ' +
    'start end findall sub subn most_common total tolist read readline readlines read_text read_bytes json getvalue ' +
    'isoformat strftime timestamp total_seconds as_integer_ratio item'
  ).split(' '),
);
/** Methods returning a value of their receiver's kind (a copy, an array computed from an array). */
const SAME_KIND_METHODS = new Set('copy astype sum mean std var min max round reshape flatten ravel transpose cumsum prod dot clip'.split(' '));
/** Methods returning an object that cannot be pickled: dict views, regex matches, iterators. */
const UNPICKLABLE_METHODS: Record<string, string> = {
  items: 'a dict view',
  keys: 'a dict view',
  values: 'a dict view',
  match: 'a regex match object',
  search: 'a regex match object',
  fullmatch: 'a regex match object',
  finditer: 'an iterator',
};

/** Library calls whose value is a live object tied to this process: a hash state, a connection, a handle. */
const UNPICKLABLE_CALLS = /^(z3\.\w+|hashlib\.(new|md5|sha1|sha224|sha256|sha384|sha512|sha3_\w+|shake_\w+|blake2b|blake2s)|zlib\.(compressobj|decompressobj)|sqlite3\.connect|socket\.\w+|threading\.\w+|subprocess\.Popen|io\.open|codecs\.open|tempfile\.\w*File|gzip\.open|bz2\.open|lzma\.open)$/;
/**
 * Blocking library calls whose value is plain data (a size, a path, parsed JSON, a finished process's output, a
 * response): what they wait for is the call, not the value sent back.
 */
const PLAIN_RESULT_CALLS = /^(os\.path\.\w+|os\.(getcwd|listdir|stat|lstat|readlink|access|getenv|cpu_count)|json\.loads?|subprocess\.(run|check_output|getoutput|getstatusoutput|call|check_call)|shutil\.(which|disk_usage|copy|copy2|copyfile|move)|socket\.(gethostbyname|gethostbyaddr|getfqdn|gethostname)|glob\.glob|filecmp\.cmp|requests\.(get|head|post|put|patch|delete|request))$/;
/** Library calls whose value is a lazy iterator or a wrapper whose picklability depends on what it holds. */
const OPAQUE_CALLS = /^(itertools|functools|operator|contextlib|weakref|asyncio|concurrent)\./;

/**
 * Proves that the value an expression evaluates to in a worker pickles, following same-file functions to their
 * `return` statements, local names to their assignments, and containers to their elements.
 */
export class ResultProver {
  private readonly arguments: PicklingProver;
  private readonly inProgress = new Set<number>();
  /**
   * The function being followed to its returns, and what its call passed to each parameter (null: the items of a
   * `map`, sent to the worker and checked there).
   */
  private passed: { def: SyntaxNode; values: Map<string, Outcome> | null } | null = null;

  constructor(
    private readonly analysis: ModuleAnalysis,
    /** Names whose values were sent to the worker (the items, the free variables): already checked as arguments. */
    private readonly sent: Set<string>,
    /** The function the loop runs in (null: module level), where the names sent are bound. */
    private readonly workerScope: SyntaxNode | null,
  ) {
    this.arguments = new PicklingProver(analysis);
  }

  value(expr: SyntaxNode, fn: SyntaxNode | null, depth = 0): Outcome {
    if (depth > MAX_DEPTH) return UNKNOWN;
    if (LITERALS.has(expr.type)) return YES;
    switch (expr.type) {
      case 'lambda':
        return no('a lambda');
      case 'generator_expression':
        return no('a generator');
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return all(namedChildren(expr).map((e) => (e.type === 'list_splat' ? UNKNOWN : this.value(e, fn, depth + 1))));
      case 'dictionary':
        return all(namedChildren(expr).flatMap((p) => (p.type === 'pair' ? namedChildren(p) : [p])).map((e) => (e.type === 'dictionary_splat' ? UNKNOWN : this.value(e, fn, depth + 1))));
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
        return this.comprehension(expr, fn, depth);
      case 'parenthesized_expression':
        return expr.namedChildren[0] ? this.value(expr.namedChildren[0], fn, depth + 1) : UNKNOWN;
      case 'binary_operator':
      case 'unary_operator':
      case 'comparison_operator':
      case 'not_operator':
        // numbers, strings, sequences and arrays combined by operators stay plain data; a solver's terms do not
        // (z3 overloads the operators to build expressions of its context: ctypes pointers that do not pickle)
        if (this.analysis.module.imports.has('z3') || /^\s*from\s+z3\s+import\b/m.test(this.analysis.module.root.tree.text)) return no('a z3 expression (its operators build terms of the parent\'s z3 context, which hold ctypes pointers)');
        return YES;
      case 'boolean_operator':
        return all(['left', 'right'].map((f) => expr.childForFieldName(f)).filter((c): c is SyntaxNode => !!c).map((e) => this.value(e, fn, depth + 1)));
      case 'conditional_expression': {
        const [then, , otherwise] = namedChildren(expr);
        return all([then, otherwise].filter((c) => !!c).map((e) => this.value(e, fn, depth + 1)));
      }
      case 'subscript':
      case 'attribute': {
        // a part of a value that pickles pickles (an element of a list, a field of a plain object)
        const whole = expr.childForFieldName(expr.type === 'subscript' ? 'value' : 'object');
        if (!whole) return UNKNOWN;
        const outcome = this.value(whole, fn, depth + 1);
        return outcome.verdict === 'yes' ? YES : UNKNOWN;
      }
      case 'call':
        return this.call(expr, fn, depth);
      case 'identifier':
        return this.name(expr.text, fn, depth);
      case 'named_expression': {
        const value = expr.childForFieldName('value');
        return value ? this.value(value, fn, depth + 1) : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private comprehension(expr: SyntaxNode, fn: SyntaxNode | null, depth: number): Outcome {
    const body = expr.childForFieldName('body');
    if (!body) return UNKNOWN;
    const parts = body.type === 'pair' ? namedChildren(body) : [body];
    // the comprehension's own variables are the items of what it iterates: they come back as they are
    const own = new Set(namedChildren(expr).filter((c) => c.type === 'for_in_clause').flatMap((c) => descendantsNamed(c.childForFieldName('left')!, 'identifier').map((i) => i.text)));
    const clauses = namedChildren(expr).filter((c) => c.type === 'for_in_clause');
    const iterated = clauses.length === 1 && clauses[0].childForFieldName('left')?.type === 'identifier' ? clauses[0].childForFieldName('right') : null;
    const outcomes = parts.map((p) => (p.type === 'identifier' && own.has(p.text) ? (iterated ? this.items(iterated, fn, depth + 1) : UNKNOWN) : this.value(p, fn, depth + 1)));
    return all(outcomes);
  }

  private call(call: SyntaxNode, fn: SyntaxNode | null, depth: number): Outcome {
    const f = call.childForFieldName('function');
    const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    const module = this.analysis.module;
    if (!f) return UNKNOWN;
    if (f.type === 'identifier' && !isLocal(f.text, fn)) {
      const binding = module.bindings.get(f.text);
      if (!binding) {
        if (SCALAR_BUILTINS.has(f.text)) return YES;
        if (f.text === 'open') return no('an open file');
        if (CONTAINER_BUILTINS.has(f.text)) return args[0] ? this.items(args[0], fn, depth + 1) : YES;
        if (f.text === 'dict') return args.length === 0 ? YES : all(args.map((a) => this.value(a.type === 'keyword_argument' ? a.childForFieldName('value')! : a, fn, depth + 1)));
        return UNKNOWN;
      }
      if (binding === 'def') return this.returned(module.functions.get(f.text)!, depth, this.argumentsOf(call, module.functions.get(f.text)!, fn, depth));
      if (binding === 'class') return this.instance(f.text);
    }
    const qualified = this.qualified(f, fn);
    if (qualified) {
      if (PLAIN_RESULT_CALLS.test(qualified)) return YES;
      if (UNPICKLABLE_CALLS.test(qualified)) return no(`a \`${qualified}\` object`);
      const imported = importedReturn(qualified, this.analysis);
      if (imported) return imported;
      if (/^(numpy|pandas|scipy)\./.test(qualified)) return YES;
      if (OPAQUE_CALLS.test(qualified) || qualified.startsWith('collections.') && args.some((a) => a.type === 'lambda')) return UNKNOWN;
      const knowledge = lookupCall(qualified);
      if (knowledge && (knowledge.effect === 'pure' || knowledge.effect === 'stateful') && !args.some((a) => a.type === 'lambda')) return YES;
      return UNKNOWN;
    }
    if (f.type === 'attribute') {
      const method = f.childForFieldName('attribute')!.text;
      // a method of a class of this file: what it returns
      const chain: SyntaxNode[] = [];
      for (let p = fn; p; p = enclosingFunction(p)) chain.push(p);
      const target = sameFileMethod(f.childForFieldName('object')!, method, module, chain);
      if (target) {
        const passed = new Map<string, Outcome>();
        for (const name of parameterNames(target.node)) {
          const arg = methodArgumentFor(call, target, name);
          // the receiver: an instance whose state is proven to pickle has attributes that pickle
          const receiver = arg === 'receiver' && target.binding === 'instance' && this.arguments.instance(target.className, depth + 1) === 'yes' ? YES : UNKNOWN;
          passed.set(name, arg && arg !== 'receiver' ? this.value(arg, fn, depth + 1) : receiver);
        }
        return this.returned(target.node, depth, passed);
      }
      if (DATA_METHODS.has(method)) return YES;
      // `int.from_bytes(…)`, `dict.fromkeys(…)`: constructors of builtin types
      const object = f.childForFieldName('object')!;
      if (object.type === 'identifier' && BUILTIN_TYPES.has(object.text) && !isLocal(object.text, fn) && !module.bindings.has(object.text)) return YES;
      if (UNPICKLABLE_METHODS[method] && (method !== 'match' && method !== 'search' && method !== 'fullmatch' || /\bre\b|compile|pattern|regex/i.test(f.childForFieldName('object')!.text) || args.length === 1)) {
        return ['items', 'keys', 'values'].includes(method) && args.length > 0 ? UNKNOWN : no(UNPICKLABLE_METHODS[method]);
      }
      if (SAME_KIND_METHODS.has(method)) {
        const receiver = this.value(f.childForFieldName('object')!, fn, depth + 1);
        return receiver.verdict === 'yes' ? YES : UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  /** What each parameter of `def` receives from `call` (a parameter not matched: unknown). */
  private argumentsOf(call: SyntaxNode, def: SyntaxNode, fn: SyntaxNode | null, depth: number): Map<string, Outcome> {
    const passed = new Map<string, Outcome>();
    const names = parameterNames(def);
    const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    if (args.some((a) => a.type.endsWith('splat'))) return passed;
    let position = 0;
    for (const a of args) {
      if (a.type === 'keyword_argument') {
        const name = a.childForFieldName('name')?.text;
        const value = a.childForFieldName('value');
        if (name && value) passed.set(name, this.value(value, fn, depth + 1));
      } else if (position < names.length) passed.set(names[position++], this.value(a, fn, depth + 1));
    }
    // defaults are literals or module-level values evaluated once: they pickle as the module's do
    for (const p of namedChildren(def.childForFieldName('parameters')!)) {
      const name = p.childForFieldName('name')?.text;
      const value = p.childForFieldName('value');
      if (name && value && !passed.has(name)) passed.set(name, this.value(value, null, depth + 1));
    }
    return passed;
  }

  /** Every value a local name of `fn` is bound to: assignments, augmented assignments, `for` targets. */
  private local(name: string, fn: SyntaxNode, depth: number): Outcome {
    const body = fn.childForFieldName('body');
    if (!body) return UNKNOWN;
    const outcomes: Outcome[] = [];
    // `s = ""` … `s += part`: a string or number stays one (or the `+=` raises)
    let startsAsScalar = false;
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'assignment' && n.childForFieldName('left')?.text === name && ['integer', 'float', 'string', 'concatenated_string'].includes(n.childForFieldName('right')?.type ?? '')) startsAsScalar = true;
      return !startsAsScalar;
    });
    walk(body, (n) => {
      if (outcomes.length > 20 || outcomes.some((o) => o.verdict !== 'yes')) return false;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'named_expression') {
        const left = n.childForFieldName(n.type === 'named_expression' ? 'name' : 'left');
        const right = n.childForFieldName(n.type === 'named_expression' ? 'value' : 'right');
        if (left?.type === 'identifier' && left.text === name) {
          if (!right) outcomes.push(UNKNOWN);
          else if (n.type === 'augmented_assignment' && (isArithmetic(right) || startsAsScalar)) outcomes.push(YES);
          else outcomes.push(this.value(right, fn, depth + 1));
        } else if (left && left.type !== 'identifier' && bindsName(left, name)) outcomes.push(UNKNOWN);
      } else if ((n.type === 'for_statement' || n.type === 'for_in_clause') && bindsName(n.childForFieldName('left'), name)) {
        const left = n.childForFieldName('left')!;
        const right = n.childForFieldName('right');
        outcomes.push(left.type === 'identifier' && right ? this.items(right, fn, depth + 1) : UNKNOWN);
      } else if (n.type !== 'delete_statement' && namesBoundBy(n).includes(name)) outcomes.push(UNKNOWN);
      return true;
    });
    return outcomes.length === 0 ? UNKNOWN : all(outcomes);
  }

  /** The qualified name of an imported callee (`hashlib.sha256`, `np.sum` → `numpy.sum`), or null. */
  private qualified(f: SyntaxNode, fn: SyntaxNode | null): string | null {
    const module = this.analysis.module;
    const dotted = f.type === 'identifier' || f.type === 'attribute' ? f.text : null;
    if (!dotted || !/^[\w.]+$/.test(dotted)) return null;
    const root = dotted.split('.')[0];
    if (isLocal(root, fn)) return null;
    const imported = module.imports.get(root);
    return imported ? imported + dotted.slice(root.length) : null;
  }

  /** The items of an iterable copied into a container (`list(x)`, `sorted(x)`). */
  private items(expr: SyntaxNode, fn: SyntaxNode | null, depth: number): Outcome {
    switch (expr.type) {
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
        return this.comprehension(expr, fn, depth);
      case 'string':
        return YES;
      case 'call': {
        const f = expr.childForFieldName('function');
        if (f?.type === 'identifier' && f.text === 'range' && !this.analysis.module.bindings.has('range')) return YES;
        // a container of data stays data when copied (`sorted(words)`, `list(text.split())`)
        const whole = this.value(expr, fn, depth + 1);
        return whole.verdict === 'yes' ? YES : UNKNOWN;
      }
      default: {
        const whole = this.value(expr, fn, depth + 1);
        return whole.verdict === 'yes' ? YES : UNKNOWN;
      }
    }
  }

  /** What a same-file function returns: every `return` of its own body (none: `None`). */
  returned(def: SyntaxNode, depth: number, passed?: Map<string, Outcome>): Outcome {
    if (this.inProgress.has(def.id)) return YES; // recursion: the other returns decide
    const name = def.childForFieldName('name')?.text ?? 'the function';
    const summary = this.analysis.summaries.get(def);
    if (summary.isGenerator) return no(`a generator (\`${name}\` is a generator function)`);
    if (summary.isAsync) return no(`a coroutine (\`${name}\` is \`async def\`)`);
    const decorated = def.parent?.type === 'decorated_definition' ? namedChildren(def.parent).filter((d) => d.type === 'decorator') : [];
    if (decorated.some((d) => !/^@\s*(functools\.)?(lru_cache|cache|wraps)\b/.test(d.text) && !/^@\s*(staticmethod|classmethod)\s*$/.test(d.text))) return UNKNOWN;
    const body = def.childForFieldName('body');
    if (!body) return UNKNOWN;
    const returns: SyntaxNode[] = [];
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'return_statement') returns.push(n);
      return true;
    });
    this.inProgress.add(def.id);
    const outer = this.passed;
    this.passed = { def, values: passed ?? null };
    try {
      const outcomes = returns.map((r) => (r.namedChildren[0] ? this.value(r.namedChildren[0], def, depth + 1) : YES));
      const outcome = all(outcomes);
      if (outcome.verdict === 'no' && !outcome.what?.includes(`\`${name}\``)) return no(`${outcome.what} (returned by \`${name}\`)`);
      return outcome;
    } finally {
      this.inProgress.delete(def.id);
      this.passed = outer;
    }
  }

  /** An instance of a module-level class pickles by reference to the class, with its attributes. */
  private instance(name: string): Outcome {
    const def = findClass(this.analysis, name);
    if (!def || ancestor(def, isMainGuard) || ancestor(def, (a) => a.type === 'function_definition')) return UNKNOWN;
    // attributes holding functions, locks or handles would not pickle
    if (/\blambda\b|\bLock\b|\bopen\(|__reduce|__getstate__|__slots__/.test(def.text)) return UNKNOWN;
    return YES;
  }

  private name(name: string, fn: SyntaxNode | null, depth: number): Outcome {
    const module = this.analysis.module;
    if (this.sent.has(name) && fn?.id === this.workerScope?.id) return YES;
    if (fn) {
      const scope = scopeOf(fn);
      if (scope.params.has(name)) {
        if (this.passed?.def.id !== fn.id) return UNKNOWN;
        return this.passed.values ? (this.passed.values.get(name) ?? UNKNOWN) : YES;
      }
      if (!scope.locals.has(name)) return this.name(name, enclosingFunction(fn), depth + 1);
      if (localDef(fn, name)) return no(`a local function (\`${name}\`, defined in \`${fn.childForFieldName('name')?.text}\`)`);
      return this.local(name, fn, depth);
    }
    const binding = module.bindings.get(name);
    if (binding === 'def' || binding === 'class') return ancestor(module.functions.get(name) ?? module.root, isMainGuard) ? UNKNOWN : YES;
    const verdict = this.arguments.name(name, null, depth);
    return verdict === 'yes' ? YES : verdict === 'no' ? no(`\`${name}\``) : UNKNOWN;
  }
}

function isLocal(name: string, fn: SyntaxNode | null): boolean {
  for (let f = fn; f; f = enclosingFunction(f)) {
    const scope = scopeOf(f);
    if (scope.locals.has(name) || scope.params.has(name)) return true;
  }
  return false;
}

/** Arithmetic on the right of `+=`: numbers and arrays stay plain data (a list `+=` is followed instead). */
function isArithmetic(right: SyntaxNode): boolean {
  return ['integer', 'float', 'binary_operator', 'unary_operator'].includes(right.type);
}

function bindsName(target: SyntaxNode | null, name: string): boolean {
  if (!target) return false;
  if (target.type === 'identifier') return target.text === name;
  return descendantsNamed(target, 'identifier').some((i) => i.text === name && i.parent?.type !== 'attribute' && i.parent?.type !== 'subscript');
}

function localDef(fn: SyntaxNode, name: string): boolean {
  let found = false;
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if (n.type === 'function_definition' && n.childForFieldName('name')?.text === name) found = true;
    return !found && n.type !== 'class_definition';
  });
  return found;
}

function findClass(analysis: ModuleAnalysis, name: string): SyntaxNode | undefined {
  for (const s of namedChildren(analysis.module.root)) {
    const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
    if (def?.type === 'class_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return undefined;
}

/** The expressions whose values a process-pool worker sends back for each item. */
function resultExpressions(loop: LoopFacts): SyntaxNode[] {
  if (loop.kind === 'for') return loop.parentStatements.map((p) => p.value);
  return [loop.element, loop.elementKey].filter((n): n is SyntaxNode => !!n);
}

/**
 * Checks what every worker sends back: the value each parent statement folds in (a `for` loop), the element (a
 * comprehension), the mapped function's return value (`list(map(f, xs))`).
 */
export function checkResultPickling(loop: LoopFacts, analysis: ModuleAnalysis): PicklingReport {
  const report: PicklingReport = { blockers: [], doubts: [] };
  const prover = new ResultProver(analysis, new Set([...loop.targetNames, ...loop.freeVariables]), loop.function);
  const say = (outcome: Outcome, what: string) => {
    if (outcome.verdict === 'no') report.blockers.push(`the result \`${what}\` is ${outcome.what}, which cannot be pickled back from a worker process`);
    else if (outcome.verdict === 'unknown') {
      // two collecting statements of the same value (`files.append((e.name, size))` in both branches) are one doubt
      const doubt = `cannot prove that the result \`${what}\` can be pickled back from the worker processes`;
      if (!report.doubts.includes(doubt)) report.doubts.push(doubt);
    }
  };
  if (loop.kind === 'map-call' && loop.mapCallable) {
    const c = loop.mapCallable;
    const def = c.type === 'identifier' && analysis.module.bindings.get(c.text) === 'def' && !isLocal(c.text, loop.function) ? analysis.module.functions.get(c.text) : undefined;
    const qualified = !def && !isLocal(c.text.split('.')[0], loop.function) ? importedName(c.text, analysis.module) : null;
    say(def ? prover.returned(def, 0) : ((qualified ? importedReturn(qualified, analysis) : null) ?? UNKNOWN), `${short(c.text)}(…)`);
    return report;
  }
  for (const expr of resultExpressions(loop)) say(prover.value(expr, loop.function), short(expr.text));
  return report;
}

/** What a function of another workspace module returns, from its summary (null: not one). */
function importedReturn(qualified: string, analysis: ModuleAnalysis): Outcome | null {
  const symbol = analysis.module.workspace?.resolve(qualified);
  if (symbol?.kind !== 'function') return null;
  return symbol.summary.returns ?? UNKNOWN;
}

/** Whether what a module-level function returns pickles, whatever its arguments: for its module's summary. */
export function returnVerdict(def: SyntaxNode, analysis: ModuleAnalysis): Outcome {
  return new ResultProver(analysis, new Set(), null).returned(def, 0);
}

function short(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 40 ? line.slice(0, 37) + '…' : line;
}

/** Checks what a call of the same-file function `def` run in a worker process (`run_in_executor`) sends back. */
export function checkReturnPickling(def: SyntaxNode, analysis: ModuleAnalysis): PicklingReport {
  const name = def.childForFieldName('name')?.text ?? 'the function';
  const outcome = new ResultProver(analysis, new Set(), null).returned(def, 0);
  if (outcome.verdict === 'no') return { blockers: [`\`${name}\` returns ${outcome.what}, which cannot be pickled back from the worker process`], doubts: [] };
  if (outcome.verdict === 'unknown') return { blockers: [], doubts: [`cannot prove that what \`${name}\` returns can be pickled back from the worker process`] };
  return { blockers: [], doubts: [] };
}
