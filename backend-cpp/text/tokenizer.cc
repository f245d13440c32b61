#include "text/tokenizer.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "text/added_token_matcher.h"
#include "text/byte_level.h"
#include "text/decoders.h"
#include "text/errors.h"
#include "text/json.h"
#include "text/json_reader.h"
#include "text/models/bpe.h"
#include "text/models/model_token.h"
#include "text/models/unigram.h"
#include "text/normalized_string.h"
#include "text/normalizers.h"
#include "text/post_processors.h"
#include "text/pre_tokenizers.h"
#include "text/utf8.h"

namespace fasterbert::text {
namespace {

// The fast WordPiece tokenizer behind the common interface.
class BertTokenizerAdapter : public Tokenizer {
 public:
  explicit BertTokenizerAdapter(BertTokenizer bert)
      : bert_(std::move(bert)),
        // BertTokenizerFast's decoder.
        decoder_(Decoder::WordPiece(bert_.options().continuing_subword_prefix, true)) {
    // The vocab maps strings to ids; the way back is needed for NER's words.
    for (const auto& [token, id] : bert_.vocab().ids()) {
      if (id < 0) continue;
      if (static_cast<size_t>(id) >= tokens_.size()) tokens_.resize(static_cast<size_t>(id) + 1);
      tokens_[static_cast<size_t>(id)] = token;
    }
  }
  void Encode(std::string_view text, size_t max_length, Truncation truncation,
              Encoding* out) const override {
    bert_.Encode(text, max_length, truncation, out);
  }
  void EncodePair(std::string_view a, std::string_view b, size_t max_length,
                  Truncation truncation, Encoding* out) const override {
    bert_.EncodePair(a, b, max_length, truncation, out);
  }
  void Tokenize(std::string_view text, std::vector<Token>* out) const override {
    thread_local Encoding encoding;
    bert_.Encode(text, BertTokenizer::kNoMaxLength, Truncation::kLongestFirst, &encoding);
    out->clear();
    for (size_t i = 1; i + 1 < encoding.size(); ++i) {
      out->push_back({encoding.ids[i], encoding.offsets[i].first, encoding.offsets[i].second});
    }
  }
  // BertPreTokenizer's words are WordPiece's words, and WordPiece marks all
  // pieces of a word but the first with the subword prefix: a word starts
  // at every token without it (the fast path has no splits to count). The
  // prefix ("##") cannot start a word, whose punctuation is split off;
  // an added token matched in the text has no prefix and is a word alone.
  void TokenizeWords(std::string_view text, std::vector<Token>* out,
                     std::vector<uint32_t>* words) const override {
    Tokenize(text, out);
    words->clear();
    const std::string& prefix = bert_.options().continuing_subword_prefix;
    uint32_t word = 0;
    for (size_t i = 0; i < out->size(); ++i) {
      const std::string_view token = IdToToken((*out)[i].id);
      // Not by offsets: pieces of one normalized char (Hangul jamo) share them.
      const bool continues =
          i > 0 && !prefix.empty() && token.substr(0, prefix.size()) == prefix;
      if (i > 0 && !continues) ++word;
      words->push_back(word);
    }
  }
  const SpecialTemplate& special_template() const override { return bert_.special_template(); }
  int32_t pad_id() const override { return bert_.pad_id(); }
  std::string_view IdToToken(int32_t id) const override {
    return id >= 0 && static_cast<size_t>(id) < tokens_.size() ? tokens_[static_cast<size_t>(id)]
                                                               : std::string_view();
  }
  int32_t unk_id() const override { return bert_.unk_id(); }
  const std::string& continuing_subword_prefix() const override {
    return bert_.options().continuing_subword_prefix;
  }
  std::string TokensToString(const std::vector<std::string>& tokens) const override {
    return decoder_.Decode(tokens);
  }
  const std::string& decoder_error() const override { return no_error_; }
  const BertTokenizer* bert() const override { return &bert_; }

 private:
  BertTokenizer bert_;
  Decoder decoder_;
  std::vector<std::string_view> tokens_;  // into bert_'s vocab, by id
  std::string no_error_;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual void Tokenize(std::string_view word, std::vector<ModelToken>* out) const = 0;
  // Hints that Tokenize(word) comes soon, so its cached tokens can load meanwhile.
  virtual void Prefetch(std::string_view word) const = 0;
  virtual std::optional<int32_t> TokenToId(std::string_view token) const = 0;
};

template <typename M>
class ModelOf : public Model {
 public:
  explicit ModelOf(M model) : model_(std::move(model)) {}
  void Tokenize(std::string_view word, std::vector<ModelToken>* out) const override {
    model_.Tokenize(word, out);
  }
  void Prefetch(std::string_view word) const override { model_.Prefetch(word); }
  std::optional<int32_t> TokenToId(std::string_view token) const override {
    return model_.TokenToId(token);
  }

