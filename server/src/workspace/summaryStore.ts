// The module summaries of a workspace, computed on demand from the files' texts and kept (summaries, never
// trees), and the per-file import resolvers the analysis is handed. Shared by the language server and the CLI.
//
// Depth: a file is analysed with the summaries of the functions it calls in the modules it imports, and those
// were computed with the summaries of the functions they call, and so on for SUMMARY_DEPTH modules; past that,
// a call into another module is unknown (as it is with no workspace at all). Each summary is a function of its
// file and the deeper ones only, so the result does not depend on the order files are visited in, and import
// cycles terminate.
//
// Per function, on demand: an importer calls few of the functions of the modules it imports, so only those are
// analysed, with what they call (transitively), never the whole module. What an importer learns of a module
// without analysing its functions (the names it defines and re-exports) is its outline, made once per text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { type FunctionDescriber, type FunctionSpans, functionSpans, type FunctionSummaryData, type ImportedSymbol, type ImportResolver, type ModuleOutline, type ModuleSummary, outlineModule, SUMMARY_FORMAT, summarizeFunctionInOrderJson, summarizeFunctionJson, summarizeModuleJson, summaryHash, type SummaryDependency } from '../analysis/moduleSummary';
import { MAX_ANALYSED_CHARS } from '../linter';
import { returnVerdict } from '../rules/resultPickling';
import { type Parser, parseText, SyntaxTree, type Tree } from '../parser';
import { type FileSystemView, ImportRoots } from './importRoots';
import { CallSiteIndexes, projectDigests, REACH_PREFIX } from './callSites';
import type { CallSiteIndex } from '../analysis/reach';
import { ABSENT, type Dependency, hashBytes } from './resultCache';

/** How many modules deep a file's analysis sees through imports (the file's own imports, theirs, …). */
export const SUMMARY_DEPTH = 3;

/** Trees kept for the functions of their modules asked for next (see SummaryStore.recentTrees). */
const RECENT_TREES = 32;

/**
 * As many for `check`, which frees its stores when it ends: importers of a module are spread over the run, and
 * with 32 trees 8 % of the text the workers of `--jobs 2` parsed over the standard library was text they had
 * parsed before (a module's tree was dropped before its next importer came); with 128, 2 %.
 */
export const CHECK_RECENT_TREES = 128;

export { ABSENT } from './resultCache';

/** The version of the tool in the summaries' keys: a summary from another version is never reused. */
const TOOL_VERSION = `0.1.0+summary${SUMMARY_FORMAT}`;

/**
 * Summaries read back lately. A workspace's summaries are kept as deflated JSON (outside the JS heap): as objects
 * they take several times the memory, and most are never read (nothing imports their functions).
 */
const RECENTLY_READ = 64;
const recentlyRead = new Map<StoredSummary, ModuleSummary>();

/** One module's summary at one depth, with what it was computed from. */
export class StoredSummary {
  constructor(
    readonly file: string,
    /** Content hash + tool version + depth + the hashes of the summaries it used: equal keys, equal summaries. */
    readonly key: string,
    readonly hash: string,
    /** The summary as deflated JSON. */
    private readonly packed: Buffer,
    /** Every file this summary depends on (its own and, transitively, those of the summaries it used). */
    readonly files: Set<string>,
    /**
     * Whether seeing deeper would change nothing: its module calls nothing of the workspace, or only functions
     * whose summaries are saturated themselves. Then it serves every depth, and is computed once.
     */
    readonly saturated: boolean,
    /** Files its imports (or those of the summaries it used) located but could not use: not among the files checked. */
    readonly excluded: ReadonlySet<string> = new Set(),
    /** The names its computation asked the resolver about and a digest of its text and the answers (see SummaryStore.compute). */
    readonly asked?: AskedNames,
  ) {}

  /** The same summary, computed one level deeper from the same answers: what it depends on is the deeper resolver's. */
  reusedWith(key: string, files: Set<string>, saturated: boolean, excluded: ReadonlySet<string>): StoredSummary {
    return new StoredSummary(this.file, key, this.hash, this.packed, files, saturated, excluded, this.asked);
  }

  /** The fields as plain data (structured-clonable: a worker thread hands it to the others, see SummaryStore.adopt). */
  toPlain(): PlainStoredSummary {
    return { file: this.file, key: this.key, hash: this.hash, packed: this.packed, files: [...this.files], saturated: this.saturated, excluded: [...this.excluded], ...(this.asked ? { asked: this.asked } : {}) };
  }

  static fromPlain(plain: PlainStoredSummary): StoredSummary {
    return new StoredSummary(plain.file, plain.key, plain.hash, Buffer.from(plain.packed.buffer, plain.packed.byteOffset, plain.packed.byteLength), new Set(plain.files), plain.saturated, new Set(plain.excluded), plain.asked);
  }

