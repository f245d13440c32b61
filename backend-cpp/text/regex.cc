#include "text/regex.h"

#include <algorithm>
#include <deque>
#include <memory>

#include "text/errors.h"
#include "text/general_category.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"
#include "text/word_char.h"

namespace fasterbert::text {
namespace {

constexpr int kMaxRepeat = 1000;          // largest {n,m} bound accepted
// Instructions after {n,m} copies: the matcher keeps a bit per instruction
// and char of the text (128 bytes a char at most).
constexpr size_t kMaxProgram = 1024;
constexpr uint64_t kStepsPerChar = 1000;  // the step budget of FindAll, per char of text
constexpr uint64_t kMinSteps = 1 << 20;
// Pending alternatives (backtracking entries): a run like \s+ keeps one a
// char; the cap keeps a hostile text's memory linear (16 bytes an entry).
constexpr size_t kPendingPerChar = 16;
constexpr size_t kMinPending = 1 << 16;

using Inst = Regex::Inst;
using Op = Inst::Op;

// Oniguruma's Unicode \w, probed through HF on every code point: UTS #18's
// \w (Rust's, word_char.h) without Join_Control (U+200C, U+200D), plus the
// Latin-1 numbers ² ³ ¹ ¼ ½ ¾, which its Latin-1 ctype table calls word
// chars.
bool IsWord(char32_t c) {
  if (c == 0xB2 || c == 0xB3 || c == 0xB9 || c == 0xBC || c == 0xBD || c == 0xBE) return true;
  return c != 0x200C && c != 0x200D && IsWordChar(c);
}

// (?i)'s folding: ASCII and Unicode simple lowercase mappings, and LONG S.
char32_t Fold(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  if (c == 0x17F) return 's';
  char32_t lower[kMaxLowercaseLength];
  return Lowercase(c, lower) == 1 ? lower[0] : c;
}

bool ItemContains(const Regex::ClassItem& item, char32_t c) {
  bool in = false;
  switch (item.kind) {
    case Regex::ClassItem::Kind::kRange: in = c >= item.first && c <= item.last; break;
    case Regex::ClassItem::Kind::kSpace: in = IsWhiteSpace(c); break;
    case Regex::ClassItem::Kind::kDigit: in = CategoryOf(c) == GeneralCategory::kDecimalNumber; break;
    case Regex::ClassItem::Kind::kWord: in = IsWord(c); break;
    case Regex::ClassItem::Kind::kCategory: {
      GeneralCategory cat = CategoryOf(c);
      if (cat == GeneralCategory::kDecimalNumber) cat = GeneralCategory::kNumber;
      if (cat == GeneralCategory::kConnectorPunctuation) cat = GeneralCategory::kPunctuation;
      in = static_cast<char32_t>(cat) == item.first;
      break;
    }
  }
  return in != item.negate;
}

bool ClassContains(const Regex::Class& cls, char32_t c, bool fold) {
  bool in = false;
  for (const Regex::ClassItem& item : cls.items) {
    if (ItemContains(item, c) || (fold && Fold(c) != c && ItemContains(item, Fold(c)))) {
      in = true;
      break;
    }
  }
  // Under (?i) an upper-case ASCII range member matches its lowercase too.
  if (!in && fold && c < 0x80 && c >= 'a' && c <= 'z') {
    for (const Regex::ClassItem& item : cls.items) {
      if (ItemContains(item, c - 32)) {
        in = true;
        break;
      }
    }
  }
  return in != cls.negate;
}

// ---- Parsing: pattern -> syntax tree ----

struct Node {
  enum class Kind { kEmpty, kChar, kAny, kClass, kConcat, kAlt, kRepeat, kLook, kLineStart, kLineEnd };
  Kind kind;
  char32_t c = 0;
  uint32_t cls = 0;
  bool fold = false, greedy = true, negate = false;
  int min = 0, max = 0;  // kRepeat; max -1: unbounded
  std::vector<std::unique_ptr<Node>> kids;
};
using NodePtr = std::unique_ptr<Node>;

// Whether n matches the empty string somewhere (zero-width assertions do).
bool CanMatchEmpty(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kChar:
    case Node::Kind::kAny:
    case Node::Kind::kClass: return false;
    case Node::Kind::kConcat:
      for (const NodePtr& kid : n.kids) {
        if (!CanMatchEmpty(*kid)) return false;
      }
      return true;
    case Node::Kind::kAlt:
      for (const NodePtr& kid : n.kids) {
        if (CanMatchEmpty(*kid)) return true;
      }
      return false;
    case Node::Kind::kRepeat: return n.min == 0 || CanMatchEmpty(*n.kids[0]);
    default: return true;  // kEmpty, kLook, kLineStart, kLineEnd
  }
}

NodePtr MakeNode(Node::Kind kind) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  return n;
}

