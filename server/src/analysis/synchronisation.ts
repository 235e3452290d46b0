// Synchronisation between code that submits tasks and the tasks themselves: whether a task can block until
// the submitting thread signals it (`event.set()`, `queue.put()`, `lock.release()`, `proc.stdin.write()`), and
// whether such a signal runs between the submit and the place a rewrite would wait for the task.
import type { SyntaxNode } from '../parser';
import { ancestor, isAncestorOf, lineOf, walk } from '../syntax';
import { BUILTIN_NAMES } from './knowledge';
import type { ModuleInfo } from './scope';

/** Methods through which one thread lets another proceed (or starts code that may). */
const SIGNAL_METHODS = new Set(
  'set release put put_nowait notify notify_all wait abort reset write writelines flush close send sendall communicate start join cancel shutdown set_result set_exception terminate kill'.split(' '),
);

/**
 * Methods that can block until another thread or process acts. `get` and `join` only without positional
 * arguments (a queue's or a thread's, not a dict's, `os.path.join` or `str.join`); reads only from a pipe, a
 * standard stream, a connection or a socket (not from a file the task opened).
 */
const WAIT_METHODS = new Set('wait wait_for acquire join recv recv_bytes communicate get'.split(' '));
const READ_METHODS = new Set('read readline readlines'.split(' '));
const CHANNEL = /std(in|out|err)|pipe|conn|sock/i;

function waitsHere(call: SyntaxNode): boolean {
  const method = methodOf(call);
  if (!method) return false;
  if (READ_METHODS.has(method)) return CHANNEL.test(call.childForFieldName('function')!.childForFieldName('object')?.text ?? '');
  if (!WAIT_METHODS.has(method)) return false;
  return !((method === 'get' || method === 'join') && argumentCount(call) > 0);
}

/** Methods that only log, read or build values: no other thread proceeds because of them. */
const QUIET_METHODS = new Set(
  'debug info warning warn error exception critical log append extend add update insert pop items keys values copy format join split strip lower upper replace startswith endswith encode decode'.split(' '),
);

/** Calls whose effects reach no other thread. */
const QUIET_CALLS = new Set([...BUILTIN_NAMES].filter((n) => !['exec', 'eval', 'input', 'next', 'setattr', 'delattr', '__import__', 'breakpoint'].includes(n)));

export type TaskWait = { kind: 'none' } | { kind: 'waits'; what: string; line: number } | { kind: 'unknown'; what: string };

function methodOf(call: SyntaxNode): string | null {
  const f = call.childForFieldName('function');
  return f?.type === 'attribute' ? (f.childForFieldName('attribute')?.text ?? null) : null;
}

function argumentCount(call: SyntaxNode): number {
  return call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument').length ?? 0;
}

/** The same-file function a call names (`helper(…)`, or `self.helper(…)` in the caller's class), if any. */
function calledFunction(call: SyntaxNode, module: ModuleInfo): SyntaxNode | null {
  const f = call.childForFieldName('function');
  if (f?.type === 'identifier') return module.functions.get(f.text) ?? null;
  if (f?.type === 'attribute' && f.childForFieldName('object')?.text === 'self') {
    const cls = ancestor(call, (n) => n.type === 'class_definition');
    const name = f.childForFieldName('attribute')!.text;
    let found: SyntaxNode | null = null;
    walk(cls?.childForFieldName('body') ?? call, (n) => {
      if (found) return false;
      if (n.type === 'function_definition' && n.childForFieldName('name')?.text === name) found = n;
      return n.type !== 'function_definition';
    });
    return found;
  }
  return null;
}

/**
 * Whether a task running `fn` can block until someone else acts: a wait-like call (`event.wait()`,
 * `queue.get()`, `lock.acquire()`, `barrier.wait()`, `pipe.read()`), a `with lock:` block, or the same in a
 * same-file function it calls. A callable the analysis cannot see is 'unknown'.
 */
