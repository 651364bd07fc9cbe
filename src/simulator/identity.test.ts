// Derived identities and key encoding against the documented examples (element-api.md §2.1, §2.3, F3, F7, F9).
import { describe, expect, it } from 'vitest';
import { apiVersionOf, decodeKey, encodeKey, iqn, normaliseEndpointVersion, scsiEUIDeviceID, scsiNAADeviceID, supportedVersions } from './identity.ts';

const F3_KEY =
  '7b22636c7573746572506169724944223a35352c22636c75737465725061697255554944223a2262393332323437382d333737392d346364332d393038662d326134386632323230326665222c22636c7573746572556e697175654944223a2277637762222c226d766970223a2231302e302e302e3130222c226e616d65223a2250524f44222c2270617373776f7264223a22695e59686f20492d64774d7d4c67614b222c22727063436f6e6e656374696f6e4944223a3931333134323634392c22757365726e616d65223a225f5f53465f706169725f50597a796647704c7246564432444a42227d';
const F7_KEY =
  '7b226d766970223a2231302e302e302e3130222c22766f6c756d654944223a3135382c22766f6c756d654e616d65223a2274657374222c22766f6c756d655061697255554944223a2234346466316435652d383639342d346564312d626461662d666137373366623962313635227d';

describe('pairing keys', () => {
  it('decodes the F3 cluster key and re-encodes it byte for byte', () => {
    const key = decodeKey(F3_KEY)!;
    expect(key).toEqual({
      clusterPairID: 55, clusterPairUUID: 'b9322478-3779-4cd3-908f-2a48f22202fe', clusterUniqueID: 'wcwb', mvip: '10.0.0.10',
      name: 'PROD', password: 'i^Yho I-dwM}LgaK', rpcConnectionID: 913142649, username: '__SF_pair_PYzyfGpLrFVD2DJB',
    });
    expect(encodeKey(key as Record<string, string | number>)).toBe(F3_KEY);
  });

  it('encodes the F7 volume key from unsorted fields', () => {
    expect(encodeKey({ volumePairUUID: '44df1d5e-8694-4ed1-bdaf-fa773fb9b165', volumeName: 'test', volumeID: 158, mvip: '10.0.0.10' })).toBe(F7_KEY);
  });

  it('rejects what is not hex of a JSON object', () => {
    for (const bad of ['', 'abc', 'zz', Buffer.from('[1]').toString('hex'), Buffer.from('{"a":').toString('hex')]) {
      expect(decodeKey(bad)).toBeUndefined();
    }
  });
});

describe('volume identities', () => {
  it('reproduces the F9 SCSI device IDs and IQN', () => {
    expect(scsiEUIDeviceID('wcwb', 158)).toBe('776377620000009ef47acc0100000000');
    expect(scsiNAADeviceID('wcwb', 158)).toBe('6f47acc100000000776377620000009e');
    expect(scsiEUIDeviceID('0oto', 24)).toBe('306f746f00000018f47acc0100000000');
    expect(iqn('bgn0', 'testr', 260)).toBe('iqn.2010-01.com.solidfire:bgn0.testr.260');
  });
});

describe('versions', () => {
  it('derives API versions and endpoint lists', () => {
    expect(apiVersionOf('12.5.0.897')).toBe('12.5');
    expect(supportedVersions('12.5').at(-1)).toBe('12.5');
    expect(supportedVersions('12.8').slice(-3)).toEqual(['12.5', '12.7', '12.8']);
    expect(supportedVersions('12.9').at(-1)).toBe('12.9');
    expect(normaliseEndpointVersion('8.0')).toBe('8.0');
    expect(normaliseEndpointVersion('8')).toBe('8.0');
    expect(normaliseEndpointVersion('8.0x')).toBeUndefined();
  });
});
