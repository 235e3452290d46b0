// What a piece of code does besides computing values: the calls it makes (and what they cost), the state
// it mutates, the output it produces in order. Used for loop bodies and, memoised, for same-file functions.
import type { SyntaxNode } from '../parser';
import { ancestor, children, descendantsNamed, dottedName, enclosingFunction, flattenTargets, isAncestorOf, lineOf, namedChildren, REPEATING_TYPES, returnedValues, SCOPE_TYPES, textIncludes, tokensSpelled, walk } from '../syntax';
import {
  BUILTIN_EXCEPTIONS,
  BUILTIN_NAMES,
  HTTP_METHODS,
  IO_METHODS,
  isStdlibModule,
  lookupCall,
  METHOD_WAITS,
  MUTATING_METHODS,
  ORDERED_METHODS,
  BODY_STREAM_METHODS,
  PROCESS_WAIT_METHODS,
  READ_ONLY_METHODS,
  RECEIVER_ONLY_METHODS,
  RESPONSE_METHODS,
  STATEFUL_METHODS,
  type CallKnowledge,
  type WaitKind,
  LLM_MODULE_REQUESTS,
  API_CLIENTS,
  SERIAL_SERVICES,
  type SerialService,
} from './knowledge';
import { readsIn } from './dependence';
import { hiddenStateCall, hiddenStateObject, sqliteWrite } from './globalState';
import { AWS_READ_METHOD, awsService, clientCall, clientOrigin, DB_STATEMENT_METHODS, GOOGLE_READS, MARKET_WRITES, READ_ONLY_HTTP, SOCKET_WAIT_METHODS, socketsPossible } from './httpClients';
import { figureRender, imageWork } from './images';
import { modelFit, trainedAtConstruction } from './modelFits';
import { declaredDefault, importBindings, importedName, type ModuleInfo, namesBoundBy, parameterNames, scopeOf, topLevelConstants, valuesBound, withItemPattern } from './scope';
import { buildsText, immutableCall, immutableValue, PATH_CLASSES, setAlgebra } from './textValues';
import { classDefining, constructorCall, decoratorsOf, isLiteralConstant, keptArguments, type MethodTarget, methodArgumentFor, overridingMethods, sameFileMethod } from './methods';
import type { ImportedSymbol } from './moduleSummary';

/** Calls that ask the user for input at the terminal. */
const PROMPTS = new Set(['input', 'getpass.getpass']);

export interface Evidence {
  kind: 'cpu' | 'io';
  /** What made it so, as the user wrote it: `hashlib.pbkdf2_hmac`, `collatz_len`, `nested loop`. */
  what: string;
  line: number;
  /** For evidence found inside a same-file function: the chain that leads there. */
  via?: string;
  /** For a function of another workspace module: where it is defined (`pkg/features.py:12`). */
  defined?: string;
  /** For I/O: what it waits for, when known. */
  waits?: WaitKind;
  /** For CPU work: C code that lets other threads run while it computes (hashing, compression). */
  releasesGil?: boolean;
  /**
   * For I/O: a `time.sleep` of a constant number of seconds (or a function whose only wait is one), which spaces
   * calls in time rather than standing for a variable wait.
   */
  pause?: boolean;
  /** For a pause: its length, when the constant's value is known. */
  seconds?: number;
  /** For an AWS API call that changes a resource of the control plane (not S3's data): it starts a job and returns. */
  startsJob?: boolean;
  /** For a request to a service that answers one at a time: its key in SERIAL_SERVICES (`via`: the URL). */
  service?: string;
  /**
   * In a function's summary: the parameter whose truth the work needs (under `if resolve_host:`, a parameter the
   * function never rebinds). A call passing a false constant, or leaving a false default, never does it.
   */
  guard?: string;
}

/**
 * A constant pause next to a call to a remote service or another program in the same code: it keeps the calls
 * apart in time (a rate limit), which running the iterations at once would undo.
 */
export interface Pace {
  /** The pause: `time.sleep(0.5)`, or the function it sits in. */
  pause: Evidence;
  /** The call it paces: `requests.get`, or the function that makes it. */
  paced: Evidence;
}

export type ProblemKind = 'ordered-effect' | 'shared-state' | 'unknown';

export interface Problem {
  kind: ProblemKind;
  message: string;
  line: number;
  name?: string;
  /** What to do about it, when the kind's usual remedy does not fit. */
  remedy?: string;
  /** What holds instead where the workers are threads, which share the objects (a doubt, not a rejection). */
  inThreads?: string;
  /**
   * The parameter whose truth the problem needs: it happens only under `if verbose:` in the function (a parameter the
   * function never rebinds). A call passing a false constant, or leaving a false default, never meets it.
   */
  guard?: string;
  /** Output (a `print`, a log message) made only in an `except` handler: on the way out of a failure. */
  onError?: true;
  /**
   * In a function's summary: a doubt about an object the function is handed (a client that does not serve several
   * threads) that is a proven problem, this message, when the caller hands the same object on every call.
   */
  sharedParam?: { param: string; message: string; remedy?: string };
}

/** Functions and methods posting a message to a chat or channel (Telegram's `send_photo`/`sendMessage`, Slack's `chat_postMessage`). */
const CHAT_POST = /^(send_?(message|photo|document|video|audio|voice|animation|sticker|media_group|location|poll|file)|chat_?post_?message|post_?message)$/i;

/** An argument naming the chat or channel a message goes to. */
const CHAT_ARGUMENT = /^(chat(_?id)?|channel(_?id)?|room(_?id)?|conversation(_?id)?|peer(_?id)?|group(_?id)?|thread(_?id)?)$/i;

/**
 * The chat a call posting a message sends to, when every iteration sends to the same one: an argument (or keyword)
 * named like a chat (`chat_id`, `channel`) whose value the iteration does not make or take from its item. Null
 * otherwise (a message per user, to each item's own chat, is no order between them).
 */
function sharedChat(call: SyntaxNode, ctx: RegionContext): string | null {
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn?.type === 'identifier' ? fn.text : '';
  if (!CHAT_POST.test(name)) return null;
  for (const arg of namedChildren(call.childForFieldName('arguments')!)) {
    const keyword = arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text ?? '' : null;
    const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
    if (value?.type !== 'identifier' && value?.type !== 'attribute') continue;
    const named = keyword ?? (value.type === 'attribute' ? value.childForFieldName('attribute')!.text : value.text);
    if (!CHAT_ARGUMENT.test(named)) continue;
    const role = receiverRole(value, ctx).role;
    if (role !== 'fresh' && role !== 'item') return value.text;
  }
  return null;
}

/** Calls that print a message or log it (`print`, `logging.warning`, `self.log.error`, `traceback.print_exc`). */
const MESSAGE_CALL = /^(print|sys\.std(out|err)\.write|traceback\.print_exc|logging\.\w+|(\w+\.)*\w*(log|LOG)(ger|GER)?\.(debug|info|warning|warn|error|exception|critical|log))$/;

/** How a name used inside a region relates to the iteration (or call) being analysed. */
export type NameRole = 'fresh' | 'item' | 'param' | 'shared' | 'module';

export interface RegionEffects {
  cpu: Evidence[];
  io: Evidence[];
  problems: Problem[];
  /** Same-file functions the region calls (directly). */
  calledFunctions: SyntaxNode[];
  /** Parameters (role 'param') the region mutates. */
  mutatedParams: Set<string>;
  /** For each mutated parameter: the first change, as a message names it (`assigning \`self.seen\``). */
  paramEffects: Map<string, { what: string; line: number }>;
  /** Whether the region contains a Python-level loop doing arithmetic. */
  loopsWithArithmetic: SyntaxNode | null;
  hasArithmetic: boolean;
  awaits: SyntaxNode[];
  /** Calls of same-file generator functions whose generator leaves the region unconsumed: no work done here. */
  lazyCalls: SyntaxNode[];
  /** Those of `lazyCalls` that call a library's lazy iterator (`map`, `zip`, `itertools.product`), not a generator function. */
  lazyIterators: SyntaxNode[];
  /** Calls of functions a task framework's decorator turns into launches (`@python_app`, `@dask.delayed`): each returns a future or a lazy value at once. */
  launches: { call: SyntaxNode; decorator: Evidence }[];
  /** A rate limit in the region (made here, or inside a function it calls), or null. */
  pace: Pace | null;
  /** A call whose whole body holds a lock every call shares (`async with self._lock:`), or null. */
  serialised: Evidence | null;
  /** A request to a service that answers requests one at a time (SERIAL_SERVICES), or null. */
  singleSlot: Evidence | null;
  /** A `POST` to the URL its function is handed in a parameter, whose answer only goes back to the caller. */
  postsToParam?: PostToParam;
  /** Calls whose work grows with the input (a regex) made once on a value of unknown size: not CPU work by themselves. */
  inputSizedCpu: Evidence[];
  /**
   * The first call of a method of an object made outside the region (handed in, or shared) whose class the analysis
   * does not see (`client.chat(…)`): it may wait seconds on a service, which no evidence shows.
   */
  unseenMethod?: Evidence;
  /**
   * Pauses made directly in the region that wait for a condition (a poll, a retry's wait, a back-off in an
   * `except`): not I/O evidence, kept for the hover's reason.
   */
  conditionPauses?: Evidence[];
  /** Directories created on a path that varies only through parameters: a race unless the caller passes the item. */
  deferredRaces: DeferredRace[];
}

export interface RegionContext {
  module: ModuleInfo;
  summaries: FunctionSummaries;
  role(name: string): NameRole;
  /** Enclosing function definitions, innermost first: nested defs in them are callable by name. */
  enclosing: SyntaxNode[];
  /** In a loop body: a call made only for its effects, into code we cannot see, blocks the rewrite. */
  effectsMatter?: boolean;
  /** For a name the iteration binds to part of another object (`chunk = data[i]`, `for row in rows`): that object, as spelled. */
  origin?(name: string): string | undefined;
  /** In a function's summary: the parameter a local walks the items of (`for n in nodes`), whose role it takes. */
  paramOf?(name: string): string | undefined;
}

/**
 * Whether a function binds the global `name` only to set it up once: every binding is under `if name is None:` (or
 * `if not name:`), or follows `if name: return` at the top of its body (`global _ready; if _ready: return; _ready =
 * True; register()`). The first call sets it and later ones find it set, in whatever order the calls come; a
 * worker process sets up its own (round 44: an image reader registering a codec plug-in once was called shared state).
 */
function initialisedOnce(fn: SyntaxNode, name: string): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const unset = new RegExp(String.raw`^(not\s+${name}|${name}\s+is\s+None|${name}\s*==\s*None)$`);
  const set = new RegExp(String.raw`^(${name}|${name}\s+is\s+not\s+None)$`);
  const statements = namedChildren(body);
  // `if _ready: return` at the top level of the body: what follows runs once
  const leave = statements.find((st) => st.type === 'if_statement' && set.test(st.childForFieldName('condition')?.text ?? '') && !st.childForFieldName('alternative') && namedChildren(st.childForFieldName('consequence')!).filter((c) => c.type !== 'comment').every((c) => c.type === 'return_statement'));
  let bindings = 0;
  let guarded = true;
  walk(body, (n) => {
    if (!guarded) return false;
    if (SCOPE_TYPES.has(n.type)) return false;
    if (!namesBoundBy(n).includes(name)) return true;
    bindings++;
    if (n.type !== 'assignment' || n.childForFieldName('left')?.text !== name) guarded = false;
    else if (!(leave && leave.endIndex <= n.startIndex)) {
      let under = false;
      for (let p = n.parent; p && p.id !== body.id; p = p.parent) if (p.type === 'if_statement' && unset.test(p.childForFieldName('condition')?.text ?? '')) under = true;
      guarded = under;
    }
    return false;
  });
  return guarded && bindings > 0;
}

/** The first name a `global`/`nonlocal` statement declares that its function rebinds (assigns, deletes, loops over), or null. */
function reboundDeclared(statement: SyntaxNode): { name: string; at: SyntaxNode } | null {
  const declared = new Set(namedChildren(statement).filter((c) => c.type === 'identifier').map((c) => c.text));
  let scope: SyntaxNode | null = statement.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope || declared.size === 0) return null;
  let found: { name: string; at: SyntaxNode } | null = null;
  walk(scope, (n) => {
    if (found) return false;
    // a nested def or class binds its own name here, a comprehension its walrus targets; the rest is their own
    if (n.id !== scope!.id && SCOPE_TYPES.has(n.type)) {
      if (n.type === 'function_definition' || n.type === 'class_definition') {
        const name = n.childForFieldName('name');
        if (name && declared.has(name.text)) found = { name: name.text, at: n };
      } else if (n.type !== 'lambda') {
        for (const walrus of descendantsNamed(n, 'named_expression')) {
          const name = namesBoundBy(walrus).find((bound) => declared.has(bound));
          if (name && !found) found = { name, at: walrus };
        }
      }
      return false;
    }
    const name = namesBoundBy(n).find((bound) => declared.has(bound) && !(scope!.type === 'function_definition' && initialisedOnce(scope!, bound)));
    if (name) found = { name, at: n };
    return !found;
  });
  return found;
}

/** Methods of a `pathlib.Path` that read through a stream of their own, made by the call. */
const PATH_READS = new Set(['open', 'read_text', 'read_bytes', 'stat', 'exists', 'iterdir', 'glob', 'rglob']);

/** `p.open()` with no mode or a reading one (`"r"`, `"rb"`, `mode="rt"`); the other methods only read. */
function readOnlyOpen(call: SyntaxNode, method: string): boolean {
  if (method !== 'open') return true;
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const mode = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'mode')?.childForFieldName('value') ?? args.find((a) => a.type !== 'keyword_argument') ?? null;
  return !mode || (mode.type === 'string' && /^[rbt]+$/.test(unquoted(mode)));
}

/**
 * A module-level name bound once, at the top of the module, to a `pathlib.Path` (`Path("sites.json")`, `BASE /
 * "config.toml"` with `BASE` such a constant), and never declared `global` anywhere: a path, not an open stream.
 */
function pathConstant(name: string, module: ModuleInfo, depth = 0): boolean {
  const value = depth > 3 ? undefined : topLevelConstants(module).get(name);
  if (!value) return false;
  const isPath = (v: SyntaxNode | null): boolean => {
    if (!v) return false;
    if (v.type === 'parenthesized_expression') return isPath(v.namedChildren[0] ?? null);
    if (v.type === 'call') return PATH_CLASSES.test(importedName(v.childForFieldName('function')?.text ?? '', module) ?? '');
    // `BASE / "downloads"`: a string divides only a path (`str / str` is a TypeError), whatever `BASE` is imported as
    if (v.type === 'binary_operator' && v.childForFieldName('operator')?.text === '/') return v.childForFieldName('right')?.type === 'string' || isPath(v.childForFieldName('left'));
    return v.type === 'identifier' && v.text !== name && pathConstant(v.text, module, depth + 1);
  };
  return isPath(value);
}

/**
 * The `from m import *` a name may come from: a name no statement of the module binds, no builtin, in a module with
 * a wildcard import (the analysis does not follow those, so it cannot tell a module from a shared object). Null otherwise.
 */
export function starImportOf(name: string, module: ModuleInfo): string | null {
  if (module.bindings.has(name) || BUILTIN_NAMES.has(name)) return null;
  let star: SyntaxNode | null = null;
  walk(module.root, (n) => {
    if (star) return false;
    if (n.type === 'import_from_statement' && n.namedChildren.some((c) => c.type === 'wildcard_import')) star = n;
    return !SCOPE_TYPES.has(n.type) && !bindsNothingHere(n);
  });
  return star ? (star as SyntaxNode).text.replace(/\s+/g, ' ') : null;
}

/** Expression statements hold no import: the wildcard search skips them. */
function bindsNothingHere(n: SyntaxNode): boolean {
  return n.type === 'expression_statement';
}

/** How a message names a shared receiver: a name bound in the iteration is not shared itself, what it refers to may be. */
function sharedPhrase(name: string, ctx: RegionContext): string {
  const origin = ctx.origin?.(name);
  return origin ? `\`${name}\`, which refers into \`${origin}\` (shared by every iteration)` : `\`${name}\`, which every iteration shares`;
}

/** Calls that run a generator to its end where they stand: `list(gen())`, `sum(gen())`, `for x in gen():`. */
const CONSUMERS = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'sum', 'min', 'max', 'sorted', 'any', 'all']);

/** A string literal's text without its prefix and quotes (`rb"wb"` → `wb`). */
function unquoted(literal: SyntaxNode): string {
  return literal.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '');
}

const HTTP_WRITES = /^(requests|httpx|urllib3)\.(post|put|patch|delete|request)$/;

/** The HTTP method of a state-changing request call (`requests.post` → `POST`; `?`: not a read-only literal), or null. */
function httpVerb(name: string, call: SyntaxNode): string | null {
  const m = HTTP_WRITES.exec(name);
  if (!m) return null;
  if (m[2] !== 'request') return m[2].toUpperCase();
  const args = namedChildren(call.childForFieldName('arguments')!);
  const given = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'method')?.childForFieldName('value') ?? (args[0]?.type !== 'keyword_argument' ? args[0] : undefined);
  // a name bound once to a literal, in its function or the module (`METHOD = "GET"`)
  const method = given?.type === 'identifier' ? onlyValue(given) ?? given : given;
  const literal = method?.type === 'string' ? unquoted(method).toUpperCase() : null;
  if (literal && ['GET', 'HEAD', 'OPTIONS'].includes(literal)) return null;
  return literal ?? '?';
}

/** The one value a name is bound to, in its function if it binds it there, else in the module; null otherwise. */
function onlyValue(name: SyntaxNode): SyntaxNode | null {
  const fn = enclosingFunction(name);
  const root = ancestor(name, (a) => a.type === 'module');
  const scope = fn && scopeOf(fn).locals.has(name.text) ? fn : fn && scopeOf(fn).params.has(name.text) ? null : root;
  const values = scope ? valuesBound(scope, name.text) : [];
  return values.length === 1 ? values[0] : null;
}

/**
 * Whether an expression reads only names no iteration binds (a literal, module constants, shared names), or locals
 * bound once, in their function, to such an expression (`url = os.environ.get("WEBHOOK_URL")`).
 */
function sameForEveryItem(n: SyntaxNode, ctx: RegionContext, depth = 0): boolean {
  return !readsIn(n).some((r) => {
    if (r.type !== 'identifier') return true;
    const role = ctx.role(r.text);
    if (role === 'shared' || role === 'module') return false;
    if (role !== 'fresh' || depth > 3) return true;
    const value = assignedLocal(r.text, enclosingScope(r));
    return !value || !sameForEveryItem(value, ctx, depth + 1);
  });
}

/**
 * The method and URL of a request `urllib.request.urlopen` sends: its argument is a URL, or a
 * `urllib.request.Request(url, data, method=…)` made there or bound once to a local. A request with `data` is a
 * `POST` unless `method=` says otherwise; one without is a `GET` (verb null). `?`: a method not spelled as a literal.
 */
function urllibRequest(call: SyntaxNode, ctx: RegionContext): { verb: string | null; url: SyntaxNode } | null {
  const argsOf = (c: SyntaxNode) => namedChildren(c.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const arg = (args: SyntaxNode[], position: number, keyword: string) =>
    args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === keyword)?.childForFieldName('value') ?? args.filter((a) => a.type !== 'keyword_argument')[position];
  const opened = arg(argsOf(call), 0, 'url');
  if (!opened || opened.type.endsWith('splat')) return null;
  const made = opened.type === 'identifier' ? assignedLocal(opened.text, enclosingScope(opened)) : opened;
  const isRequest = (c: SyntaxNode | null) => {
    if (c?.type !== 'call') return false;
    const callee = resolveCall(c, ctx.module, ctx.enclosing);
    return callee.kind === 'known' && callee.name === 'urllib.request.Request';
  };
  const request = isRequest(made) ? made! : null;
  const args = request ? argsOf(request) : argsOf(call);
  if (args.some((a) => a.type.endsWith('splat'))) return null;
  const url = request ? arg(args, 0, 'url') : opened;
  if (!url) return null;
  const data = arg(args, 1, 'data');
  const method = request ? arg(args, 5, 'method') : undefined;
  if (method && method.type !== 'none') {
    const literal = method.type === 'string' ? unquoted(method).toUpperCase() : null;
    return { verb: literal && ['GET', 'HEAD', 'OPTIONS'].includes(literal) ? null : (literal ?? '?'), url };
  }
  return { verb: data && data.type !== 'none' ? 'POST' : null, url };
}

/**
 * An action a read-only request names in its URL or its query (`?action=diplomacyCreateProcessor`, `/cart/add/…`,
 * `params={"cmd": "delete"}`): many servers (games, shops, admin panels) change their state on such a `GET`.
 */
const ACTION_KEYS = 'action|act|do|cmd|command|op|operation|mode|task';
const ACTION_PARAM = new RegExp(`[?&](${ACTION_KEYS})=`, 'i');
const ACTION_KEY = new RegExp(`^(${ACTION_KEYS})$`, 'i');
const ACTION_WORD = /(^|[^a-z])(create|delete|remove|add|update|accept|buy|sell|vote|submit|register|join|transfer|send|upgrade|build|attack|withdraw|deposit|purchase|order|cancel|reset|set)(?![a-z])/i;

function namedAction(call: SyntaxNode): string | null {
  const args = call.childForFieldName('arguments');
  if (!args) return null;
  const literals: string[] = [];
  walk(args, (n) => {
    if (n.type === 'string_content' || (n.type === 'string' && n.namedChildCount === 0)) literals.push(n.text);
    return n.type !== 'lambda';
  });
  let params = namedChildren(args).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'params')?.childForFieldName('value');
  // `params = {"cmd": "edit_user", …}` just before, then `session.get(url, params=params)`
  if (params?.type === 'identifier') {
    const bound = valuesBound(enclosingFunction(call) ?? call.tree.rootNode, params.text);
    params = bound.length === 1 && bound[0]?.type === 'dictionary' ? bound[0] : params;
  }
  for (const text of literals) {
    const param = ACTION_PARAM.exec(text);
    if (param) {
      const rest = text.slice(param.index + 1).split('&')[0];
      return rest.length > 50 ? `${rest.slice(0, 47)}…` : rest;
    }
    // a path segment naming a verb (`/cart/add/`, `/api/vote`), not a host or a word inside one
    const path = /^https?:\/\/[^/]+/.test(text) ? text.replace(/^https?:\/\/[^/]+/, '') : text.startsWith('/') ? text : '';
    const segment = path.split(/[/?#]/).find((part) => ACTION_WORD.test(part) && part.length <= 40);
    if (segment) return segment;
  }
  if (params?.type === 'dictionary') {
    for (const pair of namedChildren(params)) {
      if (pair.type !== 'pair') continue;
      const key = pair.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') ?? '';
      const value = pair.childForFieldName('value');
      if (ACTION_KEY.test(key) && value?.type === 'string') return `${key}=${value.text.replace(/^['"]|['"]$/g, '').slice(0, 40)}`;
    }
  }
  return null;
}

/** An action that writes: the verbs of ACTION_WORD that change state, and those admin APIs spell (`edit_user`, `purge`). */
const WRITE_ACTION = /(^|[^a-z])(create|delete|remove|add|update|edit|rename|purge|restart|terminate|reset|set|register|transfer|cancel|accept|vote|submit|buy|sell|withdraw|deposit|purchase|upgrade)(?![a-z])/i;

function actionDoubt(what: string, action: string): string {
  return `\`${what}\` names an action (\`${action}\`): a \`GET\` the server answers by changing its state (a game, a shop, an admin page) may depend on the requests sent before, and sent at once they may be handled in another order`;
}

/** Whether `name` is bound anywhere in `body` outside nested scopes (then it no longer holds what was handed in). */
export function plainlyRebound(body: SyntaxNode, name: string): boolean {
  let bound = false;
  walk(body, (n) => {
    if (bound) return false;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (namesBoundBy(n).includes(name)) bound = true;
    return true;
  });
  return bound;
}

/** What a caller may look at in a response without reading what the server sent back. */
const STATUS_ONLY = new Set(['status_code', 'ok', 'raise_for_status', 'reason']);

/**
 * The URL of a `POST` that adds a record to one remote collection: its URL is the same for every item (a literal, or
 * names the iteration does not bind) and nothing reads the response but its status. Such a loop appends the items
 * to a sheet, a table or a channel in their order; sent at once, they arrive in another. A `POST` whose answer is
 * read is a query (a translation, a search) and is left to the general doubt; one to a URL built from the item
 * (`…/{id}`) goes to a collection of its own. Null otherwise.
 */
function appendsToOneEndpoint(verb: string, call: SyntaxNode, ctx: RegionContext, given?: SyntaxNode): string | null {
  if (verb !== 'POST') return null;
  const url = requestUrl(call, given);
  if (!url || url.type === 'list_splat' || url.type === 'dictionary_splat') return null;
  if (!sameForEveryItem(url, ctx)) return null;
  // the response: dropped, or kept in a name read only for its status (in the loop or function that binds it)
  return answerUnread(call, false, (assignment) => {
    let body: SyntaxNode | null = assignment;
    while (body && !REPEATING_TYPES.has(body.type) && body.type !== 'function_definition' && body.type !== 'module') body = body.parent;
    // a function's own body, not the function: read as a scope, its locals (the response) are bound there and not seen
    return body?.type === 'function_definition' ? (body.childForFieldName('body') ?? body) : body;
  })
    ? url.text
    : null;
}

/** The URL a request is sent to: the one a `Request` carries (`given`), a `url=` argument, or the first argument. */
function requestUrl(call: SyntaxNode, given?: SyntaxNode): SyntaxNode | undefined {
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  return given ?? args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'url')?.childForFieldName('value') ?? (args[0] && args[0].type !== 'keyword_argument' ? args[0] : undefined);
}

/**
 * Whether a request's answer goes unread: dropped, or bound to a name that `scopeOf(assignment)` reads after the call
 * only for its status — or, with `returned`, also returned as it is (`return response`: read by the caller, if at all).
 */
function answerUnread(call: SyntaxNode, returned: boolean, scopeOf: (assignment: SyntaxNode) => SyntaxNode | null | undefined): boolean {
  const parent = call.parent;
  if (parent?.type === 'expression_statement' || (returned && parent?.type === 'return_statement')) return true;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) return false;
  const target = parent.childForFieldName('left');
  const scope = scopeOf(parent);
  if (target?.type !== 'identifier' || !scope) return false;
  const uses = readsIn(scope).filter((r) => r.type === 'identifier' && r.text === target.text && r.startIndex > call.endIndex);
  return uses.every(
    (r) =>
      (returned && r.parent?.type === 'return_statement' && r.parent.namedChildren.length === 1) ||
      (r.parent?.type === 'attribute' && r.parent.childForFieldName('object')?.id === r.id && STATUS_ONLY.has(r.parent.childForFieldName('attribute')!.text)),
  );
}

