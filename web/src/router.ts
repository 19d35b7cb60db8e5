// Client-side routing with the History API. The server answers index.html for
// any path without an extension, so every route below is a real, shareable URL.

import { captureForms, forgetForms, restoreForms } from './form_state';

export interface Page {
  /** The document title, in the current language. */
  title(): string;
  /** Builds (or rebuilds, after a language switch) the page inside its root. */
  render(): void;
  /** Cancels what the page still has in flight. */
  destroy?(): void;
}

export type PageFactory = (root: HTMLElement, url: URL, params: Record<string, string>) => Page;

interface Route {
  pattern: RegExp;
  names: string[];
  factory: PageFactory;
}

const routes: Route[] = [];
let fallback: PageFactory | null = null;
let outlet: HTMLElement | null = null;
let current: Page | null = null;
let onChange: ((page: Page) => void) | null = null;

/** Registers a path such as "/units/:code". */
export function route(path: string, factory: PageFactory): void {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  routes.push({ pattern: new RegExp(`^${source}/?$`), names, factory });
}

export function notFound(factory: PageFactory): void {
  fallback = factory;
}

export function currentPage(): Page | null {
  return current;
}

/** Decodes a path segment once; a malformed escape ("%E0") is kept as typed rather than thrown. */
function decodeOnce(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

function mount(focus: boolean): void {
  if (!outlet) return;
  const url = new URL(window.location.href);
  forgetForms();
  current?.destroy?.();
  current = null;
  let chosen: PageFactory | null = fallback;
  let params: Record<string, string> = {};
  for (const r of routes) {
    const m = r.pattern.exec(url.pathname);
    if (m) {
      chosen = r.factory;
      params = Object.fromEntries(r.names.map((n, i) => [n, decodeOnce(m[i + 1] ?? '')]));
      break;
    }
  }
  if (!chosen) return;
  // Each page draws into a container of its own. What a page left still
  // running (an answer that arrives late, a cached list) may draw again after
  // the page is gone: it then lands in its own detached container, not over
  // the page that came next.
  const root = document.createElement('div');
  outlet.replaceChildren(root);
  const page = chosen(root, url, params);
  current = page;
  page.render();
  document.title = page.title();
  onChange?.(page);
  if (focus) {
    // Tell assistive technology that the view changed: focus the new heading.
    const heading = outlet.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }
}

export function navigate(href: string, replace = false): void {
  const target = new URL(href, window.location.href);
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  mount(true);
}

/** Changes the query string of the current page without re-mounting it. */
export function setQuery(params: Record<string, string | null | undefined>, push: boolean): void {
  const url = new URL(window.location.href);
  url.search = '';
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  if (url.href === window.location.href) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function isInternalLink(a: HTMLAnchorElement, ev: MouseEvent): boolean {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey)
    return false;
  if (a.target && a.target !== '_self') return false;
  if (a.hasAttribute('download') || a.dataset.external !== undefined) return false;
  const url = new URL(a.href, window.location.href);
  if (url.origin !== window.location.origin) return false;
  // The API and files with an extension are not pages of the application.
  if (url.pathname.startsWith('/api/') || /\.[a-z0-9]+$/i.test(url.pathname)) return false;
  if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash)
    return false;
  return true;
}

export function start(root: HTMLElement, changed: (page: Page) => void): void {
  outlet = root;
  onChange = changed;
  document.addEventListener('click', (ev) => {
    const a = (ev.target as Element | null)?.closest?.('a');
    if (!a || !(a instanceof HTMLAnchorElement) || !isInternalLink(a, ev)) return;
    ev.preventDefault();
    navigate(a.href);
  });
  window.addEventListener('popstate', () => mount(true));
  mount(false);
}

/** Sets the document title from `page` once its answers are in, unless it
 * has been left since: a late answer must not name the page that replaced it. */
export function showTitle(page: Page): void {
  if (page === current) document.title = page.title();
}

/** Re-renders the current page in place (after a language switch), keeping
 * what was typed in its forms and which of its <details> were open. */
export function rerender(): void {
  if (!current) return;
  const root = outlet?.firstElementChild;
  const kept = root ? captureForms(root) : null;
  current.render();
  if (root && kept) restoreForms(root, kept);
  document.title = current.title();
  onChange?.(current);
}
