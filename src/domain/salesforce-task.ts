// The Salesforce Task a touchpoint becomes (SPEC §9), and the rules for what settings may name: pure,
// no I/O. Field names and ids go into URLs and SOQL, so each is validated or quoted here.

/** Which Task field receives each part of a touchpoint (configurable per workspace). */
export interface TaskFieldMapping {
  readonly subject: string;
  readonly description: string;
  readonly activityDate: string;
  readonly type: string;
  readonly status: string;
}

export const DEFAULT_FIELD_MAPPING: TaskFieldMapping = Object.freeze({
  subject: 'Subject',
  description: 'Description',
  activityDate: 'ActivityDate',
  type: 'Type',
  status: 'Status',
});

export const MAPPED_PARTS = ['subject', 'description', 'activityDate', 'type', 'status'] as const;

/** Task.Subject holds 255 characters, Task.Description 32,000 (Salesforce field limits). */
export const SUBJECT_MAX = 255;
export const DESCRIPTION_MAX = 32_000;

/** A field API name: letters, digits and single underscores, optionally `ns__` in front and `__c` after. */
const WORD = '[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*';
const FIELD_NAME = new RegExp(`^(?:${WORD}__)?${WORD}(?:__c)?$`);
const CUSTOM_FIELD_NAME = new RegExp(`^(?:${WORD}__)?${WORD}__c$`);

export function isFieldApiName(name: string): boolean {
  return name.length <= 80 && FIELD_NAME.test(name);
}

/** The external-id field must be a custom field (standard Task fields cannot be external ids). */
export function isCustomFieldApiName(name: string): boolean {
  return name.length <= 80 && CUSTOM_FIELD_NAME.test(name);
}

/** `62.0`: the REST API version in the URL. */
export function isApiVersion(version: string): boolean {
  const match = /^(\d{2,3})\.0$/.exec(version);
  return match !== null && Number(match[1]) >= 31;
}

/** A Salesforce record id: 15 or 18 letters and digits. */
export function isSalesforceId(id: string): boolean {
  return /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id);
}

/** Problems with a field mapping and external-id field, in plain words; empty when valid. */
export function mappingProblems(mapping: TaskFieldMapping, externalIdField: string): string[] {
  const problems: string[] = [];
  if (!isCustomFieldApiName(externalIdField))
    problems.push(
      `externalIdField: "${externalIdField}" is not a custom field API name (like Touchmail_Id__c)`,
    );
  const seen = new Map<string, string>();
  const reserved = new Set(['id', 'whatid', 'whoid', externalIdField.toLowerCase()]);
  for (const part of MAPPED_PARTS) {
    const field = mapping[part];
    if (!isFieldApiName(field)) problems.push(`fieldMapping.${part}: "${field}" is not a field API name`);
    else if (reserved.has(field.toLowerCase()))
      problems.push(`fieldMapping.${part}: ${field} is set by the sync itself`);
    const other = seen.get(field.toLowerCase());
    if (other !== undefined) problems.push(`fieldMapping.${part}: ${field} is already used for ${other}`);
    seen.set(field.toLowerCase(), part);
  }
  return problems;
}

export interface TaskSource {
  readonly touchpointId: string;
  readonly subject: string;
  readonly content: string;
  /** ISO-8601. */
  readonly occurredAt: string;
  readonly participants: readonly {
    readonly email: string;
    readonly name: string;
    readonly side: 'internal' | 'external';
  }[];
  /** The account's `salesforceAccountId` attribute, when it has one. */
  readonly salesforceAccountId: string | null;
}

export type TaskDraft =
  | {
      readonly ok: true;
      readonly record: Readonly<Record<string, string>>;
      readonly contactEmail: string | null;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * The Task record (without WhoId, which needs a lookup: `contactEmail` says whose Contact to find).
 * A touchpoint whose account has no Salesforce id cannot be written anywhere: a permanent reason.
 */
export function taskDraft(source: TaskSource, mapping: TaskFieldMapping, externalIdField: string): TaskDraft {
  if (source.salesforceAccountId === null)
    return { ok: false, reason: 'the account has no salesforceAccountId' };
  if (!isSalesforceId(source.salesforceAccountId))
    return {
      ok: false,
      reason: `the account's salesforceAccountId "${source.salesforceAccountId}" is not a Salesforce id`,
    };
  const contact = source.participants.find((p) => p.side === 'external');
  return {
    ok: true,
    record: {
      [externalIdField]: source.touchpointId,
      WhatId: source.salesforceAccountId,
      [mapping.subject]: truncate(source.subject === '' ? '(no subject)' : source.subject, SUBJECT_MAX),
      [mapping.description]: description(source),
      [mapping.activityDate]: source.occurredAt.slice(0, 10),
      [mapping.type]: 'Email',
      [mapping.status]: 'Completed',
    },
    contactEmail: contact !== undefined && isQueryableEmail(contact.email) ? contact.email : null,
  };
}

/** Content, then the participants; the list is kept whole and the content shortened when too long. */
function description(source: TaskSource): string {
  const people = source.participants.map(
    (p) => `- ${p.name === '' ? p.email : `${p.name} <${p.email}>`} (${p.side})`,
  );
  const tail = people.length === 0 ? '' : `\n\nParticipants:\n${people.join('\n')}`;
  const room = Math.max(0, DESCRIPTION_MAX - tail.length);
  return truncate(`${truncate(source.content, room)}${tail}`, DESCRIPTION_MAX);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? text.slice(0, max) : `${text.slice(0, max - 1)}…`;
}

/** An address worth a Contact lookup: bounded and free of control characters. */
function isQueryableEmail(email: string): boolean {
  // eslint-disable-next-line no-control-regex
  return email.length <= 254 && email.includes('@') && !/[\u0000-\u001f\u007f]/.test(email);
}

/**
 * A SOQL string literal. Participant addresses are hostile input: backslash first, then quotes and the
 * escapes SOQL knows (`\n \r \t \b \f \" \'`), so nothing can end the literal.
 */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${c}`;
    }
  });
  return `'${escaped}'`;
}

/** The query for the Contact behind an address (the oldest, when several share it). */
export function contactQuery(email: string): string {
  return `SELECT Id FROM Contact WHERE Email = ${soqlString(email)} ORDER BY CreatedDate ASC LIMIT 1`;
}
