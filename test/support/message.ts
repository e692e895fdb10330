// Builds ParsedMessage values for table tests of the pure rules.
import { parseAddressList } from '../../src/domain/address.js';
import type { ForwardedMessage, ParsedMessage } from '../../src/domain/message.js';

export interface MessageSpec {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  text?: string;
  headers?: Record<string, string>;
  contentType?: string;
  forwarded?: { from?: string; to?: string; cc?: string; source?: 'attached' | 'inline' }[];
  attachments?: { filename: string; mimeType: string }[];
}

export function message(spec: MessageSpec): ParsedMessage {
  const forwarded = (spec.forwarded ?? []).map((f): ForwardedMessage => ({
    source: f.source ?? 'inline',
    from: parseAddressList(f.from ?? ''),
    to: parseAddressList(f.to ?? ''),
    cc: parseAddressList(f.cc ?? ''),
    subject: 'Forwarded',
    date: '2026-11-19T15:04:00.000Z',
    dateText: 'Thu, Nov 19, 2026 at 3:04 PM',
    assumedZone: { offset: '+00:00', from: 'forwarder' },
    messageId: null,
    text: 'forwarded text',
    note: null,
  }));
  return {
    from: parseAddressList(spec.from ?? 'Jill Hart <jill@acme.com>')[0] ?? null,
    to: parseAddressList(spec.to ?? ''),
    cc: parseAddressList(spec.cc ?? ''),
    deliveredTo: [],
    subject: spec.subject ?? 'Subject',
    messageId: 'm1@acme.com',
    date: '2026-11-19T15:04:05.000Z',
    headers: new Map(Object.entries(spec.headers ?? {}).map(([k, v]) => [k.toLowerCase(), [v]])),
    contentType: spec.contentType ?? 'text/plain',
    text: spec.text ?? 'Some text.',
    visibleText: null,
    html: null,
    attachments: (spec.attachments ?? []).map((a) => ({ ...a, size: 10 })),
    forwarded,
  };
}
