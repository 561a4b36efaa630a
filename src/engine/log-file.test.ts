import { closeSync, mkdtempSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { boundedLogFile } from './log-file.ts';

describe('boundedLogFile', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempLog = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-file-'));
    dirs.push(dir);
    return path.join(dir, 'engine.log');
  };

  it('leaves a file under the bound alone', () => {
    const log = boundedLogFile(tempLog(), { maxBytes: 100 });
    const fd = log.open();
    writeSync(fd, 'short line\n');
    expect(log.check()).toBe(false);
    expect(readFileSync(log.file, 'utf8')).toBe('short line\n');
    closeSync(fd);
  });

  it('keeps one old copy and lets a writer that holds the file go on at its new start', () => {
    const log = boundedLogFile(tempLog(), { maxBytes: 100 });
    // The writer's descriptor, as Meilisearch holds it: opened once, never reopened.
    const fd = log.open();
    writeSync(fd, 'a'.repeat(150) + '\n');
    expect(log.check()).toBe(true);
    expect(readFileSync(`${log.file}.1`, 'utf8')).toBe('a'.repeat(150) + '\n');
    expect(statSync(log.file).size).toBe(0);

    writeSync(fd, 'after rotation\n');
    // O_APPEND: no hole of 151 zero bytes before the new line.
    expect(readFileSync(log.file, 'utf8')).toBe('after rotation\n');

    writeSync(fd, 'b'.repeat(200) + '\n');
    expect(log.check()).toBe(true);
    expect(readFileSync(`${log.file}.1`, 'utf8')).toBe('after rotation\n' + 'b'.repeat(200) + '\n');
    closeSync(fd);
  });

  it('is quiet when the file does not exist yet', () => {
    expect(boundedLogFile(tempLog(), { maxBytes: 100 }).check()).toBe(false);
  });
});
