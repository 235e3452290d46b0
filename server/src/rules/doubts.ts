// The doubts of a finding as a hover shows them: each reason once, the rest counted.
/** How many distinct doubts a hover lists before it counts the rest. */
const SHOWN_DOUBTS = 5;

/**
 * The doubts of a finding as hover lines, each reason once: a chain of calls reaching the same innermost reason
 * (`` `a()` (called at line 3): `b()` (called at line 9): cannot see what `c()` does ``) by many paths is listed by
 * its first path and counted; past SHOWN_DOUBTS reasons the rest are counted (the JSON output lists every reason).
 */
export function doubtLines(doubts: string[], fix: boolean): string[] {
  const title = `**Not proven${fix ? ' (so the fix is unsafe)' : ''}:**`;
  const all = doubtGroups(doubts);
  const lines = all.slice(0, SHOWN_DOUBTS).map((g) => `- ${title} ${g.first}${g.count > 1 ? ` (and by ${g.count - 1} other call path${g.count > 2 ? 's' : ''})` : ''}`);
  const rest = all.slice(SHOWN_DOUBTS).reduce((n, g) => n + g.count, 0);
  if (rest > 0) lines.push(`- ${title} ${rest} more thing${rest === 1 ? '' : 's'} (\`check --format json\` lists them all)`);
  return lines;
}

/** The doubts grouped by their innermost reason, each by its first path and how many paths reach it. */
function doubtGroups(doubts: string[]): Array<{ first: string; count: number }> {
  const groups = new Map<string, { first: string; count: number }>();
  for (const d of doubts) {
    const at = d.lastIndexOf('): ');
    const reason = at >= 0 ? d.slice(at + 3) : d;
    const group = groups.get(reason);
    if (group) group.count++;
    else groups.set(reason, { first: d, count: 1 });
  }
  return [...groups.values()];
}

/** Every distinct doubt, each reason once (by its first call path, the others counted): what the JSON output lists. */
export function distinctDoubts(doubts: string[]): string[] {
  return doubtGroups(doubts).map((g) => `${g.first}${g.count > 1 ? ` (and by ${g.count - 1} other call path${g.count > 2 ? 's' : ''})` : ''}`);
}
