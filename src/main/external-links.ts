/**
 * Which links the app may hand to the system browser.
 *
 * The window itself never navigates or opens windows (main/index.ts denies both); a
 * link the person clicks opens in their browser only if it is `https:` and its host is
 * on this list of documentation sites the UI links to. Everything else is dropped, so a
 * hostile value shown in the UI (env values are remote data) cannot launch URLs.
 */

/** Hosts (and their subdomains) whose https pages the UI may open. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'github.com',
  'code.visualstudio.com',
  'man.openbsd.org',
  'manpages.debian.org',
  'www.gnu.org',
  'go.dev',
  'docs.npmjs.com',
  'pip.pypa.io',
  'git-scm.com',
  'www.freedesktop.org',
  'specifications.freedesktop.org',
];

/** Whether `url` may be opened with shell.openExternal. */
export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || (u.port && u.port !== '443')) return false;
  const host = u.hostname.toLowerCase();
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}