 private:
  M model_;
};

// What the model and the decoder say about words (see Tokenizer's
// IdToToken and TokensToString).
struct WordRules {
  int32_t unk_id = -1;
  std::string prefix;          // the model's continuing_subword_prefix
  Decoder decoder;
  std::string decoder_error;   // why the file's decoder is not usable
};

class GenericTokenizer : public Tokenizer {
 public:
  GenericTokenizer(std::unique_ptr<Normalizer> normalizer,
                   std::unique_ptr<PreTokenizer> pre_tokenizer, std::unique_ptr<Model> model,
                   std::vector<AddedTokenMatcher::Token> added, SpecialTemplate special,
                   int32_t pad_id)
      : normalizer_(std::move(normalizer)),
        pre_tokenizer_(std::move(pre_tokenizer)),
        model_(std::move(model)),
        added_(std::move(added)),
        template_(std::move(special)),
        pad_id_(pad_id) {}

  void Encode(std::string_view text, size_t max_length, Truncation truncation,
              Encoding* out) const override {
    thread_local std::vector<Token> tokens;
    Tokenize(text, &tokens);
    const size_t added = template_.single_before.size() + template_.single_after.size();
    CheckMaxLength(max_length, added);
    const KeptLengths kept =
        max_length == kNoMaxLength
            ? KeptLengths{tokens.size(), 0}
            : ComputeTruncation(tokens.size(), std::nullopt, max_length - added, truncation);
    out->Clear();
    AppendSpecials(template_.single_before, out);
    AppendTokens(tokens, kept.first, template_.single_type_id, out);
    AppendSpecials(template_.single_after, out);
  }

  void EncodePair(std::string_view a, std::string_view b, size_t max_length,
                  Truncation truncation, Encoding* out) const override {
    thread_local std::vector<Token> tokens_a, tokens_b;
    Tokenize(a, &tokens_a);
    Tokenize(b, &tokens_b);
    const size_t added = template_.pair_before.size() + template_.pair_between.size() +
                         template_.pair_after.size();
    CheckMaxLength(max_length, added);
    const KeptLengths kept = max_length == kNoMaxLength
                                 ? KeptLengths{tokens_a.size(), tokens_b.size()}
                                 : ComputeTruncation(tokens_a.size(), tokens_b.size(),
                                                     max_length - added, truncation);
    out->Clear();
    AppendSpecials(template_.pair_before, out);
    AppendTokens(tokens_a, kept.first, template_.pair_a_type_id, out);
    AppendSpecials(template_.pair_between, out);
    AppendTokens(tokens_b, kept.second, template_.pair_b_type_id, out);
    AppendSpecials(template_.pair_after, out);
  }

  void Tokenize(std::string_view text, std::vector<Token>* out) const override {
    Split(text, out, nullptr);
  }
  void TokenizeWords(std::string_view text, std::vector<Token>* out,
                     std::vector<uint32_t>* words) const override {
    words->clear();
    Split(text, out, words);
  }

