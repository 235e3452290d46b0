// Module-level edits every rewrite needs: merged imports, and the `if __name__ == "__main__":` guard that
// process pools require under the spawn and forkserver start methods.
import type { SyntaxNode, SyntaxTree } from '../parser';
import { assignedNamesShallow, definitionOf, importBindings } from '../analysis/scope';
import { isMainGuard, namedChildren, walk } from '../syntax';
import { applySplices, reindent, type Splice, stringContinuationRows } from './text';

export type Parse = (text: string) => SyntaxTree;

export type ImportNeed = { from: string; name: string } | { module: string };

function importKey(need: ImportNeed): string {
  return 'from' in need ? `from ${need.from} import ${need.name}` : `import ${need.module}`;
}

/** Adds the imports a rewrite needs, merged into existing `from X import …` lines, after docstring and `__future__`. */
export function ensureImports(text: string, needs: ImportNeed[], parse: Parse): string {
  if (needs.length === 0) return text;
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
      // isort's order: plain `import x` lines first, then `from x import y`, each alphabetical
      newLines.sort((a, b) => Number(a.startsWith('from ')) - Number(b.startsWith('from ')) || a.localeCompare(b));
      const anchor = importAnchor(top);
      const plain = newLines.filter((l) => l.startsWith('import '));
      const firstFrom = leadingImports(top).find((s) => s.type === 'import_from_statement' && s.childForFieldName('module_name')?.text !== '__future__');
      const lastPlain = [...leadingImports(top)].reverse().find((s) => s.type === 'import_statement');
      if (anchor && plain.length > 0 && firstFrom && (!lastPlain || lastPlain.startIndex < firstFrom.startIndex)) {
        // `import x` before the first `from … import`, after the plain imports
        const at = lastPlain ? lastPlain.endIndex : firstFrom.startIndex;
        splices.push(lastPlain ? { start: at, end: at, text: '\n' + plain.join('\n') } : { start: at, end: at, text: plain.join('\n') + '\n' });
        const rest = newLines.filter((l) => !l.startsWith('import '));
        if (rest.length > 0) splices.push({ start: anchor.endIndex, end: anchor.endIndex, text: '\n' + rest.join('\n') });
      } else if (anchor) {
        const at = anchor.endIndex;
        splices.push({ start: at, end: at, text: '\n' + newLines.join('\n') });
      } else {
        // no imports: after the docstring / __future__ imports, or at the top
        const first = top.find((s) => s.type !== 'comment');
        // keep a leading comment block (shebang, licence, description) above the imports
        const at = first ? first.startIndex : text.length;
        const definition = first && ['function_definition', 'class_definition', 'decorated_definition'].includes(first.type);
        const gap = definition ? '\n\n\n' : '\n\n';
        splices.push({ start: at, end: at, text: newLines.join('\n') + (first ? gap : '\n') });
      }
    }
    return applySplices(text, [...splices, ...merges.values()]);
  } finally {
    tree.delete();
  }
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
function leadingImports(top: SyntaxNode[]): SyntaxNode[] {
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
function importAnchor(top: SyntaxNode[]): SyntaxNode | null {
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

/** Whether a subtree constructs a process pool directly. */
function constructsProcessPool(node: SyntaxNode): boolean {
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

export interface GuardResult {
  text: string;
  /** Module-level names assigned inside the new guard (a spawned worker will not have them). */
  guardedNames: Set<string>;
  wrapped: boolean;
}

/**
 * Wraps the module-level statements that (directly or through module functions) start a process pool in
 * `if __name__ == "__main__":` blocks, so that a spawned worker importing the module does not run them.
 */
export function ensureMainGuard(text: string, parse: Parse, unit: string): GuardResult {
  const tree = parse(text);
  try {
    const root = tree.rootNode;
    const top = namedChildren(root);
    // functions (and methods) that reach a pool construction
    const defs: Array<{ name: string; node: SyntaxNode }> = [];
    walk(root, (n) => {
      if (n.type === 'function_definition') {
        const name = n.childForFieldName('name')?.text;
        if (name) defs.push({ name, node: n });
      }
      return true;
    });
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
    const first = top.findIndex((s) => !isInert(s) && (constructsProcessPool(s) || callsAny(s, reaching)));
    if (first < 0) return { text, guardedNames: new Set(), wrapped: false };
    // A spawned worker re-imports the module: everything that acts (prints, loops, calls) must be guarded.
    // Definitions, imports and, before the pool starts, plain assignments stay: workers may need them.
    const guarded = top.map((s, index) => {
      if (isInert(s)) return false;
      if (index >= first) return true;
      return !(s.type === 'expression_statement' && ['assignment', 'augmented_assignment'].includes(s.namedChildren[0]?.type ?? ''));
    });
    const frozen = stringContinuationRows(root);
    const splices: Splice[] = [];
    const guardedNames = new Set<string>();
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
      for (const st of top.slice(i, j + 1)) for (const name of assignedNamesShallow(st)) guardedNames.add(name);
      i = j + 1;
    }
    return { text: applySplices(text, splices), guardedNames, wrapped: true };
  } finally {
    tree.delete();
  }
}
