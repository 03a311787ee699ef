import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Encode, posixCksum } from './bytes';
import { ProbeOutputParser, type ProbeFrame } from './probe-output';

const M = '0123456789abcdef0123456789abcdef';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function block(tag: string, bytes: Uint8Array, lineWidth = 76): string {
  const b64 = base64Encode(bytes);
  const lines = b64.match(new RegExp(`.{1,${lineWidth}}`, 'g')) ?? [];
  return `${M} DATA ${tag} ${bytes.length} ${posixCksum(bytes)}\n${lines.join('\n')}${lines.length ? '\n' : ''}${M} END ${tag}\n`;
}

function contextOutput(env: string): string {
  return `${M} BEGIN 1\n${M} CTX login done 0 10.00 10.25\n${block('env', enc(env))}${M} ENDCTX login\n${M} DONE\n`;
}

function parseAll(text: string | Uint8Array, chunkSizes?: number[]): ProbeFrame[] {
  const bytes = typeof text === 'string' ? enc(text) : text;
  const parser = new ProbeOutputParser(M);
  const frames: ProbeFrame[] = [];
  let at = 0;
  for (const size of chunkSizes ?? [bytes.length]) {
    frames.push(...parser.push(bytes.subarray(at, at + size)));
    at += size;
  }
  frames.push(...parser.push(bytes.subarray(at)), ...parser.end());
  return frames;
}

const contextFrames = (frames: ProbeFrame[]) => frames.filter((f) => f.type === 'context');

describe('ProbeOutputParser', () => {
  it('returns a context with its verified env block', () => {
    const [ctx] = contextFrames(parseAll(contextOutput('A=1\0B=2\0')));
    expect(new TextDecoder().decode(ctx!.data.env)).toBe('A=1\0B=2\0');
  });

  it('reads exit status and host uptimes', () => {
    const [ctx] = contextFrames(parseAll(contextOutput('A=1\0')));
    expect([ctx!.exitCode, ctx!.startedAt, ctx!.endedAt]).toEqual([0, 10, 10.25]);
  });

  it('ignores banners, ANSI codes and binary junk before, between and inside blocks', () => {
    const noisy = `Welcome!\n\x1b[31mred\x1b[0m\n\x00\x01\xff\n${M} BEGIN 1\nmotd line\n${M} CTX login done 0 1 2\n${M} DATA env 4 ${posixCksum(enc('A=1\0'))}\n\x1b[2J junk line\n${base64Encode(enc('A=1\0'))}\n${M} END env\n${M} ENDCTX login\n`;
    const [ctx] = contextFrames(parseAll(noisy));
    expect(new TextDecoder().decode(ctx!.data.env)).toBe('A=1\0');
  });

  it('finds a marker that follows junk on the same line (no newline after a banner)', () => {
    const text = `printf-without-newline${contextOutput('X=y\0')}`;
    expect(contextFrames(parseAll(text))).toHaveLength(1);
  });

  it('ignores framing lines carrying another marker (fake markers from rc files)', () => {
    const fake = `ffffffffffffffffffffffffffffffff CTX login done 0 1 2\n`;
    const frames = parseAll(fake + contextOutput('A=1\0'));
    expect(contextFrames(frames).map((f) => f.context)).toEqual(['login']);
  });

  it('reports a block whose bytes were corrupted (checksum) instead of using it', () => {
    const good = contextOutput('SECRET=1\0');
    const tampered = good.replace(base64Encode(enc('SECRET=1\0')), base64Encode(enc('SECRET=2\0')));
    const frames = parseAll(tampered);
    expect([contextFrames(frames)[0]!.data.env, contextFrames(frames)[0]!.corrupt.length]).toEqual([undefined, 1]);
  });

  it('reports a block with a base64-looking junk line interleaved (length check)', () => {
    const text = contextOutput('A=1\0').replace(`${M} END env`, `QUJDRA==\n${M} END env`);
    expect(contextFrames(parseAll(text))[0]!.corrupt[0]).toMatch(/integrity/);
  });

  it('gives the same frames whatever the chunking', () => {
    const text = enc(contextOutput('A=1\0B=line1\nline2\0'));
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 20 }), (sizes) => {
      const frames = contextFrames(parseAll(text, sizes));
      expect(new TextDecoder().decode(frames[0]!.data.env)).toBe('A=1\0B=line1\nline2\0');
    }));
  });

  it('decodes base64 lines from bytes: CRLF endings, noise lines skipped, any chunking; = inside a block is an error', () => {
    const env = 'A=1\0B=éé\0C=' + 'x'.repeat(200) + '\0';
    const crlf = contextOutput(env)
      .split('\n')
      .map((line, i) => (line.startsWith(M) || i % 2 ? line : `${line}\r`))
      .join('\n')
      .replace(`${M} END env`, `rc-file noise: not base64!\n\u001b[0m\n${M} END env`);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 30 }), (sizes) => {
      const frames = contextFrames(parseAll(crlf, sizes));
      expect(frames[0]!.corrupt).toEqual([]);
      expect(new TextDecoder().decode(frames[0]!.data.env)).toBe(env);
    }));
    const padded = contextOutput('A=1\0').replace(`${M} END env`, `AA==\nQUFB\n${M} END env`);
    expect(contextFrames(parseAll(padded))[0]!.corrupt[0]).toMatch(/invalid base64 character at offset \d+/);
  });

  it('never throws on arbitrary bytes, with or without the marker', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), fc.boolean(), (junk, withMarker) => {
      const bytes = withMarker ? new Uint8Array([...enc(`${M} DATA env 3 1\n`), ...junk]) : junk;
      expect(() => parseAll(bytes)).not.toThrow();
    }));
  });

  it('reports top-level data blocks, host facts and unavailable contexts', () => {
    const text = `${M} HOST shell /bin/bash\n${M} STATUS zsh unavailable zsh is not installed\n${block('startup', enc('1 /x'))}`;
    const frames = parseAll(text);
    expect(frames.map((f) => f.type)).toEqual(['host', 'status', 'data']);
    expect(frames[1]).toEqual({ type: 'status', context: 'zsh', status: 'unavailable', reason: 'zsh is not installed' });
  });
});

