import { memoryMi } from './quantity';

describe('memoryMi', () => {
  it('parses memory quantities', () => {
    expect(memoryMi('256Mi')).toBe(256);
    expect(memoryMi('1Gi')).toBe(1024);
    expect(memoryMi('500M')).toBeCloseTo(476.8, 1);
    expect(memoryMi('lots')).toBeUndefined();
  });

  it('takes every binary and decimal suffix, fractions and plain bytes', () => {
    expect(memoryMi('512Ki')).toBe(0.5);
    expect(memoryMi('1.5Gi')).toBe(1536);
    expect(memoryMi('1Ti')).toBe(1024 ** 2);
    expect(memoryMi('1048576')).toBe(1);
    expect(memoryMi(1048576)).toBe(1);
    expect(memoryMi('1k')).toBeCloseTo(1000 / 1024 ** 2, 12);
    expect(memoryMi('1G')).toBeCloseTo(953.67, 2);
    expect(memoryMi('1T')).toBeCloseTo(953674.32, 2);
  });

  it('refuses signs, exponents, milli-units, bare fractions and other cases', () => {
    for (const q of ['', '1mi', '1Mi ', '-1Mi', '.5Gi', '1e3', '1m']) {
      expect(memoryMi(q)).toBeUndefined();
    }
    expect(memoryMi(undefined)).toBeUndefined();
    expect(memoryMi(null)).toBeUndefined();
  });
});
