// Checks that a Hugging Face tokenizer.json uses only the components the
// runtime's tokenizer implements (backend-cpp/text/tokenizer.h reads the
// file itself; this only finds what it would refuse, so `codegen build`
// fails at the tokenize() line instead of the model failing to load).
import { readFileSync } from 'node:fs';
import { regexProblem, supportedRegexSubset } from './tokenizer-regex.js';

/**
 * The component types the runtime's general tokenizer implements, by
 * tokenizer.json field (test/tokenizer/components.test.ts checks them
 * against the runtime). A WordPiece file is plain BERT or nothing: see
 * bertComponents.
 */
export const supportedComponents = {
  normalizer: [
    'Precompiled', 'NFD', 'NFKD', 'NFC', 'NFKC', 'Lowercase', 'Strip', 'StripAccents', 'Replace', 'Prepend', 'Sequence',
  ],
  pre_tokenizer: ['Metaspace', 'ByteLevel', 'Whitespace', 'WhitespaceSplit', 'Punctuation', 'Split', 'Digits', 'Sequence'],
  model: ['BPE', 'Unigram'],
  post_processor: ['TemplateProcessing', 'BertProcessing', 'RobertaProcessing', 'ByteLevel', 'Sequence'],
} as const;

/**
 * What a WordPiece file may hold: the runtime reads it on its fast BERT path
 * (backend-cpp/text/bert_tokenizer.h), which has no other components. The
 * normalizer may be null (no normalization); the rest must be there.
 */
export const bertComponents = {
  normalizer: ['BertNormalizer'],
  pre_tokenizer: ['BertPreTokenizer'],
  model: ['WordPiece'],
  post_processor: ['TemplateProcessing', 'BertProcessing'],
} as const;

type Field = keyof typeof supportedComponents;
type ComponentTable = Readonly<Record<Field, readonly string[]>>;
// Where a Sequence of each kind lists its members.
const sequenceMembers: Record<Field, string> = {
  normalizer: 'normalizers',
  pre_tokenizer: 'pretokenizers',
  model: '',
  post_processor: 'processors',
};
export type TokenizerModelType = (typeof supportedComponents.model)[number] | (typeof bertComponents.model)[number];

