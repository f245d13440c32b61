// Triton serializes each element of a BYTES tensor as a little-endian uint32
// length followed by that many bytes. Kept apart from the Triton calls so it
// can be unit-tested without a server. Reading and writing are both here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fasterbert::triton {

// Appends views of `count` elements to `rows`. Returns an empty string on
// success, else what is wrong with the buffer.
std::string ParseBytesElements(std::string_view buffer, size_t count,
                               std::vector<std::string_view>* rows);

// The serialized size of `count` elements starting at `elements`.
size_t SerializedBytesSize(const std::string* elements, size_t count);
// Writes them to `out`, which holds SerializedBytesSize(elements, count) bytes.
void SerializeBytesElements(const std::string* elements, size_t count, char* out);

}  // namespace fasterbert::triton
