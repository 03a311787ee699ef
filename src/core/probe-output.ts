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

import { Base64Accumulator, base64LineEnd, latin1, posixCksum } from './bytes';

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
  /**
   * For a `timeout`: CPU clock ticks the context's processes had used when the deadline
   * struck (live ones plus the children they reaped), and their states (`R`, `S`, `D`…).
   * Absent from probes older than this field.
   */
  cpuTicks?: number;
  states?: string;
}

/**
 * One run of one tool (tool views, docs/probe-protocol.md), complete when its ENDTOOL
 * line arrived. `key` identifies the run; `tools` frames map contexts to keys.
 */
export interface ProbeToolFrame {
  type: 'tool';
  tool: string;
  key: string;
  outcome: 'done' | 'timeout' | 'too-big';
  exitCode?: number;
  /** Verified data blocks by tag: path, version, out, err, fname, file. */
  data: Record<string, Uint8Array>;
  corrupt: string[];
}

/** Everything the parser can report, in arrival order. */
export type ProbeFrame =
  | { type: 'begin'; protocol: number }
  | { type: 'host'; key: string; value: string }
  | { type: 'run'; context: string; command: string }
  | { type: 'status'; context: string; status: 'unavailable' | 'error'; reason: string }
  | ProbeContextFrame
  | ProbeToolFrame
  | { type: 'tools'; context: string; runs: Record<string, string> }
  | { type: 'tools-skipped'; context: string; reason: string }
  | { type: 'data'; tag: string; bytes: Uint8Array }
  | { type: 'corrupt'; tag: string; context?: string; message: string }
  | { type: 'fatal'; message: string }
  | { type: 'done' };

interface OpenBlock {
  tag: string;
  length: number;
  cksum: number;
  /** The block's base64 lines, decoded as they arrive. */
  data: Base64Accumulator;
}

/**
 * Incremental parser: feed stdout chunks with {@link ProbeOutputParser.push}, get frames.
 *
 * Works on bytes and splits on `\n` itself, so multi-byte or binary junk never confuses
 * it, and memory stays proportional to the block being received. Base64 lines inside a
 * block (nearly all of an output) are decoded from the bytes as they are, never turned
 * into strings; only the other lines are read as text.
 */
export class ProbeOutputParser {
  private readonly prefix: string;
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private block: OpenBlock | undefined;
  private context: ProbeContextFrame | undefined;
  private tool: ProbeToolFrame | undefined;
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
      if (this.pendingLength) {
        this.pending.push(chunk.subarray(start, i));
        const line = concat(this.pending, this.pendingLength + (i - start));
        this.pending = [];
        this.pendingLength = 0;
        this.lineAt(line, 0, line.length, frames);
      } else {
        this.lineAt(chunk, start, i, frames);
      }
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
      const line = concat(this.pending, this.pendingLength);
      this.pending = [];
      this.pendingLength = 0;
      this.lineAt(line, 0, line.length, frames);
    }
    return frames;
  }

  /**
   * One line, `bytes[start, end)` without its `\n`. Inside a block, a line of base64
   * characters (optionally ending in `\r`) is data: it cannot hold the marker's prefix,
   * which has a space. Every other line is framing or noise, read as text.
   */
  private lineAt(bytes: Uint8Array, start: number, end: number, frames: ProbeFrame[]): void {
    if (this.block) {
      if (this.block.data.pushLine(bytes, start, end)) return;
      const stop = base64LineEnd(bytes, start, end);
      if (stop !== -1) {
        this.block.data.push(bytes, start, stop);
        return;
      }
    }
    this.line(latin1(bytes, start, end), frames);
  }

  /** A line that is not a block's base64 (see {@link lineAt}): framing, or noise. */
  private line(raw: string, frames: ProbeFrame[]): void {
    const at = raw.indexOf(this.prefix);
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
        } else {
          const cpu = toNumber(words[3]);
          if (cpu !== undefined) frame.cpuTicks = cpu;
          if (words[4] && /^[A-Za-z]+$/.test(words[4])) frame.states = words[4];
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
        this.block = { tag: words[1] ?? '', length: Number(words[2]), cksum: Number(words[3]), data: new Base64Accumulator(Number(words[2])) };
        return;
      case 'END':
        this.closeBlock(frames);
        return;
      case 'ENDCTX':
        if (this.context) frames.push(this.context);
        this.context = undefined;
        return;
      case 'TOOLS': {
        const runs: Record<string, string> = {};
        for (const word of words.slice(2)) {
          const m = /^([a-z]+):([0-9]+-[0-9]+)$/.exec(word);
          if (m) runs[m[1]!] = m[2]!;
        }
        frames.push({ type: 'tools', context: words[1] ?? '', runs });
        return;
      }
      case 'TOOLSKIP':
        frames.push({ type: 'tools-skipped', context: words[1] ?? '', reason: rest(2) });
        return;
      case 'TOOL': {
        const outcome = words[3] === 'timeout' ? 'timeout' : words[3] === 'too-big' ? 'too-big' : 'done';
        this.tool = { type: 'tool', tool: words[1] ?? '', key: words[2] ?? '', outcome, data: {}, corrupt: [] };
        if (outcome === 'done') this.tool.exitCode = toNumber(words[4]);
        return;
      }
      case 'ENDTOOL':
        if (this.tool) frames.push(this.tool);
        this.tool = undefined;
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
      bytes = block.data.finish();
      if (bytes.length !== block.length) problem = `expected ${block.length} bytes, got ${bytes.length}`;
      else if (posixCksum(bytes) !== block.cksum) problem = 'checksum mismatch';
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem || !bytes) {
      const message = `data block "${block.tag}" failed its integrity check (${problem ?? 'unknown'}); output was corrupted in transit or interleaved with other output`;
      if (this.context) this.context.corrupt.push(message);
      else if (this.tool) this.tool.corrupt.push(message);
      frames.push({ type: 'corrupt', tag: block.tag, context: this.context?.context ?? (this.tool ? `tool ${this.tool.tool}` : undefined), message });
      return;
    }
    if (this.context) this.context.data[block.tag] = bytes;
    else if (this.tool) this.tool.data[block.tag] = bytes;
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
