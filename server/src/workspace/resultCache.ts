// `check`'s result cache, as Ruff's `.ruff_cache`: per file, the findings of its last analysis, reused while
// nothing that decides them has changed. A file's entry is valid only for the same
//   - tool (version and the build's own bytes, so a rebuilt analysis never serves an older one's findings),
//   - options (the whole per-file configuration: select/ignore, min-iterations, min-speedup, cores, target…),
//   - text (a hash of the file's bytes), and
//   - module summaries of the other workspace files the analysis used (`dependencies`: each one's summary hash
//     then, compared with its current one; a file whose callee module changed is analysed again).
// The cache lives in `.parallelize_cache/` next to pyproject.toml (else at the common root of the checked
// paths), or in PARALLELIZE_CACHE_DIR; it holds its own `.gitignore` (`*`). One JSON file per tool build and
// project configuration. Anything unreadable, truncated or foreign in it is ignored and rewritten: the cache
// can only make a run faster, never change or break it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LintConfig } from '../linter';
import type { PlainFinding } from '../report';
import { TOOL_VERSION } from '../report';

export const CACHE_DIR_NAME = '.parallelize_cache';
const FORMAT = 'python-parallelize-results/1';
/** Entries not seen for this long are dropped when the cache is written (files deleted or moved away). */
const UNSEEN_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * Another file a stored result depends on, as it was then (SummaryStore.cacheDependencies): `summaryHash` is the
 * hash of the text of a workspace file whose summary the analysis used, or ABSENT for a module its imports
 * located among files not checked.
 */
export interface Dependency {
  path: string;
  summaryHash: string;
}

/** A dependency on a module that was located but not among the files checked. */
export const ABSENT = 'absent';

/** What a file's analysis produced, as stored. */
export interface CachedResult {
  findings: PlainFinding[];
  /** The other files the analysis depended on (empty while files are analysed alone). */
  dependencies: Dependency[];
  /** Why the file's loops were not checked (a syntax error, Python 2 code), when they were not. */
  unchecked?: string;
}

interface Entry extends CachedResult {
  /** Hash of the file's bytes. */
  hash: string;
  /**
   * The file's inode, size, modification and change times when it was read (see statSignature): while they are
   * the same, the file is not read again to hash it, as git trusts its index. Absent when the file had changed
   * too recently for its times to tell a later change apart.
   */
  stat?: string;
  /** Hash of the file's configuration. */
  config: string;
  /** When a run last found the entry valid or wrote it (ms since the epoch). */
  seen: number;
}

interface CacheFile {
  format: string;
  tool: string;
  entries: Record<string, Entry>;
}

/** What a dependency is now (compared with Dependency.summaryHash), undefined when it cannot be told (the entry is then not reused). */
export type SummaryHashOf = (file: string) => string | undefined;

