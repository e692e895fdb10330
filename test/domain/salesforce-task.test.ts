// The Task a touchpoint becomes, and what settings may name: SOQL quoting of hostile addresses, field
// names, the Salesforce id of the account.
import { describe, expect, it } from 'vitest';
import {
  contactQuery,
  DEFAULT_FIELD_MAPPING,
  DESCRIPTION_MAX,
  mappingProblems,
  soqlString,
  taskDraft,
  type TaskSource,
} from '../../src/domain/salesforce-task.js';
import { unescapeSoql } from '../support/fake-salesforce.js';

const source: TaskSource = {
  touchpointId: 'tp-1',
  subject: 'Kick-off',
  content: 'Notes',
  occurredAt: '2026-11-19T23:30:00.000Z',
  participants: [
    { email: 'jill@acme.com', name: 'Jill', side: 'internal' },
    { email: 'bob@globex.com', name: '', side: 'external' },
  ],
  salesforceAccountId: '001000000000001',
};

describe('SOQL quoting', () => {
  it.each([
    ["o'brien@globex.com"],
    ["x' OR Email != 'y"],
    ['back\\slash@x.com'],
    ['quote"and\nnewline@x.com'],
  ])('keeps %j one literal that reads back as itself', (email) => {
    const literal = soqlString(email);
    expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
    const inner = literal.slice(1, -1);
    // No unescaped quote can end the literal early.
    expect(/(^|[^\\])(\\\\)*'/.test(inner)).toBe(false);
    expect(unescapeSoql(inner)).toBe(email);
  });

  it('asks for one Contact by that address', () => {
    expect(contactQuery("a'b@x.com")).toBe(
      "SELECT Id FROM Contact WHERE Email = 'a\\'b@x.com' ORDER BY CreatedDate ASC LIMIT 1",
    );
  });
});

describe('the Task record', () => {
  it('maps the parts to the configured fields; the date is the UTC date of occurredAt', () => {
    const draft = taskDraft(source, { ...DEFAULT_FIELD_MAPPING, description: 'Notes__c' }, 'Touchmail_Id__c');
    expect(draft).toEqual({
      ok: true,
      contactEmail: 'bob@globex.com',
      record: {
        Touchmail_Id__c: 'tp-1',
        WhatId: '001000000000001',
        Subject: 'Kick-off',
        Notes__c: 'Notes\n\nParticipants:\n- Jill <jill@acme.com> (internal)\n- bob@globex.com (external)',
        ActivityDate: '2026-11-19',
        Type: 'Email',
        Status: 'Completed',
      },
    });
  });

  it('refuses an account without a Salesforce id, or with something else in its place', () => {
    expect(taskDraft({ ...source, salesforceAccountId: null }, DEFAULT_FIELD_MAPPING, 'X__c')).toEqual({
      ok: false,
      reason: 'the account has no salesforceAccountId',
    });
    expect(taskDraft({ ...source, salesforceAccountId: "001' OR" }, DEFAULT_FIELD_MAPPING, 'X__c').ok).toBe(
      false,
    );
  });

  it('bounds the description and keeps the participants whole', () => {
    const draft = taskDraft({ ...source, content: 'x'.repeat(50_000) }, DEFAULT_FIELD_MAPPING, 'X__c');
    const description = draft.ok ? (draft.record.Description ?? '') : '';
    expect(description.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(description.endsWith('- bob@globex.com (external)')).toBe(true);
  });

  it('has no WhoId lookup without an external participant', () => {
    const draft = taskDraft({ ...source, participants: [] }, DEFAULT_FIELD_MAPPING, 'X__c');
    expect(draft.ok && draft.contactEmail).toBeNull();
  });
});

describe('field names in the settings', () => {
  it('accepts standard, custom and namespaced names', () => {
    expect(
      mappingProblems({ ...DEFAULT_FIELD_MAPPING, description: 'ns__Long_Notes__c' }, 'Touchmail_Id__c'),
    ).toEqual([]);
  });

  it('refuses names that are not API names, fields the sync sets, duplicates and a standard external id', () => {
    expect(
      mappingProblems(
        { ...DEFAULT_FIELD_MAPPING, subject: 'WhoId', description: 'Type', status: 'a b' },
        'Subject',
      ),
    ).toEqual([
      'externalIdField: "Subject" is not a custom field API name (like Touchmail_Id__c)',
      'fieldMapping.subject: WhoId is set by the sync itself',
      'fieldMapping.type: Type is already used for description',
      'fieldMapping.status: "a b" is not a field API name',
    ]);
  });
});