export type TokenizerComponentsResult =
  | { readonly model: Exclude<TokenizerModelType, 'WordPiece'>; readonly vocabSize: number }
  // The tokens, for checking the special tokens a pipeline sets beside the file.
  | { readonly model: 'WordPiece'; readonly vocabSize: number; readonly tokens: ReadonlySet<string> }
  | { readonly problems: readonly string[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// What the runtime refuses in a Split or Replace pattern (pre_tokenizers.cc,
// normalizers.cc): a non-empty String, or a Regex in the runtime's subset
// (tokenizer-regex.ts mirrors its parser) that, in a Replace, cannot match
// the empty string (HF inserts the content there).
function patternProblem(type: 'Split' | 'Replace', pattern: unknown): string | undefined {
  if (!isObject(pattern)) return 'is missing or not an object';
  if (typeof pattern.String === 'string') return pattern.String === '' ? 'is an empty String' : undefined;
  if (typeof pattern.Regex !== 'string') return 'is neither {"String": ...} nor {"Regex": ...}';
  const problem = regexProblem(pattern.Regex, type);
  if (problem === undefined) return undefined;
  return `is the regex '${pattern.Regex}', which faster-bert's tokenizer does not implement (${problem}); supported: String patterns and regexes of ${supportedRegexSubset}`;
}

// Each component at `path` (and inside a Sequence, each member) must be of a
// type in `table`; `nullable` fields may be null (no such step).
function checkComponent(table: ComponentTable, field: Field, value: unknown, path: string, nullable: boolean, problems: string[]): void {
  if (value === null || value === undefined) {
    if (!nullable) problems.push(`${path} is missing`);
    return;
  }
  if (!isObject(value) || typeof value.type !== 'string') {
    problems.push(`${path} is not an object with a "type"`);
    return;
  }
  const supported = table[field];
  if (!supported.includes(value.type)) {
    const withWordPiece = table === bertComponents ? ' with a WordPiece model' : '';
    problems.push(`${path}.type is '${value.type}', which faster-bert's tokenizer does not implement${withWordPiece}; supported: ${supported.join(', ')}`);
    return;
  }
  if (value.type === 'Split' || value.type === 'Replace') {
    const problem = patternProblem(value.type, value.pattern);
    if (problem !== undefined) problems.push(`${path}.pattern ${problem}`);
    return;
  }
  if (value.type !== 'Sequence') return;
  const key = sequenceMembers[field];
  const members = value[key];
  if (!Array.isArray(members)) {
    problems.push(`${path}.${key} is missing: a Sequence lists its members there`);
    return;
  }
  members.forEach((member, index) => checkComponent(table, field, member, `${path}.${key}[${index}]`, false, problems));
}

// The BertNormalizer options the runtime reads, and what each must be.
const bertNormalizerOptions = { clean_text: 'boolean', handle_chinese_chars: 'boolean', lowercase: 'boolean', strip_accents: 'boolean or null' } as const;

// A WordPiece file: its component types, the types of its normalizer's
// options, and the single-text template. The runtime checks the rest (ids,
// special tokens, truncation and padding) when the model loads, naming the
// field the same way.
function checkBertFile(raw: Record<string, unknown>, problems: string[]): void {
  checkComponent(bertComponents, 'normalizer', raw.normalizer, 'normalizer', true, problems);
  checkComponent(bertComponents, 'pre_tokenizer', raw.pre_tokenizer, 'pre_tokenizer', false, problems);
  checkComponent(bertComponents, 'post_processor', raw.post_processor, 'post_processor', false, problems);
  if (problems.length > 0) return;
  const normalizer = raw.normalizer;
  if (isObject(normalizer)) {
    for (const [key, wanted] of Object.entries(bertNormalizerOptions)) {
      const value = normalizer[key];
      const ok = value === undefined || typeof value === 'boolean' || (value === null && wanted === 'boolean or null');
      if (!ok) problems.push(`normalizer.${key} is ${JSON.stringify(value)}; it must be a ${wanted}`);
    }
  }
  const post = raw.post_processor as Record<string, unknown>;
  if (post.type === 'TemplateProcessing' && !isBertSingleTemplate(post.single)) {
    problems.push('post_processor.single must be [SpecialToken, Sequence A, SpecialToken] ([CLS] text [SEP])');
  }
}

function isBertSingleTemplate(single: unknown): boolean {
  if (!Array.isArray(single) || single.length !== 3) return false;
  const [first, text, last] = single as unknown[];
  const piece = (value: unknown, kind: string): Record<string, unknown> | undefined =>
    isObject(value) && isObject(value[kind]) ? value[kind] : undefined;
  return piece(first, 'SpecialToken') !== undefined && piece(text, 'Sequence')?.id === 'A' && piece(last, 'SpecialToken') !== undefined;
}

function vocabSize(model: Record<string, unknown>): number {
  const vocab = model.vocab;
  if (Array.isArray(vocab)) return vocab.length; // Unigram: [piece, score] pairs
  if (isObject(vocab)) return Object.keys(vocab).length;
  return 0;
}

/** Parses tokenizer.json text; problems name the JSON field. */
export function checkTokenizerJsonComponents(text: string): TokenizerComponentsResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problems: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (!isObject(raw)) return { problems: ['the top level is not a JSON object'] };
  const problems: string[] = [];
  if (isObject(raw.model) && raw.model.type === 'WordPiece') {
    checkBertFile(raw, problems);
    if (problems.length > 0) return { problems };
    const vocab = raw.model.vocab;
    const tokens = new Set(isObject(vocab) ? Object.keys(vocab) : []);
    return tokens.size === 0 ? { problems: ['model.vocab is missing or empty'] } : { model: 'WordPiece', vocabSize: tokens.size, tokens };
  }
  checkComponent(supportedComponents, 'normalizer', raw.normalizer, 'normalizer', true, problems);
  checkComponent(supportedComponents, 'pre_tokenizer', raw.pre_tokenizer, 'pre_tokenizer', true, problems);
  checkComponent(supportedComponents, 'model', raw.model, 'model', false, problems);
  checkComponent(supportedComponents, 'post_processor', raw.post_processor, 'post_processor', true, problems);
  if (problems.length > 0) return { problems };
  const model = raw.model as Record<string, unknown>;
  if (model.type === 'BPE' && model.dropout !== null && model.dropout !== undefined) {
    return { problems: [`model.dropout is ${String(model.dropout)}: BPE dropout is random, and a server must tokenize the same text the same way; set it to null`] };
  }
  const size = vocabSize(model);
  if (size === 0) return { problems: ['model.vocab is missing or empty'] };
  return { model: model.type as Exclude<TokenizerModelType, 'WordPiece'>, vocabSize: size };
}

/**
 * The decoders the runtime implements (backend-cpp/text/decoders.h): NER
 * makes its words with the file's decoder, as HF's pipeline does.
 */
export const supportedDecoders = ['WordPiece', 'Metaspace', 'ByteLevel'] as const;

/** The type of the file's decoder, null when it has none; undefined when unreadable. */
export function readTokenizerJsonDecoder(path: string): string | null | undefined {
  try {
    const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isObject(raw)) return undefined;
    const decoder = raw.decoder;
    if (decoder === null || decoder === undefined) return null;
    return isObject(decoder) && typeof decoder.type === 'string' ? decoder.type : undefined;
  } catch {
    return undefined;
  }
}

