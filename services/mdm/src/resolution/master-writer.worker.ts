// The master writer's thread (master-writer.ts): builds each job it is sent, in order.
import { parentPort, workerData } from 'node:worker_threads';
import type { SurvivorshipPolicy } from '../golden-record/domain';
import type { MasterWriterReply, MasterWriterRequest } from './master-writer';
import { buildMasterWrites } from './master-writes';

const { survivorship } = workerData as { survivorship: SurvivorshipPolicy };

parentPort!.on('message', ({ id, job }: MasterWriterRequest) => {
  let reply: MasterWriterReply;
  try {
    reply = { id, writes: buildMasterWrites(job, survivorship) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
