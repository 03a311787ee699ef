/**
 * Offering text to the person as a file, in both doors.
 *
 * A Blob behind a temporary `blob:` URL and a click on an `<a download>`: the browser
 * (browser mode) or Electron (its default download handler shows a Save dialog) saves
 * it. The CSP does not get in the way and needs no loosening: it governs what the page
 * loads and connects to, and a download is neither; `blob:` never appears in a fetch
 * or a resource load here. The URL is same-origin, so it is revoked soon after and only
 * ever used for this one download.
 */

/** Offers `text` to the person as a file download named `name`. */
export function downloadText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
