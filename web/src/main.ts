import './styles.css';
import { h, replace } from './dom';
import { lang, onLangChange, setLang, t, type Key } from './i18n';
import { currentPage, notFound, rerender, route, start } from './router';
import { homePage } from './pages/home';
import { wherePage } from './pages/where';
import { unitsPage } from './pages/units';
import { unitPage } from './pages/unit';
import { notFoundPage } from './pages/not_found';
import { proceduresPage } from './pages/procedures';
import { procedurePage } from './pages/procedure';
import { trackPage } from './pages/track';
import { loginPage } from './pages/login';
import { deskPage } from './pages/desk';
import { dossierPage } from './pages/dossier';
import { bundleSubmitPage, submitPage } from './pages/submit';
import { intakePage } from './pages/intake';
import { calendarPage } from './pages/calendar';
import { usersPage } from './pages/users';
import { procedureEditPage } from './pages/procedure_edit';
import { opsPage } from './pages/ops';
import { errorMessage, onSession, type Me } from './api';
import { may, mayBeSignedIn, signOut, whoAmI, worksDesk } from './session';

route('/', homePage);
route('/where', wherePage);
route('/units', unitsPage);
route('/units/:code', unitPage);
route('/procedures', proceduresPage);
route('/procedures/:code', procedurePage);
route('/track', trackPage);
route('/track/:code', trackPage);
route('/login', loginPage);
route('/desk', deskPage);
route('/my', deskPage);
route('/dossiers/:ref', dossierPage);
route('/submit/:code', submitPage);
route('/submit-bundle/:code', bundleSubmitPage);
route('/intake', intakePage);
route('/calendar', calendarPage);
route('/admin/users', usersPage);
route('/admin/procedures/:code', procedureEditPage);
route('/ops', opsPage);
route('/ops/:unit', opsPage);
notFound(notFoundPage);

const navItems: { href: string; key: Key }[] = [
  { href: '/', key: 'nav.home' },
  { href: '/where', key: 'nav.where' },
  { href: '/procedures', key: 'nav.procedures' },
  { href: '/track', key: 'nav.track' },
  { href: '/units', key: 'nav.units' },
];
// Who is signed in, once the session says so: the navigation offers only what they may use.
let who: Me | null = null;
// Until /auth/me answers, neither "sign in" nor "sign out" is offered: either may be wrong.
let asking = mayBeSignedIn();
let signOutError: unknown = null;

function ownItems(): { href: string; key: Key }[] {
  if (!who) return [];
  const items: { href: string; key: Key }[] = [];
  if (who.user.kind === 'citizen') items.push({ href: '/my', key: 'nav.my' });
  // The inbox lists what the person may act on: empty for those who only read (supervisors).
  else if (worksDesk(who)) items.push({ href: '/desk', key: 'nav.desk' });
  if (may(who, 'users.admin')) items.push({ href: '/admin/users', key: 'nav.users' });
  if (may(who, 'stats.read')) items.push({ href: '/ops', key: 'nav.ops' });
  return items;
}

function accountItem(refresh: () => void): HTMLElement | null {
  if (asking) return null;
  if (!who) return h('li', null, h('a', { href: '/login', id: 'nav-login' }, t('nav.login')));
  const button = h('button', { type: 'button', class: 'sign-out', id: 'nav-logout' }, t('nav.logout'));
  button.addEventListener('click', () => {
    button.disabled = true;
    signOut().catch((err) => {
      signOutError = err;
      refresh();
    });
  });
  return h(
    'li',
    { class: 'account' },
    h('span', { id: 'nav-account' }, t('nav.signed_in_as', { name: who.user.display_name })),
    button,
    signOutError ? h('span', { role: 'alert', class: 'sign-out-error' }, errorMessage(signOutError)) : null,
  );
}

function buildShell(app: HTMLElement): { main: HTMLElement; refresh: () => void } {
  const skip = h('a', { class: 'skip-link', href: '#main' });
  const brandName = h('span', { class: 'brand-name' });
  const brandTag = h('span', { class: 'brand-tagline' });
  const brand = h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '1'), h('span', null, brandName, brandTag));
  const langButton = h('button', { type: 'button', class: 'lang-switch', id: 'lang-switch' });
  langButton.addEventListener('click', () => setLang(lang() === 'vi' ? 'en' : 'vi'));
  const navList = h('ul');
  const nav = h('nav', { class: 'site-nav' }, navList);
  const header = h('header', { class: 'site-header' }, h('div', { class: 'bar' }, brand, langButton), nav);
  const main = h('main', { id: 'main', tabindex: '-1' });
  const footerText = h('p');
  const apiLink = h('a', { href: '/api/v1/openapi.json', 'data-external': '' });
  const calendarLink = h('a', { href: '/calendar', id: 'footer-calendar' });
  const footer = h('footer', { class: 'site-footer' }, footerText, h('p', null, calendarLink), h('p', null, apiLink));
  replace(app, skip, header, main, footer);
  skip.addEventListener('click', (ev) => {
    ev.preventDefault();
    main.focus();
  });

  const refresh = () => {
    skip.textContent = t('skip');
    brandName.textContent = t('app.name');
    brandTag.textContent = t('app.tagline');
    langButton.textContent = t('lang.switch');
    langButton.setAttribute('lang', lang() === 'vi' ? 'en' : 'vi');
    langButton.setAttribute('aria-label', t('lang.switch_label'));
    nav.setAttribute('aria-label', t('nav.label'));
    const path = window.location.pathname;
    replace(
      navList,
      [...navItems, ...ownItems()].map((item) => {
        const active = item.href === '/' ? path === '/' : path === item.href || path.startsWith(item.href + '/');
        return h('li', null, h('a', { href: item.href, 'aria-current': active ? 'page' : null }, t(item.key)));
      }),
      accountItem(refresh),
    );
    footerText.textContent = t('footer.text');
    apiLink.textContent = t('footer.api');
    calendarLink.textContent = t('nav.calendar');
  };
  return { main, refresh };
}

const app = document.getElementById('app');
if (app) {
  document.documentElement.lang = lang();
  const { main, refresh } = buildShell(app);
  onLangChange(() => {
    rerender();
    refresh();
  });
  start(main, () => refresh());
  // A session that ended (a 401) or was found again (/auth/me) is said in the navigation at once.
  onSession((signedIn) => {
    who = signedIn;
    asking = false;
    refresh();
  });
  if (!currentPage()) refresh();
  // Only with a session cookie: an anonymous visit makes no extra request.
  if (mayBeSignedIn()) {
    whoAmI().then(
      (signedIn) => {
        who = signedIn;
        asking = false;
        refresh();
      },
      () => {
        asking = false;
        refresh();
      },
    );
  }
  performance.mark('motcua:ready');
}