/** A key of a created record's answer that names it: `r.json()["id"]`, `.get("uuid")`, `r.headers["Location"]`. */
const RECORD_KEY = /^["'](\w*_?id|uuid|key|location|url|href|self)["']$/i;

/**
 * Whether a write request's answer is read for no more than its status or the id of what it made: dropped, kept for
 * `.status_code`/`.raise_for_status()`, or read for `.json()["id"]` (chained or through the name it is bound to, in
 * the loop or function that binds it). A query sent as a `POST` (a search, a model's completion) reads its answer.
 */
export function answerOnlyIdentifies(call: SyntaxNode): boolean {
  const identifies = (use: SyntaxNode): boolean => {
    const attr = use.parent;
    if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.id !== use.id) return false;
    const name = attr.childForFieldName('attribute')!.text;
    if (STATUS_ONLY.has(name) || name === 'status') return true;
    // `.json()["id"]`, `.json().get("id")`, `.headers["Location"]`
    const read = name === 'json' && attr.parent?.type === 'call' ? attr.parent : name === 'headers' ? attr : null;
    const outer = read?.parent;
    if (outer?.type === 'subscript' && outer.childForFieldName('value')?.id === read!.id) return RECORD_KEY.test(outer.childForFieldName('subscript')?.text ?? '');
    if (outer?.type === 'attribute' && outer.childForFieldName('attribute')?.text === 'get' && outer.parent?.type === 'call') {
      const key = namedChildren(outer.parent.childForFieldName('arguments')!)[0];
      return !!key && RECORD_KEY.test(key.text);
    }
    return false;
  };
  const parent = call.parent?.type === 'await' ? call.parent : call;
  // `async with session.post(…) as resp:` (or `with`): the answer is the name the block binds
  if (parent.parent?.type === 'as_pattern' && parent.parent.namedChildren[0]?.id === parent.id) {
    const alias = parent.parent.childForFieldName('alias') ?? parent.parent.namedChildren[1];
    const name = alias?.type === 'as_pattern_target' ? alias.namedChildren[0] : alias;
    const block = ancestor(parent, (p) => p.type === 'with_statement')?.childForFieldName('body');
    if (name?.type !== 'identifier' || !block) return false;
    return readsIn(block).filter((r) => r.type === 'identifier' && r.text === name.text).every(identifies);
  }
  if (parent.parent?.type === 'with_item') return true;
  if (parent.parent?.type === 'expression_statement') return true;
  if (parent.parent?.type === 'attribute') return identifies(parent);
  const assignment = parent.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== parent.id) return false;
  const target = assignment.childForFieldName('left');
  let scope: SyntaxNode | null = assignment;
  while (scope && !REPEATING_TYPES.has(scope.type) && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  const body = scope?.type === 'function_definition' ? scope.childForFieldName('body') : scope;
  if (target?.type !== 'identifier' || !body) return false;
  return readsIn(body).filter((r) => r.type === 'identifier' && r.text === target.text && r.startIndex > call.endIndex).every(identifies);
}

/** What is said of a write request whose answer is read for no more than its status or the new record's id. */
export const recordWrite = (what: string, verb: string): string =>
  `\`${what}\` sends \`${verb}\` requests and the code reads nothing of the answers but their status or the id of what was made: each call creates, changes or deletes a record on the server, in the order of the loop; sent at once, they would reach it in another order and race its own checks (a record refused as a duplicate, ids handed out in another order)`;

export const RECORD_WRITE_REMEDY = 'keep the writes in order, or send them in one request if the service takes a batch; run them at once by hand only where the server takes them in any order';

/** AWS services whose API manages resources (their changes start jobs on the service), as `boto3.client` names them. */
const AWS_CONTROL_PLANE = new Set(['ec2', 'rds', 'eks', 'ecs', 'autoscaling', 'elb', 'elbv2', 'iam', 'cloudformation', 'route53', 'redshift', 'elasticache', 'efs', 'backup', 'ecr', 'lightsail', 'docdb', 'neptune', 'emr', 'lambda', 'organizations']);

/** Module functions that request a market-data API (under its rate limit). */
const MARKET_MODULE_REQUESTS = new Set(['yfinance.download']);

/**
 * Threads a rewrite starts for requests to a rate-limited API (an LLM provider's, a market-data service's): a few at
 * once, which most accounts' limits allow, and which the user raises within theirs (round 42: 496 chat completions
 * rewritten to a default-sized pool, where a run of refusals would drop rows).
 */
export const RATE_LIMITED_THREADS = 4;

/** What the doubt on such a request says (the rewrites find it among a loop's doubts: poolSetup.ts). */
export const RATE_LIMITED_REQUEST = 'is a request to a rate-limited API';

/** The doubt on a request to an LLM provider's (or a market-data) API, whose rate limit may refuse more requests sent at once. */
const rateLimited = (what: string, call: SyntaxNode, retries = ''): string =>
  `\`${what}\` (line ${lineOf(call)}) ${RATE_LIMITED_REQUEST}: sent at once, more of them may be refused (HTTP 429) than one at a time${retries}, so the fix starts at most ${RATE_LIMITED_THREADS} threads: raise them only within the account's limit`;

/**
 * The service a request goes to when it answers requests one at a time (SERIAL_SERVICES): its URL spelled in the
 * call or in a module constant. Null for any other request.
 */
function serialService(call: SyntaxNode, ctx: RegionContext, given?: SyntaxNode): { endpoint: string; service: SerialService } | null {
  const url = requestUrl(call, given);
  if (!url) return null;
  const constants = topLevelConstants(ctx.module);
  // the URL spelled in a module constant, or in a local the function binds once (`API = "https://…/w/api.php"`)
  // (a loop at module level binds its names in the module: `url = BASE + part` in a script's loop body)
  const fn = enclosingFunction(call) ?? ctx.module.root;
  const local = (name: string): SyntaxNode | null => {
    const values = valuesBound(fn, name);
    return values.length === 1 ? values[0] : null;
  };
  const spelled = (n: SyntaxNode, pattern: RegExp, depth = 0): boolean => {
    if (pattern.test(n.text)) return true;
    if (depth > 2) return false;
    return readsIn(n).some((r) => {
      if (r.type !== 'identifier') return false;
      const value = constants.get(r.text) ?? local(r.text);
      return !!value && spelled(value, pattern, depth + 1);
    });
  };
  const service = SERIAL_SERVICES.find((s) => spelled(url, s.url) && (!s.local || s.local.test(ctx.module.root.text))) ?? soleHostService(url, ctx.module.root.text);
  return service ? { endpoint: url.text.split('\n')[0].slice(0, 50), service } : null;
}

/** Services reached through a library's functions rather than a URL in the code: Biopython's `Entrez` calls NCBI. */
function clientService(name: string): { endpoint: string; service: SerialService } | null {
  const service = /^Bio\.Entrez\.e\w+$/.test(name) ? SERIAL_SERVICES.find((s) => s.key === 'ncbi-eutils') : undefined;
  return service ? { endpoint: 'eutils.ncbi.nlm.nih.gov', service } : null;
}

/**
 * A URL the code builds in a way not followed here (an endpoint object of the module's own), in a module whose text
 * names one host only, that of a serial service (`"https://api.github.com"`): the requests go there.
 */
function soleHostService(url: SyntaxNode, text: string): SerialService | undefined {
  if (/https?:\/\//.test(url.text) || !text.includes('://')) return undefined;
  const hosts = new Set([...text.matchAll(/https?:\/\/([\w.-]+)/g)].map((m) => m[1].toLowerCase()));
  if (hosts.size !== 1) return undefined;
  const [host] = hosts;
  return SERIAL_SERVICES.find((s) => s.soleHost && s.url.test(host));
}

/** Whether `receiver` holds an in-memory buffer made here (`buf = io.StringIO(text)`, `io.BytesIO()`). */
function inMemoryBuffer(receiver: SyntaxNode, ctx: RegionContext, depth = 0): boolean {
  const made = receiver.type === 'call' ? receiver : producingCall(receiver, ctx);
  const f = made?.childForFieldName('function');
  if (!f) return false;
  const name = importedName(dottedName(f), ctx.module) ?? f.text;
  if (/^(io\.)?(StringIO|BytesIO)$/.test(name)) return true;
  // a compressing stream over such a buffer (`gzip.GzipFile(fileobj=buf, mode="wb")`): compression, no file
  const fileobj = /^(gzip\.GzipFile|bz2\.BZ2File|lzma\.LZMAFile|zipfile\.ZipFile|tarfile\.open|tarfile\.TarFile)$/.test(name)
    ? namedChildren(made!.childForFieldName('arguments')!).find((a) => a.type === 'keyword_argument' && /^(fileobj|file)$/.test(a.childForFieldName('name')?.text ?? ''))?.childForFieldName('value')
    : null;
  return !!fileobj && depth < 3 && inMemoryBuffer(fileobj, ctx, depth + 1);
}

/**
 * The parameter holding the URL of a `POST` whose answer the function drops, reads only for its status, or returns
 * as it is (`return requests.post(url, json=data)`): the caller decides whether every call goes to one endpoint.
 */
function postToParameter(call: SyntaxNode, ctx: RegionContext, given?: SyntaxNode): string | null {
  const url = requestUrl(call, given);
  if (url?.type !== 'identifier' || ctx.role(url.text) !== 'param') return null;
  // `response = post(url, …)`, then only its status read in the function, or the response returned
  return answerUnread(call, true, () => enclosingFunction(call)?.childForFieldName('body')) ? url.text : null;
}

/** Whether `node` runs in an `except` handler of its own function (not of a caller, nor of a nested def). */
export function inExceptHandler(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'except_clause' || p.type === 'except_group_clause') return true;
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'module') return false;
  }
  return false;
}

/** Whether `node` (inside `loop`'s body) leaves `loop`: a `break` of this loop, or a `return` of its function. */
function leavesLoop(node: SyntaxNode, loop: SyntaxNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'return_statement') found = true;
    // a `break` inside a loop nested in this one leaves that loop only
    if (n.type === 'break_statement') {
      let owner: SyntaxNode | null = n.parent;
      while (owner && owner.type !== 'for_statement' && owner.type !== 'while_statement') owner = owner.parent;
      if (owner?.id === loop.id) found = true;
    }
    return !found;
  });
  return found;
}

/**
 * Whether a pause waits for a condition rather than doing work: it runs in a loop of its own function, after an `if`
 * that leaves the loop as soon as the condition holds — a retry `for attempt in range(n): x = load(); if x is not
 * None: break; sleep(…)`, a poll `while True: if done(): break; sleep(…)`. The pause is what the loop does while the
 * condition fails; waiting on the same conditions at once makes none of them hold sooner.
 */
export function waitsForExitCondition(call: SyntaxNode): boolean {
  let child: SyntaxNode = call;
  for (let p = call.parent; p; child = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'module' || p.type === 'class_definition') return false;
    if (p.type !== 'for_statement' && p.type !== 'while_statement') continue;
    const body = p.childForFieldName('body');
    if (!body || child.id !== body.id) return false;
    // the statement holding the pause comes after an `if` that leaves the loop
    const holder = namedChildren(body).find((s) => s.startIndex <= call.startIndex && call.endIndex <= s.endIndex);
    if (!holder) return false;
    const afterExit = namedChildren(body).some((s) => s.endIndex <= holder.startIndex && s.type === 'if_statement' && leavesLoop(s, p));
    return (afterExit || guardedByOutsideState(holder, call, p)) && repeatsOneAttempt(p);
  }
  return false;
}

/**
 * Whether a pause runs only while a condition on state from outside the loop holds: it sits in an `if` (the
 * holder, a statement of the loop's body) whose test reads neither the loop's variable nor a name the body binds,
 * and reads some state (`if not self.stopped: sleep(0.1)`, `if not DONE["flag"]: …`, `if not t.is_alive(): …`).
 * Nothing in the loop changes that state, so the pause waits for something else to change it — a poll with a
 * timeout of the loop's trips — and pauses run at once would end the wait after one.
 */
function guardedByOutsideState(holder: SyntaxNode, call: SyntaxNode, loop: SyntaxNode): boolean {
  if (holder.type !== 'if_statement') return false;
  const test = holder.childForFieldName('condition');
  if (!test || isAncestorOrSelf(test, call)) return false;
  const body = loop.childForFieldName('body');
  const target = loop.type === 'for_statement' ? loop.childForFieldName('left') : null;
  const local = new Set<string>(target ? descendantsNamed(target, 'identifier').map((n) => n.text).concat(target.type === 'identifier' ? [target.text] : []) : []);
  if (body) {
    for (const a of descendantsNamed(body, 'assignment').concat(descendantsNamed(body, 'augmented_assignment'))) {
      const left = a.childForFieldName('left');
      if (left) for (const id of left.type === 'identifier' ? [left] : descendantsNamed(left, 'identifier')) local.add(id.text);
    }
  }
  const reads = test.type === 'identifier' ? [test] : descendantsNamed(test, 'identifier');
  if (reads.length === 0 || reads.some((r) => local.has(r.text))) return false;
  // the body does nothing but wait: every statement of the loop is this `if`, and its branches only pause or pass
  if (!body || namedChildren(body).filter((s) => s.type !== 'comment').length !== 1) return false;
  const branches = namedChildren(holder).filter((c) => c.id !== test.id);
  return branches.every((b) => descendantsNamed(b, 'call').every((c) => /(^|\.)sleep$/.test(c.childForFieldName('function')?.text ?? '')));
}

/**
 * Whether every trip of a loop makes the same attempt: a `for` loop's variable is read only to compute a pause's
 * delay or in a test (`if attempt < 19:`), and no trip hands a value to the next (no name the body reads before
 * it assigns it, no `+=`). A page-by-page fetch (`get(page)`, `cursor = data["next"]`) is not a retry.
 */
function repeatsOneAttempt(loop: SyntaxNode): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  if (loop.type === 'for_statement') {
    const target = loop.childForFieldName('left');
    const names = new Set(target ? descendantsNamed(target, 'identifier').map((n) => n.text).concat(target.type === 'identifier' ? [target.text] : []) : []);
    for (const token of descendantsNamed(body, 'identifier')) {
      if (!names.has(token.text)) continue;
      let ok = false;
      for (let p = token.parent; p && p.id !== body.id; p = p.parent) {
        if (p.type === 'call' && /(^|\.)sleep$/.test(p.childForFieldName('function')?.text ?? '')) ok = true;
        if ((p.type === 'if_statement' || p.type === 'elif_clause') && isAncestorOrSelf(p.childForFieldName('condition'), token)) ok = true;
      }
      if (!ok) return false;
    }
  }
  let carried = false;
  const assigned = new Set<string>();
  walk(body, (n) => {
    if (carried || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'augmented_assignment') carried = true;
    if (n.type === 'assignment') {
      // the right side is read before the name is bound
      const right = n.childForFieldName('right');
      if (right) walk(right, (r) => {
        if (r.type === 'identifier' && !assigned.has(r.text) && bodyAssigns(body, r.text)) carried = true;
        return !carried;
      });
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier') assigned.add(left.text);
      return false;
    }
    return true;
  });
  return !carried;
}

function isAncestorOrSelf(outer: SyntaxNode | null, inner: SyntaxNode): boolean {
  return !!outer && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** Whether a loop body binds `name` by a plain assignment. */
function bodyAssigns(body: SyntaxNode, name: string): boolean {
  return descendantsNamed(body, 'assignment').some((a) => a.childForFieldName('left')?.type === 'identifier' && a.childForFieldName('left')!.text === name);
}

/** Whether a loop polls: a pause in its body (not in a loop nested in it) waits for the condition that ends it. */
export function pollsUntilExit(loop: SyntaxNode): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  return descendantsNamed(body, 'call').some((call) => {
    if (!/(^|\.)sleep$/.test(call.childForFieldName('function')?.text ?? '')) return false;
    let owner: SyntaxNode | null = call.parent;
    while (owner && owner.type !== 'for_statement' && owner.type !== 'while_statement' && owner.type !== 'function_definition' && owner.type !== 'lambda') owner = owner.parent;
    return owner?.id === loop.id && waitsForExitCondition(call);
  });
}

/** A name every iteration shares passed to a call (positionally or by keyword), or null. */
function sharedArgument(call: SyntaxNode, ctx: RegionContext): string | null {
  for (const a of namedChildren(call.childForFieldName('arguments')!)) {
    const value = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
    if (value?.type !== 'identifier' || ctx.role(value.text) !== 'shared') continue;
    if (ctx.module.bindings.get(value.text) === 'def' || ctx.module.bindings.get(value.text) === 'class') continue;
    // a string or a path cannot be changed by the function it is handed
    if (!immutableValue(value, ctx.module)) return value.text;
  }
  return null;
}

/** Calls that run a child process which, unless told otherwise, writes to this program's stdout (`Popen` too: its child prints while it runs, waited for or not). */
const CHILD_PROCESS_CALLS = /^(subprocess\.(run|call|check_call|Popen)|os\.system)$/;

/**
 * Whether a child started by this call writes to the stdout it inherits: `subprocess.run(cmd)` without
 * `capture_output=True` or `stdout=` (other than `None` / `sys.stdout`), `os.system(cmd)` whose command does not
 * redirect its output (`> file`). Concurrent children interleave what they print.
 */
function childInheritsStdout(name: string, call: SyntaxNode): boolean {
  if (!CHILD_PROCESS_CALLS.test(name)) return false;
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (args.some((a) => a.type === 'dictionary_splat')) return false;
  if (name === 'os.system') {
    const command = args[0];
    // a command spelled out with a redirection of its standard output (`cmd > log`, `cmd &> log`)
    return !(command && /(^|[^2])>/.test(command.text));
  }
  const keyword = (k: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k)?.childForFieldName('value');
  if (keyword('capture_output')?.text === 'True') return false;
  const stdout = keyword('stdout');
  return !stdout || stdout.type === 'none' || /^(sys\.)?(stdout|stderr|__stdout__)$/.test(stdout.text);
}

/** Names of callables that open a file or stream and read it lazily (`PdfReader`, `zipfile.ZipFile`, `csv.reader`). */
const STREAM_MAKERS = /(open|reader|writer|file|archive|document|workbook|stream|capture)$/i;

/**
 * The call that built `name` before the loop when it is an object reading a file or stream lazily: a local of the
 * enclosing function assigned once from `open(…)`, or from a constructor named like a reader (`PdfReader(path)`,
 * `zipfile.ZipFile(f)`, `csv.reader(f)`) or given an open file. Null otherwise.
 */
function streamBuiltBefore(name: string, ctx: RegionContext): SyntaxNode | null {
  const scope = ctx.enclosing[0] ?? null;
  const value = assignedLocal(name, scope);
  if (value?.type !== 'call') return null;
  const callee = value.childForFieldName('function');
  if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return null;
  const calleeName = callee.type === 'attribute' ? callee.childForFieldName('attribute')!.text : callee.text;
  // a function of this file is analysed on its own; a pure library call (`json.loads`) returns plain values
  if (callee.type === 'identifier' && (ctx.module.bindings.get(calleeName) === 'def' || localDefinition(calleeName, ctx.enclosing))) return null;
  const known = resolveCallable(callee, ctx.module, ctx.enclosing);
  if (known.kind === 'known' && known.name !== 'open' && known.knowledge.effect === 'pure') return null;
  const args = namedChildren(value.childForFieldName('arguments')!);
  const opensFile = (a: SyntaxNode) => /^(open|io\.open)\(/.test(a.text) || (a.type === 'identifier' && /^(open|io\.open)\(/.test(assignedLocal(a.text, scope)?.text ?? ''));
  return STREAM_MAKERS.test(calleeName) || args.some(opensFile) ? value : null;
}

const MKDIR_REMEDY = 'create the directories before the loop, or pass `exist_ok=True` (`os.makedirs(path, exist_ok=True)`, `path.mkdir(exist_ok=True)`)';

/** Whether `expr` reads the item at all, following the locals it is computed from (a weaker test than variesWithItem). */
export function readsItem(expr: SyntaxNode, isItem: (name: string) => boolean, scope: SyntaxNode | null, depth = 0): boolean {
  if (depth > 5) return false;
  return readsIn(expr).some((r) => {
    if (isItem(r.text)) return true;
    const value = assignedLocal(r.text, scope) ?? reachingAssignment(r);
    return value !== null && readsItem(value, isItem, scope, depth + 1);
  });
}

/** A leading part of a value: the first field of a split, a parent folder. */
const LEADING_PART = /\.r?split\([^()]*\)\s*\[\s*0\s*\]$|\.parent$|^os\.path\.dirname\(|^(os\.path|posixpath)\.split\([^()]*\)\s*\[\s*0\s*\]$/;

/**
 * How `expr` reads the item, following the locals it is computed from: `direct` where some way reaches the item
 * whole, `projected` where every way goes through a leading part of it (`name.split("_")[0]`), `none` otherwise.
 */
function itemReach(expr: SyntaxNode, isItem: (name: string) => boolean, scope: SyntaxNode | null, depth = 0): 'direct' | 'projected' | 'none' {
  if (depth > 5) return 'direct';
  if (LEADING_PART.test(expr.text.trim()) && readsItem(expr, isItem, scope)) return 'projected';
  let reach: 'direct' | 'projected' | 'none' = 'none';
  for (const r of readsIn(expr)) {
    if (isItem(r.text)) return 'direct';
    const value = assignedLocal(r.text, scope) ?? reachingAssignment(r);
    if (!value) continue;
    const inner = itemReach(value, isItem, scope, depth + 1);
    if (inner === 'direct') return 'direct';
    if (inner === 'projected') reach = 'projected';
  }
  return reach;
}

/** Exceptions a directory that already exists raises, or a class of them. */
const EXISTS_ERRORS = /^(FileExistsError|OSError|IOError|EnvironmentError|Exception|BaseException)$/;

/**
 * Whether `call` sits in the body of a `try` whose handler catches the error of an existing directory
 * (`except FileExistsError:`, `except OSError:`, a bare `except:`) and only passes or continues.
 */
function existsErrorCaught(call: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = call.parent; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
    if (p.type !== 'try_statement' || !isAncestorOf(p.childForFieldName('body')!, call)) continue;
    for (const clause of namedChildren(p).filter((c) => c.type === 'except_clause')) {
      const caught = namedChildren(clause).filter((c) => c.type !== 'block' && c.type !== 'comment');
      const names = caught.flatMap((c) => (c.type === 'as_pattern' ? [c.namedChildren[0]] : [c])).flatMap((c) => (c?.type === 'tuple' ? c.namedChildren : [c]));
      const handler = namedChildren(clause).find((c) => c.type === 'block');
      const quiet = !!handler && namedChildren(handler).every((st) => st.type === 'pass_statement' || st.type === 'continue_statement' || st.type === 'comment');
      if (quiet && (names.length === 0 || names.some((n) => !!n && EXISTS_ERRORS.test(n.text.replace(/^\w+\./, ''))))) return true;
    }
  }
  return false;
}

/**
 * The race of a call creating a directory (`os.mkdir(d)`, `os.makedirs(d)`, `Path(d).mkdir()`) that fails when it
 * exists, on a path that does not vary one-to-one with the item: iterations share that directory, and two of
 * them can both find it missing and both create it. Null when `exist_ok=True` or the path is the item's own.
 */
function directoryRace(name: string, call: SyntaxNode, ctx: RegionContext, receiver?: SyntaxNode): string | { doubt: string } | DeferredRace | null {
  if (!receiver && name !== 'os.mkdir' && name !== 'os.makedirs') return null;
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (args.some((a) => a.type === 'dictionary_splat')) return null;
  const keyword = (k: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k)?.childForFieldName('value');
  const existOk = keyword('exist_ok');
  if (existOk && existOk.text !== 'False') return null;
  // `Path.mkdir(mode, parents, exist_ok)`, `os.makedirs(name, mode, exist_ok)`: a third positional argument
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  if ((receiver ? positional[2] : name === 'os.makedirs' ? positional[2] : undefined)?.text === 'True') return null;
  // `try: os.mkdir(d) except FileExistsError: pass`: the loser of the race is caught, as `exist_ok=True` would
  if (existsErrorCaught(call)) return null;
  const path = receiver ?? positional[0] ?? keyword('name') ?? keyword('path');
  if (!path) return null;
  // a loop at the module's top level: the names its body binds are the iteration's (`year_folder = f"data/{year}"`)
  const scope = ctx.enclosing[0] ?? moduleLoopAround(call);
  if (variesWithItem(path, (n) => ctx.role(n) === 'item', scope)) return null;
  // built from a leading part of the item (`name.split("_")[0]`, `p.parent`, `os.path.dirname(p)`): a part many items
  // share, so they share the directory (round 31: one folder per camera id, `isdir` then `mkdir`, FileExistsError)
  const isItem = (n: string) => ctx.role(n) === 'item';
  if (itemReach(path, isItem, scope) === 'projected') {
    return `\`${name}(${receiver ? '' : path.text.slice(0, 40)})\` creates a directory named after a part of the item that many items share (a prefix, a parent folder): iterations share it, and two of them can both find it missing and both create it (FileExistsError)`;
  }
  // built from the item in a way not shown to keep items apart (`os.path.split(p)[1][:-4]`, `root + "/eta=%f" % eta`):
  // most likely the item's own, but two items could name the same directory
  if (readsItem(path, isItem, scope)) {
    return { doubt: `cannot prove that the directory \`${name}(${receiver ? '' : path.text.slice(0, 40)})\` creates is each item's own: it is built from the item, but two items could give the same name (FileExistsError)` };
  }
  const message = `\`${name}(${receiver ? '' : path.text.slice(0, 40)})\` creates a directory whose path is not the item's own: iterations share it, and two of them can both find it missing and both create it (FileExistsError)`;
  // in a function: whether the path is the item's own depends on what its callers pass for these parameters
  const params = [...(scope ? scopeOf(scope).params : [])].filter((p) => ctx.role(p) === 'param' && variesWithItem(path, (n) => n === p, scope));
  return params.length > 0 ? { params, message } : message;
}

/** The outermost `for` or `while` around `node` at the module's top level (none in a function), or null. */
function moduleLoopAround(node: SyntaxNode): SyntaxNode | null {
  let loop: SyntaxNode | null = null;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return null;
    if (p.type === 'for_statement' || p.type === 'while_statement') loop = p;
  }
  return loop;
}

/** The argument a call of a plain function passes for its parameter `param`, or null (not passed, or behind a splat). */
export function plainArgumentFor(call: SyntaxNode, fn: SyntaxNode | readonly string[], param: string): SyntaxNode | null {
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === param)?.childForFieldName('value');
  if (keyword) return keyword;
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  if (positional.some((a) => a.type.endsWith('splat'))) return null;
  return positional[(Array.isArray(fn) ? fn : parameterNames(fn as SyntaxNode)).indexOf(param)] ?? null;
}

/**
 * What a function passed by name to `map(f, xs, ys)` gets for a parameter: the item of the iterable in its
 * position (`'item'`), the receiver for a bound method's first parameter, or `null` (not fed by `map`: its default).
 */
