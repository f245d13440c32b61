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

#include "text/bert_tokenizer.h"
#include "text/json.h"
#include "text/json_reader.h"

namespace fasterbert::text {
namespace {

// Field access with errors that name the file and the field's path.
using Reader = JsonReader;

struct TemplatePiece {
  bool special;      // SpecialToken, else Sequence
  std::string id;    // the token, or "A" / "B"
  int64_t type_id;
};

std::vector<TemplatePiece> ReadTemplate(const Reader& r, const JsonValue& list,
                                        const std::string& path) {
  r.Expect(list, JsonValue::Type::kArray, path);
  std::vector<TemplatePiece> pieces;
  for (size_t i = 0; i < list.array().size(); ++i) {
    const JsonValue& item = list.array()[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    r.Expect(item, JsonValue::Type::kObject, item_path);
    if (item.object().size() != 1) r.Fail(item_path, "expected SpecialToken or Sequence");
    const auto& [kind, body] = item.object().front();
    if (kind != "SpecialToken" && kind != "Sequence") {
      r.Fail(item_path, "'" + kind + "' is not supported (SpecialToken, Sequence)");
    }
    const std::string body_path = item_path + "." + kind;
    r.Expect(body, JsonValue::Type::kObject, body_path);
    pieces.push_back({kind == "SpecialToken", r.String(body, body_path, "id"),
                      r.Integer(r.Get(body, body_path, "type_id"), body_path + ".type_id", 0,
                                INT32_MAX)});
  }
  return pieces;
}

bool IsPiece(const TemplatePiece& p, bool special, const std::string& id, int64_t type_id) {
  return p.special == special && p.id == id && p.type_id == type_id;
}

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
  std::vector<std::pair<std::string, int32_t>> pairs;
  pairs.reserve(vocab_json.object().size());
  for (const auto& [token, id] : vocab_json.object()) {
    pairs.emplace_back(token, static_cast<int32_t>(
                                  r.Integer(id, "model.vocab['" + token + "']", 0, INT32_MAX)));
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

  // post_processor: the BERT template, in either spelling.
  const JsonValue& post = r.Get(root, "", "post_processor");
  if (post.is_null()) {
    r.Fail("post_processor", "null is not supported (the BERT template [CLS] A [SEP] is needed)");
  }
  const std::string post_type =
      r.Type(post, "post_processor", {"TemplateProcessing", "BertProcessing"});
  if (post_type == "BertProcessing") {
    auto read_pair = [&](const char* key, std::string* token, int32_t* id) {
      const std::string path = std::string("post_processor.") + key;
      const JsonValue& v = r.Get(post, "post_processor", key);
      if (!v.is_array() || v.array().size() != 2 || !v.array()[0].is_string()) {
        r.Fail(path, "expected [token, id]");
      }
      *token = v.array()[0].string();
      *id = static_cast<int32_t>(r.Integer(v.array()[1], path + "[1]", 0, INT32_MAX));
    };
    read_pair("cls", &options.cls_token, &specials.cls_id);
    read_pair("sep", &options.sep_token, &specials.sep_id);
  } else {
    const auto single = ReadTemplate(r, r.Get(post, "post_processor", "single"),
                                     "post_processor.single");
    const auto pair = ReadTemplate(r, r.Get(post, "post_processor", "pair"),
                                   "post_processor.pair");
    const bool bert_single = single.size() == 3 && single[0].special &&
                             IsPiece(single[0], true, single[0].id, 0) &&
                             IsPiece(single[1], false, "A", 0) && single[2].special &&
                             IsPiece(single[2], true, single[2].id, 0);
    if (!bert_single) {
      r.Fail("post_processor.single", "only the BERT template [CLS]:0 $A:0 [SEP]:0 is supported");
    }
    options.cls_token = single[0].id;
    options.sep_token = single[2].id;
    // [CLS]:0 $A:0 [SEP]:0 $B:t [SEP]:t, or with [SEP]:0 twice after A as
    // MPNet's converter writes it; t is 0 or 1.
    const size_t separators = pair.size() == 6 ? 2 : 1;
    const int64_t b_type = pair.size() >= 5 ? pair[pair.size() - 2].type_id : -1;
    bool bert_pair = (pair.size() == 5 || pair.size() == 6) && (b_type == 0 || b_type == 1) &&
                     IsPiece(pair[0], true, options.cls_token, 0) &&
                     IsPiece(pair[1], false, "A", 0) &&
                     IsPiece(pair[pair.size() - 2], false, "B", b_type) &&
                     IsPiece(pair.back(), true, options.sep_token, b_type);
    for (size_t i = 0; i < separators; ++i) {
      bert_pair = bert_pair && IsPiece(pair[2 + i], true, options.sep_token, 0);
    }
    if (!bert_pair) {
      r.Fail("post_processor.pair",
             "only the BERT template [CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1 is supported (also with "
             "[SEP]:0 twice after $A, as MPNet's, and $B and its [SEP] at type 0)");
    }
    specials.pair_separators = separators;
    specials.pair_b_type_id = static_cast<int32_t>(b_type);
    const JsonValue& tokens = r.Get(post, "post_processor", "special_tokens");
    r.Expect(tokens, JsonValue::Type::kObject, "post_processor.special_tokens");
    auto id_of = [&](const std::string& token) {
      const std::string path = "post_processor.special_tokens['" + token + "']";
      const JsonValue* entry = tokens.Find(token);
      if (entry == nullptr) r.Fail(path, "missing");
      r.Expect(*entry, JsonValue::Type::kObject, path);
      const JsonValue& ids = r.Get(*entry, path, "ids");
      if (!ids.is_array() || ids.array().size() != 1) {
        r.Fail(path + ".ids", "expected exactly one id");
      }
      return static_cast<int32_t>(r.Integer(ids.array()[0], path + ".ids[0]", 0, INT32_MAX));
    };
    specials.cls_id = id_of(options.cls_token);
    specials.sep_id = id_of(options.sep_token);
  }

  if (const auto id = override_id(overrides.cls_token, "clsToken", &options.cls_token)) {
    specials.cls_id = *id;
  }
  if (const auto id = override_id(overrides.sep_token, "sepToken", &options.sep_token)) {
    specials.sep_id = *id;
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
  check_id(specials.cls_id, "post_processor (the [CLS] id)");
  check_id(specials.sep_id, "post_processor (the [SEP] id)");
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
