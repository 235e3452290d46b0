// The strongest check: apply every offered fix to every runnable fixture, then run the original and the
// rewrite with python3 (spawn start method) and compare what they print. The target version is the
// interpreter's own, so the fixes that need a recent Python (asyncio.TaskGroup: 3.11) are run too.
import * as path from 'node:path';
import { test } from 'node:test';
import { fixtureFiles, REPO, runEveryFix, tempDir } from '../support/harness';

const work = tempDir('parallelize-rewrites-');

const programs = [...fixtureFiles('run'), path.join(REPO, 'examples', 'pipeline.py')];

for (const file of programs) {
  test(`${path.basename(path.dirname(file))}/${path.basename(file)}: every fix keeps the program's output`, async (t) => {
    const count = await runEveryFix(file, work);
    t.diagnostic(count === 0 ? 'no fixes offered' : `${count} fix(es) applied and run`);
  });
}
