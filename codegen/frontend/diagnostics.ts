import { relative } from 'node:path';
import type { SourceLocation } from '../dsl/source-location.js';

/** One problem found in a pipeline, at the user's line when known. */
export interface PipelineDiagnostic {
  readonly location: SourceLocation | undefined;
  readonly message: string;
}

/** `file:line:col error: message`, the file relative to `cwd`. */
export function formatDiagnostic(diagnostic: PipelineDiagnostic, cwd: string = process.cwd()): string {
  const { location, message } = diagnostic;
  if (location === undefined) return `error: ${message}`;
  return `${relative(cwd, location.file)}:${location.line}:${location.column} error: ${message}`;
}

/** Thrown by the checker when a pipeline has problems; carries all of them. */
export class PipelineCheckError extends Error {
  readonly diagnostics: readonly PipelineDiagnostic[];

  constructor(diagnostics: readonly PipelineDiagnostic[]) {
    super(diagnostics.map((diagnostic) => formatDiagnostic(diagnostic)).join('\n'));
    this.name = 'PipelineCheckError';
    this.diagnostics = diagnostics;
  }
}

/** Collects diagnostics while a step goes on, so one run reports every problem it can. */
export class DiagnosticList {
  readonly items: PipelineDiagnostic[] = [];

  add(location: SourceLocation | undefined, message: string): void {
    this.items.push({ location, message });
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new PipelineCheckError(this.items);
  }
}
