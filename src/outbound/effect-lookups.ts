// Workspace settings the queued effects of an outcome depend on, read once per recording transaction:
// a batch of messages asks once per workspace instead of once per message (measured: these two reads
// were a tenth of the recording thread's time under load). Valid for one transaction only.
import { anyLoginWantsReceipts } from '../store/notice-repository.js';
import { getSalesforceSettings } from '../store/salesforce-repository.js';
import type { Executor, SalesforceSettingsRow } from '../store/schema.js';

export class EffectLookups {
  readonly #receipts = new Map<string, Promise<boolean>>();
  readonly #salesforce = new Map<string, Promise<SalesforceSettingsRow | null>>();

  constructor(private readonly trx: Executor) {}

  /** Whether any login of the workspace wants receipts. */
  receiptsWanted(workspaceId: string): Promise<boolean> {
    return once(this.#receipts, workspaceId, () => anyLoginWantsReceipts(this.trx, workspaceId));
  }

  /** The workspace's Salesforce settings, or null when it has none. */
  salesforceSettings(workspaceId: string): Promise<SalesforceSettingsRow | null> {
    return once(this.#salesforce, workspaceId, () => getSalesforceSettings(this.trx, workspaceId));
  }
}

function once<T>(memo: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let found = memo.get(key);
  if (found === undefined) memo.set(key, (found = read()));
  return found;
}
