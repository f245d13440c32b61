// Turns a tokenize() call into the IR's tokenizer: a vocab.txt with the
// call's options merged over BERT's defaults (its special tokens checked
// here), or a tokenizer.json that goes to the model repository as it is and
// that the runtime reads itself (only its component types are checked here),
// with a BERT file's overriding options passed on.
import { relative } from 'node:path';
import type { SourceLocation } from '../dsl/source-location.js';
import type { TokenizeOptions } from '../dsl/stage-options.js';
import type { BertOverridesIr, TokenizerIr } from '../ir/schema.js';
import type { DiagnosticList } from '../frontend/diagnostics.js';
import { resolveAssetPath } from '../model-files/asset-path.js';
import { readTokenizerJsonComponents, type TokenizerModelType } from '../model-files/tokenizer-json-components.js';
import { readVocabTxt } from '../model-files/vocab-txt.js';
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

// The BERT-only options of tokenize(): a BERT tokenizer.json takes them as
// overrides of its own settings; a BPE or Unigram file refuses them.
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

interface VocabTxt {
  readonly kind: 'vocabTxt';
  readonly path: string;
  readonly tokens: readonly string[];
}

// A tokenizer.json whose components the runtime implements.
interface TokenizerFile {
  readonly kind: 'tokenizerJson';
  readonly path: string;
  readonly model: TokenizerModelType;
  /** WordPiece: model.vocab's tokens. */
  readonly tokens?: ReadonlySet<string>;
}

/** What the tokenizer is made from: the options of tokenize() or tokenizeQuestionContext(). */
export interface TokenizerCall {
  readonly options: TokenizeOptions;
}

function readVocabulary(
  node: TokenizerCall,
  pipelineFile: string,
  location: SourceLocation | undefined,
  diagnostics: DiagnosticList,
): VocabTxt | TokenizerFile | undefined {
  const { vocab, tokenizerJson } = node.options;
  if (vocab !== undefined) {
    const path = resolveAssetPath(pipelineFile, vocab, 'tokenize: vocab file', location, diagnostics);
    if (path === undefined) return undefined;
    return { kind: 'vocabTxt', path, tokens: readVocabTxt(path) };
  }
  if (tokenizerJson !== undefined) {
    const path = resolveAssetPath(pipelineFile, tokenizerJson, 'tokenize: tokenizer file', location, diagnostics);
    if (path === undefined) return undefined;
    const components = readTokenizerJsonComponents(path);
    if ('model' in components) return { kind: 'tokenizerJson', path, ...components };
    const shown = relative(process.cwd(), path);
    for (const problem of components.problems) {
      diagnostics.add(location, `tokenize: ${shown}: ${problem}`);
    }
    return undefined;
  }
  diagnostics.add(location, "tokenize: give the vocabulary as { vocab: 'path/vocab.txt' } or { tokenizerJson: 'path/tokenizer.json' }");
  return undefined;
}

// The BERT options set on the call, under the IR's names (the runtime applies
// them over the file's settings).
function bertOverridesOf(options: TokenizeOptions): BertOverridesIr {
  const set = {
    cleanText: options.cleanText,
    handleChineseChars: options.handleChineseChars ?? options.tokenizeChineseChars,
    lowercase: options.lowercase,
    stripAccents: options.stripAccents,
    unkToken: options.unkToken,
    clsToken: options.clsToken,
    sepToken: options.sepToken,
    padToken: options.padToken,
    continuingSubwordPrefix: options.continuingSubwordPrefix,
    maxInputCharsPerWord: options.maxInputCharsPerWord,
  };
  return Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
}

function resolveTokenizerFile(file: TokenizerFile, options: TokenizeOptions, location: SourceLocation | undefined, diagnostics: DiagnosticList): ResolvedTokenizer {
  const shown = relative(process.cwd(), file.path);
  const tokens = file.tokens;
  // Special tokens set here: the runtime would refuse the file at load; say it at the call.
  for (const key of ['unkToken', 'clsToken', 'sepToken', 'padToken'] as const) {
    const token = options[key];
    if (tokens !== undefined && token !== undefined && !tokens.has(token)) {
      diagnostics.add(location, `tokenize: ${key} '${token}' is not in the vocabulary (model.vocab) of ${shown}; set ${key} to a token it has`);
    }
  }
  if (file.model !== 'WordPiece') {
    for (const key of bertOnlyOptions) {
      if (options[key] !== undefined) {
        diagnostics.add(location, `tokenize: ${key} applies to BERT WordPiece vocabularies; ${shown} (${file.model}) takes its settings from the file: remove ${key}`);
      }
    }
  }
  return {
    tokenizer: {
      kind: 'tokenizerJson',
      file: { path: file.path, file: tokenizerJsonFileName, model: file.model },
      bertOverrides: file.model === 'WordPiece' ? bertOverridesOf(options) : {},
      maxLength: options.maxLength ?? bertDefaults.maxLength,
      truncation: options.truncation ?? bertDefaults.truncation,
      source: location,
    },
    asset: { file: tokenizerJsonFileName, copyFrom: file.path },
  };
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
  if (vocabulary.kind === 'tokenizerJson') return resolveTokenizerFile(vocabulary, options, location, diagnostics);
  const lowercase = options.lowercase ?? bertDefaults.lowercase;
  const tokenizer: TokenizerIr = {
    kind: 'wordpiece',
    vocab: { path: vocabulary.path, file: vocabFileName, size: vocabulary.tokens.length },
    cleanText: options.cleanText ?? bertDefaults.cleanText,
    handleChineseChars: options.handleChineseChars ?? options.tokenizeChineseChars ?? bertDefaults.handleChineseChars,
    lowercase,
    stripAccents: options.stripAccents ?? lowercase,
    unkToken: options.unkToken ?? bertDefaults.unkToken,
    clsToken: options.clsToken ?? bertDefaults.clsToken,
    sepToken: options.sepToken ?? bertDefaults.sepToken,
    padToken: options.padToken ?? bertDefaults.padToken,
    continuingSubwordPrefix: options.continuingSubwordPrefix ?? bertDefaults.continuingSubwordPrefix,
    maxInputCharsPerWord: options.maxInputCharsPerWord ?? bertDefaults.maxInputCharsPerWord,
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
  return { tokenizer, asset: { file: vocabFileName, copyFrom: vocabulary.path } };
}
