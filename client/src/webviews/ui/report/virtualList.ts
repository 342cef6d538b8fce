/**
 * A virtualized grid: fixed-height rows, only the visible ones (plus a little overscan) in the
 * DOM, recycled as the user scrolls, so 100k rows cost what 40 do. Keyboard model of VS Code's
 * lists: arrows, Home/End, PageUp/PageDown move the active row, Enter opens it. Focus stays on the
 * grid element and `aria-activedescendant` names the active row (WAI-ARIA grid pattern).
 */
import { h } from './dom';

export interface VirtualListOptions {
  /** Row height in CSS pixels; every row has exactly this height. */
  readonly rowHeight: number;
  /** Accessible name of the grid. */
  readonly label: string;
  /** The header row (column titles), kept in view while scrolling. */
  readonly header: HTMLElement;
  /** Creates an empty row element (called only while the pool grows). */
  createRow(): HTMLElement;
  /** Fills a row element with the row at `index` of the current view. */
  updateRow(el: HTMLElement, index: number): void;
  /** The active row changed (keyboard or mouse). */
  onActiveChange?(index: number): void;
  /** Enter on a row, or a click. */
  onOpen?(index: number): void;
  /** The scroll offset changed (throttled to one call a frame). */
  onScroll?(scrollTop: number): void;
  /** Rows were written to the DOM (after a data change or a scroll). */
  onRendered?(reason: 'data' | 'scroll' | 'resize' | 'active'): void;
}

const OVERSCAN = 8;

