// Private names (`self.__width`) are mangled by the compiler inside a class body only (`self._Grinder__width`):
// code taken out of a class to module level must spell the mangled name itself to reach the same attribute.
import type { SyntaxNode } from '../parser';
import { ancestor, walk } from '../syntax';
import type { Parse } from './module';

/** A name the compiler mangles in a class: two leading underscores, not two trailing ones. */
const PRIVATE = /^__\w*?[^_\W]\w*?(?<!__)$/;

/** The class whose body holds `node` (nested functions included), or null. */
export function enclosingClassName(node: SyntaxNode): string | null {
  return ancestor(node, (a) => a.type === 'class_definition')?.childForFieldName('name')?.text ?? null;
}

/**
 * `code` (a function definition extracted from the class enclosing `origin`) with its private names spelled the
 * way the compiler spelled them in the class: `__width` → `_Grinder__width`. Unchanged outside a class.
 */
export function manglePrivateNames(code: string, origin: SyntaxNode, parse: Parse): string {
  const cls = enclosingClassName(origin);
  const stripped = cls?.replace(/^_+/, '');
  if (!stripped || !code.includes('__')) return code;
  const tree = parse(code);
  try {
    const spots: number[] = [];
    walk(tree.rootNode, (n) => {
      if (n.type === 'identifier' && PRIVATE.test(n.text)) spots.push(n.startIndex);
      return true;
    });
    let out = code;
    for (const at of spots.sort((a, b) => b - a)) out = `${out.slice(0, at)}_${stripped}${out.slice(at)}`;
    return out;
  } finally {
    tree.delete();
  }
}
