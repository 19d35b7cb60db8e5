// Where the online submission keeps its drafts: localStorage, under the key of
// the account that typed them. The browser may be a shared one (a commune
// office's kiosk), so a draft is never shown to another account, and every
// draft goes at sign-out: the name, ID number, phone and address in it are
// the citizen's own.

const kPrefix = 'motcua.user.';
// Keys of an earlier release, tied to no account: they cannot be attributed, so they are dropped.
const kLegacy = ['motcua.draft.', 'motcua.bundle-draft.'];

/** The key of `user`'s draft for one procedure or one bundle. */
export function draftKey(user: number, kind: 'procedure' | 'bundle', code: string): string {
  return `${kPrefix}${user}.${kind === 'procedure' ? 'draft' : 'bundle-draft'}.${code}`;
}

function storedKeys(): string[] {
  const out: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k) out.push(k);
  }
  return out;
}

/** Removes the drafts of every account but `keep` (none kept when it is null), and those of no account. */
export function forgetDrafts(keep: number | null = null): void {
  try {
    const own = keep === null ? null : `${kPrefix}${keep}.`;
    for (const k of storedKeys()) {
      const mine = own !== null && k.startsWith(own);
      if ((k.startsWith(kPrefix) && !mine) || kLegacy.some((p) => k.startsWith(p))) localStorage.removeItem(k);
    }
  } catch {
    // Storage disabled: nothing was kept either.
  }
}
