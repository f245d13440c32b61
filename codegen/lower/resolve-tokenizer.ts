// Turns a tokenize() call into the IR's tokenizer: reads the vocabulary (a
// vocab.txt, or a tokenizer.json whose vocab is written out as vocab.txt),
// merges the file's settings with the call's options, and checks that the
// special tokens exist.
import { relative } from 'node:path';
import type { SourceLocation } from '../dsl/source-location.js';
import type { TokenizeOptions } from '../dsl/stage-options.js';
import type { TokenizerIr } from '../ir/schema.js';
import type { DiagnosticList } from '../frontend/diagnostics.js';
import { resolveAssetPath } from '../model-files/asset-path.js';
import { readTokenizerJson, type TokenizerJsonSettings } from '../model-files/tokenizer-json.js';
import { readTokenizerJsonComponents } from '../model-files/tokenizer-json-components.js';
import { readVocabTxt, vocabTxtText } from '../model-files/vocab-txt.js';
import type { RepositoryAsset } from './repository-asset.js';

export const vocabFileName = 'vocab.txt';
export const tokenizerJsonFileName = 'tokenizer.json';

// BERT's own defaults (Hugging Face BertTokenizer).
const bertDefaults = {
  cleanText: true,
  handleChineseChars: true,
  lowercase: true,
  unkToken: '[UNK]',
  clsToken: '[CLS]',
  sepToken: '[SEP]',
  padToken: '[PAD]',
  continuingSubwordPrefix: '##',
  maxInputCharsPerWord: 100,
  maxLength: 512,
  truncation: true,
} as const;

export interface ResolvedTokenizer {
  readonly tokenizer: TokenizerIr;
  /** What the model version directory gets: vocab.txt, or the tokenizer.json itself. */
  readonly asset: RepositoryAsset;
}

// The BERT-only options of tokenize(): a tokenizer.json run by the general
// tokenizer takes its settings from the file.
const bertOnlyOptions = [
  'cleanText',
  'handleChineseChars',
  'tokenizeChineseChars',
  'lowercase',
  'stripAccents',
  'unkToken',
  'clsToken',
  'sepToken',
  'padToken',
  'continuingSubwordPrefix',
  'maxInputCharsPerWord',
] as const;

interface Vocabulary {
  readonly kind: 'vocabulary';
  readonly from: 'vocabTxt' | 'tokenizerJson';
  readonly path: string;
  readonly tokens: readonly string[];
  readonly fileSettings: Partial<TokenizerJsonSettings>;
  readonly asset: RepositoryAsset;
}

/** What the tokenizer is made from: the options of tokenize() or tokenizeQuestionContext(). */
export interface TokenizerCall {
  readonly options: TokenizeOptions;
}

// A tokenizer.json the BERT path does not take, for the general tokenizer.
interface GeneralTokenizerFile {
  readonly kind: 'general';
  readonly path: string;
  readonly model: 'BPE' | 'Unigram';
}

function readVocabulary(
  node: TokenizerCall,
  pipelineFile: string,
  location: SourceLocation | undefined,
  diagnostics: DiagnosticList,
): Vocabulary | GeneralTokenizerFile | undefined {
  const { vocab, tokenizerJson } = node.options;
  if (vocab !== undefined) {
    const path = resolveAssetPath(pipelineFile, vocab, 'tokenize: vocab file', location, diagnostics);
    if (path === undefined) return undefined;
    const tokens = readVocabTxt(path);
    return { kind: 'vocabulary', from: 'vocabTxt', path, tokens, fileSettings: {}, asset: { file: vocabFileName, copyFrom: path } };
  }
  if (tokenizerJson !== undefined) {
    const path = resolveAssetPath(pipelineFile, tokenizerJson, 'tokenize: tokenizer file', location, diagnostics);
    if (path === undefined) return undefined;
    const result = readTokenizerJson(path);
    if ('problems' in result) {
      // Not plain BERT: the general tokenizer runs it, if it has every component.
      const general = readTokenizerJsonComponents(path);
      if ('model' in general) return { kind: 'general', path, model: general.model };
      const shown = relative(process.cwd(), path);
      for (const problem of general.problems) {
        diagnostics.add(location, `tokenize: ${shown}: ${problem}`);
      }
      return undefined;
    }
    const text = vocabTxtText(result.settings.vocab);
    if ('badToken' in text) {
      diagnostics.add(location, `tokenize: model.vocab token ${text.id} (${JSON.stringify(text.badToken)}) holds a line break and cannot go into vocab.txt`);
      return undefined;
    }
    const { vocab: tokens, ...fileSettings } = result.settings;
    return { kind: 'vocabulary', from: 'tokenizerJson', path, tokens, fileSettings, asset: { file: vocabFileName, contents: text.text } };
  }
  diagnostics.add(location, "tokenize: give the vocabulary as { vocab: 'path/vocab.txt' } or { tokenizerJson: 'path/tokenizer.json' }");
  return undefined;
}

