/** A configuration value is missing or wrong. The message names the variable and what it expects. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, got?: string) {
    super(
      `Invalid configuration: ${variable} must be ${expected}` +
        (got === undefined ? '' : ` (got ${JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}…` : got)})`),
    );
    this.name = 'ConfigError';
  }
}
