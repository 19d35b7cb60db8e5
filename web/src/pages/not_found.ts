import { h, replace } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';

export const notFoundPage: PageFactory = (root) => ({
  title: () => `${t('notfound.title')} · motcua`,
  render() {
    replace(
      root,
      h('h1', null, t('notfound.title')),
      h('p', null, t('notfound.text')),
      h('p', null, h('a', { href: '/' }, t('nav.home'))),
    );
  },
});
