import { describe, expect, it } from 'vitest';
import { EnvlensError } from '../shared/errors';
import { writeError } from './files';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: something, write`), { code });

describe('writeError', () => {
  it('fault: says a full disk is full, that nothing was written, and what to do', () => {
    const error = writeError('/out/s.json', errno('ENOSPC'), 'Choose another --out file.');
    expect([error.kind, error.message, error.hint]).toEqual(['io', 'cannot write /out/s.json: the disk is full (no space left on the device); nothing was written there', 'Choose another --out file.']);
  });

  it('names read-only file systems and permissions in words', () => {
    expect(writeError('/x', errno('EROFS')).message).toBe('cannot write /x: the file system is read-only; nothing was written there');
    expect(writeError('/x', errno('EACCES')).message).toBe('cannot write /x: permission denied; nothing was written there');
  });

  it('keeps the message of an unknown errno, and passes EnvlensErrors through', () => {
    expect(writeError('/x', errno('EWHATEVER')).message).toBe('cannot write /x: EWHATEVER: something, write; nothing was written there');
    const original = new EnvlensError('usage', 'bad');
    expect(writeError('/x', original)).toBe(original);
  });
});
