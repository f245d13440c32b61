import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosticCategory, Project, ts } from 'ts-morph';
import { projectRoot } from '../project-root.js';
import type { PipelineDiagnostic } from './diagnostics.js';

// The DSL this checker evaluates pipelines against: its .ts sources under
// vitest, its .d.ts files under dist/. Type-checking against the same module
// keeps types and runtime in step, wherever the pipeline file lives.
const dslEntry = fileURLToPath(new URL('../dsl/index', import.meta.url));
const dslDirectory = dirname(dslEntry);

function pipelineCompilerOptions(): ts.CompilerOptions {
  // Node's types, so a pipeline may use node:path and the like (when installed).
  const typeRoot = join(projectRoot(), 'node_modules', '@types');
  const nodeTypes = existsSync(join(typeRoot, 'node')) ? { typeRoots: [typeRoot], types: ['node'] } : { types: [] };
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    ...nodeTypes,
    paths: { 'faster-bert': [dslEntry] },
  };
}

/** TypeScript's errors in the pipeline file (and what it imports, the DSL itself left out). */
export function typecheckPipelineFile(pipelineFile: string): PipelineDiagnostic[] {
  const project = new Project({ compilerOptions: pipelineCompilerOptions(), skipAddingFilesFromTsConfig: true });
  project.addSourceFileAtPath(pipelineFile);
  project.resolveSourceFileDependencies();
  const result: PipelineDiagnostic[] = [];
  for (const diagnostic of project.getPreEmitDiagnostics()) {
    if (diagnostic.getCategory() !== DiagnosticCategory.Error) continue;
    const message = ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, '\n  ');
    const text = `${message} (TS${diagnostic.getCode()})`;
    const sourceFile = diagnostic.getSourceFile();
    const start = diagnostic.getStart();
    if (sourceFile === undefined || start === undefined) {
      result.push({ location: undefined, message: text });
      continue;
    }
    const file = sourceFile.getFilePath();
    if (file.startsWith(dslDirectory + '/')) continue;
    const { line, column } = sourceFile.getLineAndColumnAtPos(start);
    result.push({ location: { file, line, column }, message: text });
  }
  return result;
}
