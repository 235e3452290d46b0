// The one `requests` call of a block of statements (a loop body, or the worker extracted from it) and how
// its response is used, when every use has an exact aiohttp counterpart. Anything else is a reason, not a plan.
import type { SyntaxNode } from '../parser';
import { isAncestorOf, namedChildren, statementsOf, walk } from '../syntax';

/** The response members the aiohttp rewrite translates, and whether they are read as a method call. */
export const RESPONSE_MEMBERS: Record<string, 'attribute' | 'method'> = {
  text: 'attribute',
  content: 'attribute',
  status_code: 'attribute',
  ok: 'attribute',
  reason: 'attribute',
  json: 'method',
  raise_for_status: 'method',
};

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** Builtins whose calls have no effect, so moving the request before them changes nothing. */
const PURE_BUILTINS = new Set(['len', 'int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'set', 'sorted', 'min', 'max', 'sum', 'abs', 'round', 'repr']);

export interface ResponseUse {
  /** The whole member access: `r.text`, or the call `r.json()`. */
  node: SyntaxNode;
  /** The response expression inside it (the `requests.get(...)` call, or the name bound to it). */
  response: SyntaxNode;
  member: string;
}

export interface TimeoutValue {
  connect: string;
  read: string;
}

export interface RequestsPlan {
  call: SyntaxNode;
  method: string;
  url: SyntaxNode;
  /** Seconds before giving up connecting / between two reads; null when requests would wait forever. */
  timeout: TimeoutValue | null;
  headers: SyntaxNode | null;
  /** The statement of the block holding the call. */
  statement: SyntaxNode;
  /** The name the response is bound to (`r = requests.get(…)`), or null when it is used in place. */
  binding: string | null;
  uses: ResponseUse[];
}

export interface RequestsContext {
  /** The local name of the `requests` module (null when it is not imported as a module). */
  requestsName: string | null;
  /** The value of a module-level constant assigned exactly once, for `timeout=TIMEOUT`. */
  constant(name: string): SyntaxNode | null;
}

/** The local name bound to the `requests` module by `import requests`, if any. */
export function requestsModuleName(imports: Map<string, string>): string | null {
  for (const [local, qualified] of imports) if (qualified === 'requests') return local;
  return null;
}

export function planRequests(block: SyntaxNode, ctx: RequestsContext): { plan: RequestsPlan } | { reason: string } {
  const name = ctx.requestsName;
  if (!name) return { reason: '`requests` is not imported as a module' };
  // a comprehension's element is an expression: it is the one "statement", whose value is the result
  const expression = block.type !== 'block' && block.type !== 'module';
  const statements = expression ? [block] : statementsOf(block);
  const mentions: SyntaxNode[] = [];
  let nested = false;
  let guarded = false;
  for (const s of statements) {
    walk(s, (n) => {
      if (n.type === 'identifier' && n.text === name) mentions.push(n);
      if (n.type === 'lambda' || n.type === 'function_definition' || n.type === 'class_definition') nested ||= n.text.includes(name);
      if (n.type === 'try_statement' || n.type === 'with_statement') guarded = true;
      return true;
    });
  }
  if (guarded) return { reason: 'the body has a `try` or `with` block: requests and aiohttp raise different exceptions and manage connections differently' };
  if (nested) return { reason: '`requests` is used inside a nested function or lambda' };
  if (mentions.length !== 1) return { reason: mentions.length === 0 ? 'no `requests` call in the loop body' : 'more than one use of `requests` in the loop body' };
  const fn = mentions[0].parent;
  const call = fn?.parent;
  const method = fn?.childForFieldName('attribute')?.text ?? '';
  if (fn?.type !== 'attribute' || call?.type !== 'call' || call.childForFieldName('function')?.id !== fn.id || !HTTP_METHODS.has(method)) {
    return { reason: `\`${fn?.text ?? name}\` is not a plain \`${name}.get/post/…\` call` };
  }
  const args = parseArguments(call, ctx);
  if ('reason' in args) return args;
  const statement = statements.find((s) => s.id === call.id || isAncestorOf(s, call));
  if (!statement || (!expression && statement.type !== 'expression_statement' && statement.type !== 'return_statement')) return { reason: 'the request sits in a nested block' };

  const binding = boundName(statement, call);
  const uses: ResponseUse[] = [];
  if (binding) {
    const later = statements.slice(statements.indexOf(statement) + 1);
    for (const s of later) {
      let bad: string | null = null;
      walk(s, (n) => {
        if (n.type === 'identifier' && n.text === binding) {
          const use = memberUse(n);
          if (!use) bad = `\`${binding}\` is used as \`${(n.parent ?? n).text.split('\n')[0]}\`, which has no exact aiohttp counterpart`;
          else if (insideScope(n, s)) bad = `\`${binding}\` is read inside a nested function, lambda or comprehension`;
          else if (isAssignedHere(n)) bad = `\`${binding}\` is reassigned`;
          else uses.push(use);
        }
        return true;
      });
      if (bad) return { reason: bad };
    }
  } else if (statement.namedChildren[0]?.id === call.id && statement.type === 'expression_statement') {
    // the request alone, its response unused
  } else {
    const use = memberUse(call);
    if (!use) return { reason: 'the response object itself escapes the statement (only `.text`, `.content`, `.json()`, `.status_code`, `.ok`, `.reason` and `.raise_for_status()` are translated)' };
    const reordered = callsMovedBehindRequest(statement, call, use.node);
    if (reordered) return { reason: `\`${reordered}\` would run after the request instead of before it` };
    uses.push(use);
  }
  return { plan: { call, method, url: args.url, timeout: args.timeout, headers: args.headers, statement, binding, uses } };
}

function parseArguments(call: SyntaxNode, ctx: RequestsContext): { url: SyntaxNode; timeout: TimeoutValue | null; headers: SyntaxNode | null } | { reason: string } {
  let url: SyntaxNode | null = null;
  let timeout: TimeoutValue | null = null;
  let headers: SyntaxNode | null = null;
  for (const arg of namedChildren(call.childForFieldName('arguments')!)) {
    if (arg.type === 'comment') continue;
    if (arg.type !== 'keyword_argument') {
      if (url || arg.type.endsWith('splat') || arg.type === 'parenthesized_expression' && arg.text.startsWith('(*')) return { reason: 'the request takes more than a URL as positional arguments' };
      url = arg;
      continue;
    }
    const key = arg.childForFieldName('name')?.text;
    const value = arg.childForFieldName('value')!;
    if (key === 'url' && !url) url = value;
    else if (key === 'timeout') {
      const t = timeoutValue(value, ctx);
      if (t === undefined) return { reason: `\`timeout=${value.text}\` is not a number, a (connect, read) pair or None` };
      timeout = t;
    } else if (key === 'headers' && isStringDict(value)) headers = value;
    else return { reason: `\`${key}=\` has no exact aiohttp counterpart the rewrite knows` };
  }
  if (!url) return { reason: 'the request has no URL argument' };
  return { url, timeout, headers };
}

/** requests' `timeout`: one number for both phases, or a (connect, read) pair; undefined when not a literal. */
function timeoutValue(value: SyntaxNode, ctx: RequestsContext, depth = 0): TimeoutValue | null | undefined {
  if (value.type === 'none') return null;
  if (value.type === 'integer' || value.type === 'float') return { connect: value.text, read: value.text };
  if (value.type === 'tuple') {
    const parts = namedChildren(value);
    if (parts.length === 2 && parts.every((p) => p.type === 'integer' || p.type === 'float')) return { connect: parts[0].text, read: parts[1].text };
    return undefined;
  }
  if (value.type === 'identifier' && depth === 0) {
    // a module constant: spelled by name, so that changing it still changes the timeout
    const bound = ctx.constant(value.text);
    const resolved = bound ? timeoutValue(bound, ctx, depth + 1) : undefined;
    if (!resolved) return resolved;
    return bound!.type === 'tuple' ? { connect: `${value.text}[0]`, read: `${value.text}[1]` } : { connect: value.text, read: value.text };
  }
  return undefined;
}

function isStringDict(node: SyntaxNode): boolean {
  return node.type === 'dictionary' && namedChildren(node).every((p) => p.type === 'pair' && p.childForFieldName('key')?.type === 'string' && p.childForFieldName('value')?.type === 'string' && !p.text.includes('{'));
}

/** `name = <call>` as the whole statement. */
function boundName(statement: SyntaxNode, call: SyntaxNode): string | null {
  const a = statement.namedChildren[0];
  if (statement.type !== 'expression_statement' || a?.type !== 'assignment') return null;
  const left = a.childForFieldName('left');
  return left?.type === 'identifier' && a.childForFieldName('right')?.id === call.id ? left.text : null;
}

/** `x.text`, `x.json()`, … around the response expression `x`. */
function memberUse(response: SyntaxNode): ResponseUse | null {
  const attribute = response.parent;
  if (attribute?.type !== 'attribute' || attribute.childForFieldName('object')?.id !== response.id) return null;
  const member = attribute.childForFieldName('attribute')!.text;
  const kind = RESPONSE_MEMBERS[member];
  if (!kind) return null;
  if (kind === 'attribute') return { node: attribute, response, member };
  const call = attribute.parent;
  if (call?.type !== 'call' || call.childForFieldName('function')?.id !== attribute.id) return null;
  if (namedChildren(call.childForFieldName('arguments')!).length > 0) return null;
  return { node: call, response, member };
}

function insideScope(node: SyntaxNode, statement: SyntaxNode): boolean {
  for (let n = node.parent; n && n.id !== statement.id; n = n.parent) {
    if (['lambda', 'function_definition', 'class_definition', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'].includes(n.type)) return true;
  }
  return false;
}

function isAssignedHere(node: SyntaxNode): boolean {
  const p = node.parent;
  return !!p && (p.type === 'assignment' || p.type === 'augmented_assignment' || p.type === 'for_statement') && p.childForFieldName('left')?.id === node.id;
}

/**
 * The request moves in front of its statement (`async with session.get(…) as r:`). A call of the statement
 * that is neither around the request nor a pure builtin used to run before it; the first such call, if any.
 */
function callsMovedBehindRequest(statement: SyntaxNode, call: SyntaxNode, use: SyntaxNode): string | null {
  let found: string | null = null;
  walk(statement, (n) => {
    if (found) return false;
    if (isAncestorOf(use, n) || n.id === use.id) return false;
    if (n.type === 'lambda' || n.type.endsWith('comprehension') || n.type === 'generator_expression') {
      found = n.text.split('\n')[0];
      return false;
    }
    if (n.type === 'call' && !isAncestorOf(n, call)) {
      const f = n.childForFieldName('function');
      if (f?.type !== 'identifier' || !PURE_BUILTINS.has(f.text)) found = f?.text ?? n.text;
    }
    return true;
  });
  return found;
}
