// Reading the JSON text columns back (the schema keeps JSON as text on both engines).

/** A JSON array of strings; anything else in it is dropped, and a missing value is an empty list. */
export function parseStringList(json: string | null | undefined): string[] {
  if (json === null || json === undefined) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
