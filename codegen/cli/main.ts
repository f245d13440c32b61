// The codegen command line: argument parsing and progress lines only.
import { writeFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { buildPipeline, type BuildStep } from '../compile/build-pipeline.js';
import { checkPipeline } from '../check-pipeline.js';
import { formatDiagnostic, PipelineCheckError } from '../frontend/diagnostics.js';
import { CliValueError, deployOptionsFromArgs, deployOptionNames, deployUsage } from '../deploy/cli-options.js';
import { DeployOptionsError, parseDeployOptions } from '../deploy/options.js';
import { deployModelRepository } from '../deploy/generate-manifests.js';
import { pipelineIrJsonSchemaText } from '../ir/json-schema.js';

const usage = `usage:
  codegen build FILE [--out DIR] [--build-dir DIR] [--sources-only]
      check the pipeline file, generate and compile its Triton backend, and
      write the model to DIR/<name>/ (default model_repository); generated
      sources and the CMake build go to <build-dir>/<name>/ (default
      build/pipelines); --sources-only stops after writing the sources (to
      compile with CMake on a machine without Node, e.g. a GPU server)
${deployUsage}
  codegen ir FILE [--yaml]
      check the pipeline file and print its IR (JSON, or YAML)
  codegen schema [--out FILE]
      print (or write) the JSON Schema of the IR
  codegen --help
`;

class UsageError extends Error {}

function shownPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' ? '.' : shown.startsWith('..') && isAbsolute(path) ? path : shown;
}

function progressLine(step: BuildStep): string {
  const upToDate = step.note === 'up to date';
  const where = step.note !== undefined && !upToDate ? ` ${shownPath(step.note)}` : '';
  const detail = step.detail !== undefined ? ` ${step.detail}` : '';
  return `[codegen] ${step.step}${upToDate ? ': up to date' : ''} ${step.seconds.toFixed(1)}s${where}${detail}`;
}

function onlyFile(positionals: readonly string[], command: string): string {
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError(`codegen ${command} takes one pipeline file`);
  return file;
}

async function runCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'build-dir': { type: 'string' },
      'sources-only': { type: 'boolean' },
      yaml: { type: 'boolean' },
      ...deployOptionNames,
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    process.stdout.write(usage);
    return;
  }
  switch (command) {
    case 'build': {
      await buildPipeline({
        pipelineFile: onlyFile(rest, 'build'),
        repositoryDir: values.out ?? 'model_repository',
        buildRoot: values['build-dir'] ?? 'build/pipelines',
        progress: (step) => process.stdout.write(progressLine(step) + '\n'),
        sourcesOnly: values['sources-only'] === true,
      });
      return;
    }
    case 'deploy': {
      const [repositoryDir, ...extra] = rest;
      if (repositoryDir === undefined || extra.length > 0) throw new UsageError('codegen deploy takes one model repository folder');
      let options;
      try {
        options = parseDeployOptions(deployOptionsFromArgs(repositoryDir, values));
      } catch (error) {
        if (error instanceof DeployOptionsError || error instanceof CliValueError) throw new UsageError(error.message);
        throw error;
      }
      const generated = deployModelRepository(options);
      for (const file of generated.files) process.stdout.write(`[codegen] wrote ${shownPath(`${generated.options.outDir}/${file.path}`)}\n`);
      return;
    }
    case 'ir': {
      const { ir } = checkPipeline(onlyFile(rest, 'ir'));
      process.stdout.write(values.yaml === true ? toYaml(ir) : JSON.stringify(ir, null, 2) + '\n');
      return;
    }
    case 'schema': {
      if (rest.length > 0) throw new UsageError('codegen schema takes no file; use --out FILE');
      const text = pipelineIrJsonSchemaText();
      if (values.out === undefined) process.stdout.write(text);
      else writeFileSync(values.out, text);
      return;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** Runs the CLI; returns the exit code (0 ok, 1 the pipeline or its build failed, 2 bad usage). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await runCommand(argv);
    return 0;
  } catch (error) {
    if (error instanceof PipelineCheckError) {
      for (const diagnostic of error.diagnostics) process.stderr.write(formatDiagnostic(diagnostic) + '\n');
      return 1;
    }
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`codegen: ${error.message}\n\n${usage}`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
