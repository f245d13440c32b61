// Lays out one model of a Triton model repository:
//   <repo>/<name>/config.pbtxt
//   <repo>/<name>/1/{libtriton_<name>.so, vocab.txt, model.onnx, pipeline.json}
// Each file is written under a temporary name and renamed into place, and
// files left from an earlier build are removed, so a polling server never
// reads half a file.
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RepositoryAsset } from '../lower/repository-asset.js';

export const modelVersion = '1';

export interface ModelRepositoryContents {
  readonly repositoryDir: string;
  readonly name: string;
  readonly configPbtxt: string;
  /** The built backend library (copied). */
  readonly library: string;
  readonly libraryName: string;
  readonly assets: readonly RepositoryAsset[];
  /** The IR, for people reading the repository. */
  readonly pipelineJson: string;
}

function temporaryName(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

function writeTextFile(path: string, text: string): void {
  const temporary = temporaryName(path);
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function isSameFile(a: string, b: string): boolean {
  if (!existsSync(a) || !existsSync(b)) return false;
  const statA = statSync(a);
  const statB = statSync(b);
  return statA.dev === statB.dev && statA.ino === statB.ino;
}

/** A hard link when source and target share a filesystem (models are large), else a copy. */
function linkOrCopy(source: string, target: string): void {
  if (isSameFile(source, target)) return;
  const temporary = temporaryName(target);
  rmSync(temporary, { force: true });
  try {
    linkSync(source, temporary);
  } catch {
    copyFileSync(source, temporary);
  }
  renameSync(temporary, target);
}

function copyFile(source: string, target: string): void {
  const temporary = temporaryName(target);
  copyFileSync(source, temporary);
  renameSync(temporary, target);
}

/** Writes the model's folder; returns its path. */
export function writeModelRepository(contents: ModelRepositoryContents): string {
  const modelDir = join(contents.repositoryDir, contents.name);
  const versionDir = join(modelDir, modelVersion);
  mkdirSync(versionDir, { recursive: true });

  const wanted = new Set<string>();
  copyFile(contents.library, join(versionDir, contents.libraryName));
  wanted.add(contents.libraryName);
  for (const asset of contents.assets) {
    const target = join(versionDir, asset.file);
    if ('copyFrom' in asset) linkOrCopy(asset.copyFrom, target);
    else if ('contents' in asset) writeTextFile(target, asset.contents);
    else throw new Error(`${asset.file}: the build's ${asset.builtBy} step did not make it`);
    wanted.add(asset.file);
  }
  writeTextFile(join(versionDir, 'pipeline.json'), contents.pipelineJson);
  wanted.add('pipeline.json');
  for (const entry of readdirSync(versionDir)) {
    if (!wanted.has(entry)) rmSync(join(versionDir, entry), { recursive: true, force: true });
  }
  writeTextFile(join(modelDir, 'config.pbtxt'), contents.configPbtxt);
  return modelDir;
}
