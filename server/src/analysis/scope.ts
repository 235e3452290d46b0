// Python name binding: what a module imports and defines, and which names a function binds locally.
import type { SyntaxNode } from '../parser';
import type { ImportResolver } from './moduleSummary';
import { boundNames, children, COMPREHENSION_TYPES, enclosingFunction, namedChildren, SCOPE_TYPES, textIncludes, tokensSpelled, walk } from '../syntax';

export type ModuleBindingKind = 'def' | 'class' | 'import' | 'assign';

export interface ModuleInfo {
  root: SyntaxNode;
  /** Local name → qualified name: `np` → `numpy`, `sha256` → `hashlib.sha256`. */
  imports: Map<string, string>;
  /** Module-level function definitions by name. */
  functions: Map<string, SyntaxNode>;
  bindings: Map<string, ModuleBindingKind>;
  /** Every identifier spelled anywhere in the file (computed on first use): fresh names avoid all of them. */
  readonly identifiers: Set<string>;
  /** The summaries of the workspace modules it imports (absent: the file is analysed alone). */
  workspace?: ImportResolver;
}

/** A dotted name resolved through the module's imports (`np.sum` → `numpy.sum`), or null when its root is not imported. */
export function importedName(dotted: string | null, module: ModuleInfo): string | null {
  if (!dotted) return null;
  const root = dotted.split('.')[0];
  const imported = module.imports.get(root) ?? starImported(root, module);
  return imported ? imported + dotted.slice(root.length) : null;
}

/**
 * A dotted name resolved through the module's imports or, failing those, through an import in a function around
 * `at` (`from transformers import AutoModel` inside the function making the model; `from PIL import Image` next to
 * a lazily imported torch).
 */
export function importedNameAt(dotted: string | null, at: SyntaxNode, module: ModuleInfo): string | null {
  const qualified = importedName(dotted, module);
  if (qualified || !dotted) return qualified;
  const [root, ...rest] = dotted.split('.');
  const statement = localImportOf(root, enclosingFunction(at));
  const local = statement ? importBindings(statement).find(([name]) => name === root)?.[1] : undefined;
  return local ? [local, ...rest].join('.') : null;
}

/** Per module: the modules it imports `*` from, and the names already looked up in them. */
const starCache = new WeakMap<ModuleInfo, { from: string[]; found: Map<string, string | null> }>();

/** The modules the module imports `*` from at its top level (`from webdriver import *`; not `from . import *`). */
export function starSources(module: ModuleInfo): string[] {
  const from: string[] = [];
  for (const statement of namedChildren(module.root)) {
    if (statement.type !== 'import_from_statement' || !statement.namedChildren.some((c) => c.type === 'wildcard_import')) continue;
    const base = statement.childForFieldName('module_name')?.text;
    if (base && !base.endsWith('.')) from.push(base);
  }
  return from;
}

/**
 * A name `from m import *` brings in from a workspace module (`from webdriver import *` then `WebDriver(…)`): the
 * qualified name its summary answers to, or null (no such import, no workspace, or the module binds it itself).
 */
function starImported(name: string, module: ModuleInfo): string | null {
  if (!module.workspace || module.bindings.has(name)) return null;
  let star = starCache.get(module);
  if (!star) starCache.set(module, (star = { from: starSources(module), found: new Map() }));
  if (star.from.length === 0) return null;
  if (star.found.has(name)) return star.found.get(name)!;
  const qualified = star.from.map((m) => `${m}.${name}`).find((q) => module.workspace!.resolve(q)) ?? null;
  star.found.set(name, qualified);
  return qualified;
}

/** The definition node behind a possibly decorated statement. */
export function definitionOf(statement: SyntaxNode): SyntaxNode {
  if (statement.type === 'decorated_definition') return statement.childForFieldName('definition') ?? statement;
  return statement;
}