 private:
  // Tokenize; with `words`, also the word of each token: one per split
  // (added token, pre-tokenizer split) that made tokens, in order. HF
  // numbers every split, so a split without tokens shifts its numbers but
  // never which tokens share one. Per split, not per token: Tokenize stays
  // as it was.
  void Split(std::string_view text, std::vector<Token>* out, std::vector<uint32_t>* words) const {
    out->clear();
    uint32_t next_word = 0;
    auto end_word = [&] {
      if (words != nullptr && words->size() < out->size()) words->resize(out->size(), next_word++);
    };
    if (const auto bad = FindInvalidUtf8(text)) {
      throw InvalidTextError("text is not valid UTF-8 at byte " + std::to_string(*bad));
    }
    thread_local std::vector<NormalizedString> pieces;
    thread_local std::vector<ModelToken> model_tokens;
    thread_local std::vector<std::pair<uint32_t, uint32_t>> ranges;
    auto tokenize_segment = [&](size_t begin, size_t end) {
      // Reused: most calls are one segment, and its buffers stay allocated.
      thread_local NormalizedString s;
      s.Assign(text.substr(begin, end - begin), static_cast<uint32_t>(begin));
      if (normalizer_) normalizer_->Normalize(&s);
      pieces.clear();
      if (s.empty()) return;
      // HF slices the normalized stretch again (to split off normalized
      // added tokens), which moves its shift to where the kept text starts
      // (Metaspace's prepend_scheme "first" looks at that).
      s.SliceWhole();
      NormalizedString& whole = s;
      // A pre-tokenizer that splits in place gives ranges of `whole`: the
      // model reads them where they are, no piece is copied.
      if (pre_tokenizer_ && pre_tokenizer_->SplitInPlace(&whole, &ranges)) {
        const std::string_view normalized = whole.get();
        auto word_of = [&](size_t k) {
          return normalized.substr(ranges[k].first, ranges[k].second - ranges[k].first);
        };
        // Most words are cache hits whose slot is not in L2: the slot of
        // the word kPrefetchAhead on loads while this one is tokenized.
        constexpr size_t kPrefetchAhead = 2;
        for (size_t k = 0; k < std::min(kPrefetchAhead, ranges.size()); ++k) {
          model_->Prefetch(word_of(k));
        }
        for (size_t k = 0; k < ranges.size(); ++k) {
          const auto& range = ranges[k];
          if (k + kPrefetchAhead < ranges.size()) model_->Prefetch(word_of(k + kPrefetchAhead));
          model_tokens.clear();
          model_->Tokenize(word_of(k), &model_tokens);
          for (const ModelToken& t : model_tokens) {
            const auto input = whole.InputRange(range.first + t.start, range.first + t.end);
            // Written in place: a Token built on the stack and copied cost a
            // store-forwarding stall per token (12-byte copy of two stores).
            Token& token = out->emplace_back();
            token.id = t.id;
            token.start = input.first;
            token.end = input.second;
          }
          end_word();
        }
        return;
      }
      pieces.push_back(std::move(whole));
      if (pre_tokenizer_) pre_tokenizer_->PreTokenize(&pieces);
      for (const NormalizedString& piece : pieces) {
        model_tokens.clear();
        model_->Tokenize(piece.get(), &model_tokens);
        for (const ModelToken& t : model_tokens) {
          const auto range = piece.InputRange(t.start, t.end);
          out->push_back({t.id, range.first, range.second});
        }
        end_word();
      }
    };
    thread_local std::vector<AddedTokenMatcher::Segment> segments;
    added_.Split(text, &segments);
    for (const AddedTokenMatcher::Segment& segment : segments) {
      if (segment.id == AddedTokenMatcher::kText) {
        tokenize_segment(segment.begin, segment.end);
      } else {
        out->push_back({segment.id, segment.begin, segment.end});
        end_word();
      }
    }
    if (trim_) trim_->Apply(text, out);
  }

 public:
  const SpecialTemplate& special_template() const override { return template_; }
  int32_t pad_id() const override { return pad_id_; }
  std::string_view IdToToken(int32_t id) const override {
    return id >= 0 && static_cast<size_t>(id) < token_strings_.size()
               ? std::string_view(token_strings_[static_cast<size_t>(id)])
               : std::string_view();
  }
  int32_t unk_id() const override { return words_.unk_id; }
  const std::string& continuing_subword_prefix() const override { return words_.prefix; }
  std::string TokensToString(const std::vector<std::string>& tokens) const override {
    if (!words_.decoder_error.empty()) throw std::runtime_error(words_.decoder_error);
    return words_.decoder.Decode(tokens);
  }
  const std::string& decoder_error() const override { return words_.decoder_error; }

  // token_strings[id]: the token's text (HF's convert_ids_to_tokens).
  void SetTokenStrings(std::vector<std::string> token_strings) {
    token_strings_ = std::move(token_strings);
  }
  // Turns on HF's ByteLevel process_offsets (which reads the token strings).
  void TrimOffsets(bool add_prefix_space) { trim_.emplace(token_strings_, add_prefix_space); }
  void SetWordRules(WordRules words) { words_ = std::move(words); }