export class VirtualList {
  /** The scroll container; also the focusable grid. */
  readonly element: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly bound = new Map<number, HTMLElement>();
  private readonly free: HTMLElement[] = [];
  private count = 0;
  private activeIndex = -1;
  private frame = 0;
  private viewportHeight = 0;
  private headerHeight = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly options: VirtualListOptions) {
    this.body = h('div', { class: 'vlist-body', role: 'rowgroup' });
    this.element = h(
      'div',
      { class: 'vlist', role: 'grid', tabindex: 0, 'aria-label': options.label, 'aria-rowcount': 0 },
      options.header,
      this.body,
    );
    options.header.setAttribute('aria-rowindex', '1');
    this.element.addEventListener('scroll', () => this.schedule('scroll'), { passive: true });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('click', (e) => {
      const row = (e.target as Element).closest<HTMLElement>('.vrow');
      if (!row || row.dataset.index === undefined) return;
      const index = Number(row.dataset.index);
      this.setActive(index, false);
      this.element.focus({ preventScroll: true });
      options.onOpen?.(index);
    });
    this.resizeObserver = new ResizeObserver(() => {
      const height = this.element.clientHeight;
      if (height !== this.viewportHeight) this.schedule('resize');
    });
    this.resizeObserver.observe(this.element);
  }

  get active(): number {
    return this.activeIndex;
  }

  get size(): number {
    return this.count;
  }

  get scrollTop(): number {
    return this.element.scrollTop;
  }

  /** Rows that fit in the viewport. */
  get pageSize(): number {
    return Math.max(1, Math.floor((this.viewportHeight - this.headerHeight) / this.options.rowHeight));
  }

  /**
   * Replaces the data: `count` rows, rendered now (synchronously, so the caller can measure).
   * `scrollTop` restores a saved offset; `active` a saved selection (-1 for none).
   */
  setData(count: number, view: { scrollTop?: number; active?: number } = {}): void {
    this.count = count;
    this.body.style.height = `${count * this.options.rowHeight}px`;
    this.element.setAttribute('aria-rowcount', String(count + 1));
    for (const [, el] of this.bound) this.release(el);
    this.bound.clear();
    this.activeIndex = view.active !== undefined && view.active < count ? view.active : -1;
    if (view.scrollTop !== undefined) this.element.scrollTop = view.scrollTop;
    this.updateActiveDescendant();
    this.render('data');
  }

  /** Re-fills the visible rows (the data behind the same indices changed). */
  refresh(): void {
    for (const [index, el] of this.bound) this.options.updateRow(el, index);
  }

  /** Makes `index` the active row; scrolls it into view unless told not to. */
  setActive(index: number, scroll = true): void {
    if (this.count === 0) return;
    const next = Math.max(0, Math.min(this.count - 1, index));
    const changed = next !== this.activeIndex;
    this.bound.get(this.activeIndex)?.classList.remove('active');
    this.bound.get(this.activeIndex)?.setAttribute('aria-selected', 'false');
    this.activeIndex = next;
    if (scroll) this.scrollIntoView(next);
    this.updateActiveDescendant();
    this.render('active');
    if (changed) this.options.onActiveChange?.(next);
  }

  focus(): void {
    this.element.focus({ preventScroll: true });
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }

  private scrollIntoView(index: number): void {
    const rh = this.options.rowHeight;
    const top = index * rh;
    const visible = this.viewportHeight - this.headerHeight;
    const st = this.element.scrollTop;
    if (top < st) this.element.scrollTop = top;
    else if (top + rh > st + visible) this.element.scrollTop = top + rh - visible;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, this.pageSize - 1);
    const cur = this.activeIndex < 0 ? -1 : this.activeIndex;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = cur + 1;
        break;
      case 'ArrowUp':
        next = cur < 0 ? 0 : cur - 1;
        break;
      case 'PageDown':
        next = Math.max(cur, 0) + page;
        break;
      case 'PageUp':
        next = Math.max(cur, 0) - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.count - 1;
        break;
      case 'Enter':
        if (this.activeIndex >= 0) {
          e.preventDefault();
          this.options.onOpen?.(this.activeIndex);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    this.setActive(next);
  }

  private updateActiveDescendant(): void {
    if (this.activeIndex >= 0) this.element.setAttribute('aria-activedescendant', rowId(this.activeIndex));
    else this.element.removeAttribute('aria-activedescendant');
  }

  private schedule(reason: 'scroll' | 'resize'): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(reason);
      if (reason === 'scroll') this.options.onScroll?.(this.element.scrollTop);
    });
  }

  private render(reason: 'data' | 'scroll' | 'resize' | 'active'): void {
    // Reading layout once per render; writes below only touch rows.
    this.viewportHeight = this.element.clientHeight;
    this.headerHeight = this.options.header.offsetHeight;
    const rh = this.options.rowHeight;
    const st = this.element.scrollTop;
    const first = Math.max(0, Math.floor(st / rh) - OVERSCAN);
    const last = Math.min(this.count - 1, Math.ceil((st + this.viewportHeight) / rh) + OVERSCAN);
    for (const [index, el] of this.bound) {
      if (index < first || index > last) {
        this.bound.delete(index);
        this.release(el);
      }
    }
    for (let i = first; i <= last; i++) {
      let el = this.bound.get(i);
      if (!el) {
        el = this.free.pop() ?? this.make();
        el.dataset.index = String(i);
        el.id = rowId(i);
        el.setAttribute('aria-rowindex', String(i + 2));
        el.style.transform = `translateY(${i * rh}px)`;
        el.hidden = false;
        this.options.updateRow(el, i);
        this.bound.set(i, el);
      }
      const isActive = i === this.activeIndex;
      if (el.classList.contains('active') !== isActive) {
        el.classList.toggle('active', isActive);
        el.setAttribute('aria-selected', String(isActive));
      }
    }
    this.options.onRendered?.(reason);
  }

  private make(): HTMLElement {
    const el = this.options.createRow();
    el.classList.add('vrow');
    el.setAttribute('role', 'row');
    el.setAttribute('aria-selected', 'false');
    this.body.appendChild(el);
    return el;
  }

  private release(el: HTMLElement): void {
    el.hidden = true;
    el.classList.remove('active');
    delete el.dataset.index;
    el.removeAttribute('id');
    this.free.push(el);
  }
}

function rowId(index: number): string {
  return `vrow-${index}`;
}
