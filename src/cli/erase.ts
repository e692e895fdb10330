// `touchmail erase --workspace WS --email ADDR`: erases a person (SPEC §11) and prints what was removed.
import { randomUUID } from 'node:crypto';
import { erasePerson } from '../app/person-data.js';
import type { CommandContext } from './context.js';

export async function eraseCommand(
  { store }: CommandContext,
  options: { workspace: string; email: string },
): Promise<number> {
  const result = await erasePerson(
    { store, workspaceId: options.workspace, actor: 'cli', now: () => new Date(), newId: randomUUID },
    options.email,
  );
  if (!result.ok) {
    process.stderr.write(`touchmail erase: ${result.message}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`);
  return 0;
}
