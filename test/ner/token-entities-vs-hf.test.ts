// Compiles test/ner/token_entities_harness.cc with ops/token_entities.cc
// (linked with the C++ build's tokenizer library, for the WordPiece decoder
// that joins a word's tokens) and runs test/ner/check_vs_hf.py: our NER
// aggregation against HF transformers' TokenClassificationPipeline on the
// random-weights NER model.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tokenizeBin } from '../python-script.js';

// Beside the tokenizer CLI the C++ build makes.
const textLibrary = join(dirname(tokenizeBin), 'libfasterbert_text.a');

describe('NER aggregation (random weights)', () => {
  it('gives the entities of HF TokenClassificationPipeline for none, simple, first, average and max', () => {
    const outDir = join(repoRoot, 'build', 'ner-harness');
    mkdirSync(outDir, { recursive: true });
    const harness = join(outDir, 'token_entities_harness');
    expect(existsSync(textLibrary), `no ${textLibrary}: build backend-cpp first (npm test does)`).toBe(true);
    const cc = spawnSync('g++', ['-std=c++17', '-O2', '-Wall', '-Wextra', '-Werror', '-I', join(repoRoot, 'backend-cpp'),
      join(repoRoot, 'test', 'ner', 'token_entities_harness.cc'), join(repoRoot, 'backend-cpp', 'ops', 'token_entities.cc'),
      textLibrary, '-o', harness], { encoding: 'utf8' });
    expect(cc.status, `${cc.stdout}\n${cc.stderr}`).toBe(0);
    const result = spawnSync(join(repoRoot, '.venv', 'bin', 'python'), [join(repoRoot, 'test', 'ner', 'check_vs_hf.py'), harness], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/mismatches: 0/);
  });
});
