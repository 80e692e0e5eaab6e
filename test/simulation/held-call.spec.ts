import { CallHold } from './held-call';

describe(CallHold.name, () => {
  it('holds the next call once armed, and tells the step which call it is', async () => {
    const sut = new CallHold();
    const taken = sut.arm({ applies: true });
    const held = sut.take({ kind: 'submit', refundNo: 'R0' });
    expect(held?.applies).toBe(true);
    await expect(taken).resolves.toEqual({ kind: 'submit', refundNo: 'R0' });
  });

  it('holds nothing when not armed, and only one call per arming', () => {
    const sut = new CallHold();
    expect(sut.take({ kind: 'query', refundNo: 'R0' })).toBeNull();
    void sut.arm({ applies: false });
    expect(sut.take({ kind: 'query', refundNo: 'R0' })?.applies).toBe(false);
    expect(sut.take({ kind: 'query', refundNo: 'R1' })).toBeNull();
  });

  it('lets calls of another kind pass when armed for one kind', async () => {
    const sut = new CallHold();
    const taken = sut.arm({ applies: true, kind: 'submit' });
    expect(sut.take({ kind: 'query', refundNo: 'R2' })).toBeNull();
    expect(sut.take({ kind: 'submit', refundNo: 'R2' })).not.toBeNull();
    await expect(taken).resolves.toEqual({ kind: 'submit', refundNo: 'R2' });
  });

  it('lets calls about other refunds pass when armed for some', () => {
    const sut = new CallHold();
    void sut.arm({ applies: true, refundNos: new Set(['R1']) });
    expect(sut.take({ kind: 'submit', refundNo: 'R0' })).toBeNull();
    expect(sut.take({ kind: 'submit', refundNo: 'R1' })).not.toBeNull();
  });

  it('ends the released call as a transport failure, and only then', async () => {
    const sut = new CallHold();
    void sut.arm({ applies: true });
    const held = sut.take({ kind: 'query', refundNo: 'R3' });
    let settled = false;
    void held?.answered.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(sut.release()).toBe(true);
    await expect(held?.answered).resolves.toMatchObject({ kind: 'failure', reason: 'connection' });
  });

  it('ends a call released with its answer as the gateway answers it, and only then', async () => {
    const sut = new CallHold();
    void sut.arm({ applies: false });
    const held = sut.take({ kind: 'submit', refundNo: 'R1' });
    let processed = 0;
    // Not applied when taken: the gateway processes the call as it answers, not before.
    held?.answerWith(() => {
      processed += 1;
      return { kind: 'answer', status: 200, body: 'accepted', headers: {} };
    });
    await Promise.resolve();
    expect(processed).toBe(0);
    expect(sut.release('answer')).toBe(true);
    await expect(held?.answered).resolves.toEqual({ kind: 'answer', status: 200, body: 'accepted', headers: {} });
    expect(processed).toBe(1);
  });

  it('ends a call released as a failure without asking the gateway for its answer', async () => {
    const sut = new CallHold();
    void sut.arm({ applies: true });
    const held = sut.take({ kind: 'query', refundNo: 'R2' });
    const respond = jest.fn(() => ({ kind: 'answer', status: 200, body: 'ok', headers: {} }) as const);
    held?.answerWith(respond);
    expect(sut.release()).toBe(true);
    await expect(held?.answered).resolves.toMatchObject({ kind: 'failure', reason: 'connection' });
    expect(respond).not.toHaveBeenCalled();
  });

  it('drops a hold no call took: release says so, and the next call passes', () => {
    const sut = new CallHold();
    void sut.arm({ applies: true });
    expect(sut.release()).toBe(false);
    expect(sut.take({ kind: 'submit', refundNo: 'R4' })).toBeNull();
  });

  it('refuses to arm twice, whether the first hold is armed or already holding a call', () => {
    const sut = new CallHold();
    void sut.arm({ applies: true });
    expect(() => sut.arm({ applies: false })).toThrow(/already held or about to be/);
    sut.take({ kind: 'submit', refundNo: 'R0' });
    expect(() => sut.arm({ applies: false })).toThrow(/already held or about to be/);
    sut.release();
    expect(() => sut.arm({ applies: false })).not.toThrow();
  });
});
