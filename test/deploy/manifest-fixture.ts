// Test helpers for `codegen deploy`: model repositories made of the
// config.pbtxt that `codegen build` renders for the examples (no compile:
// deploy reads config.pbtxt only), the manifests read back from disk, and
// the independent validator kubernetes-validate (PyPI) run on them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { renderConfigPbtxt } from '../../codegen/emit/config-pbtxt.js';
import type { PipelineIr } from '../../codegen/ir/schema.js';
import { repoRoot, temporaryFolder } from '../codegen/pipeline-fixture.js';

export { repoRoot };

export const kubernetesValidateBin = join(repoRoot, '.venv/bin/kubernetes-validate');

const irCache = new Map<string, PipelineIr>();

/** The IR of an example pipeline (checked once per test file). */
export function exampleIr(example: string): PipelineIr {
  const cached = irCache.get(example);
  if (cached !== undefined) return cached;
  const { ir } = checkPipeline(join(repoRoot, 'examples', example));
  irCache.set(example, ir);
  return ir;
}

/** A model repository holding only config.pbtxt files, as `codegen build` renders them. */
export function configRepository(irs: readonly PipelineIr[]): string {
  const dir = temporaryDir('deploy-repo');
  for (const ir of irs) {
    mkdirSync(join(dir, ir.name, '1'), { recursive: true });
    writeFileSync(join(dir, ir.name, 'config.pbtxt'), renderConfigPbtxt(ir));
  }
  return dir;
}

/** A fresh temporary folder, removed when the test file is done (pipeline-fixture's). */
export function temporaryDir(prefix: string): string {
  return temporaryFolder(`faster-bert-${prefix}-`);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

export function readYamlObjects(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message ?? ''}`);
    return document.toJSON() as K8sObject;
  });
}

/** Every .yaml file under dir (relative paths). */
export function yamlFiles(dir: string, under = ''): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((entry) => {
    const path = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory()) return yamlFiles(dir, path);
    return path.endsWith('.yaml') ? [path] : [];
  });
}

export interface ValidatorRun {
  readonly status: number | null;
  readonly output: string;
}

export function kubernetesValidate(version: string, files: readonly string[]): ValidatorRun {
  const run = spawnSync(kubernetesValidateBin, ['-k', version, '--strict', ...files], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The newest Kubernetes version whose strict schemas kubernetes-validate bundles (e.g. 1.37.0). */
export function newestBundledKubernetes(): string {
  const code = 'import kubernetes_validate, os; print("\\n".join(os.listdir(os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema"))))';
  const run = spawnSync(join(repoRoot, '.venv/bin/python'), ['-c', code], { encoding: 'utf8' });
  const versions = run.stdout
    .split('\n')
    .map((name) => /^v(\d+)\.(\d+)\.(\d+)-local-strict$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [Number(match[1]), Number(match[2]), Number(match[3])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`no bundled schemas found: ${run.stderr}`);
  return newest.join('.');
}
