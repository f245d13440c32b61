// The BERT template ([CLS] A [SEP], [CLS] A [SEP] B [SEP]) as a
// SpecialTemplate: building it, recognising it in a tokenizer.json's
// template, and replacing its [CLS] or [SEP].
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "text/post_processors.h"
#include "text/special_template.h"

namespace fasterbert::text {

// [CLS] A [SEP] for one text; [CLS] A [SEP] B [SEP] for a pair, or with
// `separators` 2 (MPNet's and RoBERTa's <s> A </s> </s> B </s>). A and the
// tokens before B are type 0, B and its [SEP] `b_type_id`.
SpecialTemplate BertTemplate(int32_t cls, int32_t sep, size_t separators = 1,
                             int32_t b_type_id = 1);

// The lists BertTemplate stands for, with the tokens' names (what
// BertProcessing and RobertaProcessing mean as TemplateProcessing).
std::vector<TemplatePiece> BertSinglePieces(const std::string& cls, const std::string& sep);
std::vector<TemplatePiece> BertPairPieces(const std::string& cls, const std::string& sep,
                                          size_t separators, int32_t b_type_id);

// Whether a template's single list is [CLS]:0 $A:0 [SEP]:0, each special
// token alone in its item and of one id; [CLS] and [SEP] are its first and
// last token, whatever their names.
bool IsBertSingle(const std::vector<TemplatePiece>& single);
// Whether the pair list is [CLS]:0 $A:0 [SEP]:0 $B:t [SEP]:t, or with
// [SEP]:0 twice after $A (MPNet's), t 0 or 1, with the single list's
// [CLS] and [SEP] (by name) in their places.
bool IsBertPair(const std::vector<TemplatePiece>& single, const std::vector<TemplatePiece>& pair);

// Put `id` in every place of the [CLS] (or [SEP]) role of a BERT-shaped
// template, as the pipeline's clsToken (sepToken) asks; the layout stays.
void SetBertCls(SpecialTemplate* t, int32_t id);
void SetBertSep(SpecialTemplate* t, int32_t id);

}  // namespace fasterbert::text
