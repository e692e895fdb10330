// A DNS stub for sender-verification tests: TXT answers for test domains, "not found" for the rest,
// so every test runs offline and means the same thing everywhere.
import type { DNSResolver } from 'mailauth';

export function stubResolver(txt: Record<string, string>): DNSResolver {
  return (name, rrtype) => {
    const record = rrtype === 'TXT' ? txt[name.toLowerCase()] : undefined;
    if (record === undefined)
      return Promise.reject(Object.assign(new Error(`${name} ${rrtype}: not found`), { code: 'ENOTFOUND' }));
    // TXT answers are lists of character-strings; long records are split at 255.
    return Promise.resolve([record.match(/.{1,255}/g) ?? [record]]);
  };
}
