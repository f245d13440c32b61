// A token produced from one input text: its vocab id and the byte range
// [start, end) of the original text it covers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace fasterbert::text {

struct Token {
  int32_t id;
  uint32_t start;
  uint32_t end;
};

// The tokens of one text as they are produced: an array that only grows at
// its end and keeps its memory when cleared, with a push cheaper than
// std::vector's (no size division, no construction).
class TokenBuffer {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Token& operator[](size_t i) { return data_[i]; }
  const Token& operator[](size_t i) const { return data_[i]; }
  Token* begin() { return data_.get(); }
  Token* end() { return data_.get() + size_; }
  const Token* begin() const { return data_.get(); }
  const Token* end() const { return data_.get() + size_; }

  void push_back(const Token& token) {
    if (size_ == capacity_) Grow();
    data_[size_++] = token;
  }
  // Drops the tokens from `size` on (size must not exceed size()).
  void truncate(size_t size) { size_ = size; }
  void clear() { size_ = 0; }

 private:
  void Grow() {
    const size_t capacity = capacity_ < 64 ? 64 : capacity_ * 2;
    std::unique_ptr<Token[]> data(new Token[capacity]);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_ * sizeof(Token));
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<Token[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace fasterbert::text
