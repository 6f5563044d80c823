/** `npm run bench -- [--mysql] [--seed-keys N] [--duration S] [--runs R] [--connections C] [--node PATH]` */
export interface BenchOptions {
  mysql: boolean;
  seedKeys: number;
  durationSeconds: number;
  runs: number;
  connections: number;
  /** The Node binary the servers run on (the bench itself runs on the current one). */
  node: string;
}

const USAGE =
  'usage: npm run bench -- [--mysql] [--seed-keys N (needs --mysql)] [--duration 3] [--runs 3] [--connections 50] [--node /path/to/node]';

/** The whole number after option argv[i], within [min, max]; otherwise an error with `usage`. */
function numberAfter(argv: string[], i: number, min: number, max: number, usage: string): number {
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${argv[i]} needs a whole number from ${min} to ${max}\n${usage}`);
  return value;
}

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    mysql: false,
    seedKeys: 0,
    durationSeconds: 3,
    runs: 3,
    connections: 50,
    node: process.execPath,
  };
  const numberAt = (i: number, min: number, max: number) => numberAfter(argv, i, min, max, USAGE);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mysql') options.mysql = true;
    else if (arg === '--seed-keys') options.seedKeys = numberAt(i++, 1000, 10_000_000);
    else if (arg === '--duration') options.durationSeconds = numberAt(i++, 1, 60);
    else if (arg === '--runs') options.runs = numberAt(i++, 1, 15);
    else if (arg === '--connections') options.connections = numberAt(i++, 1, 1000);
    else if (arg === '--node' && argv[i + 1]) options.node = argv[++i];
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (options.seedKeys > 0 && !options.mysql) throw new Error(`--seed-keys needs --mysql\n${USAGE}`);
  return options;
}

const INSTRUCTIONS_USAGE =
  'usage: npm run bench:instructions -- [--requests 1000] [--warmup 30000] [--connections 1] [--only bare,a,b,c,bjson]';

/** The servers bench:instructions can count; `--only` picks some (an ablation needs one or two). */
export const INSTRUCTION_TARGETS = ['bare', 'a', 'b', 'c', 'bjson'] as const;
export type InstructionTarget = (typeof INSTRUCTION_TARGETS)[number];

/** `npm run bench:instructions -- [--requests N] [--warmup N] [--connections N] [--only …]`: requests counted, uncounted before, over how many connections, and which servers. */
export function parseInstructionsArgs(argv: string[]): {
  requests: number;
  warmup: number;
  connections: number;
  only: InstructionTarget[];
} {
  const options = { requests: 1000, warmup: 30_000, connections: 1, only: [...INSTRUCTION_TARGETS] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--requests') options.requests = numberAfter(argv, i++, 1, 1_000_000, INSTRUCTIONS_USAGE);
    else if (argv[i] === '--connections')
      options.connections = numberAfter(argv, i++, 1, 64, INSTRUCTIONS_USAGE);
    else if (argv[i] === '--warmup')
      options.warmup = numberAfter(argv, i++, 0, 1_000_000, INSTRUCTIONS_USAGE);
    else if (argv[i] === '--only') options.only = targetsAfter(argv[++i] ?? '');
    else throw new Error(`unknown option ${argv[i]}\n${INSTRUCTIONS_USAGE}`);
  }
  return options;
}

function targetsAfter(list: string): InstructionTarget[] {
  const names = list.split(',');
  const known = new Set<string>(INSTRUCTION_TARGETS);
  if (list === '' || names.some((name) => !known.has(name)))
    throw new Error(`--only needs some of ${INSTRUCTION_TARGETS.join(',')}\n${INSTRUCTIONS_USAGE}`);
  return INSTRUCTION_TARGETS.filter((name) => names.includes(name));
}
