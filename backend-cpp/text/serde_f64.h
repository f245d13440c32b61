// A JSON number literal turned into a double the way Rust's serde_json does
// it without its float_roundtrip feature (as HF tokenizers builds it): the
// decimal digits as a u64 significand, converted to f64 and then multiplied
// or divided by one (correctly rounded) power of ten. That is not always
// the nearest double (strtod's); Unigram scores must be read this way for
// Viterbi ties and near-ties to break as HF's do.
#pragma once

#include <string_view>

namespace fasterbert::text {

// `literal` is a valid JSON number.
double SerdeJsonF64(std::string_view literal);

}  // namespace fasterbert::text
