/** The Electron executable, or why there is none (never downloads). */
export function findElectronBinary(): { path: string; reason?: undefined } | { path?: undefined; reason: string };