describe('ProbeOutputParser: tool views', () => {
  it('maps contexts to runs and collects each run with its verified blocks', () => {
    const text =
      `${M} BEGIN 1\n${M} TOOLS login go:123-45 git:6-7 npm:8-9 pip:10-11 bogus\n` +
      `${M} TOOL go 123-45 done 0 10.00 10.01\n${block('path', enc('/usr/bin/go'))}${block('out', enc('{}'))}${M} ENDTOOL go 123-45\n` +
      `${M} TOOL npm 8-9 timeout\n${M} ENDTOOL npm 8-9\n${M} TOOLSKIP systemd-user quoted a value\n${M} DONE\n`;
    const frames = parseAll(text);
    expect(frames.find((f) => f.type === 'tools')).toEqual({ type: 'tools', context: 'login', runs: { go: '123-45', git: '6-7', npm: '8-9', pip: '10-11' } });
    const go = frames.find((f) => f.type === 'tool' && f.tool === 'go');
    expect(go).toMatchObject({ key: '123-45', outcome: 'done', exitCode: 0 });
    expect(new TextDecoder().decode((go as { data: Record<string, Uint8Array> }).data.path)).toBe('/usr/bin/go');
    expect(frames.find((f) => f.type === 'tool' && f.tool === 'npm')).toMatchObject({ outcome: 'timeout', data: {} });
    expect(frames.find((f) => f.type === 'tools-skipped')).toEqual({ type: 'tools-skipped', context: 'systemd-user', reason: 'quoted a value' });
    expect(frames.some((f) => f.type === 'data')).toBe(false);
  });

  it('marks a tool run whose block fails its checksum as corrupt', () => {
    const good = block('out', enc('hello'));
    const bad = good.replace(/ (\d+)\n/, ' 1\n');
    const frames = parseAll(`${M} TOOL git 1-1 done 0 1 2\n${bad}${M} ENDTOOL git 1-1\n`);
    const git = frames.find((f) => f.type === 'tool');
    expect((git as { corrupt: string[] }).corrupt).toHaveLength(1);
  });
});
