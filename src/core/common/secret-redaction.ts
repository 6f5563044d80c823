/**
 * Keys and credentials must never reach a log line or an error body, even when a caller puts one
 * where it does not belong (a key pasted as a scope name, a token in a request id). Everything
 * that writes free text a caller could have influenced passes it through here.
 */

/**
 * In free text: a whole key (its public prefix is kept; everything up to the next whitespace goes
 * with the secret: a quote, `&` or `?` pasted into it must not let its tail through, as the
 * checksum gives back a character or two that were cut, attack pass), anything else shaped like a key
 * beyond a bare prefix, a key without its type prefix, a Bearer or Basic value (of a credential's
 * length: "Basic plan" is prose), the imported formats' credentials (a Sanctum `id|secret`), and
 * any run of 32 or more base64url characters (a key's secret part cut from its id, hex and base62
 * tokens, session cookies; no id of ours is that long) but a UUID (a caller's request id).
 * A bare `sk_live_` and 16 stays: it is every native key's public prefix, which logs show by
 * design, though an imported key of exactly 16 random characters has the same shape.
 */
const SECRET_SOURCE =
  '\\b((?:sk_live|sk_test|ut|kgp)_[A-Za-z0-9]{16})_\\S+|(?:sk_live|sk_test|ut|kgp)_[A-Za-z0-9_]{17,}|[A-Za-z0-9]{16}_[A-Za-z0-9]{38}|\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=|-]{8,}|\\b\\d+\\|[A-Za-z0-9]{20,}|[A-Za-z0-9_-]{32,}';
const SECRET_LIKE = new RegExp(SECRET_SOURCE, 'gi');
const HAS_SECRET = new RegExp(SECRET_SOURCE, 'i');
/** A UUID's shape (a caller's request id, resource ids): never taken for a token. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Characters nobody can see, dropped before matching, or one pasted into a key would hide it:
 * control characters but tab and line breaks, every format character (Unicode's Cf: soft hyphen,
 * zero-width spaces and joiners, direction marks and isolates, BOM, tags), variation selectors,
 * the combining grapheme joiner, and the fillers that render as nothing (Hangul, Khmer, Mongolian).
 */
/* eslint-disable no-control-regex, no-misleading-character-class -- matching control and combining characters one by one is the point */
const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/gu;
/* eslint-enable no-control-regex, no-misleading-character-class */

/**
 * An invisible character written out in pasted text (attack pass): an HTML entity (`&#8203;`,
 * `&#x200B;`, `&shy;`, `&ZeroWidthSpace;`), a `\\u` escape, or UTF-8 bytes as `\\x` escapes or
 * quoted-printable (`\\xE2\\x80\\x8B`, `=E2=80=8B`).
 */
const WRITTEN_CHARACTER =
  /&#(?<decimal>\d{1,7});|&#[xX](?<hex>[0-9A-Fa-f]{1,6});|\\u(?<u4>[0-9A-Fa-f]{4})|\\u\{(?<u6>[0-9A-Fa-f]{1,6})\}|&(?<named>shy|ZeroWidthSpace|zwj|zwnj|lrm|rlm|NoBreak|InvisibleTimes|InvisibleComma|ApplyFunction);|(?<bytes>(?:\\x[89A-Fa-f][0-9A-Fa-f])+|(?:=[89A-F][0-9A-F])+)/g;
type Written = Partial<Record<'decimal' | 'hex' | 'u4' | 'u6' | 'named' | 'bytes', string>>;
const NAMED_INVISIBLES: Record<string, string> = {
  shy: '\u00ad',
  ZeroWidthSpace: '\u200b',
  zwj: '\u200d',
  zwnj: '\u200c',
  lrm: '\u200e',
  rlm: '\u200f',
  NoBreak: '\u2060',
  InvisibleTimes: '\u2062',
  InvisibleComma: '\u2063',
  ApplyFunction: '\u2061',
};

