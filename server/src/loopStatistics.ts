// `check --statistics --why-not`: a yardstick for recall. Over every file checked it counts the loops, those
// that show work (the cost model weighed them), and for those which are reported and why each other one is not:
// the reason the hover leads with (the gravest the analysis gave), by kind and by the shape of its message.
import type { LintResult } from './linter';
import type { RejectionKind } from './analysis/model';
import { mainRejection, REASON_TITLE } from './rules/explain';
import { isAncestorOf } from './syntax';

/** The counts of one file (or, merged, of many): plain data, so a worker thread can send it back. */
export interface LoopTally {
  loops: number;
  /** Loops, comprehensions and `list(map(…))` calls with a finding (reported or silenced by `# noqa`). */
  reported: number;
  /** Loops whose body does real work: CPU-heavy calls, I/O or awaits (the cost model weighed them). */
  withWork: number;
  withWorkReported: number;
  /** With work, not reported because a reported loop around them takes the pool. */
  insideReported: number;
  /** With work and not reported, by the kind of the reason the hover leads with. */
  reasons: Record<string, number>;
  /** The same loops by kind and message, the names and line numbers left out (`kind\tmessage`). */
  details: Record<string, number>;
  /** With work, no reason given and still not reported (no rule matched). */
  unexplained: number;
}

export function emptyTally(): LoopTally {
  return { loops: 0, reported: 0, withWork: 0, withWorkReported: 0, insideReported: 0, reasons: {}, details: {}, unexplained: 0 };
}

/** A reason's message with what varies from loop to loop (names, code, numbers) left out, so like reasons count together. */
export function reasonShape(message: string): string {
  return message
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\(line \d+\)|line \d+/g, (m) => m.replace(/\d+/, 'N'))
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 110);
}

export function tallyLoops(result: LintResult): LoopTally {
  const tally = emptyTally();
  const loops = result.analysis.loops;
  const reportedNodes = loops.filter((l) => result.findingOf.has(l.node.id)).map((l) => l.node);
  for (const loop of loops) {
    tally.loops++;
    const reported = result.findingOf.has(loop.node.id);
    if (reported) tally.reported++;
    if (!loop.estimate) continue;
    tally.withWork++;
    if (reported) {
      tally.withWorkReported++;
      continue;
    }
    if (reportedNodes.some((outer) => outer.id !== loop.node.id && isAncestorOf(outer, loop.node))) {
      tally.insideReported++;
      continue;
    }
    const first = mainRejection(loop.rejections);
    if (!first) {
      tally.unexplained++;
      continue;
    }
    tally.reasons[first.kind] = (tally.reasons[first.kind] ?? 0) + 1;
    const key = `${first.kind}\t${reasonShape(first.message)}`;
    tally.details[key] = (tally.details[key] ?? 0) + 1;
  }
  return tally;
}

export function mergeTallies(into: LoopTally, from: LoopTally): LoopTally {
  into.loops += from.loops;
  into.reported += from.reported;
  into.withWork += from.withWork;
  into.withWorkReported += from.withWorkReported;
  into.insideReported += from.insideReported;
  into.unexplained += from.unexplained;
  for (const [k, v] of Object.entries(from.reasons)) into.reasons[k] = (into.reasons[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.details)) into.details[k] = (into.details[k] ?? 0) + v;
  return into;
}

/** The table: totals, then the reasons by kind (most frequent first), each with its most frequent messages. */
export function formatLoopTally(tally: LoopTally, files: number, detailsPerReason = 5): string {
  const lines: string[] = [];
  const pct = (n: number, of: number) => (of > 0 ? ` (${((100 * n) / of).toFixed(1)} %)` : '');
  lines.push(`Loops: ${tally.loops} in ${files} files, ${tally.reported} reported`);
  lines.push(`Loops that show work: ${tally.withWork}`);
  lines.push(`  reported                       ${String(tally.withWorkReported).padStart(6)}${pct(tally.withWorkReported, tally.withWork)}`);
  lines.push(`  inside a reported loop         ${String(tally.insideReported).padStart(6)}${pct(tally.insideReported, tally.withWork)}`);
  const rejected = Object.values(tally.reasons).reduce((a, b) => a + b, 0);
  lines.push(`  rejected                       ${String(rejected).padStart(6)}${pct(rejected, tally.withWork)}`);
  const kinds = Object.entries(tally.reasons).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [kind, count] of kinds) {
    const title = REASON_TITLE[kind as RejectionKind] ?? kind;
    lines.push(`    ${String(count).padStart(5)}  ${kind} — ${title}`);
    const shapes = Object.entries(tally.details)
      .filter(([k]) => k.startsWith(`${kind}\t`))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [key, n] of shapes.slice(0, detailsPerReason)) lines.push(`           ${String(n).padStart(5)}  ${key.slice(kind.length + 1)}`);
    if (shapes.length > detailsPerReason) lines.push(`                  … ${shapes.length - detailsPerReason} more messages`);
  }
  lines.push(`  not reported, no reason given  ${String(tally.unexplained).padStart(6)}${pct(tally.unexplained, tally.withWork)}`);
  return lines.join('\n') + '\n';
}
