import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SourceLocation } from '../dsl/source-location.js';
import type { DiagnosticList } from '../frontend/diagnostics.js';

/**
 * Resolves a path written in a pipeline file (relative to that file) and
 * reports it when it is not a readable file. `what` names it for the user,
 * e.g. "tokenize: vocab file".
 */
export function resolveAssetPath(
  pipelineFile: string,
  given: string,
  what: string,
  location: SourceLocation | undefined,
  diagnostics: DiagnosticList,
): string | undefined {
  const resolved = resolve(dirname(pipelineFile), given);
  let isFile = false;
  try {
    isFile = statSync(resolved).isFile();
  } catch {
    diagnostics.add(
      location,
      `${what} '${given}' not found (resolved to ${resolved}); paths are relative to the pipeline file`,
    );
    return undefined;
  }
  if (!isFile) {
    diagnostics.add(location, `${what} '${given}' is not a file (resolved to ${resolved})`);
    return undefined;
  }
  return resolved;
}
