// Reads classifier label names: a labels file (one name per line), or a
// Hugging Face config.json's id2label ({"0": "NEGATIVE", "1": "POSITIVE"}).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { readJsonFile } from './json-file.js';

const configSchema = z.looseObject({
  id2label: z.record(z.string().regex(/^\d+$/, { error: 'keys must be class ids (0, 1, ...)' }), z.string()),
});

export type LabelMapRead = { readonly labels: readonly string[] } | { readonly problem: string };

export function readLabelsFile(path: string, shown: string): LabelMapRead {
  if (!existsSync(path)) return { problem: `${shown} not found` };
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) return { problem: `${shown} holds no labels; write one name per line` };
  return { labels: lines };
}

export function readConfigId2Label(path: string, shown: string): LabelMapRead {
  const read = readJsonFile(path, configSchema, shown);
  if ('problem' in read) return read;
  const entries = Object.entries(read.value.id2label).map(([id, name]) => [Number(id), name] as const);
  const labels: string[] = [];
  for (const [id, name] of entries) labels[id] = name;
  for (let id = 0; id < labels.length; id += 1) {
    if (labels[id] === undefined) return { problem: `${shown}: id2label has no label for class ${id}` };
  }
  return { labels };
}
