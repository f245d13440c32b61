#include "text/serde_f64.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace fasterbert::text {
namespace {

// 1e0 .. 1e308, each the nearest double (as Rust's literals are).
struct PowersOfTen {
  double values[309];
  PowersOfTen() {
    for (int i = 0; i <= 308; ++i) {
      const std::string literal = "1e" + std::to_string(i);
      values[i] = std::strtod(literal.c_str(), nullptr);
    }
  }
};

}  // namespace

double SerdeJsonF64(std::string_view literal) {
  static const PowersOfTen kPow10;
  size_t i = 0;
  const bool negative = i < literal.size() && literal[i] == '-';
  if (negative) ++i;
  uint64_t significand = 0;
  int64_t exponent = 0;
  bool saw_fraction = false, overflow = false;
  auto add_digit = [&](int digit, bool fraction) {
    if (overflow) {
      if (!fraction) ++exponent;  // serde keeps the magnitude, drops the digit
      return;
    }
    if (significand >= UINT64_MAX / 10 &&
        (significand > UINT64_MAX / 10 || static_cast<uint64_t>(digit) > UINT64_MAX % 10)) {
      overflow = true;
      if (!fraction) ++exponent;
      return;
    }
    significand = significand * 10 + static_cast<uint64_t>(digit);
    if (fraction) --exponent;
  };
  for (; i < literal.size() && literal[i] >= '0' && literal[i] <= '9'; ++i) {
    add_digit(literal[i] - '0', false);
  }
  if (overflow) {
    // serde's long-integer path differs; strtod is the better guess here.
    return std::strtod(std::string(literal).c_str(), nullptr);
  }
  if (i < literal.size() && literal[i] == '.') {
    saw_fraction = true;
    for (++i; i < literal.size() && literal[i] >= '0' && literal[i] <= '9'; ++i) {
      add_digit(literal[i] - '0', true);
    }
  }
  if (i < literal.size() && (literal[i] == 'e' || literal[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < literal.size() && (literal[i] == '+' || literal[i] == '-')) {
      exp_negative = literal[i] == '-';
      ++i;
    }
    int64_t e = 0;
    for (; i < literal.size() && literal[i] >= '0' && literal[i] <= '9'; ++i) {
      if (e < 100000) e = e * 10 + (literal[i] - '0');
    }
    exponent += exp_negative ? -e : e;
  } else if (!saw_fraction) {
    // An integer: serde reads it as u64/i64 and converts (nearest double).
    const double f = static_cast<double>(significand);
    return negative ? -f : f;
  }
  double f = static_cast<double>(significand);
  for (;;) {
    const int64_t magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude <= 308) {
      if (exponent >= 0) {
        f *= kPow10.values[magnitude];
      } else {
        f /= kPow10.values[magnitude];
      }
      break;
    }
    if (f == 0.0) break;
    if (exponent >= 0) {
      f = HUGE_VAL;
      break;
    }
    f /= 1e308;
    exponent += 308;
  }
  return negative ? -f : f;
}

}  // namespace fasterbert::text
