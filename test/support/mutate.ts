// Seeded mutations of Python source for the fuzz tests (replayable from the seed).

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mutate(text: string, seed: number): string {
  const r = rng(seed);
  const lines = text.split('\n');
  const pick = () => Math.floor(r() * Math.max(1, lines.length));
  switch (Math.floor(r() * 8)) {
    case 0:
      lines.splice(pick(), 1);
      return lines.join('\n');
    case 1: {
      const i = pick();
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 2: {
      const i = pick();
      const j = pick();
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 3:
      return text.slice(0, Math.floor(r() * text.length));
    case 4: {
      const at = Math.floor(r() * text.length);
      const junk = Array.from({ length: 1 + Math.floor(r() * 8) }, () => String.fromCharCode(Math.floor(r() * 0xffff))).join('');
      return text.slice(0, at) + junk + text.slice(at);
    }
    case 5: {
      const at = Math.floor(r() * text.length);
      return text.slice(0, at) + '([{"\'\0'[Math.floor(r() * 6)] + text.slice(at);
    }
    case 6:
      return text.replace(/^( {4})/gm, (m) => (r() < 0.3 ? '\t' : m));
    default: {
      const i = pick();
      lines[i] = ' '.repeat(Math.floor(r() * 9)) + (lines[i] ?? '').trimStart();
      return lines.join('\n');
    }
  }
}

