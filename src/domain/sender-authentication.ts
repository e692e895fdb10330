// Gate G3 (SPEC §3): whether the sender-authentication findings satisfy the workspace's policy.
// `off` trusts the From (the seed's behaviour); `dmarc` requires DMARC to pass where the From domain
// publishes a DMARC record; `strict` always requires aligned SPF or DKIM.
import type { SenderAuthentication } from './gates.js';
import type { SenderAuthPolicy } from './workspace.js';

/** What verification found, from our own checks or from a trusted Authentication-Results header. */
export interface AuthenticationFindings {
  /**
   * `smtp`: SPF checked for our own SMTP client; `trusted-received`: for the client named by a trusted
   * host's Received header; `trusted-header`: a trusted host's Authentication-Results or ARC believed;
   * `message-only`: no client IP (IMAP, webhooks, the CLI), so SPF is unknown and only DKIM can pass.
   */
  readonly source: 'smtp' | 'trusted-received' | 'trusted-header' | 'message-only' | 'not-checked';
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
  const spfUnknown = findings.source === 'message-only';
  if (policy === 'strict') {
    return aligned
      ? { verdict: 'pass', detail: `${findings.summary}: aligned SPF or DKIM passed` }
      : {
          verdict: 'fail',
          detail: spfUnknown
            ? `${findings.summary}: no aligned DKIM pass, and SPF cannot be checked without a client IP; the strict policy requires one of them (or a trusted Authentication-Results header)`
            : `${findings.summary}: no aligned SPF or DKIM pass, which the strict policy requires`,
        };
  }
  // DMARC passes on aligned SPF or DKIM (RFC 7489 §4.2): judged on DKIM alone, its failure says only
  // that DKIM did not pass; with SPF unknown the outcome is unknown, as when DNS cannot say (issue 25).
  if (spfUnknown && findings.dmarc === 'fail')
    return {
      verdict: 'none',
      detail: `${findings.summary}: no aligned DKIM pass, and SPF is unknown without a client IP, so DMARC cannot be judged; accepted`,
    };
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
