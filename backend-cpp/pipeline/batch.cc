#include "pipeline/batch.h"

namespace fasterbert {

EngineRow& EngineRows::Add(size_t row) {
  if (count == rows.size()) rows.emplace_back();
  EngineRow& added = rows[count++];
  added.row = row;
  added.first_context = 0;
  added.context_tokens = 0;
  added.encoding.Clear();
  return added;
}

void OutputValues::Clear() {
  layout = OutputLayout::kPerRow;
  fp32.clear();
  int64.clear();
  bytes.clear();
}

void OutputValues::Reset(DataType type, size_t size) {
  Clear();
  switch (type) {
    case DataType::kFp32:
      fp32.assign(size, 0.0f);
      break;
    case DataType::kInt64:
      int64.assign(size, 0);
      break;
    case DataType::kBytes:
      bytes.assign(size, std::string());
      break;
  }
}

void BatchResult::FailRow(size_t row, const char* step, std::string message) {
  if (!errors[row].empty()) return;  // the first failure stands
  errors[row] = std::move(message);
  failed_step[row] = step;
}

}  // namespace fasterbert
