/**
 * npm postinstall: rebuilds nodejieba so that its load() builds only what the project uses.
 *
 * nodejieba's load() builds two segmenters: the one behind cut/cutForSearch/extract, and a
 * TextRank extractor with a second, private copy of the whole dictionary and HMM model. Nothing
 * here calls textRankExtract, and that copy costs every process that segments ~110 MB of
 * resident memory (284 → 171 MB RSS after load, measured with the default dictionary). The
 * addon is built from source on install anyway (its prebuilt binaries are not reachable), so
 * this patches its source to skip the TextRank extractor and builds it again (~10 s).
 * textRankExtract then fails with nodejieba's own "call load() first" error.
 *
 * Idempotent: a patched source whose binary is newer is left alone. If nodejieba's source no
 * longer has the expected shape (another version), it says so and leaves the addon as built.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const MARK = '  // notice-search (indexer/jieba-build.ts): no TextRankExtractor, see there.\n';
const FROM = '  delete _text_rank_extractor_handle;\n';
const TO = '  return Napi::Boolean::New(info.Env(), true);';

function nodeGyp(): string {
  // npm names its own node-gyp to lifecycle scripts; outside npm, the one beside node's npm.
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`node-gyp not found (tried ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

function main(): void {
  const dir = path.dirname(createRequire(import.meta.url).resolve('nodejieba/package.json'));
  const source = path.join(dir, 'lib/nodejieba.cpp');
  const binary = path.join(dir, 'build/Release/nodejieba.node');
  let text = readFileSync(source, 'utf8');
  if (!text.includes(MARK)) {
    const start = text.indexOf(FROM);
    const end = start < 0 ? -1 : text.indexOf(TO, start);
    if (start < 0 || end < 0 || !text.slice(start, end).includes('TextRankExtractor')) {
      console.warn(`jieba-build: ${source} does not have the expected load(); nodejieba left as installed (it works, with a second dictionary copy in memory)`);
      return;
    }
    text = text.slice(0, start) + MARK + text.slice(end);
    writeFileSync(source, text);
  } else if (existsSync(binary) && statSync(binary).mtimeMs > statSync(source).mtimeMs) {
    return;
  }
  console.error('jieba-build: building nodejieba without its TextRank dictionary copy');
  try {
    execFileSync(process.execPath, [nodeGyp(), 'rebuild', '--release'], { cwd: dir, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    process.stderr.write(err.stdout ?? '');
    process.stderr.write(err.stderr ?? '');
    throw new Error(`jieba-build: rebuilding nodejieba failed (${err.message.split('\n')[0]})`);
  }
}

main();