class Parser {
 public:
  Parser(std::string_view pattern, std::vector<Regex::Class>* classes)
      : text_(DecodeUtf8All(pattern)), classes_(classes) {}

  NodePtr Parse() {
    NodePtr root = Alternation(false);
    if (at_ < text_.size()) Fail("unbalanced ')'");
    return root;
  }

 private:
  [[noreturn]] void Fail(const std::string& why) const {
    throw RegexSyntaxError("at character " + std::to_string(at_) + ": " + why);
  }
  bool More() const { return at_ < text_.size(); }
  char32_t Peek(size_t ahead = 0) const { return at_ + ahead < text_.size() ? text_[at_ + ahead] : 0; }

  NodePtr Alternation(bool fold) {
    NodePtr first = Concatenation(fold);
    if (Peek() != '|' || !More()) return first;
    NodePtr alt = MakeNode(Node::Kind::kAlt);
    alt->kids.push_back(std::move(first));
    while (More() && Peek() == '|') {
      ++at_;
      alt->kids.push_back(Concatenation(fold));
    }
    return alt;
  }

  NodePtr Concatenation(bool fold) {
    NodePtr seq = MakeNode(Node::Kind::kConcat);
    while (More() && Peek() != '|' && Peek() != ')') seq->kids.push_back(Repetition(fold));
    return seq;
  }

  NodePtr Repetition(bool fold) {
    NodePtr atom = Atom(fold);
    while (More()) {
      int min = 0, max = 0;
      const char32_t q = Peek();
      if (q == '*') {
        min = 0, max = -1, ++at_;
      } else if (q == '+') {
        min = 1, max = -1, ++at_;
      } else if (q == '?') {
        min = 0, max = 1, ++at_;
      } else if (q == '{') {
        ++at_;
        min = Number();
        max = min;
        if (Peek() == ',' && More()) {
          ++at_;
          max = Peek() == '}' ? -1 : Number();
        }
        if (!More() || Peek() != '}') Fail("'{' must start a quantifier {n}, {n,} or {n,m}");
        ++at_;
        if (max != -1 && max < min) Fail("quantifier {n,m} with m < n");
      } else {
        break;
      }
      if (atom->kind == Node::Kind::kLook || atom->kind == Node::Kind::kLineStart ||
          atom->kind == Node::Kind::kLineEnd) {
        Fail("a quantifier after an anchor or lookahead is not supported");
      }
      NodePtr rep = MakeNode(Node::Kind::kRepeat);
      rep->min = min;
      rep->max = max;
      if (More() && Peek() == '?') {
        rep->greedy = false;
        ++at_;
      } else if (More() && Peek() == '+') {
        Fail("possessive quantifiers are not supported");
      }
      rep->kids.push_back(std::move(atom));
      atom = std::move(rep);
      if (More() && (Peek() == '*' || Peek() == '+' || Peek() == '?' || Peek() == '{')) {
        Fail("a quantifier may not follow a quantifier");
      }
    }
    return atom;
  }

