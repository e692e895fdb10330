// Third-party corpora in ../shared/corpora (never copied into the repository): present in CI, maybe not
// on a developer's machine, where the corpus suites skip and say so.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPORA = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
export const HAVE_CORPORA = existsSync(CORPORA);

if (!HAVE_CORPORA) process.stderr.write(`corpus suites skipped: ${CORPORA} is not there\n`);
