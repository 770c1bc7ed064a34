import { describe, expect, it } from 'vitest';
import { groupIssues } from './form-issues';

const fields = ['name', 'project', 'parameters', 'parameters.dropout', 'metric.name'];

describe('groupIssues', () => {
  it('puts each issue on the field with the longest matching path prefix', () => {
    const { byField, general } = groupIssues(
      [
        { path: 'parameters.dropout.values.1', message: 'too big' },
        { path: 'parameters.dropout', message: 'not a number' },
        { path: 'parameters', message: 'grid too large' },
        { path: 'project', message: 'use lowercase' },
      ],
      fields,
    );
    expect(byField).toEqual({
      'parameters.dropout': ['too big', 'not a number'],
      parameters: ['grid too large'],
      project: ['use lowercase'],
    });
    expect(general).toEqual([]);
  });

  it('keeps issues no field owns for the form-level message', () => {
    const { byField, general } = groupIssues(
      [
        { path: '(root)', message: 'bad body' },
        { path: 'maxRetries', message: 'too many' },
        { path: 'projects', message: 'not a prefix match' },
      ],
      fields,
    );
    expect(byField).toEqual({});
    expect(general).toEqual(['bad body', 'maxRetries: too many', 'projects: not a prefix match']);
  });
});
