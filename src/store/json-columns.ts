// Reading the JSON text columns back (the schema keeps JSON as text on both engines).

/** A JSON array of strings; anything else in it is dropped, and a missing value is an empty list. */
export function parseStringList(json: string | null | undefined): string[] {
  if (json === null || json === undefined) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A JSON object of `{ field: { before, after } }` (audit entries, touchpoint edits); other entries dropped. */
export function parseFieldChanges(json: string): Record<string, { before: unknown; after: unknown }> {
  const value: unknown = JSON.parse(json);
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  if (typeof value !== 'object' || value === null) return changes;
  for (const [field, change] of Object.entries(value)) {
    const entry: unknown = change;
    if (typeof entry === 'object' && entry !== null && 'before' in entry && 'after' in entry)
      changes[field] = { before: entry.before, after: entry.after };
  }
  return changes;
}
