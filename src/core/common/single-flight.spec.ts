import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('shares one load between concurrent callers of a key, and loads again once it settled', async () => {
    const flight = new SingleFlight<string, number>();
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
    const [a, b, c] = await Promise.all([
      flight.run('k', load),
      flight.run('k', load),
      flight.run('j', load),
    ]);
    expect([a, b, loads]).toEqual([a, a, 2]);
    expect(c).not.toBe(a);
    expect(await flight.run('k', load)).toBe(3);
  });

  it('lets every caller see a failed load fail, and tries again afterwards', async () => {
    const flight = new SingleFlight<string, number>();
    const failing = () => Promise.reject(new Error('db away'));
    await expect(Promise.all([flight.run('k', failing), flight.run('k', failing)])).rejects.toThrow(
      'db away',
    );
    expect(await flight.run('k', () => Promise.resolve(7))).toBe(7);
  });

  it('does not join a load older than a second: a stuck query keeps only its own callers', async () => {
    const flight = new SingleFlight<string, number>();
    const stuck = flight.run('k', () => new Promise<number>(() => undefined), 0);
    const fresh = await flight.run('k', () => Promise.resolve(5), 1500);
    expect(fresh).toBe(5);
    void stuck;
    // The fresh load settled and was forgotten; the stuck one is no longer in the way either.
    expect(await flight.run('k', () => Promise.resolve(6), 1600)).toBe(6);
  });
});
