// Work sharing: a worker leases queued inbound messages; a lease that expires (a crashed worker) is
// taken over. `lease_until` also holds back a message whose processing failed, until its retry time.
import type { Kysely } from 'kysely';

export const inboundLeases = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('inbound_messages').addColumn('lease_owner', 'text').execute();
    await db.schema.alterTable('inbound_messages').addColumn('lease_until', 'text').execute();
    await db.schema.alterTable('inbound_messages').addColumn('last_error', 'text').execute();
  },
};
