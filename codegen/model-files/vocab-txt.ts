import { readFileSync } from 'node:fs';

/** The tokens of a BERT vocab.txt, one per line, the line number being the id. */
export function readVocabTxt(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
