// Triton serializes each element of a BYTES tensor as a little-endian uint32
// length followed by that many bytes. Kept apart from the Triton calls so it
// can be unit-tested without a server.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fasterbert::triton {

// Appends views of `count` elements to `rows`. Returns an empty string on
// success, else what is wrong with the buffer.
std::string ParseBytesElements(std::string_view buffer, size_t count,
                               std::vector<std::string_view>* rows);

}  // namespace fasterbert::triton
