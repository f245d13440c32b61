import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a DSL call was written: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const dslDirectory = dirname(fileURLToPath(import.meta.url));

function toPath(fileName: string): string {
  return fileName.startsWith('file://') ? fileURLToPath(fileName) : fileName;
}

/**
 * The location of the first stack frame outside the DSL modules: the user's
 * call of `tokenize(...)` and the like. Positions are those of the code that
 * ran; the checker maps them back to the TypeScript source.
 */
export function callerLocation(): SourceLocation | undefined {
  const originalPrepare = Error.prepareStackTrace;
  const originalLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.stackTraceLimit = 64;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callerLocation);
    const callSites = Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
    for (const site of callSites) {
      const fileName = site.getFileName();
      if (fileName === undefined || fileName === null || fileName.startsWith('node:')) continue;
      const file = toPath(fileName);
      if (file.startsWith(dslDirectory + '/')) continue;
      return { file, line: site.getLineNumber() ?? 1, column: site.getColumnNumber() ?? 1 };
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = originalPrepare;
    Error.stackTraceLimit = originalLimit;
  }
}
