// The regex subset of the runtime's tokenizer (backend-cpp/text/regex.h),
// checked here so that `codegen build` refuses a Split or Replace pattern
// the runtime would refuse when the model loads. A mirror of the C++
// parser's grammar, not a matcher: test/tokenizer/components.test.ts runs
// both on the same patterns and requires the same verdict.

export const supportedRegexSubset =
  'literals and escapes, ., [...] [^...], \\s \\S \\d \\D \\w \\W, \\p{L M N P S Z} \\P{..}, ' +
  '(...) (?:...) (?i:...) (?=...) (?!...), |, * + ? {n} {n,} {n,m} greedy or lazy, ^ $';

const maxRepeat = 1000;
// regex.cc's kMaxProgram: instructions once {n,m} copies are made.
const maxProgram = 1024;
const properties = new Set(['L', 'Letter', 'M', 'Mark', 'N', 'Number', 'P', 'Punctuation', 'S', 'Symbol', 'Z', 'Separator']);
const simpleEscapes = new Set(Array.from('tnrfvaesSdDwW'));

class RegexRefused extends Error {}
type Kind = 'atom' | 'assertion';
interface Part {
  size: number;
  empty: boolean;
}

// Walks the pattern as regex.cc's Parser does, by code point.
class SubsetChecker {
  private at = 0;
  constructor(private readonly text: readonly string[]) {}

  // Whether some match of the pattern can be empty (regex.cc's CanMatchEmpty).
  check(): { canMatchEmpty: boolean } {
    const { size, empty } = this.alternation();
    if (this.at < this.text.length) this.fail("unbalanced ')'");
    if (size > maxProgram) throw new RegexRefused('pattern too large once its repeats are expanded');
    return { canMatchEmpty: empty };
  }

  private fail(why: string): never {
    throw new RegexRefused(`at character ${this.at}: ${why}`);
  }
  private more(): boolean {
    return this.at < this.text.length;
  }
  private peek(ahead = 0): string {
    return this.text[this.at + ahead] ?? '';
  }

  // Each returns its instruction count, as regex.cc's Compiler emits them,
  // and whether it can match the empty string.
  private alternation(): Part {
    const first = this.concatenation();
    let { size, empty } = first;
    while (this.more() && this.peek() === '|') {
      this.at++;
      const next = this.concatenation();
      size += 2 + next.size;  // a split and a jump per alternative but the last
      empty ||= next.empty;
    }
    return { size, empty };
  }

  private concatenation(): Part {
    let size = 0;
    let empty = true;
    while (this.more() && this.peek() !== '|' && this.peek() !== ')') {
      const part = this.repetition();
      size += part.size;
      empty &&= part.empty;
    }
    return { size, empty };
  }

  private repetition(): Part {
    let { kind, size, empty } = this.atom();
    while (this.more()) {
      const q = this.peek();
      let min = 0;
      let max = 0;
      if (q === '*' || q === '+' || q === '?') {
        this.at++;
        min = q === '+' ? 1 : 0;
        max = q === '?' ? 1 : -1;
      } else if (q === '{') {
        this.at++;
        min = this.number();
        max = min;
        if (this.peek() === ',' && this.more()) {
          this.at++;
          max = this.peek() === '}' ? -1 : this.number();
        }
        if (!this.more() || this.peek() !== '}') this.fail("'{' must start a quantifier {n}, {n,} or {n,m}");
        this.at++;
        if (max !== -1 && max < min) this.fail('quantifier {n,m} with m < n');
      } else {
        break;
      }
      if (kind === 'assertion') this.fail('a quantifier after an anchor or lookahead is not supported');
      if (this.more() && this.peek() === '?') this.at++;
      else if (this.more() && this.peek() === '+') this.fail('possessive quantifiers are not supported');
      kind = 'atom';
      size = Math.min(maxProgram + 1, min * size + (max === -1 ? 2 + size : (max - min) * (1 + size)));
      empty ||= min === 0;
      const next = this.peek();
      if (this.more() && (next === '*' || next === '+' || next === '?' || next === '{')) this.fail('a quantifier may not follow a quantifier');
    }
    return { size, empty };
  }

  private number(): number {
    let n = 0;
    let digits = 0;
    while (this.more() && this.peek() >= '0' && this.peek() <= '9') {
      n = n * 10 + Number(this.peek());
      this.at++;
      if (++digits > 4 || n > maxRepeat) this.fail('repeat counts above 1000 are not supported');
    }
    if (digits === 0) this.fail("'{' must start a quantifier {n}, {n,} or {n,m}");
    return n;
  }

  private atom(): Part & { kind: Kind } {
    const c = this.peek();
    this.at++;
    const char = { kind: 'atom', size: 1, empty: false } as const;
    switch (c) {
      case '(': return this.group();
      case '[': this.classBody(); return char;
      case '^': case '$': return { kind: 'assertion', size: 1, empty: true };
      case '*': case '+': case '?': case '{': this.at--; return this.fail('quantifier with nothing to repeat');
      case ']': case '}': this.at--; return this.fail(`unescaped '${c}'`);
      case '\\': this.escape(); return char;
      default: return char;
    }
  }

