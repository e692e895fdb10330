// A workspace's Salesforce settings (SPEC §8): validation of what an admin sends, sealing of secrets,
// the view the API shows (secrets only as `configured`), and the credentials the sync logs in with.
import {
  DEFAULT_FIELD_MAPPING,
  isApiVersion,
  mappingProblems,
  type TaskFieldMapping,
} from '../../domain/salesforce-task.js';
import { salesforceUrlProblem } from '../../domain/salesforce-host.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { SalesforceSettingsRow, SalesforceSettingsTable } from '../../store/schema.js';

export const AUTH_FLOWS = ['client-credentials', 'username-password'] as const;
export type AuthFlow = (typeof AUTH_FLOWS)[number];

const SECRET_FIELDS = ['clientSecret', 'password', 'securityToken'] as const;
type SecretField = (typeof SECRET_FIELDS)[number];
const COLUMN_OF: Record<SecretField, 'client_secret' | 'password' | 'security_token'> = {
  clientSecret: 'client_secret',
  password: 'password',
  securityToken: 'security_token',
};

/** What an admin sends (PUT). A secret left out keeps the stored one; null removes it. */
export interface SettingsInput {
  readonly enabled: boolean;
  readonly authFlow: AuthFlow;
  readonly loginUrl: string;
  readonly apiVersion: string;
  readonly clientId: string | null;
  readonly username: string | null;
  readonly clientSecret?: string | null;
  readonly password?: string | null;
  readonly securityToken?: string | null;
  readonly externalIdField: string;
  readonly fieldMapping?: Partial<TaskFieldMapping>;
  readonly pauseBelowShare: number;
}

/** What the API shows: never a secret, only whether it is set. */
export interface SettingsView {
  readonly enabled: boolean;
  readonly authFlow: AuthFlow;
  readonly loginUrl: string;
  readonly apiVersion: string;
  readonly clientId: string | null;
  readonly username: string | null;
  readonly clientSecret: { readonly configured: boolean };
  readonly password: { readonly configured: boolean };
  readonly securityToken: { readonly configured: boolean };
  readonly externalIdField: string;
  readonly fieldMapping: TaskFieldMapping;
  readonly pauseBelowShare: number;
  readonly paused: { readonly until: string; readonly reason: string } | null;
  readonly updatedAt: string | null;
}

/** The credentials a connection is opened with (secrets opened). */
export interface Credentials {
  readonly authFlow: AuthFlow;
  readonly loginUrl: string;
  readonly apiVersion: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string | null;
  /** Password with the security token appended, as Salesforce expects it. */
  readonly password: string | null;
}

export const DEFAULT_SETTINGS_VIEW: SettingsView = Object.freeze({
  enabled: false,
  authFlow: 'client-credentials',
  loginUrl: 'https://login.salesforce.com',
  apiVersion: '62.0',
  clientId: null,
  username: null,
  clientSecret: { configured: false },
  password: { configured: false },
  securityToken: { configured: false },
  externalIdField: 'Touchmail_Id__c',
  fieldMapping: DEFAULT_FIELD_MAPPING,
  pauseBelowShare: 0.1,
  paused: null,
  updatedAt: null,
});

export function settingsView(row: SalesforceSettingsRow | null, now: Date): SettingsView {
  if (row === null) return DEFAULT_SETTINGS_VIEW;
  return {
    enabled: row.enabled === 1,
    authFlow: row.auth_flow === 'username-password' ? 'username-password' : 'client-credentials',
    loginUrl: row.login_url,
    apiVersion: row.api_version,
    clientId: row.client_id,
    username: row.username,
    clientSecret: { configured: row.client_secret !== null },
    password: { configured: row.password !== null },
    securityToken: { configured: row.security_token !== null },
    externalIdField: row.external_id_field,
    fieldMapping: fieldMappingOf(row),
    pauseBelowShare: Number(row.pause_below_share),
    paused:
      row.paused_until !== null && row.paused_until > now.toISOString()
        ? { until: row.paused_until, reason: row.pause_reason ?? '' }
        : null,
    updatedAt: row.updated_at,
  };
}

export function fieldMappingOf(row: SalesforceSettingsRow): TaskFieldMapping {
  const parsed: unknown = JSON.parse(row.field_mapping);
  const mapping: Record<string, string> = { ...DEFAULT_FIELD_MAPPING };
  if (typeof parsed === 'object' && parsed !== null)
    for (const [key, value] of Object.entries(parsed))
      if (key in DEFAULT_FIELD_MAPPING && typeof value === 'string') mapping[key] = value;
  return {
    subject: mapping.subject ?? DEFAULT_FIELD_MAPPING.subject,
    description: mapping.description ?? DEFAULT_FIELD_MAPPING.description,
    activityDate: mapping.activityDate ?? DEFAULT_FIELD_MAPPING.activityDate,
    type: mapping.type ?? DEFAULT_FIELD_MAPPING.type,
    status: mapping.status ?? DEFAULT_FIELD_MAPPING.status,
  };
}

/** The seal's context: a sealed value only opens in its own workspace and field. */
function contextOf(workspaceId: string, field: SecretField): string {
  return `salesforce:${workspaceId}:${field}`;
}

