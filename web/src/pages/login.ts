// Sign in with a cookie session (HttpOnly; the anti-forgery token is echoed by
// the client on every change), then back to where the person was going.

import { errorMessage, login, me } from '../api';
import { field, h, replace } from '../dom';
import { forgetDrafts } from '../drafts';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { homeFor, setSignedIn } from '../session';

export const loginPage: PageFactory = (root, url) => {
  let error: unknown = null;
  let busy = false;
  let username = ''; // kept when a refusal draws the form again; the password is typed again
  // Only a page of this origin: browsers read `/\host` and `/<TAB>/host` as `//host`, so the
  // text is resolved as they would and refused with a backslash or control character in it.
  const safeNext = (() => {
    const n = url.searchParams.get('next') ?? '';
    if (!n.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(n)) return '';
    let to: URL;
    try {
      to = new URL(n, window.location.origin);
    } catch {
      return '';
    }
    return to.origin === window.location.origin ? to.pathname + to.search + to.hash : '';
  })();

  const page = {
    title: () => `${t('login.title')} · motcua`,
    render() {
      const user = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, value: username });
      const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
      const alert = error
        ? h('div', { class: 'alert', role: 'alert', id: 'login-error' }, h('p', null, errorMessage(error)))
        : null;
      const form = h(
        'form',
        { class: 'search-form', novalidate: true },
        field('login-username', t('login.username'), user, { grow: true }),
        field('login-password', t('login.password'), pass, { grow: true }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: busy }, t('login.submit'))),
      );
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        busy = true;
        username = user.value.trim();
        try {
          await login(username, pass.value);
          // The login answer names the account; its permissions come from /auth/me.
          const who = await me().catch(() => null);
          if (who) setSignedIn(who);
          // A shared browser: drafts another account left (its session expired unsigned-out) go.
          if (who) forgetDrafts(who.user.id);
          window.location.assign(safeNext || homeFor(who));
          return;
        } catch (err) {
          error = err;
        }
        busy = false;
        page.render();
      });
      replace(root, h('h1', null, t('login.title')), alert, form);
    },
  };
  return page;
};