export function mappedArgument(callable: SyntaxNode, names: readonly string[], param: string, method?: MethodTarget): 'item' | 'receiver' | null {
  const implicit = method && (method.binding === 'instance' || method.binding === 'class') ? 1 : 0;
  const index = names.indexOf(param);
  if (index < 0) return null;
  if (index < implicit) return 'receiver';
  const args = callable.parent?.type === 'argument_list' ? namedChildren(callable.parent).filter((a) => a.type !== 'comment') : [];
  const fed = Math.max(0, args.length - 1);
  return index - implicit < fed ? 'item' : null;
}

/**
 * The parameter of the region's function a problem at `node` needs to be true: one of its flag blocks
 * (flagBlocks) holds the node. Undefined when none does.
 */
function flagGuard(node: SyntaxNode, ctx: RegionContext): string | undefined {
  const fn = ctx.enclosing[0];
  if (!fn) return undefined;
  const row = node.startPosition.row + 1;
  return flagBlocks(fn, scopeOf(fn).params).find((b) => b.from <= row && row <= b.to)?.param;
}

/** Whether some node of the tree under `root` passes `test` (the walk stops at the first). */
function walkFinds(root: SyntaxNode, test: (n: SyntaxNode) => boolean): boolean {
  let found = false;
  walk(root, (n) => {
    if (!found && test(n)) found = true;
    return !found;
  });
  return found;
}

/** Whether `param` of `fn` defaults to a false constant (`resolve_host: bool = False`). */
export function falseDefaultOf(fn: SyntaxNode, param: string): boolean {
  return falseConstant(declaredDefault(fn, param));
}

/**
 * The blocks of `fn` that run only when a parameter it never rebinds is true, as row ranges with that parameter: the
 * body of `if resolve_host:`, and the rest of the block after `if not resolve: return …` (no other branch). What is
 * found inside is guarded by it. Kept per function.
 */
function flagBlocks(fn: SyntaxNode, params: ReadonlySet<string>): Array<{ from: number; to: number; param: string }> {
  const known = flagBlocksOf.get(fn);
  if (known) return known;
  const body = fn.childForFieldName('body');
  const blocks: Array<{ from: number; to: number; param: string }> = [];
  flagBlocksOf.set(fn, blocks);
  if (!body || !textIncludes(body, 'if ')) return blocks;
  const rebound = new Map<string, boolean>();
  const kept = (name: string) => {
    if (!params.has(name)) return false;
    if (!rebound.has(name)) rebound.set(name, walkFinds(body, (m) => namesBoundBy(m).includes(name)));
    return !rebound.get(name);
  };
  walk(body, (n) => {
    if (n.id !== body.id && SCOPE_TYPES.has(n.type)) return false;
    if (n.type !== 'if_statement') return true;
    const condition = n.childForFieldName('condition');
    const consequence = n.childForFieldName('consequence');
    if (!condition || !consequence) return true;
    if (condition.type === 'identifier' && kept(condition.text)) {
      blocks.push({ from: consequence.startPosition.row + 1, to: consequence.endPosition.row + 1, param: condition.text });
      return true;
    }
    // `if not resolve: return None`, no `else`: the rest of the block runs only when the flag is true
    const flag = leavesUnless(n);
    if (flag && kept(flag.text) && n.parent?.type === 'block' && n.endPosition.row < n.parent.endPosition.row) {
      blocks.push({ from: n.endPosition.row + 2, to: n.parent.endPosition.row + 1, param: flag.text });
    }
    return true;
  });
  return blocks;
}

const flagBlocksOf = new WeakMap<SyntaxNode, Array<{ from: number; to: number; param: string }>>();

/** `if not flag: … return` (or `raise`), with no other branch: the name `flag`, the code after it runs only when true. */
export function leavesUnless(ifStatement: SyntaxNode): SyntaxNode | null {
  const condition = ifStatement.childForFieldName('condition');
  const flag = condition?.type === 'not_operator' ? condition.childForFieldName('argument') : null;
  const consequence = ifStatement.childForFieldName('consequence');
  if (flag?.type !== 'identifier' || !consequence || ifStatement.childForFieldName('alternative')) return null;
  const last = namedChildren(consequence).filter((c) => c.type !== 'comment').pop();
  return last?.type === 'return_statement' || last?.type === 'raise_statement' ? flag : null;
}

/** `False`, `None`, `0`, `""`: a constant an `if` takes as false. */
export function falseConstant(node: SyntaxNode | null): boolean {
  if (!node) return false;
  if (node.type === 'false' || node.type === 'none') return true;
  if (node.type === 'integer') return Number(node.text.replace(/_/g, '')) === 0;
  return node.type === 'string' && /^[rbuRBU]*(''|"")$/.test(node.text);
}

/**
 * What a call gives the parameter `param` of `callee` that a problem needs true: `false` for a false constant (or a
 * false default left in place), the name of a parameter of the calling function forwarded to it, `null` otherwise.
 */
function flagPassed(call: SyntaxNode, callee: SyntaxNode | readonly string[], param: string, method: MethodTarget | undefined, ctx: RegionContext, falseDefault: boolean): false | string | null {
  if (call.type !== 'call') return null;
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (args.some((a) => a.type.endsWith('splat'))) return null;
  const names = Array.isArray(callee) ? callee : parameterNames(callee as SyntaxNode);
  const found = method ? methodArgumentFor(call, method, param) : plainArgumentFor(call, isMethodCall(call) && ['self', 'cls'].includes(names[0]) ? names.slice(1) : names, param);
  if (found === 'receiver') return null;
  if (!found) return falseDefault || (!Array.isArray(callee) && falseDefaultOf(callee as SyntaxNode, param)) ? false : null;
  if (falseConstant(found)) return false;
  const caller = ctx.enclosing[0];
  return found.type === 'identifier' && (ctx.role(found.text) === 'param' || (!!caller && parameterNames(caller).includes(found.text))) ? found.text : null;
}

/** A call through an attribute (`self.helper(x)`, `obj.f(x)`): a method's first parameter is the receiver. */
function isMethodCall(call: SyntaxNode): boolean {
  return call.childForFieldName('function')?.type === 'attribute';
}

/** A directory a function creates on a path that is its caller's item's own only if a parameter holds the item. */
export interface DeferredRace {
  params: string[];
  message: string;
}

const LAZY_ITERATORS = /^(itertools\.(?!count$)\w+|map|filter|zip|reversed|enumerate)$/;

/** Whether a call is consumed by iteration right where it stands (`for x in f():`, `[… for x in f()]`, `*f()`). */
function isIterated(call: SyntaxNode): boolean {
  const parent = call.parent;
  if (!parent) return false;
  if (parent.type === 'list_splat' || parent.type === 'dictionary_splat') return true;
  // an argument of another lazy call is consumed where that one is (`list(map(f, zip(a, b)))`)
  if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
    const f = parent.parent.childForFieldName('function')?.text ?? '';
    if (LAZY_ITERATORS.test(f) || CONSUMERS.has(f)) return true;
  }
  return false;
}

/** Whether a generator call's items are taken right where it is called (so its work is done there). */
function consumedInPlace(call: SyntaxNode): boolean {
  const parent = call.parent;
  if (!parent) return false;
  if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && parent.childForFieldName('right')?.id === call.id) return true;
  if (parent.type === 'argument_list') {
    const f = parent.parent?.childForFieldName('function');
    if (f?.type === 'identifier' && CONSUMERS.has(f.text)) return true;
    // `"".join(gen())`
    if (f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'join') return true;
  }
  return false;
}

/** Classes and module functions that open a file by name, mode second: `gzip.GzipFile(path, "ab")`, `gzip.open(path, "wb")`. */
const OPENER_CLASSES = new Set(['GzipFile', 'BZ2File', 'LZMAFile', 'ZipFile', 'TarFile']);
const OPENER_MODULES = new Set(['io', 'codecs', 'gzip', 'bz2', 'lzma', 'tarfile', 'aiofiles']);

/** Words every file-writing call spells (a body without any needs no walk). */
const MAY_WRITE_FILES = /\b(?:open|\w*File|write_text|write_bytes|mkdir|makedirs|unlink|touch|renames?|replace|copy\w*|move|remove\w*|rmdir|rmtree)\b/;

/** A file-writing call and the path it writes, when the path can be told (`open(p, "w")`: `p`). */
export interface FileWrite {
  call: SyntaxNode;
  path: SyntaxNode | null;
  /** `shutil.copy(src, dst)`: a `dst` that is a directory receives a file named after `src`. */
  mayBeDirectory?: boolean;
  /** `shutil.rmtree(path)`, `os.remove(path)`: the call deletes what `path` names. */
  deletes?: boolean;
}

