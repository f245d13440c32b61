#include "text/tokenizer.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "text/decoders.h"
#include "text/errors.h"
#include "text/json.h"
#include "text/json_reader.h"
#include "text/models/bpe.h"
#include "text/models/model_token.h"
#include "text/models/unigram.h"
#include "text/normalized_string.h"
#include "text/normalizers.h"
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
    const int32_t cls = bert_.cls_id(), sep = bert_.sep_id();
    template_.single_before = {{cls}, {0}};
    template_.single_after = {{sep}, {0}};
    template_.pair_before = {{cls}, {0}};
    template_.pair_between = {{sep}, {0}};
    template_.pair_after = {{sep}, {1}};
    template_.pair_b_type_id = 1;
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
  const SpecialTemplate& special_template() const override { return template_; }
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
  SpecialTemplate template_;
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

// An entry of tokenizer.json's added_tokens, matched in the raw text.
struct AddedToken {
  std::string content;
  int32_t id;
  bool lstrip, rstrip;
};

// What the model and the decoder say about words (see Tokenizer's
// IdToToken and TokensToString).
struct WordRules {
  int32_t unk_id = -1;
  std::string prefix;          // the model's continuing_subword_prefix
  Decoder decoder;
  std::string decoder_error;   // why the file's decoder is not usable
};

