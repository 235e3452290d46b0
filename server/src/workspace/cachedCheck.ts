// `check` through the result cache: files whose entry is still valid are answered from it, the others are
// analysed (on worker threads when worth it, see checkFiles.ts) and their results stored. The outcomes are
// the ones a run without the cache gives, in the same order. The analysis itself is handed in (`analyse`): this
// module loads none of it, so that a run answered wholly from the cache never loads the analysis (see cli.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalyseFiles, FileOutcome, OnFileChecked } from '../checkFiles';
import type { LintConfig } from '../lintConfig';
import { projectDigests, REACH_PREFIX } from './callSites';
import { ABSENT, currentStatSignature, hashBytes, type ResultCache, type SummaryHashOf } from './resultCache';

export interface CachedCheckOptions {
  /** --jobs, when given. */
  jobs?: number;
  onChecked?: OnFileChecked;
  /** Count the loops and why they are not reported (`check --why-not`; cached results do not keep them). */
  tally?: boolean;
  /**
   * What a dependency recorded by SummaryStore.cacheDependencies is now. Default: the hash of the file's bytes
   * when it is among the files checked (vouched for by its inode, size and times as for the files themselves),
   * `ABSENT` when it is not.
   */
  summaryHashOf?: SummaryHashOf;
}

/**
 * Checks `files` as `analyse` does (checkFiles.analyseFiles), reusing and refreshing `cache` (null: no cache, as
 * with --no-cache); `analyse` is called only for the files the cache cannot answer, and not at all when it answers every one.
 */
export async function checkFilesCached(files: string[], configOf: (file: string) => LintConfig, cache: ResultCache | null, analyse: AnalyseFiles, options: CachedCheckOptions = {}): Promise<FileOutcome[]> {
  const onChecked = options.onChecked ?? (() => {});
  if (!cache) return analyse(files, configOf, { jobs: options.jobs, onChecked, tally: options.tally });
  const outcomes = new Array<FileOutcome>(files.length);
  const hashes = new Map<string, string | null>();
  // the hash of a file's bytes now: the stored one while its signature (inode, size, times) is unchanged
  const currentHash = (file: string): string | null => {
    let hash = hashes.get(file);
    if (hash === undefined) {
      const stat = currentStatSignature(file);
      hash = cache.hashIfUnchanged(file, stat) ?? null;
      if (hash === null) {
        try {
          hash = hashBytes(fs.readFileSync(file));
          cache.refreshStat(file, hash, stat);
        } catch {
          hash = null;
        }
      }
      hashes.set(file, hash);
    }
    return hash;
  };
  // a dependency is the text of a workspace file, which must be among the files checked now (imports resolve
  // between those), or a module that was not among them and still is not
  const absolute = files.map((f) => path.resolve(f));
  const checked = new Set(absolute);
  // a result that asked where names are written in its project (REACH_PREFIX) holds while that project's files are unchanged
  const digestOf = projectDigests();
  const summaryHashOf =
    options.summaryHashOf ?? ((file: string) => (file.startsWith(REACH_PREFIX) ? digestOf(file.slice(REACH_PREFIX.length)) : checked.has(file) ? (currentHash(file) ?? undefined) : ABSENT));
  // every lookup before any store: a dependency re-analysed in this run cannot vouch for its dependents
  const misses: number[] = [];
  files.forEach((given, i) => {
    const file = absolute[i];
    const hash = cache.knows(file) ? currentHash(file) : null;
    const hit = hash === null ? undefined : cache.lookup(file, hash, configOf(given), summaryHashOf);
    if (!hit) return void misses.push(i);
    outcomes[i] = { ok: true, findings: hit.findings, hash: hash!, dependencies: hit.dependencies, ...(hit.unchecked !== undefined ? { unchecked: hit.unchecked } : {}) };
    onChecked();
  });
  if (misses.length === 0) return outcomes;
  const missed = misses.map((i) => files[i]);
  const fresh = await analyse(missed, configOf, { jobs: options.jobs, onChecked });
  fresh.forEach((outcome, k) => {
    const file = absolute[misses[k]];
    outcomes[misses[k]] = outcome;
    if (outcome.ok && outcome.hash !== undefined) {
      const result = { findings: outcome.findings, dependencies: outcome.dependencies ?? [], ...(outcome.unchecked !== undefined ? { unchecked: outcome.unchecked } : {}) };
      cache.store(file, outcome.hash, configOf(missed[k]), result, outcome.stat);
    }
  });
  return outcomes;
}
