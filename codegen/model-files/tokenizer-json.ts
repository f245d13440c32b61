// Reads a Hugging Face tokenizer.json and accepts it only when it is a BERT
// WordPiece tokenizer that the C++ runtime reproduces exactly; anything else
// is rejected with the JSON field that differs.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const bertNormalizer = z.strictObject({
  type: z.literal('BertNormalizer'),
  clean_text: z.boolean(),
  handle_chinese_chars: z.boolean(),
  strip_accents: z.boolean().nullable(),
  lowercase: z.boolean(),
});

const bertPreTokenizer = z.strictObject({ type: z.literal('BertPreTokenizer') });

const wordPiece = z.strictObject({
  type: z.literal('WordPiece'),
  unk_token: z.string().min(1),
  continuing_subword_prefix: z.string().min(1),
  max_input_chars_per_word: z.int().positive(),
  vocab: z.record(z.string(), z.int().min(0)),
});

const specialTokenPiece = z.strictObject({
  SpecialToken: z.strictObject({ id: z.string(), type_id: z.literal(0) }),
});
const sequenceAPiece = z.strictObject({
  Sequence: z.strictObject({ id: z.literal('A'), type_id: z.literal(0) }),
});

// Single texts only: [CLS] A [SEP]. `pair` is accepted as it is and not used.
const templateProcessing = z.looseObject({
  type: z.literal('TemplateProcessing'),
  single: z.tuple([specialTokenPiece, sequenceAPiece, specialTokenPiece], {
    error: 'must be [SpecialToken, Sequence A, SpecialToken] ([CLS] text [SEP])',
  }),
  special_tokens: z.record(z.string(), z.looseObject({ id: z.string(), ids: z.array(z.int()), tokens: z.array(z.string()) })),
});

const bertProcessing = z.strictObject({
  type: z.literal('BertProcessing'),
  sep: z.tuple([z.string(), z.int()]),
  cls: z.tuple([z.string(), z.int()]),
});

const addedToken = z.looseObject({ id: z.int().min(0), content: z.string() });

const tokenizerJsonSchema = z.looseObject({
  added_tokens: z.array(addedToken).optional(),
  normalizer: z.discriminatedUnion('type', [bertNormalizer]),
  pre_tokenizer: z.discriminatedUnion('type', [bertPreTokenizer]),
  post_processor: z.discriminatedUnion('type', [templateProcessing, bertProcessing]),
  model: z.discriminatedUnion('type', [wordPiece]),
  // truncation, padding and decoder are read or ignored below: the DSL's maxLength and truncation decide.
  padding: z.looseObject({ pad_token: z.string().optional() }).nullable().optional(),
});

type TokenizerJson = z.infer<typeof tokenizerJsonSchema>;

/** The settings a tokenizer.json gives, in the IR's names. */
export interface TokenizerJsonSettings {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly lowercase: boolean;
  /** undefined: follows lowercase. */
  readonly stripAccents: boolean | undefined;
  readonly unkToken: string;
  readonly clsToken: string;
  readonly sepToken: string;
  readonly padToken: string | undefined;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
  /** The vocabulary in id order. */
  readonly vocab: readonly string[];
}

export type TokenizerJsonResult = { readonly settings: TokenizerJsonSettings } | { readonly problems: readonly string[] };

function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(top level)' : text;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = fieldPath(issue.path);
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
    const input = issue.input;
    const got = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
    const options = 'options' in issue ? (issue.options ?? []) : [];
    const supported = options.map(String).join(', ');
    return `${field} is ${JSON.stringify(got)}; supported: ${supported}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `${field} has unsupported field(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${field} is missing`;
  return `${field} ${issue.message}`;
}

function vocabInIdOrder(vocab: Record<string, number>): string[] | string {
  const tokens: string[] = [];
  for (const [token, id] of Object.entries(vocab)) {
    if (tokens[id] !== undefined) return `model.vocab gives id ${id} to both '${tokens[id]}' and '${token}'`;
    tokens[id] = token;
  }
  for (let id = 0; id < tokens.length; id += 1) {
    if (tokens[id] === undefined) return `model.vocab has no token with id ${id}: ids must run from 0 without gaps`;
  }
  return tokens;
}

function specialTokens(json: TokenizerJson): { cls: string; sep: string } | string {
  const post = json.post_processor;
  if (post.type === 'BertProcessing') return { cls: post.cls[0], sep: post.sep[0] };
  const [first, , last] = post.single;
  const cls = first.SpecialToken.id;
  const sep = last.SpecialToken.id;
  for (const [index, id] of [
    [0, cls],
    [2, sep],
  ] as const) {
    const entry = post.special_tokens[id];
    if (entry === undefined || entry.tokens.length !== 1 || entry.tokens[0] !== id) {
      return `post_processor.single[${index}]: special token '${id}' must map to itself alone in post_processor.special_tokens`;
    }
  }
  return { cls, sep };
}

function checkIds(json: TokenizerJson, vocab: readonly string[], cls: string, sep: string): string[] {
  const problems: string[] = [];
  const idOf = new Map(vocab.map((token, id) => [token, id]));
  json.added_tokens?.forEach((token, index) => {
    if (idOf.get(token.content) !== token.id) {
      problems.push(
        `added_tokens[${index}]: '${token.content}' (id ${token.id}) is not in model.vocab with that id; added tokens outside the WordPiece vocabulary are not supported`,
      );
    }
  });
  const post = json.post_processor;
  if (post.type === 'BertProcessing') {
    if (idOf.get(post.cls[0]) !== post.cls[1]) problems.push(`post_processor.cls: id ${post.cls[1]} differs from model.vocab's`);
    if (idOf.get(post.sep[0]) !== post.sep[1]) problems.push(`post_processor.sep: id ${post.sep[1]} differs from model.vocab's`);
  } else {
    for (const token of [cls, sep]) {
      const ids = post.special_tokens[token]?.ids ?? [];
      if (ids.length !== 1 || idOf.get(token) !== ids[0]) {
        problems.push(`post_processor.special_tokens['${token}'].ids must be [${String(idOf.get(token))}], the id in model.vocab`);
      }
    }
  }
  return problems;
}

/** Parses tokenizer.json text; problems name the JSON field. */
export function parseTokenizerJson(text: string): TokenizerJsonResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problems: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = tokenizerJsonSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { problems: parsed.error.issues.map(describeIssue) };
  const json = parsed.data;
  const vocab = vocabInIdOrder(json.model.vocab);
  if (typeof vocab === 'string') return { problems: [vocab] };
  const special = specialTokens(json);
  if (typeof special === 'string') return { problems: [special] };
  const problems = checkIds(json, vocab, special.cls, special.sep);
  if (problems.length > 0) return { problems };
  const normalizer = json.normalizer;
  return {
    settings: {
      cleanText: normalizer.clean_text,
      handleChineseChars: normalizer.handle_chinese_chars,
      lowercase: normalizer.lowercase,
      stripAccents: normalizer.strip_accents ?? undefined,
      unkToken: json.model.unk_token,
      clsToken: special.cls,
      sepToken: special.sep,
      padToken: json.padding?.pad_token,
      continuingSubwordPrefix: json.model.continuing_subword_prefix,
      maxInputCharsPerWord: json.model.max_input_chars_per_word,
      vocab,
    },
  };
}

export function readTokenizerJson(path: string): TokenizerJsonResult {
  return parseTokenizerJson(readFileSync(path, 'utf8'));
}
