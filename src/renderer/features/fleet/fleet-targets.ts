/**
 * The hosts of a fleet run as the person gives them: picked from the host list, and
 * pasted one per line (blank lines and `#` comments allowed, as in a hosts file).
 */
import { parseTarget } from '../../../core/target';

/** One pasted line that is not a target, with why. */
export interface PastedProblem {
  /** 1-based line number. */
  line: number;
  text: string;
  message: string;
}

/** Targets read from pasted text, in order and without duplicates, and the lines that are not targets. */
export interface PastedTargets {
  targets: string[];
  problems: PastedProblem[];
  /** Lines given twice (counted once). */
  duplicates: number;
}

/**
 * Read pasted targets: one per line; everything from `#` to the end of a line is a
 * comment; surrounding blanks are ignored. Each target is checked with the same parser
 * capture uses, and kept exactly as written (an alias stays an alias).
 */
export function parsePastedTargets(text: string): PastedTargets {
  const targets: string[] = [];
  const seen = new Set<string>();
  const problems: PastedProblem[] = [];
  let duplicates = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const line = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (line === '') return;
    try {
      parseTarget(line);
    } catch (error) {
      problems.push({ line: i + 1, text: line, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (seen.has(line)) {
      duplicates++;
      return;
    }
    seen.add(line);
    targets.push(line);
  });
  return { targets, problems, duplicates };
}

/** Picked targets then pasted ones, each once, in that order. */
export function mergeTargets(picked: readonly string[], pasted: readonly string[]): string[] {
  return [...new Set([...picked, ...pasted])];
}
