// A protobuf text-format reader just big enough for config.pbtxt: messages,
// lists, strings, numbers and enum names (true/false stay strings). Repeated
// keys collect into arrays.
export type PbValue = string | number | PbMessage | PbValue[];
export interface PbMessage {
  [key: string]: PbValue;
}

export function parsePbtxt(text: string): PbMessage {
  const tokens = text
    .replace(/#.*$/gm, '')
    .match(/"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^\s{}[\]:,]+/g) ?? [];
  let at = 0;
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new Error('unexpected end of config.pbtxt');
    return token;
  };
  const value = (): PbValue => {
    const token = next();
    if (token === '{') return message('}');
    if (token === '[') {
      const items: PbValue[] = [];
      while (tokens[at] !== ']') {
        items.push(value());
        if (tokens[at] === ',') at++;
      }
      at++;
      return items;
    }
    if (token.startsWith('"')) return JSON.parse(token) as string;
    return /^-?\d+$/.test(token) ? Number(token) : token;
  };
  const message = (end: string | undefined): PbMessage => {
    const result: PbMessage = {};
    while (at < tokens.length && tokens[at] !== end) {
      const key = next();
      if (tokens[at] === ':') at++;
      const parsed = value();
      const earlier = result[key];
      result[key] = earlier === undefined ? parsed : Array.isArray(earlier) ? [...earlier, parsed] : [earlier, parsed];
    }
    at++;
    return result;
  };
  return message(undefined);
}
