import { randomFillSync } from 'node:crypto';

/**
 * Our own request ids: 24 hex digits, 96 bits from the operating system's CSPRNG. Random, so
 * that an id tells nobody how many requests the server answered in between (a counter would
 * show any tenant the traffic of all the others) and nobody can send, as their own
 * X-Request-Id, the id the server will give a later request (an attack pass did, with counter
 * ids). Not `crypto.randomUUID()`: its string is built from 20 pieces per call, which counted
 * ~2,400 instructions a request (`npm run bench:instructions`, bare with and without it); one
 * hex slice of a pooled buffer counts a fraction of that. 24 digits stay below the 32-character
 * run the log redaction cuts as a token (secret-redaction.ts).
 */
const ID_BYTES = 12;
const IDS_PER_FILL = 256;
const pool = Buffer.alloc(ID_BYTES * IDS_PER_FILL);
let next = IDS_PER_FILL;

export function newRequestId(): string {
  if (next === IDS_PER_FILL) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next++ * ID_BYTES;
  return pool.toString('hex', start, start + ID_BYTES);
}
