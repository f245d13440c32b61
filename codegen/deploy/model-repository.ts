// What a deployment needs to know about a model repository written by
// `codegen build`: each model's name and where its instances run (from
// config.pbtxt alone, so manifests can be made without the compiled backends).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parsePbtxt, PbtxtError, type PbtxtValue } from './pbtxt.js';

const instanceGroupSchema = z.object({
  count: z.number().int().min(1).default(1),
  kind: z.enum(['KIND_CPU', 'KIND_GPU', 'KIND_AUTO', 'KIND_MODEL']).default('KIND_AUTO'),
});

const modelConfigSchema = z.object({
  name: z.string().min(1),
  backend: z.string().optional(),
  instance_group: z.array(instanceGroupSchema).default([]),
});

export interface ServedModel {
  readonly name: string;
  readonly backend: string | undefined;
  readonly instanceGroups: readonly { readonly count: number; readonly kind: string }[];
  /** KIND_GPU instances (KIND_AUTO with no group is Triton's "GPU if there is one": we count only explicit GPU groups). */
  readonly usesGpu: boolean;
}

export class ModelRepositoryError extends Error {}

const asList = (value: PbtxtValue | undefined): PbtxtValue[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function readModelConfig(configPath: string): ServedModel {
  let message;
  try {
    message = parsePbtxt(readFileSync(configPath, 'utf8'));
  } catch (error) {
    if (error instanceof PbtxtError) throw new ModelRepositoryError(`${configPath}: ${error.message}`);
    throw error;
  }
  const parsed = modelConfigSchema.safeParse({ ...message, instance_group: asList(message['instance_group']) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelRepositoryError(`${configPath}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  return {
    name: config.name,
    backend: config.backend,
    instanceGroups: config.instance_group,
    usesGpu: config.instance_group.some((group) => group.kind === 'KIND_GPU'),
  };
}

/** Every model folder with a config.pbtxt, sorted by name; the folder name must be the model's name (Triton requires it). */
export function readModelRepository(repositoryDir: string): ServedModel[] {
  if (!existsSync(repositoryDir) || !statSync(repositoryDir).isDirectory()) {
    throw new ModelRepositoryError(`${repositoryDir}: not a directory`);
  }
  const models = readdirSync(repositoryDir)
    .filter((entry) => existsSync(join(repositoryDir, entry, 'config.pbtxt')))
    .sort()
    .map((entry) => {
      const model = readModelConfig(join(repositoryDir, entry, 'config.pbtxt'));
      if (model.name !== entry) {
        throw new ModelRepositoryError(`${join(repositoryDir, entry, 'config.pbtxt')}: name '${model.name}' differs from its folder '${entry}'`);
      }
      return model;
    });
  if (models.length === 0) throw new ModelRepositoryError(`${repositoryDir}: no <model>/config.pbtxt found`);
  return models;
}
