// Methods of the classes defined in the same file, resolved at their call sites: `self.digest(x)`,
// `h.digest(x)` on an instance passed as a parameter (its class known from an annotation, from the constructor
// calls at the call sites in the file, or as the only class here defining that method), `obj.run()` on an object
// built by `C(…)`, and static or class methods called through the class. The summaries of the methods found
// (effects.ts) then say what they read and write on the receiver.
import type { SyntaxNode } from '../parser';
import { enclosingFunction, namedChildren, tokensSpelled, walk } from '../syntax';
import { METHOD_WAITS, MUTATING_METHODS, READ_ONLY_METHODS } from './knowledge';
import { callSitesOf, isInTargetPosition, type ModuleInfo, parameterNames, scopeOf } from './scope';

/** How a method's parameters take the call's receiver and arguments. */
export type MethodBinding =
  /** `obj.m(a)`: the receiver is the first parameter (`self`). */
  | 'instance'
  /** `C.m(a)` or `obj.m(a)` on a `@classmethod`: the first parameter is the class. */
  | 'class'
  /** `@staticmethod`: no implicit parameter. */
  | 'static'
  /** `C.m(obj, a)`: an instance method called through its class, every parameter passed explicitly. */
  | 'unbound';

export interface MethodTarget {
  node: SyntaxNode;
  className: string;
  binding: MethodBinding;
  /** Set when the receiver's class is only inferred as the one class of the file that defines the method. */
  guessed?: string;
}

interface ClassIndex {
  classes: Map<string, SyntaxNode>;
}

const indexCache = new WeakMap<ModuleInfo, ClassIndex>();

/** The module-level classes of the file by name (a class defined twice is left out: which one runs is not known here). */
function classIndex(module: ModuleInfo): ClassIndex {
  let index = indexCache.get(module);
  if (index) return index;
  const classes = new Map<string, SyntaxNode>();
  const twice = new Set<string>();
  for (const statement of namedChildren(module.root)) {
    const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (def?.type !== 'class_definition') continue;
    // a decorated class may be replaced by what the decorator returns (except a dataclass)
    if (statement.type === 'decorated_definition' && !namedChildren(statement).every((c) => c.type !== 'decorator' || /^@(dataclasses\.)?dataclass\b/.test(c.text))) continue;
    const name = def.childForFieldName('name')?.text;
    if (!name) continue;
    if (classes.has(name)) twice.add(name);
    classes.set(name, def);
  }
  for (const name of twice) classes.delete(name);
  index = { classes };
  indexCache.set(module, index);
  return index;
}

/** The decorators of `def` as written, without their `@` (`staticmethod`, `app.get("/")`). */
export function decoratorsOf(def: SyntaxNode): string[] {
  const wrapper = def.parent?.type === 'decorated_definition' ? def.parent : null;
  return wrapper ? namedChildren(wrapper).filter((c) => c.type === 'decorator').map((d) => d.text.slice(1).trim()) : [];
}

/** The methods a class body defines itself, by name (a name defined twice: the last definition). */
export function ownMethods(cls: SyntaxNode): ReadonlyMap<string, SyntaxNode> {
  let methods = ownMethodsOf.get(cls);
  if (!methods) ownMethodsOf.set(cls, (methods = findOwnMethods(cls)));
  return methods;
}

/** Per class node: its own methods (asked for every method call resolved on the class). */
const ownMethodsOf = new WeakMap<SyntaxNode, ReadonlyMap<string, SyntaxNode>>();

function findOwnMethods(cls: SyntaxNode): Map<string, SyntaxNode> {
  const methods = new Map<string, SyntaxNode>();
  const body = cls.childForFieldName('body');
  for (const statement of body ? namedChildren(body) : []) {
    const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const name = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
    if (def && name) methods.set(name, def);
  }
  return methods;
}

/** The base classes as spelled (`object` left out); keyword arguments (`metaclass=…`) make the class unknown. */
function basesOf(cls: SyntaxNode): string[] | null {
  const list = cls.childForFieldName('superclasses');
  if (!list) return [];
  const bases: string[] = [];
  for (const b of namedChildren(list)) {
    if (b.type === 'comment') continue;
    if (b.type !== 'identifier') return null;
    if (b.text !== 'object') bases.push(b.text);
  }
  return bases;
}

/**
 * The definition `method` resolves to on an instance of `className` when the file shows it: in the class, or in a
 * base class of this file (a base from elsewhere, or a metaclass, leaves it unknown). Null when not found.
 */