bool IsWhiteSpace(char32_t c) {
  return (c >= 0x9 && c <= 0xD) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

class GenericTokenizer : public Tokenizer {
 public:
  GenericTokenizer(std::unique_ptr<Normalizer> normalizer,
                   std::unique_ptr<PreTokenizer> pre_tokenizer, std::unique_ptr<Model> model,
                   std::vector<AddedToken> added, SpecialTemplate special, int32_t pad_id)
      : normalizer_(std::move(normalizer)),
        pre_tokenizer_(std::move(pre_tokenizer)),
        model_(std::move(model)),
        added_(std::move(added)),
        template_(std::move(special)),
        pad_id_(pad_id) {
    for (const AddedToken& t : added_) {
      const uint8_t first = static_cast<uint8_t>(t.content[0]);
      if (!starts_added_[first]) added_start_bytes_.push_back(static_cast<char>(first));
      starts_added_[first] = true;
    }
  }

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
    size_t segment_start = 0;
    auto tokenize_segment = [&](size_t begin, size_t end) {
      if (begin >= end) return;
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
    size_t pos = 0;
    while (pos < text.size()) {
      // Most bytes start no added token: skip them without comparing (by
      // memchr when all added tokens start with one byte, as XLM-R's "<").
      if (!starts_added_[static_cast<uint8_t>(text[pos])]) {
        if (added_start_bytes_.size() == 1) {
          const auto* next = static_cast<const char*>(
              std::memchr(text.data() + pos, added_start_bytes_[0], text.size() - pos));
          pos = next == nullptr ? text.size() : static_cast<size_t>(next - text.data());
        } else {
          ++pos;
        }
        continue;
      }
      size_t match_end = 0;
      const AddedToken* match = MatchAt(text, pos, &match_end);
      if (match == nullptr) {
        ++pos;
        continue;
      }
      size_t start = pos, stop = match_end;
      if (match->lstrip) {
        // Back over whitespace, not into what an earlier match took.
        while (start > segment_start) {
          size_t prev = start - 1;
          while (prev > segment_start && (static_cast<uint8_t>(text[prev]) & 0xC0) == 0x80) --prev;
          char32_t c;
          DecodeUtf8(text, prev, &c);
          if (!IsWhiteSpace(c)) break;
          start = prev;
        }
      }
      if (match->rstrip) {
        while (stop < text.size()) {
          char32_t c;
          const size_t n = DecodeUtf8(text, stop, &c);
          if (!IsWhiteSpace(c)) break;
          stop += n;
        }
      }
      tokenize_segment(segment_start, start);
      out->push_back({match->id, static_cast<uint32_t>(start), static_cast<uint32_t>(stop)});
      end_word();
      segment_start = pos = stop;
    }
    tokenize_segment(segment_start, text.size());
    if (trim_offsets_) Trim(text, out);
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
  void TrimOffsets(bool add_prefix_space) {
    trim_offsets_ = true;
    trim_add_prefix_space_ = add_prefix_space;
    // Counted once per token, not per token of every text.
    space_runs_.resize(token_strings_.size());
    for (size_t id = 0; id < token_strings_.size(); ++id) {
      space_runs_[id] = {SpaceRun(token_strings_[id], false), SpaceRun(token_strings_[id], true)};
    }
  }
  void SetWordRules(WordRules words) { words_ = std::move(words); }

 private:
  // Space-like chars at the start (or end) of a token's text: the
  // byte-level space U+0120 and whitespace.
  static uint32_t SpaceRun(const std::string& token, bool from_end) {
    const std::vector<char32_t> chars = DecodeUtf8All(token);
    uint32_t count = 0;
    for (size_t k = 0; k < chars.size(); ++k) {
      const char32_t c = chars[from_end ? chars.size() - 1 - k : k];
      if (c != 0x120 && !IsWhiteSpace(c)) break;
      ++count;
    }
    return count;
  }
  // HF trims in chars (its Python API post-processes char offsets), so the
  // byte offsets move by whole chars of the text.
  void Trim(std::string_view text, std::vector<Token>* tokens) const {
    auto is_continuation = [&](size_t i) {
      return (static_cast<uint8_t>(text[i]) & 0xC0) == 0x80;
    };
    for (size_t i = 0; i < tokens->size(); ++i) {
      Token& t = (*tokens)[i];
      if (t.id < 0 || static_cast<size_t>(t.id) >= space_runs_.size()) continue;
      size_t leading = space_runs_[t.id].first;
      const size_t trailing = space_runs_[t.id].second;
      if (leading > 0) {
        const bool is_first = i == 0 || t.start == 0;
        if (is_first && trim_add_prefix_space_ && leading == 1) leading = 0;
        size_t start = t.start;
        for (size_t k = 0; k < leading && start < t.end; ++k) {
          ++start;
          while (start < t.end && is_continuation(start)) ++start;
        }
        t.start = static_cast<uint32_t>(start);
      }
      if (trailing > 0) {
        size_t end = t.end, k = 0;
        for (; k < trailing && end > 0; ++k) {
          --end;
          while (end > 0 && is_continuation(end)) --end;
        }
        if (k == trailing) t.end = static_cast<uint32_t>(std::max<size_t>(end, t.start));
      }
    }
  }

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
  // The longest added token that starts at text[pos], or nullptr.
  const AddedToken* MatchAt(std::string_view text, size_t pos, size_t* end) const {
    const AddedToken* best = nullptr;
    for (const AddedToken& t : added_) {
      if (text.compare(pos, t.content.size(), t.content) == 0 &&
          (best == nullptr || t.content.size() > best->content.size())) {
        best = &t;
      }
    }
    if (best != nullptr) *end = pos + best->content.size();
    return best;
  }

  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
  std::unique_ptr<Model> model_;
  std::vector<AddedToken> added_;
  bool starts_added_[256] = {};  // some added token starts with this byte
  std::string added_start_bytes_;  // those bytes, each once
  SpecialTemplate template_;
  int32_t pad_id_;
  bool trim_offsets_ = false;
  bool trim_add_prefix_space_ = false;
  std::vector<std::string> token_strings_;
  WordRules words_;
  // Per token id: the space-like chars its text starts and ends with.
  std::vector<std::pair<uint32_t, uint32_t>> space_runs_;
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
std::vector<std::string> ModelTokens(const JsonValue& model) {
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
      if (!id.is_integer() || id.integer() < 0 || id.integer() > INT32_MAX) continue;
      const size_t i = static_cast<size_t>(id.integer());
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

std::vector<AddedToken> ReadAddedTokens(const JsonReader& r, const JsonValue& root) {
  std::vector<AddedToken> added;
  const JsonValue* list = r.Optional(root, "added_tokens");
  if (list == nullptr) return added;
  r.Expect(*list, JsonValue::Type::kArray, "added_tokens");
  for (size_t i = 0; i < list->array().size(); ++i) {
    const std::string path = JsonReader::Index("added_tokens", i);
    const JsonValue& item = list->array()[i];
    r.Expect(item, JsonValue::Type::kObject, path);
    AddedToken t;
    t.content = r.String(item, path, "content");
    t.id = static_cast<int32_t>(r.Integer(r.Get(item, path, "id"), path + ".id", 0, INT32_MAX));
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

// The id of a special token named in a post-processor.
int32_t SpecialId(const JsonReader& r, const JsonValue& pair, const std::string& path) {
  if (!pair.is_array() || pair.array().size() != 2 || !pair.array()[0].is_string()) {
    r.Fail(path, "expected [token, id]");
  }
  return static_cast<int32_t>(r.Integer(pair.array()[1], path + "[1]", 0, INT32_MAX));
}

// TemplateProcessing's single or pair list: specials, $A, specials(, $B,
// specials).
void ReadTemplate(const JsonReader& r, const JsonValue& post, const std::string& post_path,
                  const std::string& key, const JsonValue& special_tokens, bool pair,
                  SpecialTemplate* out) {
  const std::string path = post_path + "." + key;
  const auto& items = r.Array(post, post_path, key);
  SpecialTokens parts[3];
  int32_t seq_types[2] = {0, 0};
  size_t sequences = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item_path = JsonReader::Index(path, i);
    const JsonValue& item = items[i];
    r.Expect(item, JsonValue::Type::kObject, item_path);
    if (const JsonValue* seq = item.Find("Sequence")) {
      const std::string& id = r.String(*seq, item_path + ".Sequence", "id");
      const std::string expected = sequences == 0 ? "A" : "B";
      if (id != expected || sequences >= (pair ? 2u : 1u)) {
        r.Fail(item_path + ".Sequence.id", "'" + id + "' here is not supported (expected " +
                                               expected + " once, A before B)");
      }
      seq_types[sequences++] = static_cast<int32_t>(
          r.Integer(r.Get(*seq, item_path + ".Sequence", "type_id"),
                    item_path + ".Sequence.type_id", 0, INT32_MAX));
    } else if (const JsonValue* special = item.Find("SpecialToken")) {
      const std::string& name = r.String(*special, item_path + ".SpecialToken", "id");
      const int32_t type_id = static_cast<int32_t>(
          r.Integer(r.Get(*special, item_path + ".SpecialToken", "type_id"),
                    item_path + ".SpecialToken.type_id", 0, INT32_MAX));
      const JsonValue* entry = special_tokens.Find(name);
      if (entry == nullptr) {
        r.Fail(item_path + ".SpecialToken.id", "'" + name + "' is not in special_tokens");
      }
      const std::string entry_path = post_path + ".special_tokens." + name;
      const auto& ids = r.Array(*entry, entry_path, "ids");
      for (const JsonValue& id : ids) {
        parts[sequences].ids.push_back(
            static_cast<int32_t>(r.Integer(id, entry_path + ".ids", 0, INT32_MAX)));
        parts[sequences].type_ids.push_back(type_id);
      }
    } else {
      r.Fail(item_path, "expected SpecialToken or Sequence");
    }
  }
  if (sequences != (pair ? 2u : 1u)) r.Fail(path, pair ? "needs $A and $B" : "needs $A");
  if (pair) {
    out->pair_before = parts[0];
    out->pair_between = parts[1];
    out->pair_after = parts[2];
    out->pair_a_type_id = seq_types[0];
    out->pair_b_type_id = seq_types[1];
  } else {
    out->single_before = parts[0];
    out->single_after = parts[1];
    out->single_type_id = seq_types[0];
  }
}

// What the post-processor does: the special tokens, and ByteLevel's offset
// trimming (HF's process_offsets) when asked.
struct PostProcessing {
  SpecialTemplate special;
  bool trim_offsets = false;
  bool trim_add_prefix_space = false;
  bool has_template = false;
};

void ReadPostProcessor(const JsonReader& r, const JsonValue& post, const std::string& path,
                       PostProcessing* out) {
  const std::string type = r.Type(post, path,
                                  {"TemplateProcessing", "RobertaProcessing", "BertProcessing",
                                   "ByteLevel", "Sequence"});
  if (type == "Sequence") {
    const auto& items = r.Array(post, path, "processors");
    for (size_t i = 0; i < items.size(); ++i) {
      ReadPostProcessor(r, items[i], JsonReader::Index(path + ".processors", i), out);
    }
    return;
  }
  if (type == "ByteLevel") {
    if (r.Bool(post, path, "trim_offsets", true)) {
      out->trim_offsets = true;
      out->trim_add_prefix_space = r.Bool(post, path, "add_prefix_space", true);
    }
    return;
  }
  if (out->has_template) r.Fail(path, "a second template post-processor is not supported");
  out->has_template = true;
  SpecialTemplate& t = out->special;
  if (type == "TemplateProcessing") {
    const JsonValue& specials = r.Get(post, path, "special_tokens");
    r.Expect(specials, JsonValue::Type::kObject, path + ".special_tokens");
    ReadTemplate(r, post, path, "single", specials, false, &t);
    ReadTemplate(r, post, path, "pair", specials, true, &t);
    return;
  }
  const int32_t cls = SpecialId(r, r.Get(post, path, "cls"), path + ".cls");
  const int32_t sep = SpecialId(r, r.Get(post, path, "sep"), path + ".sep");
  t.single_before = {{cls}, {0}};
  t.single_after = {{sep}, {0}};
  t.pair_before = {{cls}, {0}};
  if (type == "RobertaProcessing") {
    t.pair_between = {{sep, sep}, {0, 0}};
    t.pair_after = {{sep}, {0}};
    t.pair_b_type_id = 0;
    if (r.Bool(post, path, "trim_offsets", true)) {
      out->trim_offsets = true;
      out->trim_add_prefix_space = r.Bool(post, path, "add_prefix_space", true);
    }
  } else {
    t.pair_between = {{sep}, {0}};
    t.pair_after = {{sep}, {1}};
    t.pair_b_type_id = 1;
  }
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
  std::vector<AddedToken> added = ReadAddedTokens(r, root);
  PostProcessing post;
  if (const JsonValue* p = r.Optional(root, "post_processor")) {
    ReadPostProcessor(r, *p, "post_processor", &post);
  }
  std::vector<std::string> token_strings = ModelTokens(r.Get(root, "", "model"));
  for (const AddedToken& t : added) {
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
