// Coroutines that never give the event loop a turn: an `async def` whose body awaits nothing (or only other such
// coroutines of the module) runs from its first line to its return in one go. Gathering calls of it overlaps
// nothing — the tasks still run one after another — whatever it waits on inside (a blocking `gethostbyname`, a
// client constructor).
import type { SyntaxNode } from '../parser';
import { isAsyncFunction, lineOf, SCOPE_TYPES, walk } from '../syntax';

/** The coroutine definitions of a module that a call spells, by name (`f(…)`) or as a method (`obj.f(…)`). */
function definitionsCalled(call: SyntaxNode | undefined, root: SyntaxNode): SyntaxNode[] | null {
  if (call?.type !== 'call') return null;
  const callee = call.childForFieldName('function');
  if (!callee) return null;
  const method = callee.type === 'attribute';
  const name = method ? callee.childForFieldName('attribute')?.text : callee.type === 'identifier' ? callee.text : undefined;
  if (!name) return null;
  const defs = root.descendantsOfType('function_definition').filter((d) => d.childForFieldName('name')?.text === name && isMethod(d) === method);
  return defs.length > 0 ? defs : null;
}

function isMethod(def: SyntaxNode): boolean {
  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  return outer.parent?.parent?.type === 'class_definition';
}

/** Whether a statement of `body` (not of a function nested in it) may suspend: an `async for`/`async with`, or an await of anything but idle coroutines. */
function maySuspend(body: SyntaxNode, root: SyntaxNode, seen: Set<number>): boolean {
  let suspends = false;
  walk(body, (n) => {
    if (suspends) return false;
    if (SCOPE_TYPES.has(n.type) && n !== body) return false;
    if ((n.type === 'for_statement' || n.type === 'with_statement' || n.type === 'for_in_clause') && n.children.some((c) => c.type === 'async')) suspends = true;
    else if (n.type === 'yield') suspends = true;
    else if (n.type === 'await' && n.isNamed) {
      const defs = definitionsCalled(n.namedChildren[0], root);
      if (!defs || !defs.every((d) => idle(d, root, seen))) suspends = true;
    }
    return !suspends;
  });
  return suspends;
}

function idle(def: SyntaxNode, root: SyntaxNode, seen: Set<number>): boolean {
  // (a decorator may wrap it in anything)
  if (!isAsyncFunction(def) || def.parent?.type === 'decorated_definition') return false;
  // a coroutine awaiting itself again, or one being asked about above: not proven idle
  if (seen.has(def.id)) return false;
  seen.add(def.id);
  const body = def.childForFieldName('body');
  const answer = !!body && !maySuspend(body, root, seen);
  seen.delete(def.id);
  return answer;
}

/**
 * When every `await` of a loop runs a coroutine of this module that never suspends (and the loop has no `async
 * for`/`async with`), the coroutine awaited first: its name and the line it is defined on. Null otherwise.
 */
export function idleAwaits(awaits: readonly SyntaxNode[], loopBody: SyntaxNode | null, root: SyntaxNode): { name: string; line: number } | null {
  if (awaits.length === 0) return null;
  if (loopBody && loopBody.descendantsOfType(['for_statement', 'with_statement', 'for_in_clause']).some((n) => n.children.some((c) => c.type === 'async'))) return null;
  let first: SyntaxNode | null = null;
  for (const a of awaits) {
    if (!a.isNamed) continue; // (the keyword of an `await` node)
    const defs = definitionsCalled(a.namedChildren[0], root);
    if (!defs || !defs.every((d) => idle(d, root, new Set()))) return null;
    first ??= defs[0];
  }
  return first ? { name: first.childForFieldName('name')!.text, line: lineOf(first) } : null;
}
