// Objects that carry out one command at a time: a chess engine driven by python-chess (`chess.engine.popen_uci`,
// `SimpleEngine.popen_uci`) searches one position at a time, and its protocol cancels the running command when
// another is sent. Handed to every iteration of a parallel loop (used directly, or passed to the function each
// iteration calls), the iterations would take turns at best — and under `asyncio.gather`, cancel each other.
import type { SyntaxNode } from '../parser';
import { dottedName, enclosingFunction, lineOf, walk } from '../syntax';
import { readsIn } from './dependence';
import type { NameRole } from './effects';
import { importedName, type ModuleInfo } from './scope';

const ENGINE_STARTS = /^chess\.engine\.(popen_uci|popen_xboard|SimpleEngine\.popen_uci|SimpleEngine\.popen_xboard)$/;

/** The engine start (`chess.engine.popen_uci(…)`, awaited or not) a value is, or null. */
function engineStart(value: SyntaxNode | null, module: ModuleInfo): SyntaxNode | null {
  let v = value;
  if (v?.type === 'await') v = v.namedChildren[0] ?? null;
  if (v?.type !== 'call') return null;
  return ENGINE_STARTS.test(importedName(dottedName(v.childForFieldName('function')!), module) ?? '') ? v : null;
}

/**
 * Where `name` is bound to a chess engine in `scope` (`engine = SimpleEngine.popen_uci(…)`, `transport, engine = await
 * chess.engine.popen_uci(…)`, `with SimpleEngine.popen_uci(…) as engine:`): the start call, or null.
 */
function engineBinding(name: string, scope: SyntaxNode, module: ModuleInfo): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  walk(scope, (n) => {
    if (found) return false;
    if (n.id !== scope.id && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const names = left?.type === 'identifier' ? [left] : (left?.namedChildren ?? []);
      // `transport, engine = await popen_uci(…)`: the engine is the last of the pair
      const bound = left?.type === 'identifier' ? names[0] : names[names.length - 1];
      if (bound?.type === 'identifier' && bound.text === name) found = engineStart(n.childForFieldName('right'), module);
    } else if (n.type === 'as_pattern' && n.childForFieldName('alias')?.text === name && n.parent?.type === 'with_item') {
      found = engineStart(n.namedChildren[0] ?? null, module);
    }
    return !found;
  });
  return found;
}

/** A chess engine the iterations share (read in the body, bound outside it), with where it is started; or null. */
export function sharedEngine(body: SyntaxNode, loop: SyntaxNode, module: ModuleInfo, role: (name: string) => NameRole): { name: string; line: number } | null {
  const fn = enclosingFunction(loop);
  const scope = fn?.childForFieldName('body') ?? module.root;
  const seen = new Set<string>();
  for (const read of readsIn(body)) {
    const name = read.text;
    if (seen.has(name)) continue;
    seen.add(name);
    if (role(name) !== 'shared') continue;
    const start = engineBinding(name, scope, module);
    if (start) return { name, line: lineOf(start) };
  }
  return null;
}
