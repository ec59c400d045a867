import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

/**
 * The dot-atom subset of RFC 5322 that real mailboxes use: no quoted local parts, comments or
 * IP-literal domains, and an ASCII domain of at least two labels with an alphabetic top level.
 */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const MAILTO = /^mailto:/i;

/** Trimmed, "mailto:" dropped, domain lower-cased (domains are case-insensitive; local parts, strictly, are not). */
export function normaliseEmail(raw: string): Checked<string> {
  const text = raw.trim().replace(MAILTO, '');
  if (text.length > 254) return invalid(REASON.INVALID_EMAIL, 'an e-mail address has at most 254 characters');
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return invalid(REASON.INVALID_EMAIL, 'an e-mail address is local-part@domain');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) return invalid(REASON.INVALID_EMAIL, 'the part before @ is not a valid mailbox name');
  if (!DOMAIN.test(domain)) return invalid(REASON.INVALID_EMAIL, 'the part after @ is not a valid domain');
  return valid(`${local}@${domain}`);
}
