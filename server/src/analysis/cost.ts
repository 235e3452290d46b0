// The cost model: what one item of a loop costs (CPU and waiting), how many items there are, and what the
// parallel pattern adds (start-up, per-task and per-item overhead), hence the expected speedup. Every constant
// comes from costTable.ts, measured on a real machine by scripts/calibrate.ts. Pure: no LSP, no machine facts
// (the core counts are options, so CI and a laptop reach the same verdicts).
import { awaitedItems } from './awaitedItems';
import { clientCall } from './httpClients';
import { figureRender, imageWork, smallImage } from './images';
import { stringValue } from './arrays';
import { remoteCommand } from './commands';
import { modelFit, trainedAtConstruction } from './modelFits';
import type { SyntaxNode } from '../parser';
import { children, descendantsNamed, descendantsOfTypes, enclosingFunction, isAncestorOf, isAsyncFunction, isMainGuard, JUMP_STATEMENTS, lineOf, namedChildren, REPEATING_TYPES, returnedValues, SCOPE_TYPES, tokensSpelled, walk } from '../syntax';
import { CALIBRATION, COST_TABLE } from './costTable';
import { readsIn } from './dependence';
import { falseConstant, falseDefaultOf, importedMethod, inExceptHandler, leavesUnless, plainArgumentFor, plainlyRebound, pollsUntilExit, resolveCall, resolveCallable, waitsForExitCondition, whereDefined } from './effects';
import { classDefining, methodArgumentFor, sameFileMethod } from './methods';
import { derivedNames, indexWalk, overItemData, rowPass } from './itemData';
import { HEAVY_WORK_CALLS, isPureBuiltin, LLM_MODULE_REQUESTS, lookupCall, MUTATING_METHODS, READ_ONLY_METHODS, STATEFUL_METHODS } from './knowledge';
import type { LoopFacts } from './model';
import { HANDLER_DECORATOR, siteWhere } from './reach';
import { callSitesOf, declaredDefault, importedName, type ModuleInfo, namesBoundBy, parameterNames, reachingValue, scopeOf, topLevelConstants, unpackedPairs, valuesBound } from './scope';

const C = Object.fromEntries(Object.entries(COST_TABLE).map(([k, v]) => [k, v.value])) as Record<keyof typeof COST_TABLE, number>;

/**
 * With no item count shown, a loop whose work per item is so small that a pool only pays off above this many
 * items is not reported: per-item work that cheap calls for batching or vectorising, not processes.
 */
export const MANY_ITEMS = 10_000;

/**
 * With no item count shown, a process pool whose payoff rests on the work the code shows must pay back its
 * start-up at this many items: the collections application code hands such a loop (a folder's files, a page's
 * links, a config's entries) are tens to hundreds of items in practice, and a pool of processes only pays for
 * them when each item is shown to cost about a millisecond or more, or is heavy by nature (see `Work.heavy`).
 * It was 1,000 until session 32: rounds 25–26 ran such pools on the inputs the programs have (a battery-lab report
 * builder's eight files, a genealogy vault's four shards and 1,100 rows) and every one was slower than the plain
 * loop (0.36 → 0.71 s, 0.65 → 1.12–1.57 s); since round 16, one of 30 process-pool findings in application code was
 * judged worth it.
 */
export const FEW_ITEMS_FOR_PROCESSES = 100;

/**
 * With a known count of items so few that each must cost at least this much for a process pool to pay, the open
 * work must be a recursion or heavy by nature: a loop whose count the code does not show is not evidence enough.
 */
export const FEW_ITEMS_NEED = 1e-3;

/**
 * The default `min-iterations`: below it, `min-iterations` decides whether a loop whose work cannot be estimated is
 * reported (lowering the setting says each item is known to be slow), not FEW_ITEMS_NEED.
 */
export const FEW_ITEMS_FLOOR = 16;

/**
 * With a known count and an open part, the share of the work each item needs that the code must show for a
 * finding: below a tenth, the payoff rests on what could not be counted.
 */
const SHOWN_SHARE = 10;

/**
 * With no size shown, a loop whose items are each one pass over their own data (itemData.ts) is not reported when
 * a pool would pay back its start-up only above this many elements in all (a 300 × 300 matrix, 100 kB of text):
 * the per-element work is then so cheap that only large inputs gain, and the code shows none.
 */
export const MANY_ELEMENTS = 100_000;

/** The smallest machine a preferred fix must not slow down (a fixed figure, not the machine the tool runs on). */
export const DUAL_CORE = 2;

/** Where a wait goes: how many of them can overlap in a thread pool depends on it. */
export type LatencyClass = 'network' | 'sleep' | 'subprocess' | 'file' | 'other';

/** The cost of running a piece of code once. */
export interface Work {
  /** Seconds of CPU in the interpreter (holding the GIL). */
  cpu: number;
  /** Seconds spent waiting (network, disk, child processes, sleeps). */
  io: number;
  /** The first thing whose cost could not be bounded: then `cpu`/`io` are lower bounds. */
  /**
   * `numeric`: a trip count set by a number (a `while` loop, a `range` whose ends the code does not fix), not by the
   * length of a collection handed in.
   */
  open: { what: string; line: number; unseen?: boolean; numeric?: boolean } | null;
  /** The slowest kind of wait in it. */
  latency?: LatencyClass;
  /**
   * With `open`: an upper bound of the work, when every part that could not be counted is bounded (a loop that
   * may stop early at a `break` runs at most all its trips; a `while` loop at most the trips its counter allows).
   */
  upper?: { cpu: number; io: number };
  /**
   * With `open`: the work if every `for` loop whose count the code does not show ran MANY_ITEMS times (a
   * collection of a common size), when such loops are all that is not counted (or the rest is bounded).
   */
  common?: { cpu: number; io: number };
  /** Some open part is more than a pass over the item's own data (itemData.ts): a callee, a loop over other data. */
  beyondItem?: boolean;
  /**
   * Some open part is a library call that is heavy by nature on any input it is made for: key stretching
   * (`pbkdf2_hmac`, `scrypt`) with an iteration count not shown, hashing or compressing a buffer of bytes (not an
   * encoded string) whose size is not shown. Such a call is evidence of work where a count is not.
   */
  heavy?: boolean;
  /**
   * Some open heavy part is heavy whatever the size of its input: key stretching with a count not shown, an image
   * decoded or encoded, a spreadsheet read. Not so a page parsed or a buffer hashed or compressed, whose cost follows
   * a length the code does not show (a 2 KB row takes microseconds): a process pool's start-up is not paid by those
   * on their own (rounds 26–27: a log's rows decompressed, fifty pages parsed, each measured slower in a pool).
   */
  surely?: boolean;
  /** Some open part is a function calling itself: its work can grow far beyond the data it is given (`fib(n)`). */
  recursive?: boolean;
  /** Some open part walks a whole directory tree (`os.walk`, `rglob`, a function recursing over a listing). */
  tree?: boolean;
}

export type CostPattern = 'process' | 'thread' | 'asyncio';

export interface CostEstimate {
  pattern: CostPattern;
  /** Work of one item (a lower bound when `work.open`). */
  work: Work;
  /** Number of items when the code shows it, and where it was read from. */
  items?: number;
  itemsFrom?: string;
  /** The count is a bound (a list built by hand with appends that may not run): used to refuse a pool only. */
  itemsAtMost?: boolean;
  /** Cores the decision assumes (the `target-cores` option) and the speedup there, when it can be computed. */
  cores: number;
  speedup?: number;
  /** The speedup if the work per item reaches its upper bound (when it is bounded but not counted). */
  speedupMax?: number;
  /** The same for the cores of the machine the tool runs on (hover only). */
  localCores?: number;
  localSpeedup?: number;
  localSpeedupMax?: number;
  /** One-off cost of the pattern (pool start-up) and its cost per item in the parent. */
  startup: number;
  perItem: number;
  /** The speedup on a 2-core machine, the smallest common one: a safe fix must not slow it down. */
  dualCore?: number;
  /** With an unknown item count: the count above which the rewrite pays off (Infinity: never). */
  breakEvenItems?: number;
  /** With unknown work per item: the work per item above which it pays off at the known count. */
  breakEvenWork?: number;
  /** A pool here starts again on every iteration of an enclosing loop, or every call of a repeatedly called function. */
  repeated?: { line: number; what: string };
  verdict: 'pays' | 'not-worth-it' | 'depends';
  /**
   * With `not-worth-it`: the count and part of the cost per item are not shown, and the part that is shown pays
   * for the pool only above MANY_ITEMS items: no evidence of enough work, rather than evidence of too little.
   */
  unshown?: boolean;
  /**
   * The verdict rests on the few-items criteria (FEW_ITEMS_FOR_PROCESSES, FEW_ITEMS_NEED): a loop also refused for
   * another reason the code shows (a pool restarted per call, fewer items than `min-iterations`) gives that reason.
   */
  fewItems?: boolean;
  /**
   * A process pool's worker imports the main module again when it is spawned: this module's top-level code that
   * waits for files, the network or programs (the first such statement), run again by every worker.
   */
  reimport?: { line: number; what: string };
  /** The hover's one line. */
  summary: string;
}

export interface CostOptions {
  minSpeedup: number;
  targetCores: number;
  localCores?: number;
  minIterations: number;
}

const ZERO: Work = { cpu: 0, io: 0, open: null };

/** The most the work can cost: itself when it is counted, its bound when it is bounded, undefined otherwise. */
export function ceilingOf(w: Work): { cpu: number; io: number } | undefined {
  return w.open ? w.upper : { cpu: w.cpu, io: w.io };
}

/**
 * A method call's receiver as a hover shows it: its text on one line when short; else the last call of its chain
 * (`….mappings()` for a parenthesised `(await session.execute(…)).mappings()`), never a cut in the middle.
 */
function receiverShown(receiver: SyntaxNode): string {
  const flat = receiver.text.replace(/\s+/g, ' ');
  if (flat.length <= 30) return flat;
  const f = receiver.type === 'call' ? receiver.childForFieldName('function') : null;
  return f?.type === 'attribute' ? `….${f.childForFieldName('attribute')!.text}()` : '…';
}

/** The work at a common size (see `Work.common`), when only loop counts (or bounded parts) are not counted. */
function commonOf(w: Work): { cpu: number; io: number } | undefined {
  return w.open ? (w.common ?? w.upper) : { cpu: w.cpu, io: w.io };
}

function add(a: Work, b: Work): Work {
  // what is not counted is named by a part with no ceiling first: a bounded part is not what leaves the sum open
  const open = a.open && !a.upper ? a.open : b.open && !b.upper ? b.open : (a.open ?? b.open);
  const sum: Work = { cpu: a.cpu + b.cpu, io: a.io + b.io, open, latency: slower(a.latency, b.latency), beyondItem: a.beyondItem || b.beyondItem, heavy: a.heavy || b.heavy, surely: a.surely || b.surely, recursive: a.recursive || b.recursive, tree: a.tree || b.tree };
  if (sum.open) {
    const [ca, cb] = [ceilingOf(a), ceilingOf(b)];
    if (ca && cb) sum.upper = { cpu: ca.cpu + cb.cpu, io: ca.io + cb.io };
    const [ma, mb] = [commonOf(a), commonOf(b)];
    if (ma && mb) sum.common = { cpu: ma.cpu + mb.cpu, io: ma.io + mb.io };
  }
  return sum;
}

function times(w: Work, n: number): Work {
  const scaled: Work = { cpu: w.cpu * n, io: w.io * n, open: w.open, latency: w.latency, beyondItem: w.beyondItem, heavy: w.heavy, surely: w.surely, recursive: w.recursive, tree: w.tree };
  if (w.open && w.upper) scaled.upper = { cpu: w.upper.cpu * n, io: w.upper.io * n };
  if (w.open && w.common) scaled.common = { cpu: w.common.cpu * n, io: w.common.io * n };
  return scaled;
}

/** Work known only between `lower` and `upper` (`what` says why it cannot be counted exactly). */
function between(what: string, node: SyntaxNode, lower: Work, upper: Work): Work {
  const ceiling = ceilingOf(upper);
  const w: Work = { cpu: lower.cpu, io: lower.io, open: lower.open ?? upper.open ?? { what, line: lineOf(node) }, latency: slower(lower.latency, upper.latency), beyondItem: lower.beyondItem || upper.beyondItem, heavy: lower.heavy || upper.heavy, surely: lower.surely || upper.surely, recursive: lower.recursive || upper.recursive, tree: lower.tree || upper.tree };
  if (ceiling) w.upper = ceiling;
  const common = commonOf(upper);
  if (common && w.open) w.common = common;
  return w;
}

const LATENCY_RANK: Record<LatencyClass, number> = { network: 4, sleep: 3, subprocess: 2, other: 1, file: 0 };

function slower(a?: LatencyClass, b?: LatencyClass): LatencyClass | undefined {
  if (!a) return b;
  if (!b) return a;
  return LATENCY_RANK[a] >= LATENCY_RANK[b] ? a : b;
}

const cpu = (s: number): Work => ({ cpu: s, io: 0, open: null });
const wait = (s: number, latency: LatencyClass): Work => ({ cpu: 0, io: s, open: null, latency });
/** Open work; `itemBound`: it is one pass over the item's own data, whose length is not shown. */
const unknown = (what: string, node: SyntaxNode, base: Work = ZERO, itemBound = false): Work => ({
  cpu: base.cpu,
  io: base.io,
  latency: base.latency,
  open: base.open ?? { what, line: lineOf(node) },
  beyondItem: base.beyondItem || !itemBound,
  heavy: base.heavy,
  surely: base.surely,
  recursive: base.recursive,
  tree: base.tree,
});
/** Marks open work whose first open part is this loop as a trip count set by a number (see `Work.open`). */
const numericTrips = (w: Work, loop: SyntaxNode): Work => {
  // open parts of its body (a pass over the digits of the number) are nested in it: the count that sets the whole
  // is still the number's
  const within = w.open && w.open.line >= lineOf(loop) && w.open.line <= loop.endPosition.row + 1;
  return within && !w.heavy && !w.recursive && !w.tree ? { ...w, open: { ...w.open!, numeric: true } } : w;
};
/** One request to an LLM provider: a round trip at least, and the model's answer, whose time the code does not show. */
const llmRequest = (call: SyntaxNode): Work => unknown('how long the model takes to answer (seconds, with the length of the answer)', call, wait(C.networkRoundTrip, 'network'));
/** A call the code does not show (a method of an unknown object, a function of another library): its open part says so. */
const unseenCall = (w: Work): Work => (w.open && !w.open.unseen ? { ...w, open: { ...w.open, unseen: true } } : w);
/** Open work of a call that is heavy by nature (see `Work.heavy`); `surely`: whatever the size of its input (see `Work.surely`). */
const heavyUnknown = (what: string, node: SyntaxNode, base: Work, surely = true): Work => ({ ...unknown(what, node, base), heavy: true, ...(surely ? { surely: true } : {}) });

// ------------------------------------------------------------------------------------------- values

/** Representative integer values of names (an item's mean value, a parameter bound at a call). */
export type ValueEnv = ReadonlyMap<string, number>;

const NO_ENV: ValueEnv = new Map();

/** Integer value of an expression when the code fixes it (literals, arithmetic, constants, defaults). */
export function intValue(node: SyntaxNode | null, module: ModuleInfo, depth = 0, env: ValueEnv = NO_ENV): number | undefined {
  if (!node || depth > 4) return undefined;
  switch (node.type) {
    case 'integer': {
      const text = node.text.replace(/_/g, '').toLowerCase();
      const v = text.startsWith('0x') || text.startsWith('0o') || text.startsWith('0b') ? Number(text) : Number.parseInt(text, 10);
      return Number.isFinite(v) ? v : undefined;
    }
    case 'float': {
      const v = Number(node.text.replace(/_/g, ''));
      return Number.isInteger(v) ? v : undefined;
    }
    case 'parenthesized_expression':
      return intValue(node.namedChildren[0] ?? null, module, depth, env);
    case 'unary_operator': {
      const v = intValue(node.childForFieldName('argument'), module, depth, env);
      return v === undefined ? undefined : node.text.trim().startsWith('-') ? -v : v;
    }
    case 'binary_operator': {
      const l = intValue(node.childForFieldName('left'), module, depth, env);
      const r = intValue(node.childForFieldName('right'), module, depth, env);
      if (l === undefined || r === undefined) return undefined;
      switch (node.childForFieldName('operator')?.text) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '//': return r === 0 ? undefined : Math.floor(l / r);
        case '**': return r >= 0 && r < 64 ? l ** r : undefined;
        case '%': return r === 0 ? undefined : l - r * Math.floor(l / r);
        case '<<': return r >= 0 && r < 63 ? l * 2 ** r : undefined;
        case '>>': return r >= 0 ? Math.floor(l / 2 ** r) : undefined;
      }
      return undefined;
    }
    case 'identifier': {
      const bound = env.get(node.text);
      if (bound !== undefined) return bound;
      const fn = enclosingFunction(node);
      const passed = fn && scopeOf(fn).params.has(node.text) ? parameterInt(fn, node, module, depth) : undefined;
      return passed ?? intValue(singleValue(node, module), module, depth + 1);
    }
    case 'attribute':
      // `args.replicates` of `parser.add_argument("--replicates", type=int, default=100)`: the default it ships with
      return argumentDefault(node, module);
    case 'call': {
      // `len(xs)` of a sized collection, `int(x)` of a known value
      const fn = node.childForFieldName('function');
      const args = namedChildren(node.childForFieldName('arguments')!);
      if (fn?.type === 'identifier' && !module.bindings.has(fn.text) && args.length === 1) {
        if (fn.text === 'len') return sizeOf(args[0], module, depth + 1, env)?.n;
        if (fn.text === 'int') {
          // `int(math.sqrt(n))`, `int(n ** 0.5)`: the square root's whole part (a trial division's bound)
          const root = rootOf(args[0], module);
          if (root) {
            const v = intValue(root, module, depth + 1, env);
            return v === undefined || v < 0 ? undefined : Math.floor(Math.sqrt(v));
          }
        }
        // `int(os.getenv("LIMIT", "2"))`: the default the program ships with, the size it shows
        const setting = fn.text === 'int' ? settingDefault(args[0], module) : undefined;
        if (setting !== undefined) return setting;
        if (fn.text === 'int' || fn.text === 'abs') {
          const v = intValue(args[0], module, depth + 1, env);
          return v === undefined ? undefined : fn.text === 'abs' ? Math.abs(v) : v;
        }
      }
      // `math.isqrt(n)`: the square root's whole part
      if (args.length === 1 && importedName(fn?.text ?? null, module) === 'math.isqrt') {
        const v = intValue(args[0], module, depth + 1, env);
        return v === undefined || v < 0 ? undefined : Math.floor(Math.sqrt(v));
      }
      if (fn?.type === 'identifier' && (fn.text === 'max' || fn.text === 'min') && !module.bindings.has(fn.text) && args.length >= 2) {
        const values = args.map((a) => intValue(a, module, depth + 1, env));
        if (values.some((v) => v === undefined)) return undefined;
        return fn.text === 'max' ? Math.max(...(values as number[])) : Math.min(...(values as number[]));
      }
      return undefined;
    }
  }
  return undefined;
}

/**
 * The whole-number default of a command-line option read as `args.dest`, where `args` is bound once to what
 * `parse_args()` returns (argparse's, or a function of the file named so) and the file adds that option once
 * (`parser.add_argument("--replicates", type=int, default=100)`): the size the program runs at unless told otherwise.
 */
function argumentDefault(node: SyntaxNode, module: ModuleInfo): number | undefined {
  const object = node.childForFieldName('object');
  const dest = node.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !dest || !module.root.text.includes('add_argument')) return undefined;
  const made = singleValue(object, module);
  const maker = made?.type === 'call' ? made.childForFieldName('function') : null;
  if (!maker || !/(^|\.)parse_(known_)?args$/.test(maker.text)) return undefined;
  const options = descendantsNamed(module.root, 'call').filter((c) => {
    const f = c.childForFieldName('function');
    if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'add_argument') return false;
    const args = namedChildren(c.childForFieldName('arguments')!);
    const explicit = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'dest')?.childForFieldName('value');
    if (explicit) return stringValue(explicit) === dest;
    const flags = args.map(stringValue).filter((f): f is string => f !== null);
    const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => !f.startsWith('-'));
    return !!long && long.replace(/^-+/, '').replace(/-/g, '_') === dest;
  });
  if (options.length !== 1) return undefined;
  const fallback = namedChildren(options[0].childForFieldName('arguments')!).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default')?.childForFieldName('value');
  return fallback?.type === 'integer' ? intValue(fallback, module) : undefined;
}

