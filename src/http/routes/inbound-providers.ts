// Inbound-parse payloads of mail providers → raw message + envelope. Each provider is configured to hand
// over the full raw MIME (SendGrid "POST the raw, full MIME message", Mailgun forward to a URL ending in
// /mime, Postmark "include raw email content", SES receipt rule → SNS with the message content).
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';

export type ProviderName = 'sendgrid' | 'mailgun' | 'postmark' | 'ses';

export type ProviderPayload =
  | {
      readonly kind: 'message';
      readonly raw: Buffer;
      readonly mailFrom: string | null;
      readonly rcptTo: readonly string[];
    }
  /** Nothing to store, answered 2xx so the provider does not retry (an SNS subscription confirmation). */
  | { readonly kind: 'acknowledge'; readonly detail: string };

export async function parseProviderPayload(
  provider: ProviderName,
  request: FastifyRequest,
): Promise<ProviderPayload> {
  switch (provider) {
    case 'sendgrid': {
      const fields = await formFields(request);
      const raw = required(
        fields,
        'email',
        'SendGrid Inbound Parse must post the raw MIME message ("email" field)',
      );
      const envelope = jsonObject(fields.get('envelope') ?? '{}', 'envelope');
      return {
        kind: 'message',
        raw: Buffer.from(raw, 'utf8'),
        mailFrom: stringOr(envelope.from),
        rcptTo: stringList(envelope.to),
      };
    }
    case 'mailgun': {
      const fields = await formFields(request);
      const raw = required(
        fields,
        'body-mime',
        'Mailgun must forward the MIME message ("body-mime": a route forwarding to …/mime)',
      );
      const rcpt = fields.get('recipient');
      return {
        kind: 'message',
        raw: Buffer.from(raw, 'utf8'),
        mailFrom: fields.get('sender') ?? null,
        rcptTo: rcpt === undefined ? [] : rcpt.split(',').map((r) => r.trim()),
      };
    }
    case 'postmark': {
      const body = bodyObject(request.body);
      const raw = stringOr(body.RawEmail);
      if (raw === null)
        throw new HttpError(
          'bad-request',
          'Postmark must include the raw email content in the JSON payload ("RawEmail")',
        );
      const rcpt = stringOr(body.OriginalRecipient);
      return {
        kind: 'message',
        raw: Buffer.from(raw, 'utf8'),
        mailFrom: stringOr(body.From),
        rcptTo: rcpt === null ? [] : [rcpt],
      };
    }
    case 'ses': {
      const envelope = bodyObject(
        typeof request.body === 'string' ? jsonObject(request.body, 'body') : request.body,
      );
      if (envelope.Type === 'SubscriptionConfirmation') {
        request.log.warn(
          { subscribeUrl: envelope.SubscribeURL, topic: envelope.TopicArn },
          'SNS subscription to confirm: open SubscribeURL',
        );
        return {
          kind: 'acknowledge',
          detail: `Confirm the SNS subscription by opening ${String(envelope.SubscribeURL)}`,
        };
      }
      if (envelope.Type !== 'Notification')
        throw new HttpError('bad-request', 'Expected an SNS Notification');
      const notification = jsonObject(stringOr(envelope.Message) ?? '', 'Message');
      if (notification.notificationType !== 'Received')
        return {
          kind: 'acknowledge',
          detail: `SES ${String(notification.notificationType)} notification ignored`,
        };
      const content = stringOr(notification.content);
      if (content === null)
        throw new HttpError('bad-request', 'The SES receipt rule must publish the message content to SNS');
      const mail = bodyObject(notification.mail);
      const receipt = bodyObject(notification.receipt);
      // The SNS action encodes the content as UTF-8 or as Base64, as configured.
      const raw = /^[A-Za-z0-9+/=\r\n]+$/.test(content)
        ? Buffer.from(content, 'base64')
        : Buffer.from(content, 'utf8');
      return {
        kind: 'message',
        raw,
        mailFrom: stringOr(mail.source),
        rcptTo: stringList(receipt.recipients),
      };
    }
  }
}

/** Text fields of a multipart or urlencoded form; uploaded files are drained (the MIME holds them). */
async function formFields(request: FastifyRequest): Promise<Map<string, string>> {
  const fields = new Map<string, string>();
  if (request.isMultipart()) {
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') await part.toBuffer();
        else if (typeof part.value === 'string') fields.set(part.fieldname, part.value);
      }
    } catch (error) {
      // The multipart plugin's limits carry their status (413); anything else busboy throws is a body
      // that is not well-formed multipart (RFC 7578), e.g. cut off before its closing boundary.
      if (typeof error === 'object' && error !== null && 'statusCode' in error) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new HttpError('bad-request', `The multipart body is malformed: ${reason}.`);
    }
    return fields;
  }
  for (const [key, value] of Object.entries(bodyObject(request.body)))
    if (typeof value === 'string') fields.set(key, value);
  return fields;
}

function required(fields: Map<string, string>, name: string, message: string): string {
  const value = fields.get(name);
  if (value === undefined || value === '') throw new HttpError('bad-request', message);
  return value;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError('bad-request', 'Expected a JSON object or a form');
  return Object.fromEntries(Object.entries(body));
}

function jsonObject(text: string, what: string): Record<string, unknown> {
  try {
    return bodyObject(JSON.parse(text));
  } catch {
    throw new HttpError('bad-request', `${what} is not a JSON object`);
  }
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
