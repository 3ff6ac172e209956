import { describe, expect, it } from 'vitest';
import { float32Text, float64Text } from './numberText';

describe('numbers as people write them', () => {
  it('prints a stored float32 as the shortest decimal that reads back as it', () => {
    // The values as a model stores them: float32, read back into float64.
    const stored = (x: number) => new Float32Array([x])[0];
    expect(stored(1e-5)).not.toBe(1e-5);
    expect(float32Text(stored(1e-5))).toBe('1e-5');
    expect(float32Text(stored(0.001))).toBe('0.001');
    expect(float32Text(stored(0.1))).toBe('0.1');
    expect(float32Text(stored(3.14159))).toBe('3.14159');
    expect(float32Text(stored(-2.5))).toBe('-2.5');
    expect(float32Text(stored(16000))).toBe('16000');
    expect(float32Text(0)).toBe('0');
    expect(float32Text(Number.NaN)).toBe('NaN');
    expect(float32Text(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('every printed float32 reads back as the same float32', () => {
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const x = Math.fround((seed / 2 ** 31 - 0.5) * 10 ** ((i % 30) - 15));
      const text = float32Text(x);
      expect(Math.fround(Number(text))).toBe(x);
      expect(text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length).toBeLessThanOrEqual(9);
    }
  });

  it('prints a float64 in the same style', () => {
    expect(float64Text(1e-5)).toBe('1e-5');
    expect(float64Text(0.25)).toBe('0.25');
    expect(float64Text(1e21)).toBe('1e21');
  });
});
