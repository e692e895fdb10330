// A workspace's privacy rules (SPEC §11), pure: the never-log list and what matches it, the storage
// mode, and when retention lets a stored thing go.
import { domainOf, isSameOrSubdomain, normalizeDomain, normalizeEmail, type Email } from './address.js';
import type { Outcome } from './outcome.js';
import type { Classification } from './scenario.js';
import type { TouchpointDraft } from './touchpoint.js';

/** `full` keeps everything of a recorded mail; `no-body` keeps its headline and decision only. */
export const STORAGE_MODES = ['full', 'no-body'] as const;
export type StorageMode = (typeof STORAGE_MODES)[number];

export interface PrivacySettings {
  /** Normalized addresses (`ceo@globex.com`) and domains (`legal.globex.com`: subdomains included). */
  readonly neverLog: readonly string[];
  readonly storage: StorageMode;
  /** Days a raw message is kept after it was processed; null keeps it. */
  readonly rawRetentionDays: number | null;
  /** Days an inbound entry that recorded nothing is kept after it was processed; null keeps it. */
  readonly inboundRetentionDays: number | null;
}

export const DEFAULT_PRIVACY: PrivacySettings = Object.freeze({
  neverLog: [],
  storage: 'full',
  rawRetentionDays: null,
  inboundRetentionDays: null,
});

/**
 * A never-log entry normalized as addresses are everywhere (SPEC §1: case, NFC, punycode): an address
 * when it holds an `@` (a leading `@` only marks a domain), else a domain; null when it is neither.
 */
export function normalizeNeverLogEntry(raw: string): string | null {
  const text = raw.trim();
  const at = text.lastIndexOf('@');
  if (at > 0) return normalizeEmail(text);
  const domain = normalizeDomain(at === 0 ? text.slice(1) : text);
  // A domain needs a dot: a bare label ("com", "globex") would be a typo that silences whole TLDs or none.
  return domain !== null && domain.includes('.') ? domain : null;
}

/** Whether `address` is on the list: itself, or its domain equal to or under a listed domain. */
export function isListed(address: Email, neverLog: readonly string[]): boolean {
  const domain = domainOf(address);
  return neverLog.some((entry) =>
    entry.includes('@') ? entry === address : isSameOrSubdomain(domain, entry),
  );
}

/**
 * Whether a classified message has an external participant on the list (SPEC §11): the external
 * participants of S3 and S2 (a forward's own participants included), and for a meeting note (S1) the
 * external addresses of its subject, which stand for its participants.
 */
export function isNeverLogged(classification: Classification, neverLog: readonly string[]): boolean {
  if (neverLog.length === 0) return false;
  const external = [
    ...classification.participants.filter((p) => p.side === 'external').map((p) => p.email),
    ...classification.customerAddresses,
  ];
  return external.some((address) => isListed(address, neverLog));
}

/** A touchpoint as `no-body` storage keeps it (SPEC §11): no body text, HTML or attachments (names either). */
export function withoutBody(draft: TouchpointDraft): TouchpointDraft {
  return { ...draft, contentText: '', contentVisible: null, contentHtml: null, attachments: [] };
}

/**
 * What becomes of a processed message's raw bytes: `forget` (never-log: the bytes and what was derived
 * from them), `delete` (`no-body`: SPEC §11 deletes it "as soon as it is processed", whatever the
 * outcome — a failed one can then be assigned or retried no more, which the settings page says), or
 * `keep`. A message that could not be processed at all (`unprocessable`) keeps its bytes even under
 * `no-body`: the rules never ran, and SPEC §10 keeps it for retry after an upgrade.
 */
export function rawAfterOutcome(
  outcome: Pick<Outcome, 'status' | 'reason'>,
  noBody: boolean,
): 'forget' | 'delete' | 'keep' {
  if (outcome.reason === 'never-log') return 'forget';
  return noBody && outcome.reason !== 'unprocessable' ? 'delete' : 'keep';
}

/** Before this instant, what was processed has outlived `days`; null when nothing expires. */
export function retentionCutoff(days: number | null, now: Date): Date | null {
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}

const DAY_MS = 86_400_000;

/**
 * The trace line of a never-logged message: the one thing its inbound entry says of it. It names no
 * address (the listed participant would be kept by naming it).
 */
export const NEVER_LOG_TRACE =
  'An external participant is on the workspace’s never-log list: nothing of the message is kept (SPEC §11).';

/** What stands for an erased address wherever a kept record held it (INTERFACE.md). */
export const ERASED = '[erased]';

function addressPattern(address: Email): RegExp {
  return new RegExp(address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
}

/** Whether `text` holds the address, in any casing. */
export function mentions(text: string, address: Email): boolean {
  return addressPattern(address).test(text);
}

/** `text` with every occurrence of the address, in any casing, replaced by `[erased]`. */
export function redact(text: string, address: Email): string {
  return text.replace(addressPattern(address), ERASED);
}
