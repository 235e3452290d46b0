// `check` over many files: each file read, size-checked and linted by one step (checkFile), either on this
// thread or spread over worker threads (checkWorker.ts, one parser each). Outcomes come back in input order,
// so the output is the same text whatever the number of threads.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type AppliedFix, fixAll, type FixAllOptions, type HeldBackFinding } from './fixAll';
import { confirmedFinding, type LintConfig, lint, type LintResult, MAX_ANALYSED_CHARS } from './linter';
import { type LoopTally, tallyLoops } from './loopStatistics';
import { createParser, type Parser, parseSyntax, type SyntaxTree } from './parser';
import { plainFinding, type PlainFinding } from './report';
import { type Dependency, hashBytes, statSignature } from './workspace/resultCache';
import { CHECK_RECENT_TREES, type SharedEntry, SummaryStore } from './workspace/summaryStore';

/** The config of one file with the summaries of the workspace modules it imports (from `store`). */
export function withWorkspace(config: LintConfig, file: string, store: SummaryStore | undefined): LintConfig {
  return store ? { ...config, workspace: store.resolverFor(file) } : config;
}

/**
 * For the result cache: `hash` and `stat` of the bytes analysed, and `dependencies`, what else the findings
 * depend on (SummaryStore.cacheDependencies: the texts of the workspace files whose summaries the analysis used,
 * transitively, and the modules it located among files not checked); a stored result is valid while its text
 * and these are unchanged.
 */
export type FileOutcome =
  | { ok: true; findings: PlainFinding[]; hash?: string; stat?: string; dependencies?: Dependency[]; loops?: LoopTally; unchecked?: string }
  | { ok: false; error: string };

/** One file for a worker: its position in the input (results are put back in order) and its config. */
export interface CheckJob {
  index: number;
  file: string;
  config: LintConfig;
  /** Count the loops and why they are not reported (`check --why-not`). */
  tally?: boolean;
}

/** What each worker is started with: the files checked (imports resolve between them). */
export interface CheckWorkerData {
  files: string[];
}

export interface CheckReply {
  index: number;
  outcome: FileOutcome;
}

/** An outline or summary one worker computed, passed on to the others (each would compute the same). */
export type SharedSummary = SharedEntry;

/** Below this much source in all, worker start-up (≈ 50–100 ms each) costs more than it saves. */
const PARALLEL_MIN_BYTES = 512 * 1024;
/** Files sent ahead to each worker, so it never waits for the main thread between two files. */
const IN_FLIGHT_PER_WORKER = 2;
/** Where the worker script sits: next to this module (out/server/src/) or next to the bundle (dist/). */
const WORKER_SCRIPT = path.join(__dirname, 'checkWorker.js');

/** The text of a source file (bytes decoded as UTF-8, as Python does by default). */
export function readSource(file: string): string {
  return fs.readFileSync(file).toString('utf8');
}

/** How a file's analysis shares trees with the summaries of the workspace (see SummaryStore.keptTree, noteTree). */
export interface TreeSharing {
  /** A tree of `text` kept from lately, if any (the caller deletes it). */
  kept(text: string): SyntaxTree | undefined;
  /** The tree the file is analysed on. */
  parsed(tree: SyntaxTree): void;
}

/**
 * Analyses CRLF-free text (on a tree `trees` kept, when it has one); the tree is freed before returning. A fix the analysis calls safe is rewritten
 * here to confirm it: what only the rewrite can see (a `__main__` guard taking in module-level assignments)
 * makes it unsafe, as the editor's code action and `fix` then say, and a rewrite that cannot be made is not listed.
 */
export function lintSource(parser: Parser, raw: string, config: LintConfig, onResult?: (result: LintResult) => void, trees?: TreeSharing): PlainFinding[] {
  const text = raw.replace(/\r\n/g, '\n');
  const tree = trees?.kept(text) ?? parseSyntax(parser, text);
  try {
    trees?.parsed(tree);
    const result = lint(tree, text, config);
    onResult?.(result);
    return result.findings.map((finding) => plainFinding(confirmedFinding(finding, text, parser, result.analysis, tree)));
  } finally {
    tree.delete();
  }
}

/** A file's text, or why it is not analysed (unreadable, too large) as an error line naming the file. */
function readAnalysable(file: string): { ok: true; raw: string; hash: string; stat?: string } | { ok: false; error: string } {
  let raw: string;
  let hash: string;
  let stat: string | undefined;
  try {
    // the signature before the bytes: a change while reading moves it, so the cache reads the file again next time
    const fd = fs.openSync(file, 'r');
    try {
      stat = statSignature(fs.fstatSync(fd));
      const bytes = fs.readFileSync(fd);
      hash = hashBytes(bytes);
      raw = bytes.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: `${file}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}` };
  }
  if (raw.length > MAX_ANALYSED_CHARS) {
    return { ok: false, error: `${file}: not analysed: ${(raw.length / 1e6).toFixed(1)} MB is over the ${MAX_ANALYSED_CHARS / 1e6} MB limit` };
  }
  return { ok: true, raw, hash, ...(stat !== undefined ? { stat } : {}) };
}

