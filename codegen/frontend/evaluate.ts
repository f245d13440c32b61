import { readFileSync } from 'node:fs';
import { createRequire, SourceMap, type SourceMapPayload } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import { ts } from 'ts-morph';
import * as dsl from '../dsl/index.js';
import type { Pipeline } from '../dsl/pipeline.js';
import type { PipelineOutput } from '../dsl/output.js';
import type { SourceLocation } from '../dsl/source-location.js';
import { PipelineCheckError } from './diagnostics.js';

/** A pipeline file after running it: its definition, the outputs its graph returned, and a map back to the TypeScript source. */
export interface EvaluatedPipeline {
  readonly pipeline: Pipeline;
  readonly outputs: readonly PipelineOutput[];
  /** Maps a position recorded while running the file to the TypeScript source; other files pass through. */
  readonly toSource: (location: SourceLocation | undefined) => SourceLocation | undefined;
}

function transpileToCommonJs(pipelineFile: string, source: string): { code: string; sourceMap: SourceMap } {
  const output = ts.transpileModule(source, {
    fileName: pipelineFile,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: true,
    },
  });
  if (output.sourceMapText === undefined) throw new Error('TypeScript produced no source map for ' + pipelineFile);
  // The map is applied by toSource(); Node must not look for the .map file itself.
  const code = output.outputText.replace(/^\/\/# sourceMappingURL=.*$/m, '');
  const sourceMap = new SourceMap(JSON.parse(output.sourceMapText) as SourceMapPayload);
  return { code, sourceMap };
}

// V8 places a call at its opening parenthesis; users look for the callee's name.
function calleeStart(sourceLines: readonly string[], line: number, column: number): number {
  const text = sourceLines[line - 1] ?? '';
  if (text[column - 1] !== '(') return column;
  let start = column - 1;
  while (start > 0 && /[\w$]/.test(text[start - 1] ?? '')) start -= 1;
  return start < column - 1 ? start + 1 : column;
}

function sourceMapper(pipelineFile: string, source: string, sourceMap: SourceMap): EvaluatedPipeline['toSource'] {
  const sourceLines = source.split('\n');
  return (location) => {
    if (location === undefined || location.file !== pipelineFile) return location;
    const entry: Partial<{ originalLine: number; originalColumn: number }> = sourceMap.findEntry(
      location.line - 1,
      location.column - 1,
    );
    if (entry.originalLine === undefined || entry.originalColumn === undefined) return location;
    const line = entry.originalLine + 1;
    return { file: pipelineFile, line, column: calleeStart(sourceLines, line, entry.originalColumn + 1) };
  };
}

/** The position in the pipeline file that an exception was thrown from, if it came from there. */
function thrownAt(error: unknown, pipelineFile: string): SourceLocation | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack === undefined) return undefined;
  for (const line of stack.split('\n')) {
    const at = line.lastIndexOf(pipelineFile + ':');
    if (at < 0) continue;
    const match = /^:(\d+):(\d+)/.exec(line.slice(at + pipelineFile.length));
    if (match !== null) return { file: pipelineFile, line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}

/**
 * Runs a type-checked pipeline file in this process: transpiled to CommonJS,
 * with `faster-bert` bound to this checker's own DSL module, so the graph it
 * records is made of the objects the checker knows. Other imports resolve
 * from the pipeline file's folder (Node built-ins, installed packages).
 */
export function evaluatePipelineFile(pipelineFile: string): EvaluatedPipeline {
  const source = readFileSync(pipelineFile, 'utf8');
  const { code, sourceMap } = transpileToCommonJs(pipelineFile, source);
  const toSource = sourceMapper(pipelineFile, source, sourceMap);
  const fail = (error: unknown, what: string): never => {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PipelineCheckError([
      { location: toSource(thrownAt(error, pipelineFile)) ?? { file: pipelineFile, line: 1, column: 1 }, message: `${what}: ${detail}` },
    ]);
  };

  const requireFromPipeline = createRequire(pipelineFile);
  const requireForPipeline = (specifier: string): unknown => {
    if (specifier === 'faster-bert') return dsl;
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      throw new Error(
        `cannot import '${specifier}': a pipeline file may import 'faster-bert', Node built-ins and installed packages, not other files yet`,
      );
    }
    return requireFromPipeline(specifier);
  };
  const module = { exports: {} as Record<string, unknown> };
  try {
    const run = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename: pipelineFile,
    });
    run(module.exports, requireForPipeline, module, pipelineFile, dirname(pipelineFile));
  } catch (error) {
    fail(error, 'running the pipeline file failed');
  }

  const exported = module.exports['default'];
  if (!dsl.isPipeline(exported)) {
    throw new PipelineCheckError([
      {
        location: { file: pipelineFile, line: 1, column: 1 },
        message: "the file has no pipeline as its default export; write `export default pipeline({ ... })` with pipeline imported from 'faster-bert'",
      },
    ]);
  }
  let outputs: readonly PipelineOutput[] = [];
  try {
    outputs = exported.definition.graph();
  } catch (error) {
    fail(error, 'graph() failed');
  }
  return { pipeline: exported, outputs, toSource };
}
