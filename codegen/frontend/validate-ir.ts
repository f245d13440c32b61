// Validates a lowered IR against the schema and turns each problem into a
// diagnostic at the DSL call that made the offending part.
import type { z } from 'zod';
import type { SourceLocation } from '../dsl/source-location.js';
import { pipelineIrSchema, type PipelineIr } from '../ir/schema.js';
import type { PipelineDiagnostic } from './diagnostics.js';

// Which DSL call each part of the IR comes from, for the message's prefix.
const sectionCall: Readonly<Record<string, string>> = {
  input: 'textInput',
  tokenizer: 'tokenize',
  engine: 'engine',
  encoding: 'tokenizeQuestionContext',
  classifier: 'classify',
  answerDecoder: 'extractAnswers',
  outputs: 'output',
};

function isSourceLocation(value: unknown): value is SourceLocation {
  return typeof value === 'object' && value !== null && typeof (value as { file?: unknown }).file === 'string';
}

/** The `source` of the innermost IR object on the path that has one. */
function locationOf(ir: unknown, path: readonly PropertyKey[]): SourceLocation | undefined {
  let node: unknown = ir;
  let found: SourceLocation | undefined;
  for (const key of [undefined, ...path]) {
    if (key !== undefined) {
      if (typeof node !== 'object' || node === null) break;
      node = (node as Record<PropertyKey, unknown>)[key];
    }
    if (typeof node === 'object' && node !== null) {
      const source = (node as { source?: unknown }).source;
      if (isSourceLocation(source)) found = source;
    }
  }
  return found;
}

function describe(issue: z.core.$ZodIssue): string {
  const [section, ...rest] = issue.path;
  const call = typeof section === 'string' ? sectionCall[section] : undefined;
  const opsAt = rest.indexOf('ops');
  const prefix = call === undefined ? 'pipeline' : opsAt >= 0 ? 'output ops' : call;
  const fieldPath = (call === undefined ? issue.path : rest).filter((key) => typeof key === 'string').join('.');
  const input = 'input' in issue && issue.input !== undefined && typeof issue.input !== 'object'? ` = ${JSON.stringify(issue.input)}` : '';
  return fieldPath === "" ? `${prefix}: ${issue.message}` : `${prefix}: ${fieldPath}${input}: ${issue.message}`;
}

export type IrValidation = { readonly ir: PipelineIr } | { readonly diagnostics: readonly PipelineDiagnostic[] };

export function validateIr(draft: unknown): IrValidation {
  const parsed = pipelineIrSchema.safeParse(draft, { reportInput: true });
  if (parsed.success) return { ir: parsed.data };
  return {
    diagnostics: parsed.error.issues.map((issue) => ({ location: locationOf(draft, issue.path), message: describe(issue) })),
  };
}
