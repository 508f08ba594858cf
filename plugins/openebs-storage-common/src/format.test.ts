import { formatDuration } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [12.4, '12 s'],
    [30, '30 s'],
    [300, '5 min'],
    [450, '7 min 30 s'],
    [900, '15 min'],
    [2 * 3600 + 5 * 60 + 9, '2 h 5 min'],
    [25 * 3600, '1 d 1 h'],
    [-5, '0 s'],
  ])('formats %p seconds as %p', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
