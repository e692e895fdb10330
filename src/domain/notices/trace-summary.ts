// The decision trace (SPEC §5) summarised for the people who read a notice: each step named in words
// instead of its id, its detail kept (it is already a sentence), bounded in count and length.
import type { Trace } from '../trace.js';
import { oneLine } from './safe-text.js';

/** Steps shown at most: a trace is short, except with hundreds of customer addresses. */
export const MAX_SUMMARY_STEPS = 25;
/** Characters of one step's detail. */
const MAX_DETAIL = 400;

/** What each step of the rules did, in words (step ids of gates.ts, scenario.ts, resolve-account.ts). */
const STEP_NAMES: Readonly<Record<string, string>> = {
  parse: 'Read the message',
  'gate.automated': 'Checked it is not an automatic reply, bounce or list mail',
  'gate.sender': 'Checked who sent it',
  'gate.authentication': "Checked the sender's authentication",
  'gate.content': 'Looked for something to log',
  scenario: 'Worked out what kind of message it is',
  customers: 'Looked for customer addresses',
  'A.user': "Looked up the customer's address in the directory",
  'A.account': "Chose the customer's account",
  'A.result': 'Accounts found through customers',
  'B.domains': "Looked for accounts by the customer's domain",
  'B.result': "Accounts found by the customer's domain",
  'C.sender-history': 'Looked for accounts you logged touchpoints on before',
  'C.domain-recent': 'Looked for accounts your colleagues logged touchpoints on this week',
  'C.result': 'Tried to break the tie',
  record: 'Recorded it',
  retry: 'Ran the rules again',
  assign: 'Assigned by a person',
};

export interface SummaryLine {
  readonly what: string;
  readonly detail: string;
}

/** The trace as lines for people; the last line says how many steps were left out, if any. */
export function summarizeTrace(trace: Trace): SummaryLine[] {
  const lines = trace.slice(0, MAX_SUMMARY_STEPS).map((entry) => ({
    what: STEP_NAMES[entry.step] ?? 'Another check',
    detail: oneLine(entry.detail, MAX_DETAIL),
  }));
  if (trace.length > MAX_SUMMARY_STEPS)
    lines.push({
      what: 'More',
      detail: `${trace.length - MAX_SUMMARY_STEPS} more steps; the whole trace is in the inbound log.`,
    });
  return lines;
}
