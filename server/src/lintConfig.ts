// What the analysis of one file is given besides its text: the options that decide its findings. Its own
// module, light, so that the CLI's front (cli.ts) reads configuration without loading the analysis.
import type { ImportResolver } from './analysis/moduleSummary';

export interface LintConfig {
  select: string[];
  ignore: string[];
  minIterations: number;
  /** The estimated speedup a loop rewrite must reach to be reported. */
  minSpeedup: number;
  /** The cores the cost model's decisions assume (a setting, so that every machine agrees). */
  targetCores: number;
  /** The cores of this machine, for the hover's second figure (not for decisions). */
  localCores?: number;
  targetVersion: [number, number];
  /**
   * The summaries of the workspace modules this file imports (see workspace/): absent, the file is analysed
   * alone. Per file (relative imports depend on where it is); not part of the user's configuration.
   */
  workspace?: ImportResolver;
  /**
   * Report no loop in a file Python cannot compile (a syntax error, tabs and spaces mixed inconsistently): the
   * command line's choice, for files as they are. The editor leaves it off: a file being typed is broken often.
   */
  requireCompiles?: boolean;
}

/** Larger sources (generated code, data dumps) are not analysed: the analysis is not linear in size. */
export const MAX_ANALYSED_CHARS = 2_000_000;

export const DEFAULT_LINT_CONFIG: LintConfig = { select: [], ignore: [], minIterations: 16, minSpeedup: 1.3, targetCores: 4, targetVersion: [3, 9] };
