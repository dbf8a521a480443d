import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATUSES, transition, type CaseStatus } from '../../../cloud/alerts/case-state.ts';
import { checkFinding } from '../../../cloud/alerts/case-finding.ts';
import { DEFAULT_SLA, deadlineFor, earlier, planEscalation } from '../../../cloud/alerts/case-sla.ts';
import { dedupKey, mergeByCase, type CaseTrigger } from '../../../cloud/alerts/case-trigger.ts';
import { mediaLinks, triggerFromEvent } from '../../../cloud/alerts/special-monitoring-rules.ts';
import { triggerFromAnomaly } from '../../../cloud/alerts/integrity-rules.ts';
import { triggerFromCollateralChange } from '../../../cloud/alerts/pledged-elsewhere-rule.ts';
import type { VerificationEvent } from '../../../protocol/index.ts';
import { evidenceOf, typedOrThrow } from '../../support/evidence-examples.ts';

describe('case state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = CASE_STATUSES.flatMap((from) => CASE_ACTIONS.flatMap((action) => {
      const r = transition(from, action);
      return r.ok ? [`${from} -${action}-> ${r.next}`] : [];
    }));
    expect(allowed).toEqual([
      'open -acknowledge-> acknowledged',
      'acknowledged -investigate-> investigating',
      'acknowledged -resolve-> resolved',
      'investigating -resolve-> resolved',
    ]);
  });

  it('says why an illegal transition is refused', () => {
    expect(transition('resolved' as CaseStatus, 'acknowledge')).toEqual({ ok: false, reason: 'cannot acknowledge a case that is resolved (only from open)' });
    expect(transition('open', 'resolve')).toMatchObject({ ok: false, reason: expect.stringMatching(/only from acknowledged or investigating/) as string });
  });
});

describe('findings', () => {
  it('requires a positive quantity for a confirmed loss and none otherwise', () => {
    expect(checkFinding({ kind: 'confirmed_loss', quantity: { value: '0012.50', unit: 't' } })).toEqual({ ok: true, finding: { kind: 'confirmed_loss', quantity: { value: '12.5', unit: 't' } } });
    expect(checkFinding({ kind: 'confirmed_loss' })).toMatchObject({ ok: false });
    expect(checkFinding({ kind: 'confirmed_loss', quantity: { value: '0', unit: 't' } })).toMatchObject({ ok: false });
    expect(checkFinding({ kind: 'confirmed_loss', quantity: { value: '1e3', unit: 't' } })).toMatchObject({ ok: false });
    expect(checkFinding({ kind: 'confirmed_loss', quantity: { value: '1', unit: ' ' } })).toMatchObject({ ok: false });
    expect(checkFinding({ kind: 'device_fault', quantity: { value: '1', unit: 't' } })).toMatchObject({ ok: false });
    for (const kind of ['false_alarm', 'goods_restored', 'device_fault'] as const) expect(checkFinding({ kind })).toEqual({ ok: true, finding: { kind } });
  });
});