export function hashBytes(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/**
 * Set by the build (esbuild.mjs) in the CLI's front bundle: a hash of the bundles that analyse (the CLI's
 * analysis and its worker threads), which the front does not contain.
 */
declare const ANALYSIS_BUILD: string | undefined;

let buildHash: string | undefined;
/**
 * The tool's identity: its version and a hash of the analysis code (the bundles that compute findings, when
 * bundled; else this module's file), so a development build whose analysis changed does not read findings its
 * predecessor wrote under the same version.
 */
export function toolFingerprint(): string {
  if (buildHash === undefined) {
    if (typeof ANALYSIS_BUILD === 'string') buildHash = ANALYSIS_BUILD;
    else {
      try {
        buildHash = hashBytes(fs.readFileSync(__filename));
      } catch {
        buildHash = 'unknown';
      }
    }
  }
  return `${TOOL_VERSION}+${buildHash}`;
}

/** Changes within this long of reading a file may not move its times (coarse file-system clocks). */
const RACY_MS = 2000;

/**
 * What tells, without reading it, that a file is as it was: inode, size, modification and change time (the
 * change time cannot be set back by tools that restore a modification time). Undefined when the file changed
 * within RACY_MS of `now`: a further change in the same clock tick could leave all four alike.
 */
export function statSignature(st: fs.Stats, now = Date.now()): string | undefined {
  if (Math.max(st.mtimeMs, st.ctimeMs) > now - RACY_MS) return undefined;
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** The file's signature, taken now (undefined: unreadable, or changed too recently to be trusted). */
export function currentStatSignature(file: string): string | undefined {
  try {
    return statSignature(fs.statSync(file));
  } catch {
    return undefined;
  }
}

/** A stable text of every option in a configuration (keys sorted, at every depth). */
export function stableText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableText).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableText((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const configKeys = new WeakMap<object, string>();
/** The hash of every option that can change a file's findings (all of its configuration, to be sure). */
export function configKey(config: LintConfig): string {
  let key = configKeys.get(config);
  if (key === undefined) {
    key = hashBytes(stableText(config));
    configKeys.set(config, key);
  }
  return key;
}

/**
 * Where the cache goes: PARALLELIZE_CACHE_DIR when set, else `.parallelize_cache` beside the pyproject.toml
 * that configures the run, else at the deepest folder holding every checked path.
 */
export function cacheDirFor(pyproject: string | null, paths: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const fromEnv = env.PARALLELIZE_CACHE_DIR;
  if (fromEnv) return path.resolve(cwd, fromEnv);
  if (pyproject) return path.join(path.dirname(path.resolve(cwd, pyproject)), CACHE_DIR_NAME);
  return path.join(commonRoot(paths, cwd), CACHE_DIR_NAME);
}

/** The deepest folder holding all `paths` (a file stands for its folder); the working directory when none. */
export function commonRoot(paths: string[], cwd = process.cwd()): string {
  const dirs = paths.map((p) => {
    const full = path.resolve(cwd, p);
    try {
      return fs.statSync(full).isDirectory() ? full : path.dirname(full);
    } catch {
      return path.dirname(full);
    }
  });
  if (dirs.length === 0) return cwd;
  let common = dirs[0].split(path.sep);
  for (const d of dirs.slice(1)) {
    const parts = d.split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep) || path.sep;
}

function isString(x: unknown): x is string {
  return typeof x === 'string';
}

function isSpan(x: unknown): boolean {
  const s = x as Record<string, unknown> | null;
  return !!s && typeof s === 'object' && ['startLine', 'startColumn', 'endLine', 'endColumn'].every((k) => Number.isInteger(s[k]));
}

function isFinding(x: unknown): x is PlainFinding {
  const f = x as Record<string, unknown> | null;
  return (
    !!f &&
    typeof f === 'object' &&
    isString(f.code) &&
    isString(f.message) &&
    isSpan(f.span) &&
    Array.isArray(f.fixes) &&
    f.fixes.every((x: unknown) => !!x && typeof x === 'object' && isString((x as Record<string, unknown>).title) && isString((x as Record<string, unknown>).applicability)) &&
    (f.estimate === undefined || (typeof f.estimate === 'object' && f.estimate !== null && isString((f.estimate as Record<string, unknown>).summary)))
  );
}

/** Whether a value read from disk has the shape of an entry (anything else is a miss, never a crash later). */
function isEntry(x: unknown): x is Entry {
  const e = x as Record<string, unknown> | null;
  return (
    !!e &&
    typeof e === 'object' &&
    isString(e.hash) &&
    isString(e.config) &&
    typeof e.seen === 'number' &&
    (e.stat === undefined || isString(e.stat)) &&
    (e.unchecked === undefined || isString(e.unchecked)) &&
    Array.isArray(e.dependencies) &&
    e.dependencies.every((d: unknown) => !!d && typeof d === 'object' && isString((d as Dependency).path) && isString((d as Dependency).summaryHash)) &&
    Array.isArray(e.findings) &&
    e.findings.every(isFinding)
  );
}

/** The per-file results of one tool build and project configuration, read from and written back to one file. */
export class ResultCache {
  private readonly entries: Map<string, Entry>;
  private dirty: boolean;
  private readonly now = Date.now();

  private constructor(
    readonly file: string,
    private readonly tool: string,
    entries: Map<string, Entry>,
    dirty: boolean,
  ) {
    this.entries = entries;
    this.dirty = dirty;
  }

  /**
   * The cache under `dir` for this project configuration (`scope`: what is common to every file of the run).
   * A missing, unreadable, truncated or foreign file gives an empty cache, written over when saved.
   */
  static open(dir: string, scope: LintConfig, tool = toolFingerprint()): ResultCache {
    const file = path.join(dir, sanitise(TOOL_VERSION), `${hashBytes(`${tool}\n${stableText(scope)}`).slice(0, 24)}.json`);
    let entries = new Map<string, Entry>();
    let dirty = false;
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (!data || typeof data !== 'object' || data.format !== FORMAT || data.tool !== tool || !data.entries || typeof data.entries !== 'object') throw new Error('foreign');
      entries = new Map(Object.entries(data.entries));
    } catch (e) {
      // no file yet: nothing to rewrite; anything else (corrupt, truncated, foreign): rewrite it
      dirty = (e as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    return new ResultCache(file, tool, entries, dirty);
  }

  /** Whether an entry is kept for `file` (a file without one need not be hashed before it is analysed). */
  knows(file: string): boolean {
    return this.entries.has(keyOf(file));
  }

  /** The hash stored for `file` when `stat` (its signature now) is the one stored with it: the file is unchanged. */
  hashIfUnchanged(file: string, stat: string | undefined): string | undefined {
    const entry = this.entries.get(keyOf(file));
    return stat !== undefined && entry && entry.stat === stat && isString(entry.hash) ? entry.hash : undefined;
  }

  /** Records the signature of a file read again and found with the stored hash (after `touch`, a checkout…). */
  refreshStat(file: string, hash: string, stat: string | undefined): void {
    const entry = this.entries.get(keyOf(file));
    if (!entry || stat === undefined || entry.hash !== hash || entry.stat === stat) return;
    entry.stat = stat;
    this.dirty = true;
  }

  /**
   * The stored result of `file`, when its text (`hash`), configuration and the files it depended on are all as
   * they were; undefined otherwise. `summaryHashOf` answers what a dependency is now.
   */
  lookup(file: string, hash: string, config: LintConfig, summaryHashOf: SummaryHashOf): CachedResult | undefined {
    const key = keyOf(file);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!isEntry(entry)) {
      this.entries.delete(key);
      this.dirty = true;
      return undefined;
    }
    if (entry.hash !== hash || entry.config !== configKey(config)) return undefined;
    if (!entry.dependencies.every((d) => summaryHashOf(d.path) === d.summaryHash)) return undefined;
    if (this.now - entry.seen > UNSEEN_TTL_MS / 2) {
      entry.seen = this.now;
      this.dirty = true;
    }
    return { findings: entry.findings, dependencies: entry.dependencies, ...(entry.unchecked !== undefined ? { unchecked: entry.unchecked } : {}) };
  }

  /** Stores a file's result; `stat`: the file's signature taken before it was read (see statSignature). */
  store(file: string, hash: string, config: LintConfig, result: CachedResult, stat?: string): void {
    this.entries.set(keyOf(file), {
      hash,
      ...(stat !== undefined ? { stat } : {}),
      config: configKey(config),
      seen: this.now,
      findings: result.findings,
      dependencies: result.dependencies,
      ...(result.unchecked !== undefined ? { unchecked: result.unchecked } : {}),
    });
    this.dirty = true;
  }

  /** Forgets a file (its text is about to change, e.g. by `check --fix`). */
  forget(file: string): void {
    if (this.entries.delete(keyOf(file))) this.dirty = true;
  }

  /**
   * Writes the cache when something changed: the folder with its `.gitignore`, then the file through a
   * temporary one renamed over it (two runs at once: the last one wins, no one reads half a file). Failing to
   * write (read-only project, a file in the way) is not an error: the next run is slower, that is all.
   */
  save(): boolean {
    if (!this.dirty) return false;
    try {
      const root = path.dirname(path.dirname(this.file));
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const ignore = path.join(root, '.gitignore');
      if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Automatically created by parallelize.\n*\n');
      const tag = path.join(root, 'CACHEDIR.TAG');
      if (!fs.existsSync(tag)) fs.writeFileSync(tag, 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by parallelize.\n');
      const entries: Record<string, Entry> = {};
      for (const [file, entry] of this.entries) if (this.now - entry.seen <= UNSEEN_TTL_MS) entries[file] = entry;
      const data: CacheFile = { format: FORMAT, tool: this.tool, entries };
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(data));
      fs.renameSync(temporary, this.file);
      this.dirty = false;
      return true;
    } catch {
      return false;
    }
  }
}

/** A file's key: its absolute path (an absolute path is taken as given: callers pass `path.resolve`d ones). */
function keyOf(file: string): string {
  return path.isAbsolute(file) ? file : path.resolve(file);
}

function sanitise(version: string): string {
  return version.replace(/[^A-Za-z0-9._-]/g, '_');
}
