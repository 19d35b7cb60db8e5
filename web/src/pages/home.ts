import { h, replace } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';

export const homePage: PageFactory = (root) => ({
  title: () => `${t('app.name')} · motcua`,
  render() {
    replace(
      root,
      h(
        'section',
        { class: 'hero', 'aria-labelledby': 'home-title' },
        h('h1', { id: 'home-title' }, t('home.title')),
        h('p', { class: 'lead' }, t('home.lead')),
      ),
      h(
        'section',
        { 'aria-labelledby': 'home-tools' },
        h('h2', { id: 'home-tools' }, t('home.tools')),
        h(
          'ul',
          { class: 'cards' },
          h(
            'li',
            { class: 'card' },
            h('h3', null, h('a', { href: '/where', id: 'link-where' }, t('home.where.title'))),
            h('p', null, t('home.where.text')),
          ),
          h(
            'li',
            { class: 'card' },
            h('h3', null, h('a', { href: '/units', id: 'link-units' }, t('home.units.title'))),
            h('p', null, t('home.units.text')),
          ),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'home-about' },
        h('h2', { id: 'home-about' }, t('home.about.title')),
        h('ul', { class: 'ticks' }, h('li', null, t('home.about.1')), h('li', null, t('home.about.2')), h('li', null, t('home.about.3'))),
      ),
    );
  },
});
