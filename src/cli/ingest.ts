// `touchmail ingest FILE.eml` and `touchmail resolve FILE.eml`: one message, as SMTP would take it
// (ingest: stored durably, then processed) or as a dry run (resolve: nothing stored or sent).
import { ingestMessage, NoWorkspaceError, resolveMessage } from '../app/ingest-message.js';
import { defaultDependencies, type RawMessage } from '../app/dependencies.js';
import { normalizeEmail } from '../domain/address.js';
import type { Outcome } from '../domain/outcome.js';
import type { CommandContext } from './context.js';
import { inputName, readInput } from './read-input.js';

export interface MessageOptions {
  readonly rcpt?: string;
  readonly mailFrom?: string;
  readonly json?: boolean;
}

export async function ingestCommand(
  context: CommandContext,
  file: string,
  options: MessageOptions,
  mode: 'ingest' | 'resolve',
): Promise<number> {
  const message = await readMessage(file, options);
  if (typeof message === 'string') {
    process.stderr.write(`touchmail ${mode}: ${message}\n`);
    return 1;
  }
  const deps = defaultDependencies(
    context.store,
    context.config.maxMessageBytes,
    context.config.smtp.hostname,
    context.config.dnsServers,
  );
  let outcome: Outcome & { readonly inboundId: string | null };
  try {
    // The outcome object names its inbound-log entry (INTERFACE.md); a dry run stores none.
    outcome =
      mode === 'ingest'
        ? await ingestMessage(deps, message, 'cli').then((r) => ({ inboundId: r.inboundId, ...r.outcome }))
        : { inboundId: null, ...(await resolveMessage(deps, message)) };
  } catch (error) {
    if (!(error instanceof NoWorkspaceError)) throw error;
    process.stderr.write(`touchmail ${mode}: ${error.message}\n`);
    return 1;
  }
  process.stdout.write(options.json === true ? `${JSON.stringify(outcome)}\n` : describeOutcome(outcome));
  return 0;
}

async function readMessage(file: string, options: MessageOptions): Promise<RawMessage | string> {
  const rcpt = options.rcpt === undefined ? null : normalizeEmail(options.rcpt);
  if (options.rcpt !== undefined && rcpt === null)
    return `--rcpt ${JSON.stringify(options.rcpt)} is not an email address`;
  let mailFrom: string | null = null;
  if (options.mailFrom !== undefined) {
    const bare = options.mailFrom.trim().replace(/^<|>$/g, '');
    mailFrom = bare === '' ? '' : normalizeEmail(bare);
    if (mailFrom === null)
      return `--mail-from ${JSON.stringify(options.mailFrom)} is not an email address (use "<>" for the null sender)`;
  }
  const raw = await readInput(file);
  if (raw.byteLength === 0) return `${inputName(file)} is empty`;
  return { raw, envelope: { mailFrom, rcptTo: rcpt === null ? [] : [rcpt] } };
}

function describeOutcome(outcome: Outcome): string {
  const lines = [
    `${outcome.status}${outcome.reason === null ? '' : `: ${outcome.reason}`}` +
      (outcome.accountId === null ? '' : ` on account ${outcome.accountId}`) +
      (outcome.touchpointId === null ? '' : ` (touchpoint ${outcome.touchpointId})`),
    `  workspace ${outcome.workspaceId}, scenario ${outcome.scenario ?? '-'}, subject ${JSON.stringify(outcome.subject ?? '')}`,
  ];
  if (outcome.candidates.length > 0) lines.push(`  candidates: ${outcome.candidates.join(', ')}`);
  for (const p of outcome.participants)
    lines.push(
      `  ${p.side === 'internal' ? 'internal' : 'external'}  ${p.name === '' ? p.email : `${p.name} <${p.email}>`}`,
    );
  lines.push('  why:');
  for (const entry of outcome.trace) lines.push(`    ${entry.step}: ${entry.detail}`);
  return `${lines.join('\n')}\n`;
}