  int Number() {
    int n = 0;
    size_t digits = 0;
    while (More() && Peek() >= '0' && Peek() <= '9') {
      n = n * 10 + static_cast<int>(Peek() - '0');
      ++at_;
      if (++digits > 4 || n > kMaxRepeat) Fail("repeat counts above 1000 are not supported");
    }
    if (digits == 0) Fail("'{' must start a quantifier {n}, {n,} or {n,m}");
    return n;
  }

  NodePtr Atom(bool fold) {
    const char32_t c = Peek();
    ++at_;
    switch (c) {
      case '(': return Group(fold);
      case '[': return ClassNode(fold);
      case '.': return MakeNode(Node::Kind::kAny);
      case '^': return MakeNode(Node::Kind::kLineStart);
      case '$': return MakeNode(Node::Kind::kLineEnd);
      case '*': case '+': case '?': case '{': --at_; Fail("quantifier with nothing to repeat");
      case ']': case '}': --at_; Fail("unescaped '" + std::string(1, static_cast<char>(c)) + "'");
      case '\\': {
        Regex::Class cls;
        char32_t lit = 0;
        if (Escape(&cls, &lit)) return Literal(lit, fold);
        return AddClass(std::move(cls), fold);
      }
      default: return Literal(c, fold);
    }
  }

  NodePtr Literal(char32_t c, bool fold) {
    NodePtr n = MakeNode(Node::Kind::kChar);
    n->c = fold ? Fold(c) : c;
    n->fold = fold;
    return n;
  }

  NodePtr AddClass(Regex::Class cls, bool fold) {
    NodePtr n = MakeNode(Node::Kind::kClass);
    n->cls = static_cast<uint32_t>(classes_->size());
    n->fold = fold;
    classes_->push_back(std::move(cls));
    return n;
  }

  NodePtr Group(bool fold) {
    NodePtr inner;
    if (Peek() == '?') {
      ++at_;
      const char32_t kind = Peek();
      ++at_;
      if (kind == ':') {
        inner = Alternation(fold);
      } else if (kind == 'i' && Peek() == ':') {
        ++at_;
        inner = Alternation(true);
      } else if (kind == '=' || kind == '!') {
        inner = MakeNode(Node::Kind::kLook);
        inner->negate = kind == '!';
        inner->kids.push_back(Alternation(fold));
      } else {
        at_ -= 2;
        Fail("group '(?" + std::string(kind < 0x80 && kind ? 1 : 0, static_cast<char>(kind)) +
             "' is not supported (supported: (...), (?:...), (?i:...), (?=...), (?!...))");
      }
    } else {
      inner = Alternation(fold);
    }
    if (!More() || Peek() != ')') Fail("missing ')'");
    ++at_;
    return inner;
  }

  // After '\': a single char (true, *lit) or a class (false, *cls).
  bool Escape(Regex::Class* cls, char32_t* lit) {
    if (!More()) Fail("pattern ends with '\\'");
    const char32_t c = Peek();
    ++at_;
    using Kind = Regex::ClassItem::Kind;
    auto one = [&](Kind kind, bool negate) {
      cls->items.push_back({kind, negate, 0, 0});
      return false;
    };
    switch (c) {
      case 't': *lit = '\t'; return true;
      case 'n': *lit = '\n'; return true;
      case 'r': *lit = '\r'; return true;
      case 'f': *lit = '\f'; return true;
      case 'v': *lit = '\v'; return true;
      case 'a': *lit = 0x07; return true;
      case 'e': *lit = 0x1B; return true;
      case 's': return one(Kind::kSpace, false);
      case 'S': return one(Kind::kSpace, true);
      case 'd': return one(Kind::kDigit, false);
      case 'D': return one(Kind::kDigit, true);
      case 'w': return one(Kind::kWord, false);
      case 'W': return one(Kind::kWord, true);
      case 'p': case 'P': {
        Regex::ClassItem item{Kind::kCategory, c == 'P', 0, 0};
        item.first = Property(&item.negate);
        cls->items.push_back(item);
        return false;
      }
      case 'x': *lit = Hex(Peek() == '{' ? 0 : 2); return true;
      case 'u': *lit = Hex(4); return true;
      default:
        if (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
          *lit = c;
          return true;
        }
        --at_;
        Fail("escape '\\" + std::string(c < 0x80 ? 1 : 0, static_cast<char>(c)) +
             "' is not supported");
    }
  }

