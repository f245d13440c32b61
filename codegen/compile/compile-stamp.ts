// Decides whether a pipeline's backend must be compiled again: a hash of
// everything that goes into libtriton_<name>.so, kept beside the build.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { PipelineIr } from '../ir/schema.js';
import { hashText } from './content-hash.js';

export interface CompileInputs {
  readonly ir: PipelineIr;
  /** Generated sources the compile reads (pipeline_spec.cc, CMakeLists.txt). */
  readonly sources: Readonly<Record<string, string>>;
  readonly backendHash: string;
  /** CMake options, build type, generator, compiler environment. */
  readonly flags: Readonly<Record<string, string>>;
}

// Source locations only point at the user's lines: moving a call in the
// pipeline file must not force a recompile.
function withoutSourceLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSourceLocations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'source')
      .map(([key, inner]) => [key, withoutSourceLocations(inner)]),
  );
}

export function compileStamp(inputs: CompileInputs): string {
  const sourceNames = Object.keys(inputs.sources).sort();
  const flagNames = Object.keys(inputs.flags).sort();
  return hashText(
    JSON.stringify(withoutSourceLocations(inputs.ir)),
    ...sourceNames.flatMap((name) => [name, inputs.sources[name] ?? '']),
    inputs.backendHash,
    ...flagNames.flatMap((name) => [name, inputs.flags[name] ?? '']),
  );
}

export function readStamp(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

export function writeStamp(path: string, stamp: string): void {
  writeFileSync(path, stamp + '\n');
}
