/**
 * The only way the report UI builds DOM. Every string child becomes a Text node and every
 * attribute is set with `setAttribute`, so report data (untrusted AD and cloud values) is never
 * parsed as HTML. There is deliberately no helper that takes markup.
 */

type Child = Node | string | null | undefined | false;

/** Attributes by name; `class` takes a string; `false`/`undefined` values are skipped. */
export type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates an element with attributes and children; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      // Event-handler attributes would be inline script (and are blocked by the CSP anyway).
      if (/^on/i.test(name)) throw new Error(`inline handler attribute "${name}" is not allowed`);
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

/** Appends children; strings become text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces all children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A codicon glyph (font icon from @vscode/codicons); decorative, hidden from screen readers. */
export function codicon(name: string, extraClass = ''): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`, 'aria-hidden': 'true' });
}

/**
 * A thumbnail URL from the report is used only if it is a base64 `data:` URI of a raster image
 * type. Anything else (`javascript:`, remote URLs, SVG) is dropped. The CSP (`img-src data:`)
 * would block remote loads too; this keeps the check close to the data.
 */
export function safeImageDataUri(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64 * 1024) return undefined;
  return /^data:image\/(png|jpeg|gif|webp|bmp);base64,[A-Za-z0-9+/]+={0,2}$/.test(value) ? value : undefined;
}
