// The analysis side of the CLI: what cli.ts loads (with require, on first use) only when a file must be
// analysed, fixed or explained. A `check` answered wholly from the result cache never loads it: node then
// neither compiles nor runs the parser, the analysis and the rewrites (most of a run's time when every file is cached).
export { createTwoFilesPatch } from 'diff';
export { analyseFiles, fixCheckedFiles, fixSource, lintSource, readSource, withWorkspace } from './checkFiles';
export { confirmedFinding, explainLine, fixText, lint } from './linter';
export { emptyTally, formatLoopTally, mergeTallies, tallyLoops } from './loopStatistics';
export { createParser, parseSyntax } from './parser';
export { SummaryStore } from './workspace/summaryStore';
