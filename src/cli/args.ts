/** `cmd pos1 --flag value --json` → { command, positional, flags }. Unknown shapes are errors. */
export interface ParsedArgs {
  command: string;
  positional: string[];
  flags: Map<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'help', 'register-scopes']);

export function parseArgs(argv: string[]): ParsedArgs {
  const [first = 'help', ...rest] = argv;
  const command = first === '-h' || first === '--help' ? 'help' : first;
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] === '-h' ? '--help' : rest[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, true);
    } else if (inline !== undefined) {
      flags.set(name, inline);
    } else {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliError(`--${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  return { command, positional, flags };
}

export class CliError extends Error {}

export function requireFlag(args: ParsedArgs, name: string): string {
  const value = args.flags.get(name);
  if (typeof value !== 'string' || value === '') throw new CliError(`--${name} is required`);
  return value;
}

export function optionalFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function onlyFlags(args: ParsedArgs, allowed: string[]): void {
  for (const name of args.flags.keys()) {
    if (!allowed.includes(name)) throw new CliError(`unknown option --${name} for ${args.command}`);
  }
}

export function onePositional(args: ParsedArgs, what: string): string {
  if (args.positional.length !== 1) throw new CliError(`${args.command} takes exactly one ${what}`);
  return args.positional[0];
}
