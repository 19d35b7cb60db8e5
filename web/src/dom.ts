// A tiny element builder: text always goes in as text nodes, never as HTML.

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') {
        el.addEventListener(name.slice(2).toLowerCase(), value);
      } else if (name === 'value' && 'value' in el) {
        (el as HTMLInputElement).value = String(value);
      } else if (value === true) {
        el.setAttribute(name, '');
      } else {
        el.setAttribute(name, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
}

/**
 * A form field: its label, the control it names (by the control's id), and a
 * hint shown under it (`hint` is [id, text]; give the control
 * `aria-describedby` the same id). `grow` lets it take the row's free width.
 */
export function field(id: string, label: string, control: Node, opts: { grow?: boolean; hint?: [string, string] } = {}): HTMLDivElement {
  return h(
    'div',
    { class: opts.grow ? 'field grow' : 'field' },
    h('label', { for: id }, label),
    control,
    opts.hint ? h('p', { class: 'hint', id: opts.hint[0] }, opts.hint[1]) : null,
  );
}

/** Replaces every child of el. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Today's date in Vietnam (UTC+7) as YYYY-MM-DD, the API's default for `at`. */
export function todayInVietnam(): string {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}
