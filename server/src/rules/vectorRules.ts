// PAR301, PAR302, PAR303: loops NumPy or pandas run as one vectorised expression (nested index products,
// element-wise arithmetic, DataFrame row loops). Shapes are recognised in analysis/vectorizable.ts.
import { compilingDecorator, type ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts } from '../analysis/model';
import { matchOuterLists } from '../analysis/outerLists';
import { countedElements, matchApply, matchElementwise, matchNested, matchRowLoop, type VectorPlan } from '../analysis/vectorizable';
import type { SyntaxNode } from '../parser';
import { spanOf, tokensSpelled } from '../syntax';
import { ruleDocsUrl } from './catalog';
import { doubtLines } from './doubts';
import { type Applicability, type Finding, fixTitle, type LoopRule, type RuleContext } from './types';

const NAMES: Record<VectorPlan['rule'], string> = {
  PAR301: 'nested-loop-vectorize',
  PAR302: 'elementwise-loop-vectorize',
  PAR303: 'pandas-row-loop',
};

/** Elements below which a Python loop of element arithmetic takes well under a millisecond. */
const NOTICEABLE_ELEMENTS = 1000;

function toFinding(plan: VectorPlan, ctx: RuleContext, loop?: LoopFacts): Finding | null {
  // a loop over fewer than a thousand elements takes well under a millisecond: the expression is faster, but by
  // microseconds no one notices (round 57: four 7×7 and 10×10 gap matrices, 0.1 ms saved in scripts of minutes)
  const elements = countedElements(plan, ctx.analysis.module);
  if (elements !== undefined && elements < Math.max(ctx.minIterations, ctx.minIterations > 0 ? Math.max(plan.minElements ?? 0, NOTICEABLE_ELEMENTS) : 0)) return null;
  const applicability: Applicability = plan.doubts.length === 0 ? 'safe' : 'unsafe';
  const header = loop?.header ?? firstLineSpan(plan.node);
  const form = `\`${oneLine(plan.statement)}\``;
  const message =
    plan.rule === 'PAR303'
      ? `${capitalise(plan.shape)}: use a vectorised column expression (${form})`
      : plan.rule === 'PAR301'
        ? `Nested loops compute ${plan.shape} one element at a time: vectorise it with NumPy (${form})`
        : `${capitalise(plan.shape)} in a Python loop: vectorise it (${form})`;
  return {
    code: plan.rule,
    name: NAMES[plan.rule],
    span: header,
    message,
    loop,
    vector: plan,
    fixes: [
      { title: fixTitle(plan.rule === 'PAR303' ? 'Replace with a column expression' : 'Vectorise with NumPy', applicability), pattern: 'vectorize', applicability },
      ...(plan.alternatives ?? []).map((a) => ({ title: fixTitle(a.title, applicability), pattern: 'vectorize' as const, applicability })),
    ],
    doubts: plan.doubts,
    blockers: [],
  };
}

function firstLineSpan(node: SyntaxNode) {
  const span = spanOf(node);
  if (span.endLine === span.startLine) return span;
  return { ...span, endLine: span.startLine, endColumn: span.startColumn + node.text.split('\n')[0].length };
}