/** Whether a path is spelled as a file's name (`"out.db"`, `os.path.join(tmp, "x.db")`), through one assignment. */
export function spelledAsFile(path: SyntaxNode, scope: SyntaxNode | null): boolean {
  const value = path.type === 'identifier' ? assignedLocal(path.text, scope) : path;
  return !!value && /\.\w{1,5}["']\)*$/.test(value.text);
}

/** Methods and functions writing what they are given to the file their first argument names. */
export const WRITER_METHODS: ReadonlySet<string> = new Set(['imwrite', 'imsave', 'savefig', 'save', 'savetxt', 'savez', 'savez_compressed', 'to_csv', 'to_excel', 'to_parquet', 'to_json', 'to_pickle', 'to_feather']);

/**
 * The first call in `nodes` (nested functions and classes left out) that writes to the file system: opening a
 * file for writing or appending, `.write_text()`, `shutil.copy…`, `os.remove`, …
 */
export function fileWrite(nodes: SyntaxNode[], module: ModuleInfo): FileWrite | null {
  let found: FileWrite | null = null;
  for (const root of nodes) {
    walk(root, (n) => {
      if (found) return false;
      if (n.id !== root.id && (n.type === 'function_definition' || n.type === 'class_definition')) return false;
      if (n.type !== 'call') return true;
      const fn = n.childForFieldName('function');
      const args = namedChildren(n.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
      const keyword = (name: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? null;
      const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
      let path: SyntaxNode | null = null;
      let mode: SyntaxNode | null = null;
      let opener = false;
      if (fn?.type === 'identifier' && (fn.text === 'open' || (OPENER_CLASSES.has(fn.text) && module.imports.has(fn.text)))) {
        opener = true;
        path = positional[0] ?? keyword('file') ?? keyword('filename') ?? keyword('name');
        mode = keyword('mode') ?? positional[1] ?? null;
      } else if (fn?.type === 'attribute') {
        const attribute = fn.childForFieldName('attribute')!.text;
        const object = fn.childForFieldName('object')!;
        // the module, imported or bound otherwise (`gzip = import_module("gzip")`)
        const moduleName = object.type === 'identifier' ? (module.imports.get(object.text) ?? (OPENER_MODULES.has(object.text) ? object.text : undefined)) : undefined;
        if ((attribute === 'open' && moduleName && OPENER_MODULES.has(moduleName)) || OPENER_CLASSES.has(attribute)) {
          path = positional[0] ?? keyword('file') ?? keyword('filename') ?? keyword('name');
          // `gzip.GzipFile(fileobj=buf, mode="wb")`: a stream over an object opened elsewhere (where its writes are judged)
          opener = !(path === null && keyword('fileobj'));
          mode = keyword('mode') ?? positional[1] ?? null;
        } else if (attribute === 'open' && !moduleName && !(object.type === 'identifier' && starImportOf(object.text, module))) {
          // `path.open("w")`: the receiver is the path (a name from `from m import *` may be a module instead:
          // `fits.open(file)`; the call on it is turned away as unknown shared state where it is made)
          opener = true;
          const first = positional[0];
          if (first && first.type !== 'string' && !/mode/i.test(first.text)) {
            // `zf.open(name)`, `sftp.open(path, "w")`, `fs.open(path)`: an archive's or a file system's `open`
            // takes the member's name first and the mode second (a path's `open` takes the mode first, a string)
            path = first;
            mode = keyword('mode') ?? positional[1] ?? null;
          } else {
            path = object;
            mode = keyword('mode') ?? first ?? null;
          }
        } else if (attribute === 'mkdir' && /^True$/.test(keyword('exist_ok')?.text ?? '')) {
          // `path.mkdir(parents=True, exist_ok=True)`: makes sure the directory is there, in any order
        } else if (['write_text', 'write_bytes', 'mkdir', 'unlink', 'touch'].includes(attribute) || (['rename', 'replace'].includes(attribute) && positional.length === 1 && !moduleName)) {
          // `Path.replace(target)` takes one argument, `str.replace(old, new)` two
          found = { call: n, path: null };
        } else if (/^(shutil\.copyfile|os\.(rename|renames|replace))$/.test(fn.text)) {
          // the target names one file (or, renamed onto, one entry)
          found = { call: n, path: positional[1] ?? keyword('dst') ?? null };
        } else if (/^os\.(remove|unlink)$/.test(fn.text)) {
          found = { call: n, path: positional[0] ?? keyword('path') ?? null, deletes: true };
        } else if (/^(shutil\.rmtree|os\.(rmdir|removedirs))$/.test(fn.text)) {
          // a directory and everything in it
          found = { call: n, path: positional[0] ?? keyword('path') ?? null, deletes: true, mayBeDirectory: true };
        } else if (/^shutil\.(copy|copy2|move)$/.test(fn.text)) {
          // a target that is a directory keeps the source's name: only a target spelled as a file's name is one file
          found = { call: n, path: positional[1] ?? keyword('dst') ?? null, mayBeDirectory: true };
        } else if (/^(joblib\.dump|torch\.save)$/.test(importedName(fn.text, module) ?? '')) {
          // `joblib.dump(value, filename)`, `torch.save(obj, f)`: the file is the second argument
          found = { call: n, path: positional[1] ?? keyword('filename') ?? keyword('f') ?? null };
        } else if (WRITER_METHODS.has(attribute) && positional[0] && positional[0].type !== 'keyword_argument') {
          // `cv2.imwrite(path, img)`, `image.save(path)`, `fig.savefig(path)`, `df.to_csv(path)`, `np.save(path, a)`:
          // the first argument names the file written (a handle opened for it was found where it was opened)
          found = { call: n, path: positional[0] };
        } else if (attribute === 'download_file' && (positional.length !== 2 || keyword('Filename'))) {
          // boto3's `client.download_file(Bucket, Key, Filename)` (an S3 object's `download_file(Filename)`): the
          // object's bytes are written to that file
          found = { call: n, path: keyword('Filename') ?? (positional.length >= 3 ? positional[2] : positional[0]) ?? null };
        } else if (/^(shutil|os)\.(copytree|makedirs|mkdir)$/.test(fn.text)) {
          // `os.makedirs(d, exist_ok=True)` makes sure a directory is there: any number of callers may, in any order
          if (!(fn.text === 'os.makedirs' && /^True$/.test(keyword('exist_ok')?.text ?? ''))) found = { call: n, path: null };
        }
      }
      if (opener && mode && (mode.type !== 'string' || /[wax+]/.test(unquoted(mode)))) found = { call: n, path };
      return true;
    });
  }
  return found;
}

/**
 * Whether a path expression names the same file on every call of `fn`: it reads no parameter (but a method's
 * `self`) and no local, and calls nothing but `os.path.join` / `str` on such values.
 */
function isFixedPath(path: SyntaxNode, fn: SyntaxNode, scope: { params: Set<string>; locals: Set<string> }, depth = 0): boolean {
  if (depth > 3) return false;
  const inClass = (fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent)?.parent?.type === 'class_definition';
  const receiver = inClass ? namedChildren(fn.childForFieldName('parameters')!)[0]?.text : undefined;
  for (const call of descendantsNamed(path, 'call')) {
    const callee = call.childForFieldName('function');
    const name = callee?.text ?? '';
    if (FIXED_PATH_CALLS.test(name)) continue;
    // `log_path.replace("file", name)`, `fi.readlines()[1].split("=")[1]`: text taken from fixed values (their
    // reads are checked below); a date (`time.strftime("%Y-%m-%d")`) is one file a day
    if (callee?.type === 'attribute' && FIXED_TEXT_METHODS.test(callee.childForFieldName('attribute')?.text ?? '')) continue;
    if (/(^|\.)strftime$/.test(name) && !/%[HIMSfXcTsp]/.test(call.childForFieldName('arguments')?.namedChildren[0]?.text ?? '%H')) continue;
    return false;
  }
  for (const r of readsIn(path)) {
    if (r.text === receiver) continue;
    if (scope.params.has(r.text)) return false;
    if (scope.locals.has(r.text)) {
      // `tmp = os.path.join(tempfile.gettempdir(), "x.db")`: a local bound once to a fixed path is one; so is a
      // file opened at a fixed path (`with open(".location.txt") as fi`), read for a path
      const value = assignedLocal(r.text, fn) ?? openedAs(r.text, fn);
      if (!value || !isFixedPath(value, fn, scope, depth + 1)) return false;
    }
  }
  return true;
}

/** Methods that make text from their receiver and arguments alone (read, split, joined, replaced). */
const FIXED_TEXT_METHODS = /^(replace|split|rsplit|strip|lstrip|rstrip|lower|upper|format|join|readline|readlines|read|splitlines)$/;

/** The path a local names a file by when its only binding is `with open(path) as name:` (for reading). */
function openedAs(name: string, fn: SyntaxNode): SyntaxNode | null {
  const only = soleBinding(name, fn);
  const item = only?.type === 'with_item' ? only : only?.parent?.type === 'with_item' ? only.parent : null;
  const value = item?.childForFieldName('value');
  const opened = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
  if (opened?.type !== 'call' || opened.childForFieldName('function')?.text !== 'open') return null;
  const args = opened.childForFieldName('arguments')?.namedChildren ?? [];
  const mode = args[1]?.type === 'string' ? args[1].text : 'r';
  return /[wax+]/.test(mode) ? null : (args[0] ?? null);
}

/** Calls that give the same path on every call of a function: joining fixed parts, the temp or home folder. */
const FIXED_PATH_CALLS = /^(str|os\.path\.join|tempfile\.gettempdir|os\.getcwd|os\.path\.expanduser|os\.path\.dirname|os\.path\.abspath|Path\.home|pathlib\.Path\.home|Path\.cwd|pathlib\.Path\.cwd)$/;

/** Calls giving a fresh random identifier each time: `uuid.uuid4()`, `uuid4()`, `secrets.token_hex()`. */
const UNIQUE_CALLS = /^((uuid\.)?uuid[14]|(secrets\.)?token_(hex|urlsafe))$/;

/** Calls that keep their argument whole in what they return: `str(i)`, `os.path.join(d, name)`, `Path(d, name)`. */
const INJECTIVE_CALLS = /^(str|repr|os\.path\.join|os\.path\.abspath|os\.fspath|pathlib\.Path|Path|PurePath|pathlib\.PurePath)$/;

/**
 * Whether `expr` yields a different value for each value of a varying name (`isVarying`): its last component (the
 * file's own name) holds one whole — `f"{folder}/img-{index}.png"`, `"img" + str(i) + ".jpg"`,
 * `os.path.join(d, name)`, `out / name`, or a local assigned once from such an expression. A part taken out of
 * the name (`splitext(name)[1]`, `name[:3]`) or a choice (`a or b`) loses that: two items may give one path.
 */
export function variesWithItem(expr: SyntaxNode, isVarying: (name: string) => boolean, scope: SyntaxNode | null, depth = 0): boolean {
  if (depth > 8) return false;
  switch (expr.type) {
    case 'identifier': {
      if (isVarying(expr.text)) return true;
      // bound once, or bound again just before it is read (`path = "images/" + rover["name"] + "/"` in the loop,
      // after a `path = "images/"` before it)
      const value = assignedLocal(expr.text, scope) ?? reachingAssignment(expr);
      return value !== null && variesWithItem(value, isVarying, scope, depth + 1);
    }
    case 'parenthesized_expression':
      return expr.namedChildren[0] ? variesWithItem(expr.namedChildren[0], isVarying, scope, depth + 1) : false;
    case 'string': {
      // the fields after the last `/` name the file: `f"{root}/{name}.txt"` (the directory before it is often
      // shared), `f"{base}_depth{args.depth}.json"` (the name is the item's through `base`, whatever the depth)
      const parts = namedChildren(expr);
      let first = 0;
      parts.forEach((c, i) => {
        if (c.type === 'string_content' && /[/\\]/.test(c.text)) first = i + 1;
      });
      return parts.slice(first).some((part) => {
        if (part.type !== 'interpolation') return false;
        const inner = part.childForFieldName('expression') ?? part.namedChildren[0];
        const spec = part.childForFieldName('format_specifier')?.text ?? '';
        // `{i:03d}` keeps every digit; `{x:.2f}` or `{s:.8}` may not
        return !!inner && /^:?0?\d*d?$/.test(spec) && variesWithItem(inner, isVarying, scope, depth + 1);
      });
    }
    case 'concatenated_string':
      return namedChildren(expr).some((c) => variesWithItem(c, isVarying, scope, depth + 1));
    case 'binary_operator': {
      const op = expr.childForFieldName('operator')?.text;
      const left = expr.childForFieldName('left');
      const right = expr.childForFieldName('right');
      if ((op !== '+' && op !== '/') || !left || !right) return false;
      // `root / name`: the last component; `"img" + str(i) + ".jpg"`: either side
      return (op === '+' && variesWithItem(left, isVarying, scope, depth + 1)) || variesWithItem(right, isVarying, scope, depth + 1);
    }
    case 'attribute':
      // `uuid.uuid4().hex`: a fresh identifier's spelling
      return expr.childForFieldName('object')?.type === 'call' && UNIQUE_CALLS.test(expr.childForFieldName('object')!.childForFieldName('function')?.text ?? '');
    case 'call': {
      const callee = expr.childForFieldName('function')?.text ?? '';
      const args = namedChildren(expr.childForFieldName('arguments')!).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
      // a fresh random identifier on every call: no two calls give the same (round 49: an output named by `uuid4().hex`)
      if (UNIQUE_CALLS.test(callee)) return true;
      if (!INJECTIVE_CALLS.test(callee) && !/^\w+\.format$/.test(callee)) return false;
      // `os.path.join(root, name)`: the last component names it; `str(i)`, `"{}.txt".format(i)`: the argument
      const last = args[args.length - 1];
      return !!last && variesWithItem(last, isVarying, scope, depth + 1);
    }
  }
  return false;
}

/**
 * Whether `expr` has the same value in every iteration of `loop` (or, through an inner `for` over such a value, the
 * same values in the same order): literals, names the loop does not bind, names it binds once to such a value,
 * targets of inner loops over such a value, and their joins (`+`, `/`, `%`, f-strings, `str()`, `os.path.join`,
 * `.format`). A file path of that kind names the same files in every iteration: `outname = "merged_" + table`
 * with `table` from an inner loop over a constant list.
 */
export function sameEveryIteration(expr: SyntaxNode, loop: SyntaxNode, depth = 0): boolean {
  if (depth > 6) return false;
  const same = (n: SyntaxNode | null | undefined) => !!n && sameEveryIteration(n, loop, depth + 1);
  if (LITERALS.has(expr.type) && expr.type !== 'string' && expr.type !== 'concatenated_string') return true;
  switch (expr.type) {
    case 'string':
      return namedChildren(expr)
        .filter((c) => c.type === 'interpolation')
        .every((p) => same(p.childForFieldName('expression') ?? p.namedChildren[0]));
    case 'concatenated_string':
      return namedChildren(expr).every(same);
    case 'parenthesized_expression':
      return same(expr.namedChildren[0]);
    case 'binary_operator': {
      const op = expr.childForFieldName('operator')?.text;
      return (op === '+' || op === '/' || op === '%') && same(expr.childForFieldName('left')) && same(expr.childForFieldName('right'));
    }
    case 'call': {
      const fn = expr.childForFieldName('function');
      const callee = fn?.text ?? '';
      const args = namedChildren(expr.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
      const format = fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && same(fn.childForFieldName('object'));
      if (!format && !INJECTIVE_CALLS.test(callee)) return false;
      return args.every((a) => (a.type === 'keyword_argument' ? same(a.childForFieldName('value')) : same(a)));
    }
    case 'attribute': {
      // `self.work_dir` when nothing in the loop assigns it or calls a method of its object (which could)
      const object = expr.childForFieldName('object');
      const root = object?.type === 'identifier' ? object.text : null;
      if (!root || !same(object)) return false;
      const body = loop.childForFieldName('body') ?? loop;
      const assigned = new RegExp(String.raw`\b${root}\s*\.\s*${expr.childForFieldName('attribute')!.text}\s*(=[^=]|[-+*/|&]=)`);
      const calls = descendantsNamed(body, 'call').some((c) => c.childForFieldName('function')?.type === 'attribute' && c.childForFieldName('function')!.childForFieldName('object')?.text === root);
      return !assigned.test(body.text) && !calls;
    }
    case 'identifier': {
      // a function's parameter takes what each call passes
      if ((loop.type === 'function_definition' || loop.type === 'lambda') && parameterNames(loop).includes(expr.text)) return false;
      const bindings: SyntaxNode[] = [];
      walk(loop, (n) => {
        if (bindings.length > 1) return false;
        if (n.id !== loop.id && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
        if (namesBoundBy(n).includes(expr.text)) bindings.push(n);
        return true;
      });
      if (bindings.length === 0) return true;
      const only = bindings.length === 1 ? bindings[0] : null;
      if (!only || only.id === loop.id || only.childForFieldName('left')?.type !== 'identifier') return false;
      if (only.type === 'assignment' || (only.type === 'for_statement' && !only.childForFieldName('alternative'))) return same(only.childForFieldName('right'));
      return false;
    }
  }
  return false;
}

/** The value of a local of `scope` bound exactly once, by a plain assignment (`name = value`), or null. */
/**
 * The value a plain assignment in straight-line code just before `name` gives it (`x = …` an earlier statement of
 * a block around it, with no other binding of the name in between), or null.
 */
function reachingAssignment(name: SyntaxNode): SyntaxNode | null {
  for (let node: SyntaxNode = name; node.parent && !SCOPE_TYPES.has(node.type); node = node.parent) {
    const block = node.parent;
    if (block.type !== 'block' && block.type !== 'module') continue;
    const siblings = namedChildren(block);
    for (let i = siblings.findIndex((c) => c.id === node.id) - 1; i >= 0; i--) {
      const st = siblings[i];
      const assignment = st.type === 'expression_statement' ? st.namedChildren[0] : null;
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.type === 'identifier' && assignment.childForFieldName('left')!.text === name.text) {
        return assignment.childForFieldName('right') ?? null;
      }
      let binds = false;
      walk(st, (n) => {
        if (!binds && namesBoundBy(n).includes(name.text)) binds = true;
        return !binds;
      });
      if (binds) return null;
    }
    if (block.type === 'module') break;
  }
  return null;
}

export function assignedLocal(name: string, scope: SyntaxNode | null): SyntaxNode | null {
  if (!scope || !scopeOf(scope).locals.has(name)) return null;
  const only = soleBinding(name, scope);
  return only?.type === 'assignment' && only.childForFieldName('left')?.type === 'identifier' ? only.childForFieldName('right') : null;
}

/** Calls and expressions that make a new object from their argument: a copy, never the argument itself. */
const COPYING_CALLS = /^(list|dict|set|tuple|bytearray|sorted|copy\.copy|copy\.deepcopy|deepcopy|np\.array|numpy\.array|np\.copy|numpy\.copy)$/;

/**
 * Whether the parameter `name` is rebound to a copy of itself (`state = list(state)`, `d = dict(d)`, `x = x.copy()`,
 * `rows = rows[:]`) by a statement of its function's body, not inside a branch, before `at`: from there on the name
 * is the function's own object, and what changes it leaves the caller's argument alone (round 55: a game's
 * `next_state` copying the board first, said to change its argument).
 */
function copiedBefore(name: string, at: SyntaxNode): boolean {
  const body = enclosingFunction(at)?.childForFieldName('body');
  if (!body) return false;
  return namedChildren(body).some((statement) => {
    if (statement.endIndex > at.startIndex || statement.type !== 'expression_statement') return false;
    const assignment = statement.namedChildren[0];
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== name) return false;
    const value = assignment.childForFieldName('right');
    if (!value || !readsIn(value).some((r) => r.text === name)) return false;
    if (value.type === 'call') {
      const fn = value.childForFieldName('function');
      if (COPYING_CALLS.test(fn?.text ?? '')) return true;
      return fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name && /^(copy|deepcopy)$/.test(fn.childForFieldName('attribute')?.text ?? '');
    }
    if (value.type === 'subscript') return value.childForFieldName('value')?.text === name && /^\[\s*:\s*\]$/.test(value.text.slice(name.length).trim());
    return value.type === 'list_comprehension' || value.type === 'dictionary_comprehension' || value.type === 'set_comprehension';
  });
}

/** The one statement (or clause) binding `name` in `scope`'s own body, outside nested definitions; null if not exactly one. */
function soleBinding(name: string, scope: SyntaxNode): SyntaxNode | null {
  const bindings: SyntaxNode[] = [];
  walk(scope.childForFieldName('body') ?? scope, (n) => {
    if (bindings.length > 1) return false;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (namesBoundBy(n).includes(name)) bindings.push(n);
    return true;
  });
  return bindings.length === 1 ? bindings[0] : null;
}

/** The innermost function or lambda around a node (null: module level). */
function enclosingScope(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p;
  return null;
}

/** Whether a call's value is thrown away (an expression statement, possibly awaited): it runs for effect. */
/**
 * `ranked = df.sort("score")`: a list's or an array's `sort` (and `reverse`) sorts in place and returns None, so one
 * whose value is used is a data frame's (Polars), which returns a sorted copy (round 45: fifty loops refused as
 * changing the frame they sorted).
 */
function sortedCopy(call: SyntaxNode, method: string): boolean {
  return (method === 'sort' || method === 'reverse') && !forEffect(call);
}

function forEffect(call: SyntaxNode): boolean {
  let n = call;
  if (n.parent?.type === 'await') n = n.parent;
  return n.parent?.type === 'expression_statement';
}

/**
 * `db.table("alerts").insert(rows).execute()` (supabase / PostgREST query builders): rows added to one table
 * whose name does not change with the item, the answer dropped — also when the call is a lambda's body handed
 * to a call whose result is dropped (`await run_sync(lambda: db.table(…).insert(c).execute())`). Returns the
 * table's spelling, or null. Rows appended to one table get their ids and their order from the order of the
 * inserts, as records POSTed to one endpoint do; an update or a delete of rows chosen by the item is not this.
 */
function insertsIntoOneTable(call: SyntaxNode, method: string, receiver: SyntaxNode, ctx: RegionContext): string | null {
  if (method !== 'execute' || receiver.type !== 'call') return null;
  const insert = receiver.childForFieldName('function');
  if (insert?.type !== 'attribute' || !/^(insert|upsert)$/.test(insert.childForFieldName('attribute')!.text)) return null;
  const table = insert.childForFieldName('object');
  const tableFn = table?.type === 'call' ? table.childForFieldName('function') : null;
  if (tableFn?.type !== 'attribute' || !/^(table|from_)$/.test(tableFn.childForFieldName('attribute')!.text)) return null;
  const client = tableFn.childForFieldName('object')!;
  const nameArgs = namedChildren(table!.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (nameArgs.length !== 1 || nameArgs[0].type === 'keyword_argument' || nameArgs[0].type.endsWith('splat')) return null;
  if (!sameForEveryItem(nameArgs[0], ctx) || !sameForEveryItem(client, ctx)) return null;
  // the answer dropped: the statement itself, or a lambda whose caller's result is dropped
  let n: SyntaxNode = call;
  if (n.parent?.type === 'lambda') {
    const args = n.parent.parent;
    if (args?.type !== 'argument_list' || args.parent?.type !== 'call') return null;
    n = args.parent;
  }
  return forEffect(n) ? nameArgs[0].text : null;
}

export type Callee =
  | { kind: 'known'; name: string; knowledge: CallKnowledge }
  | { kind: 'function'; name: string; node: SyntaxNode }
  /** A function of another module of the workspace, known by its summary. */
  | { kind: 'imported'; name: string; symbol: Extract<ImportedSymbol, { kind: 'function' }> }
  | { kind: 'class'; name: string }
  | { kind: 'method'; receiver: SyntaxNode; method: string }
  /** A callee the tool cannot see into; `qualified`: what an import of a library says it is (`numpy.full`). */
  | { kind: 'unknown'; name: string; qualified?: string };

/** OpenCV's drawing functions: each draws into the image passed first, in place. */
const CV2_DRAWING = /^cv2\.(rectangle|circle|line|arrowedLine|ellipse|putText|polylines|fillPoly|fillConvexPoly|drawContours|drawMarker)$/;

/**
 * Library functions that change the container passed first, in place: a sorted insert, the heap operations, a
 * shuffle, NumPy's in-place writers (round 41: `insort(sorted_abundant, i)` taken for a pure call, and a process
 * pool's workers inserted into copies while the parent's list stayed empty).
 */
const CHANGES_FIRST_ARGUMENT =
  /^(bisect\.insort(_left|_right)?|heapq\.(heappush|heappop|heapify|heapreplace|heappushpop)|random\.shuffle|numpy\.random\.shuffle|numpy\.(copyto|put|place|putmask|fill_diagonal|put_along_axis)|operator\.(setitem|delitem|iadd|iand|iconcat|ior|isub|imul|ixor))$/;

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^', '@']);

/** Finds a nested `def name` visible from the enclosing functions. */
function localDefinition(name: string, enclosing: SyntaxNode[]): SyntaxNode | null | undefined {
  for (const fn of enclosing) {
    const scope = scopeOf(fn);
    if (scope.params.has(name)) return null;
    if (scope.locals.has(name)) return nestedDefinition(fn, name);
  }
  return undefined;
}

/** Per function: the nested definitions looked up so far, by name (every call of a local name asks). */
const nestedDefinitions = new WeakMap<SyntaxNode, Map<string, SyntaxNode | null>>();

/** The one `def name` of the function, at its top or inside a loop or branch of it, and no other binding (else null). */
function nestedDefinition(fn: SyntaxNode, name: string): SyntaxNode | null {
  let known = nestedDefinitions.get(fn);
  if (!known) nestedDefinitions.set(fn, (known = new Map()));
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  const body = fn.childForFieldName('body');
  const defs: SyntaxNode[] = [];
  let other = false;
  if (body) {
    walk(body, (n) => {
      if (n.type === 'function_definition') {
        if (n.childForFieldName('name')?.text === name) defs.push(n);
        return false;
      }
      if (n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type !== 'decorated_definition' && namesBoundBy(n).includes(name)) other = true;
      return true;
    });
  }
  const found = defs.length === 1 && !other ? defs[0] : null; // else a local variable holding who knows what
  known.set(name, found);
  return found;
}

/**
 * What a name is imported as by an `import` statement inside the enclosing functions (`def f(): import os`), the
 * innermost first, or undefined. Nested functions and classes are not looked into.
 */
function functionImport(name: string, enclosing: SyntaxNode[]): string | undefined {
  for (const fn of enclosing) {
    const body = fn.childForFieldName('body');
    if (!body || !textIncludes(body, 'import')) continue;
    let found: string | undefined;
    walk(body, (n) => {
      if (found !== undefined) return false;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'import_statement' || n.type === 'import_from_statement') {
        for (const [local, qualified] of importBindings(n)) if (local === name) found = qualified;
        return false;
      }
      return true;
    });
    if (found !== undefined) return found;
    if (scopeOf(fn).locals.has(name) || scopeOf(fn).params.has(name)) return undefined;
  }
  return undefined;
}

/** A callee imported inside the enclosing functions (`import os` in the function, then `os.system(…)`), or null. */
function functionImportedCallee(dotted: string | null, enclosing: SyntaxNode[]): Callee | null {
  if (!dotted) return null;
  const root = dotted.split('.')[0];
  const imported = functionImport(root, enclosing);
  if (imported === undefined) return null;
  const qualified = imported + dotted.slice(root.length);
  const knowledge = lookupCall(qualified);
  return knowledge ? { kind: 'known', name: qualified, knowledge } : { kind: 'unknown', name: dotted, qualified };
}

/**
 * `rand = random.random` inside the function, then `rand()`: a local bound once, to a function of an imported module,
 * is that function (round 42: a chi-squared trial drawing through such an alias was taken for independent).
 */
function localAlias(name: string, module: ModuleInfo, enclosing: SyntaxNode[]): Callee | null {
  const fn = enclosing.find((f) => scopeOf(f).locals.has(name) || scopeOf(f).params.has(name));
  if (!fn || scopeOf(fn).params.has(name)) return null;
  const values = valuesBound(fn, name);
  const value = values.length === 1 ? values[0] : null;
  const dotted = value && (value.type === 'attribute' || value.type === 'identifier') ? dottedName(value) : null;
  const root = dotted?.split('.')[0];
  if (!dotted || !root || !module.imports.has(root) || enclosing.some((f) => scopeOf(f).locals.has(root) || scopeOf(f).params.has(root))) return null;
  const qualified = module.imports.get(root)! + dotted.slice(root.length);
  const knowledge = lookupCall(qualified);
  return knowledge ? { kind: 'known', name: qualified, knowledge } : null;
}

/** The module a qualified name comes from (`numpy.full` → `numpy`, `os.path.join` → `os.path`). */
function libraryOf(qualified: string): string {
  const dot = qualified.lastIndexOf('.');
  return dot > 0 ? qualified.slice(0, dot) : qualified;
}

/** Where an unknown callee is defined, for a message: its library, or elsewhere. */
export function whereDefined(callee: { qualified?: string }): string {
  return callee.qualified ? `a function of \`${libraryOf(callee.qualified)}\` the tool has no summary of` : 'defined elsewhere';
}

export function resolveCall(call: SyntaxNode, module: ModuleInfo, enclosing: SyntaxNode[]): Callee {
  const fn = call.childForFieldName('function');
  if (!fn) return { kind: 'unknown', name: call.text.slice(0, 40) };
  return resolveCallable(fn, module, enclosing);
}

const aliasCache = new WeakMap<ModuleInfo, Map<string, string | null>>();

/**
 * The qualified name a module-level name is bound to when its only binding is one assignment of an imported
 * name (`uniform = random.uniform` → `random.uniform`), or null.
 */
function moduleAlias(name: string, module: ModuleInfo): string | null {
  let cache = aliasCache.get(module);
  if (!cache) aliasCache.set(module, (cache = new Map()));
  if (cache.has(name)) return cache.get(name)!;
  let found: string | null = null;
  let count = 0;
  for (const token of tokensSpelled(module.root, name, 'identifier')) {
    const assignment = token.parent;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.id !== token.id) continue;
    count++;
    const atTop = assignment.parent?.type === 'expression_statement' && assignment.parent.parent?.id === module.root.id;
    found = atTop ? importedName(dottedName(assignment.childForFieldName('right')!), module) : null;
  }
  const result = count === 1 ? found : null;
  cache.set(name, result);
  return result;
}

/** A function or class of another workspace module that an imported name stands for, or null. */
function workspaceCallee(name: string, qualified: string, module: ModuleInfo): Callee | null {
  const symbol = module.workspace?.resolve(qualified);
  if (!symbol) return null;
  return symbol.kind === 'function' ? { kind: 'imported', name, symbol } : symbol.kind === 'class' ? { kind: 'class', name } : null;
}

/** What a callable expression (`f`, `mod.f`, `obj.method`) refers to. */
export function resolveCallable(fn: SyntaxNode, module: ModuleInfo, enclosing: SyntaxNode[]): Callee {
  if (fn.type === 'identifier') {
    const name = fn.text;
    const local = localDefinition(name, enclosing);
    if (local) return { kind: 'function', name, node: local };
    if (local === null) return functionImportedCallee(name, enclosing) ?? localAlias(name, module, enclosing) ?? { kind: 'unknown', name };
    const binding = module.bindings.get(name);
    if (binding === 'def') return { kind: 'function', name, node: module.functions.get(name)! };
    if (binding === 'class') return { kind: 'class', name };
    if (binding === 'import') {
      // `from builtins import str` (a Python 2 compatibility import): the builtin itself
      const qualified = module.imports.get(name)!.replace(/^builtins\.(?=\w+$)/, '');
      const knowledge = lookupCall(qualified);
      return knowledge ? { kind: 'known', name: qualified, knowledge } : (workspaceCallee(name, qualified, module) ?? { kind: 'unknown', name, ...(qualified.startsWith('.') ? {} : { qualified }) });
    }
    if (binding === 'assign') {
      // `uniform = random.uniform` at module level: the call is the imported function's
      const qualified = moduleAlias(name, module);
      const knowledge = qualified ? lookupCall(qualified) : null;
      return knowledge ? { kind: 'known', name: qualified!, knowledge } : { kind: 'unknown', name };
    }
    // a function `from helpers import *` brings in from a module of the workspace: its summary
    const starred = binding === undefined ? importedName(name, module) : null;
    if (starred) return workspaceCallee(name, starred, module) ?? { kind: 'unknown', name, qualified: starred };
    const knowledge = lookupCall(name);
    if (knowledge && BUILTIN_NAMES.has(name)) return { kind: 'known', name, knowledge };
    // `ValueError("…")`: a builtin exception class, whose constructor only stores its arguments
    if (BUILTIN_EXCEPTIONS.has(name)) return { kind: 'class', name };
    return { kind: 'unknown', name };
  }
  if (fn.type === 'attribute') {
    const dotted = dottedName(fn);
    const root = dotted?.split('.')[0];
    if (dotted && root && module.imports.has(root) && localDefinition(root, enclosing) === undefined) {
      const qualified = module.imports.get(root)! + dotted.slice(root.length);
      const knowledge = lookupCall(qualified);
      if (knowledge) return { kind: 'known', name: qualified, knowledge };
      const imported = workspaceCallee(dotted, qualified, module);
      if (imported) return imported;
      // attribute of a value imported from a module (`parser.parse()` on an imported object) is a method call
      if (module.imports.get(root)!.includes('.')) {
        return { kind: 'method', receiver: fn.childForFieldName('object')!, method: fn.childForFieldName('attribute')!.text };
      }
      return { kind: 'unknown', name: dotted, ...(qualified.startsWith('.') ? {} : { qualified }) };
    }
    if (dotted && root && localDefinition(root, enclosing) === null) {
      const imported = functionImportedCallee(dotted, enclosing);
      if (imported) return imported;
    }
    const receiver = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute');
    if (receiver && method) return { kind: 'method', receiver, method: method.text };
  }
  return { kind: 'unknown', name: fn.text.slice(0, 40) };
}

/** The scope whose binding of `name` code of the region reads: the innermost enclosing function binding it, or the module. */
function bindingScopeOf(name: string, ctx: RegionContext): SyntaxNode | null {
  for (const fn of ctx.enclosing) {
    const scope = scopeOf(fn);
    if (scope.params.has(name)) return null;
    if (scope.locals.has(name)) return fn.childForFieldName('body');
  }
  return ctx.module.bindings.get(name) === 'assign' ? ctx.module.root : null;
}

/** The values bound to `name` in a scope by `name = value` or `with value as name`; null when another statement binds it. */
function boundValues(name: string, scope: SyntaxNode): SyntaxNode[] | null {
  const values: SyntaxNode[] = [];
  for (const token of tokensSpelled(scope, name, 'identifier')) {
    const parent = token.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) {
      const right = parent.childForFieldName('right');
      if (!right) return null;
      values.push(right);
    } else if (parent?.type === 'as_pattern_target' && parent.parent?.type === 'as_pattern' && parent.parent.parent?.type === 'with_item') {
      const pattern = withItemPattern(parent.parent.parent);
      const value = pattern?.namedChildren[0];
      if (!value) return null;
      values.push(value);
    } else if (parent && isBindingPosition(token)) return null;
  }
  return values;
}

/** Whether an identifier is bound where it stands other than by a plain assignment (a for target, `+=`, …). */
function isBindingPosition(token: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = token.parent; n; n = n.parent) {
    if (n.type === 'pattern_list' || n.type === 'tuple_pattern' || n.type === 'list_pattern' || n.type === 'as_pattern_target') continue;
    if (['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'named_expression'].includes(n.type)) {
      const left = n.childForFieldName(n.type === 'named_expression' ? 'name' : 'left');
      return !!left && (left.id === token.id || (left.startIndex <= token.startIndex && token.endIndex <= left.endIndex));
    }
    return false;
  }
  return false;
}

/** The call whose value a receiver is: the call itself, or the one call a name is bound to in its scope. */
function producingCall(receiver: SyntaxNode, ctx: RegionContext): SyntaxNode | null {
  if (receiver.type === 'call') return receiver;
  if (receiver.type !== 'identifier') return null;
  const scope = bindingScopeOf(receiver.text, ctx);
  const values = scope ? boundValues(receiver.text, scope) : null;
  return values?.length === 1 && values[0].type === 'call' ? values[0] : null;
}

/**
 * A request made through an object the analysis does not know (`session.get(url)` on a session made elsewhere):
 * the `.json()` of its response says it was an HTTP request. A request the tables know is evidence already.
 */
function isUnknownRequest(request: SyntaxNode, ctx: RegionContext): boolean {
  if (clientCall(request, ctx.module)) return false; // a session's request is evidence already
  const callee = resolveCall(request, ctx.module, ctx.enclosing);
  return callee.kind === 'method' && HTTP_METHODS.has(callee.method);
}

/** Whether a receiver is a process started by `subprocess.Popen` (the call itself, or a name bound to it). */
function isStartedProcess(receiver: SyntaxNode, ctx: RegionContext): boolean {
  const start = producingCall(receiver, ctx);
  if (!start) return false;
  const callee = resolveCall(start, ctx.module, ctx.enclosing);
  return callee.kind === 'known' && callee.name === 'subprocess.Popen';
}

/**
 * The seconds of a `time.sleep` whose argument is a constant: a number, or a name bound once to one (a module
 * constant, or a local assigned once), or in a loop a parameter its function never rebinds; NaN when constant but
 * not evaluated. Null when it varies, when it is zero (`sleep(0)` yields the thread, it does not pause), or when
 * it waits after a failure (in an `except` clause: a retry's back-off, not a pace).
 */
function pauseSeconds(call: SyntaxNode, ctx: RegionContext): number | null {
  for (let p = call.parent; p && !['for_statement', 'while_statement', 'function_definition', 'lambda'].includes(p.type); p = p.parent) {
    if (p.type === 'except_clause' || p.type === 'except_group_clause') return null;
  }
  // `time.sleep` takes its seconds by position only
  const seconds = pauseArgument(call);
  const value = seconds && seconds.parent?.type !== 'keyword_argument' ? constantValue(seconds, ctx, 0) : null;
  return value === null || value === 0 ? null : value;
}

/** A call as written, on one line and at most about 40 characters (`time.sleep(0.34 if not api_key else 0.1…)`). */
function shortCall(call: SyntaxNode): string {
  const text = call.text.split('\n')[0];
  return text.length <= 44 ? text : `${text.slice(0, 40)}…)`;
}

/** The one argument of a pause (`time.sleep(2)`, `asyncio.sleep(delay=2)`), or null. */
function pauseArgument(call: SyntaxNode): SyntaxNode | null {
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (args.length !== 1) return null;
  return args[0].type === 'keyword_argument' ? args[0].childForFieldName('value') : args[0];
}

/** Whether a function returns a value anywhere in its own body (`return x`; a bare `return` does not). */
function returnsValue(fn: SyntaxNode): boolean {
  let found = false;
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if (found || SCOPE_TYPES.has(n.type)) return false;
    if (n.type === 'return_statement' && n.namedChildren.length > 0) found = true;
    if (n.type === 'yield') found = true;
    return !found;
  });
  return found;
}

/** The pause functions, by qualified name. */
const PAUSES = /^(time\.sleep|asyncio\.sleep)$/;

/** Random draws a jittered pause is made of, with the mean of their constant bounds. */
const JITTER_DRAWS = /^random\.(uniform|randint|randrange|triangular)$/;

/** Whether a node sits in the argument of a pause (`time.sleep(random.uniform(1, 3))`, `sleep(base + random.random())`). */
function inPauseArgument(n: SyntaxNode, ctx: RegionContext): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'call') return PAUSES.test(importedName(dottedName(p.childForFieldName('function')!), ctx.module) ?? '');
    if (!['binary_operator', 'parenthesized_expression', 'argument_list', 'unary_operator', 'keyword_argument'].includes(p.type)) return false;
  }
  return false;
}

/**
 * Whether a random draw only sets how long a pause lasts (`time.sleep(random.uniform(2, 4))`, or `delay =
 * random.uniform(…)` read only by pauses): a jitter kept between requests, whose value no result depends on.
 */
function pauseJitter(call: SyntaxNode, name: string, ctx: RegionContext): boolean {
  if (!name.startsWith('random.')) return false;
  if (inPauseArgument(call, ctx)) return true;
  const assignment = call.parent?.type === 'assignment' ? call.parent : null;
  const target = assignment?.childForFieldName('left');
  if (target?.type !== 'identifier' || assignment?.childForFieldName('right')?.id !== call.id) return false;
  const scope = bindingScopeOf(target.text, ctx);
  if (!scope) return false;
  const reads = tokensSpelled(scope, target.text, 'identifier').filter((t) => t.id !== target.id);
  return reads.length > 0 && reads.every((t) => inPauseArgument(t, ctx));
}

/** Whether a pause is given a constant zero (`time.sleep(0)`, `asyncio.sleep(0)`): it waits for nothing. */
function zeroPause(call: SyntaxNode, ctx: RegionContext): boolean {
  const seconds = pauseArgument(call);
  return !!seconds && constantValue(seconds, ctx, 0) === 0;
}

function constantValue(n: SyntaxNode, ctx: RegionContext, depth: number): number | null {
  if (depth > 4) return null;
  switch (n.type) {
    case 'call': {
      // a jittered pause (`random.uniform(2, 4)`): as long as its mean
      const qualified = importedName(dottedName(n.childForFieldName('function')!), ctx.module) ?? '';
      const bounds = namedChildren(n.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
      // `get_sleep_time()`: a function of this file whose body only returns a constant or a jittered draw
      const own = n.childForFieldName('function')?.type === 'identifier' && bounds.length === 0 ? ctx.module.functions.get(n.childForFieldName('function')!.text) : undefined;
      if (own) {
        const body = namedChildren(own.childForFieldName('body')!).filter((c) => c.type !== 'comment' && !(c.type === 'expression_statement' && c.namedChildren[0]?.type === 'string'));
        const value = body.length === 1 && body[0].type === 'return_statement' ? body[0].namedChildren[0] : undefined;
        return value ? constantValue(value, ctx, depth + 1) : null;
      }
      if (!JITTER_DRAWS.test(qualified) || bounds.length < 2) return null;
      const [low, high] = [constantValue(bounds[0], ctx, depth + 1), constantValue(bounds[1], ctx, depth + 1)];
      return low === null || high === null ? null : (low + high) / 2;
    }
    case 'integer':
    case 'float': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isNaN(v) ? Number.NaN : v;
    }
    case 'parenthesized_expression':
      return n.namedChildren.length === 1 ? constantValue(n.namedChildren[0]!, ctx, depth) : null;
    case 'conditional_expression': {
      // `0.34 if not api_key else 0.11`: a constant either way, at least the shorter
      const [then, , otherwise] = namedChildren(n);
      const a = then ? constantValue(then, ctx, depth + 1) : null;
      const b = otherwise ? constantValue(otherwise, ctx, depth + 1) : null;
      return a === null || b === null || a === 0 || b === 0 ? null : Math.min(a, b);
    }
    case 'unary_operator': {
      const v = n.childForFieldName('argument') ? constantValue(n.childForFieldName('argument')!, ctx, depth) : null;
      return v === null ? null : n.text.trim().startsWith('-') ? -v : v;
    }
    case 'binary_operator': {
      const a = constantValue(n.childForFieldName('left')!, ctx, depth);
      const b = constantValue(n.childForFieldName('right')!, ctx, depth);
      if (a === null || b === null) return null;
      switch (n.childForFieldName('operator')?.text) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? null : a / b;
        default:
          return null;
      }
    }
    case 'identifier': {
      const fn = ctx.enclosing[0];
      if (fn && scopeOf(fn).params.has(n.text)) {
        // a parameter the function never rebinds has one value for the whole loop
        const body = fn.childForFieldName('body');
        if (!body || boundValues(n.text, body)?.length !== 0) return null;
        if (ctx.effectsMatter) return Number.NaN;
        // a function's own pause of a parameter declared with a number of seconds (`def fetch(gid, rate_delay=0.2):
        // … time.sleep(rate_delay)`): each call waits that long, pacing its caller's loop (round 55: a CDN paced per
        // game through its fetch function, called I/O work)
        const declared = declaredDefault(fn, n.text);
        const seconds = declared && (declared.type === 'integer' || declared.type === 'float') ? constantValue(declared, ctx, depth + 1) : null;
        return seconds !== null && seconds > 0 ? seconds : null;
      }
      const scope = bindingScopeOf(n.text, ctx);
      const values = scope ? boundValues(n.text, scope) : null;
      return values?.length === 1 ? constantValue(values[0], ctx, depth + 1) : null;
    }
    case 'attribute': {
      // a setting read off an object the iterations share (`time.sleep(args.delay)`, `self.interval`): one value for
      // the whole loop, as a parameter's is — not one that follows the item (`item.wait`) or is made in the iteration
      const object = n.childForFieldName('object');
      const role = object?.type === 'identifier' ? ctx.role(object.text) : null;
      return ctx.effectsMatter && (role === 'shared' || role === 'param' || role === 'module') ? Number.NaN : null;
    }
    default:
      return null;
  }
}

/** Methods of a logger (loguru's `opt`/`bind`/`patch`/`contextualize`, logging's `getChild`) returning a view of it. */
const LOGGER_VIEW_METHODS = new Set(['opt', 'bind', 'patch', 'contextualize', 'getChild']);