export function readTokenizerJsonComponents(path: string): TokenizerComponentsResult {
  return checkTokenizerJsonComponents(readFileSync(path, 'utf8'));
}

/**
 * How many special tokens the file's post_processor adds around a pair, as
 * HF tokenizers' num_special_tokens_to_add(pair=True) counts them: a
 * TemplateProcessing pair template's special tokens (each as many ids as it
 * maps to), 3 for BertProcessing ([CLS] a [SEP] b [SEP]), 4 for
 * RobertaProcessing (<s> a </s></s> b </s>), none for ByteLevel or no
 * post_processor. Undefined when the file or its post_processor is unreadable.
 */
export function pairSpecialTokenCount(postProcessor: unknown): number | undefined {
  if (postProcessor === null || postProcessor === undefined) return 0;
  if (!isObject(postProcessor)) return undefined;
  switch (postProcessor.type) {
    case 'BertProcessing':
      return 3;
    case 'RobertaProcessing':
      return 4;
    case 'ByteLevel':
      return 0;
    case 'Sequence': {
      const members = postProcessor.processors;
      if (!Array.isArray(members)) return undefined;
      let total = 0;
      for (const member of members) {
        const count = pairSpecialTokenCount(member);
        if (count === undefined) return undefined;
        total += count;
      }
      return total;
    }
    case 'TemplateProcessing': {
      const { pair, special_tokens: specials } = postProcessor;
      if (!Array.isArray(pair) || !isObject(specials)) return undefined;
      let total = 0;
      for (const piece of pair) {
        if (!isObject(piece) || !isObject(piece.SpecialToken)) continue;
        const special = specials[String(piece.SpecialToken.id)];
        if (!isObject(special) || !Array.isArray(special.ids)) return undefined;
        total += special.ids.length;
      }
      return total;
    }
    default:
      return undefined;
  }
}

/** pairSpecialTokenCount of a tokenizer.json file's post_processor. */
export function readPairSpecialTokenCount(path: string): number | undefined {
  try {
    const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isObject(raw) ? pairSpecialTokenCount(raw.post_processor) : undefined;
  } catch {
    return undefined;
  }
}