function lookupMethod(className: string, method: string, index: ClassIndex, depth = 0): SyntaxNode | null {
  const cls = index.classes.get(className);
  if (!cls || depth > 10) return null;
  const own = ownMethods(cls).get(method);
  if (own) return own;
  const bases = basesOf(cls);
  if (!bases) return null;
  for (const base of bases) {
    if (!index.classes.has(base)) return null;
    const found = lookupMethod(base, method, index, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The classes of this file derived from `className`, directly or through others. */
function derivedClasses(className: string, index: ClassIndex, seen = new Set([className])): string[] {
  const out: string[] = [];
  for (const [other, cls] of index.classes) {
    if (seen.has(other)) continue;
    if ((basesOf(cls) ?? []).includes(className)) {
      seen.add(other);
      out.push(other, ...derivedClasses(other, index, seen));
    }
  }
  return out;
}

/** Whether a class of this file derived from `className` defines `method` again (the call could reach either). */
function overriddenBelow(className: string, method: string, index: ClassIndex): boolean {
  return derivedClasses(className, index).some((d) => ownMethods(index.classes.get(d)!).has(method));
}

/**
 * The definitions a call may reach when sameFileMethod cannot say which one runs: the receiver's class is known
 * but classes of the file derived from it define the method again (an abstract `sample_function` and its
 * implementations). Empty when the class is not known.
 */
export function overridingMethods(receiver: SyntaxNode, method: string, module: ModuleInfo, enclosing: SyntaxNode[]): Array<{ node: SyntaxNode; className: string }> {
  if (method.startsWith('__') && method.endsWith('__')) return [];
  const index = classIndex(module);
  if (index.classes.size === 0) return [];
  const cls = receiverClass(receiver, method, module, enclosing, index);
  if (!cls || cls.viaClass) return [];
  return [cls.className, ...derivedClasses(cls.className, index)].flatMap((name) => {
    const def = ownMethods(index.classes.get(name)!).get(method);
    return def ? [{ node: def, className: name }] : [];
  });
}

/** The class whose body defines `fn` directly (decorated or not), or null: not a method. */
export function classDefining(fn: SyntaxNode): SyntaxNode | null {
  const definition = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const cls = definition.parent?.type === 'block' ? definition.parent.parent : null;
  return cls?.type === 'class_definition' ? cls : null;
}

/** The class a direct method belongs to, when it is one of the file's module-level classes. */
export function classOfMethod(fn: SyntaxNode, module: ModuleInfo): string | null {
  const cls = classDefining(fn);
  if (!cls) return null;
  const name = cls.childForFieldName('name')?.text;
  return name && classIndex(module).classes.get(name)?.id === cls.id ? name : null;
}

/** The class `C` of an annotation `C`, `"C"` or `Optional[C]`-free plain spelling, when it is one of the file's classes. */
function annotatedClass(param: SyntaxNode, index: ClassIndex): string | null {
  if (param.type !== 'typed_parameter' && param.type !== 'typed_default_parameter') return null;
  const type = param.childForFieldName('type');
  const text = type?.text.replace(/^["']|["']$/g, '').trim();
  return text && index.classes.has(text) ? text : null;
}

/** A container annotation of one class of the file (`Iterable[ImageUrl]`, `list[Job]`, `tuple[Job, ...]`): that class. */
const CONTAINER_ANNOTATION = /^(?:typing\.|collections\.abc\.)?(?:Iterable|Iterator|Sequence|Collection|List|list|Set|set|FrozenSet|frozenset|Tuple|tuple)\[\s*["']?(\w+)["']?\s*(?:,\s*\.\.\.\s*)?\]$/;

/**
 * The class of a local bound only as the target of one `for` over a parameter annotated as a container of a class of
 * the file (`def download_all(urls: Iterable[ImageUrl]): for url in urls: url.download()`; round 45).
 */
function elementOfAnnotated(name: string, fn: SyntaxNode, index: ClassIndex): string | null {
  const body = fn.childForFieldName('body');
  if (!body) return null;
  const targets = tokensSpelled(body, name, 'identifier').filter((t) => isInTargetPosition(t) && enclosingFunction(t)?.id === fn.id);
  const loop = targets.length === 1 ? targets[0].parent : null;
  if (loop?.type !== 'for_statement' || loop.childForFieldName('left')?.id !== targets[0].id) return null;
  let iterable = loop.childForFieldName('right');
  // through a progress bar or a copy in another order (`tqdm(urls)`, `sorted(urls)`, `list(urls)`)
  const wrapper = iterable?.type === 'call' ? iterable.childForFieldName('function')?.text ?? '' : '';
  if (/^(tqdm(\.tqdm)?|list|tuple|sorted|reversed|iter)$/.test(wrapper)) iterable = namedChildren(iterable!.childForFieldName('arguments')!)[0] ?? null;
  if (iterable?.type !== 'identifier' || !scopeOf(fn).params.has(iterable.text)) return null;
  const param = namedChildren(fn.childForFieldName('parameters')!).find((p) => (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') && (p.childForFieldName('name') ?? namedChildren(p).find((c) => c.type === 'identifier'))?.text === iterable.text);
  const match = CONTAINER_ANNOTATION.exec(param?.childForFieldName('type')?.text.trim() ?? '');
  return match && index.classes.has(match[1]) ? match[1] : null;
}

/** The class whose constructor an expression calls (`C(…)`), or null. */
function constructed(expr: SyntaxNode | null, index: ClassIndex, module: ModuleInfo): string | null {
  if (expr?.type !== 'call') return null;
  const f = expr.childForFieldName('function');
  return f?.type === 'identifier' && index.classes.has(f.text) && module.bindings.get(f.text) === 'class' ? f.text : null;
}

/** Per scope node: the answers of onlyAssignment so far, by name (each call and method lookup asks again). */
const onlyAssignments = new WeakMap<SyntaxNode, Map<string, SyntaxNode | null>>();

/** The value a name of `scope` (a function, or the module root) is bound to by its only binding, a plain assignment. */
function onlyAssignment(name: string, scope: SyntaxNode): SyntaxNode | null {
  let known = onlyAssignments.get(scope);
  if (!known) onlyAssignments.set(scope, (known = new Map()));
  let value = known.get(name);
  if (value === undefined) known.set(name, (value = findOnlyAssignment(name, scope)));
  return value;
}

function findOnlyAssignment(name: string, scope: SyntaxNode): SyntaxNode | null {
  const values: SyntaxNode[] = [];
  let other = false;
  const visit = (n: SyntaxNode) => {
    if (other || values.length > 1) return;
    for (const c of namedChildren(n)) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') {
        if (c.type !== 'lambda' && c.childForFieldName('name')?.text === name) other = true;
        continue;
      }
      if (c.type === 'assignment' && c.childForFieldName('left')?.type === 'identifier' && c.childForFieldName('left')!.text === name) values.push(c.childForFieldName('right')!);
      else if (c.type === 'identifier' && c.text === name && isRebound(c)) other = true;
      visit(c);
    }
  };
  visit(scope.type === 'function_definition' ? (scope.childForFieldName('body') ?? scope) : scope);
  return !other && values.length === 1 ? values[0] : null;
}

function isRebound(id: SyntaxNode): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'assignment') return p.childForFieldName('left')?.id !== id.id && isWithin(p.childForFieldName('left'), id);
  if (p.type === 'augmented_assignment' || p.type === 'for_statement' || p.type === 'for_in_clause') return p.childForFieldName('left')?.id === id.id || isWithin(p.childForFieldName('left'), id);
  if (p.type === 'named_expression') return p.childForFieldName('name')?.id === id.id;
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'global_statement', 'nonlocal_statement'].includes(p.type)) return true;
  return false;
}

function isWithin(outer: SyntaxNode | null, inner: SyntaxNode): boolean {
  return !!outer && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * The class of the instances the callers in this file pass for parameter `param` of the module function `fn`:
 * every call site passes `C(…)`, or a name bound once to `C(…)` in the caller. Null when a caller passes
 * anything else or there is no caller.
 */
function classFromCallers(fn: SyntaxNode, param: string, index: ClassIndex, module: ModuleInfo): string | null {
  const name = fn.childForFieldName('name')?.text;
  if (!name || module.functions.get(name)?.id !== fn.id) return null;
  const position = parameterNames(fn).indexOf(param);
  let found: string | null = null;
  const calls = callSitesOf(module, name);
  if (calls.length === 0) return null;
  for (const call of calls) {
    const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    if (args.some((a) => a.type.endsWith('splat'))) return null;
    const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === param)?.childForFieldName('value');
    const arg = keyword ?? args.filter((a) => a.type !== 'keyword_argument')[position] ?? null;
    let cls = constructed(arg, index, module);
    if (!cls && arg?.type === 'identifier') {
      let scope: SyntaxNode | null = null;
      for (let p = call.parent; p; p = p.parent) if (p.type === 'function_definition') { scope = p; break; }
      const value = onlyAssignment(arg.text, scope ?? module.root);
      cls = constructed(value, index, module);
    }
    if (!cls || (found && found !== cls)) return null;
    found = cls;
  }
  return found;
}

const BUILTIN_VALUE_TYPES = new Set(['list', 'set', 'dictionary', 'tuple', 'string', 'concatenated_string', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'integer', 'float']);
const BUILTIN_CONSTRUCTORS = new Set(['list', 'set', 'dict', 'tuple', 'frozenset', 'str', 'bytes', 'bytearray', 'int', 'float']);
const BUILTIN_ANNOTATION = /^(list|set|dict|tuple|frozenset|str|bytes|int|float|List|Set|Dict|Tuple|FrozenSet|typing\.\w+|collections\.\w+)\b/;

/** Whether some call of `fn` in the file passes a builtin value (`[]`, `set()`, `"…"`) for `param`. */
function builtinFromCallers(fn: SyntaxNode, param: string, module: ModuleInfo): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name || module.functions.get(name)?.id !== fn.id) return false;
  const position = parameterNames(fn).indexOf(param);
  return callSitesOf(module, name).some((call) => {
    const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
    const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === param)?.childForFieldName('value');
    const arg = keyword ?? args.filter((a) => a.type !== 'keyword_argument')[position] ?? null;
    if (!arg) return false;
    if (BUILTIN_VALUE_TYPES.has(arg.type)) return true;
    const f = arg.type === 'call' ? arg.childForFieldName('function') : null;
    return f?.type === 'identifier' && BUILTIN_CONSTRUCTORS.has(f.text) && !module.bindings.has(f.text);
  });
}