 private:
  static void CheckMaxLength(size_t max_length, size_t added) {
    if (max_length != kNoMaxLength && max_length < added) {
      throw std::invalid_argument("max_length " + std::to_string(max_length) +
                                  " is below the " + std::to_string(added) +
                                  " special tokens the template adds");
    }
  }
  static void AppendSpecials(const SpecialTokens& specials, Encoding* out) {
    for (size_t i = 0; i < specials.size(); ++i) {
      out->ids.push_back(specials.ids[i]);
      out->type_ids.push_back(specials.type_ids[i]);
      out->attention_mask.push_back(1);
      out->offsets.push_back({0, 0});
    }
  }
  static void AppendTokens(const std::vector<Token>& tokens, size_t count, int32_t type_id,
                           Encoding* out) {
    for (size_t i = 0; i < count; ++i) {
      out->ids.push_back(tokens[i].id);
      out->type_ids.push_back(type_id);
      out->attention_mask.push_back(1);
      out->offsets.push_back({tokens[i].start, tokens[i].end});
    }
  }
  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
  std::unique_ptr<Model> model_;
  AddedTokenMatcher added_;
  SpecialTemplate template_;
  int32_t pad_id_;
  std::optional<ByteLevelOffsetTrim> trim_;  // ByteLevel's process_offsets, when on
  std::vector<std::string> token_strings_;
  WordRules words_;
};

std::unique_ptr<Model> MakeModel(const JsonReader& r, const JsonValue& model) {
  const std::string type = r.Type(model, "model", {"Unigram", "BPE"});
  if (type == "BPE") {
    return std::make_unique<ModelOf<Bpe>>(
        Bpe::FromJson(model, "tokenizer.json '" + r.name() + "': model"));
  }
  return std::make_unique<ModelOf<Unigram>>(Unigram::FromJson(r, model, "model"));
}

// id -> token string of the model's vocab (Unigram's [piece, score] list or
// BPE's {token: id} map), for ByteLevel offset trimming.
std::vector<std::string> ModelTokens(const JsonReader& r, const JsonValue& model,
                                     int64_t id_limit) {
  std::vector<std::string> tokens;
  const JsonValue* vocab = model.Find("vocab");
  if (vocab == nullptr) return tokens;
  if (vocab->is_array()) {
    for (const JsonValue& item : vocab->array()) {
      tokens.push_back(item.is_array() && !item.array().empty() && item.array()[0].is_string()
                           ? item.array()[0].string()
                           : std::string());
    }
  } else if (vocab->is_object()) {
    for (const auto& [token, id] : vocab->object()) {
      if (!id.is_integer() || id.integer() < 0) continue;
      const auto i = static_cast<size_t>(r.Integer(id, "model.vocab['" + token + "']", 0, id_limit - 1));
      if (i >= tokens.size()) tokens.resize(i + 1);
      tokens[i] = token;
    }
  }
  return tokens;
}

// The model's unknown token and continuing_subword_prefix, and the decoder.
// An unsupported decoder does not stop the tokenizer: only NER needs it.
WordRules ReadWordRules(const JsonReader& r, const JsonValue& root, const Model& model) {
  WordRules words;
  const JsonValue& m = r.Get(root, "", "model");
  if (const JsonValue* unk = r.Optional(m, "unk_id"); unk != nullptr && unk->is_integer()) {
    words.unk_id = static_cast<int32_t>(r.Integer(*unk, "model.unk_id", 0, INT32_MAX));
  } else if (const JsonValue* token = r.Optional(m, "unk_token"); token != nullptr && token->is_string()) {
    words.unk_id = model.TokenToId(token->string()).value_or(-1);
  }
  if (const JsonValue* prefix = r.Optional(m, "continuing_subword_prefix")) {
    r.Expect(*prefix, JsonValue::Type::kString, "model.continuing_subword_prefix");
    words.prefix = prefix->string();
  }
  if (const JsonValue* decoder = r.Optional(root, "decoder")) {
    try {
      words.decoder = Decoder::FromJson(r, *decoder, "decoder");
    } catch (const std::runtime_error& e) {
      words.decoder_error = e.what();
    }
  }
  return words;
}

std::vector<AddedTokenMatcher::Token> ReadAddedTokens(const JsonReader& r, const JsonValue& root,
                                                      int64_t id_limit) {
  std::vector<AddedTokenMatcher::Token> added;
  const JsonValue* list = r.Optional(root, "added_tokens");
  if (list == nullptr) return added;
  r.Expect(*list, JsonValue::Type::kArray, "added_tokens");
  for (size_t i = 0; i < list->array().size(); ++i) {
    const std::string path = JsonReader::Index("added_tokens", i);
    const JsonValue& item = list->array()[i];
    r.Expect(item, JsonValue::Type::kObject, path);
    AddedTokenMatcher::Token t;
    t.content = r.String(item, path, "content");
    t.id = static_cast<int32_t>(r.Integer(r.Get(item, path, "id"), path + ".id", 0, id_limit - 1));
    t.lstrip = r.Bool(item, path, "lstrip", false);
    t.rstrip = r.Bool(item, path, "rstrip", false);
    if (r.Bool(item, path, "single_word", false)) {
      r.Fail(path + ".single_word", "true is not supported (token '" + t.content + "')");
    }
    if (r.Bool(item, path, "normalized", false)) {
      r.Fail(path + ".normalized", "true is not supported (token '" + t.content + "')");
    }
    if (!t.content.empty()) added.push_back(std::move(t));
  }
  return added;
}

std::unique_ptr<Tokenizer> BuildGeneric(std::string_view json, const std::string& name) {
  const JsonValue root = ParseJson(json, name);
  const JsonReader r(name);
  r.Expect(root, JsonValue::Type::kObject, "(root)");
  std::unique_ptr<Normalizer> normalizer;
  if (const JsonValue* n = r.Optional(root, "normalizer")) {
    normalizer = MakeNormalizer(r, *n, "normalizer");
  }
  std::unique_ptr<PreTokenizer> pre_tokenizer;
  if (const JsonValue* p = r.Optional(root, "pre_tokenizer")) {
    pre_tokenizer = MakePreTokenizer(r, *p, "pre_tokenizer");
  }
  std::unique_ptr<Model> model = MakeModel(r, r.Get(root, "", "model"));
  const int64_t id_limit = TokenIdLimit(root);
  std::vector<AddedTokenMatcher::Token> added = ReadAddedTokens(r, root, id_limit);
  PostProcessing post;
  if (const JsonValue* p = r.Optional(root, "post_processor")) {
    ReadPostProcessor(r, *p, "post_processor", &post);
  }
  std::vector<std::string> token_strings = ModelTokens(r, r.Get(root, "", "model"), id_limit);
  for (const AddedTokenMatcher::Token& t : added) {
    if (static_cast<size_t>(t.id) >= token_strings.size()) token_strings.resize(t.id + 1);
    token_strings[t.id] = t.content;
  }
  WordRules words = ReadWordRules(r, root, *model);
  int32_t pad_id = 0;
  if (const JsonValue* padding = r.Optional(root, "padding")) {
    if (const JsonValue* id = r.Optional(*padding, "pad_id")) {
      pad_id = static_cast<int32_t>(r.Integer(*id, "padding.pad_id", 0, INT32_MAX));
    }
  } else {
    for (const char* name : {"<pad>", "[PAD]"}) {
      if (const auto id = model->TokenToId(name)) {
        pad_id = *id;
        break;
      }
    }
  }
  auto tokenizer = std::make_unique<GenericTokenizer>(
      std::move(normalizer), std::move(pre_tokenizer), std::move(model), std::move(added),
      std::move(post.special), pad_id);
  tokenizer->SetTokenStrings(std::move(token_strings));
  tokenizer->SetWordRules(std::move(words));
  if (post.trim_offsets) tokenizer->TrimOffsets(post.trim_add_prefix_space);
  return tokenizer;
}

// Whether the file's model is WordPiece (false when it cannot be read: the
// general reader then says why).
bool IsWordPieceFile(std::string_view json) {
  try {
    const JsonValue root = ParseJson(json, "");
    const JsonValue* model = root.is_object() ? root.Find("model") : nullptr;
    const JsonValue* type = model != nullptr && model->is_object() ? model->Find("type") : nullptr;
    return type != nullptr && type->is_string() && type->string() == "WordPiece";
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::FromBert(BertTokenizer bert) {
  return std::make_unique<BertTokenizerAdapter>(std::move(bert));
}

std::unique_ptr<Tokenizer> Tokenizer::FromTokenizerJson(
    const std::string& path, const BertTokenizerOverrides& bert_overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read tokenizer.json '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return FromTokenizerJsonString(buffer.str(), path, bert_overrides);
}

std::unique_ptr<Tokenizer> Tokenizer::FromTokenizerJsonString(
    std::string_view json, const std::string& name, const BertTokenizerOverrides& bert_overrides) {
  // A plain BERT file keeps the fast WordPiece path.
  try {
    return std::make_unique<BertTokenizerAdapter>(
        BertTokenizer::FromTokenizerJsonString(json, name, bert_overrides));
  } catch (const std::runtime_error&) {
    // The general tokenizer has no WordPiece model and no BERT options: for
    // such a file the BERT reader's error is the one that says what is wrong.
    if (!bert_overrides.empty() || IsWordPieceFile(json)) throw;
  }
  return BuildGeneric(json, name);
}

}  // namespace fasterbert::text