  // \xHH (digits 2), \uHHHH (4) or \x{H...} (0).
  char32_t Hex(int digits) {
    const bool braced = digits == 0;
    if (braced) ++at_;
    char32_t value = 0;
    int n = 0;
    while (More() && (braced ? n < 8 : n < digits)) {
      const char32_t h = Peek();
      int v = h >= '0' && h <= '9' ? static_cast<int>(h - '0')
              : h >= 'a' && h <= 'f' ? static_cast<int>(h - 'a' + 10)
              : h >= 'A' && h <= 'F' ? static_cast<int>(h - 'A' + 10) : -1;
      if (v < 0) break;
      value = value * 16 + static_cast<char32_t>(v);
      ++at_;
      ++n;
    }
    if (braced) {
      if (!More() || Peek() != '}' || n == 0) Fail("bad \\x{...} escape");
      ++at_;
    } else if (n != digits) {
      Fail("bad hex escape");
    }
    if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) || (!braced && digits == 2 && value >= 0x80)) {
      Fail("hex escape is not a Unicode scalar value below 0x80 (\\xHH) or a scalar value");
    }
    return value;
  }

  // After \p or \P: {X} or {^X}; sets *negate ^= '^'; returns the category.
  char32_t Property(bool* negate) {
    if (Peek() != '{') Fail("\\p and \\P need {Name}");
    ++at_;
    if (Peek() == '^') {
      *negate = !*negate;
      ++at_;
    }
    std::string name;
    while (More() && Peek() != '}' && Peek() < 0x80) name += static_cast<char>(Peek()), ++at_;
    if (!More() || Peek() != '}') Fail("\\p{ without '}'");
    ++at_;
    static const std::pair<const char*, GeneralCategory> kNames[] = {
        {"L", GeneralCategory::kLetter},       {"Letter", GeneralCategory::kLetter},
        {"M", GeneralCategory::kMark},         {"Mark", GeneralCategory::kMark},
        {"N", GeneralCategory::kNumber},       {"Number", GeneralCategory::kNumber},
        {"P", GeneralCategory::kPunctuation},  {"Punctuation", GeneralCategory::kPunctuation},
        {"S", GeneralCategory::kSymbol},       {"Symbol", GeneralCategory::kSymbol},
        {"Z", GeneralCategory::kSeparator},    {"Separator", GeneralCategory::kSeparator}};
    for (const auto& [n, cat] : kNames) {
      if (name == n) return static_cast<char32_t>(cat);
    }
    Fail("property '" + name + "' is not supported (supported: L M N P S Z, or Letter Mark Number "
         "Punctuation Symbol Separator)");
  }

  NodePtr ClassNode(bool fold) {
    Regex::Class cls;
    if (Peek() == '^') {
      cls.negate = true;
      ++at_;
    }
    if (Peek() == ']') Fail("an empty class or a ']' first in a class is not supported");
    while (More() && Peek() != ']') {
      char32_t first = 0;
      if (!Member(&cls, &first)) continue;
      if (Peek() == '-' && Peek(1) != ']' && at_ + 1 < text_.size()) {
        ++at_;
        char32_t last = 0;
        if (!Member(&cls, &last)) Fail("a range in a class must end at a char");
        if (last < first) Fail("range out of order in a class");
        cls.items.push_back({Regex::ClassItem::Kind::kRange, false, first, last});
      } else {
        cls.items.push_back({Regex::ClassItem::Kind::kRange, false, first, first});
      }
    }
    if (!More()) Fail("missing ']'");
    ++at_;
    return AddClass(std::move(cls), fold);
  }

  // One class member: a char (true, *c) or an escape class added to *cls.
  bool Member(Regex::Class* cls, char32_t* c) {
    const char32_t m = Peek();
    if (m == '[') Fail("nested classes and POSIX brackets are not supported");
    if (m == '&' && Peek(1) == '&') Fail("class intersection '&&' is not supported");
    ++at_;
    if (m != '\\') {
      *c = m;
      return true;
    }
    return Escape(cls, c);
  }

  std::vector<char32_t> text_;
  size_t at_ = 0;
  std::vector<Regex::Class>* classes_;
};

