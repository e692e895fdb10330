// Tolerant readers for the API's JSON: a field of the wrong type reads as empty rather than breaking
// the page, and no `any` flows into the UI's types.
export type Fields = ReadonlyMap<string, unknown>;

const EMPTY: Fields = new Map();

/** The fields of a JSON object (anything else has none). */
export function fields(value: unknown): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return EMPTY;
  return new Map(Object.keys(value).map((key): [string, unknown] => [key, Reflect.get(value, key)]));
}

export function str(f: Fields, key: string, fallback = ''): string {
  const value = f.get(key);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

export function strOrNull(f: Fields, key: string): string | null {
  const value = f.get(key);
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(f: Fields, key: string): number | null {
  const value = f.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function bool(f: Fields, key: string): boolean {
  return f.get(key) === true;
}

export function list(f: Fields, key: string): readonly unknown[] {
  const value = f.get(key);
  return Array.isArray(value) ? value : [];
}

export function strings(f: Fields, key: string): readonly string[] {
  return list(f, key).filter((v): v is string => typeof v === 'string');
}
