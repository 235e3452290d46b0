// Module-level edits every rewrite needs: merged imports, and the `if __name__ == "__main__":` guard that
// process pools require under the spawn and forkserver start methods.
import type { ChangedStatements, SyntaxNode, SyntaxTree } from '../parser';
import { isStdlibModule } from '../analysis/knowledge';
import { assignedNamesShallow, definitionOf, importBindings } from '../analysis/scope';
import { isMainGuard, namedChildren, tokensSpelled, walk } from '../syntax';
import { applySplices, reindent, type Splice, stringContinuationRows } from './text';

export type Parse = ((text: string) => SyntaxTree) & {
  /**
   * Present only when the rewrite is performed for its verdict alone (a safe fix confirmed while linting: what
   * the guard moves, whether the rewrite can be made), never for its text: the module-level steps then read a
   * variant from the statements that changed (parser.ts) rather than parsing it whole, and leave its text as it is.
   */
  changedStatements?: (text: string) => ChangedStatements | null;
};

export type ImportNeed = { from: string; name: string } | { module: string };

function importKey(need: ImportNeed): string {
  return 'from' in need ? `from ${need.from} import ${need.name}` : `import ${need.module}`;
}

/** Adds the imports a rewrite needs, merged into existing `from X import …` lines, after docstring and `__future__`. */
export function ensureImports(text: string, needs: ImportNeed[], parse: Parse): string {
  // imports decide nothing of a verdict
  if (needs.length === 0 || parse.changedStatements) return text;
  const tree = parse(text);
  try {
    const root = tree.rootNode;
    const top = namedChildren(root);
    const splices: Splice[] = [];
    const merges = new Map<number, Splice>();
    const newLines: string[] = [];
    const boundFrom = new Map<string, string>(); // local name → qualified
    for (const s of top) for (const [local, q] of importBindings(s)) boundFrom.set(local, q);
    for (const need of dedupe(needs)) {
      if ('module' in need) {
        if (boundFrom.get(need.module) === need.module) continue;
        newLines.push(`import ${need.module}`);
        continue;
      }
      if (boundFrom.get(need.name) === `${need.from}.${need.name}`) continue;
      const existing = top.find(
        (s) => s.type === 'import_from_statement' && s.childForFieldName('module_name')?.text === need.from && !s.text.includes('*'),
      );
      if (existing) {
        const names = existing.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null);
        const last = names[names.length - 1];
        if (last) {
          const merged = merges.get(existing.id) ?? { start: last.endIndex, end: last.endIndex, text: '' };
          merged.text += `, ${need.name}`;
          merges.set(existing.id, merged);
          continue;
        }
      }
      newLines.push(`from ${need.from} import ${need.name}`);
    }
    if (newLines.length > 0) {
      const leading = leadingImports(top).filter((s) => s.type !== 'future_import_statement');
      if (leading.length > 0) splices.push(...placeInSections(text, newLines, leading));
      else {
        const ordered = sortImportLines(newLines);
        const anchor = importAnchor(top);
        // isort keeps a blank line between the __future__ section and the next
        const gap = anchor?.type === 'future_import_statement' ? '\n\n' : '\n';
        if (anchor) {
          const at = afterTrailingComment(text, anchor.endIndex);
          splices.push({ start: at, end: at, text: gap + ordered });
        }
        else {
          // no imports: after the docstring / __future__ imports, or at the top
          const first = top.find((s) => s.type !== 'comment');
          // keep a leading comment block (shebang, licence, description) above the imports
          const at = first ? first.startIndex : text.length;
          const definition = first && ['function_definition', 'class_definition', 'decorated_definition'].includes(first.type);
          const gap = definition ? '\n\n\n' : '\n\n';
          splices.push({ start: at, end: at, text: ordered + (first ? gap : '\n') });
        }
      }
    }
    return applySplices(text, [...splices, ...merges.values()]);
  } finally {
    tree.delete();
  }
}

/** isort's sections, in file order: the standard library, then everything else (third-party and local). */
type ImportSection = 'stdlib' | 'other';

/** isort's order inside a section: `import x` lines first, then `from x import y`, modules case-insensitively. */
interface ImportKey {
  section: ImportSection;
  isFrom: boolean;
  module: string;
}

function keyOfLine(line: string): ImportKey {
  const isFrom = line.startsWith('from ');
  const module = line.split(' ')[1] ?? '';
  return { section: sectionOf(module), isFrom, module: module.toLowerCase() };
}