  get summary(): ModuleSummary {
    let parsed = recentlyRead.get(this);
    if (parsed) {
      recentlyRead.delete(this);
    } else {
      parsed = JSON.parse(inflateRawSync(this.packed).toString('utf8')) as ModuleSummary;
      if (recentlyRead.size >= RECENTLY_READ) recentlyRead.delete(recentlyRead.keys().next().value!);
    }
    recentlyRead.set(this, parsed);
    return parsed;
  }
}

/** A StoredSummary as plain data (what a worker thread posts). */
export interface PlainStoredSummary {
  file: string;
  key: string;
  hash: string;
  packed: Uint8Array;
  files: string[];
  saturated: boolean;
  excluded: string[];
  asked?: AskedNames;
}

/** The names a summary's computation asked its resolver about, in order, and a digest of the module's text and the answers. */
export interface AskedNames {
  names: string[];
  digest: string;
}

/** A tree kept for the next analyses of its file, with where its functions are (found once per tree). */
interface RecentTree {
  text: string;
  raw: Tree;
  spans?: FunctionSpans;
}

/** A module's outline (see outlineModule) and its hash: an importer that only looked names up depends on it alone. */
export interface StoredOutline {
  file: string;
  hash: string;
  outline: ModuleOutline;
}

/** One top-level function's summary at one depth, with what it was computed from (see SummaryStore.functionSummary). */
export class StoredFunction {
  constructor(
    readonly file: string,
    readonly name: string,
    /** The summary as JSON (what its hash is of, and what a worker thread posts). */
    readonly json: string,
    readonly hash: string,
    /** Every file this summary depends on: its own, and those of the outlines and summaries its analysis used, transitively. */
    readonly files: ReadonlySet<string>,
    /** Whether seeing deeper would change nothing (as StoredSummary.saturated, for what this function calls). */
    readonly saturated: boolean,
    /** Files the imports its analysis followed located but could not use: not among the files checked. */
    readonly excluded: ReadonlySet<string>,
    /** The names its analysis asked the resolver about and a digest of the module's text and the answers. */
    readonly asked?: AskedNames,
  ) {}

  private parsed?: FunctionSummaryData;

  get summary(): FunctionSummaryData {
    return (this.parsed ??= JSON.parse(this.json) as FunctionSummaryData);
  }

  /** The same summary, computed one level deeper from the same answers: what it depends on is the deeper resolver's. */
  reusedWith(files: ReadonlySet<string>, saturated: boolean, excluded: ReadonlySet<string>): StoredFunction {
    return new StoredFunction(this.file, this.name, this.json, this.hash, files, saturated, excluded, this.asked);
  }

  toPlain(): PlainStoredFunction {
    return { file: this.file, name: this.name, json: this.json, hash: this.hash, files: [...this.files], saturated: this.saturated, excluded: [...this.excluded], ...(this.asked ? { asked: this.asked } : {}) };
  }

  static fromPlain(plain: PlainStoredFunction): StoredFunction {
    return new StoredFunction(plain.file, plain.name, plain.json, plain.hash, new Set(plain.files), plain.saturated, new Set(plain.excluded), plain.asked);
  }
}

/** A StoredFunction as plain data (what a worker thread posts). */
export interface PlainStoredFunction {
  file: string;
  name: string;
  json: string;
  hash: string;
  files: string[];
  saturated: boolean;
  excluded: string[];
  asked?: AskedNames;
}

/** What one store computed, handed to the others (`check`'s worker threads): each would compute the same. */
export type SharedEntry =
  | { kind: 'summary'; file: string; depth: number; stored: PlainStoredSummary }
  | { kind: 'function'; file: string; depth: number; name: string; stored: PlainStoredFunction }
  | { kind: 'outline'; file: string; stored: StoredOutline | null };

/** The outline of a module from its tree, or null when it cannot be made. */
function outlineOf(file: string, tree: SyntaxTree): StoredOutline | null {
  try {
    const outline = outlineModule(tree);
    return { file, hash: summaryHash(JSON.stringify(outline)), outline };
  } catch {
    return null;
  }
}

/** What the summaries record of each function: whether its results pickle. */
const describeReturns: FunctionDescriber = (def, analysis, data) => {
  data.returns = returnVerdict(def, analysis);
};