/**
 * Reads and lints one file, its imports of other workspace modules resolved through `store`; every failure
 * becomes an error line naming the file (never throws).
 */
export function checkFile(parser: Parser, file: string, config: LintConfig, store?: SummaryStore, tally = false): FileOutcome {
  const read = readAnalysable(file);
  if (!read.ok) return read;
  const raw = read.raw;
  try {
    const resolver = store?.resolverFor(file);
    const own = resolver ? { ...config, workspace: resolver } : config;
    let loops: LoopTally | undefined;
    let unchecked: string | undefined;
    // a module other files import may have been parsed for their analyses lately, or be imported by files analysed later
    const trees: TreeSharing | undefined = store && { kept: (text) => store.keptTree(file, text), parsed: (tree) => store.noteTree(file, tree) };
    const findings = lintSource(parser, raw, own, (result) => {
      unchecked = result.unchecked;
      if (tally) loops = tallyLoops(result);
    }, trees);
    return {
      ok: true,
      findings,
      ...(unchecked !== undefined ? { unchecked } : {}),
      hash: read.hash,
      ...(read.stat !== undefined ? { stat: read.stat } : {}),
      dependencies: resolver ? store!.cacheDependencies(resolver) : [],
      ...(loops ? { loops } : {}),
    };
  } catch (e) {
    // (PARALLELIZE_TRACE=1 shows where: a report of an internal error needs the stack)
    return { ok: false, error: `${file}: internal error: ${process.env.PARALLELIZE_TRACE ? ((e as Error).stack ?? e) : (e as Error).message}` };
  }
}

/** One text after `check --fix`: the fixes applied, the new text and the findings left in it. */
export interface FixedSource {
  original: string;
  fixed: string;
  applied: AppliedFix[];
  findings: PlainFinding[];
  /** Findings left because their code already runs in a pool. */
  heldBack: HeldBackFinding[];
  /** Why no fix was tried (a syntax error), for a warning. */
  skipped?: string;
}

export type FixOutcome = ({ ok: true } & FixedSource) | { ok: false; error: string };

/** Applies every allowed fix of one text (see fixAll) and lints the result; `name` only labels errors. */
export function fixSource(parser: Parser, name: string, raw: string, config: LintConfig, options: FixAllOptions): FixOutcome {
  try {
    const outcome = fixAll(raw, parser, config, options);
    if (!outcome.ok) return { ok: false, error: `${name}: ${outcome.reason}` };
    return { ok: true, original: raw, fixed: outcome.text, applied: outcome.applied, heldBack: outcome.heldBack, skipped: outcome.skipped, findings: lintSource(parser, outcome.text, config) };
  } catch (e) {
    return { ok: false, error: `${name}: internal error: ${(e as Error).message}` };
  }
}

/** Reads one file and fixes it as fixSource does (the caller writes the result, or shows its diff). */
export function fixFile(parser: Parser, file: string, config: LintConfig, options: FixAllOptions, store?: SummaryStore): FixOutcome {
  const read = readAnalysable(file);
  if (!read.ok) return read;
  return fixSource(parser, file, read.raw, withWorkspace(config, file, store), options);
}

/** Whether `check --fix` with these options applies one of the finding's fixes. */
export function offersAllowedFix(finding: PlainFinding, options: FixAllOptions): boolean {
  return finding.fixes.some((x) => x.applicability === 'safe' || (options.unsafe && x.applicability === 'unsafe'));
}

/**
 * `check --fix` after `check`: each checked file with a finding whose fix is allowed is fixed (on this thread, one
 * file at a time); entry `i` is that of `files[i]`, null when there was nothing to fix.
 */
export async function fixCheckedFiles(files: string[], outcomes: FileOutcome[], configOf: (file: string) => LintConfig, options: FixAllOptions): Promise<Array<FixOutcome | null>> {
  const fixes = new Array<FixOutcome | null>(files.length).fill(null);
  const toFix = files.map((_, i) => i).filter((i) => outcomes[i].ok && (outcomes[i] as { findings: PlainFinding[] }).findings.some((f) => offersAllowedFix(f, options)));
  if (toFix.length === 0) return fixes;
  const parser = await createParser();
  const store = new SummaryStore(parser, undefined, files, CHECK_RECENT_TREES);
  try {
    // summaries are of the files as checked (the fixed texts are written after)
    for (const i of toFix) fixes[i] = fixFile(parser, files[i], configOf(files[i]), options, store);
  } finally {
    parser.delete();
  }
  return fixes;
}

