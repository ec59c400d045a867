import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@hub/platform';
import { DataSource } from 'typeorm';
import { type MasterEvent, trainModel } from '../matching/domain';
import { findModel, listModels, storeModel } from '../resolution/resolution.repository';
import { ResolutionService } from '../resolution/resolution.service';

export const MDM_LOGGER = Symbol('mdm:logger');

/** Counts of what a set of master events does, without personal data. */
function summarise(events: readonly MasterEvent[]) {
  const count = (type: MasterEvent['type']) => events.filter((e) => e.type === type).length;
  return { merges: count('merged'), splits: count('split'), created: count('created'), updated: count('updated'), retired: count('retired') };
}

@Injectable()
export class ModelsService {
  constructor(
    @Inject(ResolutionService) private readonly resolution: ResolutionService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(MDM_LOGGER) private readonly logger: Logger,
  ) {}

  list() {
    return listModels(this.dataSource).then((models) => ({ inUse: this.resolution.modelVersion, models }));
  }

  /** Trains a candidate without labels (EM, u from random pairs) on every held record; stores it unpromoted. */
  async train(options: { maxRandomPairs?: number }) {
    await this.resolution.refresh();
    const records = this.resolution.matchRecords();
    const started = Date.now();
    const model = trainModel(records, options.maxRandomPairs ? { maxRandomPairs: options.maxRandomPairs } : {});
    const summary = { trainedOn: records.length, seconds: (Date.now() - started) / 1000, probabilityTwoRandomRecordsMatch: model.probabilityTwoRandomRecordsMatch };
    await storeModel(this.dataSource, model, summary);
    this.logger.info({ modelVersion: model.version, ...summary }, 'model trained and stored (not promoted)');
    return { version: model.version, promoted: false, summary };
  }

  /** What promoting the model would change: counts, and which masters, before anything changes. */
  async report(version: string) {
    const candidate = await findModel(this.dataSource, version);
    if (!candidate) return undefined;
    const { before, after, events } = await this.resolution.preview(candidate);
    const masterOf = (snapshot: typeof before) => new Map(snapshot.flatMap((m) => m.records.map((r) => [r, m.masterId] as const)));
    const was = masterOf(before);
    const now = masterOf(after);
    const moved = [...now].filter(([record, master]) => was.get(record) !== master).length;
    return {
      inUse: this.resolution.modelVersion, candidate: version,
      masters: { before: before.length, after: after.length },
      recordsChangingMaster: moved,
      events: summarise(events),
      merged: events.flatMap((e) => (e.type === 'merged' ? [{ survivor: e.masterId, mergedIds: e.mergedIds }] : [])).slice(0, 100),
      split: events.flatMap((e) => (e.type === 'split' ? [{ masterId: e.masterId, parts: e.parts.map((p) => p.masterId) }] : [])).slice(0, 100),
    };
  }

  async promote(version: string, promotedBy: string) {
    const candidate = await findModel(this.dataSource, version);
    if (!candidate) return undefined;
    const events = await this.resolution.promote(candidate, promotedBy);
    this.logger.info({ modelVersion: version, promotedBy, ...summarise(events) }, 'model promoted');
    return { promoted: version, events: summarise(events) };
  }
}
