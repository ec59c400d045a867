// `npm run outbox -- parked <service> [--limit N]` lists the messages a service's outbox relay
// parked because Kafka refused them for good (with the reason); `npm run outbox -- replay
// <service> <id>... | --all` moves them back to the outbox once the cause is fixed (a larger
// max.message.bytes on the topic, say), and the running relays send them. Reads DATABASE_URL
// (and DATABASE_SCHEMA, else the service's name) as the services do. Prints JSON lines.
import { Client } from 'pg';
import { listParked, replayParked } from '../outbox/outbox-parked';

const usage = 'usage: npm run outbox -- parked <service> [--limit N]\n       npm run outbox -- replay <service> (<id>... | --all)\n';

async function main(): Promise<number> {
  const [command, service, ...rest] = process.argv.slice(2);
  if (!command || !service || !['parked', 'replay'].includes(command)) {
    process.stderr.write(usage);
    return 2;
  }
  const schema = process.env.DATABASE_SCHEMA ?? service.replace(/-/g, '_');
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    process.stderr.write(`outbox: "${schema}" is not a schema name (lower-case letters, digits and underscores)\n`);
    return 2;
  }
  const ids = rest.filter((arg) => !arg.startsWith('--'));
  if (command === 'replay' && (ids.length === 0) === !rest.includes('--all')) {
    process.stderr.write(`outbox: replay takes message ids or --all, not both or neither\n${usage}`);
    return 2;
  }
  const badId = ids.find((id) => !/^\d+$/.test(id));
  if (command === 'replay' && badId !== undefined) {
    process.stderr.write(`outbox: "${badId}" is not a message id (the id column of "parked")\n`);
    return 2;
  }
  const client = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hub', application_name: 'outbox-cli', options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const [{ present }] = (await client.query(`SELECT to_regclass('outbox') IS NOT NULL AS present`)).rows as { present: boolean }[];
    if (!present) {
      process.stderr.write(`outbox: schema "${schema}" has no outbox table: is "${service}" a service that has run against this database?\n`);
      return 1;
    }
    const query = async (sql: string, parameters?: unknown[]) => (await client.query(sql, parameters as unknown[])).rows;
    if (command === 'parked') {
      const limitAt = rest.indexOf('--limit');
      const limit = limitAt >= 0 ? Number(rest[limitAt + 1]) : 1000;
      if (!Number.isInteger(limit) || limit < 1) {
        process.stderr.write('outbox: --limit takes a positive whole number\n');
        return 2;
      }
      const parked = await listParked(query, limit);
      for (const message of parked) process.stdout.write(`${JSON.stringify(message)}\n`);
      process.stderr.write(`outbox: ${parked.length} parked message(s) in schema ${schema}\n`);
      return 0;
    }
    const moved = await replayParked(query, rest.includes('--all') ? undefined : ids);
    const missing = ids.filter((id) => !moved.includes(String(Number(id))));
    process.stdout.write(`${JSON.stringify({ schema, replayed: moved, notParked: missing })}\n`);
    return missing.length > 0 ? 1 : 0;
  } finally {
    await client.end();
  }
}

main().then((code) => process.exit(code), (error: Error) => {
  process.stderr.write(`outbox: ${error.message}\n`);
  process.exit(1);
});