/** The one class of the file that defines `method`, or null (none, or several). */
function onlyClassDefining(method: string, index: ClassIndex): string | null {
  let found: string | null = null;
  for (const [name, cls] of index.classes) {
    if (!ownMethods(cls).has(method)) continue;
    if (found) return null;
    found = name;
  }
  return found;
}

/**
 * Methods of the library's common protocols (DB-API connections and cursors, files, HTTP clients and sessions,
 * containers): a parameter called with one is not taken to be the one class of the file defining it (round 29: an
 * HTTP wrapper defining `execute` beside the `sqlite3` connection the same parameter usually holds).
 */
const PROTOCOL_METHODS = new Set([
  ...'execute executemany executescript commit rollback cursor fetchone fetchall fetchmany close'.split(' '),
  ...'read write readline readlines writelines seek tell flush open'.split(' '),
  ...'get post put patch delete head options request send recv connect'.split(' '),
  ...MUTATING_METHODS,
  ...READ_ONLY_METHODS,
  ...Object.keys(METHOD_WAITS),
]);

interface ReceiverClass {
  className: string;
  /** `C.m(…)` or a `cls` parameter: the class itself, not an instance. */
  viaClass: boolean;
  /** The object was built here by `C(…)`: its class is exactly `C`, no subclass. */
  exact: boolean;
  guessed?: string;
}

