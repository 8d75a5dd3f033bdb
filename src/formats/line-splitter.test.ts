import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineSplitter } from './line-splitter.js';

interface Got {
  text: string;
  line: number;
  truncated: boolean;
}

function split(chunks: Buffer[], maxLineBytes?: number): Got[] {
  const got: Got[] = [];
  const s = createLineSplitter((text, line, truncated) => got.push({ text, line, truncated }), { maxLineBytes });
  for (const c of chunks) s.push(c);
  s.end();
  assert.equal(s.lines, got.length);
  return got;
}

const TEXT = 'première ligne\n\nthird — with UTF-8 ✓\nlast line without newline';

test('splits on \\n at every possible chunk boundary, including inside multi-byte characters', () => {
  const buf = Buffer.from(TEXT, 'utf8');
  const expected = TEXT.split('\n');
  for (let cut = 0; cut <= buf.length; cut++) {
    for (const size of [1, 3, 7]) {
      const chunks = [buf.subarray(0, cut)];
      for (let off = cut; off < buf.length; off += size) chunks.push(buf.subarray(off, off + size));
      const got = split(chunks);
      assert.deepEqual(got.map((g) => g.text), expected, `cut ${cut} size ${size}`);
      assert.deepEqual(got.map((g) => g.line), [1, 2, 3, 4]);
    }
  }
});

test('a final \\n does not produce an empty line; an empty input produces none', () => {
  assert.deepEqual(split([Buffer.from('a\nb\n')]).map((g) => g.text), ['a', 'b']);
  assert.deepEqual(split([Buffer.from('a\n\n')]).map((g) => g.text), ['a', '']);
  assert.deepEqual(split([]), []);
  assert.deepEqual(split([Buffer.alloc(0)]), []);
});

test('invalid UTF-8 is decoded with U+FFFD, lines keep their numbers', () => {
  const got = split([Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xc3]), Buffer.from([0x0a, 0x63])]);
  assert.deepEqual(got.map((g) => g.text), ['a\ufffdb', '\ufffd', 'c']);
});

test('a line longer than maxLineBytes is cut and flagged; the next line is intact', () => {
  const long = 'x'.repeat(100);
  const chunks = [Buffer.from('ok\n' + long.slice(0, 30)), Buffer.from(long.slice(30, 70)), Buffer.from(long.slice(70) + '\nafter\n')];
  const got = split(chunks, 50);
  assert.deepEqual(got, [
    { text: 'ok', line: 1, truncated: false },
    { text: 'x'.repeat(50), line: 2, truncated: true },
    { text: 'after', line: 3, truncated: false },
  ]);
});
