/**
 * The envlens version, written into every snapshot and report.
 *
 * Kept here rather than read from package.json at run time so the renderer, the CLI
 * bundle and the core all see the same constant; a unit test keeps it equal to
 * package.json's `version`.
 */
export const VERSION = '0.1.0';