function keyOfStatement(s: SyntaxNode): ImportKey {
  const isFrom = s.type === 'import_from_statement';
  const named = isFrom ? s.childForFieldName('module_name') : s.childForFieldName('name');
  const module = (named?.type === 'aliased_import' ? named.childForFieldName('name') : named)?.text ?? '';
  return { section: sectionOf(module), isFrom, module: module.toLowerCase() };
}

function sectionOf(module: string): ImportSection {
  return isStdlibModule(module) ? 'stdlib' : 'other';
}

function compareKeys(a: ImportKey, b: ImportKey): number {
  return Number(a.isFrom) - Number(b.isFrom) || (a.module < b.module ? -1 : a.module > b.module ? 1 : 0);
}

/** New lines as one block: the standard-library section, a blank line, then the others. */
function sortImportLines(lines: string[]): string {
  const sorted = [...lines].sort((a, b) => compareKeys(keyOfLine(a), keyOfLine(b)));
  const stdlib = sorted.filter((l) => keyOfLine(l).section === 'stdlib');
  const other = sorted.filter((l) => keyOfLine(l).section === 'other');
  return [stdlib.join('\n'), other.join('\n')].filter(Boolean).join('\n\n');
}

/**
 * Where each new import line goes among the leading imports: inside its own section, before the first
 * import that sorts after it (or after the section's last); a section the file lacks is opened next to the
 * other one, separated by a blank line.
 */
function placeInSections(text: string, lines: string[], leading: SyntaxNode[]): Splice[] {
  const groups = new Map<string, { start: number; before: boolean; gap: boolean; lines: string[] }>();
  for (const line of [...lines].sort((a, b) => compareKeys(keyOfLine(a), keyOfLine(b)))) {
    const key = keyOfLine(line);
    const same = leading.filter((s) => keyOfStatement(s).section === key.section);
    let place: { start: number; before: boolean; gap: boolean };
    if (same.length > 0) {
      const next = same.find((s) => compareKeys(keyOfStatement(s), key) > 0);
      place = next ? { start: aboveLeadingComments(text, next), before: true, gap: false } : { start: afterTrailingComment(text, same[same.length - 1]!.endIndex), before: false, gap: false };
    } else if (key.section === 'stdlib') place = { start: aboveLeadingComments(text, leading[0]!), before: true, gap: true };
    else place = { start: afterTrailingComment(text, leading[leading.length - 1]!.endIndex), before: false, gap: true };
    const id = `${place.start}:${place.before}`;
    const group = groups.get(id) ?? { ...place, lines: [] };
    group.lines.push(line);
    groups.set(id, group);
  }
  return [...groups.values()].map((g) => ({
    start: g.start,
    end: g.start,
    text: g.before ? g.lines.join('\n') + (g.gap ? '\n\n' : '\n') : (g.gap ? '\n\n' : '\n') + g.lines.join('\n'),
  }));
}

/** Past a comment that ends the statement's line (`import os  # paths`): a new line inserted after it keeps the comment where it was. */
function afterTrailingComment(text: string, index: number): number {
  const nl = text.indexOf('\n', index);
  const end = nl < 0 ? text.length : nl;
  return /^[ \t]*#/.test(text.slice(index, end)) ? end : index;
}

/**
 * Above the comment lines directly over a statement (no blank line between): they describe it, so a line inserted
 * before the statement goes above them rather than between them and their statement.
 */
function aboveLeadingComments(text: string, statement: SyntaxNode): number {
  let start = statement.startIndex;
  for (let c = statement.previousSibling; c?.type === 'comment' && c.endPosition.row + 1 === (c.nextSibling ?? statement).startPosition.row; c = c.previousSibling) {
    const lineStart = text.lastIndexOf('\n', c.startIndex - 1) + 1;
    // a comment after code on its line belongs to that code
    if (text.slice(lineStart, c.startIndex).trim() !== '') break;
    // the file's header (shebang, licence, description) stays on top
    if (!c.previousSibling) return statement.startIndex;
    start = lineStart;
  }
  return start;
}

