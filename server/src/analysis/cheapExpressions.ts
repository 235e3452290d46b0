// Expressions cheap and free of effects that the parent may evaluate itself, in input order, around a pool map:
// the keys of keyed results (`out[p.stem] = …`) and the filters on the item (`if p.suffix != ".py": continue`).
// Only reads of the item and of names the loop never changes, literals, attribute and subscript reads, operators
// and a short list of builtins and string / path methods are accepted; anything else is named as the culprit.
import type { SyntaxNode } from '../parser';
import { namedChildren } from '../syntax';
import { importedName, type ModuleInfo, scopeOf } from './scope';

export interface CheapContext {
  module: ModuleInfo;
  /** The function the loop is in (its locals may shadow a builtin). */
  fn: SyntaxNode | null;
  /** The names the loop binds to each item. */
  itemNames: Set<string>;
  /** Whether a name the expression reads keeps one value through the whole loop. */
  invariant(name: string): boolean;
}

/** Why an expression is not proven cheap and free of effects: the node and what it is. */
export interface Culprit {
  node: SyntaxNode;
  why: string;
}

/** Builtins that compute a small value from their arguments without effects. */
const CHEAP_BUILTINS = new Set(['str', 'int', 'float', 'bool', 'len', 'repr', 'tuple', 'abs', 'round', 'ord', 'chr', 'hex', 'oct', 'isinstance', 'type', 'frozenset']);

/** Methods of strings (and `pathlib` paths) that compute a new small value and change nothing. */
const CHEAP_METHODS = new Set([
  'lower', 'upper', 'casefold', 'strip', 'lstrip', 'rstrip', 'title', 'capitalize', 'startswith', 'endswith',
  'removeprefix', 'removesuffix', 'split', 'rsplit', 'partition', 'rpartition', 'replace', 'zfill', 'isdigit', 'isalpha', 'isalnum', 'isspace', 'isidentifier', 'isupper', 'islower',
  'as_posix', 'with_suffix', 'with_name', 'with_stem', 'relative_to', 'is_relative_to', 'is_absolute',
]);

/** Pure functions of `os.path` on strings (no file-system access). */
const CHEAP_QUALIFIED = new Set(['os.path.basename', 'os.path.dirname', 'os.path.splitext', 'os.path.join', 'os.path.normpath', 'os.path.split', 'os.fspath', 'posixpath.basename', 'posixpath.splitext', 'ntpath.basename']);

const LITERALS = new Set(['integer', 'float', 'true', 'false', 'none', 'string_content', 'escape_sequence', 'string_start', 'string_end', 'comment', 'ellipsis', 'type_conversion']);
const COMPOSITES = new Set(['parenthesized_expression', 'tuple', 'expression_list', 'binary_operator', 'comparison_operator', 'not_operator', 'boolean_operator', 'unary_operator', 'conditional_expression', 'string', 'concatenated_string', 'slice', 'format_specifier', 'format_expression', 'interpolation']);

/** The first part of `expr` not proven cheap and free of effects, or null when all of it is. */
export function costlyPart(expr: SyntaxNode, ctx: CheapContext): Culprit | null {
  if (LITERALS.has(expr.type)) return null;
  switch (expr.type) {
    case 'identifier':
      if (ctx.itemNames.has(expr.text) || ctx.invariant(expr.text)) return null;
      return { node: expr, why: `\`${expr.text}\`, which the loop body assigns or changes` };
    case 'attribute':
      return costlyPart(expr.childForFieldName('object')!, ctx);
    case 'subscript':
      for (const part of [expr.childForFieldName('value'), ...expr.childrenForFieldName('subscript')]) {
        const found = part ? costlyPart(part, ctx) : null;
        if (found) return found;
      }
      return null;
    case 'call':
      return costlyCall(expr, ctx);
  }
  if (COMPOSITES.has(expr.type)) {
    for (const child of namedChildren(expr)) {
      const found = costlyPart(child, ctx);
      if (found) return found;
    }
    return null;
  }
  return { node: expr, why: `\`${expr.text.split('\n')[0].slice(0, 40)}\`, an expression of a kind not known to be cheap and free of effects` };
}

function costlyCall(call: SyntaxNode, ctx: CheapContext): Culprit | null {
  const fn = call.childForFieldName('function')!;
  const args = call.childForFieldName('arguments');
  const named = args ? namedChildren(args) : [];
  if (!args || args.type !== 'argument_list' || named.some((a) => a.type.endsWith('splat'))) return { node: call, why: `\`${call.text.split('\n')[0].slice(0, 40)}\`` };
  const callee = knownCheapCallee(fn, ctx);
  if (!callee) return { node: call, why: `the call \`${fn.text.split('\n')[0].slice(0, 40)}()\`, not known to be cheap and free of effects` };
  if (fn.type === 'attribute' && callee === 'method') {
    const receiver = costlyPart(fn.childForFieldName('object')!, ctx);
    if (receiver) return receiver;
  }
  for (const a of named) {
    const value = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
    const found = value ? costlyPart(value, ctx) : null;
    if (found) return found;
  }
  return null;
}

function knownCheapCallee(fn: SyntaxNode, ctx: CheapContext): 'builtin' | 'method' | 'qualified' | null {
  if (fn.type === 'identifier') {
    const local = ctx.fn ? scopeOf(ctx.fn) : null;
    const shadowed = ctx.module.bindings.has(fn.text) || !!local?.locals.has(fn.text) || !!local?.params.has(fn.text);
    return CHEAP_BUILTINS.has(fn.text) && !shadowed ? 'builtin' : null;
  }
  if (fn.type !== 'attribute') return null;
  const qualified = importedName(dottedText(fn), ctx.module);
  if (qualified && CHEAP_QUALIFIED.has(qualified)) return 'qualified';
  if (qualified) return null;
  return CHEAP_METHODS.has(fn.childForFieldName('attribute')!.text) ? 'method' : null;
}

function dottedText(node: SyntaxNode): string | null {
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'attribute') return null;
  const object = dottedText(node.childForFieldName('object')!);
  return object === null ? null : `${object}.${node.childForFieldName('attribute')!.text}`;
}
