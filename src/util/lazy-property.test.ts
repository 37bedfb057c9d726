import { describe, expect, it } from 'vitest';
import { defineLazy } from './lazy-property.js';

describe('defineLazy', () => {
  it('computes the value on first read only, then holds it as a data property', () => {
    let calls = 0;
    const target = defineLazy({ a: 1 }, 'b', () => (calls++, [calls]));
    expect(calls).toBe(0);
    expect(target.b).toEqual([1]);
    expect(target.b).toBe(target.b);
    expect(calls).toBe(1);
    expect(Object.getOwnPropertyDescriptor(target, 'b')).toMatchObject({ writable: true, enumerable: true });
  });

  it('is read by spreading, JSON and structuredClone like any property', () => {
    const make = () => defineLazy({ a: 1 }, 'b', () => 'late');
    expect({ ...make() }).toEqual({ a: 1, b: 'late' });
    expect(JSON.parse(JSON.stringify(make()))).toEqual({ a: 1, b: 'late' });
    expect(structuredClone(make())).toEqual({ a: 1, b: 'late' });
    expect(Object.keys(make())).toEqual(['a', 'b']);
  });

  it('takes an assignment instead of computing', () => {
    let calls = 0;
    const target = defineLazy({}, 'b', () => (calls++, 'computed'));
    target.b = 'given';
    expect(target.b).toBe('given');
    expect(calls).toBe(0);
  });
});
