// Which hosts the Salesforce sync may call (SPEC §9). A workspace admin names the login URL and
// Salesforce's token answer names the instance URL; neither may make the service reach anything but
// Salesforce — least of all the host's own network (issue 25 #8: SSRF through the settings).

/**
 * Salesforce's API domains: login.salesforce.com, test.salesforce.com, My Domains (*.my.salesforce.com,
 * sandboxes *.sandbox.my.salesforce.com, …), legacy instances (na1.salesforce.com, *.cloudforce.com,
 * *.force.com), Government Cloud (*.salesforce.mil, *.cloudforce.mil) and Salesforce on Alibaba Cloud
 * (*.sfcrmproducts.cn). Every name under them resolves to Salesforce, whoever configured the org.
 */
export const SALESFORCE_DOMAINS: readonly string[] = [
  'salesforce.com',
  'force.com',
  'cloudforce.com',
  'salesforce.mil',
  'cloudforce.mil',
  'sfcrmproducts.cn',
];

/** Null when the sync may call `url`; else the problem, in words an admin can act on. */
export function salesforceUrlProblem(url: URL, extraHosts: readonly string[]): string | null {
  // Hosts the operator listed (TOUCHMAIL_SALESFORCE_EXTRA_HOSTS: a local test double, an egress proxy)
  // are trusted as the operator says, plain http and any port included.
  if (extraHosts.includes(url.hostname) && (url.protocol === 'https:' || url.protocol === 'http:'))
    return null;
  if (url.protocol !== 'https:') return 'expected an https:// URL';
  if (url.port !== '') return 'expected no port: Salesforce answers on 443';
  const host = url.hostname;
  if (!SALESFORCE_DOMAINS.some((domain) => host.endsWith(`.${domain}`)))
    return `${host} is not a Salesforce host (${SALESFORCE_DOMAINS.map((d) => `*.${d}`).join(', ')})`;
  return null;
}
