// Our own reader of a forwarded message's header block in plain text, for the forms email-forward-parser
// does not read (issue 17): values wrapped over several lines, Outlook's `Name (addr)` and
// `Name [mailto:addr]`, bold labels (`*From:*`), quoted (`>`) blocks, blocks without a separator line,
// and the clients of Russian (Mail.ru, Yandex), Chinese (QQ Mail, 163/NetEase, Foxmail, Outlook zh),
// Japanese and Korean. Pure: text in, block out. Linear in the text: each line is read a bounded number
// of times.
import type { NamedAddress } from '../domain/address.js';
import { MAX_MAILBOX_CHARS, readMailboxList } from './forward-mailboxes.js';

/** A forwarded header block as read: its fields and the forwarded text under it. */
export interface ForwardBlock {
  readonly from: readonly NamedAddress[];
  readonly to: readonly NamedAddress[];
  readonly cc: readonly NamedAddress[];
  readonly subject: string | null;
  /** The date as written, in the client's language; read by localized-date.ts. */
  readonly date: string | null;
  readonly body: string;
  /** The text above the block (the forwarder's own words), trimmed. */
  readonly note: string;
  /** Whether a separator line ("-------- Forwarded Message --------") announced the block. */
  readonly separated: boolean;
}

type Field = 'from' | 'to' | 'cc' | 'subject' | 'date' | 'other';

/**
 * Header labels → field, lower-case, in the languages of the clients we read: those of
 * email-forward-parser's corpus (Apple Mail, Gmail, Outlook, Thunderbird, Yahoo in 20+ languages), and
 * Russian (Mail.ru: "От кого", "Кому"), Chinese (QQ Mail, 163, Foxmail, Outlook zh), Japanese, Korean.
 */
const LABELS: ReadonlyMap<string, Field> = new Map(
  (
    [
      [
        'from',
        'from von de da van fra från od lähettäjä šalje feladó expeditorul отправитель kimden saatja gönderen от від mittente nadawca 送信元 发件人 寄件者 寄件人 发信人 差出人 送信者 보낸사람 발신자 발신',
        ['de la', 'від кого', 'от кого', '보낸 사람'],
      ],
      [
        'to',
        'to an para vastaanottaja à a prima címzett aan do destinatarul кому pre till til kime pour adresat către 送信先 收件人 收件者 收信人 宛先 受信者 받는사람 수신자 수신',
        ['받는 사람'],
      ],
      [
        'cc',
        'cc kopie kopio másolat kopi dw копия kopia bilgi копія kópia 抄送 抄送人 副本 cc先 참조',
        ['másolatot kap', 'kopie (cc)', 'copie à'],
      ],
      [
        'subject',
        'subject předmět emne betreff asunto aihe objet predmet tárgy oggetto onderwerp temat assunto subiectul subiect тема ämne konu sujet naslov 件名 主题 主旨 標題 제목',
        [],
      ],
      [
        'date',
        'date datum dato envoyé fecha päivämäärä dátum data dată дата tarih sent päiväys sendt gesendet enviado lähetetty elküldve inviato verzonden wysłano trimis отправлено odoslané skickat gönderilen відправлено 日付 日時 送信日時 发送时间 發送時間 寄件日期 发送日期 日期 时间 時間 날짜',
        ['보낸 날짜'],
      ],
      ['other', 'bcc reply-to importance 重要性 priority', ['antwort an', 'répondre à', 'responder a']],
    ] as const
  ).flatMap(([field, words, phrases]) =>
    [...words.split(' '), ...phrases].map((label): [string, Field] => [label, field]),
  ),
);

/**
 * The words of separator lines ("---------- Forwarded message ---------", "-----Original Message-----",
 * "-------- Пересылаемое сообщение --------", "------------------ 原始邮件 ------------------"), once the
 * dashes, underscores, quote marks and a trailing colon are taken off, lower-case.
 */