/** The whole number an environment setting read with a default spelled in digits falls back to (`os.getenv("N", "2")`). */
function settingDefault(node: SyntaxNode | null, module: ModuleInfo): number | undefined {
  if (node?.type !== 'call') return undefined;
  const callee = importedName(node.childForFieldName('function')?.text ?? null, module);
  if (callee !== 'os.getenv' && callee !== 'os.environ.get') return undefined;
  const args = namedChildren(node.childForFieldName('arguments')!);
  const fallback = args.length === 2 ? args[1] : args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default')?.childForFieldName('value');
  if (fallback?.type === 'integer') return intValue(fallback, module);
  const digits = fallback?.type === 'string' ? /^[rbu]?["']{1,3}(\d+)["']{1,3}$/i.exec(fallback.text) : null;
  return digits ? Number(digits[1]) : undefined;
}

/** The operand of a square root the code spells out (`math.sqrt(n)`, `n ** 0.5`), or null. */
function rootOf(node: SyntaxNode | null, module: ModuleInfo): SyntaxNode | null {
  if (node?.type === 'parenthesized_expression') return rootOf(node.namedChildren[0] ?? null, module);
  if (node?.type === 'call') {
    const args = namedChildren(node.childForFieldName('arguments')!);
    return args.length === 1 && args[0].type !== 'keyword_argument' && importedName(node.childForFieldName('function')?.text ?? null, module) === 'math.sqrt' ? args[0] : null;
  }
  if (node?.type === 'binary_operator' && node.childForFieldName('operator')?.text === '**' && node.childForFieldName('right')?.text.replace(/\s+/g, '') === '0.5') return node.childForFieldName('left');
  return null;
}

/** The mean value of the items of an iterable of integers the code spells out (`range(a, b)`, `[3, 5, 8]`). */
export function meanItemValue(node: SyntaxNode | null, module: ModuleInfo, env: ValueEnv = NO_ENV, depth = 0): number | undefined {
  if (!node || depth > 4) return undefined;
  if (node.type === 'list' || node.type === 'tuple' || node.type === 'set') {
    const values = namedChildren(node).map((c) => intValue(c, module, 0, env));
    if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
    return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
  }
  if (node.type === 'call' && node.childForFieldName('function')?.text === 'range' && !module.bindings.has('range')) {
    const ints = namedChildren(node.childForFieldName('arguments')!).map((a) => intValue(a, module, 0, env));
    if (ints.length === 0 || ints.some((v) => v === undefined)) return undefined;
    const [start, stop, step] = ints.length === 1 ? [0, ints[0]!, 1] : [ints[0]!, ints[1]!, ints[2] ?? 1];
    const n = step === 0 ? 0 : Math.ceil((stop - start) / step);
    return n > 0 ? start + (step * (n - 1)) / 2 : undefined;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const args = namedChildren(node.childForFieldName('arguments')!);
    if (fn?.type === 'identifier' && ['list', 'tuple', 'sorted', 'reversed', 'set'].includes(fn.text) && !module.bindings.has(fn.text) && args.length === 1) return meanItemValue(args[0], module, env, depth + 1);
  }
  if (node.type === 'list_comprehension' || node.type === 'generator_expression') {
    // `[20_000 + 1_000 * i for i in range(16)]`: the element at the mean of the variable, exact for the linear
    // expressions limits are made of (and below the mean of a convex one: a refusal errs on the side of no finding)
    const clauses = namedChildren(node).filter((c) => c.type === 'for_in_clause');
    if (clauses.length !== 1 || namedChildren(node).some((c) => c.type === 'if_clause')) return undefined;
    const variable = clauses[0].childForFieldName('left');
    const mean = variable?.type === 'identifier' ? meanItemValue(clauses[0].childForFieldName('right'), module, env, depth + 1) : undefined;
    if (mean === undefined) return undefined;
    return intValue(node.childForFieldName('body'), module, 0, new Map([...env, [variable!.text, mean]]));
  }
  if (node.type === 'identifier' && !env.has(node.text)) {
    const value = singleValue(node, module);
    return value && value.id !== node.id ? meanItemValue(value, module, NO_ENV, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * The mean value of each name of a tuple target (`for lo, hi in bounds`) over an iterable whose items are
 * tuples the code spells out: a literal list of tuples, or a comprehension of tuples over a known range.
 */
export function meanTupleValues(names: readonly string[], node: SyntaxNode | null, module: ModuleInfo, env: ValueEnv = NO_ENV, depth = 0): Map<string, number> {
  const out = new Map<string, number>();
  if (!node || depth > 4 || names.length < 2) return out;
  const elementsOf = (t: SyntaxNode | null): readonly SyntaxNode[] | undefined => {
    const inner = t?.type === 'parenthesized_expression' ? t.namedChildren[0] ?? null : t;
    return inner?.type === 'tuple' ? namedChildren(inner) : undefined;
  };
  if (node.type === 'list' || node.type === 'tuple') {
    const rows = namedChildren(node).map(elementsOf);
    if (rows.length === 0 || rows.some((r) => !r || r.length !== names.length)) return out;
    names.forEach((name, i) => {
      const values = rows.map((r) => intValue(r![i], module, 0, env));
      if (values.every((v) => v !== undefined)) out.set(name, (values as number[]).reduce((a, b) => a + b, 0) / values.length);
    });
    return out;
  }
  if (node.type === 'list_comprehension' || node.type === 'generator_expression') {
    const clauses = namedChildren(node).filter((c) => c.type === 'for_in_clause');
    const elements = elementsOf(node.childForFieldName('body'));
    if (clauses.length !== 1 || !elements || elements.length !== names.length || namedChildren(node).some((c) => c.type === 'if_clause')) return out;
    const variable = clauses[0].childForFieldName('left');
    const mean = variable?.type === 'identifier' ? meanItemValue(clauses[0].childForFieldName('right'), module, env) : undefined;
    // each element at the mean of the comprehension's variable: exact for the linear bounds blocks are made of
    const inner = new Map(env);
    if (variable && mean !== undefined) inner.set(variable.text, mean);
    names.forEach((name, i) => {
      const v = intValue(elements[i], module, 0, inner);
      if (v !== undefined) out.set(name, v);
    });
    return out;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const args = namedChildren(node.childForFieldName('arguments')!);
    if (fn?.type === 'identifier' && !module.bindings.has(fn.text) && args.length === names.length && fn.text === 'zip') {
      names.forEach((name, i) => {
        const v = meanItemValue(args[i], module, env);
        if (v !== undefined) out.set(name, v);
      });
      return out;
    }
    if (fn?.type === 'identifier' && !module.bindings.has(fn.text) && args.length === 1 && ['list', 'tuple', 'sorted', 'reversed'].includes(fn.text)) return meanTupleValues(names, args[0], module, env, depth + 1);
  }
  if (node.type === 'identifier' && !env.has(node.text)) {
    const value = singleValue(node, module);
    return value && value.id !== node.id ? meanTupleValues(names, value, module, NO_ENV, depth + 1) : out;
  }
  return out;
}

/** The representative values of a loop target: an identifier's mean item value, or each name of a tuple target. */
export function targetValues(target: SyntaxNode | null | undefined, iterable: SyntaxNode | null, module: ModuleInfo, env: ValueEnv = NO_ENV): Map<string, number> {
  if (target?.type === 'identifier') {
    const mean = meanItemValue(iterable, module, env);
    return new Map(mean !== undefined ? [[target.text, Math.round(mean)]] : []);
  }
  if (target?.type === 'pattern_list' || target?.type === 'tuple_pattern' || target?.type === 'tuple') {
    const names = namedChildren(target);
    if (names.every((n) => n.type === 'identifier')) {
      const values = meanTupleValues(names.map((n) => n.text), iterable, module, env);
      return new Map([...values].map(([k, v]) => [k, Math.round(v)]));
    }
  }
  return new Map();
}

/** Float value of a literal expression (`0.5`, `1e-3`, `2 * 0.1`), or of a constant bound to one. */
export function numberValue(node: SyntaxNode | null, module: ModuleInfo, depth = 0): number | undefined {
  if (!node || depth > 4) return undefined;
  if (node.type === 'float' || node.type === 'integer') {
    const v = Number(node.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (node.type === 'parenthesized_expression') return numberValue(node.namedChildren[0] ?? null, module, depth);
  if (node.type === 'binary_operator') {
    const l = numberValue(node.childForFieldName('left'), module, depth);
    const r = numberValue(node.childForFieldName('right'), module, depth);
    if (l === undefined || r === undefined) return undefined;
    const op = node.childForFieldName('operator')?.text;
    return op === '*' ? l * r : op === '/' && r !== 0 ? l / r : op === '+' ? l + r : op === '-' ? l - r : undefined;
  }
  if (node.type === 'identifier') return numberValue(singleValue(node, module), module, depth + 1);
  return undefined;
}

/**
 * The one expression a name is bound to where it is read: a local assigned once in its function (and never
 * changed in place), a module-level name assigned once, or a parameter's default when no call in the file
 * passes it. Null when the code does not fix it.
 */
export function singleValue(name: SyntaxNode, module: ModuleInfo): SyntaxNode | null {
  const fn = enclosingFunction(name);
  const scopeNode = fn && (scopeOf(fn).locals.has(name.text) || scopeOf(fn).params.has(name.text)) ? fn : null;
  if (scopeNode && scopeOf(scopeNode).params.has(name.text)) return parameterDefault(scopeNode, name.text, module);
  const root = scopeNode ? scopeNode.childForFieldName('body')! : module.root;
  if (!scopeNode && module.bindings.get(name.text) !== 'assign') return null;
  const assignments = cachedAssignments(root, name.text, scopeNode);
  if (assignments === null) return tupleElementValue(root, name.text, scopeNode);
  if (assignments.length === 1) return assignments[0].childForFieldName('right');
  // `pins = [...]` then `pins = [f(p) for p in pins]`: rebound only by statements of the block itself, one after
  // the other, a read sees the last one before it (not the one whose value it is part of)
  const block = root;
  if (assignments.length < 2 || !assignments.every((a) => a.parent?.type === 'expression_statement' && a.parent.parent?.id === block.id)) return null;
  return assignments.filter((a) => a.endIndex <= name.startIndex).pop()?.childForFieldName('right') ?? null;
}

/**
 * At most how many items a name holds when every binding of it in its scope is a collection of known size
 * (`splits = list(range(1, 17))` in one arm of an `if`, `splits = [1, 2]` in another): the largest of them.
 * Undefined for a parameter, a name changed in place or bound otherwise (a loop, an unpacking, `+=`), or when
 * any binding's size is not known.
 */
export function sizeOfEveryBinding(name: SyntaxNode, module: ModuleInfo): { n: number; from: string } | undefined {
  const assignments = everyAssignment(name, module);
  if (!assignments) return undefined;
  let most: { n: number; from: string } | undefined;
  for (const assignment of assignments) {
    const size = sizeOf(assignment.childForFieldName('right'), module);
    if (!size) return undefined;
    if (!most || size.n > most.n) most = size;
  }
  return most;
}

/** The plain assignments binding a local or module-level name, in its scope (null: a parameter, or bound otherwise). */
function everyAssignment(name: SyntaxNode, module: ModuleInfo): SyntaxNode[] | null {
  const fn = enclosingFunction(name);
  const scopeNode = fn && (scopeOf(fn).locals.has(name.text) || scopeOf(fn).params.has(name.text)) ? fn : null;
  if (scopeNode && scopeOf(scopeNode).params.has(name.text)) return null;
  if (!scopeNode && module.bindings.get(name.text) !== 'assign') return null;
  const root = scopeNode ? scopeNode.childForFieldName('body')! : module.root;
  const assignments = cachedAssignments(root, name.text, scopeNode);
  return assignments && assignments.length > 0 ? assignments : null;
}

/** plainAssignments of a name in a scope, found once per scope and name (the cost model asks for each use). */
function cachedAssignments(root: SyntaxNode, name: string, scopeNode: SyntaxNode | null): SyntaxNode[] | null {
  let known = scopeAssignments.get(root);
  if (!known) scopeAssignments.set(root, (known = new Map()));
  let assignments = known.get(name);
  if (assignments === undefined) known.set(name, (assignments = plainAssignments(root, name, scopeNode)));
  return assignments;
}

/**
 * The size every element of a sequence has, where the code builds it so: a list comprehension whose element is
 * sized (`[[rand() for _ in range(n)] for _ in range(m)]`), a row repeated (`[[0] * n] * m`), a name each of whose
 * assignments is one, or a function of the file returning one, with the call's arguments (round 44: similarities
 * of 100 vectors of 50 bits made by `generate_vectors(100, N)` were work of unknown size).
 */
function elementSize(node: SyntaxNode | null, module: ModuleInfo, depth: number, env: ValueEnv): { n: number; from: string } | undefined {
  if (!node || depth > 6) return undefined;
  switch (node.type) {
    case 'parenthesized_expression':
      return elementSize(node.namedChildren[0] ?? null, module, depth, env);
    case 'list_comprehension':
      return sizeOf(node.childForFieldName('body'), module, depth + 1, env);
    case 'binary_operator': {
      if (node.childForFieldName('operator')?.text !== '*') return undefined;
      const row = [node.childForFieldName('left'), node.childForFieldName('right')].find((c) => c?.type === 'list' && namedChildren(c).length === 1);
      return row ? sizeOf(namedChildren(row)[0], module, depth + 1, env) : undefined;
    }
    case 'identifier': {
      const assignments = everyAssignment(node, module);
      if (!assignments) return undefined;
      const sizes = assignments.map((a) => elementSize(a.childForFieldName('right'), module, depth + 1, env));
      return sizes.every((x) => x) ? sizes.reduce((a, b) => (a!.n >= b!.n ? a : b)) : undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const callee = fn?.type === 'identifier' && module.bindings.get(fn.text) === 'def' ? module.functions.get(fn.text) : undefined;
      if (!callee) return undefined;
      const calleeEnv = new Map<string, number>();
      for (const parameter of parameterNames(callee)) {
        const arg = plainArgumentFor(node, callee, parameter);
        const v = arg ? intValue(arg, module, 0, env) : undefined;
        if (v !== undefined) calleeEnv.set(parameter, v);
      }
      const sizes = returnedValues(callee).map((r) => elementSize(r, module, depth + 1, calleeEnv));
      return sizes.length > 0 && sizes.every((x) => x) ? sizes.reduce((a, b) => (a!.n >= b!.n ? a : b)) : undefined;
    }
    default:
      return undefined;
  }
}

/** Per scope's body (or module root) and name: plainAssignments. */
const scopeAssignments = new WeakMap<SyntaxNode, Map<string, SyntaxNode[] | null>>();

/**
 * The value a name takes from the one assignment binding it, when that assignment unpacks a tuple spelled on its
 * right (`NS, NA = GRID * GRID, 4` → `GRID * GRID`) and nothing else in the scope binds or changes the name.
 */
function tupleElementValue(root: SyntaxNode, name: string, scopeNode: SyntaxNode | null): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  for (const token of tokensSpelled(root, name, 'identifier')) {
    const inner = enclosingFunction(token);
    if (scopeNode ? inner?.id !== scopeNode.id : inner !== null && scopeOf(inner).locals.has(name)) continue;
    const parent = token.parent;
    if (!parent) continue;
    if (parent.type === 'pattern_list' || parent.type === 'tuple_pattern') {
      const assignment = parent.parent;
      const pairs = assignment?.type === 'assignment' && assignment.childForFieldName('left')?.id === parent.id ? unpackedPairs(assignment) : null;
      if (found || !pairs || pairs.some(([n]) => n.type !== 'identifier')) return null;
      found = pairs.find(([n]) => n.id === token.id)?.[1] ?? null;
      if (!found) return null;
      continue;
    }
    if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === token.id) return null;
    if (parent.type === 'for_statement' && parent.childForFieldName('left')?.id === token.id) return null;
    if (parent.type === 'global_statement' || parent.type === 'nonlocal_statement' || changedInPlace(token)) return null;
  }
  return found;
}

/**
 * The assignments `name = …` of the scope whose body is `root` (`scopeNode` the function, null: the module), in
 * order; null when the name is bound or changed otherwise (augmented, by a loop or an unpacking, declared global
 * or nonlocal, a mutating method called on it).
 */
function plainAssignments(root: SyntaxNode, name: string, scopeNode: SyntaxNode | null): SyntaxNode[] | null {
  const assignments: SyntaxNode[] = [];
  for (const token of tokensSpelled(root, name, 'identifier')) {
    const inner = enclosingFunction(token);
    if (scopeNode ? inner?.id !== scopeNode.id : inner !== null && scopeOf(inner).locals.has(name)) {
      // a nested function changing the list it closes over (`found.append(x)` in `def visit(…)`): not the literal any more
      if (scopeNode && inner && !scopeOf(inner).locals.has(name) && !scopeOf(inner).params.has(name) && changedInPlace(token)) return null;
      continue;
    }
    const parent = token.parent;
    if (!parent) continue;
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) {
      assignments.push(parent);
    } else if (parent.type === 'augmented_assignment' && parent.childForFieldName('left')?.id === token.id) return null;
    else if (changedInPlace(token)) return null;
    else if (parent.type === 'for_statement' || parent.type === 'pattern_list' || parent.type === 'tuple_pattern' || parent.type === 'global_statement' || parent.type === 'nonlocal_statement') {
      if (parent.type !== 'for_statement' || parent.childForFieldName('left')?.id === token.id) return null;
    }
  }
  return assignments;
}

/** Whether the name at `token` is changed in place there: a mutating method called on it, or an entry stored. */
function changedInPlace(token: SyntaxNode): boolean {
  const parent = token.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === token.id) return MUTATING_METHODS.has(parent.childForFieldName('attribute')?.text ?? '');
  return parent?.type === 'subscript' && parent.childForFieldName('value')?.id === token.id && changedThere(token);
}

/**
 * At most how many items a list holds that a function builds by hand: one list literal, then only appends (and
 * extends by literals) that no loop repeats (`metrics = ['qsos']`, `if points: metrics.append('points')`): each
 * may or may not run, so the count is a bound. Null when the list is rebound, changed otherwise, handed to a call
 * (which could add to it) other than the one whose argument `handed` is, or added to in a loop other than one over a
 * known count.
 */
/** The most items a slice from the start with a literal end holds (`xs[:2]`, `xs[0:10]`), or undefined. */
function sliceCap(node: SyntaxNode | null): number | undefined {
  if (node?.type !== 'subscript') return undefined;
  const slice = node.childForFieldName('subscript');
  const m = slice?.type === 'slice' ? /^\s*0?\s*:\s*(\d[\d_]*)\s*$/.exec(slice.text) : null;
  return m ? Number(m[1].replace(/_/g, '')) : undefined;
}

export function listBound(name: SyntaxNode, module: ModuleInfo, handed?: SyntaxNode): { n: number; from: string } | undefined {
  const fn = enclosingFunction(name);
  // a function's local, or a name of the module's own top level (an `if __name__ == "__main__":` block)
  if (fn ? !scopeOf(fn).locals.has(name.text) : module.bindings.get(name.text) !== 'assign') return undefined;
  const body = fn ? fn.childForFieldName('body') : module.root;
  if (!body) return undefined;
  // the one `for` over a known number of items that repeats an append (`for i in range(NUM_AGENTS): agents.append(…)`)
  const sizedPasses = (call: SyntaxNode): number | undefined => {
    let passes: number | undefined;
    for (let p = call.parent; p && p.id !== body.id; p = p.parent) {
      if (!REPEATING_TYPES.has(p.type)) continue;
      if (passes !== undefined || p.type !== 'for_statement') return undefined;
      // a parameter holds what the callers pass, however many: not a count the code fixes — unless a slice caps it
      // (`for m in movies[:2]`: two passes at most, round 61)
      const over = p.childForFieldName('right');
      const cap = sliceCap(over);
      if (cap !== undefined) {
        passes = cap;
        continue;
      }
      if (fn && over && [over, ...descendantsNamed(over, 'identifier')].some((id) => id.type === 'identifier' && scopeOf(fn).params.has(id.text))) return undefined;
      passes = sizeOf(over, module)?.n;
      if (passes === undefined) return undefined;
    }
    return passes ?? 1;
  };
  let literal: SyntaxNode | null = null;
  let added = 0;
  let appends = 0;
  let capped: number | undefined;
  for (const token of tokensSpelled(body, name.text, 'identifier')) {
    const owner = enclosingFunction(token);
    if ((owner?.id ?? null) !== (fn?.id ?? null)) {
      // a function's own name spelled alike (the parameter `images` of the function the list is handed to)
      if (owner && !fn && (scopeOf(owner).params.has(name.text) || scopeOf(owner).locals.has(name.text))) continue;
      return undefined;
    }
    const parent = token.parent;
    if (!parent) return undefined;
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) {
      const right = parent.childForFieldName('right');
      if (literal || right?.type !== 'list' || namedChildren(right).some((c) => c.type.endsWith('splat'))) return undefined;
      literal = right;
      continue;
    }
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === token.id) {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      if (!MUTATING_METHODS.has(method)) continue;
      const call = parent.parent;
      const args = call?.type === 'call' ? namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment') : [];
      if (call?.parent?.type !== 'expression_statement') return undefined;
      const passes = fn && !repeatedIn(call, fn) ? 1 : sizedPasses(call);
      if (passes === undefined) {
        // appends that every loop around them stops once the list holds enough (`if len(picked) >= LIMIT: break`)
        capped = method === 'append' ? lengthCap(call, name.text, body, module) : undefined;
        if (capped === undefined) return undefined;
        appends++;
        continue;
      }
      if (method === 'append' && args.length === 1) added += passes;
      else if (method === 'extend' && args.length === 1 && (args[0].type === 'list' || args[0].type === 'tuple')) added += passes * namedChildren(args[0]).filter((c) => c.type !== 'comment').length;
      else return undefined;
      appends++;
      continue;
    }
    // any other use reads it, unless it hands the list to a call that could add to it (other than the call `handed`
    // is the argument of, whose parameter is being sized)
    if (token.id === handed?.id) continue;
    if (parent.type === 'argument_list' && parent.parent?.childForFieldName('function')?.text === 'len' && !module.bindings.has('len')) continue;
    if (parent.type === 'argument_list' || parent.type === 'keyword_argument' || parent.type === 'augmented_assignment') return undefined;
  }
  if (!literal || appends === 0) return undefined;
  const spelled = namedChildren(literal).filter((c) => c.type !== 'comment').length;
  if (capped !== undefined) return appends === 1 ? { n: Math.max(spelled, capped), from: `the list at line ${lineOf(literal)}, whose loop stops at ${capped} items` } : undefined;
  const n = spelled + added;
  return { n, from: `the list at line ${lineOf(literal)} and ${appends === 1 ? 'the append' : `the ${appends} appends`} after it` };
}

const IF_STATEMENTS = new Set(['if_statement']);

/**
 * The length at which every loop around an append to `name` (up to `body`) breaks out (`if len(name) >= LIMIT:
 * break` in each of them, before or after the append): the list never holds more. Undefined where one loop goes on.
 */
function lengthCap(call: SyntaxNode, name: string, body: SyntaxNode, module: ModuleInfo): number | undefined {
  let cap: number | undefined;
  for (let p = call.parent; p && p.id !== body.id; p = p.parent) {
    if (!REPEATING_TYPES.has(p.type)) continue;
    if (p.type !== 'for_statement' && p.type !== 'while_statement') return undefined;
    const loop = p;
    const stop = descendantsOfTypes(loop, IF_STATEMENTS).find((stmt) => {
      // the check belongs to this loop, not to one nested in it, and its branch only breaks
      for (let q = stmt.parent; q && q.id !== loop.id; q = q.parent) if (REPEATING_TYPES.has(q.type) || SCOPE_TYPES.has(q.type)) return false;
      const branch = namedChildren(stmt.childForFieldName('consequence')!).filter((c) => c.type !== 'comment');
      return stmt.childForFieldName('alternative') === null && branch.length === 1 && branch[0].type === 'break_statement' && lengthAtLeast(stmt.childForFieldName('condition'), name, module) !== undefined;
    });
    const at = stop ? lengthAtLeast(stop.childForFieldName('condition'), name, module) : undefined;
    if (at === undefined) return undefined;
    cap = cap === undefined ? at : Math.max(cap, at);
  }
  return cap;
}

/** `K` where a condition reads `len(name) >= K` (or `== K`, `> K - 1`, `K <= len(name)`), K a number the code shows. */
function lengthAtLeast(cond: SyntaxNode | null, name: string, module: ModuleInfo): number | undefined {
  if (cond?.type === 'parenthesized_expression') return lengthAtLeast(cond.namedChildren[0] ?? null, name, module);
  if (cond?.type !== 'comparison_operator') return undefined;
  const operands = namedChildren(cond);
  const ops = children(cond).filter((c) => !c.isNamed).map((c) => c.text);
  if (operands.length !== 2 || ops.length !== 1) return undefined;
  const isLen = (n: SyntaxNode) => n.type === 'call' && n.childForFieldName('function')?.text === 'len' && !module.bindings.has('len') && n.childForFieldName('arguments')?.namedChildren.length === 1 && n.childForFieldName('arguments')!.namedChildren[0].text === name;
  const [left, right] = operands;
  const flipped: Record<string, string> = { '<=': '>=', '<': '>', '==': '==' };
  const op = isLen(left) ? ops[0] : isLen(right) ? flipped[ops[0]] : undefined;
  const k = intValue(isLen(left) ? right : left, module);
  if (op === undefined || k === undefined) return undefined;
  return op === '>=' || op === '==' ? k : op === '>' ? k + 1 : undefined;
}

/** The collection a loop walks, through the wrappers that keep its count: `enumerate(xs)`, `sorted(xs)`, `xs.items()`. */
function walkedCollection(iterable: SyntaxNode | null): SyntaxNode | null {
  let node = iterable;
  for (let i = 0; node && i < 4; i++) {
    if (node.type === 'identifier' || (node.type === 'attribute' && node.childForFieldName('object')?.type === 'identifier')) return node;
    if (node.type !== 'call') return null;
    const callee = node.childForFieldName('function');
    const args = namedChildren(node.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    if (callee?.type === 'identifier' && COUNT_KEEPING_CALLS.has(callee.text) && args.length >= 1 && args[0].type !== 'keyword_argument') node = args[0];
    else if (callee?.type === 'attribute' && DICT_VIEWS.has(callee.childForFieldName('attribute')?.text ?? '') && args.length === 0) node = callee.childForFieldName('object');
    else return null;
  }
  return null;
}
const COUNT_KEEPING_CALLS = new Set(['enumerate', 'sorted', 'reversed', 'list', 'tuple']);
const DICT_VIEWS = new Set(['items', 'keys', 'values']);

/**
 * The bound a test puts on the length of `collection` when it holds (`negated`: when it fails): `len(xs) <= 3`,
 * `n < 4` for `n = len(xs)` bound once, `3 >= len(xs)`, one side of an `and`. Undefined when it bounds nothing.
 */
function lengthBoundOf(test: SyntaxNode | null, collection: SyntaxNode, module: ModuleInfo, negated: boolean): number | undefined {
  if (!test) return undefined;
  if (test.type === 'parenthesized_expression') return lengthBoundOf(test.namedChildren[0] ?? null, collection, module, negated);
  if (test.type === 'not_operator') return lengthBoundOf(test.childForFieldName('argument'), collection, module, !negated);
  if (test.type === 'boolean_operator') {
    // `a and b` holding bounds by either; `a or b` failing bounds by either
    const op = test.childForFieldName('operator')?.text;
    if ((op === 'and') === negated) return undefined;
    const l = lengthBoundOf(test.childForFieldName('left'), collection, module, negated);
    const r = lengthBoundOf(test.childForFieldName('right'), collection, module, negated);
    return l === undefined ? r : r === undefined ? l : Math.min(l, r);
  }
  if (test.type !== 'comparison_operator') return undefined;
  const operands = namedChildren(test).filter((c) => c.type !== 'comment');
  const operators = test.children.filter((c) => !c.isNamed).map((c) => c.type);
  if (operands.length !== 2 || operators.length !== 1) return undefined;
  const isLength = (node: SyntaxNode): boolean => {
    if (node.type === 'identifier') {
      const value = singleValue(node, module);
      return value !== null && isLength(value);
    }
    if (node.type !== 'call' || node.childForFieldName('function')?.text !== 'len') return false;
    const args = namedChildren(node.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    return args.length === 1 && args[0].text === collection.text;
  };
  // written as `len(xs) OP k`
  let op = operators[0];
  let k: number | undefined;
  if (isLength(operands[0])) k = intValue(operands[1], module);
  else if (isLength(operands[1])) {
    k = intValue(operands[0], module);
    op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
  }
  if (k === undefined) return undefined;
  if (negated) op = ({ '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' } as Record<string, string>)[op] ?? '';
  switch (op) {
    case '<=': case '==': return k;
    case '<': return k - 1;
    default: return undefined;
  }
}

/** Whether `collection` may be rebound or changed in place between two offsets of a function. */
function changedBetween(collection: SyntaxNode, scope: SyntaxNode, from: number, to: number): boolean {
  const name = collection.type === 'identifier' ? collection.text : collection.childForFieldName('attribute')?.text ?? '';
  for (const token of tokensSpelled(scope, name, 'identifier')) {
    if (token.startIndex < from || token.startIndex >= to) continue;
    const use = collection.type === 'identifier' ? token : token.parent?.type === 'attribute' && token.parent.text === collection.text ? token.parent : null;
    if (!use) continue;
    const parent = use.parent;
    if (!parent) continue;
    if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === use.id) return true;
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id && MUTATING_METHODS.has(parent.childForFieldName('attribute')?.text ?? '')) return true;
    if (parent.type === 'argument_list' || parent.type === 'for_statement' || parent.type === 'pattern_list') return true;
  }
  return false;
}

/**
 * At most how many items a loop walks when the program tests the collection's length on the way to it: the loop
 * in the branch of `if len(xs) <= 3:` (a small batch run in place, a big one handed to a pool elsewhere), in the
 * `else` of `if len(xs) > 3:`, or after `if len(xs) > 3: return` in a block around it. Undefined otherwise.
 */
