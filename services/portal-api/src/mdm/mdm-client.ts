import { PortalError } from '../http/portal-error';

export interface MdmClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
}

const MDM_CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/;

/**
 * mdm's internal API (explanations, review queue, reports), called with portal-api's service
 * token. mdm not answering is 503 PORTAL.MDM_UNAVAILABLE, mdm failing or refusing our token
 * is 502; mdm's own refusals (404 unknown master, 409 conflicting decision...) pass through
 * with mdm's code.
 */
export class MdmClient {
  constructor(private readonly options: MdmClientOptions) {}

  get(path: string, query: Record<string, string | number | undefined> = {}): Promise<unknown> {
    const url = new URL(path, this.options.baseUrl);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return this.call('GET', url);
  }

  post(path: string, body: unknown): Promise<unknown> {
    return this.call('POST', new URL(path, this.options.baseUrl), body);
  }

  private async call(method: string, url: URL, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.options.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch {
      throw new PortalError('PORTAL.MDM_UNAVAILABLE', 'the mdm service did not answer; retry later', 503);
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      if (json === undefined || json === null || typeof json !== 'object') throw new PortalError('PORTAL.MDM_UNAVAILABLE', 'the mdm service gave an answer that is not JSON', 502);
      return json;
    }
    if (response.status >= 500) throw new PortalError('PORTAL.MDM_UNAVAILABLE', `the mdm service failed (${response.status}); retry later`, 502);
    if (response.status === 401 || response.status === 403) throw new PortalError('PORTAL.MDM_REJECTED_CREDENTIALS', 'the mdm service refused portal-api\'s service token (MDM_SERVICE_TOKEN)', 502);
    const answer = (json ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof answer.code === 'string' && MDM_CODE.test(answer.code) ? answer.code : `MDM.HTTP_${response.status}`;
    const message = typeof answer.message === 'string' ? answer.message.slice(0, 300) : 'the mdm service refused the request';
    throw new PortalError(code, message, response.status);
  }
}
