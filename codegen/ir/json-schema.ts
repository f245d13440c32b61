import { z } from 'zod';
import { irVersion, pipelineIrSchema } from './schema.js';

/** The IR as JSON Schema, committed as schemas/pipeline-ir.schema.json. */
export function pipelineIrJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(pipelineIrSchema, { target: 'draft-2020-12' });
  return {
    ...generated,
    title: `faster-bert pipeline IR, version ${irVersion}`,
  };
}

export function pipelineIrJsonSchemaText(): string {
  return JSON.stringify(pipelineIrJsonSchema(), null, 2) + '\n';
}
