// Turns an extracted sync worker that makes one `requests` call into an `async def` taking an aiohttp
// session: the request becomes `async with session.get(…) as response:` around the statements that read it,
// and each use of the response becomes its aiohttp spelling (`.text` → `await response.text()`, …).
import type { ModuleAnalysis } from '../analysis/loops';
import { planRequests, type RequestsContext, requestsModuleName, type ResponseUse } from '../analysis/requests';
import { lineIndent } from '../syntax';
import { bindingValues } from './loopRewrite';
import type { Parse } from './module';
import { applySplices, lineStart, reindent, type Splice, stringContinuationRows } from './text';

/** requests' response members in aiohttp: the expression on the response, and whether it is awaited. */
const AIOHTTP_MEMBER: Record<string, { expr: string; awaited: boolean }> = {
  text: { expr: 'text()', awaited: true },
  content: { expr: 'read()', awaited: true },
  // requests decodes JSON whatever the Content-Type says; aiohttp checks it unless told not to
  json: { expr: 'json(content_type=None)', awaited: true },
  status_code: { expr: 'status', awaited: false },
  ok: { expr: 'ok', awaited: false },
  reason: { expr: 'reason', awaited: false },
  raise_for_status: { expr: 'raise_for_status()', awaited: false },
};

export function requestsContext(analysis: ModuleAnalysis): RequestsContext {
  return {
    requestsName: requestsModuleName(analysis.module.imports),
    constant: (name) => {
      const values = bindingValues(name, analysis, null);
      return values && values.length === 1 ? values[0] : null;
    },
  };
}

function aiohttpUse(use: ResponseUse, response: string): string {
  const m = AIOHTTP_MEMBER[use.member];
  const expr = `${response}.${m.expr}`;
  if (!m.awaited) return expr;
  // `await` binds looser than `.x`, `[k]` and `(…)`: `(await r.json())["k"]`
  const parent = use.node.parent?.type;
  return parent === 'attribute' || parent === 'subscript' || parent === 'call' ? `(await ${expr})` : `await ${expr}`;
}

export function toAiohttpWorker(
  definition: string,
  parse: Parse,
  ctx: RequestsContext,
  names: { session: string; response: string; unit: string },
): { ok: true; text: string } | { ok: false; reason: string } {
  const tree = parse(definition);
  try {
    const fn = tree.rootNode.namedChildren[0];
    const body = fn?.childForFieldName('body');
    const params = fn?.childForFieldName('parameters');
    if (fn?.type !== 'function_definition' || !body || !params) return { ok: false, reason: 'the worker does not parse' };
    const planned = planRequests(body, ctx);
    if ('reason' in planned) return { ok: false, reason: planned.reason };
    const plan = planned.plan;
    const { unit } = names;
    const response = plan.binding ?? names.response;
    const frozen = stringContinuationRows(tree.rootNode);
    const statement = plan.statement;
    const indent = lineIndent(definition, statement);
    const timeout = plan.timeout ? `sock_connect=${plan.timeout.connect}, sock_read=${plan.timeout.read}` : '';
    const request = `${names.session}.${plan.method}(${[plan.url.text, plan.headers ? `headers=${plan.headers.text}` : '', `timeout=aiohttp.ClientTimeout(${timeout})`].filter(Boolean).join(', ')})`;
    const bare = plan.uses.length === 0 && !plan.binding;
    const open = `${indent}async with ${request}${bare ? '' : ` as ${response}`}:`;
    // the statements that read the response move into the block: all that follow the binding, or the one statement
    const regionStart = lineStart(definition, statement.startIndex);
    const regionEnd = plan.binding ? body.endIndex : statement.endIndex;
    const uses: Splice[] = plan.uses.map((u) => ({ start: u.node.startIndex - regionStart, end: u.node.endIndex - regionStart, text: aiohttpUse(u, response) }));
    if (plan.binding) uses.push({ start: 0, end: Math.min(regionEnd, statement.endIndex + 1) - regionStart, text: '' });
    const inside = bare ? '' : applySplices(definition.slice(regionStart, regionEnd), uses);
    const firstRow = plan.binding ? statement.endPosition.row + 1 : statement.startPosition.row;
    const block = inside.trim() === '' ? `${indent}${unit}pass` : reindent(inside, indent, indent + unit, firstRow, frozen);
    const splices: Splice[] = [
      { start: fn.startIndex, end: fn.startIndex, text: 'async ' },
      { start: params.startIndex + 1, end: params.startIndex + 1, text: params.namedChildren.length > 0 ? `${names.session}, ` : names.session },
      { start: regionStart, end: regionEnd, text: `${open}\n${block}` },
    ];
    return { ok: true, text: applySplices(definition, splices) };
  } finally {
    tree.delete();
  }
}