export function taskWaits(callable: SyntaxNode | null, fn: SyntaxNode | null, module: ModuleInfo): TaskWait {
  // a lambda's body is in sight; a builtin (`len`, `sum`) waits for nobody
  if (!fn && callable?.type === 'lambda') fn = callable;
  if (!fn && callable?.type === 'identifier' && QUIET_CALLS.has(callable.text) && !module.bindings.has(callable.text)) return { kind: 'none' };
  if (!fn) return { kind: 'unknown', what: callable?.text.split('\n')[0] ?? 'the task' };
  // breadth first: a wait in the task's own body is named before one in a function it calls
  const seen = new Set<number>([fn.id]);
  const queue: SyntaxNode[] = [fn];
  while (queue.length > 0 && seen.size <= 50) {
    const def = queue.shift()!;
    let found: TaskWait | null = null;
    walk(def.childForFieldName('body') ?? def, (n) => {
      if (found) return false;
      if (n.type === 'with_item') {
        // `with lock:` / `with self.cond:` (not `with open(…)`): acquiring can block
        const value = n.namedChildren[0];
        if (value && (value.type === 'identifier' || value.type === 'attribute')) found = { kind: 'waits', what: `with ${value.text}:`, line: lineOf(n) };
      }
      if (n.type === 'call') {
        if (waitsHere(n)) {
          found = { kind: 'waits', what: `${n.childForFieldName('function')!.text}()`, line: lineOf(n) };
          return false;
        }
        const callee = calledFunction(n, module);
        if (callee && !seen.has(callee.id)) {
          seen.add(callee.id);
          queue.push(callee);
        }
      }
      return true;
    });
    if (found) return found;
  }
  return { kind: 'none' };
}

export type SignalCheck = { kind: 'none' } | { kind: 'signal'; what: string; line: number } | { kind: 'unknown'; what: string; line: number };

/**
 * What runs after `from` (a statement) until `boundary` ends (the block whose end waits for the tasks anyway:
 * a `with` body, the function, the module), including whole bodies of loops around `from` inside the boundary:
 * the first call that may let a waiting task proceed, else the first call the analysis cannot see into.
 */
export function signalsBefore(from: SyntaxNode, boundary: SyntaxNode, module: ModuleInfo): SignalCheck {
  const regions: Array<[number, number]> = [[from.endIndex, boundary.endIndex]];
  for (let p = from.parent; p && p.id !== boundary.id && isAncestorOf(boundary, p); p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') regions.push([p.startIndex, p.endIndex]);
  }
  const inRegion = (n: SyntaxNode) => regions.some(([a, b]) => n.endIndex > a && n.startIndex < b);
  let signal: SignalCheck = { kind: 'none' };
  let unknown: SignalCheck = { kind: 'none' };
  const seen = new Set<number>();
  const visit = (root: SyntaxNode, limit: boolean, site: SyntaxNode | null) => {
    walk(root, (n) => {
      if (signal.kind !== 'none') return false;
      if (limit && !inRegion(n)) return false;
      if (n.id !== root.id && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
      if (n.type !== 'call') return true;
      const at = site ?? n;
      const method = methodOf(n);
      const f = n.childForFieldName('function');
      if (method && SIGNAL_METHODS.has(method)) {
        signal = { kind: 'signal', what: `${f!.text.split('\n')[0]}()`, line: lineOf(at) };
        return false;
      }
      const callee = calledFunction(n, module);
      if (callee) {
        if (!seen.has(callee.id) && seen.size < 50) {
          seen.add(callee.id);
          visit(callee.childForFieldName('body') ?? callee, false, at);
        }
      } else if (!(f?.type === 'identifier' && QUIET_CALLS.has(f.text)) && !(method && QUIET_METHODS.has(method)) && unknown.kind === 'none') {
        unknown = { kind: 'unknown', what: `${(f?.text ?? n.text).split('\n')[0]}()`, line: lineOf(at) };
      }
      return true;
    });
  };
  visit(boundary, true, null);
  return signal.kind !== 'none' ? signal : unknown;
}