export function importBindings(statement: SyntaxNode): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  if (statement.type === 'import_statement') {
    for (const child of namedChildren(statement)) {
      if (child.type === 'dotted_name') {
        // `import a.b` binds `a` to module `a`
        const first = child.text.split('.')[0];
        result.push([first, first]);
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name');
        const alias = child.childForFieldName('alias');
        if (name && alias) result.push([alias.text, name.text]);
      }
    }
  } else if (statement.type === 'import_from_statement') {
    const module = statement.childForFieldName('module_name');
    const base = module?.text ?? '';
    // `from . import x` names `.x`, `from .. import x` names `..x` (as `from .mod import x` names `.mod.x`)
    const qualify = (name: string) => (base.endsWith('.') ? base + name : `${base}.${name}`);
    for (const child of statement.childrenForFieldName('name')) {
      if (!child) continue;
      if (child.type === 'dotted_name') result.push([child.text, qualify(child.text)]);
      else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name');
        const alias = child.childForFieldName('alias');
        if (name && alias) result.push([alias.text, qualify(name.text)]);
      }
    }
  }
  return result;
}

export function analyzeModule(root: SyntaxNode): ModuleInfo {
  let identifiers: Set<string> | undefined;
  const info: ModuleInfo = {
    root,
    imports: new Map(),
    functions: new Map(),
    bindings: new Map(),
    get identifiers() {
      identifiers ??= new Set(root.descendantTexts('identifier', 'dotted_name'));
      return identifiers;
    },
  };
  bindTop(info, namedChildren(root));
  bindLocalImports(info, root);
  return info;
}

/**
 * Imports made inside functions (`def poll(): import time; … time.sleep(1)`): a name such an import binds names the
 * same module in every function that uses it, so it resolves as a module import does — unless the module binds that
 * name itself, or two functions import different things under it. They bind no module-level name.
 */
function bindLocalImports(info: Pick<ModuleInfo, 'imports' | 'bindings'>, root: SyntaxNode): void {
  if (!/^[ \t]+(?:import|from)\s/m.test(root.text)) return;
  const local = new Map<string, string | null>();
  // found from the `import` keywords of the text (a search of it), not a traversal of the whole tree
  for (const keyword of tokensSpelled(root, 'import')) {
    const n = keyword.parent;
    if ((n?.type !== 'import_statement' && n?.type !== 'import_from_statement') || n.parent?.type === 'module' || !enclosingFunction(n)) continue;
    for (const [name, qualified] of importBindings(n)) local.set(name, local.has(name) && local.get(name) !== qualified ? null : qualified);
  }
  for (const [name, qualified] of local) if (qualified && !info.bindings.has(name) && !info.imports.has(name)) info.imports.set(name, qualified);
}

