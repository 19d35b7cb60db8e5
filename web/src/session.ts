// Who is signed in (a cookie session), asked of the server once per page load
// and after login or logout. Pages that need a person send them to /login.

import { ApiError, me, type Me } from './api';

let current: Promise<Me | null> | null = null;

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
