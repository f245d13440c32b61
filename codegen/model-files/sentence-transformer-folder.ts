// Reads how a sentence-transformers model folder pools: modules.json lists
// the modules in order (Transformer, Pooling, maybe Normalize); the Pooling
// module's config.json says which pooling. Only what the runtime can run is
// accepted; anything else is a problem naming the file and field.
import { join, relative } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './json-file.js';

const moduleSchema = z.looseObject({
  idx: z.int().optional(),
  path: z.string(),
  type: z.string(),
});
const modulesSchema = z.array(moduleSchema).min(1);

const poolingConfigSchema = z.looseObject({
  word_embedding_dimension: z.int().positive().optional(),
  pooling_mode_cls_token: z.boolean().optional(),
  pooling_mode_mean_tokens: z.boolean().optional(),
  pooling_mode_max_tokens: z.boolean().optional(),
  pooling_mode_mean_sqrt_len_tokens: z.boolean().optional(),
  pooling_mode_weightedmean_tokens: z.boolean().optional(),
  pooling_mode_lasttoken: z.boolean().optional(),
});

const typePrefix = 'sentence_transformers.models.';
// Pooling modes we run, by config field, and those we do not.
const supportedModes = {
  pooling_mode_mean_tokens: 'meanPool',
  pooling_mode_cls_token: 'clsPool',
  pooling_mode_max_tokens: 'maxPool',
} as const;
const unsupportedModes = ['pooling_mode_mean_sqrt_len_tokens', 'pooling_mode_weightedmean_tokens', 'pooling_mode_lasttoken'] as const;

export interface SentenceTransformerPooling {
  readonly pool: (typeof supportedModes)[keyof typeof supportedModes];
  readonly normalize: boolean;
  /** word_embedding_dimension, when the config states it. */
  readonly dimension: number | undefined;
}

export type SentenceTransformerRead = { readonly pooling: SentenceTransformerPooling } | { readonly problems: readonly string[] };

export function readSentenceTransformerFolder(dir: string): SentenceTransformerRead {
  const show = (path: string): string => relative(process.cwd(), path);
  const modulesPath = join(dir, 'modules.json');
  const modulesRead = readJsonFile(modulesPath, modulesSchema, show(modulesPath));
  if ('problem' in modulesRead) return { problems: [modulesRead.problem] };
  const modules = modulesRead.value;

  const problems: string[] = [];
  let poolingPath: string | undefined;
  let normalize = false;
  modules.forEach((module, index) => {
    const type = module.type.startsWith(typePrefix) ? module.type.slice(typePrefix.length) : module.type;
    const where = `${show(modulesPath)} [${index}] (type ${module.type})`;
    if (type === 'Transformer') {
      if (index !== 0) problems.push(`${where}: the Transformer must be the first module`);
    } else if (type === 'Pooling') {
      if (poolingPath !== undefined) problems.push(`${where}: a second Pooling module`);
      poolingPath = join(dir, module.path, 'config.json');
    } else if (type === 'Normalize') {
      if (poolingPath === undefined) problems.push(`${where}: Normalize before Pooling`);
      normalize = true;
    } else {
      problems.push(`${where}: module type ${type} is not supported (faster-bert runs Transformer, Pooling and Normalize)`);
    }
  });
  if (poolingPath === undefined) {
    problems.push(`${show(modulesPath)} has no sentence_transformers.models.Pooling module`);
    return { problems };
  }
  const configRead = readJsonFile(poolingPath, poolingConfigSchema, show(poolingPath));
  if ('problem' in configRead) return { problems: [...problems, configRead.problem] };
  const config = configRead.value;
  for (const field of unsupportedModes) {
    if (config[field] === true) problems.push(`${show(poolingPath)}: ${field} is true; faster-bert pools by mean, CLS or max only`);
  }
  const chosen = (Object.keys(supportedModes) as (keyof typeof supportedModes)[]).filter((field) => config[field] === true);
  if (chosen.length !== 1) {
    problems.push(
      `${show(poolingPath)}: exactly one of ${Object.keys(supportedModes).join(', ')} must be true (${chosen.length === 0 ? 'none is' : chosen.join(' and ') + ' are'}); concatenated poolings are not supported`,
    );
  }
  const [field] = chosen;
  if (problems.length > 0 || field === undefined) return { problems };
  return { pooling: { pool: supportedModes[field], normalize, dimension: config.word_embedding_dimension } };
}
