import { LoggerService } from '@nestjs/common';

/** Keeps every log line in memory (and prints nothing), so tests can search the server log. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private push(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push(
      `${level} ${[message, ...rest].map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}`,
    );
  }
  log(message: unknown, ...rest: unknown[]) {
    this.push('LOG', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.push('ERROR', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.push('WARN', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.push('DEBUG', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.push('VERBOSE', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.push('FATAL', message, rest);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
