// Tree cursor steps called straight on web-tree-sitter's wasm runtime, for the mirror's hot loop.
//
// Every `TreeCursor` getter of web-tree-sitter copies the cursor's four words into the runtime's transfer
// buffer (four `setValue` calls), then calls into wasm; every move copies them back out. Reading a node's
// children that way costs seven round trips per child, and they were a third of the analysis. The runtime
// functions themselves read the cursor from the buffer and write it back after a move, so once the cursor is
// in the buffer a whole walk over siblings needs no copy at all.
//
// Emscripten hands the options object given to `Parser.init` back as the runtime's module, with the
// exported wasm functions and heap views on it; this file checks that every function it needs is there and
// otherwise reports nothing, and the mirror uses web-tree-sitter's public cursor instead (same results).
import type { Tree as RawTree, TreeCursor } from 'web-tree-sitter';

interface RuntimeModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_descendant_wasm(tree: number, index: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_current_node_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_descendant_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
}

const FUNCTIONS: readonly (keyof RuntimeModule)[] = [
  '_ts_init',
  '_ts_tree_cursor_goto_descendant_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_current_node_id_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_descendant_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
];

/** What the mirror reads of one child: the same numbers as web-tree-sitter's cursor getters answer. */
export interface ChildRecord {
  id: number;
  typeId: number;
  start: number;
  end: number;
  descendantIndex: number;
  fieldId: number;
}

/** A tree's cursor driven directly on the runtime (one per tree; synchronous use only). */
export interface RuntimeCursor {
  /**
   * Visits the children of the node at a descendant index; `nextIndex` is the descendant index following the
   * child (the next sibling's, or `afterLast` for the last). Stops early when `visit` returns false.
   */
  children(descendantIndex: number, afterLast: number, visit: (child: ChildRecord, nextIndex: number) => boolean): void;
}

let runtime: { module: RuntimeModule; buffer: number } | undefined;
let disabled = process.env.PARALLELIZE_PUBLIC_CURSOR === '1';

/** Called once the runtime is initialised, with the options object given to `Parser.init`. */
export function adoptRuntime(module: object): void {
  const m = module as Partial<RuntimeModule>;
  if (!(m.HEAP32 instanceof Int32Array) || FUNCTIONS.some((f) => typeof m[f] !== 'function')) return;
  // the transfer buffer's address (the call only stores the language versions in its first two words)
  runtime = { module: m as RuntimeModule, buffer: (m as RuntimeModule)._ts_init() };
}

/** Whether the runtime was reachable at initialisation (the mirror then steps its cursor on it). */
export function runtimeCursorActive(): boolean {
  return runtime !== undefined && !disabled;
}

/** For tests: use web-tree-sitter's public cursor even when the runtime is reachable. */
export function setRuntimeCursorEnabled(enabled: boolean): void {
  disabled = !enabled;
}

/** A direct cursor over `tree` using `cursor`'s memory, or undefined when the runtime is not reachable. */
export function runtimeCursor(tree: RawTree, cursor: TreeCursor): RuntimeCursor | undefined {
  if (!runtime || disabled) return undefined;
  const { module: m, buffer } = runtime;
  const handles = (cursor as unknown as { handles?: number[] }).handles;
  const treeAddress = (tree as unknown as Record<number, number>)[0];
  if (!Array.isArray(handles) || handles.length !== 4 || typeof treeAddress !== 'number') return undefined;
  const word = buffer >> 2;
  const record: ChildRecord = { id: 0, typeId: 0, start: 0, end: 0, descendantIndex: 0, fieldId: 0 };
  return {
    children(descendantIndex, afterLast, visit) {
      // the heap view is fetched at each use: a move may grow the cursor's stack, and with it the memory
      let heap = m.HEAP32;
      for (let i = 0; i < 4; i++) heap[word + i] = handles[i];
      try {
        m._ts_tree_cursor_goto_descendant_wasm(treeAddress, descendantIndex);
        if (!m._ts_tree_cursor_goto_first_child_wasm(treeAddress)) return;
        // the first child follows its parent in pre-order; the others' indexes come with the move to them
        let index = descendantIndex + 1;
        for (;;) {
          record.id = m._ts_tree_cursor_current_node_id_wasm(treeAddress);
          record.typeId = m._ts_tree_cursor_current_node_type_id_wasm(treeAddress);
          record.start = m._ts_tree_cursor_start_index_wasm(treeAddress);
          record.end = m._ts_tree_cursor_end_index_wasm(treeAddress);
          record.fieldId = m._ts_tree_cursor_current_field_id_wasm(treeAddress);
          record.descendantIndex = index;
          const more = m._ts_tree_cursor_goto_next_sibling_wasm(treeAddress) !== 0;
          const next = more ? m._ts_tree_cursor_current_descendant_index_wasm(treeAddress) : afterLast;
          if (!visit(record, next) || !more) return;
          index = next;
        }
      } finally {
        // the public cursor object stays the owner of the memory: give it back where the walk left it
        heap = m.HEAP32;
        for (let i = 0; i < 4; i++) handles[i] = heap[word + i];
      }
    },
  };
}
