/**
 * Long values in the detail pane. Chromium lays out one long run of wrapped text in a time that
 * grows faster than its length (tab-separated lines of 50k characters: about a second in one
 * element), so opening an object with huge values froze the pane. A value longer than
 * `PREVIEW_CHARS` shows its beginning and a "Show all N characters" button; the whole value is then
 * laid out in blocks of at most `BLOCK_CHARS` characters, cut after a line break where the value has
 * one, so no single block is long. Text only: every piece is a Text node.
 */
import { append, h } from './dom';
import { formatCount } from './labels';

/** Characters of a value shown before "Show all". */
export const PREVIEW_CHARS = 1000;
/** Longest block of an expanded value. */
export const BLOCK_CHARS = 2000;

/** True when `i` falls between the two halves of a surrogate pair of `text`. */
function insidePair(text: string, i: number): boolean {
  const before = text.charCodeAt(i - 1);
  const at = text.charCodeAt(i);
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff;
}

/** Where the preview of `text` ends: at most `limit` characters, never inside a surrogate pair. */
export function previewEnd(text: string, limit = PREVIEW_CHARS): number {
  if (text.length <= limit) return text.length;
  return insidePair(text, limit) ? limit - 1 : limit;
}

/**
 * `text` as consecutive pieces of at most `size` characters (one more only to keep a surrogate
 * pair whole when `size` is 1), each cut after its last line break when it has one, never inside a
 * surrogate pair. Joined, the pieces are `text`.
 */
export function splitBlocks(text: string, size = BLOCK_CHARS): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl >= start) end = nl + 1;
      else if (insidePair(text, end)) end = end - 1 > start ? end - 1 : end + 1;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/**
 * A value for the detail pane: a Text node, or for a value over `PREVIEW_CHARS` its beginning, an
 * ellipsis and a button that shows all of it (in blocks).
 */
export function longText(value: string): Node {
  if (value.length <= PREVIEW_CHARS) return document.createTextNode(value);
  const end = previewEnd(value);
  const wrap = h('span', { class: 'long-text' }, value.slice(0, end), '…');
  const total = formatCount(value.length);
  const more = h(
    'button',
    { type: 'button', class: 'link show-all', title: `Shows the ${formatCount(value.length - end)} characters not shown` },
    `Show all ${total} characters`,
  );
  more.addEventListener('click', (e) => {
    // The pane's other clicks (rows, links) must not see this one.
    e.stopPropagation();
    wrap.replaceChildren();
    append(wrap, ...splitBlocks(value).map((piece) => h('span', { class: 'long-text-block' }, piece)));
    wrap.classList.add('expanded');
  });
  append(wrap, ' ', more);
  return wrap;
}