function dedupe(needs: ImportNeed[]): ImportNeed[] {
  const seen = new Set<string>();
  return needs.filter((n) => {
    const k = importKey(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The import statements of the leading block (after the docstring). */
function leadingImports(top: readonly SyntaxNode[]): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  let index = 0;
  for (const s of top) {
    if (s.type === 'comment') continue;
    const i = index++;
    if (s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement') result.push(s);
    else if (!(i === 0 && s.type === 'expression_statement' && s.namedChildren[0]?.type === 'string')) break;
  }
  return result;
}

/** The last statement of the leading block of docstring / imports (where new imports go), or null. */
function importAnchor(top: readonly SyntaxNode[]): SyntaxNode | null {
  let anchor: SyntaxNode | null = null;
  let sawImport = false;
  let statementIndex = 0;
  for (const s of top) {
    if (s.type === 'comment') continue;
    const i = statementIndex++;
    if (s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement') {
      anchor = s;
      sawImport = true;
      continue;
    }
    if (i === 0 && s.type === 'expression_statement' && s.namedChildren[0]?.type === 'string') {
      anchor = s;
      continue;
    }
    break;
  }
  if (!sawImport) {
    // only a docstring: new imports still go after it
    return anchor;
  }
  return anchor;
}

const POOL_CONSTRUCTORS = /(^|\.)(ProcessPoolExecutor|Pool|Process)$/;

const poolConstructing = new WeakMap<SyntaxNode, boolean>();
/** Whether a subtree constructs a process pool directly (kept per node: a file's fixes ask again). */
function constructsProcessPool(node: SyntaxNode): boolean {
  let found = poolConstructing.get(node);
  if (found === undefined) {
    found = findsProcessPool(node);
    poolConstructing.set(node, found);
  }
  return found;
}

function findsProcessPool(node: SyntaxNode): boolean {
  // every constructor it recognises spells `Pool` or `Process`: most subtrees are ruled out by their text
  if (!/Pool|Process/.test(node.text)) return false;
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (fn && POOL_CONSTRUCTORS.test(fn.text) && (fn.text.includes('ProcessPoolExecutor') || /multiprocessing|mp\.|^Pool$|^Process$/.test(fn.text))) found = true;
    }
    return true;
  });
  return found;
}

function callsAny(node: SyntaxNode, names: Set<string>): boolean {
  // a call of a name spells it: test the text first, walk only when it may
  const text = node.text;
  if (![...names].some((name) => spellsWord(text, name))) return false;
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      if (name && names.has(name)) found = true;
    }
    return true;
  });
  return found;
}

/** Whether `word` occurs in `text` with no identifier character (ASCII or not) right before or after it. */
function spellsWord(text: string, word: string): boolean {
  const identifier = /[\p{L}\p{N}_]/u;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (!identifier.test(text[i - 1] ?? '') && !identifier.test(text[i + word.length] ?? '')) return true;
  }
  return false;
}

export interface GuardResult {
  text: string;
  /** Module-level names assigned inside the new guard (a spawned worker will not have them). */
  guardedNames: Set<string>;
  /** Of those, the names also assigned outside it: a spawned worker has their first value, not the guard's. */
  rebound?: Set<string>;
  wrapped: boolean;
}

/**
 * The doubt a new guard raises when it moves module-level assignments: whoever imports the module instead of
 * running it (another module, a test, the spawned workers themselves) no longer gets those names.
 */
export function guardDoubt(guard: GuardResult, bindings: ReadonlyMap<string, unknown>): string | null {
  // names the module bound before the rewrite (not the rewrite's own `executor`)
  const moved = [...guard.guardedNames].filter((n) => bindings.has(n));
  if (moved.length === 0) return null;
  const list = (names: string[]) => `${names.slice(0, 4).map((n) => `\`${n}\``).join(', ')}${names.length > 4 ? ', …' : ''}`;
  const rebound = moved.filter((n) => guard.rebound?.has(n));
  const gone = moved.filter((n) => !guard.rebound?.has(n));
  const said: string[] = [];
  if (rebound.length > 0) said.push(`${list(rebound)} ${rebound.length > 1 ? 'are' : 'is'} assigned before the new \`if __name__ == "__main__":\` guard and again inside it: a worker started by spawn imports the module and reads the first value, not what the guarded code changed ${rebound.length > 1 ? 'them' : 'it'} to (pass ${rebound.length > 1 ? 'them' : 'it'} to the workers as arguments)`);
  if (gone.length > 0) said.push(`the new \`if __name__ == "__main__":\` guard takes in the module-level assignment${gone.length > 1 ? 's' : ''} of ${list(gone)}: importing this module (rather than running it) no longer defines ${gone.length > 1 ? 'them' : 'it'}`);
  return said.join('; ');
}

/**
 * Wraps the module-level statements that (directly or through module functions) start a process pool in
 * `if __name__ == "__main__":` blocks, so that a spawned worker importing the module does not run them.
 * Module-level statements that start within `actions` (offsets in `text`) are the rewrite's own (sizing a pool
 * it starts at module level): guarded too. Statements after them are not: a plain assignment further down (a
 * worker's state dict made by an earlier rewrite) stays where workers see it.
 */
