// Sender authentication (SPEC §3 G3): what SMTP saw of the client (for SPF), the verification result
// kept with the message, and the Authentication-Results issuers a workspace trusts (its mail provider).
import type { Kysely } from 'kysely';

export const senderAuthentication = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('inbound_messages').addColumn('client_ip', 'text').execute();
    await db.schema.alterTable('inbound_messages').addColumn('helo', 'text').execute();
    await db.schema.alterTable('inbound_messages').addColumn('authentication', 'text').execute();
    await db.schema
      .alterTable('workspaces')
      .addColumn('trusted_authserv_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  },
};