/** `text` with those that stand for characters INVISIBLE drops, dropped; any other kept as written. */
function withoutWrittenInvisibles(text: string): string {
  if (!text.includes('&') && !text.includes('\\') && !text.includes('=')) return text;
  return text.replace(WRITTEN_CHARACTER, (...args: unknown[]) => {
    const written = args[0] as string;
    const { decimal, hex, u4, u6, named, bytes } = args[args.length - 1] as Written;
    let character: string;
    if (named !== undefined) character = NAMED_INVISIBLES[named];
    else if (bytes !== undefined)
      character = Buffer.from(bytes.replace(/\\x|=/g, ''), 'hex').toString('utf8');
    else {
      const code = decimal !== undefined ? parseInt(decimal, 10) : parseInt(hex ?? u4 ?? u6 ?? '', 16);
      if (!(code <= 0x10ffff)) return written;
      character = String.fromCodePoint(code);
    }
    return character.replace(INVISIBLE, '') === '' ? '' : written;
  });
}

/** `text` without the characters nobody can see, raw or written out: what the patterns match on. */
export function withoutInvisibles(text: string): string {
  return withoutWrittenInvisibles(text).replace(INVISIBLE, '');
}

/** Runs of the characters a key, its escapes and its separators are made of (linear to match). */
const TOKEN_RUN = /[A-Za-z0-9%_|.~+-]+/g;

/**
 * Escapes of printable ASCII decoded, up to three times (`%255F` → `%5F` → `_`); anything else
 * is left as it was. For finding keys a caller escaped, not for showing text.
 */
export function percentDecoded(text: string): string {
  let current = text;
  for (let round = 0; round < 3 && current.includes('%'); round++) {
    const next = decodedOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * Escapes of what cannot be printed: control bytes and every byte of a UTF-8 sequence (a
 * zero-width space is `%E2%80%8B`). percentDecoded keeps them escaped, and one left between two
 * halves of a key hid it from every pattern (attack pass): to a reader it is as invisible as a
 * raw one, so where keys are looked for it goes like one.
 */
const UNPRINTABLE_ESCAPE = /%(?:[01][0-9A-Fa-f]|7[Ff]|[89A-Fa-f][0-9A-Fa-f])/g;

/**
 * `text` as the patterns should see it: escapes of printable characters decoded and those of
 * unprintable ones dropped, again until nothing changes (dropping one can join `%2` and `5F`
 * into a new escape), at most four times over.
 */
export function unescapedForMatching(text: string): string {
  let current = text;
  for (let round = 0; round < 4 && current.includes('%'); round++) {
    const next = percentDecoded(current).replace(UNPRINTABLE_ESCAPE, '');
    if (next === current) break;
    current = next;
  }
  return current;
}

/** One round: each escape of a printable ASCII character decoded, the others kept. */
function decodedOnce(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const code = parseInt(hex, 16);
    return code >= 0x20 && code <= 0x7e ? String.fromCharCode(code) : escape;
  });
}

/** `text` with every key and credential value in it replaced, escaped ones (`sk%5Flive%5F…`) too. */
export function redactSecrets(text: string): string {
  const visible = withoutInvisibles(text);
  // First a run holding an escape, judged decoded (before the plain pass cuts it up).
  // A run still escaping printable characters after rounds of decoding was escaped deeper
  // than any client does by accident: it goes whole, whatever it hides.
  const unescaped = visible.includes('%')
    ? visible.replace(TOKEN_RUN, (run) => {
        if (!run.includes('%')) return run;
        const decoded = unescapedForMatching(run);
        return HAS_SECRET.test(decoded) || decodedOnce(decoded) !== decoded ? '[redacted]' : run;
      })
    : visible;
  return unescaped.replace(SECRET_LIKE, (match, prefix: string | undefined, scheme: string | undefined) =>
    prefix
      ? `${prefix}_[redacted]`
      : scheme
        ? `${scheme} [redacted]`
        : UUID.test(match)
          ? match
          : '[redacted]',
  );
}

/** The same, through every string of a JSON-like value (a 422's `errors` map). */
export function redactSecretsDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecretsDeep(item)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        redactSecrets(k),
        redactSecretsDeep(v),
      ]),
    ) as T;
  return value;
}
