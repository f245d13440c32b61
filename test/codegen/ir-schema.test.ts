import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineIrJsonSchemaText } from '../../codegen/ir/json-schema.js';
import { repoRoot } from './pipeline-fixture.js';

describe('schemas/pipeline-ir.schema.json', () => {
  it('is the JSON Schema of the current IR (regenerate: npm run schema:write)', () => {
    const committed = readFileSync(join(repoRoot, 'schemas', 'pipeline-ir.schema.json'), 'utf8');
    expect(committed).toBe(pipelineIrJsonSchemaText());
  });

  it('names every top-level part of the IR as required', () => {
    const schema = JSON.parse(pipelineIrJsonSchemaText()) as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(
      expect.arrayContaining(['irVersion', 'name', 'maxBatchSize', 'dynamicBatching', 'instances', 'input', 'tokenizer', 'engine', 'outputs']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});
