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

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    mysql: false,
    seedKeys: 0,
    durationSeconds: 3,
    runs: 3,
    connections: 50,
    node: process.execPath,
  };
  const numberAfter = (i: number, min: number, max: number): number => {
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`${argv[i]} needs a whole number from ${min} to ${max}\n${USAGE}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mysql') options.mysql = true;
    else if (arg === '--seed-keys') options.seedKeys = numberAfter(i++, 1000, 10_000_000);
    else if (arg === '--duration') options.durationSeconds = numberAfter(i++, 1, 60);
    else if (arg === '--runs') options.runs = numberAfter(i++, 1, 15);
    else if (arg === '--connections') options.connections = numberAfter(i++, 1, 1000);
    else if (arg === '--node' && argv[i + 1]) options.node = argv[++i];
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (options.seedKeys > 0 && !options.mysql) throw new Error(`--seed-keys needs --mysql\n${USAGE}`);
  return options;
}
