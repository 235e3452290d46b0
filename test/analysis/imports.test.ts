// Imports a rewrite adds land where isort / Ruff's I001 would put them: the standard-library section first,
// third-party after it, each sorted with `import x` before `from x import y`; `from` lines merge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSyntax } from '../../server/src/parser';
import { ensureImports, type ImportNeed } from '../../server/src/transforms/module';
import { getParser } from '../support/harness';

async function withImports(text: string, needs: ImportNeed[]): Promise<string> {
  const parser = await getParser();
  return ensureImports(text, needs, (t) => parseSyntax(parser, t));
}

test('a standard-library import goes into the standard-library section, not after third-party imports', async () => {
  const text = '"""Doc."""\nimport hashlib\n\nimport requests\n\nx = 1\n';
  const out = await withImports(text, [{ from: 'concurrent.futures', name: 'ProcessPoolExecutor' }]);
  assert.equal(out, '"""Doc."""\nimport hashlib\nfrom concurrent.futures import ProcessPoolExecutor\n\nimport requests\n\nx = 1\n');
});

test('a file with only third-party imports gets a standard-library section above them', async () => {
  const text = 'import numpy as np\nimport requests\n\nx = 1\n';
  const out = await withImports(text, [{ module: 'os' }, { from: 'multiprocessing', name: 'Pool' }]);
  assert.equal(out, 'import os\nfrom multiprocessing import Pool\n\nimport numpy as np\nimport requests\n\nx = 1\n');
});

test('a third-party import opens its section after the standard library', async () => {
  const text = 'import asyncio\nimport os\n\nx = 1\n';
  const out = await withImports(text, [{ module: 'aiohttp' }]);
  assert.equal(out, 'import asyncio\nimport os\n\nimport aiohttp\n\nx = 1\n');
});

test('new lines are sorted into their section, plain imports before from-imports', async () => {
  const text = 'import asyncio\nimport time\nfrom pathlib import Path\n\nimport requests\n';
  const out = await withImports(text, [{ module: 'os' }, { from: 'functools', name: 'partial' }, { module: 'aiohttp' }]);
  assert.equal(out, 'import asyncio\nimport os\nimport time\nfrom functools import partial\nfrom pathlib import Path\n\nimport aiohttp\nimport requests\n');
});

test('a name from a module already imported from is merged into that line; a bound name is not added again', async () => {
  const text = 'import os\nfrom concurrent.futures import ThreadPoolExecutor\n';
  const out = await withImports(text, [{ from: 'concurrent.futures', name: 'ProcessPoolExecutor' }, { module: 'os' }]);
  assert.equal(out, 'import os\nfrom concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\n');
});

test('without imports, new ones go after the docstring and __future__ imports, sections apart', async () => {
  const text = '"""Doc."""\nfrom __future__ import annotations\n\nx = 1\n';
  const out = await withImports(text, [{ module: 'aiohttp' }, { module: 'asyncio' }]);
  assert.equal(out, '"""Doc."""\nfrom __future__ import annotations\n\nimport asyncio\n\nimport aiohttp\n\nx = 1\n');
});
