import { describe, expect, it } from 'vitest';
import { parseStdoutLine } from './metric-line.js';

describe('stdout lines of a command trial', () => {
  it('reads metric, final and checkpoint lines; anything else is a log line', () => {
    expect(parseStdoutLine('{"step": 3, "val_acc": 0.81, "loss": 1e-3}')).toEqual({ kind: 'record', step: 3, final: false, checkpoint: undefined, metrics: { val_acc: 0.81, loss: 0.001 }, refused: [] });
    expect(parseStdoutLine('  {"final": true, "test_acc": 0.8}\r')).toMatchObject({ kind: 'record', step: undefined, final: true, metrics: { test_acc: 0.8 } });
    expect(parseStdoutLine('{"checkpoint": 4}')).toMatchObject({ kind: 'record', checkpoint: 4, metrics: {} });
    expect(parseStdoutLine('{"step": 4, "acc": 0.5, "checkpoint": 4}')).toMatchObject({ kind: 'record', step: 4, checkpoint: 4, metrics: { acc: 0.5 } });
    expect(parseStdoutLine('Epoch 1/3: loss 0.5')).toEqual({ kind: 'log' });
    expect(parseStdoutLine('')).toEqual({ kind: 'log' });
    expect(parseStdoutLine('[1, 2]')).toEqual({ kind: 'log' });
  });

  it('names what is wrong with a line that looks like a metric line but is not one', () => {
    const reason = (line: string) => {
      const r = parseStdoutLine(line);
      return r.kind === 'malformed' ? r.reason : r.kind;
    };
    expect(reason("{'step': 1, 'acc': 0.5}")).toMatch(/^not JSON/); // Python's print(dict)
    expect(reason('{"step": 1, "acc": 0.5')).toMatch(/^not JSON/);
    expect(reason('{"acc": 0.5}')).toMatch(/needs "step"/);
    expect(reason('{"step": 1.5, "acc": 0.5}')).toMatch(/"step" must be a whole number/);
    expect(reason('{"step": -1, "acc": 0.5}')).toMatch(/"step" must be a whole number/);
    expect(reason('{"step": "3", "acc": 0.5}')).toMatch(/got "3"/);
    expect(reason('{"checkpoint": true}')).toMatch(/"checkpoint" must be/);
    expect(reason('{"final": 1, "acc": 2}')).toMatch(/"final" must be true or false/);
    expect(reason('{"step": 1}')).toMatch(/no metrics/);
    expect(reason(JSON.stringify(Object.fromEntries([['step', 1], ...Array.from({ length: 101 }, (_, i) => [`m${i}`, i])])))).toMatch(/101 metrics/);
  });

  it("refuses NaN and Infinity (as Python's json.dumps writes them) by name, and keeps the other metrics", () => {
    const r = parseStdoutLine('{"step": 3, "loss": NaN, "acc": 0.5, "grad": -Infinity, "lr": Infinity, "note": "NaN Infinity"}');
    expect(r).toMatchObject({ kind: 'record', step: 3, metrics: { acc: 0.5 } });
    expect(r.kind === 'record' && r.refused).toEqual([
      'loss is NaN; metrics must be finite numbers',
      'grad is -Infinity; metrics must be finite numbers',
      'lr is Infinity; metrics must be finite numbers',
      'note is "NaN Infinity", not a number',
    ]);
  });

  it('refuses values that are no numbers, beyond float32, and names no report can carry', () => {
    const r = parseStdoutLine('{"step": 1, "a": null, "b": [1], "c": 1e39, "bad name": 1, "ok/x.y-z": 2}');
    expect(r).toMatchObject({ kind: 'record', metrics: { 'ok/x.y-z': 2 } });
    expect(r.kind === 'record' && r.refused.map((s) => s.split(' ')[0])).toEqual(['a', 'b', 'c', '"bad']);
  });
});