describe('SLA', () => {
  const opened = new Date('2026-01-01T00:00:00Z');
  it('gives each severity its acknowledgement and resolution windows from opening', () => {
    expect(deadlineFor({ status: 'open', severity: 'critical', openedAt: opened })?.toISOString()).toBe('2026-01-01T00:15:00.000Z');
    expect(deadlineFor({ status: 'open', severity: 'info', openedAt: opened })?.toISOString()).toBe('2026-01-01T08:00:00.000Z');
    expect(deadlineFor({ status: 'investigating', severity: 'warning', openedAt: opened })?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(deadlineFor({ status: 'resolved', severity: 'warning', openedAt: opened })).toBeNull();
    expect(earlier(new Date(2), new Date(1))?.getTime()).toBe(1);
    expect(earlier(null, new Date(1))?.getTime()).toBe(1);
  });

  it('escalates a step at a time, up to the limit', () => {
    const due = new Date('2026-01-01T01:00:00Z');
    expect(planEscalation({ status: 'open', severity: 'info', dueAt: due, escalationLevel: 0 }, new Date(due.getTime() - 1))).toBeNull();
    expect(planEscalation({ status: 'open', severity: 'info', dueAt: due, escalationLevel: 0 }, due)).toEqual({ level: 1, severity: 'warning', dueAt: new Date(due.getTime() + DEFAULT_SLA.acknowledgeMs.warning) });
    expect(planEscalation({ status: 'investigating', severity: 'warning', dueAt: due, escalationLevel: 1 }, due)).toEqual({ level: 2, severity: 'critical', dueAt: new Date(due.getTime() + DEFAULT_SLA.resolveMs.critical) });
    expect(planEscalation({ status: 'open', severity: 'critical', dueAt: due, escalationLevel: DEFAULT_SLA.maxEscalations }, due)).toBeNull();
    expect(planEscalation({ status: 'resolved', severity: 'critical', dueAt: due, escalationLevel: 0 }, due)).toBeNull();
  });
});

const event = (over: Partial<VerificationEvent>): VerificationEvent => ({
  id: '00000000-0000-4000-8000-000000000001',
  site: 's1',
  gatewayId: 'gw-1',
  seq: 1,
  ts: '2026-01-01T10:00:00.000Z',
  type: 'tags.missing',
  severity: 'warning',
  evidence: {},
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
  sig: `${'A'.repeat(86)}==`,
  ...over,
});

describe('special monitoring rules', () => {
  it('opens cases for warnings and criticals of the listed types only', () => {
    expect(triggerFromEvent(typedOrThrow(event({ lotId: 'L1', evidence: evidenceOf('tags.missing', { count: 4 }) })))).toMatchObject({ kind: 'tags.missing', severity: 'warning', siteId: 's1', lotId: 'L1', title: '4 tag(s) missing from lot L1', evidence: [{ kind: 'event', ref: event({}).id }] });
    expect(triggerFromEvent(typedOrThrow(event({ severity: 'info', evidence: evidenceOf('tags.missing') })))).toBeNull();
    expect(triggerFromEvent(typedOrThrow(event({ type: 'tags.moved', severity: 'critical', evidence: evidenceOf('tags.moved') })))).toBeNull();
    expect(triggerFromEvent(typedOrThrow(event({ type: 'device.online', severity: 'warning', evidence: evidenceOf('device.online') })))).toBeNull();
    expect(triggerFromEvent(typedOrThrow(event({ type: 'lot.state', severity: 'info', lotId: 'L1', evidence: evidenceOf('lot.state', { state: 'breached' }) })))).toMatchObject({ kind: 'lot.state', severity: 'critical' });
    expect(triggerFromEvent(typedOrThrow(event({ type: 'lot.state', severity: 'warning', lotId: 'L1', evidence: evidenceOf('lot.state', { state: 'degraded' }) })))).toBeNull();
    expect(triggerFromEvent(typedOrThrow(event({ type: 'camera.tamper', severity: 'critical', zone: 'z1', evidence: evidenceOf('camera.tamper', { device: 's1/camera/c1', kind: 'frozen' }) })))?.title).toBe('Camera s1/camera/c1 frozen in zone z1');
  });

  it('links the attachments the gateway cites: crops as camera crops, clips as audio clips, by hash', () => {
    const crop = evidenceOf('camera.change');
    const clip = evidenceOf('audio.anomaly');
    expect(mediaLinks(typedOrThrow(event({ type: 'camera.change', evidence: crop })))).toEqual([{ kind: 'camera_crop', ref: crop.attachments?.[0]?.sha256 }]);
    expect(mediaLinks(typedOrThrow(event({ type: 'audio.anomaly', evidence: clip })))).toEqual([{ kind: 'audio_clip', ref: clip.attachments?.[0]?.sha256 }]);
    expect(mediaLinks(typedOrThrow(event({ evidence: evidenceOf('tags.missing') })))).toEqual([]);
  });

  it('keys dedup on site, lot and kind', () => {
    expect(dedupKey({ siteId: 's1', lotId: null, kind: 'device.offline' })).toBe('s1|-|device.offline');
    expect(dedupKey({ siteId: 's1', lotId: null, kind: 'inspection.missed', private: true, extraTenants: ['b2', 'b1'] })).toBe('s1|-|inspection.missed|b1,b2');
  });

  it('merges the triggers of one batch that land on the same case', () => {
    const base: CaseTrigger = { kind: 'tags.missing', title: 'first', severity: 'warning', source: 'gateway', siteId: 's1', lotId: 'L1', gatewayId: 'g', at: new Date(1), detail: {}, evidence: [{ kind: 'event', ref: 'e1' }] };
    const merged = mergeByCase([base, { ...base, title: 'second', severity: 'critical', at: new Date(3), evidence: [{ kind: 'event', ref: 'e2' }] }, { ...base, lotId: 'L2' }]);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({ title: 'first', severity: 'critical', at: new Date(3), occurrences: 2, evidence: [{ ref: 'e1' }, { ref: 'e2' }] });
    expect(merged[1]).toMatchObject({ lotId: 'L2', occurrences: 1 });
  });

  it('turns chain anomalies and refusals into critical cases', () => {
    const at = new Date();
    expect(triggerFromAnomaly({ gatewayId: 'g', site: 's', at, anomaly: { kind: 'gap', from: 3, to: 5, resumedAt: 'e6' } })).toMatchObject({ kind: 'chain.gap', severity: 'critical', evidence: [{ kind: 'event', ref: 'e6' }] });
    expect(triggerFromAnomaly({ gatewayId: 'g', site: 's', at, anomaly: { kind: 'rejected', class: 'replay', count: 2, rejectionIds: ['r1'] } })).toMatchObject({ kind: 'ingest.replay', evidence: [{ kind: 'document', ref: 'ingest-rejection:r1' }] });
    expect(triggerFromAnomaly({ gatewayId: 'g', site: 's', at, anomaly: { kind: 'something-else' } })).toBeNull();
  });

  it('takes only pledged_epc_elsewhere from collateral changes', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(triggerFromCollateralChange({ tenantId: 'b', facilityId: null, receiptId: null, reason: 'revaluation', detail: {} }, now)).toBeNull();
    expect(triggerFromCollateralChange({ tenantId: 'b', facilityId: 'f', receiptId: 'r', reason: 'pledged_epc_elsewhere', detail: { receiptSite: 's1', lotId: 'L', seenAtSite: 's2', epcs: ['AA'] } }, now)).toMatchObject({
      kind: 'pledged_epc_elsewhere',
      siteId: 's1',
      lotId: 'L',
      extraTenants: ['b'],
      at: now,
    });
  });
});