/** Records the module-level bindings of top-level statements (and of blocks of module-level `if`/`try`/`with`). */
function bindTop(info: Pick<ModuleInfo, 'imports' | 'functions' | 'bindings'>, statements: readonly SyntaxNode[]): void {
  for (const raw of statements) {
    const statement = definitionOf(raw);
    switch (statement.type) {
      case 'function_definition': {
        const name = statement.childForFieldName('name')?.text;
        if (name) {
          info.functions.set(name, statement);
          info.bindings.set(name, 'def');
        }
        break;
      }
      case 'class_definition': {
        const name = statement.childForFieldName('name')?.text;
        if (name) info.bindings.set(name, 'class');
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        for (const [local, qualified] of importBindings(statement)) {
          info.imports.set(local, qualified);
          info.bindings.set(local, 'import');
        }
        break;
      case 'if_statement':
      case 'try_statement':
      case 'with_statement':
        // module-level code in guards and try/except ImportError blocks still binds module names
        walk(statement, (n) => {
          if (n.id === statement.id) return true;
          if (n.type === 'block') {
            bindTop(info, namedChildren(n));
            return false;
          }
          return !SCOPE_TYPES.has(n.type);
        });
        for (const name of assignedNamesShallow(statement)) if (!info.bindings.has(name)) info.bindings.set(name, 'assign');
        break;
      default:
        for (const name of assignedNamesShallow(statement)) if (!info.bindings.has(name)) info.bindings.set(name, 'assign');
    }
  }
}

/** The module-level names one top-level statement binds, as analyzeModule records them. */
export function topLevelBindings(statement: SyntaxNode): string[] {
  const info = { imports: new Map<string, string>(), functions: new Map<string, SyntaxNode>(), bindings: new Map<string, ModuleBindingKind>() };
  bindTop(info, [statement]);
  return [...info.bindings.keys()];
}

/**
 * Expressions that bind nothing themselves and, being expressions, hold no statement: a name bound inside one
 * comes from a walrus, so without `:=` in its text (and no syntax error) its subtree can be skipped. Module
 * tables and long literals are most of what a scope holds.
 */
const PLAIN_EXPRESSIONS = new Set([
  'call',
  'argument_list',
  'keyword_argument',
  'attribute',
  'subscript',
  'string',
  'concatenated_string',
  'dictionary',
  'pair',
  'list',
  'tuple',
  'set',
  'parenthesized_expression',
  'binary_operator',
  'boolean_operator',
  'comparison_operator',
  'not_operator',
  'unary_operator',
  'conditional_expression',
]);

/** An expression (no syntax error inside) cannot hold a statement, a `def` or a `class`. */
export function isPlainExpression(n: SyntaxNode): boolean {
  return PLAIN_EXPRESSIONS.has(n.type) && !n.hasError;
}

/** A plain expression without `:=` (and no syntax error): nothing inside it, nested scopes aside, binds a name. */
export function bindsNothing(n: SyntaxNode): boolean {
  // `with (open(p) as f):` holds its `as` inside parentheses, which are otherwise a plain expression
  return PLAIN_EXPRESSIONS.has(n.type) && !textIncludes(n, ':=') && !n.hasError && n.parent?.type !== 'with_item';
}

/** The `value as name` of a with-item, or null: `with a as b:` holds it directly, `with (a as b):` in parentheses. */
export function withItemPattern(item: SyntaxNode): SyntaxNode | null {
  let value = item.childForFieldName('value');
  if (value?.type === 'parenthesized_expression') {
    const inner = namedChildren(value).filter((c) => c.type !== 'comment');
    if (inner.length === 1) value = inner[0];
  }
  return value?.type === 'as_pattern' ? value : null;
}

/** Names a statement binds in its own scope (not inside nested functions, classes or comprehensions). */
export function assignedNamesShallow(node: SyntaxNode): string[] {
  const names: string[] = [];
  walk(node, (n) => {
    if (n.id !== node.id && bindsNothing(n)) return false;
    if (n.id !== node.id && SCOPE_TYPES.has(n.type)) {
      // def/class bind their own name in the enclosing scope
      if (n.type === 'function_definition' || n.type === 'class_definition') {
        const name = n.childForFieldName('name');
        if (name) names.push(name.text);
      }
      // walrus inside a comprehension binds in the enclosing scope
      if (COMPREHENSION_TYPES.has(n.type)) {
        walk(n, (m) => {
          if (m.type === 'named_expression') names.push(...boundNames(m.childForFieldName('name')));
          return !(m.id !== n.id && (m.type === 'function_definition' || m.type === 'lambda' || m.type === 'class_definition'));
        });
      }
      return false;
    }
    names.push(...namesBoundBy(n));
    return true;
  });
  return names;
}

/** The default value a parameter of `fn` declares (`resolve_host: bool = False` → `False`), or null. */
export function declaredDefault(fn: SyntaxNode, name: string): SyntaxNode | null {
  const params = fn.childForFieldName('parameters');
  const declared = params ? namedChildren(params).find((p) => (p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.childForFieldName('name')?.text === name) : undefined;
  return declared?.childForFieldName('value') ?? null;
}

/**
 * The class a parameter of `fn` is annotated with, qualified through the module's imports (`client: Client` →
 * `binance.client.Client`), or null: not annotated, or annotated with anything but a name or a dotted name.
 */
export function parameterAnnotation(fn: SyntaxNode, name: string, module: ModuleInfo): string | null {
  const annotation = annotationOf(fn, name)?.namedChildren[0] ?? null;
  if (annotation?.type !== 'identifier' && annotation?.type !== 'attribute') return null;
  return importedName(annotation.text, module);
}

/** The annotation (its `type` node, as written) of the parameter `name` of `fn` (`excel_file: ExcelFile`), or null. */
export function annotationOf(fn: SyntaxNode, name: string): SyntaxNode | null {
  const params = fn.childForFieldName('parameters');
  for (const p of params ? namedChildren(params) : []) {
    if ((p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') || (p.childForFieldName('name') ?? p.namedChildren[0])?.text !== name) continue;
    return p.childForFieldName('type');
  }
  return null;
}

/**
 * The values bound to `name` in the body of `fn` (a function, or the module) by `name = value` and `with value as
 * name`, in order; null for a binding of any other kind (a loop, an unpacking, `+=`, an import, `del`, `except … as`).
 * Nested scopes are not searched. `[null]` for a function without a body.
 */
export function valuesBound(fn: SyntaxNode, name: string): Array<SyntaxNode | null> {
  const values: Array<SyntaxNode | null> = [];
  const body = fn.type === 'module' ? fn : fn.childForFieldName('body');
  if (!body) return [null];
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === name) values.push(n.childForFieldName('right'));
    else if (n.type === 'as_pattern' && n.childForFieldName('alias')?.text === name && n.parent?.type === 'with_item') values.push(n.namedChildren[0] ?? null);
    else if (namesBoundBy(n).includes(name)) values.push(null);
    return true;
  });
  return values;
}

/** Names bound directly by this one node (an assignment, a for target, an import, …), not its children. */
export function namesBoundBy(n: SyntaxNode): string[] {
  switch (n.type) {
    case 'assignment':
    case 'augmented_assignment':
      return boundNames(n.childForFieldName('left'));
    case 'for_statement':
    case 'for_in_clause':
      return boundNames(n.childForFieldName('left'));
    case 'named_expression':
      return boundNames(n.childForFieldName('name'));
    case 'as_pattern': {
      const alias = n.childForFieldName('alias');
      return alias ? namedChildren(alias).flatMap(boundNames) : [];
    }
    case 'import_statement':
    case 'import_from_statement':
      return importBindings(n).map(([local]) => local);
    case 'delete_statement':
      return namedChildren(n).flatMap(boundNames);
    case 'except_clause': {
      // `except E as name`: the grammar gives `value: (as_pattern … alias: (as_pattern_target (identifier)))`
      // (older versions: `as` and the identifier directly in the clause)
      const kids = children(n);
      const asIndex = kids.findIndex((c) => c.type === 'as');
      if (asIndex >= 0 && kids[asIndex + 1]?.type === 'identifier') return [kids[asIndex + 1].text];
      const pattern = kids.find((c) => c.type === 'as_pattern');
      const alias = pattern?.childForFieldName('alias');
      const name = alias?.type === 'as_pattern_target' ? alias.namedChildren[0] : alias;
      return name?.type === 'identifier' ? [name.text] : [];
    }
    default:
      return [];
  }
}

const topLevelCache = new WeakMap<SyntaxNode, Map<string, SyntaxNode>>();

/**
 * Each target of an unpacking assignment with the element of the tuple spelled on its right (`NS, NA = GRID * GRID,
 * 4` → `NS`/`GRID * GRID`, `NA`/`4`); null when the right is not a tuple of as many elements.
 */
export function unpackedPairs(assignment: SyntaxNode): Array<[SyntaxNode, SyntaxNode]> | null {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!left || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern') || (right?.type !== 'expression_list' && right?.type !== 'tuple')) return null;
  const names = left.namedChildren.filter((c): c is SyntaxNode => !!c);
  const elements = right.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
  return names.length === elements.length ? names.map((n, i) => [n, elements[i]] as [SyntaxNode, SyntaxNode]) : null;
}

/**
 * The names a module binds by exactly one plain `name = value` statement at its top level (and no other way), that
 * no function declares `global` (the text spells `global … name` nowhere): each with its value. A constant of the
 * module as far as its top level shows; whether code elsewhere changes the object is the caller's to check.
 */
export function topLevelConstants(module: ModuleInfo): Map<string, SyntaxNode> {
  let found = topLevelCache.get(module.root);
  if (found) return found;
  const counts = new Map<string, number>();
  const values = new Map<string, SyntaxNode>();
  for (const statement of namedChildren(module.root)) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    // `NS, NA = GRID * GRID, 4`: each name takes its own element of a tuple spelled on the right
    if (left?.type === 'pattern_list' || left?.type === 'tuple_pattern') {
      for (const [n, value] of unpackedPairs(assignment!) ?? []) {
        if (n.type !== 'identifier') continue;
        counts.set(n.text, (counts.get(n.text) ?? 0) + 1);
        values.set(n.text, value);
      }
      continue;
    }
    if (left?.type !== 'identifier') continue;
    counts.set(left.text, (counts.get(left.text) ?? 0) + 1);
    const right = assignment!.childForFieldName('right');
    if (right) values.set(left.text, right);
  }
  found = new Map();
  for (const [name, value] of values) {
    if (counts.get(name) !== 1 || module.bindings.get(name) !== 'assign') continue;
    if (new RegExp(`\\bglobal\\b[^\\n]*\\b${name}\\b`).test(module.root.text)) continue;
    found.set(name, value);
  }
  topLevelCache.set(module.root, found);
  return found;
}

