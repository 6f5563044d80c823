import { hash } from 'bcrypt';
import { TooManyRequestsError } from '../../core/errors';
import { BcryptGate } from './bcrypt-gate';

describe('BcryptGate', () => {
  let stored: string;
  beforeAll(async () => {
    stored = (await hash('the-right-key', 4)).replace(/^\$2b\$/, '$2y$');
  });

  it('accepts PHP $2y$ hashes and refuses a wrong value', async () => {
    const gate = new BcryptGate();
    expect(await gate.check('the-right-key', stored, 'k1', 'a')).toBe(true);
    expect(await gate.check('the-wrong-key', stored, 'k1', 'b')).toBe(false);
  });

  it('never hands bcrypt more than 72 bytes', async () => {
    const long = 'x'.repeat(73);
    const longHash = await hash(long.slice(0, 72), 4);
    // bcrypt alone would accept it (it ignores byte 73 on); the gate refuses first.
    expect(await new BcryptGate().check(long, longHash, 'k2', 'c')).toBe(false);
  });

  it('checks one value once however often it arrives at the same time', () => {
    const gate = new BcryptGate();
    const first = gate.check('the-right-key', stored, 'k3', 'same');
    expect(gate.check('the-right-key', stored, 'k3', 'same')).toBe(first);
  });

  it('fails fast once the queue is full, instead of queueing a flood', async () => {
    const gate = new BcryptGate();
    const pending = Array.from({ length: 20 }, (_, i) => gate.check('guess', stored, `k-${i}`, `f-${i}`));
    await expect(gate.check('guess', stored, 'k-x', 'f-x')).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(await Promise.all(pending)).toEqual(Array(20).fill(false));
  });

  it('refuses one address without bcrypt after 10 failures a minute, and lets the key work elsewhere', async () => {
    const gate = new BcryptGate();
    for (let i = 0; i < 10; i++)
      expect(await gate.check(`guess-${i}`, stored, 'k4', `g-${i}`, 'attacker')).toBe(false);
    // The guessing address: stopped before it costs bcrypt, even with the right value.
    const start = performance.now();
    expect(await gate.check('the-right-key', stored, 'k4', 'right', 'attacker')).toBe(false);
    expect(performance.now() - start).toBeLessThan(2);
    // The genuine holder, elsewhere, is not locked out.
    expect(await gate.check('the-right-key', stored, 'k4', 'right-2', 'holder')).toBe(true);
  });
});
