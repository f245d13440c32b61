import { readFileSync } from 'node:fs';

/** The tokens of a BERT vocab.txt, one per line, the line number being the id. */
export function readVocabTxt(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** vocab.txt text for tokens in id order, or the first token that cannot be one line. */
export function vocabTxtText(tokens: readonly string[]): { text: string } | { badToken: string; id: number } {
  const id = tokens.findIndex((token) => token.includes('\n') || token.includes('\r'));
  if (id >= 0) return { badToken: tokens[id] ?? '', id };
  return { text: tokens.join('\n') + '\n' };
}
