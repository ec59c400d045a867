import type {
  AddressInput, InvolvementKind, InvolvementObservedInput, PersonDetailsInput, QualityFlagInput, RelationshipObservedInput, Sensitivity,
} from '@hub/contracts';

/**
 * The contract between the pure mapping/validation domain and ingest's I/O: a feed's
 * compiled configuration turns one source row (a parsed CSV row or JSON object) into a
 * MappedRow. Everything here is plain data; no I/O, no clock (time is passed in).
 */

/** Stable reason codes, e.g. INGEST.INVALID_NHS_NUMBER; a field path is canonical, e.g. person.identifiers.NHS. */
export interface RuleFailure {
  code: string;
  field: string;
  /** Human-readable and free of the value itself (it may be personal data). */
  message: string;
}

/** The observations one row yields, without envelopes (ingest adds those). */
export type CanonicalRecord =
  | { type: 'person'; recordType: string; sourceRecordId: string; person: PersonDetailsInput; dateOfDeath?: string | null; qualityFlags: QualityFlagInput[] }
  | ({ type: 'involvement'; recordType: string; sourceRecordId: string; kind: InvolvementKind; qualityFlags: QualityFlagInput[] } & Omit<InvolvementObservedInput, 'envelope' | 'kind'>)
  | ({ type: 'relationship'; recordType: string; sourceRecordId: string; qualityFlags: QualityFlagInput[] } & Omit<RelationshipObservedInput, 'envelope'>)
  | { type: 'address'; recordType: string; sourceRecordId: string; personSourceRecordId: string | null; address: AddressInput; qualityFlags: QualityFlagInput[] };

export type MappedRow =
  | {
      outcome: 'accepted';
      /** The row's own id in the source (a feed's key column), unique within the feed. */
      sourceRecordId: string;
      /** The source's version field when the feed has one; otherwise null and ingest hashes the canonical content. */
      sourceVersion: string | null;
      /** When it happened as the source says (epoch ms), or null to use the received time. */
      occurredAt: number | null;
      records: CanonicalRecord[];
      /** Fields that failed a rule whose action is null-and-flag (the field is nulled, the row kept). */
      flags: RuleFailure[];
    }
  | { outcome: 'withdrawn'; sourceRecordId: string; occurredAt: number | null }
  | { outcome: 'rejected'; sourceRecordId: string | null; reasons: RuleFailure[] };

export interface FeedGovernance {
  dataSharingAgreement: string;
  lawfulBasis: string;
  sensitivity: Sensitivity;
}