/** The role of the object a method is called on, or a subscript/attribute is written through. */
function receiverRole(receiver: SyntaxNode, ctx: RegionContext): { role: NameRole; name: string } {
  let n: SyntaxNode | null = receiver;
  for (;;) {
    while (n && (n.type === 'attribute' || n.type === 'subscript' || n.type === 'parenthesized_expression')) {
      n = n.type === 'parenthesized_expression' ? (n.namedChildren[0] ?? null) : n.childForFieldName(n.type === 'attribute' ? 'object' : 'value');
    }
    // `logger.opt(depth=1)`, `logger.bind(user=u)`, `log.getChild("x")`: a view of the same logger, writing to its
    // sinks — not an object made here; the role is the logger's
    const f: SyntaxNode | null = n?.type === 'call' ? n.childForFieldName('function') : null;
    if (f?.type === 'attribute' && LOGGER_VIEW_METHODS.has(f.childForFieldName('attribute')?.text ?? '')) {
      n = f.childForFieldName('object');
      continue;
    }
    break;
  }
  if (!n) return { role: 'shared', name: receiver.text };
  if (n.type === 'identifier') return { role: ctx.role(n.text), name: n.text };
  // `super().print(…)` in a method: the method of a base class, called on `self` — not a value made here
  if (n.type === 'call' && n.childForFieldName('function')?.text === 'super') {
    const self = ctx.enclosing[0] ? parameterNames(ctx.enclosing[0])[0] : undefined;
    if (self) return { role: ctx.role(self), name: self };
  }
  // a call result, a literal, a comprehension: a value made right here
  return { role: 'fresh', name: n.text.slice(0, 30) };
}

/**
 * Whether `receiver` is a parameter of a lambda around it (`max(files, key=lambda p: p.stat().st_mtime)`): it names
 * what the lambda's caller passes — here an element of `files` — not an object every iteration shares.
 */
function lambdaParameter(receiver: SyntaxNode): boolean {
  if (receiver.type !== 'identifier') return false;
  for (let p = receiver.parent; p && p.type !== 'function_definition' && p.type !== 'module'; p = p.parent) {
    if (p.type === 'lambda' && parameterNames(p).includes(receiver.text)) return true;
  }
  return false;
}

/**
 * The locals of a function bound only as the loop variable of a `for` over the items of one of its parameters
 * (`for n in nodes`, `for i, n in enumerate(nodes)`, `for n in nodes.values()`, `for k, n in nodes.items()`), or
 * unpacked from those items (`for pos, vel in moons`): each names an object the caller handed in, or a part of one.
 * Local name → parameter.
 */
