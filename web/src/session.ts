// Who is signed in (a cookie session), asked of the server once per page load
// and after login or logout. Pages that need a person send them to /login.

import { ApiError, logout, me, onSession, type Me } from './api';
import { h } from './dom';
import { forgetDrafts } from './drafts';
import { t } from './i18n';

let current: Promise<Me | null> | null = null;

// A session found gone is asked for again next time (it may be signed in anew in another
// tab meanwhile); one found again by /auth/me is the answer until then.
onSession((who) => {
  current = who ? Promise.resolve(who) : null;
});

export function whoAmI(): Promise<Me | null> {
  if (!current) {
    current = me().catch((err) => {
      if (err instanceof ApiError && err.status === 401) return null;
      current = null;
      throw err;
    });
  }
  return current;
}

export function setSignedIn(who: Me | null): void {
  current = Promise.resolve(who);
}

/** Whether `who` holds `permission` at any reach (/auth/me lists only those held). */
export function may(who: Me | null, permission: string): boolean {
  const scope = who?.permissions?.[permission];
  return !!scope && scope !== 'none';
}

/** Whether `who` works the dossier desk (receives, processes, decides or returns). */
export function worksDesk(who: Me | null): boolean {
  return ['dossier.receive', 'dossier.process', 'dossier.approve', 'dossier.return'].some((p) => may(who, p));
}

/** Where `who` can work once signed in: a 403 page is no place to land. */
export function homeFor(who: Me | null): string {
  if (!who) return '/';
  if (who.user.kind === 'citizen') return '/my';
  if (worksDesk(who)) return '/desk';
  if (may(who, 'users.admin')) return '/admin/users';
  return may(who, 'stats.read') ? '/ops' : '/';
}

/** Ends the session on the server, forgets it (and every submission draft) here and goes home. */
export async function signOut(): Promise<void> {
  // First, whatever the server answers: the next person at this browser sees none of them.
  forgetDrafts();
  try {
    await logout();
  } catch (err) {
    // Already gone (401) is what was wanted; anything else must be seen.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  setSignedIn(null);
  window.location.assign('/');
}

export function isStaff(who: Me | null): boolean {
  return !!who && who.user.kind === 'staff';
}

/** Sends the browser to the login page, coming back here afterwards. */
export function goLogin(): void {
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/login?next=${encodeURIComponent(next)}`);
}

/** Whether a session may exist: its anti-forgery cookie is readable, the session's own is not. */
export function mayBeSignedIn(): boolean {
  return document.cookie.split(';').some((c) => c.trim().startsWith('motcua_csrf='));
}

/** Said under a form's error when the session ended while the form was filled (a 401): the
 * sign-in opens in a new tab, so what was typed here stays to be sent again afterwards. */
export function signInAgain(err: unknown): HTMLElement | null {
  if (!(err instanceof ApiError && err.status === 401)) return null;
  const next = window.location.pathname + window.location.search;
  return h(
    'p',
    { class: 'sign-in-again' },
    t('session.lost_kept'),
    ' ',
    h('a', { href: `/login?next=${encodeURIComponent(next)}`, target: '_blank', rel: 'noopener', id: 'sign-in-again' }, t('session.sign_in_again')),
  );
}