export interface FunctionScope {
  node: SyntaxNode;
  params: Set<string>;
  /** Names bound in the function body (params excluded), minus `global`/`nonlocal` declarations. */
  locals: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
}

export function parameterNames(fn: SyntaxNode): string[] {
  const params = fn.childForFieldName('parameters');
  if (!params) return [];
  const names: string[] = [];
  for (const p of namedChildren(params)) {
    if (p.type === 'identifier') names.push(p.text);
    else {
      const name = p.childForFieldName('name') ?? namedChildren(p).find((c) => c.type === 'identifier');
      if (name?.type === 'identifier') names.push(name.text);
    }
  }
  return names;
}

// keyed by the mirror node (one per node of a SyntaxTree), weakly: a closed document's tree is not kept alive
const scopeCache = new WeakMap<SyntaxNode, FunctionScope>();

export function functionScope(fn: SyntaxNode): FunctionScope {
  const params = new Set(parameterNames(fn));
  const locals = new Set<string>();
  const globals = new Set<string>();
  const nonlocals = new Set<string>();
  const body = fn.childForFieldName('body');
  if (body) {
    // both statements spell their keyword: without it in the body's text there is nothing to look for
    if (textIncludes(body, 'global') || textIncludes(body, 'nonlocal')) walk(body, (n) => {
      if (n.type === 'global_statement') namedChildren(n).forEach((c) => globals.add(c.text));
      if (n.type === 'nonlocal_statement') namedChildren(n).forEach((c) => nonlocals.add(c.text));
      return !SCOPE_TYPES.has(n.type) && !isPlainExpression(n);
    });
    for (const name of assignedNamesShallow(body)) if (!params.has(name)) locals.add(name);
  }
  for (const name of [...globals, ...nonlocals]) locals.delete(name);
  return { node: fn, params, locals, globals, nonlocals };
}