// ---- Compiling: syntax tree -> program ----

class Compiler {
 public:
  explicit Compiler(std::vector<Inst>* program) : program_(program) {}
  uint32_t looks() const { return looks_; }

  void Emit(const Node& n) {
    switch (n.kind) {
      case Node::Kind::kEmpty: break;
      case Node::Kind::kChar: Push({Op::kChar, n.fold, false, n.c}); break;
      case Node::Kind::kAny: Push({Op::kAny}); break;
      case Node::Kind::kClass: {
        Inst inst{Op::kClass, n.fold};
        inst.x = n.cls;
        Push(inst);
        break;
      }
      case Node::Kind::kLineStart: Push({Op::kLineStart}); break;
      case Node::Kind::kLineEnd: Push({Op::kLineEnd}); break;
      case Node::Kind::kConcat:
        for (const NodePtr& kid : n.kids) Emit(*kid);
        break;
      case Node::Kind::kAlt: {
        std::vector<size_t> jumps;
        for (size_t i = 0; i < n.kids.size(); ++i) {
          size_t split = 0;
          if (i + 1 < n.kids.size()) split = Push({Op::kSplit});
          const uint32_t body = Here();
          Emit(*n.kids[i]);
          if (i + 1 < n.kids.size()) {
            jumps.push_back(Push({Op::kJmp}));
            (*program_)[split].x = body;
            (*program_)[split].y = Here();
          }
        }
        for (size_t j : jumps) (*program_)[j].x = Here();
        break;
      }
      case Node::Kind::kLook: {
        Inst inst{Op::kLook};
        inst.negate = n.negate;
        inst.look = looks_++;
        const size_t look = Push(inst);
        (*program_)[look].x = Here();
        Emit(*n.kids[0]);
        Push({Op::kMatch});
        (*program_)[look].y = Here();
        break;
      }
      case Node::Kind::kRepeat: Repeat(n); break;
    }
  }

 private:
  uint32_t Here() const { return static_cast<uint32_t>(program_->size()); }
  size_t Push(Inst inst) {
    if (program_->size() >= kMaxProgram) throw RegexSyntaxError("pattern too large once its repeats are expanded");
    program_->push_back(inst);
    return program_->size() - 1;
  }
  // A split preferring `body` (the next instruction) when greedy, else the exit.
  void PatchSplit(size_t split, uint32_t body, uint32_t exit, bool greedy) {
    (*program_)[split].x = greedy ? body : exit;
    (*program_)[split].y = greedy ? exit : body;
  }

  void Repeat(const Node& n) {
    const Node& kid = *n.kids[0];
    for (int i = 0; i < n.min; ++i) Emit(kid);
    if (n.max == -1) {
      // L: split(body, exit); body; jmp L
      const uint32_t loop = Here();
      const size_t split = Push({Op::kSplit});
      Emit(kid);
      Inst jmp{Op::kJmp};
      jmp.x = loop;
      Push(jmp);
      PatchSplit(split, loop + 1, Here(), n.greedy);
      return;
    }
    // (max - min) nested optional copies, each exiting to the end.
    std::vector<std::pair<size_t, uint32_t>> splits;
    for (int i = n.min; i < n.max; ++i) {
      const size_t split = Push({Op::kSplit});
      splits.emplace_back(split, Here());
      Emit(kid);
    }
    for (const auto& [split, body] : splits) PatchSplit(split, body, Here(), n.greedy);
  }

