// Turning a rewritten text into the smallest set of edits on the original (the `diff` package), and the
// `# noqa` edit. Positions are 0-based lines and UTF-16 columns, like LSP's, without LSP types.
import { diffLines } from 'diff';
import { noqaCodes } from './linter';

export interface Position {
  line: number;
  character: number;
}

export interface TextChange {
  range: { start: Position; end: Position };
  newText: string;
}

/** Maps offsets to positions in one text (line starts computed once). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }

  /** Offset of a position, clamped to the document (a column past the line end stops at the line end). */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] - 1 : this.text.length;
    const lineEnd = next > start && this.text.charCodeAt(next - 1) === 13 && position.line + 1 < this.starts.length ? next - 1 : next;
    return Math.min(start + Math.max(0, position.character), Math.max(start, lineEnd));
  }

  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return this.text.slice(this.starts[line], end).replace(/\r?\n$/, '');
  }
}

/** The minimal line-level edits turning `before` into `after`. */
export function minimalEdits(before: string, after: string): TextChange[] {
  const index = new LineIndex(before);
  const edits: TextChange[] = [];
  let offset = 0;
  let pending: { start: number; end: number; text: string } | null = null;
  const flush = () => {
    if (pending) edits.push({ range: { start: index.positionAt(pending.start), end: index.positionAt(pending.end) }, newText: pending.text });
    pending = null;
  };
  for (const part of diffLines(before, after)) {
    if (part.added) {
      pending ??= { start: offset, end: offset, text: '' };
      pending.text += part.value;
    } else if (part.removed) {
      pending ??= { start: offset, end: offset, text: '' };
      offset += part.value.length;
      pending.end = offset;
    } else {
      flush();
      offset += part.value.length;
    }
  }
  flush();
  return edits;
}

/** Applies edits (non-overlapping, on `text`) — used by tests and the CLI. */
export function applyEdits(text: string, edits: TextChange[]): string {
  const index = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The edit adding `# noqa: CODE` to a line, merged with an existing noqa comment. Null if already silenced. */
export function noqaEdit(lineText: string, line: number, code: string): TextChange | null {
  const existing = noqaCodes(lineText);
  if (existing === 'all' || existing.includes(code)) return null;
  const m = /#\s*noqa:\s*[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*/i.exec(lineText);
  if (m) {
    const end = m.index + m[0].length;
    return { range: { start: { line, character: end }, end: { line, character: end } }, newText: `, ${code}` };
  }
  const trimmed = lineText.replace(/\s+$/, '');
  return {
    range: { start: { line, character: trimmed.length }, end: { line, character: lineText.length } },
    newText: `  # noqa: ${code}`,
  };
}
