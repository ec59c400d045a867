import { isoDay } from '../core/dates';
import { loadTables } from '../io/load-tables';
import { buildWorld, DEFAULT_WORLD } from '../world';
import { deliveryCuts } from './deliveries';

describe(deliveryCuts.name, () => {
  const world = buildWorld(loadTables(), { ...DEFAULT_WORLD, seed: 'cuts', persons: 200 });

  it.each(['monthly', 'quarterly', 'termly'] as const)('gives six increasing %s cut-offs up to the reference date', (cadence) => {
    const cuts = deliveryCuts(world, cadence);
    expect(cuts).toHaveLength(6);
    for (let i = 1; i < cuts.length; i++) expect(cuts[i]).toBeGreaterThan(cuts[i - 1]);
    expect(cuts[5]).toBeLessThanOrEqual(world.ref);
  });

  it('uses month ends and quarter ends', () => {
    expect(deliveryCuts(world, 'monthly').map(isoDay)).toEqual(['2019-04-30', '2019-05-31', '2019-06-30', '2019-07-31', '2019-08-31', '2019-09-30']);
    expect(deliveryCuts(world, 'quarterly').map(isoDay)).toEqual(['2018-06-30', '2018-09-30', '2018-12-31', '2019-03-31', '2019-06-30', '2019-09-30']);
  });
});
