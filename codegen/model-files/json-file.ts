// Reads a JSON file a pipeline points at and validates it with zod; every
// failure is a problem string naming the file as the user sees it.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export type JsonFileRead<T> = { readonly value: T } | { readonly problem: string };

export function readJsonFile<S extends z.ZodType>(path: string, schema: S, shown: string): JsonFileRead<z.infer<S>> {
  if (!existsSync(path)) return { problem: `${shown} not found` };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { problem: `${shown} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { problem: `${shown}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}` };
  return { value: parsed.data };
}