export function guardBound(loop: SyntaxNode, iterable: SyntaxNode | null, module: ModuleInfo): { n: number; from: string } | undefined {
  const collection = walkedCollection(iterable);
  if (!collection) return undefined;
  const fn = enclosingFunction(loop);
  const scope = fn?.childForFieldName('body') ?? module.root;
  // `from`: where the test's verdict starts to hold (after the test, the `else`, the leaving `if`)
  const bounded = (guard: SyntaxNode, test: SyntaxNode | null, negated: boolean, from: number) => {
    const k = lengthBoundOf(test, collection, module, negated);
    if (k === undefined || k < 0 || changedBetween(collection, scope, from, loop.startIndex)) return undefined;
    return { n: k, from: `the test \`${test!.text}\` at line ${lineOf(guard)}` };
  };
  for (let node: SyntaxNode = loop; node.parent && node.id !== scope.id; node = node.parent) {
    const parent = node.parent;
    if (SCOPE_TYPES.has(parent.type)) break;
    if (node.type === 'block' && (parent.type === 'if_statement' || parent.type === 'elif_clause') && parent.childForFieldName('consequence')?.id === node.id) {
      const found = bounded(parent, parent.childForFieldName('condition'), false, parent.childForFieldName('condition')!.endIndex);
      if (found) return found;
    }
    if (node.type === 'block' && parent.type === 'else_clause' && parent.parent?.type === 'if_statement' && !namedChildren(parent.parent).some((c) => c.type === 'elif_clause')) {
      const found = bounded(parent.parent, parent.parent.childForFieldName('condition'), true, parent.startIndex);
      if (found) return found;
    }
    if (parent.type === 'block' || parent.type === 'module') {
      // an earlier statement of the same block that leaves when the collection is long
      for (let prev = node.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
        if (prev.type !== 'if_statement' || namedChildren(prev).some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) continue;
        const last = namedChildren(prev.childForFieldName('consequence')!).filter((c) => c.type !== 'comment').pop();
        if (!last || !JUMP_STATEMENTS.includes(last.type)) continue;
        const found = bounded(prev, prev.childForFieldName('condition'), true, prev.endIndex);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Whether `node` may run more than once per run of `within`: inside a loop or comprehension below it. */
function repeatedIn(node: SyntaxNode, within: SyntaxNode): boolean {
  for (let p = node.parent; p && p.id !== within.id; p = p.parent) if (REPEATING_TYPES.has(p.type)) return true;
  return false;
}

function parameterDefault(fn: SyntaxNode, name: string, module: ModuleInfo): SyntaxNode | null {
  const value = declaredDefault(fn, name);
  if (!value) return null;
  const fnName = fn.childForFieldName('name')?.text;
  // a call that passes the parameter may pass anything
  const passed = fnName ? callSitesOf(module, fnName).some((call) => plainArgumentFor(call, fn, name) !== null) : true;
  return passed ? null : value;
}


/** The most items a slice with a constant width takes (`xs[:10]` → 10, `xs[2:5]` → 3, `xs[:8:2]` → 4), or undefined. */
function sliceWidth(node: SyntaxNode, module: ModuleInfo, env: ValueEnv): number | undefined {
  const keys = node.childrenForFieldName('subscript').filter((k): k is SyntaxNode => k !== null);
  if (keys.length !== 1 || keys[0].type !== 'slice') return undefined;
  // the slice's parts, in order, with the colons telling which are given
  const parts: Array<SyntaxNode | null> = [null];
  for (const c of keys[0].children) {
    if (!c) continue;
    if (c.type === ':') parts.push(null);
    else parts[parts.length - 1] = c;
  }
  const [start, stop, step] = parts;
  if (!stop) {
    // `lines[-500:]`: the last 500 at most
    const last = start?.type === 'unary_operator' && start.text.trim().startsWith('-') && !step ? intValue(start.childForFieldName('argument'), module, 0, env) : undefined;
    return last !== undefined && last > 0 ? last : undefined;
  }
  const from = start ? intValue(start, module, 0, env) : 0;
  const to = intValue(stop, module, 0, env);
  const by = step ? intValue(step, module, 0, env) : 1;
  // negative bounds count from the end: the width then depends on the size
  if (from === undefined || to === undefined || by === undefined || from < 0 || to < 0 || by <= 0) return undefined;
  return Math.max(0, Math.ceil((to - from) / by));
}

/** How many characters (or bytes) a literal's body stands for once its escapes are read (`\\xa5` is one); undefined when unsure. */
function decodedLength(content: string): number | undefined {
  let n = 0;
  for (let i = 0; i < content.length; i++, n++) {
    if (content[i] !== '\\') continue;
    const next = content[i + 1];
    if (next === undefined) return undefined;
    if (next === '\n') {
      // a line continuation inside the literal stands for nothing
      i += 1;
      n--;
    } else if (next === 'x') i += 3;
    else if (next === 'u') i += 5;
    else if (next === 'U') i += 9;
    else if (next === 'N') {
      const close = content.indexOf('}', i);
      if (close < 0) return undefined;
      i = close;
    } else if (/[0-7]/.test(next)) {
      let k = 1;
      while (k < 3 && /[0-7]/.test(content[i + 1 + k] ?? '')) k++;
      i += k;
    } else i += 1;
  }
  return n;
}

/**
 * The most items a function returns when its every `return` gives a literal of known size (not a generator), or a
 * local assigned once such a literal and never changed (`fields = (…)`, `return fields`).
 */
function literalReturns(fn: SyntaxNode, module: ModuleInfo, depth: number): { n: number; from: string; atMost: true } | undefined {
  let most = -1;
  let ok = true;
  const body = fn.childForFieldName('body') ?? fn;
  walk(body, (n) => {
    if (!ok) return false;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type === 'yield') ok = false;
    if (n.type !== 'return_statement') return true;
    let value = n.namedChildren.find((c) => c.type !== 'comment') ?? null;
    if (value?.type === 'identifier' && scopeOf(fn).locals.has(value.text)) {
      const assigned = plainAssignments(body, value.text, fn);
      value = assigned?.length === 1 ? assigned[0].childForFieldName('right') : null;
    }
    const size = value && ['list', 'tuple', 'set', 'parenthesized_expression'].includes(value.type) ? sizeOf(value, module, depth + 1) : undefined;
    if (!size || size.atMost) ok = false;
    else most = Math.max(most, size.n);
    return false;
  });
  const name = fn.childForFieldName('name')?.text ?? 'the function';
  return ok && most >= 0 ? { n: most, from: `what \`${name}()\` returns (literals of at most ${most} item${most === 1 ? '' : 's'}, line ${lineOf(fn)})`, atMost: true } : undefined;
}

/** `len(xs)` or `len(xs) - 1` (a `range`'s stop) when `xs` has at most a known size: at most that many. */
function boundedLength(stop: SyntaxNode, module: ModuleInfo, depth: number, env: ValueEnv): { n: number; from: string; atMost: true } | undefined {
  let call = stop;
  let less = 0;
  if (stop.type === 'binary_operator' && stop.childForFieldName('operator')?.text === '-') {
    const minus = intValue(stop.childForFieldName('right'), module, 0, env);
    if (minus === undefined || minus < 0) return undefined;
    call = stop.childForFieldName('left')!;
    less = minus;
  }
  if (call.type !== 'call' || call.childForFieldName('function')?.text !== 'len' || module.bindings.has('len')) return undefined;
  const args = namedChildren(call.childForFieldName('arguments')!);
  const size = args.length === 1 ? sizeOf(args[0], module, depth + 1, env, true) : undefined;
  return size?.atMost ? { n: Math.max(0, size.n - less), from: size.from, atMost: true } : undefined;
}

/** The number of items an iterable yields when the code shows it; `from` says where it was read. */
export function sizeOf(node: SyntaxNode | null, module: ModuleInfo, depth = 0, env: ValueEnv = NO_ENV, bounds = false): { n: number; from: string; atMost?: true } | undefined {
  // sizes and integer values ask each other (`n = min(len(xs), k)`, then `xs = xs[:n]`), each call restarting its own
  // depth: one count of the calls in progress ends such cycles (round 47: "Maximum call stack size exceeded")
  if (!node || sizing > MAX_SIZING) return undefined;
  // and their fan-out (`min(len(xs), len(ys))` in both of two lists sliced by each other) within one question
  if (sizing === 0) sizingCalls = 0;
  if (++sizingCalls > SIZING_BUDGET) return undefined;
  sizing++;
  try {
    return sizeOfNode(node, module, depth, env, bounds);
  } finally {
    sizing--;
  }
}

/** Expressions that are sequences whatever they hold: `a + [..]` joins sequences (`1 + n` adds numbers). */
const SEQUENCES = new Set(['list', 'tuple', 'list_comprehension', 'string']);

/** The sizeOf calls in progress, and how many may be; the calls made for one outermost question, and how many may be. */
let sizing = 0;
const MAX_SIZING = 24;
let sizingCalls = 0;
const SIZING_BUDGET = 2000;

function sizeOfNode(node: SyntaxNode | null, module: ModuleInfo, depth: number, env: ValueEnv, bounds: boolean): { n: number; from: string; atMost?: true } | undefined {
  if (!node || depth > 10) return undefined;
  switch (node.type) {
    case 'subscript': {
      // `hosts[:10]`, `fields[1:4]`: no more than the slice's width — all of it when the sequence's size is known
      const sliced = sliceWidth(node, module, env);
      if (sliced !== undefined) {
        const whole = sizeOf(node.childForFieldName('value'), module, depth + 1, env);
        if (whole && !whole.atMost) return { n: Math.min(whole.n, sliced), from: `\`${node.text.slice(0, 40)}\`` };
        return bounds ? { n: sliced, from: `\`${node.text.slice(0, 40)}\``, atMost: true } : undefined;
      }
      // `vecs[i]` of `vecs = [[…] * n for _ in range(m)]`: every element is as long
      const index = node.childForFieldName('subscript');
      const element = index && index.type !== 'slice' ? elementSize(node.childForFieldName('value'), module, depth + 1, env) : undefined;
      if (element) return { n: element.n, from: `each element of \`${node.childForFieldName('value')!.text.slice(0, 30)}\` (${element.from})` };
      // `STATE_CODES[metro]`: an entry of a table written by hand, no larger than its largest entry (a bound, asked
      // for only where a bound is used: to refuse a pool, never to promise one)
      if (!bounds) return undefined;
      const most = largestEntry(node.childForFieldName('value'), module);
      return most ? { n: most.n, from: most.from, atMost: true } : undefined;
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary': {
      // comments between the elements are named children too
      const items = namedChildren(node).filter((c) => c.type !== 'comment');
      // `[archive, *(DIST / n for n in NAMES)]`: the spelled items and what each splat spreads, when sized
      let n = 0;
      for (const item of items) {
        if (item.type === 'dictionary_splat') return undefined;
        if (item.type !== 'list_splat') {
          n += 1;
          continue;
        }
        const spread = sizeOf(item.namedChildren[0] ?? null, module, depth + 1, env);
        if (!spread) return undefined;
        n += spread.n;
      }
      return { n, from: `the literal at line ${lineOf(node)}` };
    }
    case 'parenthesized_expression':
      return sizeOf(node.namedChildren[0] ?? null, module, depth, env);
    case 'conditional_expression': {
      // `('a',) if frozen else ('a', 'b', 'c')`: as many items whichever is chosen; else, where a bound is asked for
      // (to refuse, never to promise), no more than the larger
      const [chosen, , other] = namedChildren(node).filter((c) => c.type !== 'comment');
      const a = sizeOf(chosen ?? null, module, depth + 1, env, bounds);
      const b = a ? sizeOf(other ?? null, module, depth + 1, env, bounds) : undefined;
      if (!a || !b) return undefined;
      if (a.n === b.n && !a.atMost && !b.atMost) return { n: a.n, from: `${a.from} and ${b.from}` };
      return bounds ? { n: Math.max(a.n, b.n), from: `${a.from} or ${b.from}`, atMost: true } : undefined;
    }
    case 'string': {
      if (namedChildren(node).some((c) => c.type === 'interpolation')) return undefined;
      const content = node.text.replace(/^[rbuRBU]*(['"]{1,3})/, '').replace(/(['"]{1,3})$/, '');
      const raw = /^[bu]?r|^r[b]?/i.test(node.text);
      const n = raw || !content.includes('\\') ? content.length : decodedLength(content);
      return n === undefined ? undefined : { n, from: `the string at line ${lineOf(node)}` };
    }
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'generator_expression': {
      const clauses = namedChildren(node).filter((c) => c.type === 'for_in_clause');
      if (clauses.length !== 1 || namedChildren(node).some((c) => c.type === 'if_clause')) return undefined;
      return sizeOf(clauses[0].childForFieldName('right'), module, depth + 1, env);
    }
    case 'binary_operator': {
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      // two sequences the code sizes, one after the other (`PATHS + [p + ".asc" for p in PATHS]`)
      if (node.childForFieldName('operator')?.text === '+') {
        const a = sizeOf(l, module, depth + 1, env);
        const b = a ? sizeOf(r, module, depth + 1, env) : undefined;
        return a && b && !a.atMost && !b.atMost && (SEQUENCES.has(l!.type) || SEQUENCES.has(r!.type)) ? { n: a.n + b.n, from: `\`${node.text.split('\n')[0].slice(0, 40)}\`` } : undefined;
      }
      if (node.childForFieldName('operator')?.text !== '*') return undefined;
      // a literal repeated (`[0] * n`), or a sequence the code sizes (`SUBJECTS * 2`, a tuple constant): a literal on
      // either side, else a name beside a count
      const literal = (n: SyntaxNode | null) => n?.type === 'list' || n?.type === 'tuple';
      const named = (n: SyntaxNode | null, other: SyntaxNode | null) => n?.type === 'identifier' && intValue(other, module, 0, env) !== undefined;
      const list = literal(l) ? l : literal(r) ? r : named(l, r) ? l : named(r, l) ? r : null;
      const count = intValue(list === l ? r : l, module, 0, env);
      const size = list ? sizeOf(list, module, depth + 1, env) : undefined;
      return size && count !== undefined ? { n: size.n * count, from: size.from } : undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = namedChildren(node.childForFieldName('arguments')!).filter((a) => a.type !== 'keyword_argument');
      const name = fn?.type === 'identifier' ? fn.text : null;
      const combinatoric = itertoolsCount(node, module, depth, env);
      if (combinatoric) return combinatoric;
      // `_selected_clients(choice)` whose every `return` is a literal (`("codex", "claude")`, `(choice,)`): no more
      // items than its longest (a bound, asked for only to refuse a pool)
      if (name && bounds && module.bindings.get(name) === 'def' && module.functions.has(name)) return literalReturns(module.functions.get(name)!, module, depth);
      // so is a method of a class of the file (`for field in self.fields()`, each `return` a tuple of seven)
      if (bounds && fn?.type === 'attribute' && args.length === 0) {
        const method = sameFileMethod(fn.childForFieldName('object')!, fn.childForFieldName('attribute')!.text, module, enclosingChain(node));
        if (method) return literalReturns(method.node, module, depth);
      }
      if (name && module.bindings.has(name)) return undefined;
      if (name === 'range') {
        const ints = args.map((a) => intValue(a, module, 0, env));
        if (bounds && args.length === 1 && ints[0] === undefined) return boundedLength(args[0], module, depth, env);
        if (ints.length === 0 || ints.some((v) => v === undefined)) return undefined;
        const [start, stop, step] = ints.length === 1 ? [0, ints[0]!, 1] : [ints[0]!, ints[1]!, ints[2] ?? 1];
        if (step === 0) return undefined;
        return { n: Math.max(0, Math.ceil((stop - start) / step)), from: `\`${node.text.slice(0, 40)}\`` };
      }
      if (name && ['list', 'tuple', 'sorted', 'reversed', 'enumerate', 'set', 'frozenset', 'dict'].includes(name) && args.length >= 1) return sizeOf(args[0], module, depth + 1, env);
      // `bytes.fromhex("1b37…")`, `binascii.unhexlify(HEX)`: half as many bytes as the hex digits spelled
      const unhex = fn?.text === 'bytes.fromhex' || fn?.text === 'bytearray.fromhex' || importedName(fn?.text ?? null, module) === 'binascii.unhexlify' || importedName(fn?.text ?? null, module) === 'binascii.a2b_hex';
      if (unhex && args.length === 1) {
        const digits = sizeOf(args[0], module, depth + 1, env);
        return digits && !digits.atMost ? { n: Math.floor(digits.n / 2), from: `\`${node.text.slice(0, 40)}\`` } : undefined;
      }
      if (name === 'zip' && args.length >= 1) {
        const sizes = args.map((a) => sizeOf(a, module, depth + 1, env));
        if (sizes.some((s) => !s)) return undefined;
        return sizes.reduce((a, b) => (a!.n <= b!.n ? a : b));
      }
      // (a frame's rows one by one: `df.iloc[13:15].iterrows()` has at most two)
      if (fn?.type === 'attribute' && ['items', 'keys', 'values', 'copy', 'iterrows', 'itertuples'].includes(fn.childForFieldName('attribute')?.text ?? '') && args.length === 0) {
        return sizeOf(fn.childForFieldName('object'), module, depth + 1, env, bounds);
      }
      return undefined;
    }
    case 'attribute': {
      // the alphabets of the `string` module
      const object = node.childForFieldName('object');
      const n = object?.type === 'identifier' && module.imports.get(object.text) === 'string' ? STRING_CONSTANTS[node.childForFieldName('attribute')?.text ?? ''] : undefined;
      if (n !== undefined) return { n, from: `\`${node.text}\`` };
      // a constant of a class in the file (`Config.TOOLS = {…}` in its body, never changed)
      const constant = constantClassAttribute(node, module);
      const size = constant ? sizeOf(constant, module, depth + 1) : undefined;
      if (size) return { n: size.n, from: `\`${node.text}\` (${size.from})` };
      // a field of a settings object handed in (`config: ProvenanceConfig`, a dataclass of the file whose
      // `group_ids` defaults to a literal of one or two entries): as many as the default holds, as settings
      // usually are (a bound, asked for only to refuse a pool; round 33: accounts and profiles of a config)
      if (!bounds) return undefined;
      const field = configFieldDefault(node, module);
      const shown = field ? sizeOf(field.value, module, depth + 1) : undefined;
      return shown && field ? { n: shown.n, from: `the default of \`${field.className}.${node.childForFieldName('attribute')!.text}\` (line ${lineOf(field.value)})`, atMost: true } : undefined;
    }
    case 'identifier': {
      const length = env.get(`#len:${node.text}`);
      if (length !== undefined) return { n: length, from: `the length of \`${node.text}\`` };
      // a constant of another module of the workspace (`from .constants import GPU_BACKENDS`)
      if (module.workspace && module.bindings.get(node.text) === 'import' && !enclosingFunctionBinds(node)) {
        const qualified = importedName(node.text, module);
        const symbol = qualified ? module.workspace.resolve(qualified) : undefined;
        if (symbol?.kind === 'constant') return { n: symbol.size, from: `\`${node.text}\` (${symbol.where})` };
      }
      const fn = enclosingFunction(node);
      if (fn && scopeOf(fn).params.has(node.text)) {
        // `ids = ids[:5]` before the loop: the value that reaches it is the rebound one, not what callers pass
        const body = fn.childForFieldName('body')!;
        const assigned = plainAssignments(body, node.text, fn);
        if (assigned === null) return undefined;
        const before = assigned.filter((a) => a.endIndex <= node.startIndex);
        if (before.length === 0) return assigned.some((a) => a.startIndex < node.startIndex) ? undefined : parameterSize(fn, node.text, module, depth, bounds);
        const last = before[before.length - 1];
        if (last.parent?.type !== 'expression_statement' || last.parent.parent?.id !== body.id) return undefined;
        return sizeOf(last.childForFieldName('right'), module, depth + 1, NO_ENV, bounds);
      }
      // (singleValue sees a name rebound by statements of its scope's own block; in a nested block, `PATHS = PATHS +
      // [p + ".asc" for p in PATHS]` after `PATHS = [...]`, never changed in place: the value straight-line code
      // gives it last before this use)
      let value = singleValue(node, module);
      const every = value ? null : everyAssignment(node, module);
      const reaching = every && every.length > 1 ? reachingValue(node) : null;
      if (reaching && every!.some((a) => a.childForFieldName('right')?.id === reaching.id)) value = reaching;
      const size = value ? sizeOf(value, module, depth + 1, NO_ENV, bounds) : undefined;
      if (size) return { n: size.n, from: size.from, ...(size.atMost ? { atMost: true as const } : {}) };
      // `commands = [a, b]` in each branch of an `if` (one per platform): as many items whichever runs
      const sizes = every && every.length > 1 && !value ? every.map((a) => sizeOf(a.childForFieldName('right'), module, depth + 1, NO_ENV)) : [];
      if (sizes.length > 0 && sizes.every((x) => x && !x.atMost && x.n === sizes[0]!.n)) return { n: sizes[0]!.n, from: `${sizes[0]!.from} and every other value given to \`${node.text}\`` };
      // a list built by appends handed to a call (`images = []`, three appends, `stitch(images)`): at most that many
      const built = bounds && node.parent?.type === 'argument_list' ? listBound(node, module, node) : undefined;
      return built ? { ...built, atMost: true } : undefined;
    }
  }
  return undefined;
}

/**
 * The value of `Cls.NAME` when `Cls` is a class at the top of the file whose body binds `NAME` once, and nothing in
 * the file rebinds it, stores into it, deletes from it or calls a mutating method on it: a constant of the program.
 */
export function constantClassAttribute(node: SyntaxNode, module: ModuleInfo): SyntaxNode | null {
  if (node.type !== 'attribute' || node.childForFieldName('object')?.type !== 'identifier') return null;
  const className = node.childForFieldName('object')!.text;
  const cls = namedChildren(module.root)
    .map((s) => (s.type === 'decorated_definition' ? s.childForFieldName('definition') : s))
    .find((s) => s?.type === 'class_definition' && s.childForFieldName('name')?.text === className);
  if (!cls) return null;
  const name = node.childForFieldName('attribute')!.text;
  let value: SyntaxNode | null = null;
  let count = 0;
  for (const statement of namedChildren(cls.childForFieldName('body')!)) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name) {
      count++;
      value = assignment.childForFieldName('right');
    }
  }
  if (count !== 1) return null;
  for (const token of tokensSpelled(module.root, name, 'identifier')) {
    const attribute = token.parent;
    if (attribute?.type !== 'attribute' || attribute.childForFieldName('attribute')?.id !== token.id) continue;
    if (changedThere(attribute)) return null;
  }
  return value;
}

/** Decorators and bases that make a class's annotated assignments the defaults of its instances' fields. */
const FIELD_CLASSES = /^@(dataclasses\.)?dataclass\b|^@(attr\.s|attrs\.define|define|frozen)\b/;
const FIELD_BASES = /\b(BaseModel|BaseSettings|NamedTuple)\b/;

/**
 * The literal default of a field of a settings class of this file, read through a parameter annotated with that
 * class (`def collect(config: GraphitiConfig)` … `config.group_ids`, `group_ids: tuple[str, ...] = ("main",)`).
 */
function configFieldDefault(node: SyntaxNode, module: ModuleInfo): { className: string; value: SyntaxNode } | null {
  const object = node.childForFieldName('object');
  if (object?.type !== 'identifier') return null;
  const fn = enclosingFunction(node);
  const params = fn?.childForFieldName('parameters');
  const param = params ? namedChildren(params).find((p) => (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') && (p.childForFieldName('name') ?? p.namedChildren[0])?.text === object.text) : undefined;
  const annotation = param?.childForFieldName('type')?.text.replace(/\s*\|\s*None$|^Optional\[(.*)\]$/, '$1').replace(/^["']|["']$/g, '');
  if (!annotation || !/^\w+$/.test(annotation)) return null;
  const body = fn?.childForFieldName('body');
  if (body && plainlyRebound(body, object.text)) return null;
  for (const statement of namedChildren(module.root)) {
    const cls = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (cls?.type !== 'class_definition' || cls.childForFieldName('name')?.text !== annotation) continue;
    const decorated = statement.type === 'decorated_definition' && namedChildren(statement).some((d) => d.type === 'decorator' && FIELD_CLASSES.test(d.text));
    if (!decorated && !FIELD_BASES.test(cls.childForFieldName('superclasses')?.text ?? '')) return null;
    const name = node.childForFieldName('attribute')!.text;
    for (const member of namedChildren(cls.childForFieldName('body')!)) {
      const assignment = member.type === 'expression_statement' ? member.namedChildren[0] : null;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== name || !assignment.childForFieldName('type')) continue;
      const value = assignment.childForFieldName('right');
      return value && ['list', 'tuple', 'set', 'dictionary'].includes(value.type) ? { className: annotation, value } : null;
    }
    return null;
  }
  return null;
}

/** Whether this use of a collection stores into it, deletes from it, rebinds it or calls a mutating method on it. */
function changedThere(use: SyntaxNode): boolean {
  let at = use;
  while (at.parent?.type === 'subscript' && at.parent.childForFieldName('value')?.id === at.id) at = at.parent;
  const parent = at.parent;
  const stored = (parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === at.id;
  const deleted = parent?.type === 'delete_statement' || (parent?.type === 'expression_list' && parent.parent?.type === 'delete_statement');
  const method = parent?.type === 'attribute' && parent.parent?.type === 'call' && at.id === use.id ? (parent.childForFieldName('attribute')?.text ?? '') : '';
  return stored || deleted || MUTATING_METHODS.has(method);
}

/**
 * The module-level names bound once, at the top of the module, to a collection literal of known size, that nothing
 * in the module rebinds, declares `global`, stores into, deletes from or changes by a method: their size and line,
 * for the modules that import them (`GPU_BACKENDS = {…}` in `constants.py`).
 */
export function moduleConstantSizes(module: ModuleInfo): Record<string, [number, number] | [number, number, number]> {
  const found: Record<string, [number, number] | [number, number, number]> = {};
  for (const [name, value] of topLevelConstants(module)) {
    if (!['list', 'tuple', 'set', 'dictionary'].includes(value.type)) continue;
    const size = sizeOf(value, module);
    if (!size) continue;
    const changed = tokensSpelled(module.root, name, 'identifier').some((token) => {
      if (token.parent?.type === 'assignment' && token.parent.childForFieldName('left')?.id === token.id) return token.parent.childForFieldName('right')?.id !== value.id;
      return changedThere(token);
    });
    // a table of collections (`{"chicago": ["IL", "IN"], …}`): the size of its largest entry too
    const entry = largestEntrySize(value, module);
    if (!changed) found[name] = entry === undefined ? [size.n, lineOf(value)] : [size.n, lineOf(value), entry];
  }
  return found;
}

/** Whether a function around `name` binds it locally (a parameter or a local shadowing the import). */
function enclosingFunctionBinds(name: SyntaxNode): boolean {
  for (let fn = enclosingFunction(name); fn; fn = enclosingFunction(fn)) {
    if (scopeOf(fn).locals.has(name.text) || scopeOf(fn).params.has(name.text)) return true;
  }
  return false;
}

/** Lengths of the constants of the `string` module. */
const STRING_CONSTANTS: Record<string, number> = { ascii_lowercase: 26, ascii_uppercase: 26, ascii_letters: 52, digits: 10, hexdigits: 22, octdigits: 8, punctuation: 32, printable: 100, whitespace: 6 };

/** A name bound to a child process (`proc = subprocess.Popen(…)`): its `.wait()` waits for the program, not an event. */
function startedProcess(receiver: SyntaxNode, module: ModuleInfo): boolean {
  const value = receiver.type === 'identifier' ? singleValue(receiver, module) : receiver;
  if (value?.type !== 'call') return false;
  const fn = value.childForFieldName('function');
  const qualified = importedName(fn?.text ?? null, module) ?? fn?.text ?? '';
  return /^(subprocess\.Popen|asyncio\.create_subprocess_(exec|shell))$/.test(qualified);
}

/** A call of `itertools.product`, `permutations` or `combinations`: which one, its positional and keyword arguments. */
function combinatoricCall(call: SyntaxNode, module: ModuleInfo): { kind: 'product' | 'permutations' | 'combinations'; positional: SyntaxNode[]; keyword: (k: string) => SyntaxNode | null } | undefined {
  const fn = call.childForFieldName('function');
  const qualified = fn?.type === 'identifier' ? module.imports.get(fn.text) : fn?.type === 'attribute' && module.imports.get(fn.childForFieldName('object')?.text ?? '') === 'itertools' ? `itertools.${fn.childForFieldName('attribute')?.text}` : undefined;
  const m = qualified ? /^itertools\.(product|permutations|combinations)$/.exec(qualified) : null;
  if (!m) return undefined;
  const all = namedChildren(call.childForFieldName('arguments')!);
  const keyword = (k: string) => all.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k)?.childForFieldName('value') ?? null;
  return { kind: m[1] as 'product' | 'permutations' | 'combinations', positional: all.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment'), keyword };
}

/** How many tuples `itertools.product(a, b)`, `product(a, repeat=3)`, `permutations(a, r)`, `combinations(a, r)` of sized inputs yield. */
function itertoolsCount(call: SyntaxNode, module: ModuleInfo, depth: number, env: ValueEnv): { n: number; from: string } | undefined {
  const c = combinatoricCall(call, module);
  if (!c) return undefined;
  const sizes = c.positional.map((a) => sizeOf(a, module, depth + 1, env)?.n);
  if (sizes.length === 0 || sizes.some((n) => n === undefined)) return undefined;
  const from = `\`${call.text.slice(0, 50)}\``;
  if (c.kind === 'product') {
    const repeat = c.keyword('repeat') ? intValue(c.keyword('repeat'), module, 0, env) : 1;
    if (repeat === undefined || repeat < 0 || repeat > 16) return undefined;
    return { n: sizes.reduce((a, b) => a! * b!, 1)! ** repeat, from };
  }
  if (sizes.length !== 1) return undefined;
  const n = sizes[0]!;
  const rNode = c.positional[1] ?? c.keyword('r');
  const r = rNode ? intValue(rNode, module, 0, env) : c.kind === 'permutations' ? n : undefined;
  if (r === undefined || r < 0 || r > 64) return undefined;
  if (r > n) return { n: 0, from };
  let count = 1;
  for (let i = 0; i < r; i++) count = c.kind === 'permutations' ? count * (n - i) : (count * (n - i)) / (i + 1);
  return { n: Math.round(count), from };
}

/**
 * The size of a parameter from the calls of its function in the file: each call must show it, and the
 * smallest is taken (a rewrite must pay off at every size the code shows).
 */
/**
 * A parameter's number where the function never rebinds it and every call of it in the file (there is one at least)
 * passes a number the code shows (`render(800, 600)`): the smallest of them, which is what a count may rely on.
 */
function parameterInt(fn: SyntaxNode, param: SyntaxNode, module: ModuleInfo, depth: number): number | undefined {
  const fnName = fn.childForFieldName('name')?.text;
  if (!fnName || module.functions.get(fnName)?.id !== fn.id) return undefined;
  const body = fn.childForFieldName('body');
  if (!body || plainAssignments(body, param.text, fn)?.length !== 0) return undefined;
  const calls = callSitesOf(module, fnName).filter((c) => !isAncestorOf(fn, c));
  if (calls.length === 0) return undefined;
  let least: number | undefined;
  for (const call of calls) {
    const v = intValue(plainArgumentFor(call, fn, param.text), module, depth + 1);
    if (v === undefined) return undefined;
    least = least === undefined ? v : Math.min(least, v);
  }
  return least;
}

function parameterSize(fn: SyntaxNode, name: string, module: ModuleInfo, depth: number, bounds = false): { n: number; from: string; atMost?: true } | undefined {
  const fnName = fn.childForFieldName('name')?.text;
  if (!fnName) return undefined;
  const method = module.functions.get(fnName)?.id === fn.id ? null : methodCalls(fn, fnName, module);
  if (method === undefined) return undefined;
  const calls = method ? method.calls : callSitesOf(module, fnName).filter((c) => !isAncestorOf(fn, c));
  if (calls.length === 0) return undefined;
  let best: { n: number; from: string } | undefined;
  // where a call hands a bound (an entry of a table), the parameter holds at most the largest size any call shows
  let most: { n: number; from: string } | undefined;
  let bounded = false;
  for (const call of calls) {
    const size = sizeOf(plainArgumentFor(call, method ? method.params : fn, name), module, depth + 1, NO_ENV, bounds);
    if (!size) return undefined;
    if (size.atMost) bounded = true;
    const from = `the call \`${fnName}(…)\` at line ${lineOf(call)}${size.atMost ? `, ${size.from}` : ''}`;
    if (!best || size.n < best.n) best = { n: size.n, from };
    if (!most || size.n > most.n) most = { n: size.n, from };
  }
  return bounded && most ? { ...most, atMost: true } : best;
}

/**
 * The calls of a method of one of the module's top-level classes (`explorer.test_queries(queries)`, `self.run(xs)`),
 * when no other function of the module bears its name, with the parameters those calls pass (the receiver's
 * left out); undefined for any other function.
 */
function methodCalls(fn: SyntaxNode, name: string, module: ModuleInfo): { calls: SyntaxNode[]; params: string[] } | undefined {
  // (a coroutine's loop gathers its awaits: a few items are no reason against it, and the waits it cannot see through
  // an object's client would be taken for none — round 32's archiver, three tabs gathered)
  if (isAsyncFunction(fn)) return undefined;
  const cls = classDefining(fn);
  if (cls?.parent?.type !== 'module' && cls?.parent?.parent?.type !== 'module') return undefined;
  if (module.root.descendantsOfType('function_definition').filter((d) => d?.childForFieldName('name')?.text === name).length !== 1) return undefined;
  const decorators = fn.parent?.type === 'decorated_definition' ? namedChildren(fn.parent).filter((c) => c.type === 'decorator').map((d) => d.text) : [];
  if (decorators.some((d) => d !== '@staticmethod' && d !== '@classmethod')) return undefined;
  const params = parameterNames(fn).slice(decorators.includes('@staticmethod') ? 0 : 1);
  const calls: SyntaxNode[] = [];
  for (const id of tokensSpelled(module.root, name, 'identifier')) {
    const attribute = id.parent;
    const call = attribute?.parent;
    if (attribute?.type === 'attribute' && attribute.childForFieldName('attribute')?.id === id.id && call?.type === 'call' && call.childForFieldName('function')?.id === attribute.id && !isAncestorOf(fn, call)) calls.push(call);
  }
  return { calls, params };
}

/**
 * Whether the work of an item is a wait the code does not time: the model's usual figure for a request, a command or
 * another call that waits (≈ 50 ms a request), with no part left uncounted and the computation the smaller part.
 */
export function guessedWait(w: Work): boolean {
  return !w.open && GUESSED_WAITS.has(w.latency ?? 'other') && w.cpu < w.io;
}

/** Waits whose length the cost model takes from its table of usual figures, not from the code. */
const GUESSED_WAITS = new Set(['network', 'subprocess', 'other']);

/**
 * The largest entry of a table written by hand (`STATE_CODES = {"chicago": ["IL", "IN"], …}` in this file, or a
 * constant another module of the workspace defines so): when every entry is a collection of known size.
 */
function largestEntry(table: SyntaxNode | null, module: ModuleInfo): { n: number; from: string } | undefined {
  if (table?.type !== 'identifier') return undefined;
  if (module.workspace && module.bindings.get(table.text) === 'import' && !enclosingFunctionBinds(table)) {
    const qualified = importedName(table.text, module);
    const symbol = qualified ? module.workspace.resolve(qualified) : undefined;
    return symbol?.kind === 'constant' && symbol.entry !== undefined ? { n: symbol.entry, from: `an entry of \`${table.text}\` (${symbol.where}), whose largest has ${symbol.entry}` } : undefined;
  }
  const value = singleValue(table, module);
  const n = value ? largestEntrySize(value, module) : undefined;
  return n === undefined ? undefined : { n, from: `an entry of \`${table.text}\` (line ${lineOf(value!)}), whose largest has ${n}` };
}

/**
 * The size of the largest entry of a dict, list or tuple literal (`{"chicago": ["IL", "IN"], …}`), when every entry's
 * size is known (a class constant stands for its value).
 */
export function largestEntrySize(value: SyntaxNode, module: ModuleInfo): number | undefined {
  if (value.type !== 'dictionary' && value.type !== 'list' && value.type !== 'tuple') return undefined;
  let most = 0;
  for (const c of namedChildren(value)) {
    if (c.type === 'comment') continue;
    const entry = c.type === 'pair' ? c.childForFieldName('value') : c;
    const size = entry ? sizeOf(constantClassAttribute(entry, module) ?? entry, module) : undefined;
    if (!size) return undefined;
    most = Math.max(most, size.n);
  }
  return most;
}

// ------------------------------------------------------------------------------------------- work

const HASHES: Record<string, number> = {
  'hashlib.sha256': C.sha256PerByte,
  'hashlib.sha224': C.sha256PerByte,
  'hashlib.md5': C.md5PerByte,
  'hashlib.sha1': C.sha1PerByte,
  'hashlib.blake2b': C.blake2bPerByte,
  'hashlib.blake2s': C.blake2bPerByte,
};

const PER_BYTE: Record<string, number> = {
  ...HASHES,
  'zlib.compress': C.zlibCompressPerByte,
  'gzip.compress': C.zlibCompressPerByte,
  'zlib.decompress': C.zlibDecompressPerByte,
  'gzip.decompress': C.zlibDecompressPerByte,
  'bz2.compress': C.bz2CompressPerByte,
  'lzma.compress': C.lzmaCompressPerByte,
  'json.loads': C.jsonLoadsPerByte,
};

const NETWORK = /^(requests|httpx|urllib3|urllib\.request|aiohttp|http\.client|smtplib|ftplib|socket\.(create_connection|getaddrinfo|gethostbyname|gethostbyname_ex|gethostbyaddr|getfqdn|getnameinfo)|asyncio\.open_connection|yfinance\.download|netmiko|pysnmp\.hlapi|ncclient\.manager\.connect|google_play_scraper)(\.|$)/;
/** The calls whose first argument is a command (its program and arguments). */
const RUNS_COMMAND = /^(subprocess\.(run|call|check_call|check_output|Popen)|os\.system)$/;
const SUBPROCESS = /^(subprocess\.(run|call|check_call|check_output|getoutput|getstatusoutput)|os\.(system|popen)|pytesseract\.image_to_\w+)$/;
const FILE_OPS = /^(open|io\.open|codecs\.open|os\.(listdir|stat|scandir|walk|remove|unlink|rename|makedirs|mkdir)|os\.path\.\w+|os\.(lstat|access|chmod|utime)|glob\.(glob|iglob)|shutil\.\w+|gzip\.open|bz2\.open|lzma\.open)$/;
const REGEX = /^re\.(search|match|fullmatch|findall|finditer|sub|subn|split)$/;
/** Methods of `random.Random` (and functions of `random`) written in Python: a Python call each, not a C call. */
const RANDOM_IN_PYTHON = new Set(
  'randint randrange uniform choice choices shuffle sample expovariate gauss normalvariate triangular betavariate paretovariate lognormvariate vonmisesvariate gammavariate weibullvariate'.split(' '),
);
const FILE_METHODS = new Set(['read', 'readlines', 'write', 'writelines', 'read_text', 'read_bytes', 'write_text', 'write_bytes']);

/** `text.encode()`, `str(x).encode("utf-8")`, a string literal: text turned into bytes, usually short. */
function encodedText(node: SyntaxNode | null): boolean {
  if (!node) return false;
  if (node.type === 'string' || node.type === 'concatenated_string') return true;
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'encode') return true;
  // `bytes(text, "utf-8")`, `bytes(text, encoding="utf-8")`: a text encoded, not a buffer read from somewhere
  if (fn?.type === 'identifier' && fn.text === 'bytes') {
    const args = namedChildren(node.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    return args.length >= 2 || args.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'encoding');
  }
  return false;
}

/** The number of digits of the largest value of a name bound by `for x in range(…)` (a loop or a comprehension). */
function rangeDigits(name: SyntaxNode, module: ModuleInfo, env: ValueEnv): number | undefined {
  for (let a = name.parent; a; a = a.parent) {
    const clauses = a.type === 'for_statement' ? [a] : /comprehension|generator_expression/.test(a.type) ? namedChildren(a).filter((c) => c.type === 'for_in_clause') : [];
    for (const clause of clauses) {
      if (clause.childForFieldName('left')?.text !== name.text) continue;
      const range = clause.childForFieldName('right');
      if (range?.type !== 'call' || range.childForFieldName('function')?.text !== 'range' || module.bindings.has('range')) return undefined;
      const bounds = namedChildren(range.childForFieldName('arguments')!).filter((c) => c.type !== 'comment').slice(0, 2).map((b) => intValue(b, module, 0, env));
      if (bounds.length === 0 || bounds.some((b) => b === undefined)) return undefined;
      return Math.max(...(bounds as number[]).map((b) => String(Math.abs(b)).length + (b < 0 ? 1 : 0)));
    }
    if (a.type === 'function_definition' || a.type === 'lambda') return undefined;
  }
  return undefined;
}

/** Reads up to this size count as one small local read (`C.fileOpenRead` per KiB, measured on 1 KiB). */
const SMALL_READ_BYTES = 64 * 1024;

/**
 * The byte count of `f.read(1024)` (or `.read1`, `.readline`) when the code fixes it (at most 64 KiB) and `f` is a
 * file the enclosing function opens (`with open(p, 'rb') as f`, `f = open(p)`): a response's or a socket's
 * `.read(n)` waits for the network, whatever `n` is.
 */
function boundedFileRead(call: SyntaxNode, module: ModuleInfo, env: ValueEnv, enclosing: readonly SyntaxNode[] = []): number | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || !/^(read|read1|readline)$/.test(fn.childForFieldName('attribute')?.text ?? '')) return undefined;
  const receiver = fn.childForFieldName('object');
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (receiver?.type !== 'identifier' || args.length !== 1 || args[0].type === 'keyword_argument') return undefined;
  const n = intValue(args[0], module, 0, env);
  if (n === undefined || n < 0 || n > SMALL_READ_BYTES) return undefined;
  let scope: SyntaxNode | null = call.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  const text = (scope ?? enclosing[enclosing.length - 1] ?? module.root).text;
  const name = receiver.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\bopen\\([^()]*(\\([^()]*\\)[^()]*)*\\)\\s+as\\s+${name}\\b|\\b${name}\\s*=\\s*(io\\.)?open\\(`).test(text) ? n : undefined;
}

/** Bytes a literal argument holds (`b"…" * 1000`), when the code shows it. */
export function bytesOf(node: SyntaxNode | null, module: ModuleInfo, env: ValueEnv = NO_ENV, depth = 0): number | undefined {
  if (!node || depth > 4) return undefined;
  if (node.type === 'subscript') {
    // `data[i:i + CHUNK]`: a slice whose ends the code fixes, or that spans a fixed length
    const slice = node.childForFieldName('subscript');
    if (slice?.type !== 'slice') return undefined;
    const [start, stop] = [slice.namedChildren[0] ?? null, slice.namedChildren[1] ?? null];
    if (!start || !stop) return undefined;
    if (stop.type === 'binary_operator' && stop.childForFieldName('operator')?.text === '+' && stop.childForFieldName('left')?.text === start.text) {
      return intValue(stop.childForFieldName('right'), module, 0, env);
    }
    const a = intValue(start, module, 0, env);
    const b = intValue(stop, module, 0, env);
    return a !== undefined && b !== undefined ? Math.max(0, b - a) : undefined;
  }
  if (node.type === 'call') {
    const name = node.childForFieldName('function')?.text ?? '';
    const args = namedChildren(node.childForFieldName('arguments')!);
    if (/^(os\.urandom|bytes|bytearray|random\.randbytes|secrets\.token_bytes)$/.test(name) && args.length === 1) {
      const n = intValue(args[0], module, 0, env);
      if (n !== undefined) return n;
    }
    // `text.encode()`, `bytes(x)`, `str(x)`: as long as what they convert
    const fn = node.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (method === 'encode' || method === 'lower' || method === 'upper' || method === 'strip') return bytesOf(fn!.childForFieldName('object'), module, env, depth + 1);
    // `str(i).zfill(6)`: padded to a width, or longer
    if (method === 'zfill' || method === 'rjust' || method === 'ljust' || method === 'center') {
      const width = args[0] ? intValue(args[0], module, 0, env) : undefined;
      const inner = bytesOf(fn!.childForFieldName('object'), module, env, depth + 1);
      return width !== undefined && inner !== undefined ? Math.max(width, inner) : undefined;
    }
    // `str(i)` of a number counted by a `range` the code shows: as many digits as its largest value
    if ((name === 'str' || name === 'repr') && args.length === 1 && args[0].type === 'identifier' && !module.bindings.has(name)) {
      const digits = rangeDigits(args[0], module, env);
      if (digits !== undefined) return digits;
    }
    // `f.read(1024)` of a file the function opened: at most that many bytes
    const read = boundedFileRead(node, module, env);
    if (read !== undefined) return read;
    // a digest is at most 64 bytes (128 hex digits)
    if (method === 'digest') return 64;
    if (method === 'hexdigest') return 128;
    if ((name === 'str' || name === 'bytes' || name === 'bytearray' || name === 'repr') && args.length === 1 && !module.bindings.has(name)) return bytesOf(args[0], module, env, depth + 1);
    // a function of the file: what its `return`s give, with the arguments of this call
    const callee = fn?.type === 'identifier' ? module.functions.get(name) : undefined;
    if (callee && depth < 3) {
      const calleeEnv = new Map<string, number>();
      for (const parameter of parameterNames(callee)) {
        const arg = plainArgumentFor(node, callee, parameter);
        const v = arg ? intValue(arg, module, 0, env) : undefined;
        if (v !== undefined) calleeEnv.set(parameter, v);
        const length = arg ? bytesOf(arg, module, env, depth + 1) : undefined;
        if (length !== undefined) calleeEnv.set(`#len:${parameter}`, length);
      }
      const sizes = returnedValues(callee).map((r) => bytesOf(r, module, calleeEnv, depth + 1));
      return sizes.length > 0 && sizes.every((x) => x !== undefined) ? Math.max(...(sizes as number[])) : undefined;
    }
    return undefined;
  }
  if (node.type === 'string') {
    // an f-string: its literal text, and for each field its width (`{k:07d}`) or a short number's
    const fields = namedChildren(node).filter((c) => c.type === 'interpolation');
    const literal = node.text.replace(/^[rbuRBUfF]*(['"]{1,3})/, '').replace(/(['"]{1,3})$/, '').replace(/\{[^{}]*\}/g, '');
    const widths = fields.map((f) => Number(/:[<>^=]?0?(\d+)/.exec(f.text)?.[1] ?? 6));
    return literal.length + widths.reduce((a, b) => a + b, 0);
  }
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '*') {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    const s = l?.type === 'string' ? bytesOf(l, module, env, depth + 1) : r?.type === 'string' ? bytesOf(r, module, env, depth + 1) : undefined;
    const n = intValue(l?.type === 'string' ? r : l, module, 0, env);
    return s !== undefined && n !== undefined ? s * n : undefined;
  }
  if (node.type === 'identifier') {
    const bound = env.get(`#len:${node.text}`);
    if (bound !== undefined) return bound;
    // every value the function assigns to it has a size: the largest
    const values = assignedValues(node, module);
    if (values.length === 0) return undefined;
    const sizes = values.map((v) => (v.id === node.id ? undefined : bytesOf(v, module, env, depth + 1)));
    return sizes.every((x) => x !== undefined) ? Math.max(...(sizes as number[])) : undefined;
  }
  return undefined;
}

/** Methods and attributes that give the whole contents of a file, a response or a buffer. */
const CONTENT_READS = new Set(['read', 'read_bytes', 'read_text', 'readall', 'getvalue', 'download_as_bytes', 'download_as_string']);
const CONTENT_ATTRIBUTES = new Set(['content', 'body', 'raw_data']);
/** A response's or a browser's whole page as text (`r.text`, `driver.page_source`). */
const PAGE_ATTRIBUTES = new Set(['text', 'content', 'page_source', 'html']);

/**
 * Whether `node` holds the contents of a file or a download, as the code shows it: `path.read_bytes()`, `f.read()`,
 * `response.content`, or a local name one of whose assignments is such a read.
 */
function readContents(node: SyntaxNode | null, module: ModuleInfo, depth = 0): boolean {
  if (!node || depth > 4) return false;
  switch (node.type) {
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'attribute') return CONTENT_READS.has(fn.childForFieldName('attribute')?.text ?? '');
      // `bytes(4_000_000)`, `os.urandom(1 << 20)`: a buffer the code shows to be large
      const size = bytesOf(node, module);
      return size !== undefined && size >= SMALL_READ_BYTES;
    }
    case 'attribute':
      return CONTENT_ATTRIBUTES.has(node.childForFieldName('attribute')?.text ?? '');
    case 'identifier':
      return assignedValues(node, module).some((v) => v.id !== node.id && readContents(v, module, depth + 1));
    case 'subscript':
      // an element (or a slice) of a collection of such buffers
      return readContents(node.childForFieldName('value'), module, depth + 1);
    case 'binary_operator':
      return readContents(node.childForFieldName('left'), module, depth + 1) || readContents(node.childForFieldName('right'), module, depth + 1);
    case 'list_comprehension':
    case 'generator_expression':
      return readContents(node.childForFieldName('body'), module, depth + 1);
    case 'list':
    case 'tuple':
      return namedChildren(node).some((e) => readContents(e, module, depth + 1));
    default:
      return false;
  }
}

/** Whether `node` is a whole file read from disk (`path.read_bytes()`, `f.read()` with no size), directly or through a name. */
function wholeFileRead(node: SyntaxNode | null, module: ModuleInfo, depth = 0): boolean {
  if (!node || depth > 4) return false;
  if (node.type === 'identifier') {
    const values = assignedValues(node, module).filter((v) => v.id !== node.id);
    return values.length > 0 && values.every((v) => wholeFileRead(v, module, depth + 1));
  }
  if (node.type !== 'call') return false;
  const fn = node.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  const args = namedChildren(node.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  return method === 'read_bytes' || method === 'read_text' || (method === 'read' && args.length === 0 && !/\b(response|resp|res|r|req|request|urlopen|body)\b/i.test(fn!.childForFieldName('object')?.text ?? ''));
}

const largeFilesNamed = new WeakMap<ModuleInfo, boolean>();

/**
 * Whether a module's string literals name files that are large by kind: photos, video, audio, archives, disk images,
 * model weights, array stores (`"*.jpg"`, `".mp4"`, `"model.safetensors"`).
 */
function namesLargeFiles(module: ModuleInfo): boolean {
  let named = largeFilesNamed.get(module);
  if (named === undefined) {
    named = descendantsNamed(module.root, 'string').some((s) => LARGE_FILE_KIND.test(s.text) && filtersFiles(s));
    largeFilesNamed.set(module, named);
  }
  return named;
}

/**
 * Whether a string literal picks files by their kind: a pattern handed to a glob or a name test (`rglob("*.mp4")`,
 * `name.endswith((".jpg", ".png"))`), compared with a suffix (`path.suffix in {".zip", ".tar"}`), or bound to a name
 * of extensions (`VIDEO_EXTS = (…)`); a file's own name (`"og-image.png"`) is not.
 */
function filtersFiles(literal: SyntaxNode): boolean {
  let n: SyntaxNode = literal;
  while (n.parent && ['tuple', 'list', 'set', 'parenthesized_expression', 'argument_list', 'concatenated_string'].includes(n.parent.type)) n = n.parent;
  const parent = n.parent;
  if (!parent) return false;
  if (parent.type === 'call') return /(glob|rglob|iglob|fnmatch|filter|endswith|match)$/.test(parent.childForFieldName('function')?.text ?? '');
  if (parent.type === 'comparison_operator') return /suffix|ext|splitext/i.test(parent.text);
  if (parent.type === 'assignment') return /ext|suffix|pattern|types|formats/i.test(parent.childForFieldName('left')?.text ?? '');
  return false;
}

const LARGE_FILE_KIND = /\.(jpe?g|png|gif|bmp|tiff?|webp|heic|heif|raw|cr2|cr3|nef|arw|dng|psd|mp4|m4v|mov|mkv|avi|webm|wmv|flv|mpe?g|mp3|wav|flac|m4a|aac|ogg|opus|zip|tar|gz|tgz|bz2|xz|zst|7z|rar|iso|img|dmg|vmdk|qcow2|vdi|bin|safetensors|pt|pth|ckpt|gguf|onnx|h5|hdf5|npy|npz|parquet|feather|arrow|fits|nc|tif|pdf)\b/i;

/** Every value assigned to a plain name in its scope (a local's function, or the module), or [] when it is also bound otherwise. */
function assignedValues(name: SyntaxNode, module: ModuleInfo): SyntaxNode[] {
  const fn = enclosingFunction(name);
  if (fn && scopeOf(fn).params.has(name.text)) return [];
  const local = fn && scopeOf(fn).locals.has(name.text) ? fn : null;
  if (!local && module.bindings.get(name.text) !== 'assign') return [];
  const root = local ? local.childForFieldName('body')! : module.root;
  const values: SyntaxNode[] = [];
  for (const token of tokensSpelled(root, name.text, 'identifier')) {
    if ((enclosingFunction(token)?.id ?? null) !== (local?.id ?? null)) continue;
    const parent = token.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) {
      const right = parent.childForFieldName('right');
      if (right) values.push(right);
    } else if (parent && (parent.type === 'augmented_assignment' || parent.type === 'for_statement' || parent.type === 'pattern_list' || parent.type === 'tuple_pattern') && parent.childForFieldName('left')?.id === token.id) return [];
  }
  return values;
}

/** The length of the tuples `itertools.product` (`repeat` × the iterables), `permutations` and `combinations` (r) yield. */
function tupleLength(call: SyntaxNode, module: ModuleInfo): number | undefined {
  const c = combinatoricCall(call, module);
  if (!c) return undefined;
  if (c.kind === 'product') {
    const repeat = c.keyword('repeat') ? intValue(c.keyword('repeat'), module) : 1;
    return repeat === undefined ? undefined : repeat * c.positional.length;
  }
  const r = c.positional[1] ?? c.keyword('r');
  return r ? intValue(r, module) : sizeOf(c.positional[0] ?? null, module)?.n;
}

/** The length of each item of a collection whose items are strings or bytes the code spells out. */
function itemLength(iterable: SyntaxNode | null, module: ModuleInfo, depth = 0): number | undefined {
  if (!iterable || depth > 4) return undefined;
  if (iterable.type === 'list_comprehension' || iterable.type === 'generator_expression' || iterable.type === 'set_comprehension') {
    return bytesOf(iterable.childForFieldName('body'), module);
  }
  if (iterable.type === 'call') return tupleLength(iterable, module);
  if (iterable.type === 'list' || iterable.type === 'tuple') {
    const sizes = namedChildren(iterable).map((c) => bytesOf(c, module));
    return sizes.length > 0 && sizes.every((x) => x !== undefined) ? Math.max(...(sizes as number[])) : undefined;
  }
  if (iterable.type === 'identifier') {
    const fn = enclosingFunction(iterable);
    if (fn && scopeOf(fn).params.has(iterable.text)) {
      const fnName = fn.childForFieldName('name')?.text;
      if (!fnName || module.functions.get(fnName)?.id !== fn.id) return undefined;
      const lengths = callSitesOf(module, fnName).filter((c) => !isAncestorOf(fn, c)).map((c) => itemLength(plainArgumentFor(c, fn, iterable.text), module, depth + 1));
      return lengths.length > 0 && lengths.every((x) => x !== undefined) ? Math.max(...(lengths as number[])) : undefined;
    }
    const value = singleValue(iterable, module);
    return value && value.id !== iterable.id ? itemLength(value, module, depth + 1) : undefined;
  }
  return undefined;
}

/** Whether a function is decorated with `functools.lru_cache` / `functools.cache` (any spelling of the import). */
function isMemoised(fn: SyntaxNode): boolean {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  return !!decorated && namedChildren(decorated).some((d) => d.type === 'decorator' && /^@\s*(functools\.)?(lru_cache|cache)\b/.test(d.text));
}

/**
 * The `*name` parameter of a function and how many values a plain call (`f(a, b)`, no `*x` in it) puts in it:
 * the positional arguments after those the named parameters before it take.
 */
function starredArguments(fn: SyntaxNode, call: SyntaxNode): { name: string; count: number } | undefined {
  const params = fn.childForFieldName('parameters');
  const list = call.childForFieldName('arguments');
  if (!params || list?.type !== 'argument_list') return undefined;
  const declared = namedChildren(params).filter((p) => p.type !== 'comment');
  // `*overrides: dict` is a typed parameter holding the pattern
  const pattern = (p: SyntaxNode) => (p.type === 'typed_parameter' ? (p.namedChildren[0] ?? p) : p);
  const star = declared.findIndex((p) => pattern(p).type === 'list_splat_pattern');
  const name = star >= 0 ? pattern(declared[star]).namedChildren.find((c) => c.type === 'identifier')?.text : undefined;
  if (!name) return undefined;
  const args = namedChildren(list).filter((a) => a.type !== 'comment');
  if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  const positional = args.filter((a) => a.type !== 'keyword_argument').length;
  return { name, count: Math.max(0, positional - star) };
}

/** The clause's block ends with a `raise` statement: every path through it that reaches its end raises. */
function raisesAtEnd(clause: SyntaxNode): boolean {
  const block = clause.type === 'block' ? clause : (namedChildren(clause).find((c) => c.type === 'block') ?? null);
  const statements = block ? namedChildren(block).filter((c) => c.type !== 'comment') : [];
  return statements.length > 0 && statements[statements.length - 1].type === 'raise_statement';
}

/** The value of the one plain assignment `name = value` among `nodes` (not in nested scopes), or null. */
function boundOnceIn(nodes: readonly SyntaxNode[], name: string): SyntaxNode | null {
  let value: SyntaxNode | null = null;
  let count = 0;
  for (const root of nodes) {
    walk(root, (n) => {
      if (n.id !== root.id && SCOPE_TYPES.has(n.type)) return false;
      if (n.type === 'assignment' && n.childForFieldName('left')?.type === 'identifier' && n.childForFieldName('left')!.text === name) {
        count++;
        value = n.childForFieldName('right');
      }
      return true;
    });
  }
  return count === 1 ? value : null;
}

/** Estimates the work of code, with the summaries of the module's functions (memoised, recursion-safe). */
export class WorkEstimator {
  private readonly functions = new Map<string, Work>();
  private readonly inProgress = new Set<number>();
  /** The functions being estimated, innermost last. */
  private readonly stack: number[] = [];
  /** Whether a function was met again while estimating another one it calls (see FunctionSummaries.reentered). */
  reentered = false;
  /** Values of the names in scope that the code fixes (the item's mean value, parameters bound at the call). */
  private env: Map<string, number> = new Map();
  /** Names holding the item's own data or values derived from it (itemData.ts), in the code being estimated. */
  private items: ReadonlySet<string> = new Set();
  /** The `for` statements being estimated around the current code, innermost last: their item's names, trips. */
  private readonly outerItems: Array<{ names: Set<string>; trips: number; line: number; body: SyntaxNode[] }> = [];

  /**
   * The enclosing `for` statement whose item this iterable is a part of: an attribute or key of the item, or of a
   * value derived from it (`screener.criteria`, `row["children"]`, `order.lines.items()`), or the item's entry in a
   * mapping the item does not make (`rows_by_fund.get(fund_id, [])`, `groups[key]`). Over the whole outer loop such
   * a loop visits the parts of one collection, each once per item that names it.
   */
  private partOf(iterable: SyntaxNode | null, below = this.outerItems.length): { trips: number; line: number } | undefined {
    if (!iterable || this.outerItems.length === 0) return undefined;
    let node = iterable;
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const args = callArguments(node);
      if (fn?.type === 'identifier' && (fn.text === 'enumerate' || fn.text === 'sorted' || fn.text === 'reversed') && args.length >= 1) node = args[0];
    }
    for (let k = Math.min(below, this.outerItems.length) - 1; k >= 0; k--) {
      const outer = this.outerItems[k];
      const reads = (x: SyntaxNode | null | undefined) => !!x && identifiersIn(x).some((name) => outer.names.has(name));
      // a name the body binds once to a part (`actors = article.get("actors", [])`, then `for actor in actors`)
      if (node.type === 'identifier' && outer.names.has(node.text)) {
        const value = boundOnceIn(outer.body, node.text);
        if (value && value.type !== 'identifier' && this.partOf(value, k + 1) === outer) return outer;
      }
      let chain = node;
      // `.items()`, `.values()`, `.keys()` of a part
      if (chain.type === 'call' && callArguments(chain).length === 0) {
        const fn = chain.childForFieldName('function');
        if (fn?.type === 'attribute' && /^(items|values|keys)$/.test(fn.childForFieldName('attribute')?.text ?? '')) chain = fn.childForFieldName('object')!;
      }
      // an attribute or key chain rooted at the item (or a name derived from it)
      let root: SyntaxNode | null = chain;
      let steps = 0;
      while (root && (root.type === 'attribute' || root.type === 'subscript')) {
        root = root.type === 'attribute' ? root.childForFieldName('object') : root.childForFieldName('value');
        steps++;
      }
      if (steps > 0 && root?.type === 'identifier' && outer.names.has(root.text) && !(chain.type === 'subscript' && chain.childForFieldName('subscript')?.type === 'slice')) return outer;
      // `.get(key, default)` of the item or of a part of it: an entry of the item, like `item[key]`
      if (node.type === 'call') {
        const fn = node.childForFieldName('function');
        let owner = fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' ? fn.childForFieldName('object') : null;
        // through attributes, keys and other `.get(…)`s: `briefing.get("content", {}).get("entities", [])`
        const getOf = (n: SyntaxNode) => (n.type === 'call' && n.childForFieldName('function')?.type === 'attribute' && n.childForFieldName('function')!.childForFieldName('attribute')?.text === 'get' ? n.childForFieldName('function')!.childForFieldName('object') : null);
        while (owner && (owner.type === 'attribute' || owner.type === 'subscript' || getOf(owner))) owner = owner.type === 'attribute' ? owner.childForFieldName('object') : owner.type === 'subscript' ? owner.childForFieldName('value') : getOf(owner);
        if (owner?.type === 'identifier' && outer.names.has(owner.text) && callArguments(node).length <= 2) return outer;
      }
      // the item's entry in a mapping the item does not spell: `mapping.get(key, [])`, `mapping[key]`
      if (node.type === 'call') {
        const fn = node.childForFieldName('function');
        const args = callArguments(node);
        if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' && args.length >= 1 && args.length <= 2 && reads(args[0]) && !reads(fn.childForFieldName('object'))) return outer;
      }
      if (node.type === 'subscript') {
        const key = node.childForFieldName('subscript');
        if (key && key.type !== 'slice' && reads(key) && !reads(node.childForFieldName('value'))) return outer;
      }
    }
    return undefined;
  }

  constructor(private readonly module: ModuleInfo) {}

  /** Runs `compute` with `names` bound to representative values (an item, the arguments of a call). */
  withValues<T>(names: ReadonlyMap<string, number>, compute: () => T, inherit = true): T {
    const saved = this.env;
    this.env = inherit ? new Map([...saved, ...names]) : new Map(names);
    try {
      return compute();
    } finally {
      this.env = saved;
    }
  }

  /** Whether memoised functions are estimated by their body (a single call, which may be the first) rather than as a cache hit. */
  private uncached = false;

  /** The work of one run of these nodes where a memoised function may meet its arguments for the first time. */
  ofFirstRun(nodes: readonly SyntaxNode[], enclosing: SyntaxNode[]): Work {
    const saved = this.uncached;
    this.uncached = true;
    try {
      return this.of(nodes, enclosing);
    } finally {
      this.uncached = saved;
    }
  }

  /** Runs `compute` with `items` as the names derived from the item (the loop's own estimate). */
  withItems<T>(items: ReadonlySet<string>, compute: () => T): T {
    const saved = this.items;
    this.items = items;
    try {
      return compute();
    } finally {
      this.items = saved;
    }
  }

  /** The work of a function's body for one call, with the argument values the call fixes (`itemParams`: parameters given the item's data). */
  ofFunction(fn: SyntaxNode, args: ReadonlyMap<string, number> = new Map(), itemParams: readonly string[] = []): Work {
    const key = `${fn.id}:${[...args].map(([k, v]) => `${k}=${v}`).join(',')}:${itemParams.join(',')}`;
    const done = this.functions.get(key);
    if (done) return done;
    const name = fn.childForFieldName('name')?.text ?? 'the function';
    // a memoised function given nothing of the item (`_compile_pattern(pat)` under `fnmatch(name, pat)`) answers
    // from its cache after the first item: a lookup, not its body
    if (itemParams.length === 0 && isMemoised(fn) && !this.uncached) return cpu(C.builtinCall);
    if (this.inProgress.has(fn.id)) {
      if (this.stack[this.stack.length - 1] !== fn.id) this.reentered = true;
      // `if len(a) < len(b): return lev(b, a)`: the call only swaps its arguments and runs the body once more,
      // work the call being counted already shows — no recursion whose depth is unknown
      if (swapsArguments(fn, name)) return cpu(C.pyCall);
      // `words(n // 1000) + words(n % 1000)`: each call divides its number, so the calls are few (counted below)
      if (dividesItsNumber(fn, name)) return cpu(C.pyCall);
      // a function calling itself for each entry of a directory listing walks a whole tree: heavy by nature
      return recursesOverListing(fn, name, this.module) ? { ...unknown(`\`${name}\` walks a directory tree (it calls itself for each subdirectory)`, fn), tree: true } : { ...unknown(`\`${name}\` calls itself (recursion)`, fn), recursive: branchingRecursion(fn, name) };
    }
    this.inProgress.add(fn.id);
    this.stack.push(fn.id);
    const body = fn.childForFieldName('body');
    const items = itemParams.length > 0 && body ? derivedNames([body], itemParams) : new Set<string>();
    const once = this.withItems(items, () => this.withValues(args, () => add(cpu(C.pyCall), body ? this.of([body], enclosingChain(fn)) : ZERO), false));
    const work = dividesItsNumber(fn, name) ? times(once, DIVIDED_RECURSION_CALLS) : once;
    this.stack.pop();
    this.inProgress.delete(fn.id);
    this.functions.set(key, work);
    return work;
  }

  /**
   * A call of a same-file function or method as the cost of its body sees it: the integer values (and byte
   * lengths) the call fixes for its parameters, and the parameters it passes the item's data to. `argOf` finds
   * the argument passed for a parameter (null when none is, or for a method's receiver).
   */
  private ofCall(fn: SyntaxNode, argOf: (param: string) => SyntaxNode | null, call?: SyntaxNode): Work {
    const values = new Map<string, number>();
    const itemParams: string[] = [];
    // `def f(*overrides)` called as `f(a, b)`: the tuple holds the positional arguments after the named ones
    const starred = call ? starredArguments(fn, call) : undefined;
    if (starred) values.set(`#len:${starred.name}`, starred.count);
    for (const name of parameterNames(fn)) {
      const arg = argOf(name);
      // a flag switched off (`resolve_host=False`, its false default left, or a flag of the caller that is off):
      // what only runs under `if resolve_host:` does not run in this call (a call unpacking `**kwargs` may pass it)
      const off = arg ? falseConstant(arg) || this.isOff(arg) : !(call && hasSplat(call)) && falseDefaultOf(fn, name);
      if (off) values.set(`#off:${name}`, 1);
      if (!arg) continue;
      const v = intValue(arg, this.module, 0, this.env);
      if (v !== undefined) values.set(name, v);
      // (an element of a sequence the code builds, `vecs[i]`: its length)
      const length = bytesOf(arg, this.module, this.env) ?? (arg.type === 'subscript' ? sizeOf(arg, this.module, 0, this.env)?.n : undefined);
      if (length !== undefined) values.set(`#len:${name}`, length);
      if (this.items.size > 0 && readsIn(arg).some((r) => this.items.has(r.text))) itemParams.push(name);
    }
    return this.ofFunction(fn, values, itemParams);
  }

  /** The work of running these nodes once, in the given chain of enclosing functions (innermost first). */
  of(nodes: readonly SyntaxNode[], enclosing: SyntaxNode[]): Work {
    let total: Work = ZERO;
    for (const n of nodes) {
      total = add(total, this.node(n, enclosing));
      // `if not resolve: return None` with the flag off: the statements after it do not run
      if (n.type === 'if_statement' && this.leavesWhenOff(n)) break;
    }
    return total;
  }

  /** A flag parameter switched off in the call being estimated (ofCall). */
  private isOff(condition: SyntaxNode | null): boolean {
    return condition?.type === 'identifier' && this.env.has(`#off:${condition.text}`);
  }

  /** `if not flag: … return` (no other branch) with the flag off: the function leaves there. */
  private leavesWhenOff(n: SyntaxNode): boolean {
    return this.isOff(leavesUnless(n));
  }

  private node(n: SyntaxNode, enclosing: SyntaxNode[]): Work {
    switch (n.type) {
      case 'function_definition':
      case 'class_definition':
      case 'lambda':
      case 'decorated_definition':
      case 'comment':
        return ZERO;
      case 'for_statement':
        return this.loop(n, n.childForFieldName('right'), [n.childForFieldName('body')], enclosing);
      case 'while_statement': {
        const condition = this.of([n.childForFieldName('condition')!].filter(Boolean), enclosing);
        const body = this.of([n.childForFieldName('body')!].filter(Boolean), enclosing);
        const trips = whileTrips(n, this.module, this.env);
        // an iteration's trip count (a search, a convergence) has no common size, unlike a collection's length; a
        // loop that divides what its condition tests on every trip has one: the bits of a common number
        // a poll (`while True: if ready(): break; sleep(…)`): the trips after the first wait for the condition that
        // ends the loop, time no overlap shortens; the work is one trip's
        if (trips === undefined && pollsUntilExit(n)) return add(condition, add(cpu(C.pyLoopTrip), add(body, condition)));
        if (trips === undefined) {
          const open = numericTrips(unknown(`the \`while\` loop at line ${lineOf(n)} runs an unknown number of times`, n, add(body, condition), indexWalk(n, this.items)), n);
          const halving = halvingTrips(n);
          return halving ? atCommonSize(open, condition, add(cpu(C.pyLoopTrip), add(body, condition)), halving) : open;
        }
        const all = add(condition, times(add(cpu(C.pyLoopTrip), add(body, condition)), trips));
        const exit = earlyExit(n);
        // it may stop at its `break` on any trip: between no trip and every trip its counter allows
        return exit ? between(`the \`while\` loop at line ${lineOf(n)} may stop early (\`${exit.kind}\` at line ${exit.line}) before its ${exactCount(trips)} trips`, n, condition, all) : all;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        const clauses = namedChildren(n).filter((c) => c.type === 'for_in_clause');
        const rest = namedChildren(n).filter((c) => c.type !== 'for_in_clause');
        if (clauses.length !== 1) return unknown(`the comprehension at line ${lineOf(n)} has several \`for\` clauses`, n, this.of(rest, enclosing));
        return this.loop(n, clauses[0].childForFieldName('right'), rest, enclosing);
      }
      case 'await': {
        // an awaited call waits for what the coroutine waits for: when the model sees no wait in it (a method of
        // a client object, a coroutine of another library), how long is open, not zero
        const inner = this.of(namedChildren(n), enclosing);
        // `await f` of a future or task made elsewhere (`asyncio.as_completed`) waits for work already running; a
        // coroutine object the loop's items are (`for c in [fetch(u) for u in urls]`) runs only now
        if (n.namedChildren[0]?.type !== 'call') return awaitsCoroutineItem(n, this.module) ? unknown(`how long \`${n.text.split('\n')[0].slice(0, 40)}\` waits`, n, inner) : inner;
        return inner.io > 0 || inner.open ? inner : unknown(`how long \`${n.text.split('\n')[0].slice(0, 40)}\` waits`, n, inner);
      }
      case 'with_statement': {
        // `async with session.get(url) as resp:` awaits the request as it enters: a call the model sees no wait in
        // waits an open time there, as an awaited one does; the rest of the statement as usual
        if (!children(n).some((c) => c.type === 'async')) return this.of(namedChildren(n), enclosing);
        const clause = n.namedChildren.find((c) => c.type === 'with_clause');
        const calls = (clause ? namedChildren(clause) : []).flatMap((item) => {
          const value = item.type === 'with_item' ? item.childForFieldName('value') : null;
          const call = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
          return call?.type === 'call' ? [call] : [];
        });
        if (calls.length === 0) return this.of(namedChildren(n), enclosing);
        const entered = calls.map((call) => {
          const inner = this.of([call], enclosing);
          return inner.io > 0 || inner.open ? inner : unknown(`how long \`async with ${call.text.split('\n')[0].slice(0, 40)}\` waits`, call, inner);
        });
        const rest = n.childForFieldName('body');
        return [...entered, rest ? this.of(namedChildren(rest), enclosing) : ZERO].reduce(add);
      }
      case 'if_statement': {
        // the condition, then the costliest branch
        const condition = this.of([n.childForFieldName('condition')!].filter(Boolean), enclosing);
        const clauses = [n.childForFieldName('consequence'), ...namedChildren(n).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause')].filter(
          (b): b is SyntaxNode => !!b,
        );
        // `if resolve_host:` with the flag off in this call: the consequence does not run (with no `else`, the path
        // that skips every branch may be taken)
        if (this.isOff(n.childForFieldName('condition'))) {
          const others = clauses.slice(1);
          const branches = others.map((b) => this.of(namedChildren(b), enclosing));
          return add(condition, costliest(others.some((c) => c.type === 'else_clause') ? branches : [ZERO, ...branches]));
        }
        // a branch that ends by raising is the failure path (`await asyncio.sleep(5)` then `raise DuplicateError`):
        // what it does before the exception is not the work an iteration does; the other paths are (with no
        // `else`, the path that skips the `if`)
        const ending = clauses.filter((b) => !raisesAtEnd(b));
        const kept = ending.length === clauses.length ? clauses : ending;
        const branches = kept.map((b) => this.of(namedChildren(b), enclosing));
        if (kept !== clauses && !clauses.some((c) => c.type === 'else_clause')) branches.push(ZERO);
        return add(condition, costliest(branches));
      }
      case 'call': {
        // the receiver of a method call is computed first (`pbkdf2_hmac(…).hex()`), then the arguments
        const fn = n.childForFieldName('function');
        const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
        const parts = [...(receiver ? [receiver] : []), ...callArguments(n).filter((a) => a.type !== 'lambda')];
        return add(this.call(n, enclosing), this.of(parts, enclosing));
      }
      case 'binary_operator':
      case 'comparison_operator':
      case 'boolean_operator':
      case 'not_operator':
      case 'unary_operator':
      case 'subscript':
      case 'augmented_assignment':
      case 'assignment':
        return add(cpu(C.pyOp), this.of(namedChildren(n), enclosing));
      case 'attribute':
        return add(cpu(C.pyOp), this.of([n.childForFieldName('object')!].filter(Boolean), enclosing));
      case 'string':
        return namedChildren(n).some((c) => c.type === 'interpolation') ? add(cpu(C.strFormat), this.of(namedChildren(n), enclosing)) : ZERO;
      default:
        return this.of(namedChildren(n), enclosing);
    }
  }

  private loop(n: SyntaxNode, iterable: SyntaxNode | null, body: Array<SyntaxNode | null>, enclosing: SyntaxNode[]): Work {
    const once = this.of([iterable].filter((x): x is SyntaxNode => !!x), enclosing);
    // the body sees the loop variable at its mean value (`for j in range(i)` inside `for i in range(n)`)
    const target = n.type === 'for_statement' ? n.childForFieldName('left') : namedChildren(n).find((c) => c.type === 'for_in_clause')?.childForFieldName('left');
    const item = targetValues(target, iterable, this.module, this.env);
    const size = sizeOf(iterable, this.module, 0, this.env);
    const bodyNodes = body.filter((x): x is SyntaxNode => !!x);
    // a `for` statement's item, and the names its body derives from it, for the loops nested in it (partOf)
    const nests = n.type === 'for_statement' || COMPREHENSIONS.has(n.type);
    const outer = nests && target ? { names: derivedNames(bodyNodes, namesBoundBy(target.parent!)), trips: size ? size.n : MANY_ITEMS, line: lineOf(n), body: bodyNodes } : null;
    if (outer) this.outerItems.push(outer);
    let trip: Work;
    try {
      trip = this.withValues(item, () => add(cpu(C.pyLoopTrip), this.of(bodyNodes, enclosing)));
    } finally {
      if (outer) this.outerItems.pop();
    }
    if (!size && walksTree(iterable, this.module)) return { ...unknown(`the loop at line ${lineOf(n)} walks a directory tree (\`${iterable!.text.slice(0, 40)}\`)`, n, add(once, trip)), tree: true };
    const itemBound = !size && (overItemData(iterable, this.items) || rowPass(target, iterable, bodyNodes, this.items));
    const part = !size && nests ? this.partOf(iterable) : undefined;
    if (part) {
      // the parts of every item of the enclosing loop together make one collection: at a common size MANY_ITEMS
      // parts in all, so this loop runs MANY_ITEMS / (the enclosing loop's trips) times per item, not MANY_ITEMS
      const trips = Math.max(1, Math.round(MANY_ITEMS / part.trips));
      return atCommonSize(unknown(`the loop at line ${lineOf(n)} runs over the parts of each item of the loop at line ${part.line} (\`${iterable!.text.slice(0, 40)}\`), an unknown number`, n, add(once, trip), itemBound), once, trip, trips);
    }
    // `rows[:3]`, `items[a:b]` with ends the code fixes: whatever `rows` holds, at most that many trips
    const most = !size ? (sliceBound(iterable, this.module, this.env) ?? sizeOf(iterable, this.module, 0, this.env, true)?.n) : undefined;
    if (!size) {
      const open = unknown(`the loop at line ${lineOf(n)} runs an unknown number of times${most !== undefined && most < MANY_ITEMS ? ` (at most ${exactCount(most)}: \`${iterable!.text.slice(0, 40)}\`)` : ''}`, n, add(once, trip), itemBound);
      // at most `most` trips: the loop costs no more than that many, when a trip's cost has a ceiling
      const [o, t] = [ceilingOf(once), ceilingOf(trip)];
      if (most !== undefined && o && t) open.upper = { cpu: o.cpu + most * t.cpu, io: o.io + most * t.io };
      const ranged = iterable?.type === 'call' && iterable.childForFieldName('function')?.text === 'range' && !this.module.bindings.has('range');
      return atCommonSize(ranged ? numericTrips(open, n) : open, once, trip, Math.min(MANY_ITEMS, most ?? MANY_ITEMS));
    }
    const all = add(once, times(trip, size.n));
    // a retry that polls (`for attempt in range(20): x = load(); if x is not None: break; sleep(…)`): the trips after
    // the first wait for the condition that ends it, time no overlap shortens; the work is one trip's
    if (n.type === 'for_statement' && size.n > 1 && pollsUntilExit(n)) return add(once, trip);
    const exit = n.type === 'for_statement' ? earlyExit(n) : undefined;
    // a loop that may stop at a `break` (or `return`) runs between one trip and all of them
    return exit && size.n > 1 ? between(`the loop at line ${lineOf(n)} may stop early (\`${exit.kind}\` at line ${exit.line})`, n, add(once, trip), all) : all;
  }

  private call(call: SyntaxNode, enclosing: SyntaxNode[]): Work {
    const callee = resolveCall(call, this.module, enclosing);
    const args = callArguments(call);
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    const keyword = (name: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? null;
    switch (callee.kind) {
      case 'function':
        return this.ofCall(callee.node, (name) => plainArgumentFor(call, callee.node, name), call);
      case 'imported':
        return importedWork(callee.symbol.summary.work, callee.symbol.where, call);
      case 'class':
        return cpu(C.pyCall);
      case 'known': {
        const name = callee.name;
        if (name === 'time.sleep' || name === 'asyncio.sleep') {
          // a pause in a loop that leaves once a condition holds waits for that condition (a poll, a retry), and one
          // in an `except` handler is a retry's back-off: the time is the condition's or the failure's, which no
          // overlap shortens, not work of the iteration
          if (waitsForExitCondition(call) || inExceptHandler(call)) return cpu(C.sleepOverhead);
          const s = numberValue(positional[0] ?? null, this.module);
          return s === undefined ? unknown(`\`${name}(${positional[0]?.text ?? ''})\` waits for a time the code does not fix`, call, wait(C.sleepOverhead, 'sleep')) : wait(s + C.sleepOverhead, 'sleep');
        }
        if (name === 'hashlib.pbkdf2_hmac') {
          const iterations = intValue(positional[3] ?? keyword('iterations'), this.module, 0, this.env);
          return iterations === undefined ? heavyUnknown('`hashlib.pbkdf2_hmac` with an iteration count the code does not fix', call, cpu(C.hashCall)) : cpu(iterations * C.pbkdf2Sha256PerIteration);
        }
        const perByte = PER_BYTE[name];
        if (perByte !== undefined) {
          if (positional.length === 0 && HASHES[name] !== undefined) return cpu(C.hashCall);
          const bytes = bytesOf(positional[0] ?? null, this.module, this.env);
          if (bytes !== undefined) return cpu(C.hashCall + bytes * perByte);
          const what = `\`${name}\` over data whose size the code does not show`;
          // a buffer (a chunk, a file's bytes) rather than an encoded string or a JSON text; a hash only over the
          // contents of a file or a download: application code hashes ids, keys and small JSON texts far more often
          // (microseconds), and a digest of data of no shown origin is not evidence of work
          // a whole local file hashed (`sha256(path.read_bytes())`) is heavy only where the program names files that
          // are large by kind (photos, videos, archives, model weights): a manifest's or a site's files hash in
          // microseconds (round 67: a static site's bundle verified file by file)
          const heavyKind = name !== 'json.loads' && !encodedText(positional[0] ?? null) && (HASHES[name] === undefined || (readContents(positional[0] ?? null, this.module) && !(wholeFileRead(positional[0] ?? null, this.module) && !namesLargeFiles(this.module))));
          return heavyKind ? heavyUnknown(what, call, cpu(C.hashCall), false) : unseenCall(unknown(what, call, cpu(C.hashCall)));
        }
        if (REGEX.test(name)) return unknown(`\`${name}\` over text whose length the code does not show`, call, cpu(C.builtinCall));
        if (name === 'sorted' || name === 'json.dumps' || name === 'sum' || name === 'max' || name === 'min' || name === 'any' || name === 'all') {
          const size = sizeOf(positional[0] ?? null, this.module, 0, this.env);
          if (size) return cpu(name === 'sorted' ? C.sortPerElementLog2 * size.n * Math.log2(size.n + 1) : name === 'json.dumps' ? C.jsonDumpsPerElement * size.n : C.pyOp * size.n);
          if (name === 'sorted' || name === 'json.dumps') return unknown(`\`${name}\` over data whose size the code does not show`, call, cpu(C.builtinCall));
          return cpu(C.builtinCall);
        }
        if (name.startsWith('random.') && RANDOM_IN_PYTHON.has(name.slice('random.'.length))) return cpu(C.stdlibPyCall);
        // a round trip only for what does I/O: the libraries' helpers in memory (`httpx.codes.is_server_error`,
        // `smtplib.quoteaddr`) are known to send nothing
        if (LLM_MODULE_REQUESTS.has(name)) return llmRequest(call);
        if (NETWORK.test(name) && callee.knowledge.work === 'io') return wait(C.networkRoundTrip, 'network');
        // a command that talks to another machine (`git clone url`, `curl url`) waits at least a round trip to it
        const remote = RUNS_COMMAND.test(name) ? remoteCommand(call) : null;
        if (remote) return unknown(`what \`${remote}\` run by \`${name}\` costs beyond a round trip`, call, wait(C.networkRoundTrip, 'network'));
        if (SUBPROCESS.test(name)) return unknown(`what the command run by \`${name}\` costs`, call, wait(C.subprocessRun, 'subprocess'));
        if (name === 'subprocess.Popen') return wait(C.subprocessRun, 'subprocess');
        if (FILE_OPS.test(name)) return wait(C.fileOpenRead, 'file');
        if (name === 'bs4.BeautifulSoup') {
          // a whole page (a file's or a response's contents) parsed into a tree: milliseconds; a fragment (a title,
          // a cell's markup) is not evidence of work
          const markup = positional[0] ?? null;
          const page = readContents(markup, this.module) || (markup?.type === 'attribute' && PAGE_ATTRIBUTES.has(markup.childForFieldName('attribute')?.text ?? ''));
          return page ? heavyUnknown('what parsing the page with `BeautifulSoup` costs (it depends on its length)', call, cpu(C.builtinCall), false) : unknown('what `BeautifulSoup` costs (it depends on the markup)', call, cpu(C.builtinCall));
        }
        // compressing a buffer costs in proportion to its length; key stretching, images and spreadsheets do not start small
        // (an OpenCV encode of a crop or a thumbnail is heavy only as a photo's part: not whatever its input)
        if ((name === 'cv2.imencode' || name === 'cv2.imwrite') && smallImage(positional[1] ?? null, this.module)) return heavyUnknown(`what \`${name}\` costs (it depends on the size of the image, a crop or a thumbnail here)`, call, cpu(C.builtinCall), false);
        if (HEAVY_WORK_CALLS.has(name)) return heavyUnknown(`what \`${name}\` costs (it depends on its input)`, call, cpu(C.builtinCall), !/^(zlib|gzip|bz2|lzma|yaml)\./.test(name));
        if (callee.knowledge.work === 'cpu') return unknown(`what \`${name}\` costs (it depends on its input)`, call, cpu(C.builtinCall));
        // `aiofiles.os.remove`, `aiofiles.os.path.exists`: one local file operation, run in the event loop's threads
        if (callee.knowledge.work === 'io' && callee.knowledge.waits === 'file') return wait(C.fileOpenRead, 'file');
        if (callee.knowledge.work === 'io') return unknown(`how long \`${name}\` waits`, call, wait(C.fileOpenRead, 'other'));
        return cpu(C.builtinCall);
      }
      case 'method': {
        const { method } = callee;
        const client = clientCall(call, this.module)?.kind;
        if (client === 'llm-client') return llmRequest(call);
        if (client === 'requests-session' || client === 'aws-client' || client === 'socket' || client === 'market-client' || client === 'google-api' || client === 'media-downloader' || client === 'api-client') return wait(C.networkRoundTrip, 'network');
        // rendering a matplotlib figure to a file, and decoding, resampling or encoding an image: heavy by nature
        if (figureRender(call, this.module)) return heavyUnknown('what rendering the figure costs (laying it out and rasterising it)', call, cpu(C.builtinCall));
        const fitted = modelFit(call, this.module);
        if (fitted) return heavyUnknown(`what fitting \`${fitted}\` costs (an optimisation over its data: milliseconds to seconds, with the series)`, call, cpu(C.builtinCall), false);
        if (imageWork(call, this.module)) return heavyUnknown(`what \`.${method}()\` costs on an image (decoding, resampling or encoding its pixels)`, call, cpu(C.builtinCall));
        const target = sameFileMethod(callee.receiver, method, this.module, enclosing);
        if (target) return this.ofCall(target.node, (name) => {
          const arg = methodArgumentFor(call, target, name);
          return arg === 'receiver' ? null : arg;
        });
        // a method of a class another module of the workspace defines: its summary's cost
        const foreign = importedMethod(callee.receiver, method, this.module);
        if (foreign) return importedWork(foreign.summary.work, foreign.where, call);
        if (FILE_METHODS.has(method)) {
          // `os.popen(cmd).read()`: the pipe's output, which the wait for the program already covers
          const receiverCall = callee.receiver.type === 'call' ? importedName(callee.receiver.childForFieldName('function')?.text ?? null, this.module) : null;
          if (receiverCall === 'os.popen') return cpu(C.builtinCall);
          if (method.startsWith('write')) return wait(C.fileWrite, 'file');
          // `f.read(1024)` of a file this function opened: at most that many bytes (a header, a hash prefix)
          const limit = boundedFileRead(call, this.module, this.env, enclosing);
          if (limit !== undefined) return wait(C.fileOpenRead * Math.max(1, limit / 1024), 'file');
          return unknown(`\`.${method}()\` reads a file whose size the code does not show`, call, wait(C.fileOpenRead, 'file'));
        }
        // `rng.standard_normal(N_PATHS)` of `rng = np.random.default_rng(seed)`: a draw of N elements
        if (numpyGenerator(callee.receiver, enclosing, this.module)) {
          const drawn = numpyElements(`numpy.random.${method}`, call, this.module, this.env);
          if (drawn) return cpu(C.builtinCall + drawn);
        }
        if (RANDOM_IN_PYTHON.has(method)) return cpu(C.stdlibPyCall);
        if (['json', 'raise_for_status', 'hexdigest', 'digest', 'close', 'seek', 'tell', 'flush', 'fileno'].includes(method) || READ_ONLY_METHODS.has(method) || MUTATING_METHODS.has(method) || STATEFUL_METHODS.has(method)) return cpu(C.builtinCall);
        if (method === 'communicate' || (method === 'wait' && startedProcess(callee.receiver, this.module))) return unknown(`how long the process waited for by \`.${method}()\` runs`, call, wait(C.subprocessRun, 'subprocess'));
        return unseenCall(unknown(`what \`${receiverShown(callee.receiver)}.${method}()\` costs`, call, cpu(C.builtinCall)));
      }
      case 'unknown':
        if (isPureBuiltin(callee.name) || callee.name === 'print') return cpu(C.builtinCall);
        {
          const trained = trainedAtConstruction(call, this.module);
          if (trained) return heavyUnknown(`what training \`${trained}\` costs (passes of inference over every document of the corpus: seconds to minutes)`, call, cpu(C.builtinCall));
        }
        {
          // `np.random.standard_normal(N)`, `np.zeros((n, m))`: NumPy work in proportion to the elements made
          const drawn = numpyElements(callee.qualified ?? '', call, this.module, this.env);
          if (drawn) return cpu(C.builtinCall + drawn);
        }
        return unseenCall(unknown(`what \`${callee.name}()\` costs (${whereDefined(callee)})`, call, cpu(C.builtinCall)));
    }
  }

  /** The work of calling a callable (as `map(f, xs)` does) once. */
  ofCallable(fn: SyntaxNode, enclosing: SyntaxNode[]): Work {
    const callee = resolveCallable(fn, this.module, enclosing);
    if (callee.kind === 'function') return this.ofFunction(callee.node);
    if (callee.kind === 'imported') return importedWork(callee.symbol.summary.work, callee.symbol.where, fn);
    if (fn.type === 'lambda') return this.of([fn.childForFieldName('body')!].filter(Boolean), enclosing);
    return unknown(`what \`${fn.text.slice(0, 30)}\` costs`, fn, cpu(C.builtinCall));
  }
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * At most how many items a slice with fixed non-negative ends gives (`rows[:3]`, `xs[2:10]`, `xs[i:i + 50]`),
 * whatever the sliced sequence holds; undefined for other iterables (and for `xs[:-1]`, which is all but one).
 */
function sliceBound(node: SyntaxNode | null, module: ModuleInfo, env: ValueEnv): number | undefined {
  if (node?.type !== 'subscript') return undefined;
  const slice = node.childForFieldName('subscript');
  if (slice?.type !== 'slice') return undefined;
  const text = slice.text.replace(/\s+/g, '');
  const parts = namedChildren(slice).filter((c) => c.type !== 'comment');
  // `[:stop]` or `[start:stop]`, no step
  const colon = text.indexOf(':');
  if (colon < 0 || text.indexOf(':', colon + 1) >= 0) return undefined;
  const start = colon === 0 ? null : parts[0] ?? null;
  const stop = colon === text.length - 1 ? null : parts[colon === 0 ? 0 : 1] ?? null;
  if (!stop) return undefined;
  if (start && stop.type === 'binary_operator' && stop.childForFieldName('operator')?.text === '+' && stop.childForFieldName('left')?.text === start.text) {
    const span = intValue(stop.childForFieldName('right'), module, 0, env);
    return span !== undefined && span >= 0 ? span : undefined;
  }
  const b = intValue(stop, module, 0, env);
  const a = start ? intValue(start, module, 0, env) : 0;
  return a !== undefined && b !== undefined && a >= 0 && b >= 0 ? Math.max(0, b - a) : undefined;
}

/** A loop of unknown count (`w`), with its work at a common size: `once` and `trips` × `trip`, when both are. */
function atCommonSize(w: Work, once: Work, trip: Work, trips = MANY_ITEMS): Work {
  const [o, t] = [commonOf(once), commonOf(trip)];
  if (o && t) w.common = { cpu: o.cpu + trips * t.cpu, io: o.io + trips * t.io };
  return w;
}

/** Trips of a `while` loop dividing an integer until it is spent: the bits of a 64-bit number. */
const INTEGER_HALVINGS = 64;
/** … dividing a float by two or more until it underflows to zero (`while p: p /= 2`). */
const FLOAT_HALVINGS = 1_100;

/** What an assignment in a loop body gives a name. */
type Assigned = { kind: 'value'; node: SyntaxNode } | { kind: 'augmented'; op: string } | { kind: 'quotient' } | { kind: 'unknown' };

/**
 * At most how many trips a `while` loop makes at a common size when every trip divides what its condition tests:
 * each name the condition reads that the body assigns is only ever assigned a quotient (`n //= b`, `n >>= 1`,
 * `q, r = divmod(n, b)`, `d = n // b`, `p /= 2`, Euclid's `a, b = b, a % b`) or a name so assigned (`num = div`).
 * Undefined otherwise (a Collatz step `n = 3 * n + 1` beside `n //= 2` is not a division).
 */
function halvingTrips(loop: SyntaxNode): number | undefined {
  const condition = loop.childForFieldName('condition');
  const body = loop.childForFieldName('body');
  if (!condition || !body) return undefined;
  const assigned = new Map<string, Assigned[]>();
  assignmentsIn(body, (name, value) => assigned.set(name, [...(assigned.get(name) ?? []), value]));
  const tested = [...new Set(identifiersIn(condition))].filter((n) => assigned.has(n));
  if (tested.length === 0) return undefined;
  let float = false;
  const quotient = (name: string, seen: Set<string>): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    return (assigned.get(name) ?? []).every((v) => {
      if (v.kind === 'quotient') return true;
      if (v.kind === 'unknown') return false;
      if (v.kind === 'augmented') {
        if (v.op === '/=') float = true;
        return v.op === '//=' || v.op === '>>=' || v.op === '/=';
      }
      if (v.node.type === 'identifier') return assigned.has(v.node.text) && quotient(v.node.text, seen);
      const op = v.node.type === 'binary_operator' ? v.node.childForFieldName('operator')?.text : undefined;
      if (op === '/') float = true;
      return op === '//' || op === '>>' || op === '/';
    });
  };
  return tested.every((name) => quotient(name, new Set())) ? (float ? FLOAT_HALVINGS : INTEGER_HALVINGS) : undefined;
}

const IDENTIFIER = new Set(['identifier']);

/** The identifiers an expression spells, in order. */
function identifiersIn(node: SyntaxNode): string[] {
  return descendantsOfTypes(node, IDENTIFIER).map((n) => n.text);
}

/** Every binding of a name in `body` (nested blocks included, nested functions and classes not), with what it gives. */
function assignmentsIn(body: SyntaxNode, visit: (name: string, value: Assigned) => void): void {
  const each = (n: SyntaxNode) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type === 'identifier' && right) visit(left.text, { kind: 'value', node: right });
      else if (left && right && euclidStep(left, right)) {
        // `a, b = b, a % b`: Euclid's step, whose remainders shrink at least as fast as Fibonacci numbers grow
        const [a, b] = namedChildren(left);
        visit(a.text, { kind: 'unknown' });
        visit(b.text, { kind: 'quotient' });
      } else if (left) {
        // `q, r = divmod(n, b)`: the first name is a quotient; any other unpacking gives what cannot be told
        const isDivmod = right?.type === 'call' && right.childForFieldName('function')?.text === 'divmod';
        identifiersIn(left).forEach((name, i) => visit(name, isDivmod && i === 0 ? { kind: 'quotient' } : { kind: 'unknown' }));
      }
    } else if (n.type === 'augmented_assignment') {
      const left = n.childForFieldName('left');
      const op = n.children.find((c) => !c.isNamed && c.type.endsWith('='))?.type ?? '';
      if (left?.type === 'identifier') visit(left.text, { kind: 'augmented', op });
    } else if (n.type === 'for_statement' || n.type === 'named_expression' || n.type === 'with_item') {
      const left = n.childForFieldName(n.type === 'named_expression' ? 'name' : n.type === 'with_item' ? 'value' : 'left');
      if (left) for (const name of identifiersIn(left)) visit(name, { kind: 'unknown' });
    }
    for (const c of namedChildren(n)) each(c);
  };
  each(body);
}

/** Euclid's step spelled `a, b = b, a % b`: the new `b` is a remainder of division by the old one. */
function euclidStep(left: SyntaxNode, right: SyntaxNode): boolean {
  const targets = namedChildren(left);
  const values = namedChildren(right);
  if (!['pattern_list', 'tuple_pattern'].includes(left.type) || !['expression_list', 'tuple'].includes(right.type)) return false;
  if (targets.length !== 2 || values.length !== 2 || targets.some((t) => t.type !== 'identifier')) return false;
  const [a, b] = targets.map((t) => t.text);
  const rest = values[1];
  return (
    values[0].type === 'identifier' &&
    values[0].text === b &&
    rest.type === 'binary_operator' &&
    rest.childForFieldName('operator')?.text === '%' &&
    rest.childForFieldName('left')?.text === a &&
    rest.childForFieldName('right')?.text === b
  );
}

/** The costliest of alternative branches (by their counted work), bounded when every branch is. */
function costliest(branches: readonly Work[]): Work {
  if (branches.length === 0) return ZERO;
  const worst = branches.reduce((a, b) => (a.cpu + a.io >= b.cpu + b.io ? a : b));
  const w: Work = { cpu: worst.cpu, io: worst.io, latency: branches.map((b) => b.latency).reduce(slower), open: worst.open ?? branches.find((b) => b.open)?.open ?? null };
  // a branch heavy by nature (key stretching, hashing a buffer) is evidence of work whichever branch runs
  if (branches.some((b) => b.heavy)) w.heavy = true;
  if (branches.some((b) => b.surely)) w.surely = true;
  if (branches.some((b) => b.recursive)) w.recursive = true;
  if (branches.some((b) => b.tree)) w.tree = true;
  if (w.open) {
    const ceilings = branches.map(ceilingOf);
    if (ceilings.every((c) => c)) w.upper = ceilings.reduce((a, b) => (a!.cpu + a!.io >= b!.cpu + b!.io ? a : b))!;
    const commons = branches.map(commonOf);
    if (commons.every((c) => c)) w.common = commons.reduce((a, b) => (a!.cpu + a!.io >= b!.cpu + b!.io ? a : b))!;
  }
  return w;
}

/** The `break` (or `return`) that can end this loop before its last trip, outside nested loops and functions. */
function earlyExit(loop: SyntaxNode): { kind: 'break' | 'return'; line: number } | undefined {
  const body = loop.childForFieldName('body');
  let found: { kind: 'break' | 'return'; line: number } | undefined;
  const visit = (n: SyntaxNode, nested: boolean) => {
    for (const c of namedChildren(n)) {
      if (found || SCOPE_TYPES.has(c.type)) continue;
      if (c.type === 'break_statement' && !nested) found = { kind: 'break', line: lineOf(c) };
      else if (c.type === 'return_statement') found = { kind: 'return', line: lineOf(c) };
      else visit(c, nested || c.type === 'for_statement' || c.type === 'while_statement');
    }
  };
  if (body) visit(body, false);
  return found;
}

/**
 * How many trips a counting `while` loop makes, when the code fixes it: a counter set just before the loop,
 * stepped by a constant exactly once per trip (`d += 2`, `n //= 2`), and compared with a known limit
 * (`while d * d <= n`, `while i < len(xs)`, `while n > 1`). Undefined for any other shape.
 */
export function whileTrips(loop: SyntaxNode, module: ModuleInfo, env: ValueEnv = NO_ENV): number | undefined {
  const condition = loop.childForFieldName('condition');
  const body = loop.childForFieldName('body');
  if (!condition || !body || condition.type !== 'comparison_operator') return undefined;
  const operands = namedChildren(condition);
  const operators = condition.children.filter((c) => !c.isNamed).map((c) => c.type);
  if (operands.length !== 2 || operators.length !== 1) return undefined;
  // the counter on the left: `v`, `v * v` or `v ** 2`
  const counterOf = (e: SyntaxNode): { name: string; squared: boolean } | undefined => {
    if (e.type === 'identifier') return { name: e.text, squared: false };
    if (e.type !== 'binary_operator') return undefined;
    const [l, r, op] = [e.childForFieldName('left'), e.childForFieldName('right'), e.childForFieldName('operator')?.text];
    if (l?.type === 'identifier' && op === '*' && r?.text === l.text) return { name: l.text, squared: true };
    if (l?.type === 'identifier' && op === '**' && r?.text === '2') return { name: l.text, squared: true };
    return undefined;
  };
  const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  let op = operators[0];
  if (!(op in flip)) return undefined;
  let counter = counterOf(operands[0]);
  let limitNode = operands[1];
  if (!counter || limitNode.text.includes(counter.name)) {
    counter = counterOf(operands[1]);
    limitNode = operands[0];
    op = flip[op];
    if (!counter || limitNode.text.includes(counter.name)) return undefined;
  }
  const limit = intValue(limitNode, module, 0, env);
  if (limit === undefined) return undefined;
  // exactly one step of the counter, at the top level of the body, and nothing else binds it there
  const steps = body.namedChildren.filter((st) => st.type === 'expression_statement' && st.namedChildren[0]?.type === 'augmented_assignment' && st.namedChildren[0].childForFieldName('left')?.text === counter!.name);
  if (steps.length !== 1) return undefined;
  const step = steps[0].namedChildren[0];
  const stepOp = step.children.find((c) => !c.isNamed && c.type.endsWith('='))?.type;
  const by = intValue(step.childForFieldName('right'), module, 0, env);
  if (by === undefined || by <= 0) return undefined;
  let bindings = 0;
  for (const token of tokensSpelled(body, counter.name, 'identifier')) {
    const parent = token.parent;
    if (parent && (parent.type === 'assignment' || parent.type === 'augmented_assignment' || parent.type === 'for_statement' || parent.type === 'pattern_list') && parent.childForFieldName('left')?.id === token.id) bindings++;
    if (parent?.type === 'for_in_clause' || parent?.type === 'named_expression') return undefined;
  }
  if (bindings !== 1) return undefined;
  // a `continue` could skip the step
  if (descendantsOfTypes(body, new Set(['continue_statement']), true).length > 0) return undefined;
  const start = counterStart(loop, counter.name, module, env);
  if (start === undefined) return undefined;
  const MAX = 1e9;
  const increasing = stepOp === '+=' || stepOp === '*=';
  if (increasing !== (op === '<' || op === '<=')) return undefined;
  const holds = (v: number) => {
    const x = counter!.squared ? v * v : v;
    return op === '<' ? x < limit : op === '<=' ? x <= limit : op === '>' ? x > limit : x >= limit;
  };
  if (stepOp === '+=' || stepOp === '-=') {
    // solve for the last value that still holds, then count the steps to it
    const sign = stepOp === '+=' ? 1 : -1;
    let last: number;
    if (counter.squared) {
      if (sign < 0 || start < 0) return undefined;
      const root = Math.floor(Math.sqrt(Math.max(0, limit)));
      last = holds(root) ? root : root - 1;
      while (holds(last + 1)) last++;
    } else last = op === '<' ? limit - 1 : op === '<=' ? limit : op === '>' ? limit + 1 : limit;
    if (!holds(start)) return 0;
    const trips = Math.floor((sign * (last - start)) / by) + 1;
    return trips > MAX ? undefined : Math.max(0, trips);
  }
  if ((stepOp === '*=' && by >= 2 && start > 0) || ((stepOp === '//=' || stepOp === '>>=') && by >= (stepOp === '//=' ? 2 : 1))) {
    let v = start;
    let trips = 0;
    while (holds(v) && trips < 200) {
      v = stepOp === '*=' ? v * by : stepOp === '//=' ? Math.floor(v / by) : Math.floor(v / 2 ** by);
      trips++;
    }
    return trips < 200 ? trips : undefined;
  }
  return undefined;
}

/** The counter's value when a loop starts: assigned by the statements just before it, or a parameter's value. */
function counterStart(loop: SyntaxNode, name: string, module: ModuleInfo, env: ValueEnv): number | undefined {
  for (let prev = loop.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
    const assignment = prev.type === 'expression_statement' ? prev.namedChildren[0] : null;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name) return intValue(assignment.childForFieldName('right'), module, 0, env);
    if (tokensSpelled(prev, name, 'identifier').some((t) => t.parent && t.parent.childForFieldName('left')?.id === t.id)) return undefined;
  }
  const fn = enclosingFunction(loop);
  if (fn && scopeOf(fn).params.has(name) && loop.parent?.parent?.id === fn.id) return env.get(name);
  return undefined;
}

/**
 * The work of one call of a function of another module, from its summary (estimated there with the arguments its
 * own code fixes); what could not be bounded there is named with the file it is in.
 */
function importedWork(work: Work, where: string, at: SyntaxNode): Work {
  // JSON has no Infinity: a bound lost in the summary's round trip is no bound
  const seconds = (s: number | null) => (s === null ? Number.POSITIVE_INFINITY : s);
  const open = work.open ? { what: work.open.what.includes('(in `') ? work.open.what : `${work.open.what} (in \`${where.replace(/:\d+$/, `:${work.open.line}`)}\`)`, line: lineOf(at), ...(work.open.unseen ? { unseen: true } : {}), ...(work.open.numeric ? { numeric: true } : {}) } : null;
  // what the open work is made of (heavy by nature, a branching recursion, a tree walk) is evidence as it is in one file
  const kinds = { ...(work.heavy ? { heavy: true } : {}), ...(work.surely ? { surely: true } : {}), ...(work.recursive ? { recursive: true } : {}), ...(work.tree ? { tree: true } : {}) };
  // its upper bound (every counter run to its end) holds wherever it is called from
  const upper = open && work.upper ? { cpu: seconds(work.upper.cpu), io: seconds(work.upper.io) } : undefined;
  return { cpu: seconds(work.cpu), io: seconds(work.io), open, ...(work.latency ? { latency: work.latency } : {}), ...(open ? { beyondItem: true, ...kinds } : {}), ...(upper ? { upper } : {}) };
}

/** NumPy's random draws: where their `size` goes when given by position (`normal(loc, scale, size)`). */
const DRAW_SIZE_AT: Record<string, number> = {
  standard_normal: 0,
  random: 0,
  random_sample: 0,
  standard_exponential: 0,
  normal: 2,
  uniform: 2,
  integers: 2,
  randint: 2,
  lognormal: 2,
  gamma: 2,
  beta: 2,
  binomial: 2,
  laplace: 2,
  exponential: 1,
  poisson: 1,
  chisquare: 1,
  standard_t: 1,
  choice: 1,
  multivariate_normal: 2,
};

/** NumPy's array makers whose first argument is the shape (`np.zeros((n, m))`, `np.full(n, v)`). */
const SHAPED = /^numpy\.(zeros|ones|empty|full|identity|eye)$/;

/**
 * The seconds of NumPy work a call makes in proportion to the elements it makes, when the code shows how many: a
 * random draw (`rng.standard_normal(100_000)`, `np.random.normal(0, 1, size=(n, m))`, `np.random.rand(n)`) or an
 * array filled in (`np.zeros(n)`, `np.full((n, m), v)`, `np.linspace(0, 1, n)`). Undefined otherwise.
 */
function numpyElements(qualified: string, call: SyntaxNode, module: ModuleInfo, env: ValueEnv): number | undefined {
  if (!qualified.startsWith('numpy.')) return undefined;
  const args = callArguments(call);
  const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
  const keyword = (name: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? null;
  // the elements of a shape given as its dimensions: all of them spelled or fixed by the code
  const product = (dims: readonly SyntaxNode[]): number | undefined => {
    const sizes = dims.map((d) => intValue(d, module, 0, env));
    return sizes.length > 0 && sizes.every((v) => v !== undefined) ? sizes.reduce((a, b) => a! * b!, 1) : undefined;
  };
  const count = (n: SyntaxNode | null): number | undefined => (!n ? undefined : n.type === 'tuple' || n.type === 'list' ? product(namedChildren(n)) : intValue(n, module, 0, env));
  const method = qualified.slice(qualified.lastIndexOf('.') + 1);
  if (qualified.startsWith('numpy.random.')) {
    // `np.random.rand(n, m)`, `np.random.randn(n)`: the dimensions by position
    if (method === 'rand' || method === 'randn') {
      const n = product(positional);
      return n ? n * C.numpyDrawPerElement : undefined;
    }
    const at = DRAW_SIZE_AT[method];
    if (at === undefined) return undefined;
    const n = count(keyword('size') ?? positional[at] ?? null);
    return n ? n * C.numpyDrawPerElement : undefined;
  }
  if (SHAPED.test(qualified)) {
    const n = count(keyword('shape') ?? keyword('N') ?? positional[0] ?? null);
    return n ? n * C.numpyUfuncPerElement : undefined;
  }
  if (method === 'linspace') {
    const n = count(keyword('num') ?? positional[2] ?? null);
    return n ? n * C.numpyUfuncPerElement : undefined;
  }
  return undefined;
}

/** A NumPy random generator: a name bound only to `np.random.default_rng(…)`, `RandomState(…)` or `Generator(…)`. */
function numpyGenerator(receiver: SyntaxNode, enclosing: SyntaxNode[], module: ModuleInfo): boolean {
  if (receiver.type !== 'identifier') return false;
  const scope = enclosing.find((fn) => scopeOf(fn).locals.has(receiver.text) || scopeOf(fn).params.has(receiver.text)) ?? module.root;
  if (scope.type === 'function_definition' && scopeOf(scope).params.has(receiver.text)) return false;
  const values = valuesBound(scope, receiver.text);
  return (
    values.length > 0 &&
    values.every((v) => v?.type === 'call' && /^numpy\.random\.(default_rng|RandomState|Generator)$/.test(importedName(v.childForFieldName('function')?.text ?? null, module) ?? ''))
  );
}

/** Whether a call unpacks arguments (`f(*args)`, `f(**kwargs)`): which parameters it fills cannot be told. */
function hasSplat(call: SyntaxNode): boolean {
  const args = call.childForFieldName('arguments');
  return !!args && namedChildren(args).some((a) => a.type.endsWith('splat'));
}

/** A call's arguments: `sum(x for x in xs)` has one, the generator expression itself. */
function callArguments(call: SyntaxNode): readonly SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  if (!args) return [];
  return args.type === 'generator_expression' ? [args] : namedChildren(args);
}

function enclosingChain(node: SyntaxNode): SyntaxNode[] {
  const chain: SyntaxNode[] = [];
  for (let p: SyntaxNode | null = node; p; p = p.parent) if (p.type === 'function_definition') chain.push(p);
  return chain;
}

// ------------------------------------------------------------------------------------------- the model

/**
 * The wall time of starting `workers` spawned workers (and the resource tracker) on `cores` cores: their CPU,
 * spread over the cores, scaled so that the calibration machine gets the start-up measured there.
 */
function spawnStartup(workers: number, cores: number): number {
  const spread = (w: number, c: number) => (w * C.processWorkerSpawnCpu + C.processResourceTrackerCpu) / Math.max(1, Math.min(w + 1, c));
  const measured = spread(CALIBRATION.cores, CALIBRATION.cores);
  return (C.processPoolStartupSpawn * spread(workers, cores)) / measured;
}

/** What one pool start-up costs for this module: a spawned worker imports the main module again. */
function startupOf(pattern: CostPattern, module: ModuleInfo, cores: number): number {
  if (pattern === 'thread') return C.threadPoolStartup;
  if (pattern === 'asyncio') return 0;
  return spawnStartup(cores, cores) + importsOnStart(module);
}

const importsCost = new WeakMap<ModuleInfo, number>();

/**
 * What a spawned worker spends importing the libraries the main module imports at its top (each measured with its
 * own dependencies: numpy under pandas, scipy under scikit-learn are counted once), worked out once per module.
 */
function importsOnStart(module: ModuleInfo): number {
  let known = importsCost.get(module);
  if (known === undefined) importsCost.set(module, (known = importsOnStartOf(module)));
  return known;
}

function importsOnStartOf(module: ModuleInfo): number {
  // with what the workspace modules it imports import in turn (a helper module importing pandas; round 33: a
  // solution whose package's `__init__` imports pandas ran 1.7× slower in a pool)
  const direct = [...module.imports.values()];
  const all = module.workspace?.librariesImported ? [...direct, ...new Set(direct.flatMap((q) => module.workspace!.librariesImported!(q)))] : direct;
  const imported = new Set(all.map((q) => q.split('.')[0]));
  const pyplot = all.some((q) => q === 'matplotlib.pyplot' || q.startsWith('matplotlib.pyplot.'));
  // the libraries built on numpy, each less the numpy it brings
  const onNumpy = [
    imported.has('pandas') ? C.importPandas : 0,
    imported.has('sklearn') ? C.importSklearn : imported.has('scipy') ? C.importScipy : 0,
    pyplot ? C.importPyplot : 0,
    imported.has('cv2') ? C.importCv2 : 0,
  ].filter((s) => s > 0);
  let s = onNumpy.length > 0 ? C.importNumpy + onNumpy.reduce((a, b) => a + Math.max(0, b - C.importNumpy), 0) : imported.has('numpy') ? C.importNumpy : 0;
  if (imported.has('PIL')) s += C.importPillow;
  if (imported.has('bs4')) s += C.importBs4;
  if (imported.has('requests')) s += C.importRequests;
  if (imported.has('openpyxl')) s += C.importOpenpyxl;
  return s;
}

function threadsFor(latency: LatencyClass | undefined, items: number, cores: number): number {
  // what the rewrite asks for: up to 32 threads for waits that overlap freely, the executor's default otherwise
  const wanted = latency === 'network' || latency === 'sleep' ? Math.min(32, items) : Math.min(32, cores + 4, items);
  // local file work (open, read, write, stat of files in the page cache) is system calls and decoding done one
  // after the other under the GIL: measured on 2,000 files of 1 KiB, the default thread pool ran reads at
  // 0.24–0.80× and writes at 0.35–0.82× of the plain loop (2 cores), so such waits do not overlap
  if (latency === 'file') return 1;
  // child processes need a core each
  return latency === 'subprocess' ? Math.max(1, Math.min(wanted, cores)) : Math.max(1, wanted);
}

/** What a pool saves over the plain loop, in seconds (negative when it costs more). */
function savedAt(pattern: CostPattern, work: Work, items: number, cores: number, startup: number, transfer = 0): number {
  return items * (work.cpu + work.io) - parallelTime(pattern, work, items, cores, startup, transfer);
}

/**
 * The least time a rewrite whose whole cost is counted must save, besides its ratio: below it the program runs no
 * faster that anyone would notice. (A lower bound over many items is not held to it: `pip --version` is counted as
 * the 1 ms of starting any program, and fifty of them take seconds; below `min-iterations` known items a lower
 * bound alone is not reported — see weighCost in loops.ts.)
 */
const MIN_SAVED = 0.02;

/** Parallel wall time of `items` items of `work` under `pattern` on `cores` cores. */
function parallelTime(pattern: CostPattern, work: Work, items: number, cores: number, startup: number, transfer = 0): number {
  if (items <= 0) return startup;
  switch (pattern) {
    case 'process': {
      const workers = Math.max(1, Math.min(cores, items));
      const chunks = Math.min(items, 4 * workers);
      // the parent pickles every argument it sends (`transfer` bytes per item), one after the other
      return startup + items * (C.processPerItem + transfer * C.picklePerByte) + (items * (work.cpu + work.io) + chunks * C.processPerChunk) / workers;
    }
    case 'thread': {
      const threads = threadsFor(work.latency, items, cores);
      return startup + items * (C.threadPerTask + work.cpu) + Math.ceil(items / threads) * work.io;
    }
    case 'asyncio':
      // aiofiles runs each local file operation in the event loop's default thread pool, where such waits do not
      // overlap (threadsFor): gathered, they take as long as one after the other, plus a task each
      if (work.latency === 'file') return items * (C.asyncioPerTask + work.cpu + work.io);
      return items * (C.asyncioPerTask + work.cpu) + work.io;
  }
}

export function speedupAt(pattern: CostPattern, work: Work, items: number, cores: number, startup: number, transfer = 0): number {
  const sequential = items * (work.cpu + work.io);
  const parallel = parallelTime(pattern, work, items, cores, startup, transfer);
  return parallel > 0 ? sequential / parallel : 1;
}

/** The smallest count in [1, 1e9] at which the speedup reaches `target` (Infinity: never). */
function breakEvenItems(pattern: CostPattern, work: Work, cores: number, startup: number, target: number, transfer = 0): number {
  if (speedupAt(pattern, work, 1e9, cores, startup, transfer) < target) return Infinity;
  let lo = 1;
  let hi = 1e9;
  while (hi - lo > Math.max(1, lo * 0.01)) {
    const mid = Math.floor(Math.sqrt(lo * hi));
    if (speedupAt(pattern, work, mid, cores, startup, transfer) >= target) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/** The smallest CPU work per item at which `items` items reach `target` (Infinity: never). */
function breakEvenWork(pattern: CostPattern, base: Work, items: number, cores: number, startup: number, target: number, transfer = 0): number {
  const at = (s: number): Work => (pattern === 'process' ? { ...base, cpu: Math.max(base.cpu, s), open: null } : { ...base, io: Math.max(base.io, s), open: null });
  if (speedupAt(pattern, at(1e6), items, cores, startup, transfer) < target) return Infinity;
  let lo = 1e-9;
  let hi = 1e6;
  while (hi / lo > 1.02) {
    const mid = Math.sqrt(lo * hi);
    if (speedupAt(pattern, at(mid), items, cores, startup, transfer) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The loop (or repeatedly called function) around `node` that would start a pool on every pass. */
function repeatedAround(node: SyntaxNode, module: ModuleInfo, pattern: CostPattern): { line: number; what: string } | undefined {
  // a thread pool starts in half a millisecond: only a process pool's start-up is worth looking for callers afar
  const afar = (fn: SyntaxNode, name: string) => (pattern === 'process' ? repeatedInProject(fn, name, module) : undefined);
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') return { line: lineOf(p), what: `every iteration of the loop at line ${lineOf(p)}` };
    if (p.type === 'function_definition') {
      const name = p.childForFieldName('name')?.text;
      const decorated = p.parent?.type === 'decorated_definition' ? p.parent : null;
      const handler = decorated ? namedChildren(decorated).find((d) => d.type === 'decorator' && HANDLER_DECORATOR.test(d.text)) : undefined;
      if (handler) return { line: lineOf(handler), what: `every request or event \`${name}\` handles` };
      if (!name) return undefined;
      // a method called through `self.name(…)` / `cls.name(…)` from a loop of its class
      const cls = p.parent?.type === 'block' && p.parent.parent?.type === 'class_definition' ? p.parent.parent : p.parent?.type === 'decorated_definition' && p.parent.parent?.type === 'block' && p.parent.parent.parent?.type === 'class_definition' ? p.parent.parent.parent : null;
      if (cls) return repeatedMethodCall(p, name, cls) ?? afar(p, name);
      if (module.functions.get(name)?.id !== p.id) return undefined;
      for (const call of callSitesOf(module, name)) {
        if (isAncestorOf(p, call)) continue;
        for (let q = call.parent; q; q = q.parent) {
          if (SCOPE_TYPES.has(q.type) && q.type !== 'module') break;
          if (repeatsIn(q, call)) return { line: lineOf(call), what: `every call of \`${name}\`, made in the loop at line ${lineOf(q)}` };
        }
      }
      return afar(p, name);
    }
  }
  return undefined;
}

/**
 * A call of `name` elsewhere in the project made in a loop, or in a web route or event handler (round 27: an
 * exporter called once per source image from the main script; a preview made on every request of a Flask app).
 */
function repeatedInProject(fn: SyntaxNode, name: string, module: ModuleInfo): { line: number; what: string } | undefined {
  const index = module.workspace?.callSites?.();
  const sites = index?.sitesOf(name)?.sites ?? [];
  for (const site of sites) {
    if (site.imported || site.dead || site.concurrent || (!site.within && !site.inLoop)) continue;
    if (site.inHandler) return { line: lineOf(fn), what: `every request or event \`${site.within}()\` handles (it calls \`${name}\` at \`${siteWhere(index!, site)}\`)` };
    if (site.inLoop) return { line: lineOf(fn), what: `every call of \`${name}\`, made in the loop at \`${siteWhere(index!, { file: site.file, line: site.inLoop })}\`` };
  }
  return undefined;
}

/** Whether `call` runs on every pass of the loop `q` (not once, as the iterable of a `for`). */
function repeatsIn(q: SyntaxNode, call: SyntaxNode): boolean {
  if (q.type === 'while_statement') return true;
  if (q.type !== 'for_statement') return false;
  const iterable = q.childForFieldName('right');
  return !(iterable && (iterable.id === call.id || isAncestorOf(iterable, call)));
}

/** A call `self.name(…)` (or `cls.name(…)`) in another method of `cls`, made in a loop of that method. */
function repeatedMethodCall(method: SyntaxNode, name: string, cls: SyntaxNode): { line: number; what: string } | undefined {
  for (const token of tokensSpelled(cls, name, 'identifier')) {
    const attribute = token.parent;
    if (attribute?.type !== 'attribute' || attribute.childForFieldName('attribute')?.id !== token.id) continue;
    if (!['self', 'cls'].includes(attribute.childForFieldName('object')?.text ?? '')) continue;
    const call = attribute.parent;
    if (call?.type !== 'call' || call.childForFieldName('function')?.id !== attribute.id || isAncestorOf(method, call)) continue;
    for (let q = call.parent; q; q = q.parent) {
      if (SCOPE_TYPES.has(q.type) && q.type !== 'module') break;
      if (repeatsIn(q, call)) return { line: lineOf(call), what: `every call of \`self.${name}\`, made in the loop at line ${lineOf(q)}` };
    }
  }
  return undefined;
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '∞';
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1).replace(/\.0$/, '') : v.toPrecision(1));
  if (s >= 1) return `${fmt(s)} s`;
  if (s >= 1e-3) return `${fmt(s * 1e3)} ms`;
  if (s >= 1e-6) return `${fmt(s * 1e6)} µs`;
  return `${fmt(s * 1e9)} ns`;
}

/** One formatter for every count: `toLocaleString` builds a new one on each call. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** A count the code shows, as it is (199 items, not ≈ 200). */
function exactCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** A count the model computed (a break-even point), rounded to two figures above 100. */
function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  const rounded = n >= 100 ? Number(n.toPrecision(2)) : Math.ceil(n);
  return COUNT_FORMAT.format(rounded);
}

function formatSpeedup(s: number): string {
  return s >= 10 ? `${s.toFixed(0)}×` : `${s.toFixed(1)}×`;
}

/** The pattern a loop's preferred fix uses. */
export function patternOf(loop: LoopFacts): CostPattern {
  if (loop.awaits) return 'asyncio';
  return loop.workload === 'io' ? 'thread' : 'process';
}

/** The nodes that run once per item in the worker. */
function perItemNodes(loop: LoopFacts): SyntaxNode[] {
  // a recorded collecting statement inside a worker statement (under an `if`, in an inner loop) is counted there, once
  const nested = (p: { statement: SyntaxNode }) => !!loop.recordedFolds && loop.workerStatements.some((w) => isAncestorOf(w, p.statement));
  if (loop.kind === 'for') return [...loop.workerStatements, ...loop.parentStatements.filter((p) => !nested(p)).map((p) => p.value)];
  if (loop.kind === 'comprehension') return [loop.element, loop.elementKey].filter((n): n is SyntaxNode => !!n);
  return [];
}

/** The work at its upper bound, counted. */
function closed(upper: { cpu: number; io: number }, base: Work): Work {
  return { cpu: upper.cpu, io: upper.io, open: null, latency: base.latency };
}

/** The record kinds of AWS notifications that hold one record each, by the key a record keeps its content under. */
const ONE_RECORD_NOTIFICATIONS: Record<string, string> = { s3: 'S3', Sns: 'SNS' };

/**
 * The `Records` of an S3 or SNS notification handed to a function (`for record in event['Records']:`, `event` a
 * parameter, the body reading `record['s3']` or `record['Sns']`): S3 sends one record per notification message, and
 * an SNS notification holds one message, so the loop runs once per call — a bound of 1, to refuse a pool with. SQS,
 * Kinesis and DynamoDB-stream records (read through `body`, `kinesis`, `dynamodb`) come in batches: not bounded.
 */
function notificationRecords(loop: LoopFacts): { n: number; from: string } | undefined {
  const iterable = loop.iterable;
  const target = loop.target;
  if (!iterable || target?.type !== 'identifier' || !loop.function) return undefined;
  const getCall = iterable.type === 'call' && iterable.childForFieldName('function')?.type === 'attribute' && iterable.childForFieldName('function')!.childForFieldName('attribute')?.text === 'get';
  const holder = iterable.type === 'subscript' ? iterable.childForFieldName('value') : getCall ? iterable.childForFieldName('function')!.childForFieldName('object') : null;
  const key = iterable.type === 'subscript' ? iterable.childForFieldName('subscript') : getCall ? (namedChildren(iterable.childForFieldName('arguments')!)[0] ?? null) : null;
  if (holder?.type !== 'identifier' || !scopeOf(loop.function).params.has(holder.text) || !/^['"]Records['"]$/.test(key?.text ?? '')) return undefined;
  let kind: string | undefined;
  for (const node of perItemNodes(loop)) {
    walk(node, (n) => {
      if (kind) return false;
      const read = n.type === 'subscript' && n.childForFieldName('value')?.text === target.text ? n.childForFieldName('subscript') : null;
      const got = n.type === 'call' && n.childForFieldName('function')?.text === `${target.text}.get` ? (namedChildren(n.childForFieldName('arguments')!)[0] ?? null) : null;
      const name = (read ?? got)?.text.replace(/^['"]|['"]$/g, '');
      if (name && (read ?? got)!.type === 'string' && ONE_RECORD_NOTIFICATIONS[name]) kind = ONE_RECORD_NOTIFICATIONS[name];
      return true;
    });
  }
  return kind ? { n: 1, from: `\`${iterable.text.slice(0, 40)}\` of an ${kind} notification, which holds one record` } : undefined;
}

/** Estimates a loop's payoff and decides whether it is worth a pool. */
export function estimateLoop(loop: LoopFacts, module: ModuleInfo, estimator: WorkEstimator, options: CostOptions, bounded = true): CostEstimate {
  const estimate = estimateLoopAt(loop, module, estimator, options, bounded);
  // a count the code does not spell, known from what the items are: say where it comes from
  const records = estimate.itemsAtMost && estimate.verdict === 'not-worth-it' ? notificationRecords(loop) : undefined;
  if (records && estimate.itemsFrom === records.from) estimate.summary = `${estimate.summary}: ${records.from}`;
  return estimate;
}

function estimateLoopAt(loop: LoopFacts, module: ModuleInfo, estimator: WorkEstimator, options: CostOptions, bounded = true): CostEstimate {
  const pattern = patternOf(loop);
  const enclosing = enclosingChain(loop.node).filter((f) => f.id !== loop.node.id);
  const item = targetValues(loop.target, loop.iterable, module);
  const length = loop.targetNames.length === 1 && loop.target?.type === 'identifier' ? itemLength(loop.iterable, module) : undefined;
  if (length !== undefined) item.set(`#len:${loop.targetNames[0]}`, length);
  // what the parent pickles per item for a process pool, when the code shows it (a chunk of bytes, a text)
  const transfer = pattern === 'process' && length !== undefined ? length : 0;
  const items = loop.kind === 'map-call' ? new Set<string>() : derivedNames(perItemNodes(loop), loop.targetNames);
  let work = estimator.withItems(items, () => estimator.withValues(item, () => (loop.kind === 'map-call' && loop.mapCallable ? estimator.ofCallable(loop.mapCallable, enclosing) : estimator.of(perItemNodes(loop), enclosing))));
  work = add(work, cpu(C.pyLoopTrip));
  const counted = loop.knownIterations !== undefined ? { n: loop.knownIterations, from: 'the literal iterable' } : sizeOf(loop.iterable, module, 0, NO_ENV, true);
  // filtered before the map, the items are at most this many: enough to refuse a pool, not to promise one; so is an
  // entry of a table (`STATE_CODES[metro]`), at most its largest
  const exact = loop.prefilters || counted?.atMost ? undefined : counted;
  // a list built by hand holds at most its literal and its appends: also a bound, to refuse with only; so does a
  // counted iterable the loop filters (`for col in ["open", "close"]: if col in df: …`)
  const bound = bounded && !exact ? (counted ?? (loop.iterable?.type === 'identifier' ? listBound(loop.iterable, module) : notificationRecords(loop)) ?? guardBound(loop.node, loop.iterable, module)) : undefined;
  // a bound that would promise a pool is not used: the estimate is the one for an unknown count
  const sizeText = (n: number) => `${bound ? 'up to ' : ''}${exactCount(n)}`;
  // except that a few items whose work is only bounded below stay counted: too few to notice (`trivial`)
  // — and so do a few items whose wait is only the model's usual figure for a request or a command (the loop rules
  // turn both away as too few to notice)
  const fewAtBound = (e: CostEstimate) => !!bound && bound.n < options.minIterations && !e.work.heavy && !e.work.recursive && !e.work.tree && (!!e.work.open || guessedWait(e.work));
  const refuseOnly = (e: CostEstimate) => (bound && e.verdict === 'pays' && !fewAtBound(e) ? estimateLoop(loop, module, estimator, options, false) : e);
  const size = exact ?? bound;
  const startupOn = (c: number) => startupOf(pattern, module, c);
  const startup = startupOn(options.targetCores);
  const perItem = pattern === 'process' ? C.processPerItem : pattern === 'thread' ? C.threadPerTask : C.asyncioPerTask;
  const cores = options.targetCores;
  const estimate: CostEstimate = { pattern, work, cores, startup, perItem, verdict: 'depends', summary: '', localCores: options.localCores };
  if (size) {
    estimate.items = size.n;
    estimate.itemsFrom = size.from;
    if (bound) estimate.itemsAtMost = true;
  }
  estimate.repeated = pattern === 'asyncio' ? undefined : repeatedAround(loop.node, module, pattern);
  if (pattern === 'process') estimate.reimport = reimportWork(module, estimator, loop.node);
  const m = options.minSpeedup;
  const perItemText = `${work.open ? '≥ ' : '≈ '}${formatSeconds(work.cpu + work.io)} per item`;
  // threads waiting on the network or a pause overlap however many cores there are: their number bounds the speed-up
  const waitsOverlap = pattern === 'thread' && (work.latency === 'network' || work.latency === 'sleep') && work.io > work.cpu;
  const where = (s: number) => (waitsOverlap ? `${formatSpeedup(s)} with up to ${threadsFor(work.latency, size?.n ?? 1e9, cores)} threads waiting at once` : `${formatSpeedup(s)} on ${cores} cores`);
  const local = (compute: (c: number) => number) => {
    if (!options.localCores || options.localCores === cores) return '';
    const s = compute(options.localCores);
    estimate.localSpeedup = s;
    return `; ${formatSpeedup(s)} on this machine's ${options.localCores}`;
  };
  const overheadText = pattern === 'process' ? `start-up ≈ ${formatSeconds(startup)}` : pattern === 'thread' ? `≈ ${formatSeconds(perItem)} per task` : `≈ ${formatSeconds(perItem)} per task`;

  if (m <= 0) {
    // no speedup asked for: every rewrite pays (the decisions are switched off)
    estimate.verdict = 'pays';
  }
  const fileRunner = pattern === 'asyncio' && m > 0 ? localFileRunner(loop.node, module) : null;
  if (fileRunner) {
    // every wait is local file work (aiofiles and `asyncio.to_thread` run it in the event loop's threads, where such waits do not
    // overlap: threadsFor) and the rest is Python the event loop runs itself: gathered, nothing overlaps, at any
    // count and whatever the part the code does not count
    estimate.verdict = 'not-worth-it';
    estimate.breakEvenItems = Infinity;
    estimate.summary = `not worth gathering at any size: ${perItemText}${work.open ? ` (not counted: ${work.open.what}, line ${work.open.line})` : ''}, and its waits are local file work, which ${fileRunner} runs in the event loop's threads one call at a time (as a thread pool does: measured slower than the plain loop), plus ≈ ${formatSeconds(perItem)} per task`;
    return estimate;
  }
  if (size && !work.open) {
    const s = speedupAt(pattern, work, size.n, cores, startup, transfer);
    const saves = savedAt(pattern, work, size.n, cores, startup, transfer);
    if (s >= m && m > 0 && saves < MIN_SAVED) {
      // faster by a ratio, but by an amount nobody running the program would notice
      estimate.speedup = s;
      estimate.verdict = 'not-worth-it';
      estimate.summary = `not worth a pool: ${perItemText} × ${sizeText(size.n)} item${size.n === 1 ? '' : 's'} = ${formatSeconds(size.n * (work.cpu + work.io))} in all; a pool would save ≈ ${formatSeconds(Math.max(saves, 0))}, too little to notice`;
      return refuseOnly(estimate);
    }
    estimate.speedup = s;
    estimate.verdict = s >= m ? 'pays' : 'not-worth-it';
    estimate.dualCore = speedupAt(pattern, work, size.n, DUAL_CORE, startupOn(DUAL_CORE), transfer);
    estimate.summary =
      s >= m
        ? `${perItemText} × ${sizeText(size.n)} items → about ${where(s)} (${overheadText})${local((c) => speedupAt(pattern, work, size.n, c, startupOn(c), transfer))}`
        : `not worth a pool: ${perItemText} × ${sizeText(size.n)} item${size.n === 1 ? '' : 's'} = ${formatSeconds(size.n * (work.cpu + work.io))} in all, against ${overheadText}${pattern === 'process' ? ` and ≈ ${formatSeconds(perItem)} per item` : ''} (${formatSpeedup(s)} on ${cores} cores)${estimate.repeated ? `, and the pool would start again on ${estimate.repeated.what}` : ''}`;
    return refuseOnly(estimate);
  }
  if (size) {
    // the work per item is a lower bound: at this count, how much must an item cost?
    const lower = speedupAt(pattern, work, size.n, cores, startup, transfer);
    const need = breakEvenWork(pattern, work, size.n, cores, startup, m, transfer);
    estimate.breakEvenWork = need;
    if (!Number.isFinite(need)) {
      estimate.verdict = 'not-worth-it';
      // say what caps it: local file work that threads do not overlap, the items themselves, or the cores
      estimate.summary =
        pattern !== 'process' && work.latency === 'file'
          ? `not worth a pool: its waits are local file work, which threads run one call at a time (measured slower than the plain loop), so ${sizeText(size.n)} item${size.n === 1 ? '' : 's'} cannot reach ${formatSpeedup(m)} however long each takes`
          : `not worth a pool: ${sizeText(size.n)} item${size.n === 1 ? '' : 's'} cannot reach ${formatSpeedup(m)} on ${cores} cores, however long each takes`;
    } else if (work.upper && speedupAt(pattern, closed(work.upper, work), size.n, cores, startup, transfer) < m) {
      // even if every early exit is missed and every counter runs to its end, it would not pay
      const most = closed(work.upper, work);
      const s = speedupAt(pattern, most, size.n, cores, startup, transfer);
      estimate.verdict = 'not-worth-it';
      estimate.speedupMax = s;
      estimate.summary = `not worth a pool: at most ≈ ${formatSeconds(most.cpu + most.io)} per item × ${sizeText(size.n)} item${size.n === 1 ? '' : 's'}, against ${overheadText} (at most ${formatSpeedup(s)} on ${cores} cores)`;
    } else if (lower >= m) {
      estimate.verdict = 'pays';
      estimate.speedup = lower;
      estimate.dualCore = speedupAt(pattern, work, size.n, DUAL_CORE, startupOn(DUAL_CORE), transfer);
      // at the most the items allow (a worker each), more work per item cannot raise it: not "at least"
      const capped = lower >= 0.95 * (pattern === 'process' ? Math.min(cores, size.n) : size.n);
      estimate.summary = `${perItemText} × ${sizeText(size.n)} items → ${capped ? `about ${where(lower)}, the most ${sizeText(size.n)} items allow` : `at least ${where(lower)}`} (${overheadText})${local((c) => speedupAt(pattern, work, size.n, c, startupOn(c), transfer))}`;
    } else if (work.common && !work.upper && !work.heavy && m > 0 && speedupAt(pattern, closed(work.common, work), size.n, cores, startup, transfer) < m) {
      // what is not counted is how often inner loops run: at a common size (MANY_ITEMS trips each, as for an
      // unknown number of items) the work the code shows would not pay for the pool
      const most = closed(work.common, work);
      estimate.verdict = 'not-worth-it';
      estimate.unshown = true;
      estimate.summary = `not shown to pay: ${sizeText(size.n)} items must each take more than ≈ ${formatSeconds(need)}, and the work the code shows is ≈ ${formatSeconds(most.cpu + most.io)} per item even at a common size (every loop over a collection the code does not size run ${formatCount(MANY_ITEMS)} times, every loop dividing a number down run once per bit) (${work.open!.what}, line ${work.open!.line})`;
    } else if (pattern === 'process' && work.open!.numeric && !estimate.reimport && !work.upper && !work.heavy && !work.surely && !work.tree && !work.recursive && m > 0 && size.n >= options.minIterations && work.cpu + work.io < need / SHOWN_SHARE) {
      // a process pool whose payoff rests only on how often a loop runs that a number sets — a `while` until a
      // condition, a `range` up to a value computed from the item — is a guess at a known count too: the work the
      // code shows is a small part of what each item needs, and most such loops are cheap (round 33: of 18 CPU
      // findings over puzzle solutions whose items' work was not shown, 15 took 0.004–1.4 s in all). Where the items'
      // values are shown (`range(2, limit)` over limits the code spells out) the loop is counted instead
      estimate.verdict = 'not-worth-it';
      estimate.unshown = true;
      estimate.summary = `not shown to pay: ${sizeText(size.n)} items must each take more than ≈ ${formatSeconds(need)} to pay for the pool (${overheadText}), and the work the code shows is ≈ ${formatSeconds(work.cpu + work.io)} per item; what it does not count (${work.open!.what}, line ${work.open!.line}) is neither work heavy by nature nor a recursion`;
    } else if (work.upper) {
      // bounded on both sides: the honest figure is the range
      const most = closed(work.upper, work);
      const high = speedupAt(pattern, most, size.n, cores, startup, transfer);
      estimate.speedupMax = high;
      const localMost = options.localCores && options.localCores !== cores ? speedupAt(pattern, most, size.n, options.localCores, startupOn(options.localCores), transfer) : undefined;
      if (localMost !== undefined) estimate.localSpeedupMax = localMost;
      estimate.summary = `between ≈ ${formatSeconds(work.cpu + work.io)} and ${formatSeconds(most.cpu + most.io)} per item × ${sizeText(size.n)} items → between ${formatSpeedup(lower)} and ${where(high)} (${overheadText}); ${work.open!.what} (line ${work.open!.line})${localMost !== undefined ? `; at most ${formatSpeedup(localMost)} on this machine's ${options.localCores}` : ''}`;
    } else if (pattern === 'process' && estimate.reimport && !work.heavy && m > 0) {
      // neither the work of an item nor the start-up of a worker is sized: nothing shows the pool paying
      estimate.verdict = 'not-worth-it';
      estimate.unshown = true;
      estimate.summary = `not shown to pay: ${sizeText(size.n)} items must each take more than ≈ ${formatSeconds(need)} (${work.open!.what}, line ${work.open!.line}), and every worker process first runs this module's top-level code again (\`${estimate.reimport.what}\`, line ${estimate.reimport.line}), whose cost the code does not show`;
    } else if (pattern === 'process' && !work.heavy && !work.recursive && !work.tree && !work.common && m > 0 && need >= FEW_ITEMS_NEED && work.cpu + work.io < need / 3 && size.n >= Math.max(options.minIterations, FEW_ITEMS_FLOOR)) {
      // few items, each needing milliseconds: what is not counted is how often a loop runs (over data whose size
      // the code does not show, or a `while` until a condition), not work heavy by nature or a recursion; loops
      // like that over the data application code hands them run microseconds to a millisecond
      estimate.verdict = 'not-worth-it';
      estimate.unshown = true;
      estimate.fewItems = true;
      estimate.summary = `not shown to pay: ${sizeText(size.n)} item${size.n === 1 ? '' : 's'} must each take more than ≈ ${formatSeconds(need)} to pay for the pool (${overheadText}), and the work the code shows is ≈ ${formatSeconds(work.cpu + work.io)} per item; what it does not count (${work.open!.what}, line ${work.open!.line}) is neither a call heavy by nature nor a recursion that branches`;
    } else if (!work.heavy && !work.recursive && !work.tree && !work.common && m > 0 && pattern !== 'asyncio' && work.open!.unseen && size.n >= options.minIterations && work.cpu + work.io < need / SHOWN_SHARE) {
      // a known count whose payoff rests only on a call the code does not show (a getter, a library call that is
      // not heavy by nature): the work the code shows is a small part of what each item needs — as with an
      // unknown count, a guess, and most such loops are cheap (an uncounted loop of the code is another matter)
      estimate.verdict = 'not-worth-it';
      estimate.unshown = true;
      estimate.summary = `not shown to pay: ${sizeText(size.n)} items must each take more than ≈ ${formatSeconds(need)} (${overheadText}), and the work the code shows is ≈ ${formatSeconds(work.cpu + work.io)} per item; what it does not count (${work.open!.what}, line ${work.open!.line}) is not work heavy by nature`;
    } else {
      estimate.summary = `${sizeText(size.n)} items: pays off if each takes more than ≈ ${formatSeconds(need)} (${overheadText}); ${work.open!.what} (line ${work.open!.line})`;
    }
    return refuseOnly(estimate);
  }
  if (counted && !work.open && loop.prefilters && speedupAt(pattern, work, counted.n, cores, startup) < m) {
    estimate.verdict = 'not-worth-it';
    estimate.summary = `not worth a pool: ${perItemText} × at most ${exactCount(counted.n)} items (the ones the filter keeps), against ${overheadText} (under ${formatSpeedup(m)} on ${cores} cores)`;
    return estimate;
  }
  if (!work.open) {
    const n = breakEvenItems(pattern, work, cores, startup, m, transfer);
    estimate.breakEvenItems = n;
    const best = speedupAt(pattern, work, 1e9, cores, startup, transfer);
    if (!Number.isFinite(n)) {
      estimate.verdict = 'not-worth-it';
      estimate.summary =
        pattern === 'thread' && work.latency === 'file'
          ? `not worth a pool at any size: ${perItemText} of local file work, which threads run one call at a time (measured slower than the plain loop), plus ≈ ${formatSeconds(perItem)} of overhead per item (at most ${formatSpeedup(best)} on ${cores} cores)`
          : `not worth a pool at any size: ${perItemText}, against ≈ ${formatSeconds(perItem)} of overhead per item (at most ${formatSpeedup(best)} on ${cores} cores)`;
    } else if (n > (pattern === 'process' ? FEW_ITEMS_FOR_PROCESSES : MANY_ITEMS)) {
      // items this cheap want batching or vectorising, not a pool: reported, the finding would almost never hold
      estimate.verdict = 'not-worth-it';
      estimate.summary = `not worth a pool: ${perItemText}, so a pool pays off only above ≈ ${formatCount(n)} items (${overheadText}); the number of items is not known here`;
    } else {
      estimate.summary = `${perItemText}: pays off above ≈ ${formatCount(n)} items (${overheadText}), up to ${where(best)}; the number of items is not known here`;
    }
    return estimate;
  }
  if (pattern === 'process' && !work.beyondItem && m > 0) {
    // all the open work is passes over each item's own data: the whole input is processed a bounded number of
    // times, at least `work` per element; a pool pays back its start-up only above this many elements in all
    const elements = m >= cores ? Infinity : (startup * m) / ((work.cpu + work.io) * (1 - m / cores));
    if (elements > MANY_ELEMENTS) {
      estimate.verdict = 'not-worth-it';
      estimate.breakEvenItems = elements;
      estimate.summary = `not worth a pool: each item is one pass over its own part of the data (${work.open.what}, line ${work.open.line}) at about ${formatSeconds(work.cpu + work.io)} per element, so the work only grows with the size of the input, and a pool pays back its ${overheadText} only above ≈ ${formatCount(elements)} elements in all; the size of the input is not known here`;
      return estimate;
    }
  }
  if (m > 0 && pattern !== 'asyncio') {
    // neither the count nor the whole cost of an item is shown: the finding needs the work the code does show to
    // pay for the pool at a count that is common, as a loop with a counted cost does (MANY_ITEMS); a pool whose
    // payoff rests only on what could not be counted is a guess, and most such loops are cheap
    const shown = breakEvenItems(pattern, { ...work, open: null }, cores, startup, m, transfer);
    // a whole directory tree walked per item is no evidence of work either: it is file work, system calls a pool
    // does not speed up (rounds 25–26 measured such pools at 3.5× and 70× slower than the plain loop)
    // for a process pool, only work heavy whatever its input's size (Work.surely) stands in for a count not shown
    if (shown > (pattern === 'process' ? FEW_ITEMS_FOR_PROCESSES : MANY_ITEMS) && !(pattern === 'process' ? work.surely : work.heavy)) {
      estimate.verdict = 'not-worth-it';
      estimate.unshown = true;
      if (shown <= MANY_ITEMS) estimate.fewItems = true;
      estimate.breakEvenItems = shown;
      // what the code shows could not pay at any count: the finding would rest only on what is not counted
      const never = pattern === 'thread' && work.latency === 'file' ? 'the work the code shows would not pay for a pool at any count (local file work runs one call at a time in a thread pool: measured slower than the plain loop), so a pool would rest only on what is not counted' : 'the work the code shows would not pay for a pool at any count (its overhead per item is more than running that much work at once saves), so a pool would rest only on what is not counted';
      estimate.summary = `not shown to pay: the work the code shows is ${perItemText} (not counted: ${work.open.what}, line ${work.open.line}), and the number of items is not known; ${Number.isFinite(shown) ? `at that cost a pool pays off only above ≈ ${formatCount(shown)} items` : never} (${overheadText})`;
      return estimate;
    }
  }
  if (pattern === 'process' && estimate.reimport && !work.heavy && m > 0) {
    // the per-worker start-up has a part the code does not size, and so does the work it is to pay for
    estimate.verdict = 'not-worth-it';
    estimate.unshown = true;
    estimate.summary = `not shown to pay: every worker process first runs this module's top-level code again (\`${estimate.reimport.what}\`, line ${estimate.reimport.line}), whose cost the code does not show, and the work per item is not counted either (${work.open.what}, line ${work.open.line})`;
    return estimate;
  }
  estimate.summary = `${perItemText} (not counted: ${work.open.what}, line ${work.open.line}); the number of items is not known here: pays off when items × time per item is well above ${overheadText.replace(/^start-up ≈ /, 'the start-up of ')}`;
  return estimate;
}

const AWAIT_TYPES = new Set(['await']);

/**
 * What runs every `await` of a loop (outside nested functions) as local file work in the event loop's threads, or
 * null when not all are: a call of an `aiofiles` function (`open`, `os.remove`, `os.path.exists`, `os.listdir`…), or a method of a
 * file it opened (`async with aiofiles.open(…) as f` / `f = await aiofiles.open(…)`, then `await f.read()`), or a
 * local file call handed to `asyncio.to_thread` (`shutil.rmtree`, `os.remove`); and no
 * `async for`, no `async with` but such opens. (The cost of other awaits is not always seen: an aiohttp response's
 * `.read()` looks like a file's, so a method counts only on a name every binding of which is an aiofiles open.)
 */
function localFileRunner(loop: SyntaxNode, module: ModuleInfo): 'aiofiles' | '`asyncio.to_thread`' | null {
  // the `await` expressions (their keyword is a token of the same type)
  const awaits = descendantsOfTypes(loop, AWAIT_TYPES, true).filter((a) => a.namedChildren.length > 0);
  if (awaits.length === 0) return null;
  const fn = enclosingFunction(loop);
  const opens = (value: SyntaxNode | null | undefined): boolean => {
    const call = value?.type === 'await' ? value.namedChildren[0] : value;
    const f = call?.type === 'call' ? call.childForFieldName('function') : null;
    return !!f && importedName(f.text, module) === 'aiofiles.open';
  };
  // `async with` only around aiofiles opens: its enter and exit are the open and the close, in the same threads
  for (const token of tokensSpelled(loop, 'async')) {
    const statement = token.parent;
    if (statement?.type !== 'with_statement') return null;
    const items = descendantsOfTypes(statement.namedChildren.find((c) => c.type === 'with_clause') ?? statement, new Set(['with_item']), true);
    if (items.length === 0 || !items.every((item) => {
      const value = item.childForFieldName('value');
      return opens(value?.type === 'as_pattern' ? value.namedChildren[0] : value);
    })) return null;
  }
  const fileHandle = (name: string): boolean => {
    if (!fn || scopeOf(fn).params.has(name)) return false;
    const values = valuesBound(fn, name);
    return values.length > 0 && values.every(opens);
  };
  let threads = false;
  const local = awaits.every((a) => {
    const call = a.namedChildren[0];
    const f = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (!f) return false;
    const name = importedName(f.text, module);
    if (name?.startsWith('aiofiles.')) return true;
    // `await asyncio.to_thread(shutil.rmtree, folder)`: a local file call in the default executor's threads
    if (name === 'asyncio.to_thread') {
      const first = namedChildren(call!.childForFieldName('arguments')!).find((c) => c.type !== 'comment');
      const handed = first && (first.type === 'identifier' || first.type === 'attribute') ? importedName(first.text, module) : null;
      threads = true;
      return !!handed && lookupCall(handed)?.waits === 'file';
    }
    const receiver = f.type === 'attribute' ? f.childForFieldName('object') : null;
    return receiver?.type === 'identifier' && fileHandle(receiver.text);
  });
  return !local ? null : threads ? '`asyncio.to_thread`' : 'aiofiles';
}

const TREE_WALKS = /^(os\.walk|os\.fwalk)$/;
const FOR_TYPES = new Set(['for_statement']);
const CALL_TYPES = new Set(['call']);
const LISTINGS = /^(os\.scandir|os\.listdir)$/;

/** `os.walk(top)`, `Path(top).rglob(…)`, `path.walk()`, `glob.glob(…, recursive=True)`: every entry of a directory tree. */
function walksTree(iterable: SyntaxNode | null, module: ModuleInfo): boolean {
  if (iterable?.type !== 'call') return false;
  const fn = iterable.childForFieldName('function');
  if (!fn) return false;
  const name = importedName(fn.text, module);
  if (name && TREE_WALKS.test(name)) return true;
  if (name && /^glob\.i?glob$/.test(name)) return /recursive\s*=\s*True/.test(iterable.childForFieldName('arguments')?.text ?? '');
  return fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'rglob';
}

/**
 * Whether every call `fn` makes of itself returns at once with its own parameters in another order (`return
 * lev(s2, s1)` under `if len(s1) < len(s2):`): a single re-entry that puts the arguments in order, after which the
 * body runs without calling itself.
 */
function swapsArguments(fn: SyntaxNode, name: string): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const params = parameterNames(fn).filter((p) => p !== 'self' && p !== 'cls');
  const calls = descendantsOfTypes(body, CALL_TYPES, true).filter((c) => c.childForFieldName('function')?.text === name);
  return calls.length > 0 && calls.every((c) => {
    if (c.parent?.type !== 'return_statement') return false;
    const args = namedChildren(c.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    const names = args.map((a) => (a.type === 'identifier' ? a.text : ''));
    return args.length === params.length && new Set(names).size === names.length && names.every((n) => params.includes(n)) && names.some((n, i) => n !== params[i]);
  });
}

/**
 * The calls a recursion dividing its number makes for one call from outside: a number's digit groups, each
 * named or split once more (`words(n // 1000)`, `words(n % 1000)`, `words(n // 100)`, `words(n % 100)`, the tens).
 */
const DIVIDED_RECURSION_CALLS = 8;

/**
 * A recursion in which every self-call passes, for one parameter `p`, its quotient, remainder or shift by a value
 * (`p // k`, `p % k`, `p >> k`, `p - p % k`) and for the others anything: the number shrinks by a factor with each
 * call, so the calls are as many as its digits (a number spelled in words, a fast power), not a search whose
 * calls multiply (round 41: 1,000 number names, 0.5 ms in all, were reported as a recursion of unknown depth).
 */
function dividesItsNumber(fn: SyntaxNode, name: string): boolean {
  const body = fn.childForFieldName('body');
  if (!body || isMemoised(fn)) return false;
  const calls = descendantsOfTypes(body, CALL_TYPES, true).filter((c) => c.childForFieldName('function')?.text === name);
  if (calls.length === 0 || calls.length > 8) return false;
  const params = parameterNames(fn);
  return params.some((p, i) => calls.every((c) => {
    const arg = namedChildren(c.childForFieldName('arguments')!).filter((a) => a.type !== 'comment')[i];
    return !!arg && arg.type !== 'keyword_argument' && divides(arg, p);
  }));
}

/** `p // k`, `p % k`, `p >> k` (k not a literal 0 or 1), or `p - p % k`. */
function divides(arg: SyntaxNode, p: string): boolean {
  const e = arg.type === 'parenthesized_expression' ? arg.namedChildren[0] : arg;
  if (e?.type !== 'binary_operator') return false;
  const op = e.childForFieldName('operator')?.text;
  const left = e.childForFieldName('left');
  const right = e.childForFieldName('right');
  if (!left || !right) return false;
  if (op === '-') return left.type === 'identifier' && left.text === p && divides(right, p) && right.childForFieldName('operator')?.text === '%';
  return (op === '//' || op === '%' || op === '>>') && left.type === 'identifier' && left.text === p && !/^[01]$/.test(right.text);
}

/**
 * A recursion whose calls branch: the function calls itself twice or more, or inside a loop (`fib(n - 1) +
 * fib(n - 2)`, a search over choices), and is not memoised: its work can grow far beyond its input. A single
 * self-call on a smaller part (`s[0] + join(s[1:])`) is one pass over the data.
 */
function branchingRecursion(fn: SyntaxNode, name: string): boolean {
  if (isMemoised(fn)) return false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  // (a self-call on each element of its input, in one branch or several, is a walk of a nested structure: one pass)
  const calls = descendantsOfTypes(body, CALL_TYPES, true).filter((c) => c.childForFieldName('function')?.text === name && !visitsElement(c, body));
  return calls.length >= 2 || calls.some((c) => repeatedIn(c, body));
}

/**
 * A self-call in a `for` loop (or a comprehension) given the loop's own element (`for child in node["children"]:
 * walk(child)`, `for k, v in data.items(): mask(v)`, `[walk(x) for x in obj]`): a walk of a nested structure, which visits each part of its input
 * once — one pass over the data, not a search whose calls multiply.
 */
function visitsElement(call: SyntaxNode, body: SyntaxNode): boolean {
  let loop: SyntaxNode | null = null;
  for (let p = call.parent; p && p.id !== body.id; p = p.parent) {
    if (REPEATING_TYPES.has(p.type)) {
      loop = p;
      break;
    }
  }
  // `{k: walk(v) for k, v in obj.items()}`, `[walk(x) for x in obj]`: the same, one comprehension clause deep
  const clauses = loop && COMPREHENSIONS.has(loop.type) ? namedChildren(loop).filter((c) => c.type === 'for_in_clause') : [];
  if (loop?.type !== 'for_statement' && clauses.length !== 1) return false;
  const elements = new Set(loop!.type === 'for_statement' ? namesBoundBy(loop!) : descendantsNamed(clauses[0].childForFieldName('left')!, 'identifier').map((i) => i.text));
  const first = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
  return first?.type === 'identifier' && elements.has(first.text);
}

/** A function whose body calls itself inside a loop over a directory listing (`for e in os.scandir(d): … f(e.path)`). */
function recursesOverListing(fn: SyntaxNode, name: string, module: ModuleInfo): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  return descendantsOfTypes(body, FOR_TYPES).some((loop) => {
    const iterable = loop.childForFieldName('right');
    const f = iterable?.type === 'call' ? iterable.childForFieldName('function') : null;
    const listed = !!f && ((LISTINGS.test(importedName(f.text, module) ?? '') ) || (f.type === 'attribute' && f.childForFieldName('attribute')?.text === 'iterdir'));
    return listed && descendantsOfTypes(loop, CALL_TYPES).some((c) => c.childForFieldName('function')?.text === name);
  });
}

/** `await c` where `c` is the item of a loop over coroutine objects (see awaitedItems.ts). */
function awaitsCoroutineItem(n: SyntaxNode, module: ModuleInfo): boolean {
  const operand = n.namedChildren[0];
  if (operand?.type !== 'identifier') return false;
  for (let p = n.parent; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
    if (p.type !== 'for_statement' || p.childForFieldName('left')?.text !== operand.text) continue;
    const iterable = p.childForFieldName('right');
    return !!iterable && awaitedItems(iterable, enclosingFunction(p), module) === 'coroutines';
  }
  return false;
}

const reimportCache = new WeakMap<SyntaxNode, Array<{ statement: SyntaxNode; line: number; what: string }>>();

/** Statements a module runs at import that make no work: imports, definitions, comments. */
const DEFINING = new Set(['import_statement', 'import_from_statement', 'future_import_statement', 'function_definition', 'class_definition', 'decorated_definition', 'comment', 'pass_statement']);

/**
 * The module-level statements a spawned worker runs again when it imports the module, as a process-pool fix
 * leaves them: assignments and compound statements outside the `__main__` guard. A bare call or a docstring is
 * left out: the fix moves module-level actions under the guard it adds.
 */
export function importTimeStatements(root: SyntaxNode): SyntaxNode[] {
  return namedChildren(root).filter((statement) => {
    if (DEFINING.has(statement.type) || isMainGuard(statement)) return false;
    const inner = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    return statement.type !== 'expression_statement' || inner?.type === 'assignment' || inner?.type === 'augmented_assignment';
  });
}

/**
 * The first top-level statement of the module (among importTimeStatements, not the loop's own) that waits for
 * files, the network or a program for a time the code does not show, or computes for more than 10 ms: a spawned
 * worker runs it again on import.
 */
function reimportWork(module: ModuleInfo, estimator: WorkEstimator, loop: SyntaxNode): { line: number; what: string } | undefined {
  let found = reimportCache.get(module.root);
  if (found === undefined) {
    found = [];
    for (const statement of importTimeStatements(module.root)) {
      const work = estimator.of([statement], []);
      const waits = work.io > 0 || (work.latency !== undefined && work.latency !== 'other');
      if ((work.open && waits) || work.cpu + work.io > 0.01) found.push({ statement, line: lineOf(statement), what: statement.text.split('\n')[0].trim().slice(0, 50) });
    }
    reimportCache.set(module.root, found);
  }
  // the loop's own statement is the work, not the import's: a module-level loop goes under the `__main__` guard
  const first = found.find((f) => f.statement.id !== loop.id && !isAncestorOf(f.statement, loop));
  return first ? { line: first.line, what: first.what } : undefined;
}
