import { person } from '../../matching/domain/test-fixtures';
import { matchRatePerFeed, suspectReasons } from './suspect-masters';

describe('suspectReasons', () => {
  it('flags two different NHS numbers in one master', () => {
    expect(suspectReasons([person({ ids: [['NHS', '943 476 5919']] }), person({ ids: [['NHS', '9434765919']] })])).toEqual([]);
    expect(suspectReasons([person({ ids: [['NHS', '9434765919']] }), person({ ids: [['NHS', '9434765870']] })])).toContain('TWO_NHS_NUMBERS');
  });

  it('flags placeholder dates of birth, and different dates unless day and month are swapped', () => {
    expect(suspectReasons([person({ dob: '1900-01-01' })])).toEqual(['PLACEHOLDER_DATE_OF_BIRTH']);
    expect(suspectReasons([person({ dob: '1980-03-04' }), person({ dob: '1980-04-03' })])).toEqual([]);
    expect(suspectReasons([person({ dob: '1980-03-04' }), person({ dob: '1981-03-04' })])).toEqual(['TWO_DATES_OF_BIRTH']);
  });

  it('flags "no fixed abode" however it is written, and the NHS pseudo-postcode', () => {
    expect(suspectReasons([person({ line: 'No Fixed Abode' })])).toEqual(['NO_FIXED_ABODE']);
    expect(suspectReasons([person({ line: 'NFA' })])).toEqual(['NO_FIXED_ABODE']);
    expect(suspectReasons([person({ postcode: 'ZZ99 3VZ' })])).toEqual(['NO_FIXED_ABODE']);
    expect(suspectReasons([person({ line: '12 Nfield Road', postcode: 'L17 8XY' })])).toEqual([]);
  });
});

describe('matchRatePerFeed', () => {
  it('counts, per feed, the records that share their master with another record', () => {
    const feedOf = (key: string) => key.split('/')[0]!;
    expect(matchRatePerFeed([{ records: ['police/1', 'school/1'] }, { records: ['police/2'] }], feedOf)).toEqual([
      { sourceSystem: 'police', records: 2, linked: 1, rate: 0.5 },
      { sourceSystem: 'school', records: 1, linked: 1, rate: 1 },
    ]);
  });
});
