/** The one JSON line a load ends with, and what the API and CLI report about a load. */
export interface LoadReport {
  feed: string;
  load: string;
  status: 'completed' | 'quarantined' | 'checked' | 'undone' | 'failed';
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  withdrawn: number;
  events?: number;
  reason?: { code: string; message: string };
  rejectsByReason?: Record<string, number>;
}