/** What class the receiver of a method call is (or is an instance of), when the file shows it. */
function receiverClass(receiver: SyntaxNode, method: string, module: ModuleInfo, enclosing: SyntaxNode[], index: ClassIndex): ReceiverClass | null {
  const built = constructed(receiver, index, module);
  if (built) return { className: built, viaClass: false, exact: true };
  if (receiver.type !== 'identifier') return null;
  const name = receiver.text;
  for (const fn of enclosing) {
    const scope = scopeOf(fn);
    if (scope.locals.has(name)) {
      const cls = constructed(onlyAssignment(name, fn), index, module);
      if (cls) return { className: cls, viaClass: false, exact: true };
      const element = elementOfAnnotated(name, fn, index);
      return element ? { className: element, viaClass: false, exact: false } : null;
    }
    if (!scope.params.has(name)) continue;
    const params = namedChildren(fn.childForFieldName('parameters')!).filter((p) => p.type !== 'comment');
    const param = params.find((p) => (p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? namedChildren(p).find((c) => c.type === 'identifier'))?.text) === name);
    const owner = classOfMethod(fn, module);
    const decorators = decoratorsOf(fn);
    if (owner && params[0]?.id === param?.id && !decorators.includes('staticmethod')) {
      return { className: owner, viaClass: decorators.includes('classmethod'), exact: false };
    }
    const annotated = param ? annotatedClass(param, index) : null;
    if (annotated) return { className: annotated, viaClass: false, exact: false };
    const fromCallers = classFromCallers(fn, name, index, module);
    if (fromCallers) return { className: fromCallers, viaClass: false, exact: true };
    // a caller passing a list, set, dict or string (or an annotation naming one) says it is not a class of the file
    if (builtinFromCallers(fn, name, module) || (param && BUILTIN_ANNOTATION.test(param.childForFieldName('type')?.text ?? ''))) return null;
    // a method the library's objects also define (`conn.execute`, `f.read`, `session.get`): a class of the file
    // defining it may wrap one of them, and the parameter may as well be the library's own object
    const only = PROTOCOL_METHODS.has(method) ? null : onlyClassDefining(method, index);
    return only ? { className: only, viaClass: false, exact: false, guessed: `\`${name}\` is taken to be a \`${only}\`, the only class in this file that defines \`${method}\`` } : null;
  }
  if (module.bindings.get(name) === 'class' && index.classes.has(name)) return { className: name, viaClass: true, exact: true };
  return null;
}

