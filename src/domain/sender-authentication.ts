// Gate G3 (SPEC §3): whether the sender-authentication findings satisfy the workspace's policy.
// `off` trusts the From (the seed's behaviour); `dmarc` requires DMARC to pass where the From domain
// publishes a DMARC record; `strict` always requires aligned SPF or DKIM.
import type { SenderAuthentication } from './gates.js';
import type { SenderAuthPolicy } from './workspace.js';

/** What verification found, from our own checks or from a trusted Authentication-Results header. */
export interface AuthenticationFindings {
  readonly source: 'smtp' | 'trusted-header' | 'message-only' | 'not-checked';
  /** DMARC for the From domain: `none` when it publishes no record. */
  readonly dmarc: 'pass' | 'fail' | 'none' | 'temperror' | 'permerror' | 'not-evaluated';
  /** SPF passed for a domain aligned with the From domain. */
  readonly spfAligned: boolean;
  /** A DKIM signature of a domain aligned with the From domain verified. */
  readonly dkimAligned: boolean;
  /** For people: `spf=pass dkim=pass (acme.com) dmarc=pass`, and where it came from. */
  readonly summary: string;
}

export function authenticationVerdict(
  findings: AuthenticationFindings,
  policy: SenderAuthPolicy,
): SenderAuthentication {
  if (findings.source === 'not-checked') return { verdict: 'not-checked', detail: findings.summary };
  const aligned = findings.spfAligned || findings.dkimAligned;
  if (policy === 'strict') {
    return aligned
      ? { verdict: 'pass', detail: `${findings.summary}: aligned SPF or DKIM passed` }
      : {
          verdict: 'fail',
          detail: `${findings.summary}: no aligned SPF or DKIM pass, which the strict policy requires`,
        };
  }
  switch (findings.dmarc) {
    case 'pass':
      return { verdict: 'pass', detail: `${findings.summary}: DMARC passed` };
    case 'fail':
      return {
        verdict: 'fail',
        detail: `${findings.summary}: the From domain publishes DMARC and the message fails it`,
      };
    default:
      // No record, or DNS could not say: the dmarc policy accepts (strict would not).
      return { verdict: 'none', detail: `${findings.summary}: DMARC ${findings.dmarc}, accepted` };
  }
}