function paramItems(fn: SyntaxNode, params: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  const rejected = new Set<string>();
  const body = fn.childForFieldName('body');
  if (!body || params.size === 0) return found;
  walk(body, (n) => {
    if (n.id !== body.id && SCOPE_TYPES.has(n.type)) return false;
    if (n.type !== 'for_statement') return true;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (!left || !right) return true;
    let source: SyntaxNode | null = right;
    let target: SyntaxNode | null = left;
    const call = right.type === 'call' ? right : null;
    const callee = call?.childForFieldName('function');
    const args = call ? namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment') : [];
    const pair = (t: SyntaxNode) => (t.type === 'pattern_list' || t.type === 'tuple_pattern') && namedChildren(t).length === 2 ? namedChildren(t)[1] : null;
    if (callee?.type === 'identifier' && callee.text === 'enumerate' && args.length === 1) {
      source = args[0];
      target = pair(left);
    } else if (callee?.type === 'attribute' && args.length === 0 && callee.childForFieldName('attribute')?.text === 'values') {
      source = callee.childForFieldName('object');
    } else if (callee?.type === 'attribute' && args.length === 0 && callee.childForFieldName('attribute')?.text === 'items') {
      source = callee.childForFieldName('object');
      target = pair(left);
    }
    const param = source?.type === 'identifier' && params.has(source.text) ? source.text : null;
    // `for pos, vel in moons:`: each name unpacked from an item is a part of that item, the caller's object too
    // (round 41: `vel[i] += 1` through such a name was taken for a change of a fresh local)
    const parts = target && (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') ? new Set(descendantsNamed(target, 'identifier').map((id) => id.text)) : null;
    for (const name of namesBoundBy(n)) {
      const bound = target?.type === 'identifier' ? target.text === name : !!parts?.has(name);
      if (param && bound && !rejected.has(name) && (!found.has(name) || found.get(name) === param)) found.set(name, param);
      else {
        rejected.add(name);
        found.delete(name);
      }
    }
    return true;
  });
  // bound otherwise too (assigned, another loop): not only the parameter's items
  for (const name of [...found.keys()]) {
    for (const token of tokensSpelled(body, name, 'identifier')) {
      const parent = token.parent;
      const assigned = (parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === token.id;
      if (assigned || parent?.type === 'named_expression' || parent?.type === 'global_statement' || parent?.type === 'nonlocal_statement') found.delete(name);
    }
  }
  return found;
}

export function scanRegion(nodes: SyntaxNode[], ctx: RegionContext, extra?: { callables?: SyntaxNode[]; skip?: Set<number> }): RegionEffects {
  const effects: RegionEffects = {
    cpu: [],
    io: [],
    problems: [],
    calledFunctions: [],
    mutatedParams: new Set(),
    paramEffects: new Map(),
    loopsWithArithmetic: null,
    hasArithmetic: false,
    awaits: [],
    lazyCalls: [],
    lazyIterators: [],
    launches: [],
    pace: null,
    serialised: null,
    singleSlot: null,
    inputSizedCpu: [],
    deferredRaces: [],
  };
  /** Constant `time.sleep` calls made directly in the region (not in functions it calls). */
  const pauses: Evidence[] = [];
  // calls into libraries the analysis cannot see into (`geocoder.osm(…)`): a constant pause next to one may pace it
  const unseen: Evidence[] = [];
  const problem = (kind: ProblemKind, message: string, node: SyntaxNode, name?: string, remedy?: string, sharedParam?: Problem['sharedParam']) => {
    // in a function's summary: a problem behind `if verbose:` is met only by calls that switch it on
    const guard = ctx.effectsMatter ? undefined : flagGuard(node, ctx);
    // a message printed or logged only in an `except` handler: output of the failures alone
    const onError = kind === 'ordered-effect' && node.type === 'call' && MESSAGE_CALL.test(node.childForFieldName('function')?.text ?? '') && inExceptHandler(node);
    effects.problems.push({ kind, message, line: lineOf(node), name, ...(remedy ? { remedy } : {}), ...(guard ? { guard } : {}), ...(onError ? { onError: true as const } : {}), ...(sharedParam ? { sharedParam } : {}) });
  };

  // a `GET` naming an action: one that changes the server's state (`cmd=delete_user`) is an administrative write,
  // applied in the order the loop sends them; any other (`cmd=get_metadata`) is only doubted
  const actionProblem = (what: string, action: string, call: SyntaxNode, name: string) => {
    if (!WRITE_ACTION.test(action)) return problem('unknown', actionDoubt(what, action), call, name);
    problem(
      'ordered-effect',
      `\`${what}\` asks the server to change its state (\`${action}\`): each call is an administrative write to one server, made in the order of the loop; sent at once, the server would take them in another order, one at a time in its own store`,
      call,
      name,
      'keep the administrative writes in order (they are few and the server serialises them), or use a batch endpoint if the server has one',
    );
  };
  const mutation = (targetNode: SyntaxNode, what: string, at: SyntaxNode) => {
    // `os.environ["K"] = v`: process-wide state
    const hidden = hiddenStateObject(targetNode, ctx.module, ctx.enclosing);
    if (hidden) {
      problem('shared-state', `${what} changes ${hidden}, which every iteration shares`, at, targetNode.text);
      return;
    }
    const { role, name } = receiverRole(targetNode, ctx);
    if (role === 'fresh') return;
    if (role === 'param' && ownKeywordDict(targetNode, at, ctx.enclosing[0])) return;
    if (role === 'param' && copiedBefore(name, at)) return;
    if (role === 'param') {
      // `n.depth = d` for `n` an item of the parameter `nodes`: the parameter's objects are changed
      const param = ctx.paramOf?.(name) ?? name;
      effects.mutatedParams.add(param);
      if (!effects.paramEffects.has(param)) effects.paramEffects.set(param, { what: param === name ? what : `${what} (\`${name}\` is an item of \`${param}\`)`, line: lineOf(at) });
      return;
    }
    const key = targetNode.type === 'subscript' ? targetNode.childForFieldName('subscript') : null;
    if (role === 'item') {
      effects.problems.push({
        kind: 'shared-state',
        message: `${what} changes the item \`${name}\` itself: in a worker process the change is made to a copy and lost`,
        line: lineOf(at),
        name,
        inThreads: `${what} changes the item \`${name}\` itself, in place: a thread pool shares the items, so the parent sees the change as before; cannot prove that no two items are the same object`,
      });
    } else if (key?.type === 'identifier' && ctx.role(key.text) === 'item') {
      // `repeat[chr]` with `chr` the item: each iteration changes its own entry, which a worker would change in its copy
      problem('shared-state', `${what} changes \`${targetNode.text.slice(0, 40)}\`, the entry of \`${name}\` for this item, in place: the iterations change different entries, but in a worker process the change is made to a copy and lost`, at, name);
    } else {
      problem('shared-state', `${what} changes ${sharedPhrase(name, ctx)}`, at, name);
    }
  };

  /**
   * An object made in the iteration (`w = Walker(rng)`) and changed by a call is the iteration's own only if it
   * keeps nothing from outside: the arguments its constructor may store are checked.
   */
  const keptByFresh = (object: SyntaxNode, what: string, at: SyntaxNode) => {
    if (!ctx.effectsMatter || receiverRole(object, ctx).role !== 'fresh') return;
    const built = constructorCall(object, ctx.enclosing[0] ?? null, ctx.module);
    if (!built) return;
    const kept = keptArguments(built, ctx.module);
    const className = built.childForFieldName('function')!.text;
    if (kept === 'unknown') {
      problem('unknown', `${what} changes \`${object.text.slice(0, 30)}\`, built at line ${lineOf(built)} by \`${className}(…)\`, whose construction is not all in this file: cannot prove that it keeps nothing the iterations share`, at, object.text);
      return;
    }
    for (const { arg, param } of kept) {
      for (const r of readsIn(arg)) {
        const role = ctx.role(r.text);
        if (role === 'fresh' || role === 'module' || ctx.module.bindings.get(r.text) === 'def' || ctx.module.bindings.get(r.text) === 'class' || isLiteralConstant(r.text, ctx.module)) continue;
        const stored = `\`${object.text.slice(0, 30)}\`, built at line ${lineOf(built)} from \`${r.text}\`, which \`${className}\` may keep${param ? ` (its parameter \`${param}\`)` : ''}`;
        if (role === 'shared') problem('shared-state', `${what} changes ${stored}: \`${r.text}\` is shared by every iteration`, at, r.text);
        else problem('unknown', `${what} changes ${stored}: cannot prove the change leaves \`${r.text}\` alone`, at, r.text);
        return;
      }
    }
  };

  /**
   * A call of a function (or method) of this file: its summary's evidence, problems and races stand for the call;
   * `method` says how a method binds its receiver and arguments.
   */
  /**
   * A function passed by name to `map(f, xs, …)` that changes a parameter: the parameters the iterables feed get
   * each item (changed in place: lost in a worker process, as in a loop body), a method's first the receiver, the
   * others their default, which every call shares.
   */
  const mappedMutation = (callable: SyntaxNode, display: string, param: string, changed: { what: string; line: number } | undefined, names: readonly string[], method?: MethodTarget) => {
    const how = changed ? `, ${changed.what} at line ${changed.line}` : '';
    const arg = mappedArgument(callable, names, param, method);
    const what = `\`${display}()\` (mapped at line ${lineOf(callable)}${how})`;
    if (arg === 'receiver') {
      const receiver = callable.childForFieldName('object');
      if (receiver) {
        mutation(receiver, what, callable);
        return;
      }
    }
    if (arg === 'item') {
      effects.problems.push({
        kind: 'shared-state',
        message: `${what} changes its argument \`${param}\`, each item itself: in a worker process the change is made to a copy and lost`,
        line: lineOf(callable),
        name: param,
        inThreads: `${what} changes its argument \`${param}\`, each item itself, in place: a thread pool shares the items, so the parent sees the change as before; cannot prove that no two items are the same object`,
      });
      return;
    }
    problem('shared-state', `\`${display}()\` (mapped at line ${lineOf(callable)}) changes its parameter \`${param}\`${how}, whose value here is its default or cannot be told`, callable, param);
  };

  const applySummary = (call: SyntaxNode, calleeNode: SyntaxNode | null, display: string, method?: MethodTarget, imported?: ImportedFunction) => {
    if (calleeNode) effects.calledFunctions.push(calleeNode);
    const summary = calleeNode ? ctx.summaries.get(calleeNode) : calleeSummary(imported!);
    if (summary.isGenerator && !consumedInPlace(call)) {
      effects.lazyCalls.push(call);
      return;
    }
    if (summary.launches) {
      // the framework runs the body elsewhere, later or at once: the call itself only hands it over
      effects.launches.push({ call, decorator: summary.launches });
      return;
    }
    const via = display;
    const defined = imported ? { defined: imported.where } : {};
    const calledAt = `called at line ${lineOf(call)}${imported ? `, defined in \`${imported.where}\`` : ''}`;
    const params = calleeNode ?? imported!.summary.params;
    // the call stands for the work found inside, which keeps what it waits for and how it computes
    // where the callee is defined: this call's, never that of a function it calls in turn (`helper → json_output`,
    // with `json_output` imported, is not "`helper` defined in textio.py")
    const through = ({ defined: _inner, guard: _flag, ...e }: Evidence): Evidence => ({ ...e, what: display, line: lineOf(call), via: describeEvidence(e), ...defined });
    // work behind a flag of the callee (`if resolve_host: socket.getaddrinfo(…)`): a call switching the flag off does
    // the work found outside the flags, if any; one forwarding a flag of its own does it when that one is true
    const flagged = (e: Evidence | undefined, unguarded: Evidence | undefined): Evidence | undefined => {
      if (!e?.guard) return e && through(e);
      const passed = flagPassed(call, calleeNode ?? params, e.guard, method, ctx, !!summary.falseDefaults?.includes(e.guard));
      if (passed === false) return unguarded && through(unguarded);
      return typeof passed === 'string' ? { ...through(e), guard: passed } : through(e);
    };
    const cpuDone = flagged(summary.cpu, summary.unguarded?.cpu);
    const ioDone = flagged(summary.io, summary.unguarded?.io);
    if (cpuDone) effects.cpu.push(cpuDone);
    else if (summary.inputSizedCpu) {
      // a regex in the callee on its argument: real work when the call repeats here
      const evidence = through(summary.inputSizedCpu);
      if (repeatedOrLarge(call)) effects.cpu.push(evidence);
      else effects.inputSizedCpu.push(evidence);
    }
    if (ioDone) effects.io.push(ioDone);
    // `polite_delay()`: a function of this file that only pauses, called for its effect and returning nothing, is
    // a pause made here (a stand-in for a request returns what it fetched)
    if (calleeNode && ioDone?.pause && !cpuDone && forEffect(call) && !returnsValue(calleeNode)) pauses.push({ ...ioDone, what: shortCall(call) });
    if (summary.pace && !effects.pace) effects.pace = { pause: through(summary.pace.pause), paced: through(summary.pace.paced) };
    if (summary.serialised && !effects.serialised) effects.serialised = through(summary.serialised);
    if (summary.singleSlot && !effects.singleSlot) effects.singleSlot = { ...through(summary.singleSlot), via: summary.singleSlot.via, service: summary.singleSlot.service };
    if (summary.unseenMethod) effects.unseenMethod ??= through(summary.unseenMethod);
    if (imported && ctx.effectsMatter) {
      const file = imported.where.replace(/:\d+$/, '');
      // a same-file function is followed to the loop's own function (reachesItself); through a cycle it cannot be
      if (imported.cyclic && ctx.enclosing.length > 0) problem('unknown', `\`${via}()\` (${calledAt}) is in a module that imports this one back: cannot prove that it does not call this loop's function again (a pool inside a worker)`, call, via);
      for (const g of imported.rebound ?? []) {
        problem('unknown', `\`${via}()\` (${calledAt}) reads \`${g}\`, which a function of \`${file}\` rebinds at run time: a worker started by spawn imports that module afresh and may see another value`, call, via);
      }
    }
    // a function nested here changes this call's own locals through its closure (`cuts.append(…)` in a helper of
    // the function that made `cuts`): fresh on every call, not shared with anything outside it
    const closure = !!calleeNode && ctx.enclosing.some((fn) => isAncestorOf(fn, calleeNode));
    // what this call hands the callee for `param`: the same object on every iteration ('same'), a parameter of the
    // function being summarised (its name: that function's callers decide), or something else (undefined)
    const handedOnEveryCall = (param: string): 'same' | string | undefined => {
      if (call.type !== 'call') return undefined;
      const arg = method ? methodArgumentFor(call, method, param) : plainArgumentFor(call, params, param);
      const handed = arg === 'receiver' ? call.childForFieldName('function')?.childForFieldName('object') : arg;
      if (!handed || handed.type.endsWith('splat')) return undefined;
      if (handed.type === 'identifier' && ctx.role(handed.text) === 'param') return handed.text;
      // the same object, not merely an equal value: a name (or an attribute of one, `self.service`) bound outside
      // the iteration; a call or a local made in it is each iteration's own
      let base: SyntaxNode | null = handed;
      while (base?.type === 'attribute') base = base.childForFieldName('object');
      return ctx.effectsMatter && base?.type === 'identifier' && ['shared', 'module'].includes(ctx.role(base.text)) ? 'same' : undefined;
    };
    for (const { guard, ...p } of summary.problems) {
      if (closure && p.name && ctx.role(p.name) === 'fresh' && p.kind === 'shared-state') continue;
      // `time.sleep(get_sleep_time())`: the callee's random draw only sets how long the pause lasts
      if (p.kind === 'shared-state' && p.name?.startsWith('random.') && call.type === 'call' && inPauseArgument(call, ctx)) continue;
      // `digest(p)` of `def digest(path, verbose=False)` printing under `if verbose:`: this call never prints; one
      // forwarding a parameter of its own (`digest(p, verbose)`) prints when that one is true
      const passed = guard ? flagPassed(call, calleeNode ?? params, guard, method, ctx, !!summary.falseDefaults?.includes(guard)) : null;
      if (passed === false) continue;
      const { sharedParam, ...rest } = p;
      const shared = sharedParam ? handedOnEveryCall(sharedParam.param) : undefined;
      if (shared === 'same') {
        effects.problems.push({ ...rest, kind: 'shared-state', message: `\`${via}()\` (${calledAt}): ${sharedParam!.message}`, line: lineOf(call), ...(sharedParam!.remedy ? { remedy: sharedParam!.remedy } : {}) });
        continue;
      }
      effects.problems.push({ ...rest, message: `\`${via}()\` (${calledAt}): ${p.message}`, line: lineOf(call), ...(p.inThreads ? { inThreads: `\`${via}()\` (${calledAt}): ${p.inThreads}` } : {}), ...(typeof passed === 'string' ? { guard: passed } : {}), ...(typeof shared === 'string' ? { sharedParam: { ...sharedParam!, param: shared } } : {}) });
    }
    for (const race of summary.deferredRaces) {
      // the callee's directory is the item's own only if the argument for one of these parameters is
      const position = calleeNode ? parameterNames(calleeNode) : imported!.summary.params;
      if (call.type !== 'call') {
        // passed by name to `map(f, xs)`: a parameter fed by an iterable gets the item, the others their default
        if (race.params.some((p) => mappedArgument(call, position, p, method) !== null)) continue;
        problem('shared-state', `\`${via}()\` (mapped at line ${lineOf(call)}): ${race.message}`, call, via, MKDIR_REMEDY);
        continue;
      }
      const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
      const positional = args.filter((a) => a.type !== 'keyword_argument');
      const argumentFor = (p: string) => {
        if (!method) return args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === p)?.childForFieldName('value') ?? positional[position.indexOf(p) - (isMethodCall(call) ? 1 : 0)];
        const arg = methodArgumentFor(call, method, p);
        return arg === 'receiver' ? (call.childForFieldName('function')?.childForFieldName('object') ?? undefined) : (arg ?? undefined);
      };
      const passed = race.params.map(argumentFor);
      const varying = (n: string) => ctx.role(n) === 'item' || ctx.role(n) === 'param';
      if (passed.some((arg) => !arg || arg.type.endsWith('splat') || variesWithItem(arg, varying, ctx.enclosing[0] ?? null))) continue;
      // the same value on every call: a race; a value computed from the item in a way not shown to keep it whole: a doubt
      if (passed.every((arg) => !readsIn(arg!).some((r) => ctx.role(r.text) !== 'shared' && ctx.role(r.text) !== 'module'))) {
        problem('shared-state', `\`${via}()\` (called at line ${lineOf(call)}): ${race.message}`, call, via, MKDIR_REMEDY);
      } else {
        problem('unknown', `cannot prove that the directory \`${via}()\` creates (called at line ${lineOf(call)} with \`${passed.map((a) => a!.text.slice(0, 40)).join('`, `')}\`) is each iteration's own: two iterations creating the same one race (FileExistsError)`, call, via);
      }
    }
    // a `POST` to the URL passed for one of its parameters: the same URL on every call, the answer unread, is a
    // record added to one remote collection per call (an alert to one channel), in the calls' order
    if (summary.postsToParam && call.type === 'call' && (call.parent?.type === 'expression_statement' || call.parent?.type === 'await')) {
      const arg = method ? methodArgumentFor(call, method, summary.postsToParam.param) : plainArgumentFor(call, params, summary.postsToParam.param);
      if (arg && arg !== 'receiver' && !arg.type.endsWith('splat') && sameForEveryItem(arg, ctx)) {
        const shown = arg.text.length > 40 ? `${arg.text.slice(0, 37)}…` : arg.text;
        problem('ordered-effect', `\`${via}()\` (called at line ${lineOf(call)}) posts to the URL it is handed (\`${summary.postsToParam.what}()\`${imported ? ` in \`${imported.where.replace(/:\d+$/, '')}\`` : `, line ${summary.postsToParam.line}`}), the same one on every call here (\`${shown}\`), and nothing reads the answer: each call adds a record to one remote collection (a channel, a sheet, a table), in the order of the calls; sent at once, the records would arrive in another order`, call, via, 'keep the requests in order, or send the records in one request if the service takes a batch (a Discord or Slack message holds several embeds or blocks)');
      }
    }
    // a function of another module writing the file it is handed (`save_csv_row(report_path, row)`), handed the same
    // one on every call here: the rows land in the order of the calls (same-file functions: see calleeFileWrite)
    if (imported && summary.writesParam && call.type === 'call') {
      const arg = plainArgumentFor(call, params, summary.writesParam.param);
      if (arg && !arg.type.endsWith('splat') && sameForEveryItem(arg, ctx)) {
        problem('ordered-effect', `every iteration writes to the same file: \`${via}()\` (called at line ${lineOf(call)}, \`${imported.where.replace(/:\d+$/, `:${summary.writesParam.line}`)}\`) writes the file it is handed as \`${summary.writesParam.param}\`, and the loop hands it \`${arg.text.slice(0, 40)}\` each time, so the order of the calls decides what the file holds`, call, via, 'return each row from the iteration and write them in the parent, in order');
      }
    }
    if (summary.fixedWrite) {
      problem('ordered-effect', `\`${via}()\` (called at line ${lineOf(call)}) writes to the same file on every call (\`${summary.fixedWrite.path}\`, ${imported ? `\`${imported.where.replace(/:\d+$/, `:${summary.fixedWrite.line}`)}\`` : `line ${summary.fixedWrite.line}`}), so the order of the calls decides what the file holds`, call, via);
    }
    // a parameter the callee changes: the argument passed for it (the receiver, for a method's `self`) is changed
    for (const param of summary.mutatedParams) {
      if (call.type !== 'call') {
        mappedMutation(call, display, param, summary.paramEffects?.get(param), calleeNode ? parameterNames(calleeNode) : imported!.summary.params, method);
        continue;
      }
      const arg = method ? methodArgumentFor(call, method, param) : plainArgumentFor(call, params, param);
      const changed = summary.paramEffects?.get(param);
      const how = changed ? `, ${changed.what} at line ${changed.line}` : '';
      if (arg === 'receiver') {
        const receiver = (call.childForFieldName('function') as SyntaxNode).childForFieldName('object')!;
        mutation(receiver, `\`${display}()\` (called at line ${lineOf(call)}${how})`, call);
        keptByFresh(receiver, `\`${display}()\` (called at line ${lineOf(call)}${how})`, call);
      } else if (arg) {
        mutation(arg, `\`${display}()\` changes its argument \`${param}\` (called at line ${lineOf(call)}${how}): it`, call);
        keptByFresh(arg, `\`${display}()\` changes its argument \`${param}\` (called at line ${lineOf(call)}${how}): it`, call);
      } else {
        // not passed (its default, shared by every call) or not told apart (a splat)
        problem('shared-state', `\`${display}()\` (called at line ${lineOf(call)}) changes its parameter \`${param}\`${how}, whose value here is its default or cannot be told`, call, param);
      }
    }
  };

  const visitCall = (call: SyntaxNode, callee: Callee = resolveCall(call, ctx.module, ctx.enclosing)) => {
    // `plt.bar(…)`, `os.chdir(…)`, `sys.path.append(…)`: state of a library or of the process, whatever the arguments
    const hidden = call.type === 'call' ? hiddenStateCall(call, ctx.module, ctx.enclosing) : null;
    if (hidden) {
      problem('shared-state', hidden, call, call.childForFieldName('function')?.text);
      // `plt.savefig(path)`: rendering the current figure is work besides the state it touches
      if (figureRender(call, ctx.module)) effects.cpu.push({ kind: 'cpu', what: 'matplotlib.pyplot.savefig', line: lineOf(call) });
      return;
    }
    // `cv2.rectangle(img, …)`, `cv2.putText(img, …)`: OpenCV draws into the image it is given, in place (whether the
    // call's result is used or not: it is that same image)
    const qualified = callee.kind === 'known' ? callee.name : callee.kind === 'unknown' ? callee.qualified : undefined;
    if (qualified && CV2_DRAWING.test(qualified) && call.type === 'call') {
      const image = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
      if (image) {
        mutation(image, `\`${call.childForFieldName('function')!.text}()\` draws into \`${image.text.slice(0, 30)}\`, in place: it`, call);
        return;
      }
    }
    // `insort(xs, i)`, `heapq.heappush(heap, x)`: the container passed first changes in place (the call may also
    // return a value, as `heappop` does, or do work: it is followed on below)
    if (qualified && CHANGES_FIRST_ARGUMENT.test(qualified) && call.type === 'call') {
      const target = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
      if (target) mutation(target, `\`${call.childForFieldName('function')!.text}()\` works in place on its first argument: it`, call);
    }
    // `send_photo(token, chat_id, fig)`, `bot.send_message(chat_id, text)`, `client.chat_postMessage(channel=…)`: a
    // message posted to one chat the iterations share appears there in the order the calls are made (round 46: a
    // bot's figures sent to one chat, reported once other reasons were gone)
    const chat = ctx.effectsMatter && call.type === 'call' ? sharedChat(call, ctx) : null;
    if (chat) {
      problem('ordered-effect', `\`${call.childForFieldName('function')!.text.split('\n')[0].slice(0, 40)}()\` posts a message to \`${chat}\`, the chat every iteration sends to: the messages appear there in the order they are sent (and chat APIs limit how fast one chat takes them)`, call, chat, 'keep the messages in order (send them one by one), or compute what each message needs in a pool and send them in the parent, in order');
      return;
    }
    switch (callee.kind) {
      case 'known': {
        const { knowledge, name } = callee;
        // `urlopen(Request(url, data=body))`: a POST, whose URL is the Request's
        const request = name === 'urllib.request.urlopen' ? urllibRequest(call, ctx) : null;
        const verb = request ? request.verb : httpVerb(name, call);
        const endpoint = verb ? appendsToOneEndpoint(verb, call, ctx, request?.url) : null;
        if (LLM_MODULE_REQUESTS.has(name) || MARKET_MODULE_REQUESTS.has(name)) problem('unknown', rateLimited(`${name}()`, call), call, name);
        // round 32: `boto3.client("s3")` in each iteration builds the client from boto3's default session, which is
        // not thread-safe: threads doing so at once race in it (boto3 documents clients, not that session, as shareable)
        if ((name === 'boto3.client' || name === 'boto3.resource') && call.type === 'call') {
          problem('shared-state', `\`${name}()\` (line ${lineOf(call)}) builds its ${name === 'boto3.client' ? 'client' : 'resource'} from boto3's default session, which every iteration shares and which is not thread-safe: workers doing so at once race in it (intermittent KeyError or credential errors)`, call, name, `make the client once before the loop (a boto3 client may be shared by threads; a resource may not), or one \`boto3.session.Session()\` per worker`);
        }
        const slot = verb || knowledge.waits === 'network' ? serialService(call, ctx, request?.url) ?? clientService(name) : null;
        if (slot && !effects.singleSlot) effects.singleSlot = { kind: 'io', what: name, line: lineOf(call), via: slot.endpoint, service: slot.service.key };
        // `smtplib.SMTP(host)`: a mail-server session per call, where one would send every message
        if (/^smtplib\.SMTP(_SSL)?$/.test(name) && !effects.singleSlot) {
          const host = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
          effects.singleSlot = { kind: 'io', what: name, line: lineOf(call), via: (host?.text ?? 'localhost').slice(0, 40), service: 'smtp-session' };
        }
        const toParam = verb === 'POST' && !endpoint ? postToParameter(call, ctx, request?.url) : null;
        if (toParam && !effects.postsToParam) effects.postsToParam = { param: toParam, what: name, line: lineOf(call) };
        if (endpoint) {
          const shown = endpoint.length > 40 ? `${endpoint.slice(0, 37)}…` : endpoint;
          problem('ordered-effect', `\`${name}()\` posts to the same endpoint (\`${shown}\`) on every call and nothing reads the answer: each call adds a record to one remote collection (a sheet, a table, a channel), in the order of the calls; sent at once, the records would arrive in another order`, call, name, 'keep the requests in order, or send the records in one request if the service takes a batch');
        } else if (verb && verb !== '?' && call.type === 'call' && answerOnlyIdentifies(call)) {
          // round 32: a migration script POSTing new targets, keeping only each one's id
          problem('ordered-effect', recordWrite(`${name}()`, verb), call, name, RECORD_WRITE_REMEDY);
        } else if (verb) problem('unknown', `\`${name}()\` sends ${verb === '?' ? 'requests whose method is not known to be read-only' : `\`${verb}\` requests`}: what the server does with one may depend on the ones sent before`, call, name);
        else if (knowledge.waits === 'network') {
          const action = namedAction(call);
          if (action) actionProblem(`${name}()`, action, call, name);
        }
        // an itertools iterator (or map/filter/zip) handed on unconsumed: its work runs where it is consumed, and
        // pickling one back from a worker is deprecated (3.12) and gone (3.14)
        if (LAZY_ITERATORS.test(name) && !consumedInPlace(call) && !isIterated(call)) {
          effects.lazyCalls.push(call);
          effects.lazyIterators.push(call);
        }
        if (knowledge.work === 'cpu') {
          const evidence: Evidence = { kind: 'cpu', what: name, line: lineOf(call), ...(knowledge.releasesGil ? { releasesGil: true } : {}) };
          if (!knowledge.sizeDependent || repeatedOrLarge(call)) effects.cpu.push(evidence);
          else effects.inputSizedCpu.push(evidence);
        }
        // a pause in an `except` handler is a retry's back-off: the failure path, not what an iteration waits for;
        // a pause in a loop that leaves once a condition holds waits for that condition (a poll, a retry)
        const waitsForCondition = knowledge.work === 'io' && knowledge.waits === 'sleep' && (inExceptHandler(call) || waitsForExitCondition(call));
        if (waitsForCondition) (effects.conditionPauses ??= []).push({ kind: 'io', what: shortCall(call), line: lineOf(call), waits: 'sleep', pause: true });
        // `time.sleep(0)`: a yield of the processor to other threads, no wait at all
        const noWait = knowledge.waits === 'sleep' && zeroPause(call, ctx);
        if (knowledge.work === 'io' && !waitsForCondition && !noWait) {
          const seconds = knowledge.waits === 'sleep' && name === 'time.sleep' ? pauseSeconds(call, ctx) : null;
          if (seconds !== null) {
            const pause: Evidence = { kind: 'io', what: name, line: lineOf(call), waits: 'sleep', pause: true, ...(Number.isFinite(seconds) ? { seconds } : {}) };
            effects.io.push(pause);
            pauses.push({ ...pause, what: shortCall(call) });
          } else effects.io.push({ kind: 'io', what: name, line: lineOf(call), ...(knowledge.waits ? { waits: knowledge.waits } : {}), ...(slot ? { service: slot.service.key } : {}) });
        }
        if (knowledge.effect === 'ordered') {
          if (PROMPTS.has(name)) problem('ordered-effect', `\`${name}()\` asks the person at the terminal, once per iteration: the prompts must come one at a time, in order`, call, name, 'ask for every answer first (a loop of prompts alone), then run the work on the answers in a pool');
          else problem('ordered-effect', `\`${name}()\` produces output whose order depends on the order of the iterations`, call, name);
        }
        const race = directoryRace(name, call, ctx);
        if (typeof race === 'string') problem('shared-state', race, call, name, MKDIR_REMEDY);
        else if (race && 'doubt' in race) problem('unknown', race.doubt, call, name);
        else if (race) effects.deferredRaces.push(race);
        if (childInheritsStdout(name, call)) {
          problem('ordered-effect', `\`${name}()\` runs a command whose output goes straight to this program's standard output (it is neither captured nor redirected): run concurrently, what the commands print would interleave`, call, name, 'capture each command\'s output (`capture_output=True`, or `stdout=` a file of its own) and print it in the parent, in order');
        }
        if (knowledge.effect === 'stateful' && !pauseJitter(call, name, ctx)) {
          // `next(m for m in marks if m.key == key)`: the generator expression is the argument list itself
          const args = call.childForFieldName('arguments');
          const arg = args?.type === 'generator_expression' ? args : args?.namedChildren[0];
          const argRole = arg ? receiverRole(arg, ctx).role : 'shared';
          if (!(name === 'next' && argRole === 'fresh')) problem('shared-state', statefulReason(name, arg), call, name);
        }
        break;
      }
      case 'function':
        applySummary(call, callee.node, callee.name);
        break;
      case 'imported':
        // a function of another module is known by its summary, and analysed as one of this file would be
        applySummary(call, null, callee.name, undefined, callee.symbol);
        break;
      case 'class':
        break;
      case 'method': {
        const { receiver, method } = callee;
        // a method of a class of this file: its summary says what it reads and writes on the receiver
        const target = sameFileMethod(receiver, method, ctx.module, ctx.enclosing);
        if (target) {
          const display = `${receiver.text.split('\n')[0].slice(0, 30)}.${method}`;
          // called only for its effect on a receiver the iterations share, with effects not all visible: as before
          // for calls the analysis cannot see, concurrent calls could race on the receiver
          const unseen = ctx.summaries.get(target.node).problems.find((p) => p.kind === 'unknown');
          const receiverShared = !['fresh', 'item'].includes(receiverRole(receiver, ctx).role);
          if (ctx.effectsMatter && forEffect(call) && unseen && receiverShared) {
            problem('shared-state', `\`${display}()\` is called only for its side effects, and not all of them are visible (${unseen.message}, line ${unseen.line}); concurrent calls could reorder or race them`, call, receiver.text);
            break;
          }
          if (target.guessed) problem('unknown', `cannot prove which \`${method}\` is called: ${target.guessed}`, call, receiver.text);
          applySummary(call, target.node, display, target);
          break;
        }
        // a method the file's classes define more than once along the receiver's class and those derived from it (an
        // abstract `sample_function` and its implementations): any of them may run, so what ties the iterations
        // together in one of them (a draw from the global generator, output) ties them here (round 45)
        const overrides = overridingMethods(receiver, method, ctx.module, ctx.enclosing);
        const binding = overrides.map((o) => ({ o, p: ctx.summaries.get(o.node).problems.find((q) => q.kind === 'shared-state' || q.kind === 'ordered-effect') })).find((x) => x.p);
        if (binding) {
          problem(binding.p!.kind, `\`${receiver.text.split('\n')[0].slice(0, 30)}.${method}()\` may run \`${binding.o.className}.${method}\` (line ${lineOf(binding.o.node)}), where ${binding.p!.message}`, call, binding.p!.name);
          break;
        }
        // a method of a workspace class another module defines (`self.client.fetch(x)` with `self.client =
        // Client(…)`, `Client` imported): analysed by its summary, as a function of that module is
        const foreign = call.type === 'call' ? importedMethod(receiver, method, ctx.module) : null;
        if (foreign) {
          const display = `${receiver.text.split('\n')[0].slice(0, 30)}.${method}`;
          if (foreign.guessed) problem('unknown', `cannot prove which \`${method}\` is called: ${foreign.guessed}`, call, receiver.text);
          applySummary(call, null, display, undefined, foreign);
          if (foreign.mutatesReceiver) {
            const changed = `\`${display}()\` (called at line ${lineOf(call)}, defined in \`${foreign.where}\`) changes the object it is called on:`;
            mutation(receiver, changed, call);
            keptByFresh(receiver, changed, call);
          }
          break;
        }
        const { role, name } = receiverRole(receiver, ctx);
        // the call as spelled (`self.ftp.storbinary`), where `name` is only its root (`self`)
        const called = `${receiver.text.split('\n')[0].slice(0, 40)}.${method}`;
        const table = ctx.effectsMatter ? insertsIntoOneTable(call, method, receiver, ctx) : null;
        if (table) {
          problem('ordered-effect', `\`${call.text.split('\n')[0].slice(0, 60)}\` (line ${lineOf(call)}) adds every item's rows to the same table (\`${table.slice(0, 40)}\`) and nothing reads the answer: the rows get their ids and their order from the order of the inserts; sent at once, they would be stored in another order`, call, name, 'keep the inserts in order, or insert all the rows in one request');
          break;
        }
        // `fig.savefig(path)` on a figure the iteration made: rendering it is CPU work (what it writes is judged by its path)
        if (call.type === 'call' && role === 'fresh' && figureRender(call, ctx.module)) effects.cpu.push({ kind: 'cpu', what: 'Figure.savefig', line: lineOf(call) });
        // `ARIMA(series, order=o).fit()`, `m = Prophet(); m.fit(df)`: a statistical model fitted in the iteration
        const fitted = call.type === 'call' ? modelFit(call, ctx.module) : null;
        if (fitted && (role === 'fresh' || role === 'item')) {
          effects.cpu.push({ kind: 'cpu', what: `${fitted}.fit`, line: lineOf(call) });
          break;
        }
        // `img.thumbnail(…)`, `img.save(out)`: work on the pixels of an image; an image made in the iteration is its
        // own (what `save` writes is judged as any file write: by its path)
        const pixels = call.type === 'call' ? imageWork(call, ctx.module) : null;
        if (pixels && (role === 'fresh' || role === 'item')) {
          effects.cpu.push({ kind: 'cpu', what: `Image.${pixels}`, line: lineOf(call), releasesGil: true });
          if (pixels !== 'save') break;
        }
        // `session.get(url)` on a `requests.Session()`: a request, whose wait is the network's
        const client = call.type === 'call' ? clientCall(call, ctx.module) : null;
        if (client?.kind === 'aws-client') {
          // one AWS API request per call; boto3's clients may be shared between threads
          // a call that changes a resource of the account's control plane (EC2, RDS, EKS…: `create_snapshot`,
          // `deregister_image`, `create_tags`) starts the work on the service and returns; such calls are throttled per
          // account, and most take many resources at once. The data plane's calls (S3, DynamoDB, SQS…) move data: work.
          const startsJob = !AWS_READ_METHOD.test(method) && AWS_CONTROL_PLANE.has(awsService(client.receiver, ctx.module) ?? '');
          effects.io.push({ kind: 'io', what: `boto3 client.${method}`, line: lineOf(call), waits: 'network', ...(startsJob ? { startsJob: true } : {}) });
          if (!AWS_READ_METHOD.test(method)) problem('unknown', `\`${called}()\` is an AWS API call that changes the service's state: what the service does with one may depend on the ones sent before`, call, name);
          break;
        }
        if (client?.kind === 'api-client') {
          // one request to a web API through its SDK's client; the service may take few at once, and the client may
          // not serve several threads (round 50: a shared `vt.Client`, Shodan's one request a second)
          const made = clientOrigin(client.receiver, ctx.module)?.origins[0];
          const sdk = made?.type === 'call' ? importedName(made.childForFieldName('function')?.text ?? null, ctx.module) : null;
          const traits = sdk ? API_CLIENTS[sdk] : undefined;
          // (a request on a resource below the client is shown by its path: `client.messages.create`)
          const path = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
          const shown = path.startsWith(client.receiver.text) && path.length <= 60 ? path : `${client.receiver.text.split('\n')[0].slice(0, 30)}.${method}`;
          effects.io.push({ kind: 'io', what: shown, line: lineOf(call), waits: 'network' });
          // a request that makes, changes or removes something (`client.messages.create(…)`): messages to one
          // recipient, updates of one record, arrive in the order they are sent
          if (/^(create|update|delete|send\w*|post\w*|put\w*|remove\w*)$/.test(method)) problem('unknown', `\`${shown}()\` asks the service to make or change something: requests for the same recipient or record may arrive in another order, and what the service does with one may depend on those sent before`, call, name);
          if (traits?.service && !effects.singleSlot) effects.singleSlot = { kind: 'io', what: shown, line: lineOf(call), via: sdk!, service: traits.service };
          const { role: clientRole, name: held } = receiverRole(client.receiver, ctx);
          const oneClient = `make one client per worker (in the pool's initializer, or a \`threading.local\`), or keep the loop sequential`;
          if (traits && !traits.threadSafe && !['fresh', 'item', 'param'].includes(clientRole)) {
            problem('shared-state', `\`${client.receiver.text.split('\n')[0].slice(0, 30)}\` is one \`${sdk}\` every iteration uses (line ${lineOf(call)}): it keeps an aiohttp session bound to the event loop that made it, so threads sharing it fail`, call, client.receiver.text, oneClient);
          } else if (traits && !traits.threadSafe && clientRole === 'param') {
            // handed in: a caller handing every call the same client shares it between its iterations
            problem('unknown', `cannot prove that the \`${sdk}\` \`${held}\` it is handed (line ${lineOf(call)}) is each call's own: one client shared by threads fails (it keeps an aiohttp session bound to the event loop that made it)`, call, held, undefined, {
              param: held,
              message: `the \`${sdk}\` it is handed as \`${held}\` (used at line ${lineOf(call)}) is the same object on every call here: it keeps an aiohttp session bound to the event loop that made it, so threads sharing it fail`,
              remedy: oneClient,
            });
          }
          break;
        }
        if (client?.kind === 'media-downloader') {
          // a page fetched (and with `download`, media written under the downloader's output template): the network's
          // wait; one `YoutubeDL` every iteration uses keeps counters, an archive and progress hooks of its own
          effects.io.push({ kind: 'io', what: `YoutubeDL.${method}`, line: lineOf(call), waits: 'network' });
          if (role !== 'fresh' && role !== 'item') problem('unknown', `cannot prove that one \`YoutubeDL\` (\`${client.receiver.text.split('\n')[0].slice(0, 30)}\`) can serve several threads at once (line ${lineOf(call)}): it keeps download counters, an archive and progress hooks`, call, name, 'make a `YoutubeDL` per item (or per worker)');
          break;
        }
        if (client?.kind === 'speech-engine') {
          // one engine speaking through the speakers: what it says is output, heard in the order of the calls (round
          // 49: a voice assistant's reports read out item by item, gathered into overlapping speech)
          problem('ordered-effect', `\`${called}()\` speaks through one text-to-speech engine (\`${client.receiver.text}\`, made by \`pyttsx3.init()\`): what it says is heard in the order of the calls, and the engine speaks one utterance at a time`, call, name, 'keep the speech in sequence: compute the texts in parallel if they are costly, then speak them in order');
          break;
        }
        if (client?.kind === 'socket') {
          // a connection of its own per item (made in the iteration, or the item itself) waits on the network;
          // one socket every iteration uses carries their bytes in the order of the iterations
          effects.io.push({ kind: 'io', what: `socket.${method}`, line: lineOf(call), waits: 'network' });
          if (role !== 'fresh' && role !== 'item') problem('ordered-effect', `\`${called}()\` (line ${lineOf(call)}) uses the same socket on every call: what is sent and received on it goes in the order of the calls, which a pool would not keep`, call, name, 'open a connection per item, or keep the exchanges on one socket in order');
          break;
        }
        if (client?.kind === 'llm-client') {
          // one request to the provider, answered in seconds; the clients are safe to share between threads
          effects.io.push({ kind: 'io', what: `${client.receiver.text}.${client.method}`, line: lineOf(call), waits: 'network' });
          problem('unknown', rateLimited(`${client.receiver.text}.${client.method}()`, call, ' (the SDK retries a refused request twice)'), call, client.receiver.text);
          break;
        }
        if (client?.kind === 'market-client') {
          // one request to a market-data or exchange API; placing or cancelling orders changes the account
          const shown = `${client.receiver.text.split('\n')[0].slice(0, 30)}.${method}`;
          effects.io.push({ kind: 'io', what: shown, line: lineOf(call), waits: 'network' });
          if (MARKET_WRITES.test(method)) problem('ordered-effect', `\`${called}()\` places, changes or cancels an order on the exchange: the account's state depends on the order of the calls`, call, name, 'keep the orders in sequence');
          else problem('unknown', rateLimited(`${shown}()`, call), call, client.receiver.text);
          break;
        }
        if (client?.kind === 'google-api') {
          // one request to a Google API, through a service object (httplib2 underneath) that is not safe to share between threads
          const { role: serviceRole, name: service } = receiverRole(client.receiver, ctx);
          const oneService = `build one service per worker (\`build(…)\` in each thread: a \`threading.local\`, or the pool's initializer), or keep the loop sequential`;
          effects.io.push({ kind: 'io', what: `${client.method}().execute`, line: lineOf(call), waits: 'network' });
          if (client.method === 'insert') problem('ordered-effect', `\`${call.text.split('\n')[0].slice(0, 60)}\` (line ${lineOf(call)}) inserts into a collection of the account (a playlist, a sheet, a calendar) in the order the requests arrive: sent at once, the items would be stored in another order`, call, service, 'keep the inserts in order');
          else if (!['fresh', 'item', 'param'].includes(serviceRole)) {
            // one service object for every iteration: threads would use its one HTTP connection at once
            problem('shared-state', `\`${service}\` is one googleapiclient service object every iteration uses (line ${lineOf(call)}): it is not thread-safe (httplib2 underneath), so threads sharing it corrupt each other's requests`, call, service, oneService);
          } else if (!GOOGLE_READS.test(client.method)) problem('unknown', `\`${client.method}().execute()\` (line ${lineOf(call)}) changes data in a Google account: what the service does with one request may depend on the ones sent before`, call, service);
          else if (serviceRole === 'fresh') problem('unknown', `\`${call.text.split('\n')[0].slice(0, 50)}\` (line ${lineOf(call)}) is a request to a Google API under the project's quota: sent at once, more of them may be refused (HTTP 429) than one at a time`, call, service);
          else
            problem('unknown', `\`${call.text.split('\n')[0].slice(0, 50)}\` (line ${lineOf(call)}) goes through a googleapiclient service object, which is not thread-safe (httplib2): each thread needs its own \`build(…)\`, and the API's quota may refuse requests sent at once`, call, service, undefined, {
              // handed in: a caller handing every call the same service shares it between its iterations (round 52:
              // a Gmail message fetched per item through one service handed to a helper)
              param: service,
              message: `the googleapiclient service it is handed as \`${service}\` (used at line ${lineOf(call)}) is the same object on every call here: it is not thread-safe (httplib2 underneath), so threads sharing it corrupt each other's requests`,
              remedy: oneService,
            });
          break;
        }
        if (client?.kind === 'requests-session') {
          effects.io.push({ kind: 'io', what: `requests.Session.${method}`, line: lineOf(call), waits: 'network' });
          if (/^(post|put|patch|delete)$/.test(method) && answerOnlyIdentifies(call)) problem('ordered-effect', recordWrite(`${name}.${method}()`, method.toUpperCase()), call, name, RECORD_WRITE_REMEDY);
          else if (!READ_ONLY_HTTP.has(method)) problem('unknown', `\`${called}()\` sends requests whose method is not known to be read-only: what the server does with one may depend on the ones sent before`, call, name);
          else {
            const action = namedAction(call);
            if (action) actionProblem(`${name}.${method}()`, action, call, name);
          }
          break;
        }
        // called for its effect with an object every iteration shares (`action.execute(template)`): whatever the
        // method's name says, it may change that object
        if (ctx.effectsMatter && forEffect(call) && !READ_ONLY_METHODS.has(method)) {
          const shared = sharedArgument(call, ctx);
          if (shared) problem('unknown', `\`${called}()\` is called for its effect with \`${shared}\`, which every iteration shares: it may change it`, call, shared);
        }
        if (method === 'mkdir') {
          const race = directoryRace(`${receiver.text.slice(0, 40)}.mkdir`, call, ctx, receiver);
          if (typeof race === 'string') problem('shared-state', race, call, name, MKDIR_REMEDY);
          else if (race && 'doubt' in race) problem('unknown', race.doubt, call, name);
          else if (race) effects.deferredRaces.push(race);
        }
        const stream = role === 'shared' ? streamBuiltBefore(name, ctx) : null;
        // `chan.send(x)` on an object the iteration got from a call, in a file that imports nothing making sockets
        // or pipes: a channel of the program's own (one shared by the iterations is an ordered stream either way)
        const ownChannel = SOCKET_WAIT_METHODS.has(method) && role === 'fresh' && !socketsPossible(ctx.module);
        if (ownChannel) {
          unseen.push({ kind: 'io', what: `${receiver.text.split('\n')[0].slice(0, 30)}.${method}`, line: lineOf(call) });
          problem(
            'unknown',
            `\`${receiver.text.split('\n')[0].slice(0, 40)}.${method}()\` is a method of an object whose class the analysis cannot see (the file imports nothing that makes sockets or pipes): it cannot tell what the call waits for or changes`,
            call,
            name,
          );
        } else if (BODY_STREAM_METHODS.has(method)) {
          // `r.iter_content(1 << 20)`: the body arrives from the network chunk by chunk
          effects.io.push({ kind: 'io', what: `.${method}()`, line: lineOf(call), waits: 'network' });
        } else if (RESPONSE_METHODS.has(method)) {
          // `.json()` / `.raise_for_status()` read a response already received: the request is the wait
          const request = producingCall(receiver, ctx);
          if (request && isUnknownRequest(request, ctx)) {
            const f = request.childForFieldName('function')!;
            effects.io.push({ kind: 'io', what: f.text.split('\n')[0].slice(0, 40), line: lineOf(request), waits: 'network' });
          }
        } else if (PROCESS_WAIT_METHODS.has(method) && (receiver.type === 'call' || role === 'fresh') && isStartedProcess(receiver, ctx)) {
          // a process started by `subprocess.Popen` here (in the iteration, or the function) is waited for here
          const process = receiver.type === 'call' ? `${receiver.childForFieldName('function')!.text}(…)` : receiver.text;
          effects.io.push({ kind: 'io', what: `${process}.${method}()`, line: lineOf(call), waits: 'process' });
        } else if (stream) {
          problem(
            'shared-state',
            `\`${name}\` is built once before the loop from a file or stream (\`${stream.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(stream)}) and every iteration reads through it (\`${call.text.split('\n')[0].slice(0, 50)}\`): such an object holds one file position and its caches for all of them — threads would race on it, and worker processes cannot receive it (an open file does not pickle)`,
            call,
            name,
            `open the file in each iteration (build \`${name}\` inside the loop), or read what every iteration needs before the loop`,
          );
        } else if (MUTATING_METHODS.has(method) && !sortedCopy(call, method)) mutation(receiver, `\`.${method}()\``, call);
        else if (role === 'module' && receiver.type === 'identifier' && IO_METHODS.has(method)) {
          // a function of an imported module (`Image.open(path)`), not a method of a shared stream; opening bytes
          // already in memory (`Image.open(BytesIO(raw))`) reads no file (round 52: base64 screenshots called I/O)
          const opened = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
          if (!opened || !inMemoryBuffer(opened, ctx)) effects.io.push({ kind: 'io', what: `${name}.${method}()`, line: lineOf(call) });
        } else if (ORDERED_METHODS.has(method)) {
          if (role === 'fresh') {
            // writing to an in-memory buffer (`io.StringIO()`) touches no file
            if (!inMemoryBuffer(receiver, ctx)) effects.io.push({ kind: 'io', what: `.${method}()`, line: lineOf(call), ...(METHOD_WAITS[method] ? { waits: METHOD_WAITS[method] } : {}) });
          }
          else if (role === 'module' && receiver.type === 'identifier') problem('ordered-effect', `\`${called}()\` produces output whose order depends on the order of the iterations`, call, name);
          else problem('ordered-effect', `\`${receiver.text}.${method}()\` writes to one shared stream, in iteration order`, call, name);
        } else if (STATEFUL_METHODS.has(method)) {
          // drawing from a generator passed in changes it: the caller decides whether that generator is shared
          if (role === 'param') mutation(receiver, `drawing from \`${receiver.text.split('\n')[0].slice(0, 30)}\` (\`.${method}()\`)`, call);
          else if (role === 'item') mutation(receiver, `\`.${method}()\` (advancing it)`, call);
          else if (role !== 'fresh') problem('shared-state', method === 'readline' || method === '__next__' ? `\`${called}()\` advances \`${name}\`, which every iteration shares, so what each iteration reads depends on their order` : `\`${called}()\` draws from a generator shared by all iterations, so results depend on their order`, call, name);
        } else if (IO_METHODS.has(method) && role === 'param' && DB_STATEMENT_METHODS.has(method) && !ctx.effectsMatter) {
          // a function running a statement on a cursor or connection it is handed changes that object (its result
          // set, its transaction): a caller handing every iteration the same one shares it between them
          effects.io.push({ kind: 'io', what: `.${method}()`, line: lineOf(call) });
          mutation(receiver, `\`.${method}()\` runs a statement on it`, call);
        } else if (IO_METHODS.has(method) && role === 'fresh' && inMemoryBuffer(receiver, ctx)) {
          // reading or writing an in-memory buffer the iteration made (`io.StringIO(text)`) touches no file
        } else if (IO_METHODS.has(method)) {
          // reading a handle the iteration opened (or the item itself) is independent; a shared stream is not
          // either way the call waits: a worker blocked in `sock.recv()` is not computing
          effects.io.push({ kind: 'io', what: `.${method}()`, line: lineOf(call), ...(METHOD_WAITS[method] ? { waits: METHOD_WAITS[method] } : {}) });
          // a path constant opened or read (`CONFIG.open()`, `DATA.read_text()`): each call makes its own stream
          const pathRead = PATH_READS.has(method) && receiver.type === 'identifier' && readOnlyOpen(call, method) && pathConstant(receiver.text, ctx.module);
          if (!(role === 'fresh' || role === 'item' || role === 'param') && !pathRead && !lambdaParameter(receiver)) {
            // a name from `from m import *` may be a module (`glob`, `fits`) as well as a shared object: say so
            const star = role === 'shared' && receiver.type === 'identifier' ? starImportOf(name, ctx.module) : null;
            problem(
              'shared-state',
              star
                ? `\`${receiver.text}.${method}()\`: \`${name}\` is bound nowhere in this file and may come from \`${star}\`, which the analysis does not follow, so it cannot tell whether the call reads or writes through an object every iteration shares (a stream's position, a connection's state) or is a module's function`
                : `\`${receiver.text}.${method}()\` reads or writes through ${sharedPhrase(name, ctx)} (a stream's position, a connection's state)`,
              call,
              name,
            );
          }
        } else if (immutableCall(receiver, method, ctx.module)) {
          // a method of a string, or one of a path that computes another path: it changes nothing
        } else if (!(READ_ONLY_METHODS.has(method) && !forEffect(call)) && role !== 'fresh' && (role !== 'module' || forEffect(call))) {
          // a method known by its name to only read is trusted when its value is used; called for effect,
          // it is another method of that name (`thread.start()`, `server.start()`, not `match.start()`)
          // a method of an object whose class this file does not show (a client, a tracker of another module) is
          // code the analysis cannot see into, as a library call is: a constant pause next to it may pace it
          unseen.push({ kind: 'io', what: `${receiver.text.split('\n')[0].slice(0, 30)}.${method}`, line: lineOf(call) });
          if (role === 'param' || role === 'shared') effects.unseenMethod ??= { kind: 'io', what: `${receiver.text.split('\n')[0].slice(0, 30)}.${method}`, line: lineOf(call) };
          if (ctx.effectsMatter && forEffect(call)) {
            problem('shared-state', `\`${called}()\` is called only for its side effects, which the analysis cannot see; concurrent calls could reorder or race them`, call, name);
          } else problem('unknown', `cannot tell whether \`${receiver.text.split('\n')[0].slice(0, 40)}.${method}()\` changes \`${name}\``, call, name);
        } else if (role === 'fresh' && receiver.type === 'call' && PATH_CLASSES.test(importedName(dottedName(receiver.childForFieldName('function')!), ctx.module) ?? '')) {
          // `Path(out).mkdir(…)`, `Path(p).unlink()`: a path holds no other object; what it does is to the file system
          // (the writes the loop rules compare by path)
          effects.io.push({ kind: 'io', what: `pathlib.Path.${method}`, line: lineOf(call) });
        } else if (role === 'fresh' && ctx.effectsMatter && forEffect(call) && !RECEIVER_ONLY_METHODS.has(method)) {
          // an object made in this iteration may still hold shared ones (`Site(runner).start()`): closing or
          // waiting for it is its own business, anything else called for effect may reach them
          problem('unknown', `cannot tell what \`${name}.${method}()\` changes besides \`${name}\`, made in this iteration (it may hold objects the iterations share)`, call, name);
        }
        break;
      }
      case 'unknown':
        // `LdaModel(corpus=bow, num_topics=k)`: a topic model trained where it is made
        {
          const trained = trainedAtConstruction(call, ctx.module);
          if (trained) {
            effects.cpu.push({ kind: 'cpu', what: `${trained}(corpus)`, line: lineOf(call) });
            break;
          }
        }
        if (isLibraryCall(callee.name, ctx.module)) unseen.push({ kind: 'io', what: callee.name, line: lineOf(call) });
        // NumPy's array functions return a new array and change none of their arguments (unless handed `out=`):
        // what they cost is unsized (the unseen part above), what they do is no doubt
        if (!forEffect(call) && callee.qualified && numpyPure(callee.qualified, call)) break;
        if (ctx.effectsMatter && forEffect(call)) {
          problem('shared-state', `\`${callee.name}()\` is called only for its side effects, which the analysis cannot see (${whereDefined(callee)}); concurrent calls could reorder or race them`, call, callee.name);
        } else {
          // a name bound to a lambda here (`get_sleep_time = lambda: 10 + …`) is defined right there, not elsewhere
          const bound = /^\w+$/.test(callee.name) ? valuesBound(enclosingFunction(call) ?? ctx.module.root, callee.name) : [];
          const lambda = bound.length > 0 && bound.every((v) => v?.type === 'lambda') ? bound[0] : null;
          problem('unknown', lambda ? `cannot see what the lambda \`${callee.name}\` (line ${lineOf(lambda)}) does: calls through a name bound to a lambda are not followed` : `cannot see what \`${callee.name}()\` does (${whereDefined(callee)})`, call, callee.name);
        }
        break;
    }
  };

  const rootIds = new Set(nodes.map((n) => n.id));
  /**
   * Whether a call whose work grows with its input (a regex) does real work here: it runs in a loop inside the
   * region (every trip of it, not only its iterable), or over a whole file's text or a text multiplied (`s * 30`).
   */
  const repeatedOrLarge = (call: SyntaxNode): boolean => {
    // (a function handed on, `asyncio.to_thread(f, path)`, stands for its call: its arguments follow it)
    const args = call.type === 'call' ? call.childForFieldName('arguments') : call.parent?.type === 'argument_list' ? call.parent : null;
    for (const a of args ? namedChildren(args).filter((n) => n.id !== call.id) : []) {
      const value = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
      if (!value) continue;
      if (/\.(read|read_text|read_bytes)\(\s*\)$/.test(value.text)) return true;
      // a name holding a whole file's text (`text = f.read()`), assigned in the same scope
      if (value.type === 'identifier') {
        const scope = enclosingScope(call) ?? ctx.module.root;
        for (const token of tokensSpelled(scope, value.text, 'identifier')) {
          const assignment = token.parent;
          if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.id === token.id && /\.(read|read_text|read_bytes)\(\s*\)$/.test(assignment.childForFieldName('right')?.text ?? '')) return true;
        }
      }
      if (value.type === 'binary_operator' && value.childForFieldName('operator')?.text === '*') return true;
    }
    for (let child = call, p = call.parent; p && !rootIds.has(child.id); child = p, p = p.parent) {
      if (p.type === 'for_statement' || p.type === 'while_statement') {
        if (p.childForFieldName('right')?.id !== child.id) return true;
      } else if (p.type === 'list_comprehension' || p.type === 'set_comprehension' || p.type === 'dictionary_comprehension' || p.type === 'generator_expression') {
        const first = p.namedChildren.find((c) => c.type === 'for_in_clause');
        if (first?.id !== child.id) return true;
      }
    }
    return false;
  };

  for (const callable of extra?.callables ?? []) {
    visitCall(callable, resolveCallable(callable, ctx.module, ctx.enclosing));
  }
  for (const root of nodes) {
    walk(root, (n) => {
      if (extra?.skip?.has(n.id)) return false;
      switch (n.type) {
        case 'function_definition':
        case 'class_definition':
          return n.id === root.id;
        case 'lambda':
          // a lambda only runs where it is called: count it when passed to a call (`key=lambda …`)
          if (n.id !== root.id && n.parent?.type !== 'argument_list' && n.parent?.type !== 'keyword_argument') return false;
          // `Thread(target=lambda: …)`: it runs in the thread started, not in this code
          if (n.id !== root.id && n.parent?.type === 'keyword_argument' && n.parent.childForFieldName('name')?.text === 'target') return false;
          break;
        case 'call': {
          visitCall(n);
          // `await asyncio.to_thread(self.speak, text)`, `loop.run_in_executor(None, save, path)`: the callable handed
          // over runs here, in a thread, and this code waits for it — its effects are this code's (round 49: speech
          // through one engine; `to_thread(f.write, chunk)`, writes of one file). A function or a method is followed;
          // a library's callable (`time.sleep`) is already known from the call that hands it over.
          const handed = handedCallable(n, ctx.module);
          const callee = handed ? resolveCallable(handed, ctx.module, ctx.enclosing) : null;
          if (handed && callee && (callee.kind === 'function' || callee.kind === 'imported' || callee.kind === 'method')) visitCall(handed, callee);
          break;
        }
        case 'print_statement':
          // Python 2's `print 'x'`: output, in the order the statements run (here or in a function called)
          problem('ordered-effect', `\`${n.text.split('\n')[0].slice(0, 40)}\` (a Python 2 \`print\` statement) produces output whose order depends on the order of the iterations`, n, 'print');
          break;
        case 'assignment':
        case 'augmented_assignment': {
          if (n.type === 'augmented_assignment' && !isCounterStep(n) && !buildsText(n, ctx.module) && !setAlgebra(n, ctx.module)) effects.hasArithmetic = true;
          const left = n.childForFieldName('left');
          for (const target of left ? flattenTargets(left) : []) {
            if (target.type === 'attribute' || target.type === 'subscript') {
              mutation(target.childForFieldName(target.type === 'attribute' ? 'object' : 'value')!, `assigning \`${target.text}\``, n);
            }
          }
          break;
        }
        case 'expression_statement': {
          // `u.trajectory[frame]` alone on its line: the value is not used, so the lookup is made for its effect —
          // `__getitem__` that changes the object (MDAnalysis moves the universe to that frame)
          const only = n.namedChildCount === 1 ? n.namedChildren[0] : null;
          if (only?.type === 'subscript') mutation(only.childForFieldName('value')!, `\`${only.text.slice(0, 40)}\`, evaluated for its effect alone (an item lookup whose value is not used, as \`universe.trajectory[i]\` moves an MDAnalysis universe to frame \`i\`),`, only);
          break;
        }
        case 'delete_statement':
          for (const target of flattenTargets(n)) {
            if (target.type === 'attribute' || target.type === 'subscript') {
              mutation(target.childForFieldName(target.type === 'attribute' ? 'object' : 'value')!, `deleting \`${target.text}\``, n);
            }
          }
          break;
        case 'binary_operator': {
          if (isComputation(n, ctx.module)) effects.hasArithmetic = true;
          break;
        }
        case 'global_statement':
        case 'nonlocal_statement': {
          // only a name the function then rebinds is a change; `global MODS` before reading `MODS` is not
          const rebound = reboundDeclared(n);
          if (rebound) problem('shared-state', `\`${n.text}\` declares \`${rebound.name}\`, which line ${lineOf(rebound.at)} rebinds: a name shared outside`, n, rebound.name);
          break;
        }
        case 'await':
          effects.awaits.push(n);
          break;
        case 'with_statement':
          // `async with session.get(url) as resp:` awaits the request as it enters (`__aenter__`): each item's
          // expression (its `as` pattern, whose first child is the call, as an `await`'s is) counts as awaited
          if (children(n).some((c) => c.type === 'async')) {
            const clause = n.namedChildren.find((c) => c.type === 'with_clause');
            for (const item of clause ? namedChildren(clause).filter((c) => c.type === 'with_item') : []) {
              const value = item.childForFieldName('value');
              if (value?.type === 'as_pattern' && value.namedChildren[0]?.type === 'call') effects.awaits.push(value);
              else if (value?.type === 'call') effects.awaits.push(item);
            }
          }
          break;
      }
      // a nested loop counts even when it is a statement of the region itself (`for …: while n != 1: …`)
      if (REPEATING_TYPES.has(n.type) && !effects.loopsWithArithmetic) {
        if (containsArithmetic(n, ctx.module)) effects.loopsWithArithmetic = n;
      }
      return true;
    });
  }
  // a pause made here next to a call to a service or a program made here (or in a function called here)
  // a function called here whose wait is a sleep stands for a round trip (`fetch(url)` in a test double or a
  // simulation): a constant pause next to it still spaces the calls
  // a call into a library it cannot see stands for one too: a fixed `sleep(1)` beside `geocoder.osm(…)` is how
  // scripts keep to a service's rate limit far more often than it is work
  const paced = effects.io.find((e) => isPaceable(e) || (e.via !== undefined && e.waits === 'sleep' && !pauses.some((p) => p.line === e.line))) ?? unseen[0];
  if (!effects.pace && pauses.length > 0 && paced) effects.pace = { pause: pauses[0], paced };
  const db = sqliteWrite(nodes, ctx.module);
  if (db) {
    const what = `\`${db.write.text.split('\n')[0].slice(0, 60)}\``;
    // the same file on every call unless its path depends on the item, a parameter or something made here
    const path = db.path ? readsIn(db.path).find((r) => ['item', 'param', 'fresh'].includes(ctx.role(r.text))) : undefined;
    if (db.path && !path) problem('shared-state', `${what} writes to a SQLite database (\`${db.path.text.slice(0, 40)}\`), which every iteration shares: SQLite lets one writer in at a time, so concurrent writes wait for each other (or fail with "database is locked")`, db.write);
    else problem('unknown', `${what} writes to a SQLite database opened from \`${path?.text ?? 'an unknown path'}\`: if it is the same database for every iteration, SQLite lets one writer in at a time and the writes wait for each other`, db.write);
  }
  return effects;
}