/**
 * Whether a class is a unittest test case (a base spelled `…TestCase`, here or in a base of this file): its methods
 * record outcomes, cleanups and skips on the test case, which is not thread-safe; they are left unresolved.
 */
function isTestCase(className: string, index: ClassIndex, depth = 0): boolean {
  const cls = index.classes.get(className);
  if (!cls || depth > 10) return false;
  const list = cls.childForFieldName('superclasses');
  for (const b of list ? namedChildren(list) : []) {
    if (/TestCase$|\bTestCase\b/.test(b.text)) return true;
    if (b.type === 'identifier' && index.classes.has(b.text) && isTestCase(b.text, index, depth + 1)) return true;
  }
  return false;
}

/** Decorators a method may carry and still be summarised: they only change how it binds. */
const BINDING_DECORATORS = new Set(['staticmethod', 'classmethod']);

/**
 * The method of a class of this file that `receiver.method(…)` calls, when the file shows which it is; null
 * otherwise (a class from elsewhere, a method a subclass of this file overrides, a decorated method).
 */
export function sameFileMethod(receiver: SyntaxNode, method: string, module: ModuleInfo, enclosing: SyntaxNode[]): MethodTarget | null {
  if (method.startsWith('__') && method.endsWith('__')) return null;
  const index = classIndex(module);
  if (index.classes.size === 0) return null;
  const cls = receiverClass(receiver, method, module, enclosing, index);
  if (!cls || isTestCase(cls.className, index)) return null;
  const def = lookupMethod(cls.className, method, index);
  if (!def) return null;
  const decorators = decoratorsOf(def);
  if (decorators.some((d) => !BINDING_DECORATORS.has(d))) return null;
  if (!cls.exact && !cls.viaClass && overriddenBelow(cls.className, method, index)) return null;
  const binding: MethodBinding = decorators.includes('staticmethod') ? 'static' : decorators.includes('classmethod') ? 'class' : cls.viaClass ? 'unbound' : 'instance';
  return { node: def, className: cls.className, binding, ...(cls.guessed ? { guessed: cls.guessed } : {}) };
}

/**
 * The argument a call passes for parameter `param` of a resolved method: 'receiver' for the implicit first
 * parameter, null when not passed (or not known: a splat).
 */
export function methodArgumentFor(call: SyntaxNode, target: MethodTarget, param: string): SyntaxNode | 'receiver' | null {
  const names = parameterNames(target.node);
  const implicit = target.binding === 'instance' || target.binding === 'class' ? 1 : 0;
  const index = names.indexOf(param);
  if (index < 0) return null;
  if (index < implicit) return 'receiver';
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === param)?.childForFieldName('value');
  if (keyword) return keyword;
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  if (positional.some((a) => a.type.endsWith('splat'))) return null;
  return positional[index - implicit] ?? null;
}

/** Builtins whose value is a new object (or a plain value) made from their argument, never the argument itself. */
const CONVERTING_BUILTINS = new Set(['int', 'float', 'str', 'bool', 'len', 'round', 'abs', 'tuple', 'list', 'dict', 'set', 'frozenset', 'sorted', 'hash', 'repr', 'bytes', 'range', 'sum', 'min', 'max', 'enumerate']);

