// A protobuf text-format reader big enough for Triton's config.pbtxt:
// messages, lists, strings, numbers and enum names. A key seen more than once
// collects its values into an array, as text format writes repeated fields.
export type PbtxtValue = string | number | PbtxtMessage | PbtxtValue[];
export interface PbtxtMessage {
  [key: string]: PbtxtValue;
}

export class PbtxtError extends Error {}

export function parsePbtxt(text: string): PbtxtMessage {
  const tokens = text.replace(/#.*$/gm, '').match(/"(?:[^"\\]|\\.)*"|[{}[\]:,<>]|[^\s{}[\]:,<>]+/g) ?? [];
  let at = 0;
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new PbtxtError('unexpected end of text');
    return token;
  };
  const closing = (token: string): string | undefined => (token === '{' ? '}' : token === '<' ? '>' : undefined);
  const value = (): PbtxtValue => {
    const token = next();
    const end = closing(token);
    if (end !== undefined) return message(end);
    if (token === '[') {
      const items: PbtxtValue[] = [];
      while (tokens[at] !== ']') {
        if (at >= tokens.length) throw new PbtxtError('unclosed [');
        items.push(value());
        if (tokens[at] === ',') at++;
      }
      at++;
      return items;
    }
    if (token.startsWith('"')) return JSON.parse(token) as string;
    if (/^[}\]>:,]$/.test(token)) throw new PbtxtError(`unexpected '${token}'`);
    return /^-?\d+(\.\d+)?$/.test(token) ? Number(token) : token;
  };
  const message = (end: string | undefined): PbtxtMessage => {
    const result: PbtxtMessage = {};
    while (tokens[at] !== end) {
      if (at >= tokens.length) {
        if (end === undefined) return result;
        throw new PbtxtError(`unclosed message (expected '${end}')`);
      }
      const key = next();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new PbtxtError(`expected a field name, found '${key}'`);
      if (tokens[at] === ':') at++;
      const parsed = value();
      const earlier = result[key];
      // A list value (`input [ {...} ]`) and repeated keys (`input {...} input {...}`) mean the same.
      const asList = (item: PbtxtValue): PbtxtValue[] => (Array.isArray(item) ? item : [item]);
      result[key] = earlier === undefined ? parsed : [...asList(earlier), ...asList(parsed)];
    }
    at++;
    return result;
  };
  return message(undefined);
}
