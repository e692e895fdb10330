// Every string a query carries, made storable on the way in (SPEC §10): NUL removed and lone surrogates
// replaced, whatever the table, column or statement (insert, update, a raw `sql` template, a lookup).
// One plugin on both stores rather than a cleaning call at each write: no write path can forget it, and
// a lookup of text with NUL finds what was written for it instead of failing on PostgreSQL.
import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';
import { storableText } from '../domain/storable.js';

class StorableTextTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    if (typeof node.value !== 'string') return node;
    const value = storableText(node.value);
    return value === node.value ? node : { ...node, value };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    const values = node.values.map((v) => (typeof v === 'string' ? storableText(v) : v));
    // storableText returns its argument when nothing changes: an unchanged list keeps the node.
    return values.every((v, i) => v === node.values[i]) ? node : { ...node, values };
  }
}

export class StorableTextPlugin implements KyselyPlugin {
  readonly #transformer = new StorableTextTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