export function scopeOf(fn: SyntaxNode): FunctionScope {
  let cached = scopeCache.get(fn);
  if (!cached) {
    cached = functionScope(fn);
    scopeCache.set(fn, cached);
  }
  return cached;
}

/** Free names read by a subtree that are not bound inside it (for lambdas, comprehensions, nested defs). */
export function identifiersRead(node: SyntaxNode): SyntaxNode[] {
  const reads: SyntaxNode[] = [];
  walk(node, (n) => {
    if (n.type === 'identifier' && isReadOccurrence(n)) reads.push(n);
    return true;
  });
  return reads;
}

/** Whether an identifier node is a value read (not an attribute name, keyword name, parameter or pure binding). */
export function isReadOccurrence(id: SyntaxNode): boolean {
  const parent = id.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'attribute':
      return parent.childForFieldName('attribute')?.id !== id.id;
    case 'keyword_argument':
      return parent.childForFieldName('name')?.id !== id.id;
    case 'function_definition':
    case 'class_definition':
      return false;
    case 'parameters':
    case 'lambda_parameters':
    case 'default_parameter':
    case 'typed_parameter':
    case 'typed_default_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      if (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') {
        return parent.childForFieldName('value')?.id === id.id;
      }
      return parent.type === 'list_splat_pattern' ? !isInTargetPosition(parent) : false;
    case 'dotted_name':
    case 'aliased_import':
    case 'import_statement':
    case 'import_from_statement':
    case 'global_statement':
    case 'nonlocal_statement':
      return false;
    default:
      return !isInTargetPosition(id);
  }
}

