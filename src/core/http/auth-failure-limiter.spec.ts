import { Logger } from '@nestjs/common';
import type { KeygateConfig } from '../config/keygate.config';
import { Metrics } from '../metrics/metrics';
import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter logging', () => {
  it('writes at most 20 failure lines a second across addresses, then counts the rest in one line', () => {
    const lines: string[] = [];
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      lines.push(String(message));
    });
    try {
      const limiter = new AuthFailureLimiter({ authFailureLimit: 100 } as KeygateConfig, new Metrics());
      const second = 1_800_000_000_000;
      for (let i = 0; i < 500; i++)
        limiter.noteFailure('not_found', `10.0.${i >> 8}.${i & 255}`, undefined, second + i);
      expect(lines.filter((l) => l.startsWith('authentication failed: reason='))).toHaveLength(20);
      limiter.noteFailure('not_found', '10.9.9.9', undefined, second + 1000);
      expect(lines).toContain(
        'authentication failed 480 more times in a second from 480 addresses, not logged one by one: not_found=480',
      );
      // One address alone keeps its first few lines, as before.
      expect(lines.filter((l) => l.includes('ip=10.9.9.9'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
