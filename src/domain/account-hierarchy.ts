// The account hierarchy (SPEC §1: parent account id) must stay a forest: no account may be its own
// ancestor, or every walk up the tree (the rules, the UI's breadcrumbs) would never end.

export interface ParentLink {
  readonly id: string;
  /** `undefined`: not known here (an import that leaves the parent out keeps the stored one). */
  readonly parentId: string | null | undefined;
}

/** The first cycle among the links, walking up from each in order: its index and the ids around it. */
export function findParentCycle(links: readonly ParentLink[]): { index: number; ids: string[] } | null {
  const parentOf = new Map(links.map((a) => [a.id, a.parentId]));
  const cleared = new Set<string>();
  for (const [index, link] of links.entries()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let id: string | null | undefined = link.id;
    while (id !== null && id !== undefined && !cleared.has(id)) {
      if (onPath.has(id)) return { index, ids: [...path.slice(path.indexOf(id)), id] };
      path.push(id);
      onPath.add(id);
      id = parentOf.get(id);
    }
    path.forEach((p) => cleared.add(p));
  }
  return null;
}
