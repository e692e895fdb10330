// Group commit (src/intake/group-commit.ts): messages arriving together share a transaction, bounded by
// count and by bytes of raw message (issue 25: 64 × 25 MB in one statement exceeds PostgreSQL's 1 GB).
import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/intake/group-commit.js';
import type { NewInbound } from '../../src/store/inbound-repository.js';

const row = (id: string, bytes: number): NewInbound => ({
  id,
  workspaceId: 'acme',
  receivedAt: new Date(0),
  channel: 'smtp',
  raw: new Uint8Array(bytes),
  sha256: id,
  mailFrom: null,
  rcptTo: [],
});

async function groupsOf(sizes: number[], maxRows: number, maxBytes: number): Promise<string[][]> {
  const groups: string[][] = [];
  const committer = new GroupCommitter(
    (rows) => {
      groups.push(rows.map((r) => r.id));
      return Promise.resolve();
    },
    { windowMs: 5, maxRows, maxBytes },
  );
  await Promise.all(sizes.map((size, i) => committer.submit([row(`m${i}`, size)])));
  return groups;
}

describe('group commit', () => {
  it('puts messages that arrive together in one transaction', async () => {
    expect(await groupsOf([10, 10, 10], 64, 1000)).toEqual([['m0', 'm1', 'm2']]);
  });

  it('starts a new transaction at the row bound', async () => {
    expect(await groupsOf([10, 10, 10], 2, 1000)).toEqual([['m0', 'm1'], ['m2']]);
  });

  it('starts a new transaction at the byte bound; a message larger than the bound goes alone', async () => {
    expect(await groupsOf([60, 30, 30, 500, 10], 64, 100)).toEqual([['m0', 'm1'], ['m2'], ['m3'], ['m4']]);
  });
});
