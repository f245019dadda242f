/**
 * Splits Markdown into top-level blocks so a streaming message can render each finished block once and
 * re-render only the growing tail (see ../shared/STYLE.md).
 *
 * A block ends at a run of blank lines outside a fenced code block, when the next line starts at column 0.
 * An indented next line (a list item's continuation, indented code) stays in the same block, so it keeps
 * its meaning. A fence left open keeps everything after it in the last block. Lines are judged only once a
 * later line exists, so every block but the last is final: more text never changes it.
 *
 * Known cost of splitting: a link reference or footnote defined in another block is not resolved, and a
 * list broken by blank lines renders as consecutive lists (an ordered one keeps its start number).
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let blanks: string[] = [];
  let fence: Fence | undefined;

  for (const line of text.split('\n')) {
    if (fence) {
      current.push(line);
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    if (isBlank(line)) {
      blanks.push(line);
      continue;
    }
    if (blanks.length > 0 && current.length > 0 && !startsIndented(line)) {
      blocks.push(current.join('\n'));
      current = [];
    } else {
      current.push(...blanks);
    }
    blanks = [];
    current.push(line);
    fence = opensFence(line);
  }

  current.push(...blanks);
  const tail = current.join('\n');
  if (tail !== '') blocks.push(tail);
  return blocks;
}

interface Fence {
  char: '`' | '~';
  length: number;
}

function isBlank(line: string): boolean {
  return /^\s*$/.test(line);
}

function startsIndented(line: string): boolean {
  return line.startsWith(' ') || line.startsWith('\t');
}

// Any indentation counts, unlike CommonMark's three spaces: taking indented code for a fence only merges
// blocks (slower, still correct), while missing a fence in a list item would split the code inside it.
function opensFence(line: string): Fence | undefined {
  const match = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
  const marker = match?.[1];
  if (!marker) return undefined;
  const char = marker[0] === '`' ? '`' : '~';
  // A backtick fence's info string cannot hold a backtick: "```a`b" is inline code, not a fence.
  if (char === '`' && match[2]?.includes('`')) return undefined;
  return { char, length: marker.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const marker = /^\s*(`{3,}|~{3,})\s*$/.exec(line)?.[1];
  return marker !== undefined && marker[0] === fence.char && marker.length >= fence.length;
}
