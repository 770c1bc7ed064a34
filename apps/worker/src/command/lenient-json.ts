/**
 * JSON.parse that also reads the bare `NaN`, `Infinity` and `-Infinity` Python's `json.dumps`
 * writes by default, so a diverged loss is refused by name (step 3: loss is NaN) instead of its
 * whole line being malformed. They are read only outside strings.
 */
export function parseLenientJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const marked = markNonFinite(text);
  try {
    const value: unknown = JSON.parse(marked.text, (_key, v: unknown) => (typeof v === 'string' && marked.tokens.has(v) ? marked.tokens.get(v) : v));
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** `text` with each bare NaN/Infinity replaced by a quoted marker no real string in it uses. */
function markNonFinite(text: string): { text: string; tokens: Map<string, number> } {
  const tokens = new Map<string, number>();
  if (!/NaN|Infinity/.test(text)) return { text, tokens };
  let prefix = '\u0001ablate';
  while (text.includes(prefix)) prefix += '\u0001';
  const marker = (value: number, name: string) => {
    const m = `${prefix}:${name}`;
    tokens.set(m, value);
    return JSON.stringify(m);
  };
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const rest = text.slice(i, i + 9);
    if (rest.startsWith('-Infinity')) {
      out += marker(-Infinity, '-inf');
      i += 8;
    } else if (rest.startsWith('Infinity')) {
      out += marker(Infinity, 'inf');
      i += 7;
    } else if (rest.startsWith('NaN')) {
      out += marker(NaN, 'nan');
      i += 2;
    } else {
      out += c;
    }
  }
  return { text: out, tokens };
}
