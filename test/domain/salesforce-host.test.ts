// Which hosts the Salesforce sync may call: Salesforce's domains over https, or the hosts the operator
// lists (TOUCHMAIL_SALESFORCE_EXTRA_HOSTS), whatever a workspace's settings or a token answer name.
import { describe, expect, it } from 'vitest';
import { salesforceUrlProblem } from '../../src/domain/salesforce-host.js';

const allowed = (url: string, extraHosts: readonly string[] = []) =>
  salesforceUrlProblem(new URL(url), extraHosts) === null;

describe('salesforceUrlProblem', () => {
  it.each([
    'https://login.salesforce.com',
    'https://test.salesforce.com',
    'https://acme.my.salesforce.com',
    'https://acme--uat.sandbox.my.salesforce.com',
    'https://na1.salesforce.com',
    'https://acme.cloudforce.com',
    'https://acme.my.salesforce.mil',
    'https://acme.my.sfcrmproducts.cn',
  ])('lets the sync call %s', (url) => {
    expect(allowed(url)).toBe(true);
  });

  it.each([
    ['plain http to Salesforce', 'http://login.salesforce.com'],
    ['another port', 'https://login.salesforce.com:8443'],
    ['this host by name', 'https://localhost'],
    ['this host by address', 'http://127.0.0.1:5432'],
    ['a private address', 'https://10.0.0.5'],
    ['the cloud metadata service', 'http://169.254.169.254'],
    ['a look-alike domain', 'https://login.salesforce.com.evil.example'],
    ['a name ending like a Salesforce domain', 'https://evilsalesforce.com'],
    ['the bare domain', 'https://salesforce.com'],
  ])('refuses %s', (_name, url) => {
    expect(allowed(url)).toBe(false);
  });

  it('lets the operator allow more hosts, over http and on any port, and only those', () => {
    expect(allowed('http://127.0.0.1:4010', ['127.0.0.1'])).toBe(true);
    expect(allowed('https://sf-proxy.internal:8443', ['sf-proxy.internal'])).toBe(true);
    expect(allowed('http://localhost:4010', ['127.0.0.1'])).toBe(false);
    expect(allowed('ftp://127.0.0.1', ['127.0.0.1'])).toBe(false);
  });
});
