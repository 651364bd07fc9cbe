import { describe, expect, it } from 'vitest';
import { approvalFor, incidentToken, isApproved, parseApprovals } from './incidents.ts';

describe('approvals', () => {
  it('parses the <side>:<id>:<token> form and ignores anything else', () => {
    expect(parseApprovals('A:158:1a2b3c4d, B:7:ff00aa11,158,A:x:1,C:1:t,A:1:')).toEqual([
      { side: 'A', id: 158, token: '1a2b3c4d' },
      { side: 'B', id: 7, token: 'ff00aa11' },
    ]);
    expect(parseApprovals(undefined)).toEqual([]);
  });

  it('matches only the incident it names: side, ID and token', () => {
    const incident = { side: 'A' as const, id: 158, token: incidentToken('uid', 'ResyncRequired', 'A', 158, '2026-12-02T10:00:00Z') };
    const approvals = parseApprovals(approvalFor(incident));
    expect(isApproved(approvals, incident)).toBe(true);
    expect(isApproved(approvals, { ...incident, side: 'B' })).toBe(false);
    expect(isApproved(approvals, { ...incident, id: 159 })).toBe(false);
    expect(isApproved(approvals, { ...incident, token: incidentToken('uid', 'ResyncRequired', 'A', 158, '2026-12-03T10:00:00Z') })).toBe(false);
  });

  it('gives different incidents different tokens, the same incident the same token', () => {
    expect(incidentToken('u', 'R', 1)).toBe(incidentToken('u', 'R', 1));
    expect(incidentToken('u', 'R', 1)).not.toBe(incidentToken('u', 'R', 2));
    expect(incidentToken('u', 'R', 1)).toMatch(/^[0-9a-f]{8}$/);
  });
});