/** NumPy functions that compute a new array (or scalar) from their arguments, changing none of them. */
const NUMPY_PURE = new Set(
  (
    'where rollaxis moveaxis swapaxes tile repeat mean median std var sum prod min max amin amax argmin argmax argsort sort ' +
    'unique array asarray asanyarray copy zeros ones empty full zeros_like ones_like empty_like full_like arange linspace ' +
    'logspace concatenate stack vstack hstack dstack column_stack reshape transpose squeeze expand_dims ravel flip roll diff ' +
    'cumsum cumprod dot matmul outer inner einsum sqrt exp log log10 log2 log1p abs absolute sign clip round around floor ' +
    'ceil isnan isinf isfinite nonzero count_nonzero any all average percentile quantile nanmean nanmedian nanstd nanvar ' +
    'nansum nanmin nanmax nanargmin nanargmax corrcoef cov histogram digitize interp polyfit polyval allclose isclose ' +
    'array_equal logical_and logical_or logical_not logical_xor maximum minimum sin cos tan arcsin arccos arctan arctan2 ' +
    'sinh cosh tanh power square mod hypot deg2rad rad2deg triu tril diag eye identity meshgrid searchsorted split ' +
    'array_split atleast_1d atleast_2d atleast_3d pad take convolve correlate trapz gradient nan_to_num real imag conj ' +
    'angle floor_divide true_divide divide multiply add subtract negative reciprocal sinc cross kron trace ' +
    'linalg.norm linalg.inv linalg.solve linalg.svd linalg.eig linalg.eigh linalg.eigvals linalg.lstsq linalg.det ' +
    'linalg.pinv linalg.qr linalg.cholesky fft.fft fft.ifft fft.rfft fft.irfft fft.fft2 fft.fftfreq fft.rfftfreq fft.fftshift'
  ).split(' '),
);

function numpyPure(qualified: string, call: SyntaxNode): boolean {
  if (!qualified.startsWith('numpy.') || !NUMPY_PURE.has(qualified.slice('numpy.'.length))) return false;
  const args = call.childForFieldName('arguments');
  return !args || !namedChildren(args).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'out');
}

/** A call of a function of a third-party module the knowledge table does not know (`geocoder.osm`). */
function isLibraryCall(dotted: string, module: ModuleInfo): boolean {
  const from = module.imports.get(dotted.split('.')[0]);
  return from !== undefined && !isStdlibModule(from);
}

/** The waits a constant pause can be pacing: calls to a remote service or to another program, not file access. */
function isPaceable(e: Evidence): boolean {
  return !e.pause && e.waits !== 'file' && e.waits !== 'sleep';
}

/**
 * Calls that block the pass they are in: a pause, a wait with a time-out on an event, a condition or a child
 * (`cancel.wait(5.0)`, `proc.wait(timeout=1)`), a queue read that waits, `select`. A loop making one in every pass
 * is a watcher or a poller: it spends its time waiting, whatever it computes between two waits.
 */
const BLOCKING_EACH_PASS = /^((time\.)?sleep|select\.select|.+\.wait|.+\.get)$/;

const BRANCHING = new Set(['if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement', 'except_clause', 'case_clause']);

function waitsInEachPass(loop: SyntaxNode): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  // a call in the body's own statements or their conditions (not in a branch that may not run, nor a nested def)
  for (const statement of namedChildren(body)) {
    const found = descendantsNamed(statement, 'call').some((call) => {
      const name = call.childForFieldName('function')?.text ?? '';
      if (!BLOCKING_EACH_PASS.test(name)) return false;
      const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
      // `d.get(key)` reads a mapping; `q.get(timeout=1)` / `ev.wait(5)` block
      if (name.endsWith('.get')) return args.some((a) => a.type === 'keyword_argument' && ['timeout', 'block'].includes(a.childForFieldName('name')?.text ?? ''));
      for (let p = call.parent; p && p.id !== statement.id; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda' || (p.type === 'block' && BRANCHING.has(p.parent?.type ?? ''))) return false;
      return true;
    });
    if (found && statement.type !== 'for_statement' && statement.type !== 'while_statement') return true;
  }
  return false;
}

/** A pause of the thread or of the coroutine (`time.sleep(d)`, `asyncio.sleep(d)`, `sleep(d)`). */
const PAUSE_CALL = /^(time\.|asyncio\.)?sleep$/;

/** Whether a loop repeats arithmetic: in what runs every iteration, not in the iterable evaluated once (`range(2 * m)`). */
function containsArithmetic(node: SyntaxNode, module: ModuleInfo): boolean {
  if (node.type === 'while_statement' && waitsInEachPass(node)) return false;
  let once: SyntaxNode | null = null;
  if (node.type === 'for_statement') once = node.childForFieldName('right');
  else if (node.type !== 'while_statement') once = node.namedChildren.find((c) => c.type === 'for_in_clause')?.childForFieldName('right') ?? null;
  let found = false;
  // names a pause waits for (`time.sleep(retry_delay)`): stepping them (`retry_delay *= 2`, a back-off) is no work
  // (found once, when the first assignment is met)
  let delays: Set<string> | null = null;
  const stepsDelay = (n: SyntaxNode) => {
    const target = n.type === 'augmented_assignment' || n.type === 'assignment' ? n.childForFieldName('left') : null;
    if (target?.type !== 'identifier') return false;
    delays ??= new Set(descendantsNamed(node, 'call').filter((c) => PAUSE_CALL.test(c.childForFieldName('function')?.text ?? '')).flatMap((c) => descendantsNamed(c.childForFieldName('arguments')!, 'identifier').map((id) => id.text)));
    return delays.has(target.text);
  };
  walk(node, (n) => {
    if (n === once) return false;
    if (found) return false;
    // the delay of a pause (`time.sleep(0.005 * (attempt + 1))`, a back-off) says how long to wait: no work
    if (n.type === 'call' && PAUSE_CALL.test(n.childForFieldName('function')?.text ?? '')) return false;
    if (stepsDelay(n)) return false;
    // what a progress line shows (`print(f"{int(status.progress() * 100)}%")`) is formatted for the reader, not computed
    if (n.type === 'call' && DISPLAY_CALL.test(n.childForFieldName('function')?.text ?? '')) return false;
    // a counter stepped by a constant (`i += 1`) counts iterations, it does not compute
    if (n.type === 'augmented_assignment' && !isCounterStep(n) && !buildsText(n, module) && !setAlgebra(n, module) && !addsWhatIoReturns(n, module)) found = true;
    if (n.type === 'binary_operator' && isComputation(n, module)) found = true;
    return true;
  });
  return found;
}

/**
 * `total += os.path.getsize(path)`, `size += os.stat(p).st_size`: one addition per trip of what a call to the disk, the
 * network or a program returns — the call is the work (counted as I/O), the sum is bookkeeping, not computation.
 */
function addsWhatIoReturns(n: SyntaxNode, module: ModuleInfo): boolean {
  const op = n.childForFieldName('operator')?.text;
  if (op !== '+=' && op !== '-=') return false;
  let right = n.childForFieldName('right');
  while (right?.type === 'attribute') right = right.childForFieldName('object');
  if (right?.type !== 'call') return false;
  const f = right.childForFieldName('function');
  const qualified = f ? (importedName(dottedName(f), module) ?? f.text) : '';
  const known = lookupCall(qualified);
  return known?.effect === 'io' && known.work !== 'cpu';
}

/** Calls that only show a line to the reader: a print, a log record, a progress bar's caption. */
const DISPLAY_CALL = /^(print|click\.echo|typer\.echo|(?:\w+\.)*(?:debug|info|warning|warn|error|critical|exception|set_description|set_postfix|set_postfix_str))$/;

const LITERALS = new Set(['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none']);

/**
 * An arithmetic operator that computes: not string building (`'%s' % x`, `"a" + s`, `f"{x}" + name`, `sep.join(xs)
 * + "\n"`, a name assigned a string), nor a path join (`base / name` on a `pathlib` path), nor set algebra
 * (`labels & found` on a set), nor an expression of literals only (`b"x" * 65536`).
 */
function isComputation(n: SyntaxNode, module: ModuleInfo): boolean {
  const op = n.childForFieldName('operator')?.text;
  if (!op || !ARITHMETIC.has(op)) return false;
  const left = n.childForFieldName('left');
  const right = n.childForFieldName('right');
  if (left && (left.type === 'string' || left.type === 'concatenated_string')) return false;
  // `time.time() - start`, `(time.perf_counter() - t0) * 1000`: timing the work, not work
  if (left && elapsedTime(left, module)) return false;
  if (left && right && LITERALS.has(left.type) && LITERALS.has(right.type)) return false;
  return !buildsText(n, module) && !setAlgebra(n, module);
}

/** Clock readings: what an elapsed time is computed from. */
const CLOCKS = /^(time\.(time|perf_counter|monotonic|process_time|time_ns|perf_counter_ns|monotonic_ns)|datetime\.datetime\.(now|utcnow)|timeit\.default_timer)$/;

/** A clock reading, or an elapsed time computed from one (`time.time() - t0`, in parentheses or scaled). */
function elapsedTime(n: SyntaxNode, module: ModuleInfo): boolean {
  if (n.type === 'parenthesized_expression') return n.namedChildren.length === 1 && elapsedTime(n.namedChildren[0], module);
  if (n.type === 'binary_operator') {
    const left = n.childForFieldName('left');
    return !!left && elapsedTime(left, module);
  }
  if (n.type !== 'call') return false;
  return CLOCKS.test(importedName(dottedName(n.childForFieldName('function')!), module) ?? '');
}

/** `i += 1`, `s += "x"`, `t += (0,)`: a step by a literal, which counts or pads rather than computes. */
function isCounterStep(n: SyntaxNode): boolean {
  const op = n.childForFieldName('operator')?.text;
  const right = n.childForFieldName('right');
  if (!(op === '+=' || op === '-=') || !right) return false;
  if (LITERALS.has(right.type)) return true;
  return (right.type === 'tuple' || right.type === 'list') && right.namedChildren.every((c) => LITERALS.has(c.type));
}

/**
 * How much of an iteration's time a piece of evidence is likely to stand for, heaviest first: a request to a remote
 * service, another program, computation (or a wait of an unknown kind), a local file, then a constant pause. The
 * message and the hover name the heaviest (`requests.get`, not the `os.path.exists` that guards it).
 */
function weight(e: Evidence): number {
  if (e.kind === 'cpu') return 2;
  if (e.pause || e.waits === 'sleep') return 4;
  return e.waits === 'network' ? 0 : e.waits === 'process' ? 1 : e.waits === 'file' ? 3 : 2;
}

/** Whether everything the evidence waits for is another program (`subprocess.run`, Tesseract): their work runs there. */
export function waitsOnlyOnPrograms(evidence: readonly Evidence[]): boolean {
  const io = evidence.filter((e) => e.kind === 'io');
  return io.length > 0 && io.every((e) => e.waits === 'process');
}

/** The evidence in the order a reader should see it: heaviest first, otherwise as found. */
export function heaviestFirst(evidence: readonly Evidence[]): Evidence[] {
  return evidence.map((e, i) => ({ e, i })).sort((a, b) => weight(a.e) - weight(b.e) || a.i - b.i).map(({ e }) => e);
}

export function describeEvidence(e: Evidence): string {
  return e.via ? `${e.what} → ${e.via}` : e.what;
}

// ---------------------------------------------------------------------------------------------------------
// Function summaries

/** A `POST` a function sends to the URL in one of its parameters (`def notify(url, data): return requests.post(url, json=data)`). */
export interface PostToParam {
  param: string;
  what: string;
  line: number;
}

