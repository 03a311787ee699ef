/**
 * Serving the built UI (out/renderer) with the right types and no way out of the folder.
 *
 * The request path is decoded once, refused if it holds `..` segments, backslashes or
 * NUL, resolved inside the root, and checked again after resolving symbolic links, so
 * neither `/../`, `%2e%2e`, `..%2f` nor a symlink can reach a file outside.
 */

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** Content types of the files a Vite build produces. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** A file to send. */
export interface StaticFile {
  path: string;
  size: number;
  contentType: string;
}

/**
 * The file under `root` that `urlPath` names (`/` → index.html), or undefined when
 * there is none or the path is not allowed.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((segment) => segment === '..')) return undefined;
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const base = resolve(root);
  const full = resolve(join(base, relative));
  if (full !== base && !full.startsWith(base + sep)) return undefined;
  try {
    const [realBase, realFull] = await Promise.all([realpath(base), realpath(full)]);
    if (!realFull.startsWith(realBase + sep)) return undefined;
    const info = await stat(realFull);
    if (!info.isFile()) return undefined;
    return { path: realFull, size: info.size, contentType: CONTENT_TYPES[extname(realFull).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}

/** A read stream of the file. */
export function openStaticFile(file: StaticFile): NodeJS.ReadableStream {
  return createReadStream(file.path);
}
