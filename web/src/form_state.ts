// What a person typed, ticked, chose or opened, kept across a page's redraw
// after a language switch. Pages rebuild their forms from their own state,
// and what lives only in the DOM (a half-typed refusal reason, an open action
// form, a file chosen) would otherwise be lost.

interface Saved {
  value?: string;
  checked?: boolean;
  files?: FileList;
  open?: boolean;
  selected?: string[];
}

export type FormState = Map<string, Saved>;

const kSelector = 'input, textarea, select, details';
const kSkipped = new Set(['button', 'submit', 'reset', 'image', 'hidden']);
// Parts of a form some pages fill in later (a procedure's papers, a unit's
// staff): their state is applied when they appear, for this long at most.
const kWaitMs = 5000;

/** An element's name across redraws: its id, else its place under the nearest ancestor with one. */
function keyOf(el: Element, root: Element): string {
  if (el.id) return `#${el.id}`;
  let base: Element = el.parentElement ?? root;
  while (base !== root && !base.id && base.parentElement) base = base.parentElement;
  const name = el.getAttribute('name') ?? '';
  const peers = [...base.querySelectorAll(el.tagName)].filter((x) => !x.id && (x.getAttribute('name') ?? '') === name);
  return `${base === root ? '' : `#${base.id}`} ${el.tagName}[${name}]:${peers.indexOf(el)}`;
}

function read(el: Element): Saved | null {
  if (el instanceof HTMLDetailsElement) return { open: el.open };
  if (el instanceof HTMLSelectElement) return { selected: [...el.selectedOptions].map((o) => o.value) };
  if (el instanceof HTMLTextAreaElement) return { value: el.value };
  if (!(el instanceof HTMLInputElement) || kSkipped.has(el.type)) return null;
  if (el.type === 'checkbox' || el.type === 'radio') return { checked: el.checked };
  if (el.type === 'file') return el.files?.length ? { files: el.files } : null;
  return { value: el.value };
}

/** Applies s to el; false when el cannot take it yet (a select whose options are still loading). */
function apply(el: Element, s: Saved): boolean {
  if (el instanceof HTMLDetailsElement) {
    if (s.open !== undefined) el.open = s.open;
  } else if (el instanceof HTMLSelectElement) {
    const want = s.selected ?? [];
    const options = [...el.options];
    if (!want.every((v) => options.some((o) => o.value === v))) return false;
    for (const o of options) o.selected = want.includes(o.value);
  } else if (el instanceof HTMLInputElement && el.type === 'file') {
    if (s.files && !el.files?.length) el.files = s.files;
  } else if (el instanceof HTMLInputElement && s.checked !== undefined) {
    el.checked = s.checked;
  } else if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && s.value !== undefined) {
    if (el.value !== s.value) el.value = s.value;
  }
  return true;
}

let waiting: FormState = new Map();
let watcher: MutationObserver | null = null;
let timer = 0;

/** Stops applying what a former redraw still waited for (the page was left, or redrawn again). */
export function forgetForms(): void {
  watcher?.disconnect();
  watcher = null;
  clearTimeout(timer);
  waiting = new Map();
}

/** The state of every form control and <details> under root, with what is still waiting to be applied. */
export function captureForms(root: Element): FormState {
  const out: FormState = new Map(waiting);
  for (const el of root.querySelectorAll(kSelector)) {
    const s = read(el);
    if (s) out.set(keyOf(el, root), s);
  }
  return out;
}

/** Puts state back on the redrawn page, now and as the parts it loads later appear. */
export function restoreForms(root: Element, state: FormState): void {
  forgetForms();
  waiting = new Map(state);
  const pass = () => {
    for (const el of root.querySelectorAll(kSelector)) {
      const key = keyOf(el, root);
      const s = waiting.get(key);
      if (s && apply(el, s)) waiting.delete(key);
    }
    if (!waiting.size) forgetForms();
  };
  pass();
  if (!waiting.size) return;
  watcher = new MutationObserver(pass);
  watcher.observe(root, { childList: true, subtree: true });
  timer = window.setTimeout(forgetForms, kWaitMs);
}
