// Directory search: the folded text an account or user is found by, and the pattern a query becomes.
// Folding happens here, in one place, rather than in SQL: SQLite's lower() folds only ASCII while
// PostgreSQL's follows its collation, and both stores must find "Иван" by "иван".

/** Case- and compatibility-folded text (NFKC, lower case): "ＧＬＯＢＥＸ" and "globex" fold alike. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The stored search text of a record: its folded fields, one per line (a query never holds a newline). */
export function searchTextOf(fields: readonly (string | null)[]): string {
  return fields
    .filter((field): field is string => field !== null && field !== '')
    .map(foldForSearch)
    .join('\n');
}

/** A `LIKE … ESCAPE '\'` pattern matching `query` anywhere in a search text, case-insensitively. */
export function containsPattern(query: string): string {
  return `%${foldForSearch(query).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
