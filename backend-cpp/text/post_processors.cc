#include "text/post_processors.h"

#include <cstdint>
#include <utility>

#include "text/bert_template.h"

namespace fasterbert::text {
namespace {

// The id of a special token named in a post-processor; *token is its name.
int32_t SpecialId(const JsonReader& r, const JsonValue& pair, const std::string& path,
                  std::string* token) {
  if (!pair.is_array() || pair.array().size() != 2 || !pair.array()[0].is_string()) {
    r.Fail(path, "expected [token, id]");
  }
  *token = pair.array()[0].string();
  return static_cast<int32_t>(r.Integer(pair.array()[1], path + "[1]", 0, INT32_MAX));
}

// TemplateProcessing's single or pair list: specials, $A, specials(, $B,
// specials), into out->special and, as written, out's pieces.
void ReadTemplate(const JsonReader& r, const JsonValue& post, const std::string& post_path,
                  const std::string& key, const JsonValue& special_tokens, bool pair,
                  PostProcessing* out) {
  const std::string path = post_path + "." + key;
  const auto& items = r.Array(post, post_path, key);
  SpecialTokens parts[3];
  int32_t seq_types[2] = {0, 0};
  size_t sequences = 0;
  std::vector<TemplatePiece>& pieces = pair ? out->pair_pieces : out->single_pieces;
  pieces.clear();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item_path = JsonReader::Index(path, i);
    const JsonValue& item = items[i];
    r.Expect(item, JsonValue::Type::kObject, item_path);
    TemplatePiece piece;
    piece.alone = item.object().size() == 1;
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
      piece.id = id;
      piece.type_id = seq_types[sequences - 1];
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
      piece = {true, name, type_id, ids.size(), piece.alone};
    } else {
      r.Fail(item_path, "expected SpecialToken or Sequence");
    }
    pieces.push_back(std::move(piece));
  }
  if (sequences != (pair ? 2u : 1u)) r.Fail(path, pair ? "needs $A and $B" : "needs $A");
  SpecialTemplate& t = out->special;
  if (pair) {
    t.pair_before = parts[0];
    t.pair_between = parts[1];
    t.pair_after = parts[2];
    t.pair_a_type_id = seq_types[0];
    t.pair_b_type_id = seq_types[1];
  } else {
    t.single_before = parts[0];
    t.single_after = parts[1];
    t.single_type_id = seq_types[0];
  }
}

}  // namespace

void ReadPostProcessor(const JsonReader& r, const JsonValue& post, const std::string& path,
                       PostProcessing* out, const std::function<void(bool pair)>& list_read) {
  const std::string type = r.Type(post, path,
                                  {"TemplateProcessing", "RobertaProcessing", "BertProcessing",
                                   "ByteLevel", "Sequence"});
  if (type == "Sequence") {
    const auto& items = r.Array(post, path, "processors");
    for (size_t i = 0; i < items.size(); ++i) {
      ReadPostProcessor(r, items[i], JsonReader::Index(path + ".processors", i), out, list_read);
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
  if (type == "TemplateProcessing") {
    const JsonValue& specials = r.Get(post, path, "special_tokens");
    r.Expect(specials, JsonValue::Type::kObject, path + ".special_tokens");
    ReadTemplate(r, post, path, "single", specials, false, out);
    if (list_read) list_read(false);
    ReadTemplate(r, post, path, "pair", specials, true, out);
    if (list_read) list_read(true);
    return;
  }
  std::string cls_token, sep_token;
  const int32_t cls = SpecialId(r, r.Get(post, path, "cls"), path + ".cls", &cls_token);
  const int32_t sep = SpecialId(r, r.Get(post, path, "sep"), path + ".sep", &sep_token);
  // BERT's template; RoBERTa's has two separators and B at type 0.
  const bool roberta = type == "RobertaProcessing";
  const size_t separators = roberta ? 2 : 1;
  const int32_t b_type_id = roberta ? 0 : 1;
  out->special = BertTemplate(cls, sep, separators, b_type_id);
  out->single_pieces = BertSinglePieces(cls_token, sep_token);
  out->pair_pieces = BertPairPieces(cls_token, sep_token, separators, b_type_id);
  if (roberta && r.Bool(post, path, "trim_offsets", true)) {
    out->trim_offsets = true;
    out->trim_add_prefix_space = r.Bool(post, path, "add_prefix_space", true);
  }
  if (list_read) {
    list_read(false);
    list_read(true);
  }
}

}  // namespace fasterbert::text
