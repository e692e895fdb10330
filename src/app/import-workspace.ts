// Use-case: import a workspace document (validated, then written in one transaction with its audit entry).
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../store/audit-repository.js';
import type { Store } from '../store/store.js';
import {
  ImportRejected,
  importWorkspaceDocument,
  type ImportProgress,
  type ImportSummary,
} from '../store/workspace-import.js';
import { validateWorkspaceDocument, type DocumentProblem } from './workspace-document.js';

export type ImportResult =
  | { readonly ok: true; readonly summary: ImportSummary }
  | { readonly ok: false; readonly problems: readonly DocumentProblem[] };

export interface ImportOptions {
  /** Who imports (actorOf for the API, `cli` for the command): written to the audit log with the import. */
  readonly actor?: string;
  readonly progress?: ImportProgress;
}

export async function importWorkspace(
  store: Store,
  input: unknown,
  now: Date,
  { actor, progress }: ImportOptions = {},
): Promise<ImportResult> {
  const validation = validateWorkspaceDocument(input);
  if (!validation.ok) return validation;
  try {
    const summary = await importWorkspaceDocument(
      store.db,
      store.capabilities,
      validation.document,
      now,
      progress,
      (trx, done) =>
        actor === undefined
          ? Promise.resolve()
          : appendAudit(trx, {
              id: randomUUID(),
              workspaceId: done.workspaceId,
              at: now,
              actor,
              action: 'workspace.import',
              subject: done.workspaceId,
              changes: { document: { before: null, after: { ...done } } },
            }),
    );
    return { ok: true, summary };
  } catch (error) {
    if (error instanceof ImportRejected) return { ok: false, problems: error.problems };
    throw error;
  }
}

/** Parses JSON text, reporting a syntax error as a document problem rather than an exception. */
export function parseDocumentText(
  text: string,
): { ok: true; value: unknown } | { ok: false; problems: DocumentProblem[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: '(document)', message: `not valid JSON: ${reason}` }] };
  }
}
