// The language server's view of the workspace: the Python files of its folders, their outlines (indexed in the
// background; the summaries of their functions are made when something calls them), and which open documents
// must be analysed again when a file changes.
import * as path from 'node:path';
import { collectPythonFiles } from '../files';
import { collectWhenIdle } from '../heap';
import type { Parser } from '../parser';
import type { FileSystemView } from './importRoots';
import { DISK, SummaryStore, type WorkspaceResolver } from './summaryStore';

/** What indexing reports while it runs (the server turns it into LSP work-done progress). */
export interface IndexProgress {
  begin(total: number): void;
  report(done: number, total: number): void;
  end(indexed: number): void;
}

/** Files summarised between two turns of the event loop: requests that arrive meanwhile wait at most this long. */
const FILES_PER_TURN = 4;

export class WorkspaceIndex {
  readonly store: SummaryStore;
  private indexed: string[] = [];
  /** Bumped when indexing starts again (new folders): an older run stops at its next turn. */
  private run = 0;

  constructor(parser: Parser, files: FileSystemView = DISK) {
    this.store = new SummaryStore(parser, files);
  }

  /** The Python files found by the last indexing. */
  get files(): readonly string[] {
    return this.indexed;
  }

  /**
   * Lists the Python files of `folders` (honouring `.gitignore` and the default excludes) and summarises each,
   * the files in `first` (the open documents) before the others, yielding to the event loop between batches.
   * Resolves with the number of files summarised (fewer when a newer run superseded it).
   */
  async index(folders: string[], first: string[], progress?: IndexProgress): Promise<number> {
    const run = ++this.run;
    const found = folders.length > 0 ? collectPythonFiles(folders, [], folders[0]).files.map((f) => path.resolve(f)) : [];
    const front = new Set(first.map((f) => path.resolve(f)));
    const ordered = [...found.filter((f) => front.has(f)), ...found.filter((f) => !front.has(f))];
    this.indexed = ordered;
    progress?.begin(ordered.length);
    let done = 0;
    for (const file of ordered) {
      if (run !== this.run) break;
      // what any importer looks names up in first; the summaries of its functions are made when one is called
      this.store.outline(file);
      done++;
      if (done % FILES_PER_TURN === 0) {
        progress?.report(done, ordered.length);
        // parsing leaves garbage behind; the summaries kept are small
        collectWhenIdle();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    progress?.end(done);
    collectWhenIdle();
    return done;
  }

  /** A file was created, changed or deleted (on disk, or its open document edited): its summaries are stale. */
  changed(file: string, created = false): void {
    this.store.invalidate(file);
    // a new or removed `__init__.py` (or module) moves what imports resolve to
    if (created || path.basename(file) === '__init__.py') this.store.roots.clear();
  }

  /** Whether an analysis made with `resolver` used a summary that has changed since. */
  static isStale(resolver: WorkspaceResolver | undefined): boolean {
    return !!resolver && resolver.isStale();
  }
}
