import { describe, expect, it } from 'vitest';
import { parseSpecText, specIssues } from './spec-validation';

const yaml = `name: pasted
template: mnist-cnn
parameters:
  dropout: { values: [0, 0.5] }
metric: { name: val_acc, goal: maximize }
`;

describe('spec validation as the user types', () => {
  it('accepts a valid YAML spec, and the same as JSON', () => {
    expect(parseSpecText(yaml)).toMatchObject({ spec: { name: 'pasted', parameters: { dropout: { values: [0, 0.5] } } }, issues: [] });
    expect(parseSpecText(JSON.stringify(parseSpecText(yaml).spec)).issues).toEqual([]);
  });

  it('names the field path of each issue: a value out of the template range, a misspelt param, a missing goal', () => {
    const paths = specIssues({ name: 'x', template: 'mnist-cnn', parameters: { dropout: { values: [2] }, dropuot: { values: [0] } }, metric: { name: 'val_acc' } }).map((i) => i.path);
    expect(paths).toContain('metric.goal');
    const bad = specIssues({ name: 'x', template: 'mnist-cnn', parameters: { dropout: { values: [2] }, dropuot: { values: [0] } }, metric: { name: 'val_acc', goal: 'maximize' } });
    expect(bad.map((i) => i.path)).toEqual(expect.arrayContaining(['parameters.dropuot', 'parameters.dropout']));
    expect(bad.find((i) => i.path === 'parameters.dropuot')?.message).toMatch(/dropout/);
  });

  it('reports a YAML syntax error with its line, and a spec that is not a mapping', () => {
    const broken = parseSpecText('name: x\nparameters: {dropout: [0,\n');
    expect(broken.spec).toBeUndefined();
    expect(broken.issues[0]?.path).toBe('(syntax)');
    expect(broken.issues[0]?.message).toMatch(/line/i);
    expect(parseSpecText('- a\n- b').issues[0]?.message).toMatch(/mapping/);
  });
});
