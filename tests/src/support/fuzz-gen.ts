import RandExp from 'randexp';

/** A JSON Schema node as the server's OpenAPI document writes it (zod's openapi-3.0 target). */
export interface SchemaNode {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  nullable?: boolean;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

/** mulberry32: a small seeded generator, so a failure reproduces with the same FUZZ_SEED. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Raw JSON fragments that JSON.stringify cannot write (numbers beyond double range, beyond safe integers):
 * a value is put in as this marker string and replaced in the text after stringifying.
 */
const RAW = (text: string) => `\u0000RAW:${text}\u0000`;
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000RAW:([^\\]*)\\u0000"/g, '$1');
}

/** Wrong types, edge numbers, NaN-ish strings, long strings, nested junk, arrays for objects. */
export const JUNK_VALUES: unknown[] = [
  null,
  true,
  '',
  'x',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  RAW('1e309'),
  RAW('-1e309'),
  RAW('9007199254740993'),
  -1,
  0,
  1.5,
  2_147_483_648,
  -2_147_483_649,
  1e18,
  'x'.repeat(20_000),
  '\u0000\u202e<script>alert(1)</script>',
  '../../../etc/passwd',
  '2099-01-01T00:00:00.000Z',
  '2026-13-45',
  [],
  [1, 'a', null],
  {},
  { a: { b: { c: [{ d: {} }] } } },
  [{ id: 1 }],
];

/** Bad path parameter values (already URL-safe where they need to be). */
export const JUNK_PATH = [
  '0',
  '-1',
  '1e309',
  '1e3',
  '2147483648',
  '9007199254740993',
  '99999999999999999999999',
  '1.5',
  'abc',
  '%00',
  '%E0%A4%A',
  'NaN',
  'x'.repeat(3000),
  '2147483647',
  '..%2F..%2Fetc%2Fpasswd',
];

/** Bad query values (strings: a query has no other type). */
export const JUNK_QUERY = [
  '',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '2147483648',
  '9007199254740993',
  '1.5',
  'x'.repeat(5000),
  '%00',
  '2099-01-01',
  '2026-13-45',
  'true',
];

let randInt: (a: number, b: number) => number = (a) => a;
/** Strings matching a pattern are drawn from this run's generator. */
export function useRandom(random: () => number): void {
  randInt = (a, b) => a + Math.floor(random() * (b - a + 1));
}

function fromPattern(pattern: string, min: number, max: number): string {
  const gen = new RandExp(pattern);
  gen.max = 8;
  gen.randInt = randInt;
  const text = gen.gen();
  return text.length >= min && text.length <= max ? text : 'x'.repeat(Math.max(min, 1));
}

function stringSample(node: SchemaNode): string {
  const min = node.minLength ?? 0;
  const max = node.maxLength ?? 1000;
  if (node.format === 'date-time') return new Date(Date.now() - 3_600_000).toISOString();
  if (node.format === 'date') return new Date().toISOString().slice(0, 10);
  if (node.format === 'email') return 'a@example.com';
  if (node.format === 'uri' || node.format === 'url') return 'https://example.com/a.png';
  if (node.pattern) return fromPattern(node.pattern, min, max);
  return '测'.repeat(Math.max(min, Math.min(2, max)));
}

/** A plausible valid value for a schema, so that mutations of one field reach the service behind validation. */
export function sample(node: SchemaNode | undefined, depth = 0): unknown {
  if (!node || depth > 6) return null;
  if (node.const !== undefined) return node.const;
  if (node.enum?.length) return node.enum[0];
  if (node.default !== undefined) return node.default;
  const options = node.oneOf ?? node.anyOf;
  if (options?.length) return sample(options[0], depth + 1);
  if (node.allOf?.length) return sample(node.allOf[0], depth + 1);
  switch (node.type) {
    case 'string':
      return stringSample(node);
    case 'integer':
    case 'number':
      return Math.max(node.minimum ?? 1, Math.min(1, node.maximum ?? 1)) || 1;
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: node.minItems ?? 0 }, () => sample(node.items, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of node.required ?? []) out[key] = sample(node.properties?.[key], depth + 1);
      return out;
    }
    default:
      return null;
  }
}

/**
 * Every bad body for an operation: whole-body junk, each required field missing, each field (one level deep) junk;
 * built on `base` (a valid body, so one bad field reaches the service behind validation) or on a sample.
 */
export function badBodies(
  schema: SchemaNode | undefined,
  base: unknown = sample(schema),
): unknown[] {
  const out: unknown[] = [[], null, 'x', 42, [base], { ...(base as object), unknownField: 1 }];
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return out;
  const object = schema?.oneOf?.[0] ?? schema?.anyOf?.[0] ?? schema;
  for (const key of object?.required ?? []) {
    const copy = { ...(base as Record<string, unknown>) };
    delete copy[key];
    out.push(copy);
  }
  for (const [key, prop] of Object.entries(object?.properties ?? {})) {
    for (const junk of JUNK_VALUES) out.push({ ...base, [key]: junk });
    const inner = prop.oneOf?.[0] ?? prop.anyOf?.[0] ?? prop.items ?? prop;
    const innerBase = sample(inner);
    if (inner.properties && innerBase && typeof innerBase === 'object') {
      for (const innerKey of Object.keys(inner.properties)) {
        for (const junk of JUNK_VALUES.filter((_, i) => i % 3 === 0)) {
          const value = { ...(innerBase as object), [innerKey]: junk };
          out.push({ ...base, [key]: prop.items ? [value] : value });
        }
      }
    }
  }
  return out;
}

/** Picks at most `count` of `items` (all when fewer), in a seeded order. */
export function pick<T>(items: T[], count: number, random: () => number): T[] {
  if (items.length <= count) return items;
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}
