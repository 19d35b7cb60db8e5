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
import { mayReadStats, opsPage } from './pages/ops';
import { mayBeSignedIn, whoAmI } from './session';

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
  { href: '/my', key: 'nav.my' },
  { href: '/desk', key: 'nav.desk' },
  { href: '/units', key: 'nav.units' },
];
// Shown to those who may read the statistics, once the session says so.
const opsItem: { href: string; key: Key } = { href: '/ops', key: 'nav.ops' };
let showOps = false;

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
      (showOps ? [...navItems, opsItem] : navItems).map((item) => {
        const active = item.href === '/' ? path === '/' : path === item.href || path.startsWith(item.href + '/');
        return h('li', null, h('a', { href: item.href, 'aria-current': active ? 'page' : null }, t(item.key)));
      }),
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
  if (!currentPage()) refresh();
  // Only with a session cookie: an anonymous visit makes no extra request.
  if (mayBeSignedIn()) {
    whoAmI().then(
      (who) => {
        showOps = mayReadStats(who);
        if (showOps) refresh();
      },
      () => {},
    );
  }
  performance.mark('motcua:ready');
}