function oneLine(s: string): string {
  const line = s.replace(/\s*\n\s*/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function planFor(match: ReturnType<typeof matchElementwise>): VectorPlan | null {
  return match?.ok ? match.value : null;
}

/** A loop rule that reports the plan its matcher finds on a `for` loop. */
function vectorRule(code: VectorPlan['rule'], summary: string, match: (loop: SyntaxNode, module: ModuleAnalysis['module']) => ReturnType<typeof matchElementwise>): LoopRule {
  return {
    code,
    name: NAMES[code],
    summary,
    check(loop, ctx) {
      if (loop.kind !== 'for' || compilingDecorator(loop.node)) return null;
      const plan = planFor(match(loop.node, ctx.analysis.module));
      return plan ? toFinding(plan, ctx, loop) : null;
    },
  };
}

/** PAR301 covers the guide's Pattern 3 too: nested loops building a list of lists. */
const matchNestedOrLists = (loop: SyntaxNode, module: ModuleAnalysis['module']) => matchNested(loop, module) ?? matchOuterLists(loop, module);

export const PAR301 = vectorRule('PAR301', 'nested index loops over NumPy arrays (or two sequences building a list of lists) computing an element-wise, outer or matrix product', matchNestedOrLists);
export const PAR302 = vectorRule('PAR302', 'element-wise arithmetic loop over a NumPy array or numeric list', matchElementwise);
export const PAR303 = vectorRule('PAR303', 'pandas row loop computing a column', matchRowLoop);

export const VECTOR_RULES: LoopRule[] = [PAR301, PAR302, PAR303];

/** PAR303 on `df["c"] = df.apply(lambda row: …, axis=1)`: the finding sits on the `apply` call. */
export function checkApplyCalls(analysis: ModuleAnalysis, ctx: RuleContext): Finding[] {
  const root = analysis.module.root;
  if (!root.text.includes('.apply(')) return [];
  const findings: Finding[] = [];
  // `frame.apply(…)`: the calls whose callee ends with an `apply` token, found in the text
  for (const name of tokensSpelled(root, 'apply', 'identifier')) {
    const callee = name.parent;
    const call = callee?.type === 'attribute' && callee.endIndex === name.endIndex ? callee.parent : null;
    if (call?.type !== 'call' || call.childForFieldName('function')?.id !== callee!.id) continue;
    const plan = planFor(matchApply(call, analysis.module));
    const finding = plan && toFinding(plan, ctx);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** Why a loop over known arrays or DataFrame rows was not vectorised (for the hover), or null. */
export function vectorMiss(loop: LoopFacts, analysis: ModuleAnalysis): string | null {
  if (loop.kind !== 'for') return null;
  const compiled = compilingDecorator(loop.node);
  if (compiled) return `**Not vectorised:** the function is compiled to machine code (\`${compiled.text.split('(')[0]}\`, line ${compiled.startPosition.row + 1}): its loops already run without the interpreter, so a NumPy expression in their place would not be faster.`;
  for (const match of [matchNestedOrLists, matchElementwise, matchRowLoop]) {
    const m = match(loop.node, analysis.module);
    if (m && !m.ok) return `**Not vectorised:** ${m.miss.reason} (line ${m.miss.line}).`;
    // a plan whose finding was dropped: the loop is faster at the size the code shows
    if (m?.ok && m.value.elements !== undefined && m.value.minElements !== undefined && m.value.elements < m.value.minElements) {
      return `**Not vectorised:** not worth it: ${m.value.elements} elements, below the ${m.value.minElements} from which \`${oneLine(m.value.statement)}\` is measured to beat the loop (the conversions in and out cost more than the loop saves).`;
    }
  }
  return null;
}

/** Hover Markdown for a PAR3xx finding: the verdict, the evidence, the vectorised form, doubts and risks. */
export function explainVector(finding: Finding): string {
  const plan = finding.vector!;
  const fix = finding.fixes[0];
  // the diagnostic's message is shown above the hover: not repeated here
  const lines = [
    `**${finding.code}** · vectorisable, ${plan.shape} — [${finding.name}](${ruleDocsUrl(finding.code)})`,
    '',
    `**Fix** (${fix?.applicability ?? 'none'}): \`${oneLine(plan.statement)}\`${plan.first.type === 'call' ? ' replaces the `apply` call' : plan.first.id === plan.node.id ? ' replaces the loop' : plan.rule === 'PAR303' ? ' replaces the loop, the list it fills and the column assignment' : ' replaces the loop and the list it fills'}; it runs on one core, in compiled loops.`,
    '',
    `- **Why:** ${
      plan.why ??
      (plan.rule === 'PAR303'
        ? "each row's value comes from the same row's columns only, by arithmetic pandas applies to whole columns"
        : "each element comes from the inputs at its own position only, into a fresh output array of the loop's shape")
    }.`,
    ...(plan.writes ? [`- **Writes:** ${plan.writes}.`] : []),
    `- **Evidence:** ${plan.evidence.join('; ')}`,
    ...(plan.alternatives ?? []).map((a) => `- **Also:** \`${oneLine(a.statement)}\` (${a.title.toLowerCase()}, ${fix?.applicability ?? 'none'})`),
    ...doubtLines(plan.doubts, !!fix),
    ...plan.risks.map((r) => `- ${r}`),
  ];
  if (plan.elements === undefined) lines.push('- **Small inputs:** the size is not known; below about a thousand elements the loop takes well under a millisecond, so the gain, though real, is too small to notice unless the loop runs many times.');
  lines.push('', `[${finding.code}: every risk and caveat](${ruleDocsUrl(finding.code)})`);
  return lines.join('\n');
}