const SEPARATORS: ReadonlySet<string> = new Set([
  'forwarded message',
  'original message',
  'begin forwarded message',
  'weitergeleitete nachricht',
  'ursprüngliche nachricht',
  'anfang der weitergeleiteten nachricht',
  'message transféré',
  'message transmis',
  'message d’origine',
  "message d'origine",
  'début du message réexpédié',
  'début du message transféré',
  'mensaje reenviado',
  'mensaje original',
  'inicio del mensaje reenviado',
  'messaggio inoltrato',
  'messaggio originale',
  'inizio messaggio inoltrato',
  'doorgestuurd bericht',
  'oorspronkelijk bericht',
  'mensagem encaminhada',
  'mensagem reencaminhada',
  'mensagem original',
  'vidarebefordrat meddelande',
  'ursprungligt meddelande',
  'videresendt meddelelse',
  'videresendt melding',
  'oprindelig meddelelse',
  'opprinnelig melding',
  'edelleenlähetetty viesti',
  'alkuperäinen viesti',
  'przekazana wiadomość',
  'wiadomość przesłana dalej',
  'oryginalna wiadomość',
  'přeposlaná zpráva',
  'původní zpráva',
  'továbbított üzenet',
  'eredeti üzenet',
  'iletilmiş mesaj',
  'özgün ileti',
  'пересылаемое сообщение',
  'пересланное сообщение',
  'перенаправленное сообщение',
  'исходное сообщение',
  'начало переадресованного сообщения',
  'переслане повідомлення',
  'перенаправлене повідомлення',
  '原始邮件',
  '原始郵件',
  '转发邮件信息',
  '转发邮件',
  '轉寄郵件',
  '转发的邮件',
  '原始消息',
  '転送メッセージ',
  '転送されたメッセージ',
  'メッセージを転送',
  '元のメッセージ',
  '전달된 메시지',
  '전달 메시지',
  '원본 메시지',
  '원래 메시지',
]);

/** A label sits at the head of its line: no label in any language is longer. */
const MAX_LABEL_CHARS = 24;
/** Blank lines allowed between a separator line and the block under it. */
const MAX_BLANKS_AFTER_SEPARATOR = 3;

interface Line {
  /** `>` quote marks before the text (RFC 3676 §4.5 quote depth). */
  readonly depth: number;
  /** The text after the quote marks and the spaces that follow them. */
  readonly text: string;
  /** Whether the text was indented (a folded value, RFC 5322 §2.2.3). */
  readonly indented: boolean;
}

interface HeaderLine {
  readonly field: Field;
  readonly value: string;
}

/** The first forwarded header block of `text`, or null when it holds none. */
export function readForwardBlock(text: string): ForwardBlock | null {
  const lines = text.split(/\r?\n/).map(lineOf);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line.text === '') continue;
    if (isSeparator(line.text)) {
      let j = i + 1;
      while (j < lines.length && j - i <= MAX_BLANKS_AFTER_SEPARATOR && lines[j]?.text === '') j++;
      const run = headerRun(lines, j);
      if (run.fields.has('from')) return block(lines, run, i);
      const attributed = attribution(lines, j, i);
      if (attributed !== null) return attributed;
      i = Math.max(i, run.end - 1);
      continue;
    }
    if (headerOf(line.text) === null) continue;
    const run = headerRun(lines, i);
    // Without a separator, a header block is one only with a sender's address and a second field:
    // a lone "From: the team" line in a note is no forward.
    if (run.fields.has('from') && run.fields.size > 1 && run.values.from.length > 0)
      return block(lines, run, null);
    i = Math.max(i, run.end - 1);
  }
  return null;
}

interface Run {
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly fields: ReadonlySet<Field>;
  readonly values: {
    readonly from: readonly NamedAddress[];
    readonly to: readonly NamedAddress[];
    readonly cc: readonly NamedAddress[];
    readonly subject: string | null;
    readonly date: string | null;
  };
}

/**
 * The header lines from `start` on, at one quote depth, with the lines that continue a value: a folded
 * (indented) line, or, for an address field, a line that completes an address left open
 * ("International Thing of Thing Stuff <" / "j.thing@example.com>") or brings one more.
 */
function headerRun(lines: readonly Line[], start: number): Run {
  const first = lines[start];
  const raw: { field: Field; value: string; tail: string }[] = [];
  let end = start;
  if (first !== undefined) {
    for (; end < lines.length; end++) {
      const line = lines[end];
      if (line === undefined || line.depth !== first.depth || line.text === '') break;
      const header = headerOf(line.text);
      if (header !== null) {
        raw.push({ ...header, tail: header.value });
        continue;
      }
      const last = raw.at(-1);
      if (last === undefined || !continues(last, line)) break;
      last.value = `${last.value} ${line.text}`;
      last.tail = line.text;
    }
  }
  const firstOf = (field: Field) => raw.find((h) => h.field === field)?.value ?? null;
  const listOf = (field: Field) =>
    raw.filter((h) => h.field === field).flatMap((h) => readMailboxList(h.value));
  return {
    start,
    end,
    depth: first?.depth ?? 0,
    fields: new Set(raw.map((h) => h.field).filter((f) => f !== 'other')),
    values: {
      from: listOf('from'),
      to: listOf('to'),
      cc: listOf('cc'),
      subject: firstOf('subject'),
      date: firstOf('date'),
    },
  };
}

/**
 * Whether `line` continues the value whose last line was `last.tail` (only that line is looked at, so a
 * value wrapped over many lines costs each line once).
 */