  private group(): Part & { kind: Kind } {
    let kind: Kind = 'atom';
    if (this.peek() === '?') {
      this.at++;
      const form = this.peek();
      this.at++;
      if (form === 'i' && this.peek() === ':') this.at++;
      else if (form === '=' || form === '!') kind = 'assertion';
      else if (form !== ':') {
        this.at -= 2;
        this.fail(`group '(?${form}' is not supported (supported: (...), (?:...), (?i:...), (?=...), (?!...))`);
      }
    }
    const body = this.alternation();
    if (!this.more() || this.peek() !== ')') this.fail("missing ')'");
    this.at++;
    // A lookahead: its instruction and its match, zero-width.
    return kind === 'assertion' ? { kind, size: body.size + 2, empty: true } : { kind, ...body };
  }

  // After '\': true for a single char, false for a class.
  private escape(): boolean {
    if (!this.more()) this.fail("pattern ends with '\\'");
    const c = this.peek();
    this.at++;
    if (simpleEscapes.has(c)) return 'tnrfvae'.includes(c);
    if (c === 'p' || c === 'P') {
      this.property();
      return false;
    }
    if (c === 'x') {
      this.hex(this.peek() === '{' ? 0 : 2);
      return true;
    }
    if (c === 'u') {
      this.hex(4);
      return true;
    }
    if (c.length === 1 && c < '\x80' && !/[0-9A-Za-z]/u.test(c)) return true;
    this.at--;
    return this.fail(`escape '\\${c < '\x80' ? c : ''}' is not supported`);
  }

  private hex(digits: number): void {
    const braced = digits === 0;
    if (braced) this.at++;
    let value = 0;
    let n = 0;
    while (this.more() && (braced ? n < 8 : n < digits) && /^[0-9A-Fa-f]$/u.test(this.peek())) {
      value = value * 16 + parseInt(this.peek(), 16);
      this.at++;
      n++;
    }
    if (braced) {
      if (!this.more() || this.peek() !== '}' || n === 0) this.fail('bad \\x{...} escape');
      this.at++;
    } else if (n !== digits) {
      this.fail('bad hex escape');
    }
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff) || (!braced && digits === 2 && value >= 0x80)) {
      this.fail('hex escape is not a Unicode scalar value below 0x80 (\\xHH) or a scalar value');
    }
  }

  private property(): void {
    if (this.peek() !== '{') this.fail('\\p and \\P need {Name}');
    this.at++;
    if (this.peek() === '^') this.at++;
    let name = '';
    while (this.more() && this.peek() !== '}' && this.peek() < '\x80') name += this.text[this.at++];
    if (!this.more() || this.peek() !== '}') this.fail("\\p{ without '}'");
    this.at++;
    if (!properties.has(name)) {
      this.fail(`property '${name}' is not supported (supported: L M N P S Z, or Letter Mark Number Punctuation Symbol Separator)`);
    }
  }

  private classBody(): void {
    if (this.peek() === '^') this.at++;
    if (this.peek() === ']') this.fail("an empty class or a ']' first in a class is not supported");
    while (this.more() && this.peek() !== ']') {
      const first = this.member();
      if (first === undefined) continue;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.at + 1 < this.text.length) {
        this.at++;
        const last = this.member();
        if (last === undefined) this.fail('a range in a class must end at a char');
        if (last < first) this.fail('range out of order in a class');
      }
    }
    if (!this.more()) this.fail("missing ']'");
    this.at++;
  }

  // One class member: its code point, or undefined for an escape class.
  private member(): number | undefined {
    const m = this.peek();
    if (m === '[') this.fail('nested classes and POSIX brackets are not supported');
    if (m === '&' && this.peek(1) === '&') this.fail("class intersection '&&' is not supported");
    this.at++;
    if (m !== '\\') return m.codePointAt(0);
    const start = this.at;
    if (!this.escape()) return undefined;
    return escapedChar(this.text.slice(start, this.at));
  }
}

// The code point a single-char escape (the text after '\') stands for.
function escapedChar(escape: readonly string[]): number {
  const [c = '', ...rest] = escape;
  const named: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11, a: 7, e: 27 };
  if (c in named) return named[c] ?? 0;
  if (c === 'x' || c === 'u') return parseInt(rest.join('').replace(/[{}]/gu, ''), 16);
  return c.codePointAt(0) ?? 0;
}

/**
 * Why the runtime's regex engine refuses `pattern` (in a Replace: also one
 * that can match the empty string), or undefined when it accepts it.
 */
export function regexProblem(pattern: string, use: 'Split' | 'Replace'): string | undefined {
  if (pattern === '') return 'empty pattern';
  try {
    const { canMatchEmpty } = new SubsetChecker(Array.from(pattern)).check();
    if (use === 'Replace' && canMatchEmpty) return 'a Replace regex must not match the empty string';
    return undefined;
  } catch (error) {
    if (error instanceof RegexRefused) return error.message;
    throw error;
  }
}
