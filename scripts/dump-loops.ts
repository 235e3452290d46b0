// Prints the analysis of every loop in a file: a debugging aid (`node out/scripts/dump-loops.js file.py`).
import * as fs from 'node:fs';
import { analyzeTree } from '../server/src/analysis/loops';
import { createParser, parseSyntax } from '../server/src/parser';

async function main(): Promise<void> {
  const parser = await createParser();
  for (const file of process.argv.slice(2)) {
    const tree = parseSyntax(parser, fs.readFileSync(file, 'utf8'));
    const { loops } = analyzeTree(tree);
    for (const l of loops) {
      console.log(`${file}:${l.line} ${l.kind} ${l.workload} ${l.independence} parents=[${l.parentStatements.map((p) => p.kind + ':' + p.target).join(',')}] free=[${l.freeVariables}]`);
      for (const e of l.evidence) console.log(`    evidence ${e.kind} ${e.what}${e.via ? ' via ' + e.via : ''} @${e.line}`);
      for (const r of l.rejections) console.log(`    reject ${r.kind}: ${r.message}`);
      for (const d of l.doubts) console.log(`    doubt: ${d.message}`);
    }
    tree.delete();
  }
}
void main();
