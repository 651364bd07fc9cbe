import { describe, expect, it } from 'vitest';
import { OTHER_UUID, UUID, clusterA, clusterB, clusterC, half, pending } from './plan-fixtures.ts';
import { bilateralPairs, highestPairID, isOursByIntent, majorVersion, matchPair, namesCluster, namesNobody, normalizeMvip } from './plan-match.ts';

describe('normalizeMvip', () => {
  it.each([
    ['10.0.0.10', '10.0.0.10:443'],
    ['DC1.example.com', 'dc1.example.com'],
    ['https://10.0.0.10/', '10.0.0.10'],
  ])('%s is the same MVIP as %s', (x, y) => {
    expect(normalizeMvip(x)).toBe(normalizeMvip(y));
  });
  it('keeps other ports apart', () => {
    expect(normalizeMvip('10.0.0.10:8443')).not.toBe(normalizeMvip('10.0.0.10'));
  });
});

describe('namesCluster', () => {
  it('names by the remote uniqueID when the half reports one', () => {
    expect(namesCluster(half(1, UUID, clusterB), clusterB)).toBe(true);
    expect(namesCluster(half(1, UUID, clusterB), clusterC)).toBe(false);
  });

  it('does not accept the MVIP when the reported uniqueID is another cluster (a reused MVIP)', () => {
    const decoy = { ...half(1, UUID, clusterB), clusterUUID: 'zzzz' };
    expect(namesCluster(decoy, clusterB)).toBe(false);
  });

  it('falls back to the MVIP when no uniqueID is reported (absent, empty or an old integer)', () => {
    for (const clusterUUID of [undefined, '', 5487]) {
      expect(namesCluster({ ...half(1, UUID, clusterB), clusterUUID }, clusterB)).toBe(true);
      expect(namesCluster({ ...half(1, UUID, clusterB), clusterUUID }, clusterC)).toBe(false);
    }
  });

  it('a pending pair names nobody', () => {
    expect(namesCluster(pending(1, UUID), clusterB)).toBe(false);
  });

  it('takes an integer clusterUUID, as the Element client hands it on ("5487"), for no uniqueID: the MVIP decides', () => {
    const old = { ...half(1, UUID, clusterB), clusterUUID: '5487' };
    expect(namesCluster(old, clusterB)).toBe(true);
    expect(namesCluster(old, clusterC)).toBe(false);
  });

  it('takes only the 4-character [a-z0-9] form for a uniqueID; anything else falls back to the MVIP', () => {
    for (const clusterUUID of ['12345', 'WCWB-1', 'b9322478-3779-4cd3-908f-2a48f22202fe', '0']) {
      expect(namesCluster({ ...half(1, UUID, clusterB), clusterUUID }, clusterB)).toBe(true);
    }
  });

  it('compares the MVIP with every MVIP the cluster is known by, host and host:443 alike', () => {
    const known = { ...clusterB, mvips: ['dr.example.com', '10.0.1.10'] };
    expect(namesCluster({ ...half(1, UUID, clusterB), clusterUUID: undefined, mvip: '10.0.1.10:443' }, known)).toBe(true);
    expect(namesCluster({ ...half(1, UUID, clusterB), clusterUUID: 5487, mvip: '10.0.1.11' }, known)).toBe(false);
  });

  it('a pending pair reporting clusterUUID 0 names nobody', () => {
    expect(namesNobody({ ...pending(1, UUID), clusterUUID: '0' })).toBe(true);
    expect(namesNobody({ ...pending(1, UUID), clusterUUID: 0 })).toBe(true);
  });
});

describe('matching a pair of A and B', () => {
  it('adopts only a UUID both sides list, each naming the other', () => {
    const a = [half(3, OTHER_UUID, clusterB), half(5, UUID, clusterB)];
    const b = [half(61, UUID, clusterA)];
    expect(bilateralPairs(a, b, clusterA, clusterB).map((m) => m.uuid)).toEqual([UUID]);
  });

  it('ignores a decoy with the same MVIP whose UUID the other side does not list', () => {
    const decoy = { ...half(3, OTHER_UUID, clusterB), clusterUUID: '' };
    expect(matchPair([], [decoy], [half(61, UUID, clusterA)], clusterA, clusterB, { adopt: true })).toBeUndefined();
  });

  it('never adopts a Connected pair with a third cluster', () => {
    const a = [half(3, UUID, clusterC)];
    const b = [half(7, UUID, clusterC)];
    expect(matchPair([], a, b, clusterA, clusterB, { adopt: true })).toBeUndefined();
  });

  it('finds a recorded UUID on one side only, and does not adopt when told not to', () => {
    const found = matchPair([UUID], [half(55, UUID, clusterB, 'Misconfigured')], [], clusterA, clusterB, { adopt: false });
    expect(found).toMatchObject({ uuid: UUID, a: { clusterPairID: 55 }, via: 'known' });
    expect(found?.b).toBeUndefined();
    expect(matchPair([], [half(55, UUID, clusterB)], [half(61, UUID, clusterA)], clusterA, clusterB, { adopt: false })).toBeUndefined();
  });

  it('does not take a recorded UUID whose half names a third cluster', () => {
    expect(matchPair([UUID], [half(55, UUID, clusterC)], [], clusterA, clusterB, { adopt: true })).toBeUndefined();
  });
});

describe('attribution by intent', () => {
  const intent = { phase: 'Starting' as const, startedAt: 'x', highestPairIDOnA: 10 };
  it('claims pending pairs and halves naming B above the mark', () => {
    expect(isOursByIntent(pending(11, UUID), intent, clusterB, [])).toBe(true);
    expect(isOursByIntent(half(12, UUID, clusterB), intent, clusterB, [])).toBe(true);
  });
  it('leaves pairs at or below the mark, naming a third cluster, or owned elsewhere', () => {
    expect(isOursByIntent(pending(10, UUID), intent, clusterB, [])).toBe(false);
    expect(isOursByIntent(half(12, UUID, clusterC), intent, clusterB, [])).toBe(false);
    expect(isOursByIntent(pending(11, UUID), intent, clusterB, [11])).toBe(false);
    expect(isOursByIntent(pending(11, UUID), undefined, clusterB, [])).toBe(false);
  });
});

describe('small helpers', () => {
  it('highestPairID', () => {
    expect(highestPairID([])).toBe(0);
    expect(highestPairID([pending(4, UUID), half(9, UUID, clusterB)])).toBe(9);
  });
  it('majorVersion', () => {
    expect(majorVersion('12.5.0.897')).toBe(12);
    expect(majorVersion('')).toBeUndefined();
  });
});
