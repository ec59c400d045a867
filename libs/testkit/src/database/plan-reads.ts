/** Anything that runs a query with parameters: a TypeORM EntityManager, QueryRunner or DataSource. */
export interface PlanQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/**
 * How PostgreSQL would read `table` to run `sql` with these parameters (`EXPLAIN`, not run):
 * the type of every plan node that reads the table, and of every join, in plan order. The
 * table's own update or delete node is left out. For tests that a statement finds its rows
 * through an index, whatever the table's size.
 */
export async function planReads(db: PlanQueryable, sql: string, parameters: unknown[], table: string): Promise<string[]> {
  const [row] = (await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
  const reads = (plan: PlanNode): string[] => {
    const own = (plan['Relation Name'] === table && plan['Node Type'] !== 'ModifyTable') || plan['Node Type'].endsWith('Join') ? [plan['Node Type']] : [];
    return [...own, ...(plan.Plans ?? []).flatMap(reads)];
  };
  return reads(row!['QUERY PLAN'][0]!.Plan);
}
