// A loop that only awaits its items (`for task in tasks: await task`) waits for awaitables made before it. Tasks
// and futures already run at once from the moment they were made (`asyncio.create_task`, `ensure_future`, a
// `TaskGroup`): awaiting them in turn loses nothing, and gathering them gains nothing. Coroutine objects
// (`coros = [fetch(u) for u in urls]`) run only when awaited: those the loop does run one at a time.
import type { SyntaxNode } from '../parser';
import { dottedName, isAsyncFunction, walk } from '../syntax';
import { bindingValues } from './commands';
import { type ModuleInfo, scopeOf } from './scope';

export type AwaitedItems = 'tasks' | 'coroutines' | 'unknown';

/** Calls that schedule an awaitable at once: what they return already runs. */
const SCHEDULES = /(^|\.)(create_task|ensure_future|run_coroutine_threadsafe|wrap_future|as_completed|start_soon)$/;

/** Every `await` in `awaits` awaits a name the loop binds from its item (`await task`, `await pair[1]`). */
export function awaitsOnlyItems(awaits: SyntaxNode[], itemNames: ReadonlySet<string>): boolean {
  // the `await` keyword token has the same type as the expression: only the expressions count
  const expressions = awaits.filter((a) => a.namedChildren.length > 0);
  if (expressions.length === 0) return false;
  return expressions.every((a) => {
    let operand = a.namedChildren[0] ?? null;
    while (operand && (operand.type === 'subscript' || operand.type === 'parenthesized_expression')) operand = operand.namedChildren[0] ?? null;
    return operand?.type === 'identifier' && itemNames.has(operand.text);
  });
}

/** What the awaitables the loop iterates are, as far as the code shows where they are made. */
export function awaitedItems(iterable: SyntaxNode, fn: SyntaxNode | null, module: ModuleInfo): AwaitedItems {
  const kinds = new Set<AwaitedItems>();
  const judge = (value: SyntaxNode, depth: number): void => {
    if (depth > 3) return kinds.add('unknown') as unknown as void;
    if (value.type === 'call') {
      const callee = dottedName(value.childForFieldName('function')) ?? '';
      if (SCHEDULES.test(callee)) kinds.add('tasks');
      else if (/^(list|tuple|reversed|sorted)$/.test(callee)) for (const a of value.childForFieldName('arguments')?.namedChildren ?? []) judge(a, depth + 1);
      else {
        const def = module.functions.get(callee);
        kinds.add(def && isAsyncFunction(def) ? 'coroutines' : 'unknown');
      }
    } else if (/^(list_comprehension|generator_expression|set_comprehension)$/.test(value.type)) {
      const body = value.childForFieldName('body');
      if (body) judge(body, depth + 1);
    } else if (/^(list|tuple|set|argument_list)$/.test(value.type)) {
      if (value.namedChildren.length === 0) return;
      for (const e of value.namedChildren) judge(e, depth + 1);
    } else if (value.type === 'identifier') {
      const scope = fn && (scopeOf(fn).locals.has(value.text) || scopeOf(fn).params.has(value.text)) ? fn : null;
      if (scope && scopeOf(scope).params.has(value.text)) {
        kinds.add(annotationKind(value.text, scope));
        return;
      }
      const values = bindingValues(value.text, scope ?? module.root);
      if (values.length === 0) kinds.add('unknown');
      for (const v of values) judge(v, depth + 1);
    } else kinds.add('unknown');
  };
  judge(iterable, 0);
  if (kinds.has('tasks')) return 'tasks';
  if (kinds.size === 1 && kinds.has('coroutines')) return 'coroutines';
  return 'unknown';
}

/** `tasks: list[asyncio.Task[None]]` → tasks; `Coroutine` → coroutines. */
function annotationKind(name: string, fn: SyntaxNode): AwaitedItems {
  let kind: AwaitedItems = 'unknown';
  walk(fn.childForFieldName('parameters') ?? fn, (n) => {
    if (n.type === 'typed_parameter' && n.namedChildren[0]?.text === name) {
      const type = n.childForFieldName('type')?.text ?? '';
      if (/\b(Task|Future)\b/.test(type)) kind = 'tasks';
      else if (/\bCoroutine\b/.test(type)) kind = 'coroutines';
    }
    return true;
  });
  return kind;
}
