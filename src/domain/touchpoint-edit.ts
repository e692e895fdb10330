// Editing a touchpoint (SPEC §7): what an edit changes, which participants it adds and removes, and
// whom it may notify. Pure: the use-case loads the touchpoint and stores the plan.
import type { Email } from './address.js';
import type { Participant, Side } from './scenario.js';

export type NotifyChoice = 'none' | 'new' | 'all';

/** The fields of a touchpoint an edit may change. */
export interface EditableTouchpoint {
  readonly accountId: string;
  readonly subject: string;
  readonly content: string;
  readonly reason: string | null;
  readonly flow: string;
  readonly participants: readonly Participant[];
}

export interface TouchpointPatch {
  readonly accountId?: string;
  readonly subject?: string;
  readonly content?: string;
  readonly reason?: string | null;
  readonly flow?: string;
  /** The whole new list, addresses normalised; a missing name keeps the one the participant had. */
  readonly participants?: readonly { readonly email: Email; readonly name?: string }[];
  readonly notify?: NotifyChoice;
}

export type FieldChanges = Readonly<Record<string, { readonly before: unknown; readonly after: unknown }>>;

export interface EditPlan {
  /** Changed scalar fields (accountId, subject, content, reason, flow) and the participant list. */
  readonly changes: FieldChanges;
  /** The new participant list when it changed, else null. */
  readonly participants: readonly Participant[] | null;
  readonly added: readonly Participant[];
  readonly removed: readonly Participant[];
  readonly contentChanged: boolean;
  /**
   * Whom to notify: the editor's choice when participants were added or the content changed (SPEC §7),
   * else `none` (there is nothing to tell anyone).
   */
  readonly notify: NotifyChoice;
}

/**
 * Plans an edit. A participant the touchpoint already has keeps the side it was recorded with: recording
 * classified it (SPEC §4) with what was known then (the From's domain, which may be an alias's; the
 * internal domains of the time), and an edit does not re-decide what nobody changed. Only the participants
 * the edit adds are classified, through `sideOf` (SPEC §4: the author's domain and the workspace's internal
 * domains, the recording's own classifier); the author is always internal.
 */
export function planTouchpointEdit(
  current: EditableTouchpoint,
  patch: TouchpointPatch,
  author: Email,
  sideOf: (email: Email) => Side,
): EditPlan {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const scalar = <K extends 'accountId' | 'subject' | 'content' | 'reason' | 'flow'>(key: K) => {
    const after = patch[key];
    if (after !== undefined && after !== current[key]) changes[key] = { before: current[key], after };
  };
  scalar('accountId');
  scalar('subject');
  scalar('content');
  scalar('reason');
  scalar('flow');

  let participants: Participant[] | null = null;
  let added: Participant[] = [];
  let removed: Participant[] = [];
  if (patch.participants !== undefined) {
    const known = new Map(current.participants.map((p) => [p.email, p]));
    const next = new Map<Email, Participant>();
    for (const p of patch.participants) {
      if (next.has(p.email)) continue;
      const before = known.get(p.email);
      const name = p.name?.trim() ?? before?.name ?? '';
      const side = before?.side ?? (p.email === author ? 'internal' : sideOf(p.email));
      next.set(p.email, { email: p.email, name, side });
    }
    const list = [...next.values()];
    if (JSON.stringify(list) !== JSON.stringify(current.participants)) {
      participants = list;
      added = list.filter((p) => !known.has(p.email));
      removed = current.participants.filter((p) => !next.has(p.email));
      changes.participants = { before: current.participants, after: list };
    }
  }
  const contentChanged = 'content' in changes;
  return {
    changes,
    participants,
    added,
    removed,
    contentChanged,
    notify: added.length > 0 || contentChanged ? (patch.notify ?? 'none') : 'none',
  };
}
