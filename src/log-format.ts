// Pino's JSON lines made readable on a terminal: time, level and message on one line with the short
// fields after it; a mail the log stands in for (to, subject, text) as the mail itself; long or
// multi-line values and errors' stacks indented below. JSON stays the format for machines.

/** Pino's numeric levels (pino/lib/constants) and how a terminal shows them. */
const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields every line carries or that the first line already shows. */
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

/** A value longer than this goes below the line rather than in it. */
const INLINE_LIMIT = 100;

const INDENT = '    ';

/** One pino JSON line as readable text (ending with a newline); a line that is not JSON is kept as is. */
export function formatLogLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return line.endsWith('\n') ? line : `${line}\n`;
  const fields: Record<string, unknown> = { ...record };
  const time = typeof fields.time === 'number' ? new Date(fields.time).toISOString().slice(11, 23) : '';
  const level = typeof fields.level === 'number' ? (LEVELS[fields.level] ?? String(fields.level)) : '';
  const message = typeof fields.msg === 'string' ? fields.msg : '';

  const below: string[] = [];
  // A notice written to the log instead of sent (SPEC §7): shown as the mail a reader would have got.
  const to: unknown[] = Array.isArray(fields.to) ? fields.to : [fields.to];
  if (
    typeof fields.text === 'string' &&
    typeof fields.subject === 'string' &&
    to.length > 0 &&
    to.every((a) => typeof a === 'string')
  ) {
    below.push(`To: ${to.join(', ')}`, `Subject: ${fields.subject}`, '', ...fields.text.split(/\r?\n/));
    delete fields.to;
    delete fields.subject;
    delete fields.text;
  }
  const inline: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (OMITTED.has(key) || value === undefined) continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      below.push(...errorLines(value));
      continue;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text.includes('\n') || text.length > INLINE_LIMIT)
      below.push(`${key}:`, ...text.split('\n').map((l) => `  ${l}`));
    else
      inline.push(
        `${key}=${typeof value === 'string' && /[\s"=]/.test(value) ? JSON.stringify(value) : text}`,
      );
  }
  const head = [time, level, message, ...inline].filter((part) => part !== '').join(' ');
  return [head, ...below.map((l) => (l === '' ? '' : INDENT + l))].join('\n') + '\n';
}

/** An error's stack (it starts with the message), else its type and message. */
function errorLines(err: object): string[] {
  const stack = 'stack' in err && typeof err.stack === 'string' ? err.stack : null;
  if (stack !== null) return stack.split('\n');
  const type = 'type' in err && typeof err.type === 'string' ? err.type : 'Error';
  const message = 'message' in err && typeof err.message === 'string' ? err.message : JSON.stringify(err);
  return [`${type}: ${message}`];
}