/** Whether an occurrence of a parameter only has its value used (computed with, converted), not kept as it is. */
function onlyUsed(id: SyntaxNode, module: ModuleInfo): boolean {
  const p = id.parent;
  if (!p) return false;
  if (['binary_operator', 'comparison_operator', 'unary_operator', 'not_operator', 'interpolation'].includes(p.type)) return true;
  if (p.type === 'if_statement' || p.type === 'while_statement') return true;
  if (p.type === 'argument_list' && p.parent?.type === 'call') {
    const f = p.parent.childForFieldName('function');
    if (f?.type === 'identifier' && CONVERTING_BUILTINS.has(f.text) && !module.bindings.has(f.text)) return true;
    // a library call (`random.Random(seed)`) takes the value; what it returns is its own object
    const root = f?.text.split('.')[0] ?? '';
    if (f && module.imports.has(root) && f.type === 'attribute') return true;
  }
  return false;
}

/**
 * The arguments of a constructor call `C(…)` of a class of this file that the object may keep as they are (stored
 * on `self` by `__init__`, or every argument of a dataclass): an object built in an iteration from them is not the
 * iteration's alone. 'unknown' when the class's construction is not all in this file.
 */
export function keptArguments(call: SyntaxNode, module: ModuleInfo): Array<{ arg: SyntaxNode; param: string }> | 'unknown' {
  const index = classIndex(module);
  const className = constructed(call, index, module);
  if (!className) return [];
  const cls = index.classes.get(className)!;
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (args.some((a) => a.type.endsWith('splat'))) return 'unknown';
  const valueOf = (a: SyntaxNode) => (a.type === 'keyword_argument' ? a.childForFieldName('value')! : a);
  if (cls.parent?.type === 'decorated_definition') return args.map((a) => ({ arg: valueOf(a), param: a.type === 'keyword_argument' ? a.childForFieldName('name')!.text : '' }));
  // the class whose `__init__` runs: the first in the chain of this file's classes that defines one
  let init: SyntaxNode | null = null;
  for (let name: string | undefined = className, depth = 0; name && depth < 10; depth++) {
    const c = index.classes.get(name);
    if (!c) return 'unknown';
    init = ownMethods(c).get('__init__') ?? ownMethods(c).get('__new__') ?? null;
    if (init) break;
    const bases = basesOf(c);
    if (!bases || bases.length > 1) return 'unknown';
    name = bases[0];
  }
  if (!init) return args.length === 0 ? [] : 'unknown';
  const params = parameterNames(init).slice(1);
  const body = init.childForFieldName('body');
  const kept: Array<{ arg: SyntaxNode; param: string }> = [];
  args.forEach((a, i) => {
    const param = a.type === 'keyword_argument' ? a.childForFieldName('name')!.text : params[i];
    if (!param || !body) return void kept.push({ arg: valueOf(a), param: param ?? '' });
    const reads: SyntaxNode[] = [];
    const visit = (n: SyntaxNode) => {
      for (const c of namedChildren(n)) {
        if (c.type === 'identifier' && c.text === param) reads.push(c);
        else visit(c);
      }
    };
    visit(body);
    if (reads.some((r) => !onlyUsed(r, module))) kept.push({ arg: valueOf(a), param });
  });
  return kept;
}

/** The constructor call `C(…)` (a class of this file) that built an object: the expression itself, or the one value a local is bound to. */
export function constructorCall(node: SyntaxNode, scope: SyntaxNode | null, module: ModuleInfo): SyntaxNode | null {
  const index = classIndex(module);
  if (constructed(node, index, module)) return node;
  if (node.type !== 'identifier' || !scope) return null;
  const value = onlyAssignment(node.text, scope);
  return value && constructed(value, index, module) ? value : null;
}

const LITERAL_TYPES = new Set(['integer', 'float', 'string', 'true', 'false', 'none', 'concatenated_string']);

/** Whether a module-level name is bound once, to a literal (a constant an object can keep without sharing state). */
export function isLiteralConstant(name: string, module: ModuleInfo): boolean {
  const value = onlyAssignment(name, module.root);
  if (!value) return false;
  if (LITERAL_TYPES.has(value.type)) return true;
  return value.type === 'tuple' && namedChildren(value).every((c) => LITERAL_TYPES.has(c.type));
}

