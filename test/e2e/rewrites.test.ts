// The strongest check: apply every offered fix to every runnable fixture, then run the original and the
// rewrite with python3 (spawn start method) and compare what they print.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixtureFiles, REPO, tempDir } from '../support/harness';
import { everyFixKeepsOutput } from '../support/rewriteCheck';

const work = tempDir('parallelize-rewrites-');

const examples = fs.readdirSync(path.join(REPO, 'examples')).filter((f) => f.endsWith('.py')).sort();
const programs = [...fixtureFiles('run'), ...examples.map((f) => path.join(REPO, 'examples', f))];

for (const file of programs) {
  test(`${path.basename(path.dirname(file))}/${path.basename(file)}: every fix keeps the program's output`, async (t) => {
    const ran = await everyFixKeepsOutput(file, work);
    t.diagnostic(ran === 0 ? 'no fixes offered' : `${ran} fix(es) applied and run`);
  });
}