/**
 * How many threads to use: `requested` (from --jobs) when given, else one per core (at most one per file),
 * and this thread alone when the input is too small to repay starting workers.
 */
export function chooseJobs(files: string[], requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, files.length));
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += fs.statSync(file).size;
    } catch {
      // reported when the file is read
    }
    if (bytes >= PARALLEL_MIN_BYTES) return Math.max(1, Math.min(os.availableParallelism(), files.length));
  }
  return 1;
}

/** Called once per file checked, in the order they finish (for a progress line). */
export type OnFileChecked = () => void;

/** Checks `files` on `jobs` threads (1: this one); outcome `i` is that of `files[i]`. */
export async function checkFiles(files: string[], configOf: (file: string) => LintConfig, jobs: number, onChecked: OnFileChecked = () => {}, tally = false): Promise<FileOutcome[]> {
  if (jobs > 1 && files.length > 1 && fs.existsSync(WORKER_SCRIPT)) return checkOnWorkers(files, configOf, Math.min(jobs, files.length), onChecked, tally);
  return checkHere(files, configOf, files.map((_, i) => i), new Array<FileOutcome>(files.length), onChecked, tally);
}

/** What `check` asks of the analysis: `files` checked, outcome `i` that of `files[i]` (see analyseFiles). */
export type AnalyseFiles = (files: string[], configOf: (file: string) => LintConfig, options: { jobs?: number; onChecked?: OnFileChecked; tally?: boolean }) => Promise<FileOutcome[]>;

/** Checks `files` on as many threads as chooseJobs picks for them (`jobs`: --jobs, when given). */
export const analyseFiles: AnalyseFiles = (files, configOf, { jobs, onChecked, tally } = {}) => checkFiles(files, configOf, chooseJobs(files, jobs), onChecked, tally);

async function checkHere(files: string[], configOf: (file: string) => LintConfig, indices: number[], outcomes: FileOutcome[], onChecked: OnFileChecked, tally = false): Promise<FileOutcome[]> {
  if (indices.length === 0) return outcomes;
  const parser = await createParser();
  // imports resolve between the files checked
  const store = new SummaryStore(parser, undefined, files, CHECK_RECENT_TREES);
  try {
    for (const i of indices) {
      outcomes[i] = checkFile(parser, files[i], configOf(files[i]), store, tally);
      onChecked();
    }
  } finally {
    parser.delete();
  }
  return outcomes;
}

/**
 * Largest files first (the last file to finish bounds the wall time), handed out as workers answer. A worker
 * that dies leaves its unfinished files to this thread, so every file still gets exactly one outcome.
 */
function checkOnWorkers(files: string[], configOf: (file: string) => LintConfig, jobs: number, onChecked: OnFileChecked, tally: boolean): Promise<FileOutcome[]> {
  const sizes = files.map((file) => {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  });
  const queue = files.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const outcomes = new Array<FileOutcome>(files.length);
  const orphans: number[] = [];
  let pending = files.length;
  let alive = jobs;
  let finished = false;
  return new Promise<FileOutcome[]>((resolve, reject) => {
    const finish = () => {
      if (finished || pending > orphans.length) return;
      finished = true;
      for (const w of workers) void w.terminate();
      checkHere(files, configOf, orphans.sort((a, b) => a - b), outcomes, onChecked, tally).then(resolve, reject);
    };
    const workers = Array.from({ length: jobs }, () => {
      const worker = new Worker(WORKER_SCRIPT, { workerData: { files } satisfies CheckWorkerData });
      const inFlight = new Set<number>();
      const feed = () => {
        while (inFlight.size < IN_FLIGHT_PER_WORKER && queue.length > 0) {
          const index = queue.shift()!;
          inFlight.add(index);
          worker.postMessage({ index, file: files[index], config: configOf(files[index]), tally } satisfies CheckJob);
        }
      };
      let dead = false;
      const lost = () => {
        if (dead) return;
        dead = true;
        alive--;
        orphans.push(...inFlight);
        inFlight.clear();
        if (alive === 0) orphans.push(...queue.splice(0));
        finish();
      };
      worker.on('message', (message: CheckReply | SharedSummary) => {
        if ('stored' in message) {
          for (const other of workers) if (other !== worker) other.postMessage(message);
          return;
        }
        const { index, outcome } = message;
        inFlight.delete(index);
        outcomes[index] = outcome;
        pending--;
        onChecked();
        feed();
        finish();
      });
      worker.on('error', lost);
      worker.on('exit', lost);
      feed();
      return worker;
    });
  });
}
