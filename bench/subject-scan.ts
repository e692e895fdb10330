// Hostile subjects (issue 25 item 12): the scan for addresses in a subject (meeting notes, SPEC §4 S1, and
// gate G4), the reply/forward prefixes taken off for "the same mail" (SPEC §6), and one whole message
// (parse, then classification) whose subject is that long. The baseline is one plain pass over the same
// text (counting its '@'), so the ratio says how far from linear each scan is. A size whose time,
// extrapolated from the one before as quadratic, would pass 20 s is skipped and the estimate shown.
import { findAddressesInText, normalizeEmail, type Email } from '../src/domain/address.js';
import { classifyMessage } from '../src/domain/scenario.js';
import { normalizeSubject } from '../src/domain/touchpoint.js';
import { TraceBuilder } from '../src/domain/trace.js';
import { parseMessage } from '../src/mime/parse-message.js';
import { fmt } from './stats.js';

/** The last: about 1 MiB, the largest subject MIME_LIMITS.maxHeaderBytes (1 MiB of headers) lets through. */
const SIZES = [10_000, 20_000, 40_000, 1024 * 1024 - 1024];
const SKIP_ABOVE_MS = 20_000;

interface Shape {
  readonly name: string;
  readonly text: (chars: number) => string;
  /** Synchronous, or a promise for the whole message. */
  readonly scan: (text: string) => unknown;
}

const lettersWithoutAt = (chars: number) => 'a'.repeat(chars);
const replyPrefixThenSpaces = (chars: number) => `Re${' '.repeat(chars - 3)}x`;
const addressList = (chars: number) => {
  const one = (i: number) => `person${i}@globex${i % 50}.example, `;
  let text = '';
  for (let i = 0; text.length < chars; i++) text += one(i);
  return text.slice(0, chars);
};

async function wholeMessage(subject: string): Promise<unknown> {
  const raw = Buffer.from(
    `From: Jill Hart <jill@acme.com>\r\nTo: touchpoints@acme.example\r\nSubject: ${subject}\r\n\r\nNotes.\r\n`,
  );
  const parsed = await parseMessage(raw, { maxMessageBytes: 25 * 1024 * 1024, now: new Date() });
  // A refusal would measure nothing of the subject: the sizes stay under the header limit.
  if (!parsed.ok || parsed.message.from === null) throw new Error(`not parsed: ${JSON.stringify(parsed)}`);
  const touchpoint = normalizeEmail('touchpoints@acme.example');
  const workspace = {
    internalDomains: ['acme.com'],
    everyTouchpointAddress: new Set<Email>(touchpoint === null ? [] : [touchpoint]),
  };
  findAddressesInText(parsed.message.subject); // gate G4
  classifyMessage({ message: parsed.message, sender: parsed.message.from, workspace }, new TraceBuilder());
  return normalizeSubject(parsed.message.subject);
}

const SHAPES: readonly Shape[] = [
  {
    name: 'address scan, letters without @',
    text: lettersWithoutAt,
    scan: (t) => findAddressesInText(t),
  },
  { name: 'address scan, a list of addresses', text: addressList, scan: (t) => findAddressesInText(t) },
  {
    name: 'subject prefixes, "Re" then spaces',
    text: replyPrefixThenSpaces,
    scan: (t) => normalizeSubject(t),
  },
  { name: 'whole message, letters without @', text: lettersWithoutAt, scan: wholeMessage },
  { name: 'whole message, "Re" then spaces', text: replyPrefixThenSpaces, scan: wholeMessage },
];

async function timed(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export async function subjectScan(): Promise<void> {
  console.log('\n## Hostile subjects (one scan each; baseline: one pass counting "@")\n');
  console.log('| scan | chars | ms | baseline ms | ratio to baseline |\n|---|---|---|---|---|');
  for (const shape of SHAPES) {
    await shape.scan(shape.text(1000)); // warm-up
    let previous: { chars: number; ms: number } | null = null;
    for (const chars of SIZES) {
      const text = shape.text(chars);
      const baseline = await timed(() => text.split('@').length);
      const estimate = previous === null ? 0 : previous.ms * (chars / previous.chars) ** 2;
      if (estimate > SKIP_ABOVE_MS) {
        console.log(
          `| ${shape.name} | ${chars} | skipped: ≈ ${fmt(estimate / 1000, 0)} s if quadratic | ${fmt(baseline, 2)} | — |`,
        );
        continue;
      }
      const ms = await timed(() => shape.scan(text));
      console.log(
        `| ${shape.name} | ${chars} | ${fmt(ms, 1)} | ${fmt(baseline, 2)} | ${fmt(ms / baseline, 0)} |`,
      );
      previous = { chars, ms };
    }
  }
}
