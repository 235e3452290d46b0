// Every marked loop in the fixtures gets exactly the diagnostic (or the rejection) its marker names.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixtureFiles, lintSource, readMarkers, REWRITE_CONFIG } from '../support/harness';

for (const dir of ['run', 'run-numpy', 'analysis']) {
  for (const file of fixtureFiles(dir)) {
    test(`${dir}/${path.basename(file)}: diagnostics match the markers`, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const markers = readMarkers(text);
      assert.ok(markers.size > 0, 'fixture has markers');
      const { tree, result } = await lintSource(text, dir === 'analysis' ? undefined : REWRITE_CONFIG);
      try {
        const reported = new Map(result.findings.map((f) => [f.span.startLine + 1, f.code]));
        const suppressed = new Map(result.suppressed.map((f) => [f.span.startLine + 1, f.code]));
        const problems: string[] = [];
        for (const [line, marker] of markers) {
          const loop = result.analysis.loops.find((l) => l.line === line);
          if (marker.kind === 'expect') {
            const got = reported.get(line);
            if (!marker.codes.includes(got ?? '')) {
              const why = loop ? loop.rejections.map((r) => `${r.kind}: ${r.message}`).join('; ') || `workload ${loop.workload}, doubts ${loop.doubts.map((d) => d.message).join('; ')}` : 'no loop found';
              problems.push(`line ${line}: expected ${marker.codes.join('/')}, got ${got ?? 'nothing'} (${why})`);
            }
          } else if (marker.kind === 'expect-suppressed') {
            if (suppressed.get(line) !== marker.code) problems.push(`line ${line}: expected suppressed ${marker.code}, got ${suppressed.get(line) ?? reported.get(line) ?? 'nothing'}`);
          } else {
            if (reported.has(line)) problems.push(`line ${line}: expected no diagnostic (${marker.reason}), got ${reported.get(line)}`);
            // `expect-not: PAR302 (why)`: a loop the vectorising rules must leave alone, whatever the pool analysis says
            else if (loop && !/^PAR\d{3}$/.test(marker.reason) && !loop.rejections.some((r) => r.kind === marker.reason)) {
              problems.push(`line ${line}: expected rejection ${marker.reason}, got ${loop.rejections.map((r) => r.kind).join(', ') || 'none'}`);
            }
          }
        }
        for (const [line, code] of reported) {
          if (markers.get(line)?.kind !== 'expect') problems.push(`line ${line}: unexpected ${code}`);
        }
        assert.deepEqual(problems, []);
      } finally {
        tree.delete();
      }
    });
  }
}
