import { waitUntil } from './wait-until';

describe(waitUntil.name, () => {
  it('resolves once the condition holds', async () => {
    let turns = 0;
    await waitUntil(() => ++turns >= 3, { what: 'three looks' });
    expect(turns).toBe(3);
  });

  it('fails naming what it waited for once the deadline has passed', async () => {
    await expect(waitUntil(async () => false, { what: 'the impossible', deadlineMs: 20, everyMs: 5 })).rejects.toThrow(
      'never happened within 20 ms: the impossible',
    );
  });
});