/** True when the node sits in a binding position: an assignment/for target (plain names only). */
export function isInTargetPosition(node: SyntaxNode): boolean {
  let n = node;
  for (let p = node.parent; p; n = p, p = p.parent) {
    switch (p.type) {
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'list_splat_pattern':
      case 'as_pattern_target':
        continue;
      case 'tuple':
      case 'list':
      case 'parenthesized_expression':
      case 'expression_list':
        continue;
      case 'assignment':
        return p.childForFieldName('left')?.id === n.id;
      case 'for_statement':
      case 'for_in_clause':
        return p.childForFieldName('left')?.id === n.id;
      case 'named_expression':
        return p.childForFieldName('name')?.id === n.id;
      case 'delete_statement':
        return true;
      case 'except_clause':
        return n.type === 'identifier' && n.previousSibling?.type === 'as';
      case 'as_pattern':
        // `except E as name`, `case [x] as name`: the alias is bound
        return p.childForFieldName('alias')?.id === n.id;
      default:
        return false;
    }
  }
  return false;
}

const callSiteIndex = new WeakMap<ModuleInfo, Map<string, SyntaxNode[]>>();

/**
 * The calls of the plain name `name` in the module, found at the places the text spells it (cached per module
 * and name): a walk of the whole module would cost more than the rest of an incremental analysis.
 */
export function callSitesOf(module: ModuleInfo, name: string): SyntaxNode[] {
  let index = callSiteIndex.get(module);
  if (!index) {
    index = new Map();
    callSiteIndex.set(module, index);
  }
  let calls = index.get(name);
  if (!calls) {
    calls = [];
    for (const id of tokensSpelled(module.root, name, 'identifier')) {
      const call = id.parent;
      if (id.text === name && call?.type === 'call' && call.childForFieldName('function')?.id === id.id) calls.push(call);
    }
    index.set(name, calls);
  }
  return calls;
}

/**
 * An occurrence of `name` in a function under `root` that reads it as a global (the function neither binds it nor
 * takes it as a parameter), or undefined: such a function can run at any time and see the global's value then.
 */
export function globalReader(root: SyntaxNode, name: string): SyntaxNode | undefined {
  return tokensSpelled(root, name, 'identifier').find((id) => {
    const fn = enclosingFunction(id);
    return !!fn && !scopeOf(fn).locals.has(name) && !scopeOf(fn).params.has(name);
  });
}

/**
 * The import statement that binds `name` in `fn` (or a function around it) when nothing else there binds it
 * (`import cv2` inside the function): a worker defined at module level imports it again rather than being sent
 * the module, which cannot be pickled. Null otherwise.
 */
export function localImportOf(name: string, fn: SyntaxNode | null): SyntaxNode | null {
  for (let f: SyntaxNode | null = fn; f; f = enclosingFunction(f)) {
    const scope = scopeOf(f);
    if (scope.params.has(name)) return null;
    if (!scope.locals.has(name)) continue;
    let found: SyntaxNode | null = null;
    let other = false;
    walk(f.childForFieldName('body') ?? f, (n) => {
      if (other) return false;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
        if (n.childForFieldName('name')?.text === name) other = true;
        return false;
      }
      if (n.type === 'import_statement' || n.type === 'import_from_statement') {
        if (importBindings(n).some(([local]) => local === name)) found ??= n;
        return false;
      }
      // bound otherwise (`cv2 = None`, `for cv2 in …`, `with … as cv2`, `cv2 += …`)
      if (n.type === 'identifier' && n.text === name && (isInTargetPosition(n) || (n.parent?.type === 'augmented_assignment' && n.parent.childForFieldName('left')?.id === n.id))) other = true;
      return true;
    });
    return other ? null : found;
  }
  return null;
}

/**
 * The value a name has where `use` reads it, when straight-line code shows it: the statement holding the use is in a
 * block whose earlier statements bind the name last in a plain assignment `name = value`, and no statement between
 * binds it (in a nested block or otherwise). Null when the code does not show it that simply.
 */
export function reachingValue(use: SyntaxNode): SyntaxNode | null {
  let statement: SyntaxNode = use;
  while (statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') {
    if (statement.parent.type === 'function_definition' || statement.parent.type === 'lambda' || statement.parent.type === 'class_definition') return null;
    statement = statement.parent;
  }
  for (let prev = statement.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
    const assignment = prev.type === 'expression_statement' ? prev.namedChildren[0] : null;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.type === 'identifier' && assignment.childForFieldName('left')!.text === use.text) {
      return assignment.childForFieldName('right');
    }
    if (namesBoundBy(prev).includes(use.text) || prev.descendantsOfType('identifier').some((id) => id?.text === use.text && isInTargetPosition(id))) return null;
  }
  return null;
}
