import type { QualityFlagInput } from '@hub/contracts';
import type { RuleAction } from './feed-config';
import type { RuleFailure } from './mapped-row';

/**
 * What a compiled mapping reads and writes while it maps one row: the row, the nested person
 * being mapped (JSON Lines), and the failures found so far. One is made per row; the compiled
 * closures share it instead of returning failures up through every call.
 */
export class RowContext {
  /** The nested person being mapped, in nested scope. */
  item: Record<string, unknown> | null = null;
  itemKey: string | null = null;
  items: Record<string, unknown>[] = [];
  itemKeys: string[] = [];
  readonly flags: RuleFailure[] = [];
  readonly rejects: RuleFailure[] = [];
  /** Flags of the record being built; replaced at the start of each record. */
  recordFlags: QualityFlagInput[] = [];
  /** For messages: which nested person a failure is about (its key is a source id, not personal data). */
  label = '';

  constructor(
    readonly row: Record<string, unknown>,
    readonly rowKey: string,
    readonly today: string,
  ) {}

  /**
   * Records a failed rule. Returns true when the caller should keep the value (keep-and-flag,
   * ignore), false when it should null it.
   */
  fail(field: string, code: string, message: string, action: RuleAction): boolean {
    switch (action) {
      case 'reject':
        this.rejects.push({ code, field, message: this.label + message });
        return false;
      case 'null-and-flag':
        this.flags.push({ code, field, message: this.label + message });
        this.recordFlags.push({ field, code });
        return false;
      case 'keep-and-flag':
        this.flags.push({ code, field, message: this.label + message });
        this.recordFlags.push({ field, code });
        return true;
      case 'ignore':
        return true;
      default: {
        const never: never = action;
        throw new Error(`unknown rule action ${String(never)}`);
      }
    }
  }
}