/** The module-level class `name` of this file (defined once), or null. */
export function moduleClass(name: string, module: ModuleInfo): SyntaxNode | null {
  return classIndex(module).classes.get(name) ?? null;
}

/** The class whose instance `name` is inside `fn` when `name` is the receiver (`self`) of a method of a class of this file. */
export function receiverOfMethod(fn: SyntaxNode, name: string, module: ModuleInfo): string | null {
  const owner = classOfMethod(fn, module);
  if (!owner) return null;
  const decorators = decoratorsOf(fn);
  if (decorators.includes('staticmethod') || decorators.includes('classmethod')) return null;
  const first = namedChildren(fn.childForFieldName('parameters')!).find((p) => p.type !== 'comment');
  return first?.type === 'identifier' && first.text === name ? owner : null;
}

/**
 * What instances of a class of this file hold: every `self.attr = value` in its methods (and in those of its bases
 * in this file), with the method it is in. Null when the class's state is not all visible here: a base from
 * elsewhere, custom pickling, `__slots__`, or attributes set through `setattr` / `__dict__`.
 */
export function instanceState(className: string, module: ModuleInfo): Array<{ value: SyntaxNode; method: SyntaxNode }> | null {
  const index = classIndex(module);
  const state: Array<{ value: SyntaxNode; method: SyntaxNode }> = [];
  for (let name: string | undefined = className, depth = 0; name; depth++) {
    const cls = index.classes.get(name);
    if (!cls || depth > 10) return null;
    if (/__reduce|__getstate__|__setstate__|__slots__|__dict__|setattr\(/.test(cls.text)) return null;
    for (const [, method] of ownMethods(cls)) {
      const receiver = namedChildren(method.childForFieldName('parameters')!).find((p) => p.type !== 'comment');
      if (receiver?.type !== 'identifier') continue;
      const visit = (n: SyntaxNode) => {
        for (const c of namedChildren(n)) {
          if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
          if (c.type === 'assignment') {
            const left = c.childForFieldName('left');
            const right = c.childForFieldName('right');
            if (left?.type === 'attribute' && left.childForFieldName('object')?.text === receiver.text && right) state.push({ value: right, method });
          }
          visit(c);
        }
      };
      visit(method.childForFieldName('body') ?? method);
    }
    const bases = basesOf(cls);
    if (!bases || bases.length > 1) return null;
    name = bases[0];
  }
  return state;
}

/** What `sameFileCallees` follows. */
export interface CalleeOptions {
  /** How many definitions are followed at most. */
  limit: number;
  /** Also follow `self.name(…)` to the method `name` of the class the call sits in. */
  methods?: boolean;
  /** Whether a call of the plain name `name` is followed to its definition (default: any function of the file). */
  follows?: (name: string) => boolean;
}

/**
 * `roots`, then the definitions of this file's functions they call by name, and of those the definitions call, each
 * once (breadth first, at most `options.limit` definitions): what a question about a loop's body must also read
 * when the body does its work through helpers. Each definition comes with the name it was called by.
 */
export function sameFileCallees(roots: readonly SyntaxNode[], module: ModuleInfo, options: CalleeOptions): Array<{ node: SyntaxNode; calledAs?: string }> {
  const all: Array<{ node: SyntaxNode; calledAs?: string }> = roots.map((node) => ({ node }));
  const seen = new Set<number>(roots.map((r) => r.id));
  let followed = 0;
  for (let i = 0; i < all.length && followed < options.limit; i++) {
    walk(all[i].node, (n) => {
      if (n.type !== 'call' || followed >= options.limit) return true;
      const f = n.childForFieldName('function');
      let name: string | undefined;
      let def: SyntaxNode | undefined;
      if (f?.type === 'identifier' && (options.follows ? options.follows(f.text) : true)) {
        name = f.text;
        def = module.functions.get(name);
      } else if (options.methods && f?.type === 'attribute' && f.childForFieldName('object')?.text === 'self') {
        name = f.childForFieldName('attribute')!.text;
        let cls: SyntaxNode | null = n.parent;
        while (cls && cls.type !== 'class_definition') cls = cls.parent;
        def = cls ? ownMethods(cls).get(name) : undefined;
      }
      if (def && !seen.has(def.id)) {
        seen.add(def.id);
        followed++;
        all.push({ node: def, calledAs: name });
      }
      return true;
    });
  }
  return all;
}