export interface FunctionSummary {
  name: string;
  node: SyntaxNode;
  cpu?: Evidence;
  io?: Evidence;
  problems: Problem[];
  mutatedParams: Set<string>;
  /** For each mutated parameter: its first change (what, line). */
  paramEffects?: Map<string, { what: string; line: number }>;
  /** Module-level variables (not defs/classes/imports) the function reads, directly or through callees. */
  globalsRead: Set<string>;
  isAsync: boolean;
  /** A generator function: calling it runs none of its body. */
  isGenerator?: boolean;
  /** Directories it creates on a path that is the caller's item's own only through these parameters. */
  deferredRaces: DeferredRace[];
  /** A regex (or other call whose work grows with the input) made once per call: CPU work only if repeated. */
  inputSizedCpu?: Evidence;
  /** A file it writes whose path is the same on every call (no parameter or local in it). */
  fixedWrite?: { path: string; line: number };
  /** A file it writes whose path is one of its parameters, as handed in (`open(report_path, "a")`). */
  writesParam?: { param: string; line: number };
  /** A rate limit: a constant pause next to the calls it spaces out. */
  pace?: Pace;
  /** The lock its whole body holds, when every call shares it (`with self._lock:` around everything it does). */
  serialised?: Evidence;
  /** A request it makes to a server that answers such requests one at a time. */
  singleSlot?: Evidence;
  /** A method it calls (or a callee calls) of an object it did not make, whose class is not seen (RegionEffects.unseenMethod). */
  unseenMethod?: Evidence;
  /** A `POST` to the URL a parameter holds, its answer dropped or returned: a caller passing one URL appends in order. */
  postsToParam?: PostToParam;
  /** The task framework's decorator that makes each call hand the body over and return a future or lazy value (`@python_app`). */
  launches?: Evidence;
  /** When `cpu` or `io` is behind a flag (`guard`): the evidence of the same kind found outside every flag, if any. */
  unguarded?: { cpu?: Evidence; io?: Evidence };
  /** Parameters whose default is a false constant (`resolve_host=False`): a call leaving them out switches their flags off. */
  falseDefaults?: string[];
}

/** What a caller's analysis reads of a function of another module: its summary, in the shape of a same-file one. */
type ImportedFunction = Extract<ImportedSymbol, { kind: 'function' }>;

/**
 * The method `method` of the class whose instance `receiver` holds, when that class comes from another module of the
 * workspace: `self.client` assigned `Client(…)` in its class (every such assignment the same class), or a name
 * bound only to `Client(…)` in its function (or the module). Undefined when the class is not told, or not the
 * workspace's.
 */
export function importedMethod(receiver: SyntaxNode, method: string, module: ModuleInfo): (ImportedFunction & { guessed?: string }) | undefined {
  if (!module.workspace || method.startsWith('__')) return undefined;
  let made: string[] = [];
  if (receiver.type === 'attribute' && receiver.childForFieldName('object')?.text === 'self') {
    const attribute = receiver.childForFieldName('attribute')!.text;
    let cls: SyntaxNode | null = receiver.parent;
    while (cls && cls.type !== 'class_definition') cls = cls.parent;
    if (!cls) return undefined;
    const assigned = new RegExp(String.raw`\bself\.${attribute}\s*(?::[^=\n]+)?=\s*([A-Za-z_][\w.]*)\s*\(`, 'g');
    made = [...cls.text.matchAll(assigned)].map((m) => m[1]);
    // rebound any other way (`self.client = make_client()` counts above; `self.client = other` does not match)
    if (made.length === 0 || new RegExp(String.raw`\bself\.${attribute}[ \t]*=[ \t]*(?![ \t=])(?![A-Za-z_][\w.]*\s*\()`).test(cls.text)) return undefined;
  } else if (receiver.type === 'identifier') {
    // bound in its function, or else in the module
    const fn = enclosingFunction(receiver);
    const scope = fn ? scopeOf(fn) : null;
    if (scope?.params.has(receiver.text)) {
      // a parameter annotated with a class (`handler: RequestHandler`) is an instance of it; one whose class is not
      // told, of the one class of the project defining the method, if one does (round 64: `request_handler.get(url)`
      // handed a `RequestHandler` whose requests all wait on one timestamp)
      const annotation = annotationOf(fn!, receiver.text);
      // (a method's `self` or `cls` is of the class around it, not a guess)
      const own = parameterNames(fn!)[0] === receiver.text && !!classDefining(fn!) && !decoratorsOf(fn!).some((d) => /^staticmethod\b/.test(d));
      if (!annotation) return unannotated(fn!, receiver.text) && !own ? projectMethod(receiver, method, module) : undefined;
      made = [annotation];
    } else {
      const values = valuesBound(fn && scope!.locals.has(receiver.text) ? fn : module.root, receiver.text);
      if (values.length === 0 || values.some((v) => v?.type !== 'call')) return undefined;
      made = values.map((v) => v!.childForFieldName('function')!.text);
    }
  } else if (receiver.type === 'call' && /^[A-Za-z_][\w.]*$/.test(receiver.childForFieldName('function')?.text ?? '')) {
    // made right there (`MemorialParser().parse(url)`): an instance of the class that call names, if it is one
    made = [receiver.childForFieldName('function')!.text];
  } else return undefined;
  if (new Set(made).size !== 1) return undefined;
  const [head, ...rest] = made[0].split('.');
  // bound by an import, or by none (a name `from m import *` brings in)
  if (module.bindings.has(head) && module.bindings.get(head) !== 'import') return undefined;
  const qualified = importedName(head, module);
  if (!qualified) return undefined;
  const symbol = module.workspace.resolve([qualified, ...rest, method].join('.'));
  return symbol?.kind === 'function' && symbol.name.includes('.') ? symbol : undefined;
}

/** The class a parameter `name` of `fn` is annotated with, when it is a plain (dotted) name: `handler: RequestHandler`. */
function annotationOf(fn: SyntaxNode, name: string): string | null {
  const params = fn.childForFieldName('parameters');
  const typed = params ? namedChildren(params).find((p) => (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') && (p.childForFieldName('name') ?? p.namedChildren[0])?.text === name) : undefined;
  const type = typed?.childForFieldName('type')?.text.replace(/^["']|["']$/g, '');
  return type && /^[A-Za-z_][\w.]*$/.test(type) ? type : null;
}

/** The parameter `name` of `fn` has neither an annotation nor a default value. */
function unannotated(fn: SyntaxNode, name: string): boolean {
  const params = fn.childForFieldName('parameters');
  return !!params && namedChildren(params).some((p) => p.type === 'identifier' && p.text === name);
}

/** Methods of the built-in containers, strings and files: a parameter calling one may well be one of those. */
const BUILTIN_METHODS = new Set(
  ('get items keys values pop popitem setdefault update clear copy append extend insert remove index count sort reverse add discard ' +
    'union intersection difference issubset split join strip replace format encode decode startswith endswith lower upper find ' +
    'read readline readlines write writelines close seek tell flush').split(' '),
);

/**
 * The method of the only class of the project, in another module, that defines one of that name (see soleMethod), for
 * a call on a parameter: a coroutine when the call is awaited (`await handler.get(url)` is no dict's `get`), a plain
 * method otherwise, and then not one a built-in object also has.
 */
function projectMethod(receiver: SyntaxNode, method: string, module: ModuleInfo): (ImportedFunction & { guessed: string }) | undefined {
  const call = receiver.parent?.parent;
  const awaited = call?.type === 'call' && call.parent?.type === 'await';
  if (!awaited && BUILTIN_METHODS.has(method)) return undefined;
  const sole = module.workspace?.soleMethod?.(method);
  if (!sole || sole.summary.isAsync !== awaited) return undefined;
  return { ...sole, guessed: `\`${receiver.text}\` is a parameter whose class is not told: it is taken to be a \`${sole.name.split('.')[0]}\`, the only class of the project that defines \`${method}\` (\`${sole.where}\`)` };
}

function calleeSummary(symbol: ImportedFunction): Omit<FunctionSummary, 'node'> {
  const s = symbol.summary;
  return {
    name: symbol.name,
    ...(s.cpu ? { cpu: s.cpu } : {}),
    ...(s.io ? { io: s.io } : {}),
    ...(s.inputSizedCpu ? { inputSizedCpu: s.inputSizedCpu } : {}),
    ...(s.pace ? { pace: s.pace } : {}),
    ...(s.fixedWrite ? { fixedWrite: s.fixedWrite } : {}),
    ...(s.writesParam ? { writesParam: s.writesParam } : {}),
    ...(s.postsToParam ? { postsToParam: s.postsToParam } : {}),
    ...(s.singleSlot ? { singleSlot: s.singleSlot } : {}),
    ...(s.serialised ? { serialised: s.serialised } : {}),
    ...(s.unseenMethod ? { unseenMethod: s.unseenMethod } : {}),
    ...(s.launches ? { launches: s.launches } : {}),
    ...(s.unguarded ? { unguarded: s.unguarded } : {}),
    ...(s.falseDefaults ? { falseDefaults: s.falseDefaults } : {}),
    problems: s.problems,
    mutatedParams: new Set(s.mutatedParams),
    // its module's globals: a worker importing that module has them
    globalsRead: new Set(),
    isAsync: s.isAsync,
    isGenerator: s.isGenerator,
    deferredRaces: s.deferredRaces,
  };
}

/** Whether every `return` of `fn` (its own, not a nested function's) hands back its first parameter unchanged. */
function returnsItsArgument(fn: SyntaxNode): boolean {
  const first = parameterNames(fn)[0];
  const values = first ? returnedValues(fn) : [];
  return values.length > 0 && values.every((v) => v.type === 'identifier' && v.text === first);
}

/**
 * Decorators that leave a call of the function as a call of its body (or that other checks handle: the
 * `functools` caches are memoised callees, `contextmanager` is never called for its value in a loop body).
 */
const TRANSPARENT_DECORATOR = /^@\s*((functools\.)?(wraps|lru_cache|cache|cached_property|singledispatch\w*|total_ordering)\b|(abc\.)?abstract\w*\s*$|(typing\.)?(overload|final|no_type_check)\s*$|staticmethod\s*$|classmethod\s*$|property\s*$|\w+\.(setter|getter|deleter)\s*$|(numba\.)?n?jit\b|(contextlib\.)?(async)?contextmanager\s*$|(dataclasses\.)?dataclass\b|override\s*$|(typing_extensions\.)?override\s*$)/;

/**
 * A decorator from outside this file wraps the function in code the analysis does not see: every call runs the
 * wrapper around the body (`@cache_in_memory(ttl=60)` keeps a cache and counters in module dicts, `@retry` sleeps
 * and calls again, `@timed` prints). One that says it caches is a cache every call shares; any other leaves the
 * call unproven. Null for decorators known to leave the call as it is, and for framework registrations.
 */
function unseenDecorator(d: SyntaxNode, name: string, module: ModuleInfo): Problem | null {
  if (TRANSPARENT_DECORATOR.test(d.text)) return null;
  const shown = d.text.split('\n')[0].slice(0, 50);
  const root = /^@\s*([A-Za-z_]\w*)/.exec(d.text)?.[1];
  // `@app.route(…)`, `@click.command()`: a framework registers the function, its calls are the framework's
  if (root && module.imports.has(root) && /\.(route|get|post|put|patch|delete|command|group|task|fixture|callback|on|event|listener|handler|websocket)\b/.test(d.text)) return null;
  if (/cach|memo/i.test(d.text)) {
    return {
      kind: 'shared-state',
      message: `it is wrapped by \`${shown}\` (line ${lineOf(d)}), a cache every call shares: a call may return what an earlier iteration computed, and concurrent calls would race on the cache`,
      line: lineOf(d),
      name,
      remedy: `keep the loop sequential, or call the undecorated function (\`${name}.__wrapped__\` where the decorator keeps it) if each item's work is independent of the cache`,
    };
  }
  return { kind: 'unknown', message: `it is wrapped by \`${shown}\` (line ${lineOf(d)}): what the wrapper does around each call is not seen`, line: lineOf(d), name };
}

/** Task frameworks' decorators whose function, called, hands its body over and returns a future or a lazy value. */
const LAUNCHERS = /^(parsl(\.app\.app)?\.(python_app|bash_app|join_app)|dask\.delayed|dask\.delayed\.delayed|joblib\.delayed|ray\.remote)$/;

/**
 * The decorator that turns `fn` into a launch (`@python_app(executors=[…])`, `@dask.delayed`): calling it runs
 * none of the body where it is called. The decorator as evidence (its text, line), or undefined.
 */
export function launchingDecorator(fn: SyntaxNode, module: ModuleInfo): Evidence | undefined {
  if (fn.parent?.type !== 'decorated_definition') return undefined;
  for (const decorator of namedChildren(fn.parent).filter((d) => d.type === 'decorator')) {
    let expression = namedChildren(decorator)[0];
    if (expression?.type === 'call') expression = expression.childForFieldName('function') ?? expression;
    const qualified = importedName(expression ? dottedName(expression) : null, module);
    if (qualified && LAUNCHERS.test(qualified)) return { kind: 'io', what: decorator.text.split('\n')[0].slice(0, 50), line: lineOf(decorator) };
  }
  return undefined;
}

/**
 * Whether a change to `target` changes the `**kwargs` dictionary of `fn` itself (`kwargs.pop("file")`, `kwargs["k"] =
 * v`): Python builds that dictionary afresh for every call, so no caller's object is changed. An object inside it
 * (`kwargs["rows"].append(r)`) is the caller's.
 */
function ownKeywordDict(target: SyntaxNode, at: SyntaxNode, fn: SyntaxNode | undefined): boolean {
  const splat = fn?.childForFieldName('parameters')?.namedChildren.find((p) => p?.type === 'dictionary_splat_pattern');
  const name = splat?.namedChildren[0]?.text;
  if (!name) return false;
  if (target.type === 'identifier') return target.text === name;
  if (target.type !== 'subscript' || target.childForFieldName('value')?.text !== name) return false;
  // a store or deletion of the entry itself, not a call on the value it holds
  return at.type === 'delete_statement' || ((at.type === 'assignment' || at.type === 'augmented_assignment') && at.childForFieldName('left')?.id === target.id);
}

/**
 * The lock a function holds around everything it does (`async with self._lock:` as its only statement, a
 * docstring aside), when the lock outlives the call: a module global, an attribute, a parameter — not one made
 * in the call. Calls run at once would still take turns.
 */
function heldThroughout(body: SyntaxNode | null, scope: { locals: Set<string> }): Evidence | undefined {
  const statements = body ? namedChildren(body).filter((s) => s.type !== 'comment' && !(s.type === 'expression_statement' && s.namedChildren[0]?.type === 'string')) : [];
  const only = statements.length === 1 ? statements[0] : null;
  if (only?.type !== 'with_statement') return undefined;
  const items = only.namedChildren.find((c) => c.type === 'with_clause')?.namedChildren ?? [];
  for (const item of items) {
    const value = item.childForFieldName('value');
    if (!value || value.type === 'call' || !/(^|[._])_?\w*(lock|mutex)$/i.test(value.text)) continue;
    const root = value.text.split('.')[0];
    if (value.type === 'identifier' && scope.locals.has(root)) continue;
    return { kind: 'io', what: value.text, line: lineOf(only) };
  }
  return undefined;
}

/** The order in which the waits of a function are kept as its evidence (the first decides its workload). */
function waitRank(e: Evidence): number {
  if (e.pause) return 2;
  return e.waits === 'file' ? 1 : 0;
}

export class FunctionSummaries {
  private readonly done = new Map<number, FunctionSummary>();
  private readonly inProgress = new Set<number>();
  /** The functions being summarised, innermost last. */
  private readonly stack: number[] = [];
  /**
   * Whether a function was met again while summarising another one it calls (mutual recursion): the summaries of
   * such a cycle depend on which of its functions was asked first, a function calling itself directly does not.
   */
  reentered = false;

  constructor(private readonly module: ModuleInfo) {}

  get(fn: SyntaxNode): FunctionSummary {
    const cached = this.done.get(fn.id);
    if (cached) return cached;
    const name = fn.childForFieldName('name')?.text ?? '<function>';
    if (this.inProgress.has(fn.id)) {
      if (this.stack[this.stack.length - 1] !== fn.id) this.reentered = true;
      // recursion: the caller's own analysis supplies the evidence
      return { name, node: fn, problems: [], mutatedParams: new Set(), deferredRaces: [], globalsRead: new Set(), isAsync: false };
    }
    const launcher = launchingDecorator(fn, this.module);
    if (launcher) {
      const launched: FunctionSummary = { name, node: fn, problems: [], mutatedParams: new Set(), deferredRaces: [], globalsRead: new Set(), isAsync: false, launches: launcher };
      this.done.set(fn.id, launched);
      return launched;
    }
    this.inProgress.add(fn.id);
    this.stack.push(fn.id);
    const summary = this.summarize(fn, name);
    this.stack.pop();
    this.inProgress.delete(fn.id);
    this.done.set(fn.id, summary);
    return summary;
  }

  private summarize(fn: SyntaxNode, name: string): FunctionSummary {
    const scope = scopeOf(fn);
    const enclosing: SyntaxNode[] = [fn];
    for (let p = fn.parent; p; p = p.parent) if (p.type === 'function_definition') enclosing.push(p);
    const module = this.module;
    const items = paramItems(fn, scope.params);
    const ctx: RegionContext = {
      module,
      summaries: this,
      enclosing,
      paramOf: (n) => items.get(n),
      role: (n) => {
        if (scope.params.has(n)) return 'param';
        // a local bound only to the items of a parameter (`for n in nodes:`) is those objects, not a fresh value
        if (items.has(n)) return 'param';
        if (scope.locals.has(n)) return 'fresh';
        if (module.bindings.get(n) === 'import') return 'module';
        return 'shared';
      },
    };
    const body = fn.childForFieldName('body');
    const effects = scanRegion(body ? [body] : [], ctx);
    const isAsync = fn.children.some((c) => c?.type === 'async');
    const summary: FunctionSummary = {
      name,
      node: fn,
      problems: effects.problems,
      mutatedParams: effects.mutatedParams,
      paramEffects: effects.paramEffects,
      deferredRaces: effects.deferredRaces,
      globalsRead: new Set(),
      isAsync,
      isGenerator: !isAsync && body !== null && textIncludes(body, 'yield') && descendantsNamed(body, 'yield').some((y) => enclosingScope(y) === fn),
    };
    // a decorator of this file wraps every call: what its wrapper does (prints, counts in shared state) happens
    // on each call too
    for (const problem of this.decoratorProblems(fn, name)) summary.problems.push(problem);
    const recursive = effects.calledFunctions.some((c) => c.id === fn.id);
    // work found inside `if flag:` blocks (or through a callee's flag this function forwards) needs that flag
    const blocks = flagBlocks(fn, scope.params);
    const tagged = (e: Evidence): Evidence => {
      const block = e.guard ? undefined : blocks.find((b) => b.from <= e.line && e.line <= b.to);
      return block ? { ...e, guard: block.param } : e;
    };
    if (blocks.length > 0) {
      effects.cpu = effects.cpu.map(tagged);
      effects.io = effects.io.map(tagged);
    }
    const cpu = [...effects.cpu];
    if (effects.loopsWithArithmetic) cpu.push(tagged({ kind: 'cpu', what: 'a loop doing arithmetic', line: lineOf(effects.loopsWithArithmetic) }));
    if (recursive && effects.hasArithmetic && !retriesOnly(fn)) cpu.push({ kind: 'cpu', what: 'recursive arithmetic', line: lineOf(fn) });
    // the evidence kept is the one that decides how the function can be run in parallel: computation that
    // holds the GIL before computation that releases it, a wait for a service before a file access or a pause
    summary.cpu = cpu.find((e) => !e.releasesGil) ?? cpu[0];
    if (effects.pace) summary.pace = effects.pace;
    if (effects.unseenMethod) summary.unseenMethod = effects.unseenMethod;
    const held = heldThroughout(body, scope);
    if (held) summary.serialised = held;
    if (effects.singleSlot) summary.singleSlot = effects.singleSlot;
    if (effects.postsToParam) summary.postsToParam = effects.postsToParam;
    if (!summary.cpu && effects.inputSizedCpu.length > 0) summary.inputSizedCpu = effects.inputSizedCpu[0];
    const write = body && MAY_WRITE_FILES.test(body.text) ? fileWrite([body], module) : null;
    if (write?.path && isFixedPath(write.path, fn, scope) && (!write.mayBeDirectory || spelledAsFile(write.path, fn))) summary.fixedWrite = { path: write.path.text.slice(0, 60), line: lineOf(write.call) };
    else if (write?.path?.type === 'identifier' && !write.mayBeDirectory && scope.params.has(write.path.text) && body && !plainlyRebound(body, write.path.text)) summary.writesParam = { param: write.path.text, line: lineOf(write.call) };
    if (effects.io.length > 0) summary.io = [...effects.io].sort((a, b) => waitRank(a) - waitRank(b))[0];
    else if (isAsync && effects.awaits.length > 0) summary.io = { kind: 'io', what: `await`, line: lineOf(effects.awaits[0]) };
    if (summary.cpu?.guard || summary.io?.guard) {
      const openCpu = cpu.filter((e) => !e.guard);
      const openIo = effects.io.filter((e) => !e.guard).sort((a, b) => waitRank(a) - waitRank(b));
      const unguarded = { ...(summary.cpu?.guard && openCpu.length > 0 ? { cpu: openCpu.find((e) => !e.releasesGil) ?? openCpu[0] } : {}), ...(summary.io?.guard && openIo.length > 0 ? { io: openIo[0] } : {}) };
      summary.unguarded = unguarded;
      const falseDefaults = parameterNames(fn).filter((p) => falseDefaultOf(fn, p));
      if (falseDefaults.length > 0) summary.falseDefaults = falseDefaults;
    }
    // module-level variables read here or by callees: they must exist in a spawned worker too
    if (body) {
      walk(body, (n) => {
        if (n.type === 'identifier' && module.bindings.get(n.text) === 'assign' && !scope.locals.has(n.text) && !scope.params.has(n.text)) {
          summary.globalsRead.add(n.text);
        }
        return true;
      });
    }
    for (const callee of effects.calledFunctions) {
      if (callee.id === fn.id) continue;
      for (const g of this.get(callee).globalsRead) summary.globalsRead.add(g);
    }
    return summary;
  }

  /**
   * The problems of the code the decorators of `fn` run on each call. One defined in this file is read through:
   * the bodies of the functions nested in a decorator function (the wrapper, at any depth of a decorator factory),
   * or the `__call__` of a decorator class, whose `self` is one object shared by every call. For the others, the
   * first that is not known to leave the call as it is (unseenDecorator), after those.
   */
  private decoratorProblems(fn: SyntaxNode, name: string): Problem[] {
    if (fn.parent?.type !== 'decorated_definition') return [];
    const problems: Problem[] = [];
    let unseen: Problem | null = null;
    for (const decorator of namedChildren(fn.parent).filter((d) => d.type === 'decorator')) {
      let expression = namedChildren(decorator)[0];
      if (expression?.type === 'call') expression = expression.childForFieldName('function') ?? expression;
      const definition = expression?.type === 'identifier' ? (this.module.functions.get(expression.text) ?? topLevelClass(this.module, expression.text)) : undefined;
      if (!definition) {
        unseen ??= unseenDecorator(decorator, name, this.module);
        continue;
      }
      if (definition.id === fn.id) continue;
      const wrappers =
        definition.type === 'class_definition'
          ? descendantsNamed(definition, 'function_definition').filter((d) => d.childForFieldName('name')?.text === '__call__')
          : descendantsNamed(definition.childForFieldName('body')!, 'function_definition');
      for (const wrapper of wrappers) {
        // `def add(fn): REGISTRY.append(fn); return fn`: a registration, run once where the function is defined,
        // handing back the function itself — no wrapper runs on its calls (round 53: a Scheme interpreter's
        // `@builtin(…)` said to run on each call)
        if (returnsItsArgument(wrapper)) continue;
        const scope = scopeOf(wrapper);
        const isCall = definition.type === 'class_definition';
        const module = this.module;
        const ctx: RegionContext = {
          module,
          summaries: this,
          enclosing: [wrapper],
          role: (n) => {
            // the decorator object's own state is shared by every call it wraps
            if (isCall && n === 'self') return 'shared';
            if (scope.params.has(n)) return 'param';
            if (scope.locals.has(n)) return 'fresh';
            if (module.bindings.get(n) === 'import') return 'module';
            return 'shared';
          },
        };
        const body = wrapper.childForFieldName('body');
        for (const problem of scanRegion(body ? [body] : [], ctx).problems) {
          problems.push({ ...problem, message: `the decorator \`@${expression!.text}\` of \`${name}\` runs on each call: ${problem.message}` });
        }
      }
    }
    return unseen ? [...problems, unseen] : problems;
  }
}

/** A class defined at the top level of the module (or in a module-level block), by name. */
function topLevelClass(module: ModuleInfo, name: string): SyntaxNode | undefined {
  if (module.bindings.get(name) !== 'class') return undefined;
  return descendantsNamed(module.root, 'class_definition').find((c) => c.childForFieldName('name')?.text === name && c.parent?.type !== 'block');
}

/**
 * Why a call the knowledge table marks `stateful` ties the iterations together, in words true of that call: only
 * generators and iterators "read and advance" a state; `exec` and `eval` run code given as text, `setattr` and
 * `delattr` change an object named at run time, `globals()` and `vars()` hand out a namespace.
 */
function statefulReason(name: string, arg: SyntaxNode | undefined): string {
  const shown = arg ? `\`${arg.text.split('\n')[0].slice(0, 40)}\`` : 'the object';
  switch (name) {
    case 'exec':
    case 'eval':
      return `\`${name}()\` runs code given as text, which can read and rebind any name of this scope or of the module: the analysis cannot tell what the iterations share through it`;
    case 'setattr':
    case 'delattr':
      return `\`${name}()\` ${name === 'setattr' ? 'sets' : 'deletes'} an attribute, named at run time, of ${shown}, which the iterations may share: the analysis cannot tell which attribute changes`;
    case 'globals':
      return '`globals()` hands out the module\'s namespace, which every iteration shares: what is done with it can read and rebind any global';
    case 'vars':
      return arg
        ? `\`vars()\` hands out the attribute dictionary of ${shown} itself, not a copy, and the iterations may share it`
        : '`vars()` hands out the namespace of this scope, which every iteration shares';
    default:
      return `\`${name}()\` reads and advances state shared by all iterations, so results depend on their order`;
  }
}

/**
 * The callable a call runs in a thread and waits for where it stands: the first argument of `asyncio.to_thread`,
 * the second of `loop.run_in_executor` — when it is a name or an attribute (`self.speak`), not a lambda or a call.
 */
function handedCallable(call: SyntaxNode, module: ModuleInfo): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
  let callable: SyntaxNode | undefined;
  if (fn && importedName(fn.text, module) === 'asyncio.to_thread') callable = args[0];
  else if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'run_in_executor') callable = args[1];
  return callable && (callable.type === 'identifier' || callable.type === 'attribute') ? callable : null;
}

/**
 * Whether a function calls itself only from `except` handlers (`except Exception: return self.run_query(…,
 * counter=counter + 1)`): a retry after a failure, not a computation recursing over its input (round 57: a Neo4j
 * query helper whose retry counter was read as "recursive arithmetic").
 */
function retriesOnly(fn: SyntaxNode): boolean {
  const name = fn.childForFieldName('name')?.text;
  const body = fn.childForFieldName('body');
  if (!name || !body) return false;
  const own = new RegExp(String.raw`^((self|cls)\.)?${name}$`);
  const calls = body.descendantsOfType('call').filter((c): c is SyntaxNode => !!c && own.test(c.childForFieldName('function')?.text ?? ''));
  return calls.length > 0 && calls.every((c) => ancestor(c, (a) => a.type === 'except_clause' || a.id === fn.id)?.type === 'except_clause');
}
