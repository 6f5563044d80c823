import { ChangeLog, EVERYTHING } from './change-log';

describe('ChangeLog', () => {
  it('says whether a change of the given scopes came after a mark', () => {
    const log = new ChangeLog();
    const mark = log.mark();
    expect(log.changedSince(mark, ['key:a'])).toBe(false);
    log.record('key:b');
    expect(log.changedSince(mark, ['key:a', 'user:u'])).toBe(false);
    log.record('user:u');
    expect(log.changedSince(mark, ['key:a', 'user:u'])).toBe(true);
    expect(log.changedSince(log.mark(), ['user:u'])).toBe(false);
    const later = log.mark();
    log.record(EVERYTHING);
    expect(log.changedSince(later, ['key:z'])).toBe(true);
  });

  it('counts a mark older than what it remembers as changed', () => {
    const log = new ChangeLog();
    const mark = log.mark();
    for (let i = 0; i < 2000; i++) log.record(`key:${i}`);
    expect(log.changedSince(mark, ['key:none'])).toBe(true);
    const recent = log.mark();
    log.record('key:x');
    expect(log.changedSince(recent, ['key:none'])).toBe(false);
  });
});
