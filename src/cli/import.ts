// `touchmail import FILE.json`: loads a workspace document; a progress bar on a terminal, quiet otherwise.
import { SingleBar, Presets } from 'cli-progress';
import { importWorkspace, parseDocumentText } from '../app/import-workspace.js';
import type { ImportProgress } from '../store/workspace-import.js';
import type { CommandContext } from './context.js';
import { inputName, readInput } from './read-input.js';

/** Below this many rows a phase finishes before a bar would be worth drawing. */
const PROGRESS_THRESHOLD = 5_000;

export async function importCommand({ store }: CommandContext, file: string): Promise<number> {
  const parsed = parseDocumentText((await readInput(file)).toString('utf8'));
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr },
        Presets.shades_classic,
      )
    : null;
  let current = '';
  const progress: ImportProgress = (phase, done, total) => {
    if (bar === null || total < PROGRESS_THRESHOLD) return;
    if (phase !== current) {
      if (current !== '') bar.stop();
      current = phase;
      bar.start(total, done, { phase });
    } else bar.update(done, { phase });
  };
  const result = parsed.ok
    ? await importWorkspace(store, parsed.value, new Date(), { actor: 'cli', progress })
    : parsed;
  if (current !== '') bar?.stop();
  if (!result.ok) {
    process.stderr.write(
      `touchmail import: ${inputName(file)} is not a valid workspace document; nothing was changed.\n`,
    );
    for (const problem of result.problems) process.stderr.write(`  ${problem.path}: ${problem.message}\n`);
    return 1;
  }
  const s = result.summary;
  process.stdout.write(
    `${s.created ? 'Created' : 'Updated'} workspace ${s.workspaceId}: ${s.logins} logins, ${s.accounts} accounts, ` +
      `${s.users} users, ${s.memberships} memberships, ${s.touchpoints} past touchpoints.\n`,
  );
  return 0;
}