export function resolveTokenizer(
  node: TokenizerCall,
  pipelineFile: string,
  location: SourceLocation | undefined,
  diagnostics: DiagnosticList,
): ResolvedTokenizer | undefined {
  const options = node.options;
  if (options.handleChineseChars !== undefined && options.tokenizeChineseChars !== undefined) {
    diagnostics.add(location, 'tokenize: set handleChineseChars or tokenizeChineseChars, not both (they are the same option)');
  }
  const vocabulary = readVocabulary(node, pipelineFile, location, diagnostics);
  if (vocabulary === undefined) return undefined;
  if (vocabulary.kind === 'general') {
    const shown = relative(process.cwd(), vocabulary.path);
    for (const key of bertOnlyOptions) {
      if (options[key] !== undefined) {
        diagnostics.add(location, `tokenize: ${key} applies to BERT WordPiece vocabularies; ${shown} (${vocabulary.model}) takes its settings from the file: remove ${key}`);
      }
    }
    return {
      tokenizer: {
        kind: 'tokenizerJson',
        file: { path: vocabulary.path, file: tokenizerJsonFileName, model: vocabulary.model },
        maxLength: options.maxLength ?? bertDefaults.maxLength,
        truncation: options.truncation ?? bertDefaults.truncation,
        source: location,
      },
      asset: { file: tokenizerJsonFileName, copyFrom: vocabulary.path },
    };
  }
  const file = vocabulary.fileSettings;
  const lowercase = options.lowercase ?? file.lowercase ?? bertDefaults.lowercase;
  const tokenizer: TokenizerIr = {
    kind: 'wordpiece',
    vocab: { path: vocabulary.path, file: vocabFileName, from: vocabulary.from, size: vocabulary.tokens.length },
    cleanText: options.cleanText ?? file.cleanText ?? bertDefaults.cleanText,
    handleChineseChars:
      options.handleChineseChars ?? options.tokenizeChineseChars ?? file.handleChineseChars ?? bertDefaults.handleChineseChars,
    lowercase,
    stripAccents: options.stripAccents ?? file.stripAccents ?? lowercase,
    unkToken: options.unkToken ?? file.unkToken ?? bertDefaults.unkToken,
    clsToken: options.clsToken ?? file.clsToken ?? bertDefaults.clsToken,
    sepToken: options.sepToken ?? file.sepToken ?? bertDefaults.sepToken,
    padToken: options.padToken ?? file.padToken ?? bertDefaults.padToken,
    continuingSubwordPrefix: options.continuingSubwordPrefix ?? file.continuingSubwordPrefix ?? bertDefaults.continuingSubwordPrefix,
    maxInputCharsPerWord: options.maxInputCharsPerWord ?? file.maxInputCharsPerWord ?? bertDefaults.maxInputCharsPerWord,
    maxLength: options.maxLength ?? bertDefaults.maxLength,
    truncation: options.truncation ?? bertDefaults.truncation,
    source: location,
  };
  const known = new Set(vocabulary.tokens);
  const shown = relative(process.cwd(), vocabulary.path);
  for (const key of ['unkToken', 'clsToken', 'sepToken', 'padToken'] as const) {
    if (!known.has(tokenizer[key])) {
      diagnostics.add(location, `tokenize: ${key} '${tokenizer[key]}' is not in the vocabulary of ${shown}; set ${key} to a token it has`);
    }
  }
  return { tokenizer, asset: vocabulary.asset };
}
