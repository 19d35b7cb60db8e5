// Users and roles, for a unit or system administrator: the staff accounts in
// their reach with their roles and unit, and a form to open a staff account.

import { createUser, errorMessage, isAbort, listUsers, type User } from '../api';
import { field, h, replace } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { goLogin, whoAmI } from '../session';

const kRoles = ['receiving_officer', 'specialist', 'leader', 'unit_admin', 'postal_agent'];

export const usersPage: PageFactory = (root) => {
  let users: User[] = [];
  let error: unknown = null;
  let formError: unknown = null;
  let created: User | null = null;
  let unit = '';
  // What was typed and ticked in the form, kept when a refusal draws the page
  // again (the password is not: it is typed again).
  let typed: Record<string, string> = {};
  let roles = new Set<string>();
  // One request at a time: a second click would ask for the same username again.
  let busy = false;
  const controller = new AbortController();

  async function load(): Promise<void> {
    try {
      const who = await whoAmI();
      if (!who) return goLogin();
      unit = who.user.unit_code ?? '';
      users = (await listUsers({ kind: 'staff' }, controller.signal)).items;
      error = null;
    } catch (err) {
      if (isAbort(err)) return;
      error = err;
    }
    page.render();
  }

  const page = {
    title: () => `${t('users.title')} · motcua`,
    render() {
      const title = h('h1', null, t('users.title'));
      if (error) {
        replace(root, title, h('div', { class: 'alert', role: 'alert', id: 'users-error' }, h('p', null, errorMessage(error))));
        return;
      }
      const table = h(
        'table',
        { id: 'users-table' },
        h('caption', null, t('users.caption')),
        h('thead', null, h('tr', null, ...['users.name', 'users.username', 'users.unit', 'users.roles'].map((k) => h('th', { scope: 'col' }, t(k as 'users.name'))))),
        h(
          'tbody',
          null,
          users.map((u) =>
            h('tr', { 'data-username': u.username }, h('th', { scope: 'row' }, u.display_name), h('td', null, u.username), h('td', null, u.unit_code ?? ''), h('td', null, u.roles.map((r) => t(`role.${r}` as 'users.name')).join(', '))),
          ),
        ),
      );
      const textField = (name: string, label: string, attrs: Record<string, string> = {}) =>
        field(`user-${name}`, label, h('input', { id: `user-${name}`, name, ...attrs, ...(name in typed ? { value: typed[name] } : {}) }), { grow: true });
      const form = h(
        'form',
        { class: 'search-form', id: 'user-form', novalidate: true },
        h('h2', null, t('users.new')),
        textField('display_name', t('users.name'), { required: 'true' }),
        textField('username', t('users.username'), { required: 'true', autocomplete: 'off' }),
        textField('unit_code', t('users.unit'), { value: unit }),
        textField('password', t('login.password'), { type: 'password', autocomplete: 'new-password', required: 'true' }),
        h(
          'fieldset',
          null,
          h('legend', null, t('users.roles')),
          h('ul', { class: 'ticks' }, kRoles.map((r) => h('li', null, h('input', { type: 'checkbox', name: 'roles', id: `user-role-${r}`, value: r, checked: roles.has(r) }), h('label', { for: `user-role-${r}` }, t(`role.${r}` as 'users.name'))))),
        ),
        formError ? h('div', { class: 'alert', role: 'alert', id: 'user-form-error' }, h('p', null, errorMessage(formError))) : null,
        created ? h('p', { class: 'notice found', id: 'user-created' }, t('users.created', { name: created.display_name })) : null,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'user-create', disabled: busy }, t('users.create'))),
      );
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (busy) return;
        busy = true;
        form.querySelector<HTMLButtonElement>('#user-create')!.disabled = true;
        const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value.trim();
        typed = { display_name: v('display_name'), username: v('username'), unit_code: v('unit_code') };
        roles = new Set([...form.querySelectorAll<HTMLInputElement>('input[name=roles]:checked')].map((b) => b.value));
        try {
          created = await createUser({
            kind: 'staff',
            ...typed,
            password: (form.elements.namedItem('password') as HTMLInputElement).value,
            roles: [...roles],
          });
          // Made: the form starts again empty for the next account.
          typed = {};
          roles = new Set();
          formError = null;
        } catch (err) {
          formError = err;
          created = null;
        }
        busy = false;
        page.render();
        if (created && !formError) void load();
      });
      replace(root, title, table, form);
    },
    destroy() {
      controller.abort();
    },
  };
  void load();
  return page;
};