/** The file system as it is on disk (stat and read results are not kept: files change under the CLI rarely, under the server often). */
export const DISK: FileSystemView = {
  isFile: (f) => {
    try {
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  },
  isDirectory: (d) => {
    try {
      return fs.statSync(d).isDirectory();
    } catch {
      return false;
    }
  },
  readText: (f) => {
    try {
      return fs.readFileSync(f).toString('utf8');
    } catch {
      return undefined;
    }
  },
};

export class SummaryStore {
  readonly roots: ImportRoots;
  /** Where names are written in each project (the loop rules ask whether anything calls a loop's function). */
  readonly callSites: CallSiteIndexes;
  private readonly stored = new Map<string, StoredSummary | null>();
  private readonly computing = new Set<string>();
  /** Outlines by file (null: unreadable, too large or not analysable). */
  private readonly outlines = new Map<string, StoredOutline | null>();
  /** Function summaries by depth, file and name (null: no such function, or its module cannot be analysed). */
  private readonly functions = new Map<string, StoredFunction | null>();
  /**
   * Trees parsed lately, by file (at most `treesKept`): an importer asks for a module's outline, then for a few of
   * its functions, each at every depth up to its own, each analysis on a copy of the same tree.
   */
  private readonly recentTrees = new Map<string, RecentTree>();

  /** `within`: the only files imports may resolve to (`check` resolves imports between the files it checks); absent, any. */
  private readonly within: Set<string> | null;

  constructor(
    private readonly parser: Parser,
    private readonly files: FileSystemView = DISK,
    within?: Iterable<string>,
    /** How many trees recentTrees holds. */
    private readonly treesKept = RECENT_TREES,
  ) {
    this.roots = new ImportRoots(files);
    this.callSites = new CallSiteIndexes({ readText: (f) => files.readText(f) });
    this.within = within ? new Set([...within].map((f) => path.resolve(f))) : null;
  }

  /**
   * Called with each outline and summary this store computes (not those it adopts): `check`'s worker threads hand
   * them to each other, since they are functions of the files alone and every worker would compute the same.
   */
  onComputed?: (entry: SharedEntry) => void;

  /** Takes what another store computed from the same files (kept only when this one has none yet). */
  adopt(entry: SharedEntry): void {
    if (entry.kind === 'outline') {
      if (!this.outlines.has(entry.file)) this.outlines.set(entry.file, entry.stored);
    } else if (entry.kind === 'function') {
      const id = `${entry.depth}\0${entry.file}\0${entry.name}`;
      if (!this.functions.has(id)) this.functions.set(id, StoredFunction.fromPlain(entry.stored));
    } else {
      const id = `${entry.depth}\0${entry.file}`;
      if (!this.stored.has(id) && !this.computing.has(id)) this.stored.set(id, StoredSummary.fromPlain(entry.stored));
    }
  }

  /** Whether imports may resolve to this file. */
  includes(file: string): boolean {
    return !this.within || this.within.has(file);
  }

  /** How many outlines and summaries are held (for tests and memory figures). */
  get size(): number {
    return this.stored.size + this.outlines.size + this.functions.size;
  }

  /** The text of `file` as analysed (CRLF as LF), or undefined when it cannot be read or is too large. */
  private textOf(file: string): string | undefined {
    const raw = this.files.readText(file);
    if (raw === undefined || raw.length > MAX_ANALYSED_CHARS) return undefined;
    return raw.replace(/\r\n/g, '\n');
  }

  /** The outline of `file`, or null when it cannot be read or parsed. */
  outline(file: string): StoredOutline | null {
    const known = this.outlines.get(file);
    if (known !== undefined) return known;
    const text = this.textOf(file);
    if (text === undefined) return this.keepOutline(file, null);
    const tree = this.treeOf(file, text);
    try {
      return this.keepOutline(file, outlineOf(file, tree));
    } finally {
      tree.delete();
    }
  }

  /**
   * The tree `file` is analysed on, parsed from its text as read for that analysis: its outline is taken from it,
   * for the files analysed later that import it (an outline is small; the tree is not kept).
   */
  noteTree(file: string, tree: SyntaxTree): void {
    const absolute = path.resolve(file);
    if (!this.outlines.has(absolute) && tree.text.length <= MAX_ANALYSED_CHARS) this.keepOutline(absolute, outlineOf(absolute, tree));
  }

  private keepOutline(file: string, stored: StoredOutline | null): StoredOutline | null {
    this.outlines.set(file, stored);
    this.onComputed?.({ kind: 'outline', file, stored });
    return stored;
  }

  /**
   * The summary of the top-level function `name` of `file` computed with imports seen `depth` modules deep (0: the
   * file alone): the entry summarizeModule gives it, with what it depends on being what its own analysis used.
   * Null when the file defines no such function or cannot be analysed.
   */
  functionSummary(file: string, depth: number, name: string): StoredFunction | null {
    const id = `${depth}\0${file}\0${name}`;
    const known = this.functions.get(id);
    if (known !== undefined) return known;
    // Unlike a whole module's (see summary), the summary one level less deep is not computed first: a function
    // called from a file is asked for at one depth, and those less deep are seldom needed. When it is known, it
    // can serve: saturated, it is the same at every depth.
    const shallower = depth > 0 ? this.functions.get(`${depth - 1}\0${file}\0${name}`) : undefined;
    if (shallower === null || shallower?.saturated) {
      this.functions.set(id, shallower);
      return shallower;
    }
    // cannot happen with depths decreasing; kept so that no future change can recurse forever
    if (this.computing.has(id)) return null;
    this.computing.add(id);
    try {
      const computed = this.computeFunction(file, depth, name, shallower);
      const result = computed?.stored ?? null;
      this.functions.set(id, result);
      if (result) this.onComputed?.({ kind: 'function', file, depth, name, stored: result.toPlain() });
      // its analysis met no module of the workspace: alone (depth 0), and at every depth between, it is the same
      if (computed?.alone) {
        for (let d = 0; d < depth; d++) {
          const lower = `${d}\0${file}\0${name}`;
          if (this.functions.has(lower)) continue;
          this.functions.set(lower, result);
          if (result) this.onComputed?.({ kind: 'function', file, depth: d, name, stored: result.toPlain() });
        }
      }
      return result;
    } finally {
      this.computing.delete(id);
    }
  }

  /** `alone`: what it asked the resolver about located no module of the workspace (the summary is then saturated). */
  private computeFunction(file: string, depth: number, name: string, shallower: StoredFunction | undefined): { stored: StoredFunction | null; alone: boolean } | null {
    const text = this.textOf(file);
    if (text === undefined) return null;
    // as for a whole module (see compute): the same answers to the same questions give the same summary
    if (shallower?.asked) {
      const again = this.resolverFor(file, depth);
      for (const asked of shallower.asked.names) again.resolve(asked);
      if (again.asked(text).digest === shallower.asked.digest) return { stored: shallower.reusedWith(new Set([file, ...again.files()]), again.saturated(), again.excludedFiles()), alone: false };
    }
    let resolver = this.resolverFor(file, depth);
    const tree = this.treeOf(file, text);
    const recent = this.recentTrees.get(file);
    let computed: { json: string } | null | undefined;
    try {
      const spans = recent ? (recent.spans ??= functionSpans(tree)) : undefined;
      const alone = summarizeFunctionJson(tree, name, depth > 0 ? resolver : resolver.prober(), describeReturns, spans);
      computed = alone;
      if (alone?.reentered) {
        // a cycle of calls in the module: the entry the whole module's summary would give, made in file order up to
        // this function (what follows it in the file is not summarised), with a resolver of its own
        resolver = this.resolverFor(file, depth);
        const json = summarizeFunctionInOrderJson(tree, name, depth > 0 ? resolver : resolver.prober(), describeReturns, spans);
        computed = json === null ? null : { json };
      }
    } catch {
      computed = undefined;
    } finally {
      tree.delete();
    }
    if (computed === null) return null;
    // a failure: the entry of the whole module's summary (null when that fails too)
    if (computed === undefined) return { stored: this.fromModule(file, depth, name), alone: false };
    const files = new Set([file, ...resolver.files()]);
    const stored = new StoredFunction(file, name, computed.json, summaryHash(computed.json), files, depth === 0 ? !resolver.located : resolver.saturated(), resolver.excludedFiles(), resolver.asked(text));
    return { stored, alone: !resolver.located };
  }

  /** A function's entry in the summary of its whole module, which then depends on all the module used. */
  private fromModule(file: string, depth: number, name: string): StoredFunction | null {
    const stored = this.summary(file, depth);
    if (!stored || !Object.hasOwn(stored.summary.functions, name)) return null;
    const json = JSON.stringify(stored.summary.functions[name]);
    return new StoredFunction(file, name, json, summaryHash(json), stored.files, stored.saturated, stored.excluded);
  }

  /** The summary of `file` computed with imports seen `depth` modules deep (0: the file alone), or null when it cannot be read or parsed. */
  summary(file: string, depth: number): StoredSummary | null {
    const id = `${depth}\0${file}`;
    if (this.stored.has(id)) return this.stored.get(id)!;
    if (depth > 0) {
      // a module whose summary one level less deep is saturated has the same summary at every depth
      const shallower = this.summary(file, depth - 1);
      if (!shallower || shallower.saturated) {
        this.stored.set(id, shallower);
        return shallower;
      }
    }
    // cannot happen with depths decreasing; kept so that no future change can recurse forever
    if (this.computing.has(id)) return null;
    this.computing.add(id);
    try {
      const result = this.compute(file, depth);
      this.stored.set(id, result);
      if (result) this.onComputed?.({ kind: 'summary', file, depth, stored: result.toPlain() });
      return result;
    } finally {
      this.computing.delete(id);
    }
  }

  private compute(file: string, depth: number): StoredSummary | null {
    const text = this.textOf(file);
    if (text === undefined) return null;
    // The summary one level less deep was computed from the same text by the same analysis, which depends on the
    // resolver only through its answers: when every name it asked about gets the same answer one level deeper,
    // this summary is that one (the analysis asks the same questions in the same order), with what it depends on
    // being the deeper resolver's. Asking costs little: the summaries the answers come from are needed anyway.
    const shallower = depth > 0 ? this.stored.get(`${depth - 1}\0${file}`) : undefined;
    if (shallower?.asked) {
      const again = this.resolverFor(file, depth);
      for (const name of shallower.asked.names) again.resolve(name);
      if (again.asked(text).digest === shallower.asked.digest) return shallower.reusedWith(this.keyOf(text, depth, again), new Set([file, ...again.files()]), again.saturated(), again.excludedFiles());
    }
    // alone (depth 0), imports are only located: whether it calls into the workspace at all decides saturation
    const resolver = this.resolverFor(file, depth);
    let json: string;
    const tree = this.treeOf(file, text);
    try {
      json = summarizeModuleJson(tree, depth > 0 ? resolver : resolver.prober(), describeReturns);
    } catch {
      return null;
    } finally {
      tree.delete();
    }
    const files = new Set([file, ...resolver.files()]);
    return new StoredSummary(file, this.keyOf(text, depth, resolver), summaryHash(json), deflateRawSync(json), files, depth === 0 ? !resolver.located : resolver.saturated(), resolver.excludedFiles(), resolver.asked(text));
  }

  /** The tree of `text` (a copy of the one parsed lately when the text is the same). */
  private treeOf(file: string, text: string): SyntaxTree {
    const recent = this.recentTrees.get(file);
    this.recentTrees.delete(file);
    if (recent && recent.text === text) {
      this.recentTrees.set(file, recent);
      return new SyntaxTree(recent.raw.copy(), text);
    }
    recent?.raw.delete();
    const raw = parseText(this.parser, text);
    if (this.recentTrees.size >= this.treesKept) {
      const [oldest, entry] = this.recentTrees.entries().next().value!;
      entry.raw.delete();
      this.recentTrees.delete(oldest);
    }
    this.recentTrees.set(file, { text, raw: raw.copy() });
    return new SyntaxTree(raw, text);
  }

  /** A copy of the tree of `file` kept from lately, when it is of `text` (the caller deletes it). */
  keptTree(file: string, text: string): SyntaxTree | undefined {
    const recent = this.recentTrees.get(path.resolve(file));
    return recent && recent.text === text ? new SyntaxTree(recent.raw.copy(), text) : undefined;
  }

  private freeTrees(): void {
    for (const { raw } of this.recentTrees.values()) raw.delete();
    this.recentTrees.clear();
  }

  private keyOf(text: string, depth: number, resolver: WorkspaceResolver): string {
    const used = resolver.dependencies();
    return createHash('sha256')
      .update(`${TOOL_VERSION}\0${depth}\0${text}\0${used.map((d) => `${d.path}=${d.summaryHash}`).join(',')}`)
      .digest('hex')
      .slice(0, 24);
  }

  /**
   * What a stored result of the file analysed with `resolver` depends on besides its own text, for the result
   * cache: the bytes of every file whose summary it used, transitively (their hashes: summaries are a pure
   * function of those texts, the tool and the files checked), and, as `ABSENT`, the modules its imports located
   * that were not among the files checked (checking them too would resolve those imports).
   */
  cacheDependencies(resolver: WorkspaceResolver): Dependency[] {
    const deps: Dependency[] = [];
    for (const f of resolver.files()) {
      if (f === resolver.file) continue;
      const hash = this.contentHash(f);
      // unreadable now: a dependency no later run can match
      deps.push({ path: f, summaryHash: hash ?? 'unreadable' });
    }
    for (const f of resolver.excludedFiles()) deps.push({ path: f, summaryHash: ABSENT });
    const reachRoot = resolver.reachRoot();
    if (reachRoot !== undefined) deps.push({ path: REACH_PREFIX + reachRoot, summaryHash: this.digestOf(reachRoot) });
    return deps.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Project digests for cacheDependencies, made again when a file changes. */
  private digestOf = projectDigests();

  /** Content hashes read for cacheDependencies, for the life of the store (one `check` run). */
  private readonly contentHashes = new Map<string, string | null>();

  private contentHash(file: string): string | null {
    let hash = this.contentHashes.get(file);
    if (hash === undefined) {
      try {
        hash = hashBytes(fs.readFileSync(file));
      } catch {
        hash = null;
      }
      this.contentHashes.set(file, hash);
    }
    return hash;
  }

  /**
   * The resolver handed to the analysis of `file`: its imports resolved to workspace modules, whose summaries
   * are computed one level less deep. A new one per analysis: it records what that analysis used.
   */
  resolverFor(file: string, depth = SUMMARY_DEPTH): WorkspaceResolver {
    return new WorkspaceResolver(this, path.resolve(file), depth);
  }

  /**
   * Forgets the summaries of `file` and every summary computed from it (its text changed, or it was created or
   * deleted); returns the files whose summaries were dropped.
   */
  invalidate(file: string): string[] {
    const dropped = new Set<string>();
    const target = path.resolve(file);
    for (const [id, entry] of this.stored) {
      const own = id.slice(id.indexOf('\0') + 1);
      if (own === target || entry?.files.has(target)) {
        this.stored.delete(id);
        dropped.add(own);
      }
    }
    for (const [id, entry] of this.functions) {
      const own = id.split('\0')[1];
      if (own === target || entry?.files.has(target)) {
        this.functions.delete(id);
        dropped.add(own);
      }
    }
    if (this.outlines.delete(target)) dropped.add(target);
    this.roots.forget(target);
    this.callSites.changed(target);
    this.digestOf = projectDigests();
    const tree = this.recentTrees.get(target);
    if (tree) {
      tree.raw.delete();
      this.recentTrees.delete(target);
    }
    return [...dropped];
  }

  /** Forgets everything (a pyproject.toml changed: import roots may have moved). */
  clear(): void {
    this.stored.clear();
    this.functions.clear();
    this.outlines.clear();
    this.freeTrees();
    this.roots.clear();
    this.callSites.clear();
    this.digestOf = projectDigests();
  }
}

/** A function summary a resolver handed, as it was then. */
interface HandedFunction {
  file: string;
  name: string;
  depth: number;
  stored: StoredFunction;
}

/** How an answer of `storesTo` is keyed among the call-site answers (a name cannot hold a NUL). */
const STORES = '\0stores:';
/** How an answer of `definersOf` is keyed among them. */
const DEFINERS = '\0definers:';

/** `shared.pv` as `["shared", "pv"]`. */
function splitStored(key: string): [string, string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** Resolves names imported by one file through the workspace's summaries, recording which it used. */
export class WorkspaceResolver implements ImportResolver {
  /** The outlines it looked names up in, by file, with their hashes. */
  private readonly outlinesRead = new Map<string, string>();
  /** The function summaries it handed, by file and name. */
  private readonly handed = new Map<string, HandedFunction>();
  /** Whether a name it was asked for is in a module of the workspace (other than its own file). */
  located = false;
  /** Module summaries it read a method's summary from, by file. */
  private readonly summariesRead = new Map<string, { depth: number; stored: StoredSummary }>();
  /** The names the analysis asked the call sites of, with the answers (JSON). */
  private sitesAsked: { root: string; answers: Map<string, string> } | undefined;
  /** Modules its imports located that are not among the files checked (`check` resolves between those only). */
  private readonly excluded = new Set<string>();
  private readonly answers = new Map<string, ImportedSymbol | undefined>();
  /** Each name asked about, once, in order, with its answer as JSON. */
  private readonly askedNames: string[] = [];
  private readonly askedAnswers: string[] = [];

  constructor(
    private readonly store: SummaryStore,
    readonly file: string,
    /** The depth of the analysis it serves: the summaries it hands are one less deep. */
    readonly depth: number,
  ) {}

  resolve(qualified: string): ImportedSymbol | undefined {
    if (this.answers.has(qualified)) return this.answers.get(qualified);
    const located = this.store.roots.locate(qualified, this.file);
    if (located && located.file !== this.file && !this.store.includes(located.file)) this.excluded.add(located.file);
    const inWorkspace = !!located && located.file !== this.file && this.store.includes(located.file);
    if (inWorkspace) this.located = true;
    const answer = inWorkspace ? this.symbolIn(located.file, located.rest, located.root, 0) : undefined;
    this.answers.set(qualified, answer);
    this.record(qualified, answer);
    return answer;
  }

  private record(qualified: string, answer: ImportedSymbol | undefined): void {
    this.askedNames.push(qualified);
    this.askedAnswers.push(answer === undefined ? '' : JSON.stringify(answer));
  }

  /** The names asked about so far and a digest of `text` (the module's) with their answers. */
  asked(text: string): AskedNames {
    const hash = createHash('sha256').update(text);
    for (let i = 0; i < this.askedNames.length; i++) hash.update(`\0${this.askedNames[i]}\0${this.askedAnswers[i]}`);
    return { names: [...this.askedNames], digest: hash.digest('hex').slice(0, 24) };
  }

  /** Looks `rest` up in a module's outline, following re-exports (`from .features import fib` in `__init__.py`); a function is then summarised. */
  private symbolIn(file: string, rest: string[], root: string, hops: number): ImportedSymbol | undefined {
    if (rest.length === 0 || hops > 8) return undefined;
    const read = this.store.outline(file);
    if (!read) return undefined;
    this.outlinesRead.set(file, read.hash);
    const [name, ...more] = rest;
    const { functions, classes, reexports, globalsRebound } = read.outline;
    const where = (line: number) => `${path.relative(root, file).split(path.sep).join('/')}:${line}`;
    if (more.length === 0 && Object.hasOwn(functions, name)) {
      const stored = this.store.functionSummary(file, this.depth - 1, name);
      if (!stored) return undefined;
      this.handed.set(`${file}\0${name}`, { file, name, depth: this.depth - 1, stored });
      const summary = stored.summary;
      const rebound = summary.globalsRead.filter((g) => globalsRebound.includes(g));
      return { kind: 'function', name, summary, where: where(summary.line), ...(stored.files.has(this.file) ? { cyclic: true } : {}), ...(rebound.length > 0 ? { rebound } : {}) };
    }
    if (more.length === 0 && Object.hasOwn(classes, name)) {
      const owns = read.outline.owners?.[name];
      return { kind: 'class', name, where: where(classes[name]), ...(owns ? { owns } : {}) };
    }
    // `Client.fetch` of a workspace class (an instance's method, called on an object of it): its method's summary,
    // with the receiver's parameter taken off (the call does not pass it); a method changing `self` says so
    if (more.length === 1 && Object.hasOwn(classes, name) && !more[0].startsWith('__')) {
      // the module's own view (depth 0: its imports not followed): a whole module summarised deeper for one method
      // cost a quarter more time on a large workspace
      const stored = this.depth > 0 ? this.store.summary(file, 0) : null;
      const data = stored?.summary.classes[name]?.methods[more[0]];
      if (!stored || !data || !['self', 'cls'].includes(data.params[0] ?? '')) return undefined;
      this.summariesRead.set(file, { depth: 0, stored });
      const self = data.params[0];
      const summary = { ...data, params: data.params.slice(1), mutatedParams: data.mutatedParams.filter((p) => p !== self) };
      return { kind: 'function', name: `${name}.${more[0]}`, summary, where: where(data.line), ...(data.mutatedParams.includes(self) ? { mutatesReceiver: true } : {}), ...(stored.files.has(this.file) ? { cyclic: true } : {}) };
    }
    const constants = read.outline.constants;
    if (more.length === 0 && constants && Object.hasOwn(constants, name)) {
      const [size, line, entry] = constants[name];
      return { kind: 'constant', name, size, where: where(line), ...(entry !== undefined ? { entry } : {}) };
    }
    if (Object.hasOwn(reexports, name)) {
      const next = this.store.roots.locate([reexports[name], ...more].join('.'), file);
      if (next && !this.store.includes(next.file)) this.excluded.add(next.file);
      if (next && this.store.includes(next.file) && !(next.file === file && next.rest.join('.') === rest.join('.'))) return this.symbolIn(next.file, next.rest, next.root, hops + 1);
    }
    return undefined;
  }

  /**
   * What importing a workspace module runs beyond it: the libraries it imports at its top, and those of the workspace
   * modules it imports in turn and of the packages (`__init__.py`) on their way, as each spells them (`pandas`,
   * `matplotlib.pyplot`). A spawned worker that unpickles a function of the main module imports all of them again.
   */
  librariesImported(qualified: string): string[] {
    const out = new Set<string>();
    const seen = new Set<string>([this.file]);
    const visit = (name: string, from: string, hops: number): void => {
      const located = this.store.roots.locate(name, from);
      if (!located) {
        if (hops > 0 && !name.startsWith('.')) out.add(name);
        return;
      }
      if (hops > 4) return;
      const dirs = path.relative(located.root, path.dirname(located.file)).split(path.sep).filter((d) => d && d !== '..');
      const inits = dirs.map((_, i) => this.store.roots.locate(dirs.slice(0, i + 1).join('.'), from)).filter((m) => m && m.rest.length === 0).map((m) => m!.file);
      for (const file of [...inits, located.file]) {
        if (seen.has(file) || !this.store.includes(file)) continue;
        seen.add(file);
        const read = this.store.outline(file);
        if (!read) continue;
        this.outlinesRead.set(file, read.hash);
        for (const origin of Object.values(read.outline.reexports)) visit(origin, file, hops + 1);
      }
    };
    visit(qualified, this.file, 0);
    return [...out];
  }

  /** A resolver that answers nothing but notes whether a name would have led into the workspace (for depth 0). */
  prober(): ImportResolver {
    return {
      resolve: (qualified) => {
        if (!this.answers.has(qualified)) {
          this.answers.set(qualified, undefined);
          this.record(qualified, undefined);
        }
        if (!this.located) {
          const found = this.store.roots.locate(qualified, this.file);
          if (found && found.file !== this.file && !this.store.includes(found.file)) this.excluded.add(found.file);
          this.located = !!found && found.file !== this.file && this.store.includes(found.file);
        }
        return undefined;
      },
      dependencies: () => [],
    };
  }

  /** Whether every function summary it handed is saturated (outlines are the same at every depth). */
  saturated(): boolean {
    return [...this.handed.values()].every((u) => u.stored.saturated) && [...this.summariesRead.values()].every((u) => u.stored.saturated);
  }

  /** Per module it used, a hash of the outline and the function summaries it used of it. */
  dependencies(): SummaryDependency[] {
    const parts = new Map<string, string[]>();
    for (const [file, hash] of this.outlinesRead) parts.set(file, [`outline=${hash}`]);
    for (const u of this.handed.values()) parts.get(u.file)!.push(`${u.name}=${u.stored.hash}`);
    for (const [file, u] of this.summariesRead) parts.get(file)?.push(`summary=${u.stored.hash}`);
    return [...parts]
      .map(([p, used]) => ({ path: p, summaryHash: summaryHash(used.sort().join(',')) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The modules its imports, or those of the summaries it handed, located but could not use (not among the files checked). */
  excludedFiles(): Set<string> {
    const all = new Set(this.excluded);
    for (const u of this.handed.values()) for (const f of u.stored.excluded) all.add(f);
    for (const u of this.summariesRead.values()) for (const f of u.stored.excluded) all.add(f);
    return all;
  }

  /** Every file the outlines and summaries it used depend on, transitively. */
  files(): Set<string> {
    const all = new Set(this.outlinesRead.keys());
    for (const u of this.handed.values()) for (const f of u.stored.files) all.add(f);
    for (const u of this.summariesRead.values()) for (const f of u.stored.files) all.add(f);
    return all;
  }

  /** The project's call sites, as asked by the analysis: each answer is recorded (see isStale, reachRoot). */
  callSites(): CallSiteIndex | undefined {
    const index = this.store.callSites.forFile(this.file);
    if (!index) return undefined;
    // asked again in one analysis (the reach of its loops, then attributes a worker reads): one record of answers
    if (this.sitesAsked?.root !== index.root) this.sitesAsked = { root: index.root, answers: new Map() };
    const answers = this.sitesAsked.answers;
    return {
      ...index,
      sitesOf: (name) => {
        const answer = index.sitesOf(name);
        answers.set(name, JSON.stringify(answer));
        return answer;
      },
      storesTo: (object, attribute) => {
        const answer = index.storesTo?.(object, attribute) ?? null;
        answers.set(`${STORES}${object}.${attribute}`, JSON.stringify(answer));
        return answer;
      },
      definersOf: (name) => {
        const answer = index.definersOf?.(name) ?? null;
        answers.set(`${DEFINERS}${name}`, JSON.stringify(answer));
        return answer;
      },
    };
  }

  soleMethod(name: string): (ImportedSymbol & { kind: 'function' }) | undefined {
    const definers = this.callSites()?.definersOf?.(name);
    if (!definers || definers.length !== 1) return undefined;
    const [only] = definers;
    if (only.file === this.file || !this.store.includes(only.file)) return undefined;
    const root = this.store.callSites.forFile(this.file)?.root ?? path.dirname(only.file);
    const symbol = this.symbolIn(only.file, [only.className, name], root, 0);
    return symbol?.kind === 'function' ? symbol : undefined;
  }

  /** The project whose call sites the analysis asked about, if it did. */
  reachRoot(): string | undefined {
    return this.sitesAsked && this.sitesAsked.answers.size > 0 ? this.sitesAsked.root : undefined;
  }

  /** Whether an outline or summary it used has changed since (its file, or one it depends on, was edited). */
  isStale(): boolean {
    if (this.sitesAsked && this.sitesAsked.answers.size > 0) {
      const index = this.store.callSites.forFile(this.file);
      for (const [name, answer] of this.sitesAsked.answers) {
        const now = !index ? null : name.startsWith(STORES) ? (index.storesTo?.(...splitStored(name.slice(STORES.length))) ?? null) : name.startsWith(DEFINERS) ? (index.definersOf?.(name.slice(DEFINERS.length)) ?? null) : index.sitesOf(name);
        if (JSON.stringify(now) !== answer) return true;
      }
    }
    for (const [file, hash] of this.outlinesRead) if (this.store.outline(file)?.hash !== hash) return true;
    for (const u of this.handed.values()) if (this.store.functionSummary(u.file, u.depth, u.name)?.hash !== u.stored.hash) return true;
    for (const [file, u] of this.summariesRead) if (this.store.summary(file, u.depth)?.hash !== u.stored.hash) return true;
    return false;
  }
}
