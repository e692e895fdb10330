// An account's attributes (SPEC §1): a JSON object of the customer's own keys, two of which Touchmail
// reads — `touchpointDefaultBccEmail` (the rules' step A2) and `salesforceAccountId` (SPEC §9).

export type Attributes = Readonly<Record<string, unknown>>;

/** Keys per account: attributes are settings, not a document store. */
export const MAX_ATTRIBUTE_KEYS = 100;
/** Bytes of the attributes' JSON: bounds what one account can make every read carry. */
export const MAX_ATTRIBUTES_JSON = 16_384;

/** A Salesforce record id: 15 characters, or 18 with the case-safe suffix. */
const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** What is wrong with `attributes`, or null when Touchmail can store and read them. */
export function attributesProblem(attributes: Attributes): string | null {
  if (Object.keys(attributes).length > MAX_ATTRIBUTE_KEYS)
    return `attributes: at most ${MAX_ATTRIBUTE_KEYS} keys`;
  if (JSON.stringify(attributes).length > MAX_ATTRIBUTES_JSON)
    return `attributes: at most ${MAX_ATTRIBUTES_JSON} bytes of JSON`;
  const flag = attributes.touchpointDefaultBccEmail;
  if (flag !== undefined && typeof flag !== 'boolean')
    return 'attributes.touchpointDefaultBccEmail must be true or false';
  const salesforceId = attributes.salesforceAccountId;
  if (salesforceId !== undefined && (typeof salesforceId !== 'string' || !SALESFORCE_ID.test(salesforceId)))
    return 'attributes.salesforceAccountId must be a Salesforce id (15 or 18 letters and digits)';
  return null;
}

/** RFC 7396 merge patch, one level deep: keys in `patch` replace those of `current`; `null` removes one. */
export function mergeAttributes(current: Attributes, patch: Attributes): Attributes {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The account's "Touchpoint Default BCC Email" flag (SPEC §5 A2): only a literal `true` sets it. */
export function isDefaultBcc(attributes: Attributes): boolean {
  return attributes.touchpointDefaultBccEmail === true;
}
