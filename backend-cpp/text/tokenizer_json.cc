// BertTokenizer::FromTokenizerJson: reads a HF tokenizer.json (the format of
// tokenizers 0.23) and accepts only what this tokenizer does exactly.
#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "text/bert_template.h"
#include "text/bert_tokenizer.h"
#include "text/json.h"
#include "text/json_reader.h"
#include "text/post_processors.h"

namespace fasterbert::text {
namespace {

// Field access with errors that name the file and the field's path.
using Reader = JsonReader;

}  // namespace

bool BertTokenizerOverrides::empty() const {
  return !clean_text && !handle_chinese_chars && !lowercase && !strip_accents && !unk_token &&
         !cls_token && !sep_token && !pad_token && !continuing_subword_prefix &&
         !max_input_chars_per_word;
}

BertTokenizer BertTokenizer::FromTokenizerJson(const std::string& path,
                                               const BertTokenizerOverrides& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open tokenizer.json '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read tokenizer.json '" + path + "'");
  return FromTokenizerJsonString(buffer.str(), path, overrides);
}

BertTokenizer BertTokenizer::FromTokenizerJsonString(std::string_view json,
                                                     const std::string& name,
                                                     const BertTokenizerOverrides& overrides) {
  const Reader r(name);
  JsonValue root;
  try {
    root = ParseJson(json, name);
  } catch (const JsonError& e) {
    throw std::runtime_error(std::string("tokenizer.json ") + e.what());
  }
  r.Expect(root, JsonValue::Type::kObject, "(document)");
  BertTokenizerOptions options;

  // normalizer: BertNormalizer, or none at all.
  if (const JsonValue* n = r.Optional(root, "normalizer")) {
    r.Type(*n, "normalizer", {"BertNormalizer"});
    options.clean_text = r.Bool(*n, "normalizer", "clean_text", true);
    options.handle_chinese_chars = r.Bool(*n, "normalizer", "handle_chinese_chars", true);
    options.lowercase = r.Bool(*n, "normalizer", "lowercase", true);
    if (const JsonValue* strip = r.Optional(*n, "strip_accents")) {
      r.Expect(*strip, JsonValue::Type::kBool, "normalizer.strip_accents");
      options.strip_accents = strip->bool_value();
    }
  } else {
    options.clean_text = options.handle_chinese_chars = options.lowercase = false;
    options.strip_accents = false;
  }
  if (overrides.clean_text) options.clean_text = *overrides.clean_text;
  if (overrides.handle_chinese_chars) {
    options.handle_chinese_chars = *overrides.handle_chinese_chars;
  }
  if (overrides.lowercase) options.lowercase = *overrides.lowercase;
  // Unset (in the file and here): follows the lowercase in effect, as in HF.
  if (overrides.strip_accents) options.strip_accents = overrides.strip_accents;

  // pre_tokenizer: BertPreTokenizer (WordPiece needs words).
  const JsonValue& pre = r.Get(root, "", "pre_tokenizer");
  if (pre.is_null()) r.Fail("pre_tokenizer", "null is not supported (supported: BertPreTokenizer)");
  r.Type(pre, "pre_tokenizer", {"BertPreTokenizer"});

  // model: WordPiece.
  const JsonValue& model = r.Get(root, "", "model");
  r.Type(model, "model", {"WordPiece"});
  options.unk_token = r.String(model, "model", "unk_token");
  if (const JsonValue* prefix = r.Optional(model, "continuing_subword_prefix")) {
    r.Expect(*prefix, JsonValue::Type::kString, "model.continuing_subword_prefix");
    options.continuing_subword_prefix = prefix->string();
  }
  if (const JsonValue* max_chars = r.Optional(model, "max_input_chars_per_word")) {
    options.max_input_chars_per_word = static_cast<size_t>(
        r.Integer(*max_chars, "model.max_input_chars_per_word", 0, INT64_MAX));
  }
  if (overrides.continuing_subword_prefix) {
    options.continuing_subword_prefix = *overrides.continuing_subword_prefix;
  }
  if (overrides.max_input_chars_per_word) {
    options.max_input_chars_per_word = *overrides.max_input_chars_per_word;
  }
  const JsonValue& vocab_json = r.Get(model, "model", "vocab");
  r.Expect(vocab_json, JsonValue::Type::kObject, "model.vocab");
  // Ids past the file's entries are refused: tables are sized by the largest.
  const int64_t id_limit = TokenIdLimit(root);
  std::vector<std::pair<std::string, int32_t>> pairs;
  pairs.reserve(vocab_json.object().size());
  for (const auto& [token, id] : vocab_json.object()) {
    pairs.emplace_back(token, static_cast<int32_t>(
                                  r.Integer(id, "model.vocab['" + token + "']", 0, id_limit - 1)));
  }
  if (pairs.empty()) r.Fail("model.vocab", "is empty");
  Vocab vocab = Vocab::FromPairs(pairs, name);

  // A special token the caller set: its id is model.vocab's (the file
  // names only its own tokens), and it is matched in the text, as HF does
  // with a special token given to from_pretrained.
  std::vector<std::pair<std::string, int32_t>> overridden;
  auto override_id = [&](const std::optional<std::string>& token, const char* option,
                         std::string* kept) -> std::optional<int32_t> {
    if (!token) return std::nullopt;
    const auto id = vocab.Find(*token);
    if (!id) {
      r.Fail("model.vocab", "has no '" + *token + "', which the pipeline's " + option +
                                " sets; set " + option + " to a token it has");
    }
    *kept = *token;
    overridden.emplace_back(*token, *id);
    return id;
  };

  Specials specials;
  if (const auto id = override_id(overrides.unk_token, "unkToken", &options.unk_token)) {
    specials.unk_id = *id;
  } else {
    const auto unk = vocab.Find(options.unk_token);
    if (!unk) r.Fail("model.unk_token", "'" + options.unk_token + "' is not in model.vocab");
    specials.unk_id = *unk;
  }

  // added_tokens: matched in the raw text, as HF does for tokens with
  // normalized=false and no single-word rule; lstrip and rstrip take the
  // whitespace beside a match (MPNet's <mask>).
  if (const JsonValue* added = r.Optional(root, "added_tokens")) {
    r.Expect(*added, JsonValue::Type::kArray, "added_tokens");
    for (size_t i = 0; i < added->array().size(); ++i) {
      const JsonValue& t = added->array()[i];
      const std::string path = "added_tokens[" + std::to_string(i) + "]";
      r.Expect(t, JsonValue::Type::kObject, path);
      const std::string& content = r.String(t, path, "content");
      const auto id = static_cast<int32_t>(r.Integer(r.Get(t, path, "id"), path + ".id", 0, INT32_MAX));
      for (const char* flag : {"single_word", "normalized"}) {
        if (r.Bool(t, path, flag, false)) {
          r.Fail(path + "." + flag, "true is not supported (token '" + content + "')");
        }
      }
      if (!content.empty()) {
        specials.matched.push_back(
            {content, id, r.Bool(t, path, "lstrip", false), r.Bool(t, path, "rstrip", false)});
      }
    }
  }

  // post_processor: the BERT template, in either spelling, read as the
  // general tokenizer reads it; each list is checked as soon as it is read.
  const JsonValue& post = r.Get(root, "", "post_processor");
  if (post.is_null()) {
    r.Fail("post_processor", "null is not supported (the BERT template [CLS] A [SEP] is needed)");
  }
  r.Type(post, "post_processor", {"TemplateProcessing", "BertProcessing"});
  PostProcessing read;
  ReadPostProcessor(r, post, "post_processor", &read, [&](bool pair) {
    const std::string path = pair ? "post_processor.pair" : "post_processor.single";
    const std::vector<TemplatePiece>& pieces = pair ? read.pair_pieces : read.single_pieces;
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (!pieces[i].alone) r.Fail(Reader::Index(path, i), "expected SpecialToken or Sequence");
    }
    if (!pair && !IsBertSingle(pieces)) {
      r.Fail(path, "only the BERT template [CLS]:0 $A:0 [SEP]:0 is supported (each special "
                   "token with exactly one id)");
    }
    if (pair && !IsBertPair(read.single_pieces, pieces)) {
      r.Fail(path,
             "only the BERT template [CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1 is supported (also with "
             "[SEP]:0 twice after $A, as MPNet's, and $B and its [SEP] at type 0)");
    }
  });
  options.cls_token = read.single_pieces[0].id;
  options.sep_token = read.single_pieces[2].id;
  specials.bert_template = std::move(read.special);