export type SettingsResult =
  | { readonly ok: true; readonly row: SalesforceSettingsTable }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * The row to store for `input` over `before`: validated (an enabled sync must be able to log in, and only
 * at Salesforce), secrets sealed. Saving lifts a pause: the admin changed something, so the next attempt checks again.
 */
export function settingsRow(
  workspaceId: string,
  input: SettingsInput,
  before: SalesforceSettingsRow | null,
  box: SecretBox,
  now: Date,
  /** Hosts besides Salesforce's the login URL may name (TOUCHMAIL_SALESFORCE_EXTRA_HOSTS). */
  extraHosts: readonly string[],
): SettingsResult {
  const problems: string[] = [];
  const loginUrl = normalizeLoginUrl(input.loginUrl, extraHosts);
  if (typeof loginUrl !== 'string') problems.push(`loginUrl: ${loginUrl.problem}`);
  if (!isApiVersion(input.apiVersion))
    problems.push(`apiVersion: "${input.apiVersion}" is not an API version like 62.0`);
  const mapping: TaskFieldMapping = { ...DEFAULT_FIELD_MAPPING, ...input.fieldMapping };
  problems.push(...mappingProblems(mapping, input.externalIdField));
  if (!(input.pauseBelowShare >= 0 && input.pauseBelowShare < 1))
    problems.push('pauseBelowShare: expected a share from 0 (never pause) to below 1, like 0.1');

  const secrets: Record<SecretField, string | null> = {
    clientSecret: before?.client_secret ?? null,
    password: before?.password ?? null,
    securityToken: before?.security_token ?? null,
  };
  for (const field of SECRET_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    secrets[field] = value === null || value === '' ? null : box.seal(value, contextOf(workspaceId, field));
  }
  const clientId = blankToNull(input.clientId);
  const username = blankToNull(input.username);
  if (input.enabled) {
    if (clientId === null)
      problems.push('clientId: required to enable the sync (the connected app’s consumer key)');
    if (secrets.clientSecret === null)
      problems.push('clientSecret: required to enable the sync (the connected app’s consumer secret)');
    if (input.authFlow === 'username-password') {
      if (username === null) problems.push('username: required for the username-password flow');
      if (secrets.password === null) problems.push('password: required for the username-password flow');
    }
  }
  if (problems.length > 0 || typeof loginUrl !== 'string') return { ok: false, problems };
  const at = now.toISOString();
  return {
    ok: true,
    row: {
      workspace_id: workspaceId,
      enabled: input.enabled ? 1 : 0,
      auth_flow: input.authFlow,
      login_url: loginUrl,
      api_version: input.apiVersion,
      client_id: clientId,
      client_secret: secrets.clientSecret,
      username,
      password: secrets.password,
      security_token: secrets.securityToken,
      external_id_field: input.externalIdField,
      field_mapping: JSON.stringify(mapping),
      pause_below_share: input.pauseBelowShare,
      paused_until: null,
      pause_reason: null,
      created_at: before?.created_at ?? at,
      updated_at: at,
    },
  };
}

/** The secret fields an input changes (for the audit entry, which never holds their values). */
export function changedSecrets(input: SettingsInput): string[] {
  return SECRET_FIELDS.filter((field) => input[field] !== undefined);
}

/** Opens the stored secrets into credentials; null when the settings cannot log in. */
export function credentialsOf(row: SalesforceSettingsRow, box: SecretBox): Credentials | null {
  const open = (field: SecretField) => {
    const sealed = row[COLUMN_OF[field]];
    return sealed === null ? null : box.open(sealed, contextOf(row.workspace_id, field));
  };
  const clientSecret = open('clientSecret');
  if (row.client_id === null || clientSecret === null) return null;
  const flow: AuthFlow = row.auth_flow === 'username-password' ? 'username-password' : 'client-credentials';
  const password = flow === 'username-password' ? open('password') : null;
  if (flow === 'username-password' && (row.username === null || password === null)) return null;
  return {
    authFlow: flow,
    loginUrl: row.login_url,
    apiVersion: row.api_version,
    clientId: row.client_id,
    clientSecret,
    username: row.username,
    password: password === null ? null : `${password}${open('securityToken') ?? ''}`,
  };
}

/**
 * The login URL as an origin: https on Salesforce's own domains, or a host the operator allows
 * (`extraHosts`, TOUCHMAIL_SALESFORCE_EXTRA_HOSTS). Lightning URLs are not API hosts.
 */
function normalizeLoginUrl(raw: string, extraHosts: readonly string[]): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { problem: `"${raw}" is not a URL` };
  }
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.pathname !== '/'
  )
    return { problem: 'expected the site only, without a path, query or credentials' };
  if (url.hostname.endsWith('.lightning.force.com'))
    return { problem: 'a Lightning URL is not an API host: use the My Domain URL (…my.salesforce.com)' };
  const problem = salesforceUrlProblem(url, extraHosts);
  if (problem !== null)
    return {
      problem: `${problem}; expected https://login.salesforce.com, https://test.salesforce.com or your My Domain URL`,
    };
  return url.origin;
}

function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value.trim();
}
