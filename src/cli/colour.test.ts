import { describe, expect, it } from 'vitest';
import { colourEnabled, colourFor, stripColour } from './colour.js';

const TTY = { isTTY: true };
const PIPE = { isTTY: false };

describe('colourEnabled', () => {
  it('is on for a terminal and off for a pipe or file', () => {
    expect(colourEnabled(TTY, {})).toBe(true);
    expect(colourEnabled(PIPE, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
  });

  it('is off on a terminal when NO_COLOR is set to anything but the empty string, or TERM is dumb', () => {
    expect(colourEnabled(TTY, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(TTY, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled(TTY, { TERM: 'dumb' })).toBe(false);
  });

  it('follows FORCE_COLOR over everything else: on even into a pipe, off with 0 or false', () => {
    expect(colourEnabled(PIPE, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(PIPE, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colourEnabled(TTY, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(TTY, { FORCE_COLOR: 'false' })).toBe(false);
  });
});

describe('colourFor', () => {
  it('gives identity functions when colour is off, so no escape code is ever written', () => {
    const off = colourFor(PIPE, {});
    expect(off.enabled).toBe(false);
    expect(off.green('✓')).toBe('✓');
    expect(off.bold('=== Answer ===')).toBe('=== Answer ===');
  });

  it('wraps text in SGR codes when on, which stripColour removes again', () => {
    const on = colourFor(TTY, {});
    expect(on.green('✓')).toBe('\x1b[32m✓\x1b[39m');
    expect(stripColour(on.bold(on.red('x')))).toBe('x');
  });
});
