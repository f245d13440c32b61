#include "text/bert_template.h"

#include <string>

namespace fasterbert::text {
namespace {

TemplatePiece SpecialPiece(const std::string& token, int32_t type_id) {
  return {true, token, type_id, 1, true};
}
TemplatePiece SequencePiece(const char* id, int32_t type_id) {
  return {false, id, type_id, 0, true};
}

// A piece as the BERT template has it: alone in its item, and a special
// token of one id (more would put several ids in the [CLS] or [SEP] role).
bool IsPiece(const TemplatePiece& p, bool special, const std::string& id, int32_t type_id) {
  return p.alone && p.special == special && p.id == id && p.type_id == type_id &&
         (!special || p.ids == 1);
}

}  // namespace

SpecialTemplate BertTemplate(int32_t cls, int32_t sep, size_t separators, int32_t b_type_id) {
  SpecialTemplate t;
  t.single_before = {{cls}, {0}};
  t.single_after = {{sep}, {0}};
  t.pair_before = {{cls}, {0}};
  t.pair_between = {std::vector<int32_t>(separators, sep), std::vector<int32_t>(separators, 0)};
  t.pair_after = {{sep}, {b_type_id}};
  t.single_type_id = t.pair_a_type_id = 0;
  t.pair_b_type_id = b_type_id;
  return t;
}

std::vector<TemplatePiece> BertSinglePieces(const std::string& cls, const std::string& sep) {
  return {SpecialPiece(cls, 0), SequencePiece("A", 0), SpecialPiece(sep, 0)};
}

std::vector<TemplatePiece> BertPairPieces(const std::string& cls, const std::string& sep,
                                          size_t separators, int32_t b_type_id) {
  std::vector<TemplatePiece> pieces = {SpecialPiece(cls, 0), SequencePiece("A", 0)};
  for (size_t i = 0; i < separators; ++i) pieces.push_back(SpecialPiece(sep, 0));
  pieces.push_back(SequencePiece("B", b_type_id));
  pieces.push_back(SpecialPiece(sep, b_type_id));
  return pieces;
}

bool IsBertSingle(const std::vector<TemplatePiece>& single) {
  return single.size() == 3 && IsPiece(single[0], true, single[0].id, 0) &&
         IsPiece(single[1], false, "A", 0) && IsPiece(single[2], true, single[2].id, 0);
}

bool IsBertPair(const std::vector<TemplatePiece>& single, const std::vector<TemplatePiece>& pair) {
  if (!IsBertSingle(single) || (pair.size() != 5 && pair.size() != 6)) return false;
  const std::string& cls = single[0].id;
  const std::string& sep = single[2].id;
  const size_t separators = pair.size() - 4;
  const int32_t b_type = pair[pair.size() - 2].type_id;
  bool bert = (b_type == 0 || b_type == 1) && IsPiece(pair[0], true, cls, 0) &&
              IsPiece(pair[1], false, "A", 0) &&
              IsPiece(pair[pair.size() - 2], false, "B", b_type) &&
              IsPiece(pair.back(), true, sep, b_type);
  for (size_t i = 0; i < separators; ++i) bert = bert && IsPiece(pair[2 + i], true, sep, 0);
  return bert;
}

void SetBertCls(SpecialTemplate* t, int32_t id) {
  t->single_before.ids.assign(1, id);
  t->pair_before.ids.assign(1, id);
}

void SetBertSep(SpecialTemplate* t, int32_t id) {
  t->single_after.ids.assign(1, id);
  t->pair_between.ids.assign(t->pair_between.size(), id);
  t->pair_after.ids.assign(1, id);
}

}  // namespace fasterbert::text