export function ensureMainGuard(text: string, parse: Parse, unit: string, actions?: { from: number; to: number }): GuardResult {
  const changed = parse.changedStatements?.(text);
  if (changed) {
    try {
      // the verdict alone: what the guard would take in (see Parse.changedStatements); the text is left as it is
      const top = [...changed.before, ...changed.changed, ...changed.after];
      const after = new Set(changed.after);
      const offsetOf = (s: SyntaxNode) => (after.has(s) ? s.startIndex + changed.shift : s.startIndex);
      const plan = planMainGuard(top, top.flatMap(functionDefinitions), offsetOf, actions);
      return { text, guardedNames: plan?.guardedNames ?? new Set(), rebound: plan?.rebound ?? new Set(), wrapped: plan !== null };
    } finally {
      changed.dispose();
    }
  }
  const tree = parse(text);
  try {
    const root = tree.rootNode;
    const top = namedChildren(root);
    // every def spells `def`: its nodes are found from the text rather than by walking the whole module
    const plan = planMainGuard(top, functionDefinitions(root), (s) => s.startIndex, actions);
    if (!plan) return { text, guardedNames: new Set(), wrapped: false };
    const { guarded, guardedNames, rebound } = plan;
    const frozen = stringContinuationRows(root);
    const splices: Splice[] = [];
    let i = 0;
    while (i < top.length) {
      if (!guarded[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < top.length && (guarded[j + 1] || (top[j + 1].type === 'comment' && top.slice(j + 1).find((s) => s.type !== 'comment') && guarded[top.findIndex((s, k) => k > j && s.type !== 'comment')]))) j++;
      let s = i;
      // comments right above the run belong to it
      while (s > 0 && top[s - 1].type === 'comment' && top[s - 1].endPosition.row + 1 >= top[s].startPosition.row) s--;
      const start = top[s];
      const end = top[j];
      const startOffset = text.lastIndexOf('\n', start.startIndex - 1) + 1;
      const block = text.slice(startOffset, end.endIndex);
      const indented = reindent(block, '', unit, start.startPosition.row, frozen);
      splices.push({ start: startOffset, end: end.endIndex, text: `if __name__ == "__main__":\n${indented}` });
      i = j + 1;
    }
    return { text: applySplices(text, splices), guardedNames, rebound, wrapped: true };
  } finally {
    tree.delete();
  }
}

const definitionsIn = new WeakMap<SyntaxNode, Array<{ name: string; node: SyntaxNode }>>();
/** The functions (and methods) defined in a subtree, at any depth, with their names (kept per node: a file's fixes ask again). */
function functionDefinitions(node: SyntaxNode): Array<{ name: string; node: SyntaxNode }> {
  let defs = definitionsIn.get(node);
  if (!defs) {
    defs = [];
    for (const keyword of tokensSpelled(node, 'def')) {
      const n = keyword.parent;
      const name = n?.type === 'function_definition' ? n.childForFieldName('name')?.text : undefined;
      if (n && name) defs.push({ name, node: n });
    }
    definitionsIn.set(node, defs);
  }
  return defs;
}

/** Builtins that build a value in memory (`range(16)`, `list(…)`): nothing worth keeping a spawned worker from. */
const CHEAP_BUILTIN_CALL = /^(range|list|dict|set|tuple|frozenset|len|str|int|float|bool|sorted|reversed|zip|enumerate|min|max|sum|abs|round|map|filter)$/;

/** Methods setting up an argument parser: they only describe the command line. */
const ARGPARSE_SETUP = /^(add_argument|add_argument_group|add_mutually_exclusive_group|set_defaults|add_subparsers|add_parser)$/;

/** A statement setting up a kept module-level argument parser (`parser.add_argument("--n", type=int)`). */
function setsUpKept(s: SyntaxNode, kept: ReadonlySet<string>): boolean {
  const call = s.type === 'expression_statement' && s.namedChildCount === 1 ? s.namedChildren[0] : null;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (callee?.type !== 'attribute' || !ARGPARSE_SETUP.test(callee.childForFieldName('attribute')?.text ?? '')) return false;
  let root: SyntaxNode | null = callee.childForFieldName('object');
  while (root?.type === 'attribute') root = root.childForFieldName('object');
  return root?.type === 'identifier' && kept.has(root.text);
}

/** `logging.basicConfig(…)`, `logger.setLevel(…)`, `log.addHandler(h)`, `logging.getLogger().setLevel(…)`: one call configuring logging. */
function configuresLogging(s: SyntaxNode): boolean {
  const call = s.type === 'expression_statement' && s.namedChildCount === 1 ? s.namedChildren[0] : null;
  const callee = call?.type === 'call' ? call.childForFieldName('function')?.text ?? '' : '';
  return /^logging\.(basicConfig|captureWarnings|disable)$/.test(callee) || /^(logging\.getLogger\([^)]*\)|\w*(log|logger|LOG|LOGGER|Logger)\w*)\.(setLevel|addHandler|addFilter|propagate)$/.test(callee);
}

