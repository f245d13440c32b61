#include "ops/token_entities.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fasterbert::ops {
namespace {

int64_t CodePoints(std::string_view s, int64_t begin, int64_t end) {
  int64_t n = 0;
  for (int64_t i = begin; i < end; ++i) {
    if ((static_cast<unsigned char>(s[static_cast<size_t>(i)]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Code points before a byte offset, counted on from the last offset asked
// for: entities come in text order, so a row costs one pass over its text.
class CharOffsets {
 public:
  explicit CharOffsets(std::string_view text) : text_(text) {}
  int64_t At(int64_t byte) {
    if (byte < byte_) byte_ = chars_ = 0;  // out of order: count again from the start
    chars_ += CodePoints(text_, byte_, byte);
    byte_ = byte;
    return chars_;
  }

 private:
  std::string_view text_;
  int64_t byte_ = 0, chars_ = 0;
};

// Softmax in double, as ops/activation.h; HF computes it in float32 (within 1e-6).
std::vector<double> Softmax(const float* logits, size_t n) {
  std::vector<double> out(n);
  const double top = *std::max_element(logits, logits + n);
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += out[i] = std::exp(static_cast<double>(logits[i]) - top);
  for (double& v : out) v /= sum;
  return out;
}

// numpy's float32 sum of a row, in its order (pairwise_sum: eight partial
// sums, then the rest; halves past 128 values), so that roundings match.
float NumpySum(const float* a, size_t n) {
  if (n < 8) {
    float sum = 0.0f;
    for (size_t i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    float r[8];
    for (size_t j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - n % 8; i += 8) {
      for (size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    float sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  size_t half = n / 2;
  half -= half % 8;
  return NumpySum(a, half) + NumpySum(a + half, n - half);
}

// A token's top probability as HF's pipeline computes it: numpy, float32
// (exp of logit - max, divided by the row's sum; the top's exp is 1).
float Float32TopScore(const float* logits, size_t n) {
  const float top = *std::max_element(logits, logits + n);
  std::vector<float> e(n);
  for (size_t i = 0; i < n; ++i) e[i] = std::exp(logits[i] - top);
  return 1.0f / NumpySum(e.data(), n);
}

// numpy's argmax: the first of equal maxima.
size_t ArgMax(const std::vector<double>& v) {
  return static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

struct Scored {
  const TokenPiece* piece;
  std::vector<double> probs;
  bool subword;
  std::string word;
};

struct WordEntity {
  size_t label;
  double score;
  std::string word;
  int64_t start_byte, end_byte;
};

// HF's get_tag: "B-X" -> (B, X), "I-X" -> (I, X), anything else -> (I, itself).
std::pair<char, std::string> Tag(const std::string& label) {
  if (label.rfind("B-", 0) == 0) return {'B', label.substr(2)};
  if (label.rfind("I-", 0) == 0) return {'I', label.substr(2)};
  return {'I', label};
}

bool Ignored(const std::vector<std::string>& ignore, const std::string& label) {
  return std::find(ignore.begin(), ignore.end(), label) != ignore.end();
}

}  // namespace

bool IsSubword(std::string_view text, const TokenPiece& piece) {
  if (piece.unknown) return false;
  const int64_t token_len = CodePoints(piece.token, 0, static_cast<int64_t>(piece.token.size()));
  return token_len != CodePoints(text, piece.start_byte, piece.end_byte);
}

bool IsSubwordBySpaces(std::string_view text, const TokenPiece& piece) {
  if (piece.unknown || piece.start_byte <= 0) return false;
  // A space is one byte that no multi-byte char contains, so the chars
  // around a char boundary can be checked as bytes.
  const auto at = static_cast<size_t>(piece.start_byte);
  return text[at - 1] != ' ' && (at >= text.size() || text[at] != ' ');
}

std::vector<TokenEntity> DecodeTokenEntities(std::string_view text,
                                             const std::vector<TokenPiece>& pieces,
                                             const std::vector<std::string>& labels,
                                             TokenAggregation aggregation,
                                             const std::vector<std::string>& ignore_labels,
                                             const TokenWords& token_words) {
  std::vector<Scored> scored;
  scored.reserve(pieces.size());
  for (const TokenPiece& p : pieces) {
    const bool subword = token_words.by_length ? IsSubword(text, p) : IsSubwordBySpaces(text, p);
    Scored s{&p, Softmax(p.logits, labels.size()), subword, p.token};
    if (p.unknown) {
      s.word = std::string(
          text.substr(static_cast<size_t>(p.start_byte), static_cast<size_t>(p.end_byte - p.start_byte)));
    }
    scored.push_back(std::move(s));
  }
  CharOffsets chars(text);
  auto finish = [&](TokenEntity e) {
    e.start_char = chars.At(e.start_byte);
    e.end_char = chars.At(e.end_byte);
    return e;
  };

  // Per token (none, simple) or per word (first, average, max).
  std::vector<WordEntity> words;
  if (aggregation == TokenAggregation::kNone || aggregation == TokenAggregation::kSimple) {
    for (const Scored& s : scored) {
      const size_t id = ArgMax(s.probs);
      words.push_back({id, s.probs[id], s.word, s.piece->start_byte, s.piece->end_byte});
    }
    if (aggregation == TokenAggregation::kNone) {
      std::vector<TokenEntity> out;
      for (size_t i = 0; i < words.size(); ++i) {
        const WordEntity& w = words[i];
        if (Ignored(ignore_labels, labels[w.label])) continue;
        TokenEntity e{labels[w.label], static_cast<int64_t>(w.label), static_cast<float>(w.score), w.word,
                      scored[i].piece->index, w.start_byte, w.end_byte};
        out.push_back(finish(std::move(e)));
      }
      return out;
    }
  } else {
    // A word: a token that is not a sub-word and the sub-words after it.
    size_t begin = 0;
    while (begin < scored.size()) {
      size_t end = begin + 1;
      while (end < scored.size() && scored[end].subword) ++end;
      std::vector<double> probs;
      if (aggregation == TokenAggregation::kFirst) {
        probs = scored[begin].probs;
      } else if (aggregation == TokenAggregation::kMax) {
        // The token with the highest single probability (the first of equals) decides.
        // HF compares float32 scores: a word's confident tokens tie at 1.0f
        // there, and the first of them wins, so compare HF's float32 values.
        size_t best = begin;
        float best_p = -1.0f;
        for (size_t i = begin; i < end; ++i) {
          const float p = Float32TopScore(scored[i].piece->logits, labels.size());
          if (p > best_p) best_p = p, best = i;
        }
        probs = scored[best].probs;
      } else {
        probs.assign(labels.size(), 0.0);
        for (size_t i = begin; i < end; ++i) {
          for (size_t k = 0; k < labels.size(); ++k) probs[k] += scored[i].probs[k];
        }
        for (double& v : probs) v /= static_cast<double>(end - begin);
      }
      std::vector<std::string> toks;
      for (size_t i = begin; i < end; ++i) toks.push_back(scored[i].word);
      const size_t id = ArgMax(probs);
      words.push_back({id, probs[id], token_words.join(toks), scored[begin].piece->start_byte,
                       scored[end - 1].piece->end_byte});
      begin = end;
    }
  }

  // HF's group_entities: a B- tag, or a different tag, starts a new group;
  // a group's score is the mean of its members' scores.
  std::vector<TokenEntity> out;
  size_t g = 0;
  while (g < words.size()) {
    size_t end = g + 1;
    const std::string group = Tag(labels[words[g].label]).second;
    while (end < words.size()) {
      const auto [bi, tag] = Tag(labels[words[end].label]);
      if (tag != group || bi == 'B') break;
      ++end;
    }
    if (!Ignored(ignore_labels, group)) {
      double sum = 0.0;
      std::vector<std::string> ws;
      for (size_t i = g; i < end; ++i) sum += words[i].score, ws.push_back(words[i].word);
      TokenEntity e{group, static_cast<int64_t>(words[g].label),
                    static_cast<float>(sum / static_cast<double>(end - g)), token_words.join(ws), -1,
                    words[g].start_byte, words[end - 1].end_byte};
      out.push_back(finish(std::move(e)));
    }
    g = end;
  }
  return out;
}

namespace {
void AppendJsonString(std::string& out, const std::string& s) {
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;  // UTF-8 passes through: the text was validated at the input
    }
  }
  out += '"';
}
}  // namespace

std::string TokenEntitiesJson(const std::vector<TokenEntity>& entities, TokenAggregation aggregation) {
  const bool per_token = aggregation == TokenAggregation::kNone;
  std::string out = "[";
  for (size_t i = 0; i < entities.size(); ++i) {
    const TokenEntity& e = entities[i];
    if (i > 0) out += ',';
    out += per_token ? "{\"entity\":" : "{\"entity_group\":";
    AppendJsonString(out, e.label);
    if (std::isfinite(e.score)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, ",\"score\":%.9g", static_cast<double>(e.score));
      out += buf;
    } else {
      out += ",\"score\":null";  // JSON has no NaN or Infinity
    }
    if (per_token) out += ",\"index\":" + std::to_string(e.index);
    out += ",\"word\":";
    AppendJsonString(out, e.word);
    out += ",\"start\":" + std::to_string(e.start_char) + ",\"end\":" + std::to_string(e.end_char) +
           ",\"start_byte\":" + std::to_string(e.start_byte) + ",\"end_byte\":" + std::to_string(e.end_byte) + "}";
  }
  return out + "]";
}

}  // namespace fasterbert::ops