function continues(last: HeaderLine & { readonly tail: string }, line: Line): boolean {
  if (line.indented) return true;
  if (last.field !== 'from' && last.field !== 'to' && last.field !== 'cc') return false;
  // A line alone is an address only when short enough to be one (which also bounds the pattern's work).
  const bareAddress = line.text.length <= MAX_MAILBOX_CHARS && /^[^\s:]+@[^\s:]+$/.test(line.text);
  return isOpen(last.tail) || /^[<[(]/.test(line.text) || bareAddress;
}

/** A value cut in the middle of a mailbox or of a list: an open bracket or quote, or a separator last. */
function isOpen(value: string): boolean {
  const v = value.trimEnd();
  if (/[<([,;]$/.test(v)) return true;
  const count = (c: string) => v.split(c).length - 1;
  return count('<') > count('>') || count('(') > count(')') || count('"') % 2 === 1;
}

/** The block of `run`, announced by the separator line at `separator` (null when none). */
function block(lines: readonly Line[], run: Run, separator: number | null): ForwardBlock {
  return {
    ...run.values,
    body: bodyFrom(lines, run.end, run.depth),
    note: noteAbove(lines, separator ?? run.start),
    separated: separator !== null,
  };
}

/** The lines above line `end`, as written (quote marks kept), trimmed. */
function noteAbove(lines: readonly Line[], end: number): string {
  return lines
    .slice(0, end)
    .map(
      (line) =>
        `${'>'.repeat(line.depth)}${line.depth > 0 ? ' ' : ''}${line.indented ? ' ' : ''}${line.text}`,
    )
    .join('\n')
    .trim();
}

/** The forwarded text under a block: its lines at the block's quote depth or deeper, that depth taken off. */
function bodyFrom(lines: readonly Line[], from: number, depth: number): string {
  let i = from;
  while (i < lines.length && lines[i]?.text === '') i++;
  const out: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined) break;
    if (line.depth < depth && line.text !== '') break;
    const marks = Math.max(0, line.depth - depth);
    out.push(`${'>'.repeat(marks)}${marks > 0 ? ' ' : ''}${line.indented ? ' ' : ''}${line.text}`);
  }
  return out.join('\n').trim();
}

/**
 * Yandex and Mail.ru under their separator write no header block but one line: the date, then the
 * sender, then a colon ("03.11.2026, 14:05, "Боб Стоун" <bob@globex.com>:").
 */
function attribution(lines: readonly Line[], at: number, separator: number): ForwardBlock | null {
  const line = lines[at];
  if (line === undefined || !line.text.endsWith(':') || !line.text.includes('@')) return null;
  const text = line.text.slice(0, -1).trimEnd();
  // The sender is after the last comma outside quotes.
  let quoted = false;
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === ',' && !quoted) cut = i;
  }
  if (cut < 0) return null;
  const from = readMailboxList(text.slice(cut + 1));
  if (from.length === 0) return null;
  return {
    from,
    to: [],
    cc: [],
    subject: null,
    date: text.slice(0, cut).trim(),
    body: bodyFrom(lines, at + 1, line.depth),
    note: noteAbove(lines, separator),
    separated: true,
  };
}

function lineOf(raw: string): Line {
  let i = 0;
  let depth = 0;
  // Quote marks, each maybe followed by a space ("> > text", ">>text").
  while (i < raw.length) {
    const c = raw[i];
    if (c === '>') depth++;
    else if (c !== ' ' || depth === 0) break;
    i++;
  }
  const rest = raw.slice(i);
  const text = rest.trim();
  return { depth, text, indented: text !== '' && /^\s/.test(rest) && depth === 0 };
}

/** A line "Label: value" whose label we know, with its bold marks (`*From:*`, `**From:**`) taken off. */
function headerOf(text: string): HeaderLine | null {
  const head = text.slice(0, MAX_LABEL_CHARS + 4);
  const colon = firstColon(head);
  if (colon < 0) return null;
  const label = head
    .slice(0, colon)
    .replace(/^\*+|\*+$/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  const field = LABELS.get(label);
  if (field === undefined) return null;
  const value = text
    .slice(colon + 1)
    .replace(/^\*+/, '')
    .trim();
  return { field, value };
}

function firstColon(text: string): number {
  for (let i = 0; i < text.length; i++) if (text[i] === ':' || text[i] === '：') return i;
  return -1;
}

function isSeparator(text: string): boolean {
  if (/^_{20,}$/.test(text) || /^-{20,}$/.test(text)) return true;
  if (text.length > 80) return false;
  const words = text
    .replace(/^[-_=\s*]+|[-_=\s*:]+$/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  return words !== '' && SEPARATORS.has(words);
}