  std::vector<Inst>* program_;
  uint32_t looks_ = 0;
};

// ---- Matching ----

// One FindAll: the text as code points and the memo of tried states.
class Matcher {
 public:
  Matcher(const std::vector<Inst>& program, const std::vector<Regex::Class>& classes, uint32_t looks,
          const std::string& pattern, std::string_view text)
      : program_(program), classes_(classes), pattern_(pattern) {
    for (size_t i = 0; i < text.size();) {
      char32_t c;
      offsets_.push_back(i);
      i += DecodeUtf8(text, i, &c);
      chars_.push_back(c);
    }
    offsets_.push_back(text.size());
    const size_t states = program_.size() * (chars_.size() + 1);
    tried_.assign((states + 63) / 64, 0);
    if (looks > 0) look_tried_.assign((states + 63) / 64, 0);
    look_results_.assign(static_cast<size_t>(looks) * (chars_.size() + 1), kUnknown);
    budget_ = std::max<uint64_t>(kMinSteps, kStepsPerChar * (chars_.size() + 1));
    max_pending_ = kMinPending + kPendingPerChar * (chars_.size() + 1);
  }

  size_t chars() const { return chars_.size(); }
  size_t offset(size_t at) const { return offsets_[at]; }

  // The leftmost-first match starting at `from` or later: true and
  // *begin/*end (char indices), or false.
  bool Search(size_t from, size_t* begin, size_t* end) {
    size_t reached = from;
    for (size_t start = from; start <= chars_.size(); ++start) {
      if (Run(0, start, &tried_, end, &reached)) {
        *begin = start;
        // States on the way to this match were marked without failing:
        // unmark them before the next search.
        Clear(&tried_, from, reached);
        return true;
      }
    }
    return false;
  }

 private:
  static constexpr int8_t kUnknown = -1;

  bool TestAndSet(std::vector<uint64_t>* bits, uint32_t pc, size_t at) {
    const size_t i = at * program_.size() + pc;
    uint64_t& word = (*bits)[i / 64];
    const uint64_t bit = uint64_t{1} << (i % 64);
    if (word & bit) return true;
    word |= bit;
    return false;
  }
  void Clear(std::vector<uint64_t>* bits, size_t from, size_t to) {
    const size_t first = from * program_.size() / 64;
    const size_t last = std::min(bits->size(), ((to + 1) * program_.size() + 63) / 64);
    if (first < last) std::fill(bits->begin() + static_cast<std::ptrdiff_t>(first), bits->begin() + static_cast<std::ptrdiff_t>(last), 0);
  }

  bool LineStart(size_t at) const { return at == 0 || chars_[at - 1] == '\n'; }
  bool LineEnd(size_t at) const { return at == chars_.size() || chars_[at] == '\n'; }

