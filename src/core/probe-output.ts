/**
 * Streaming parser for the probe's framed output.
 *
 * The probe's stdout is hostile input: startup files that ran before the probe (the
 * `ssh-command` shell reads ~/.bashrc on Debian) may print banners, ANSI codes, binary
 * junk, or lines that imitate framing. Only lines carrying this run's random marker are
 * framing; inside a data block only base64 lines count, and every block is checked
 * against the byte length and POSIX `cksum` the probe computed on the host. Grammar:
 * docs/probe-protocol.md.
 */

import { base64Decode, latin1, posixCksum } from './bytes';

/** One block of bytes the probe sent, verified. */
export interface ProbeData {
  tag: string;
  bytes: Uint8Array;
}

/** A context's framed result, complete when its ENDCTX line arrived. */
export interface ProbeContextFrame {
  type: 'context';
  context: string;
  outcome: 'done' | 'timeout';
  exitCode?: number;
  /** Host uptime (seconds) when the context started and ended. */
  startedAt?: number;
  endedAt?: number;
  /** Verified data blocks by tag: env, err, trace, out, cmdline. */
  data: Record<string, Uint8Array>;
  /** For process contexts: pid and start time in clock ticks since boot. */
  pid?: number;
  startTicks?: number;
  /** Blocks that failed their length or checksum check. */
  corrupt: string[];
}

/** Everything the parser can report, in arrival order. */
export type ProbeFrame =
  | { type: 'begin'; protocol: number }
  | { type: 'host'; key: string; value: string }
  | { type: 'run'; context: string; command: string }
  | { type: 'status'; context: string; status: 'unavailable' | 'error'; reason: string }
  | ProbeContextFrame
  | { type: 'data'; tag: string; bytes: Uint8Array }
  | { type: 'corrupt'; tag: string; context?: string; message: string }
  | { type: 'fatal'; message: string }
  | { type: 'done' };

interface OpenBlock {
  tag: string;
  length: number;
  cksum: number;
  lines: string[];
}

const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;

/**
 * Incremental parser: feed stdout chunks with {@link ProbeOutputParser.push}, get frames.
 *
 * Works on bytes and splits on `\n` itself, so multi-byte or binary junk never confuses
 * it, and memory stays proportional to the block being received.
 */
export class ProbeOutputParser {
  private readonly prefix: string;
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private block: OpenBlock | undefined;
  private context: ProbeContextFrame | undefined;
  /** Bytes of output that were not framing (rc-file noise), for diagnostics. */
  noiseBytes = 0;
  /** Whether the DONE line has been seen. */
  finished = false;

  constructor(readonly marker: string) {
    this.prefix = `${marker} `;
  }

  /** Feed a chunk of stdout; returns the frames completed by it. */
  push(chunk: Uint8Array): ProbeFrame[] {
    const frames: ProbeFrame[] = [];
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      let line: string;
      if (this.pendingLength) {
        this.pending.push(chunk.subarray(start, i));
        line = latin1(concat(this.pending, this.pendingLength + (i - start)));
        this.pending = [];
        this.pendingLength = 0;
      } else {
        line = latin1(chunk, start, i);
      }
      this.line(line, frames);
      start = i + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.slice(start));
      this.pendingLength += chunk.length - start;
    }
    return frames;
  }

  /** Signal end of output; returns any frame the trailing partial line completes. */
  end(): ProbeFrame[] {
    const frames: ProbeFrame[] = [];
    if (this.pendingLength) {
      const line = latin1(concat(this.pending, this.pendingLength));
      this.pending = [];
      this.pendingLength = 0;
      this.line(line, frames);
    }
    return frames;
  }

  private line(raw: string, frames: ProbeFrame[]): void {
    const at = raw.indexOf(this.prefix);
    if (this.block) {
      if (at === -1) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (BASE64_LINE.test(line)) this.block.lines.push(line);
        else this.noiseBytes += raw.length + 1;
        return;
      }
    }
    if (at === -1) {
      this.noiseBytes += raw.length + 1;
      return;
    }
    if (at > 0) this.noiseBytes += at;
    const words = raw.slice(at + this.prefix.length).split(' ');
    const verb = words[0] ?? '';
    const rest = (n: number): string => words.slice(n).join(' ');
    switch (verb) {
      case 'BEGIN':
        frames.push({ type: 'begin', protocol: Number(words[1]) });
        return;
      case 'HOST':
        frames.push({ type: 'host', key: words[1] ?? '', value: rest(2) });
        return;
      case 'RUN':
        frames.push({ type: 'run', context: words[1] ?? '', command: rest(2) });
        return;
      case 'STATUS': {
        const status = words[2] === 'unavailable' ? 'unavailable' : 'error';
        frames.push({ type: 'status', context: words[1] ?? '', status, reason: rest(3) });
        return;
      }
      case 'CTX': {
        const outcome = words[2] === 'timeout' ? 'timeout' : 'done';
        const frame: ProbeContextFrame = { type: 'context', context: words[1] ?? '', outcome, data: {}, corrupt: [] };
        if (outcome === 'done') {
          frame.exitCode = toNumber(words[3]);
          frame.startedAt = toNumber(words[4]);
          frame.endedAt = toNumber(words[5]);
        }
        this.context = frame;
        return;
      }
      case 'PROC':
        if (this.context && this.context.context === words[1]) {
          this.context.pid = toNumber(words[2]);
          this.context.startTicks = toNumber(words[3]);
        }
        return;
      case 'DATA':
        this.block = { tag: words[1] ?? '', length: Number(words[2]), cksum: Number(words[3]), lines: [] };
        return;
      case 'END':
        this.closeBlock(frames);
        return;
      case 'ENDCTX':
        if (this.context) frames.push(this.context);
        this.context = undefined;
        return;
      case 'FATAL':
        frames.push({ type: 'fatal', message: rest(1) });
        return;
      case 'DONE':
        this.finished = true;
        frames.push({ type: 'done' });
        return;
      default:
        this.noiseBytes += raw.length + 1;
    }
  }

  private closeBlock(frames: ProbeFrame[]): void {
    const block = this.block;
    this.block = undefined;
    if (!block) return;
    let bytes: Uint8Array | undefined;
    let problem: string | undefined;
    try {
      bytes = base64Decode(block.lines.join(''));
      if (bytes.length !== block.length) problem = `expected ${block.length} bytes, got ${bytes.length}`;
      else if (posixCksum(bytes) !== block.cksum) problem = 'checksum mismatch';
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem || !bytes) {
      const message = `data block "${block.tag}" failed its integrity check (${problem ?? 'unknown'}); output was corrupted in transit or interleaved with other output`;
      if (this.context) this.context.corrupt.push(message);
      frames.push({ type: 'corrupt', tag: block.tag, context: this.context?.context, message });
      return;
    }
    if (this.context) this.context.data[block.tag] = bytes;
    else frames.push({ type: 'data', tag: block.tag, bytes });
  }
}

function toNumber(word: string | undefined): number | undefined {
  if (word === undefined || word === '') return undefined;
  const n = Number(word);
  return Number.isFinite(n) ? n : undefined;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
