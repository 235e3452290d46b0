// Safe means safe (issue 15, fresh audit round 7): a loop running commands taken from its items runs programs the
// analysis cannot see. Read from a file or text, the commands are a script (a documentation checker running the
// `$ …` lines of a README, slides whose code blocks are run on export): not reported. Handed in by a caller: the
// fix is unsafe and says why. A program the code names, given the item as an argument, is no such doubt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSource, REWRITE_CONFIG } from '../support/harness';

const SOURCE = [
  'import subprocess',
  '',
  '',
  'def run(command):',
  '    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout',
  '',
  '',
  'def given(commands):',
  '    outputs = []',
  '    for command in commands:',
  '        outputs.append(run(command))',
  '    return outputs',
  '',
  '',
  'def from_readme(path):',
  '    commands = [line[2:] for line in path.read_text().splitlines() if line.startswith("$ ")]',
  '    outputs = []',
  '    for command in commands:',
  '        outputs.append(run(command))',
  '    return outputs',
  '',
  '',
  'def versions():',
  '    found = {}',
  '    for tool in ["git", "python3"]:',
  '        found[tool] = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout',
  '    return found',
  '',
  '',
  'def shown(repo, commits):',
  '    out = []',
  '    for commit in commits:',
  '        out.append(subprocess.run(["git", "-C", repo, "show", commit], capture_output=True, text=True).stdout)',
  '    return out',
  '',
].join('\n');

async function lint() {
  const { tree, result } = await lintSource(SOURCE, REWRITE_CONFIG);
  tree.delete();
  return result;
}

test('commands handed in by the caller: reported, the fix unsafe, the doubt names the command', async () => {
  const f = (await lint()).findings.find((x) => x.span.startLine + 1 === 10);
  assert.equal(f?.code, 'PAR201');
  assert.ok(f!.fixes.length > 0 && f!.fixes.every((x) => x.applicability === 'unsafe'));
  assert.ok(f!.doubts.some((d) => d.includes('commands are independent') && d.includes('`command`') && d.includes('`run()`')), f!.doubts.join('; '));
});

test('commands read from a file are a script: not reported, and the reason names the read', async () => {
  const result = await lint();
  assert.equal(result.findings.find((x) => x.span.startLine + 1 === 18), undefined);
  const loop = result.analysis.loops.find((l) => l.line === 18);
  const reason = loop?.rejections.find((r) => r.kind === 'ordered-effect');
  assert.ok(reason && reason.message.includes('`path.read_text()`') && reason.message.includes('script'), JSON.stringify(loop?.rejections));
});

test('programs the code names, or spells with the item as an argument, raise no command doubt', async () => {
  const result = await lint();
  for (const line of [25, 32]) {
    const f = result.findings.find((x) => x.span.startLine + 1 === line);
    assert.equal(f?.code, 'PAR201', `line ${line}`);
    assert.ok(!f!.doubts.some((d) => d.includes('commands')), f!.doubts.join('; '));
  }
  assert.equal(result.findings.find((x) => x.span.startLine + 1 === 25)!.fixes[0]?.applicability, 'safe');
});
