// Quoting for the languages emit writes. Each takes any string and returns a
// literal that reads back as exactly that string.

function octalEscapes(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += '\\' + byte.toString(8).padStart(3, '0');
  return text;
}

// Octal escapes are at most three digits, so unlike \x they cannot swallow
// a hex digit that follows.
function quoteWith(value: string, named: Readonly<Record<string, string>>): string {
  let body = '';
  for (const char of value) {
    const escaped = named[char];
    if (escaped !== undefined) body += escaped;
    else if (char >= ' ' && char <= '~') body += char;
    else body += octalEscapes(new TextEncoder().encode(char));
  }
  return `"${body}"`;
}

const cppEscapes = { '"': '\\"', '\\': '\\\\', '?': '\\?', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const protobufTextEscapes = { '"': '\\"', "'": "\\'", '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A C++ narrow string literal of the UTF-8 bytes of `value`. */
export function cppStringLiteral(value: string): string {
  return quoteWith(value, cppEscapes);
}

/** A protobuf text-format string (config.pbtxt). */
export function protobufTextString(value: string): string {
  return quoteWith(value, protobufTextEscapes);
}

/** A CMake quoted argument; `$` is escaped so no variable is expanded. */
export function cmakeQuotedArgument(value: string): string {
  return `"${value.replace(/[\\"$]/g, (char) => '\\' + char)}"`;
}

export function cppBool(value: boolean): string {
  return value ? 'true' : 'false';
}
