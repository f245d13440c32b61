#include "triton/bytes_tensor.h"

#include <cstdint>
#include <cstring>

namespace fasterbert::triton {

std::string ParseBytesElements(std::string_view buffer, size_t count,
                               std::vector<std::string_view>* rows) {
  size_t offset = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t length = 0;
    if (buffer.size() - offset < sizeof(length)) {
      return "BYTES element " + std::to_string(i) + " is cut short: no length prefix";
    }
    // Little-endian on every platform Triton runs on; memcpy avoids unaligned reads.
    std::memcpy(&length, buffer.data() + offset, sizeof(length));
    offset += sizeof(length);
    if (buffer.size() - offset < length) {
      return "BYTES element " + std::to_string(i) + " claims " + std::to_string(length) +
             " bytes but only " + std::to_string(buffer.size() - offset) + " remain";
    }
    rows->push_back(buffer.substr(offset, length));
    offset += length;
  }
  if (offset != buffer.size()) {
    return "BYTES input has " + std::to_string(buffer.size() - offset) +
           " trailing bytes after " + std::to_string(count) + " elements";
  }
  return {};
}

size_t SerializedBytesSize(const std::string* elements, size_t count) {
  size_t size = 0;
  for (size_t i = 0; i < count; ++i) size += sizeof(uint32_t) + elements[i].size();
  return size;
}

void SerializeBytesElements(const std::string* elements, size_t count, char* out) {
  for (size_t i = 0; i < count; ++i) {
    const uint32_t length = static_cast<uint32_t>(elements[i].size());
    std::memcpy(out, &length, sizeof(length));
    out += sizeof(length);
    std::memcpy(out, elements[i].data(), length);
    out += length;
  }
}

}  // namespace fasterbert::triton
