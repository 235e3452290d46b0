// The guide's Pattern 2 for a comprehension (or a generator reduction) making one `requests` call per item:
// `[requests.get(u).json() for u in urls]` becomes `asyncio.run(_fetch_all(urls))`, where `_fetch_all` opens one
// `aiohttp.ClientSession` and gathers one `async def` fetch per item (results in input order).
import type { SyntaxNode } from '../parser';
import { requestsContext, toAiohttpWorker } from './aiohttpRewrite';
import { definitionBlock, definitionInsertPoint, type RewriteInput, type RewriteResult, standalone } from './loopRewrite';
import { ensureImports } from './module';
import { applySplices, freshName, indentUnit, type Splice } from './text';

function spelled(node: SyntaxNode): Set<string> {
  return new Set(node.descendantTexts('identifier'));
}

export function rewriteComprehensionAiohttp(input: RewriteInput): RewriteResult {
  const { text, analysis, loop: facts, parse } = input;
  const node = facts.node;
  const { element, target, iterable } = facts;
  if (facts.kind !== 'comprehension' || !element || !iterable || target?.type !== 'identifier') return { ok: false, reason: 'not a comprehension over plain items' };
  if (!['list_comprehension', 'set_comprehension', 'generator_expression'].includes(node.type)) return { ok: false, reason: 'only list and set comprehensions and generator reductions are translated' };
  if (node.hasError) return { ok: false, reason: 'the comprehension contains a syntax error' };
  const used = new Set(analysis.module.identifiers);
  const unit = indentUnit(text, node);
  const free = facts.freeVariables;
  const base = target.text.replace(/^_+/, '') || 'item';
  const worker = freshName(`_fetch_${base}`, used);
  used.add(worker);
  const helper = freshName(`_fetch_all_${base}`, used);
  used.add(helper);
  const local = new Set([...spelled(element), ...free, target.text, worker, helper]);
  const session = freshName('session', local);
  local.add(session);
  const response = freshName('response', local);
  const items = freshName('items', local);
  const params = [target.text, ...free];
  const sync = `def ${worker}(${params.join(', ')}):\n${unit}return ${standalone(element)}`;
  const translated = toAiohttpWorker(sync, parse, requestsContext(analysis), { session, response, unit });
  if (!translated.ok) return translated;
  const gather = `await asyncio.gather(*(${worker}(${[session, ...params].join(', ')}) for ${target.text} in ${items}))`;
  const helperText =
    `async def ${helper}(${[items, ...free].join(', ')}):\n` +
    `${unit}async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), trust_env=True) as ${session}:\n` +
    `${unit}${unit}return ${gather}`;
  const run = `asyncio.run(${helper}(${[standalone(iterable), ...free].join(', ')}))`;
  const replacement = node.type === 'set_comprehension' ? `set(${run})` : node.type === 'generator_expression' && facts.reduction?.bare ? `(${run})` : run;
  const at = definitionInsertPoint(text, node);
  const splices: Splice[] = [
    { start: at, end: at, text: definitionBlock(text, at, `${translated.text}\n\n\n${helperText}`) },
    { start: node.startIndex, end: node.endIndex, text: replacement },
  ];
  const rewritten = ensureImports(applySplices(text, splices), [{ module: 'asyncio' }, { module: 'aiohttp' }], parse);
  return { ok: true, text: rewritten, doubts: [] };
}