  if (const auto id = override_id(overrides.cls_token, "clsToken", &options.cls_token)) {
    SetBertCls(&specials.bert_template, *id);
  }
  if (const auto id = override_id(overrides.sep_token, "sepToken", &options.sep_token)) {
    SetBertSep(&specials.bert_template, *id);
  }

  // truncation and padding: checked, not kept. The pipeline's maxLength and
  // truncation decide; a file asking for what we cannot do (a stride, left
  // truncation or padding) is refused rather than silently done differently.
  if (const JsonValue* t = r.Optional(root, "truncation")) {
    r.Expect(*t, JsonValue::Type::kObject, "truncation");
    r.Integer(r.Get(*t, "truncation", "max_length"), "truncation.max_length", 0, INT64_MAX);
    if (const JsonValue* stride = t->Find("stride")) {
      if (r.Integer(*stride, "truncation.stride", 0, INT64_MAX) != 0) {
        r.Fail("truncation.stride", "only 0 is supported");
      }
    }
    if (const JsonValue* direction = r.Optional(*t, "direction")) {
      if (!direction->is_string() || direction->string() != "Right") {
        r.Fail("truncation.direction", "only Right is supported");
      }
    }
    const std::string& strategy = r.String(*t, "truncation", "strategy");
    if (strategy != "LongestFirst" && strategy != "OnlyFirst" && strategy != "OnlySecond") {
      r.Fail("truncation.strategy", "'" + strategy + "' is not supported");
    }
  }
  specials.pad_id = -1;
  if (const JsonValue* p = r.Optional(root, "padding")) {
    r.Expect(*p, JsonValue::Type::kObject, "padding");
    const JsonValue& strategy = r.Get(*p, "padding", "strategy");
    const bool batch_longest = strategy.is_string() && strategy.string() == "BatchLongest";
    if (!batch_longest) {
      const JsonValue* fixed = strategy.Find("Fixed");
      if (fixed == nullptr) r.Fail("padding.strategy", "expected \"BatchLongest\" or {\"Fixed\": n}");
      r.Integer(*fixed, "padding.strategy.Fixed", 0, INT64_MAX);
    }
    if (const JsonValue* direction = r.Optional(*p, "direction")) {
      if (!direction->is_string() || direction->string() != "Right") {
        r.Fail("padding.direction", "only Right is supported");
      }
    }
    if (r.Optional(*p, "pad_to_multiple_of") != nullptr) {
      r.Fail("padding.pad_to_multiple_of", "only null is supported");
    }
    if (const JsonValue* type_id = p->Find("pad_type_id")) {
      if (r.Integer(*type_id, "padding.pad_type_id", 0, INT32_MAX) != 0) {
        r.Fail("padding.pad_type_id", "only 0 is supported");
      }
    }
    if (const JsonValue* id = p->Find("pad_id")) {
      specials.pad_id = static_cast<int32_t>(r.Integer(*id, "padding.pad_id", 0, INT32_MAX));
    }
    if (const JsonValue* token = r.Optional(*p, "pad_token")) {
      r.Expect(*token, JsonValue::Type::kString, "padding.pad_token");
      options.pad_token = token->string();
    }
  }
  if (const auto id = override_id(overrides.pad_token, "padToken", &options.pad_token)) {
    specials.pad_id = *id;
  } else if (specials.pad_id < 0) {
    // HF pads with id 0 unless told otherwise.
    const auto id = vocab.Find(options.pad_token);
    specials.pad_id = id ? *id : 0;
  }
  // Every id the tokenizer can emit must index the model's embedding rows,
  // i.e. lie inside the vocab: an id past it would fail (or worse) in the engine.
  const int64_t vocab_size = static_cast<int64_t>(vocab.line_count());
  auto check_id = [&](int32_t id, const std::string& path) {
    if (id >= vocab_size) {
      r.Fail(path, "id " + std::to_string(id) + " is outside the vocab of " +
                       std::to_string(vocab_size) + " tokens");
    }
  };
  // (The pair's [CLS] and [SEP] are the single's: IsBertPair checks their names.)
  check_id(specials.bert_template.single_before.ids[0], "post_processor (the [CLS] id)");
  check_id(specials.bert_template.single_after.ids[0], "post_processor (the [SEP] id)");
  check_id(specials.pad_id, "padding.pad_id");
  for (const AddedTokenMatcher::Token& t : specials.matched) {
    check_id(t.id, "added_tokens '" + t.content + "'");
  }
  for (const auto& override_token : overridden) {
    // (Not a structured binding: C++17 lambdas cannot capture those.)
    const std::string& token = override_token.first;
    const bool matched = std::any_of(specials.matched.begin(), specials.matched.end(),
                                     [&](const auto& m) { return m.content == token; });
    if (!matched) specials.matched.push_back({token, override_token.second});
  }
  return BertTokenizer(std::make_shared<const Vocab>(std::move(vocab)), options,
                       std::move(specials));
}

}  // namespace fasterbert::text