  // Depth-first over the program from (pc, at) in priority order, each
  // state at most once (a state met again already failed, or is on the
  // current path and would only loop). True at the first kMatch, with *end.
  bool Run(uint32_t pc0, size_t at0, std::vector<uint64_t>* tried, size_t* end, size_t* reached) {
    // One stack per lookahead depth, kept between runs (no allocation per start).
    if (depth_ == stacks_.size()) stacks_.emplace_back();
    std::vector<std::pair<uint32_t, size_t>>& stack = stacks_[depth_];
    stack.clear();
    stack.emplace_back(pc0, at0);
    while (!stack.empty()) {
      auto [pc, at] = stack.back();
      stack.pop_back();
      for (;;) {
        if (++steps_ > budget_) {
          throw InvalidTextError("the regex '" + pattern_ + "' needs more than " +
                                 std::to_string(budget_) + " steps on this text");
        }
        if (TestAndSet(tried, pc, at)) break;
        *reached = std::max(*reached, at);
        const Inst& inst = program_[pc];
        bool ok = true;
        switch (inst.op) {
          case Op::kChar:
            ok = at < chars_.size() && (inst.fold ? Fold(chars_[at]) : chars_[at]) == inst.c;
            ++pc, ++at;
            break;
          case Op::kAny:
            ok = at < chars_.size() && chars_[at] != '\n';
            ++pc, ++at;
            break;
          case Op::kClass:
            ok = at < chars_.size() && ClassContains(classes_[inst.x], chars_[at], inst.fold);
            ++pc, ++at;
            break;
          case Op::kSplit:
            if (stack.size() >= max_pending_) {
              throw InvalidTextError("the regex '" + pattern_ + "' needs more than " +
                                     std::to_string(max_pending_) + " pending alternatives on this text");
            }
            stack.emplace_back(inst.y, at);
            pc = inst.x;
            break;
          case Op::kJmp: pc = inst.x; break;
          case Op::kLineStart: ok = LineStart(at), ++pc; break;
          case Op::kLineEnd: ok = LineEnd(at), ++pc; break;
          case Op::kLook: ok = Look(inst, at) != inst.negate, pc = inst.y; break;
          case Op::kMatch: *end = at; return true;
        }
        if (!ok) break;
      }
    }
    return false;
  }

  // Whether the lookahead's body matches at `at` (memoized: it does not
  // depend on how the search got there).
  bool Look(const Inst& inst, size_t at) {
    int8_t& known = look_results_[static_cast<size_t>(inst.look) * (chars_.size() + 1) + at];
    if (known == kUnknown) {
      size_t end = 0, reached = at;
      ++depth_;
      known = Run(inst.x, at, &look_tried_, &end, &reached) ? 1 : 0;
      --depth_;
      if (known) Clear(&look_tried_, at, reached);
    }
    return known == 1;
  }

  const std::vector<Inst>& program_;
  const std::vector<Regex::Class>& classes_;
  const std::string& pattern_;
  std::vector<char32_t> chars_;
  std::vector<size_t> offsets_;
  std::vector<uint64_t> tried_, look_tried_;
  std::vector<int8_t> look_results_;
  uint64_t steps_ = 0, budget_ = 0;
  size_t max_pending_ = 0;  // backtracking entries of one stack
  std::deque<std::vector<std::pair<uint32_t, size_t>>> stacks_;  // deque: stable references
  size_t depth_ = 0;
};

}  // namespace

Regex::Regex(std::string_view pattern) : pattern_(pattern) {
  if (FindInvalidUtf8(pattern)) throw RegexSyntaxError("pattern is not valid UTF-8");
  if (pattern.empty()) throw RegexSyntaxError("empty pattern");
  NodePtr root = Parser(pattern, &classes_).Parse();
  can_match_empty_ = CanMatchEmpty(*root);
  Compiler compiler(&program_);
  compiler.Emit(*root);
  program_.push_back({Op::kMatch});
  looks_ = compiler.looks();
}

void Regex::FindAll(std::string_view text, std::vector<std::pair<size_t, size_t>>* matches) const {
  matches->clear();
  Matcher m(program_, classes_, looks_, pattern_, text);
  size_t from = 0;
  bool matched_before = false;
  size_t last_match_end = 0;
  while (from <= m.chars()) {
    size_t begin = 0, end = 0;
    if (!m.Search(from, &begin, &end)) break;
    if (begin == end && matched_before && last_match_end == end) {
      ++from;  // an empty match right after the last one: move on a char
      continue;
    }
    matches->emplace_back(m.offset(begin), m.offset(end));
    from = end;
    matched_before = true;
    last_match_end = end;
  }
}

}  // namespace fasterbert::text
