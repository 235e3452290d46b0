// The sheets of one workbook: a loop over them reads one document, piece by piece. A workbook holds few sheets, of
// uneven size (the largest bounds any speed-up), and `pandas.read_excel(path, sheet_name=s)` opens and parses the
// file again for each one; a `pandas.ExcelFile` or an openpyxl workbook holds the open file, which threads would
// share and worker processes cannot receive. Reading the workbook once is the fix an expert makes (round 52: five
// loops over a manifest's sheets, one rewrite crashing on an ExcelFile that does not pickle, the others slower).
import type { SyntaxNode } from '../parser';
import { enclosingFunction, lineOf, namedChildren, walk } from '../syntax';
import { readsIn } from './dependence';
import type { Rejection } from './model';
import { annotationOf, importedName, type ModuleInfo, valuesBound } from './scope';

/** Attributes listing a workbook's sheets (pandas' `ExcelFile.sheet_names`, openpyxl's `sheetnames`/`worksheets`). */
const SHEET_ATTRIBUTES = new Set(['sheet_names', 'sheetnames', 'worksheets']);
/** Methods listing them (xlrd's `book.sheet_names()`/`sheets()`, gspread's `spreadsheet.worksheets()`). */
const SHEET_METHODS = new Set(['sheet_names', 'sheets', 'worksheets']);
/** Calls that pass their first argument's items through (`enumerate(xl.sheet_names)`). */
export const PASS_THROUGH = new Set(['enumerate', 'sorted', 'list', 'tuple', 'reversed', 'tqdm', 'tqdm.tqdm', 'set']);

/** The workbook whose sheets `node` lists (`xl` of `xl.sheet_names`), through pass-through calls, slices and names bound once. */
function sheetsOf(node: SyntaxNode | null, module: ModuleInfo, depth = 0): SyntaxNode | null {
  if (!node || depth > 4) return null;
  switch (node.type) {
    case 'attribute':
      return SHEET_ATTRIBUTES.has(node.childForFieldName('attribute')?.text ?? '') ? node.childForFieldName('object') : null;
    case 'subscript':
      return sheetsOf(node.childForFieldName('value'), module, depth + 1);
    case 'parenthesized_expression':
      return sheetsOf(node.namedChildren[0] ?? null, module, depth + 1);
    case 'list_comprehension':
    case 'generator_expression': {
      const clause = node.namedChildren.find((c) => c.type === 'for_in_clause');
      return sheetsOf(clause?.childForFieldName('right') ?? null, module, depth + 1);
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = namedChildren(node.childForFieldName('arguments')!).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
      if (fn?.type === 'attribute' && SHEET_METHODS.has(fn.childForFieldName('attribute')?.text ?? '') && args.length === 0) return fn.childForFieldName('object');
      if (fn && PASS_THROUGH.has(fn.text) && args.length > 0) return sheetsOf(args[0], module, depth + 1);
      return null;
    }
    case 'identifier': {
      const scope = enclosingFunction(node) ?? module.root;
      const values = valuesBound(scope, node.text);
      return values.length === 1 ? sheetsOf(values[0], module, depth + 1) : null;
    }
    default:
      return null;
  }
}

interface SheetRead {
  call: SyntaxNode;
  book: SyntaxNode;
  sheet: SyntaxNode;
  /** Other arguments besides the workbook and the sheet. */
  more: boolean;
}

/** `pd.read_excel(book, sheet_name=<the item>)` in the loop, its workbook the same on every iteration. */
function sheetRead(nodes: readonly SyntaxNode[], items: ReadonlySet<string>, module: ModuleInfo): SheetRead | null {
  let found: SheetRead | null = null;
  const fromItem = (n: SyntaxNode) => readsIn(n).some((r) => items.has(r.text));
  for (const node of nodes) {
    walk(node, (n) => {
      if (found) return false;
      if (n.type !== 'call') return true;
      const qualified = importedName(n.childForFieldName('function')?.text ?? '', module);
      if (qualified !== 'pandas.read_excel') return true;
      const args = namedChildren(n.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
      const book = args.find((a) => a.type !== 'keyword_argument');
      const sheet = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'sheet_name')?.childForFieldName('value');
      if (book && sheet && fromItem(sheet) && !fromItem(book)) found = { call: n, book, sheet, more: args.length > 2 };
      return true;
    });
  }
  return found;
}

/** Workbooks opened as objects (`pd.ExcelFile(path)`, `openpyxl.load_workbook(path)`), which hold their file. */
const OPEN_WORKBOOKS = { makers: /^(pandas\.ExcelFile|openpyxl\.(load_workbook|reader\.excel\.load_workbook)|xlrd\.open_workbook)$/, annotated: /\b(ExcelFile|Workbook|Book)\b/ };
/** A `pandas.ExcelFile`, which `read_excel` takes as well as a path. */
const PANDAS_FILES = { makers: /^pandas\.ExcelFile$/, annotated: /\bExcelFile\b/ };

/** Whether `book` is a parameter annotated as one of `kind`, or bound only to calls of its makers. */
function workbookOf(book: SyntaxNode, module: ModuleInfo, kind: { makers: RegExp; annotated: RegExp }): boolean {
  const fn = enclosingFunction(book);
  if (book.type === 'identifier' && fn && kind.annotated.test(annotationOf(fn, book.text)?.text ?? '')) return true;
  const made = book.type === 'identifier' ? valuesBound(fn ?? module.root, book.text) : [book];
  return made.length > 0 && made.every((v) => v?.type === 'call' && kind.makers.test(importedName(v.childForFieldName('function')?.text ?? '', module) ?? ''));
}

/**
 * Why a loop over the sheets of one workbook is not worth a pool, or null: its iterable lists a workbook's sheets, or
 * each iteration reads one sheet (`sheet_name=` the item) of a workbook the same on every iteration.
 */
export function workbookSheetsRejection(loop: SyntaxNode, iterable: SyntaxNode | null, nodes: readonly SyntaxNode[], items: ReadonlySet<string>, module: ModuleInfo): Rejection | null {
  const listed = sheetsOf(iterable, module);
  const read = sheetRead(nodes, items, module);
  if (!listed && !read) return null;
  const book = read?.book ?? listed!;
  const shown = book.text.split('\n')[0].slice(0, 40);
  const held = workbookOf(book, module, OPEN_WORKBOOKS);
  const how = read
    ? `each iteration reads one sheet of the same workbook (\`${read.call.childForFieldName('function')!.text}(${shown}, sheet_name=${read.sheet.text.slice(0, 30)}${read.more ? ', …' : ''})\`, line ${lineOf(read.call)})${held ? `, through the open workbook \`${shown}\` (it holds its file: threads would share it, and worker processes cannot receive it)` : ': `read_excel` opens and parses that file again for every sheet'}`
    : `the loop walks the sheets of one workbook (\`${iterable!.text.split('\n')[0].slice(0, 40)}\`)${held ? `, read through \`${shown}\`, which holds the open file (threads would share it, and worker processes cannot receive it)` : ''}`;
  return {
    kind: 'not-worth-it',
    name: shown,
    line: lineOf(read?.call ?? loop),
    message: `${how}; a workbook holds few sheets, of uneven size, and the largest bounds any speed-up`,
    // (`read_excel` takes a path or a `pandas.ExcelFile`; an openpyxl or xlrd workbook is read again from its path)
    remedy: `read the workbook once: \`pd.read_excel(${read || workbookOf(book, module, PANDAS_FILES) ? shown : 'path'}, sheet_name=None)\` returns every sheet (a dict of DataFrames) in one pass; then work on the frames`,
  };
}