/**
 * Which top-level statements the guard takes in (`top` with `defs`, the module's function definitions; `offsetOf`
 * a statement's offset in the text `actions` refers to), and the names they assign; null when none.
 */
function planMainGuard(top: readonly SyntaxNode[], defs: Array<{ name: string; node: SyntaxNode }>, offsetOf: (s: SyntaxNode) => number, actions?: { from: number; to: number }): { guarded: boolean[]; guardedNames: Set<string>; rebound: Set<string> } | null {
  // functions (and methods) that reach a pool construction
  const reaching = new Set<string>();
  for (const d of defs) if (constructsProcessPool(d.node)) reaching.add(d.name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of defs) {
      if (!reaching.has(d.name) && callsAny(d.node, reaching)) {
        reaching.add(d.name);
        changed = true;
      }
    }
  }
  const isInert = (s: SyntaxNode) => {
    const d = definitionOf(s);
    return (
      s.type === 'comment' ||
      d.type === 'function_definition' ||
      d.type === 'class_definition' ||
      s.type === 'import_statement' ||
      s.type === 'import_from_statement' ||
      s.type === 'future_import_statement' ||
      isMainGuard(s) ||
      (s.type === 'expression_statement' && s.namedChildCount === 1 && ['string', 'concatenated_string'].includes(s.namedChildren[0]!.type))
    );
  };
  const own = (s: SyntaxNode) => !!actions && offsetOf(s) >= actions.from && offsetOf(s) < actions.to;
  const first = top.findIndex((s) => !isInert(s) && (own(s) || constructsProcessPool(s) || callsAny(s, reaching)));
  if (first < 0) return null;
  // A spawned worker re-imports the module: everything that acts (prints, loops, calls) must be guarded.
  // Definitions, imports and, before the pool starts, plain assignments stay: workers may need them.
  // names a kept statement assigns: calls on them before the pool (`parser.add_argument(…)` on a kept
  // `parser = argparse.ArgumentParser()`) set up what the kept statements after them read (`args =
  // parser.parse_args()`), so they stay with them (round 37: a guard that took in the `add_argument` calls left each
  // spawned worker parsing the parent's arguments with none defined, and the pool hung)
  const keptObjects = new Set<string>();
  const guarded = top.map((s, index) => {
    if (isInert(s)) return false;
    if (index >= first) return true;
    // logging set up for the process (`logging.basicConfig(…)`, `logger.setLevel(…)`): a spawned worker needs it
    // too, or its log lines are lost (round 36: a package crawler's workers logged nothing once it was guarded)
    if (configuresLogging(s)) return false;
    if (setsUpKept(s, keptObjects)) return false;
    const kept = s.type === 'expression_statement' && ['assignment', 'augmented_assignment'].includes(s.namedChildren[0]?.type ?? '');
    if (kept) for (const name of assignedNamesShallow(s)) keptObjects.add(name);
    return !kept;
  });
  // a value computed before the pool that only the guarded code reads (`INPUT = aoc.get_input(2017, 14)` then
  // `part1(INPUT)`): a spawned worker importing the module would compute it again for nothing (round 41: each worker
  // fetched the puzzle input anew), so it goes under the guard too; one a function or a kept statement reads stays
  for (let index = first - 1; index >= 0; index--) {
    const s = top[index];
    if (guarded[index] || s.type !== 'expression_statement' || s.namedChildren[0]?.type !== 'assignment' || !s.descendantsOfType('call').some((c) => !CHEAP_BUILTIN_CALL.test(c?.childForFieldName('function')?.text ?? ''))) continue;
    const names = new Set(assignedNamesShallow(s));
    if (names.size === 0) continue;
    const readElsewhere = top.some((other, k) => k !== index && !guarded[k] && [...names].some((name) => tokensSpelled(other, name, 'identifier').length > 0));
    if (!readElsewhere) guarded[index] = true;
  }
  const guardedNames = new Set<string>();
  const keptNames = new Set<string>();
  top.forEach((s, index) => {
    for (const name of assignedNamesShallow(s)) (guarded[index] ? guardedNames : keptNames).add(name);
  });
  // assigned outside the guard and again inside it: a spawned worker imports the first value only
  const rebound = new Set([...guardedNames].filter((n) => keptNames.has(n)));
  return { guarded, guardedNames, rebound };
}
