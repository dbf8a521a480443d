import { describe, expect, it } from 'vitest';
import { checkEvidence, typedEvent, VERIFICATION_EVENT_TYPES, type VerificationEvent } from '../../../protocol/index.ts';
import { EVIDENCE_EXAMPLES, evidenceOf, tagOf } from '../../support/evidence-examples.ts';

describe('evidence schemas, one per event type', () => {
  it.each([...VERIFICATION_EVENT_TYPES])('%s: accepts the evidence the gateway drafts', (type) => {
    expect(checkEvidence(type, EVIDENCE_EXAMPLES[type])).toEqual({ ok: true, value: EVIDENCE_EXAMPLES[type] });
  });

  it.each([...VERIFICATION_EVENT_TYPES])('%s: refuses a key it does not define, naming it', (type) => {
    const result = checkEvidence(type, { ...EVIDENCE_EXAMPLES[type], surprise: 1 });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('surprise') });
  });

  it.each([...VERIFICATION_EVENT_TYPES])('%s: refuses a field of the wrong type', (type) => {
    const [key] = Object.keys(EVIDENCE_EXAMPLES[type]);
    const result = checkEvidence(type, { ...EVIDENCE_EXAMPLES[type], [key as string]: { nested: true } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(`evidence of ${type}: /${key}`);
  });

  it.each([...VERIFICATION_EVENT_TYPES])('%s: refuses an empty evidence (a required field is missing)', (type) => {
    expect(checkEvidence(type, {}).ok).toBe(false);
  });

  it('refuses the loose shapes earlier tests and simulators wrote', () => {
    expect(checkEvidence('tags.missing', { count: 3 }).ok).toBe(false);
    expect(checkEvidence('lot.state', { state: 'breached' }).ok).toBe(false);
    expect(checkEvidence('audio.anomaly', { label: 'engine' }).ok).toBe(false);
    expect(checkEvidence('camera.tamper', { device: 'cam-a', kind: 'covered' }).ok).toBe(false);
  });

  it('refuses oversize evidence: too many tags, a long zone, a huge count of metrics', () => {
    const tags = Array.from({ length: 1001 }, (_, i) => tagOf(i.toString(16).padStart(24, '0')));
    expect(checkEvidence('tags.missing', evidenceOf('tags.missing', { tags, count: 1001 }))).toMatchObject({ ok: false, error: expect.stringContaining('/tags') });
    expect(checkEvidence('camera.change', evidenceOf('camera.change', { zone: 'z'.repeat(129) })).ok).toBe(false);
    const metrics = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`m${i}`, i]));
    expect(checkEvidence('camera.tamper', evidenceOf('camera.tamper', { metrics })).ok).toBe(false);
    expect(checkEvidence('lot.state', evidenceOf('lot.state', { reason: 'x'.repeat(2001) })).ok).toBe(false);
  });

  it('refuses what PROTOCOL.md closes: tamper kinds, audio labels, lot states, device refs, URNs', () => {
    expect(checkEvidence('camera.tamper', evidenceOf('camera.tamper', { kind: 'painted' as never }))).toMatchObject({ ok: false, error: expect.stringContaining('covered') });
    expect(checkEvidence('audio.anomaly', evidenceOf('audio.anomaly', { label: 'music' as never })).ok).toBe(false);
    expect(checkEvidence('lot.state', evidenceOf('lot.state', { state: 'stolen' as never })).ok).toBe(false);
    expect(checkEvidence('device.offline', evidenceOf('device.offline', { device: 'rd-a' }))).toMatchObject({ ok: false, error: expect.stringContaining('{site}/{kind}/{id}') });
    expect(checkEvidence('tags.foreign', evidenceOf('tags.foreign', { tags: [{ epc: 'ZZ', urn: 'urn:epc:raw:8.xZZ' }] })).ok).toBe(false);
    expect(checkEvidence('tags.foreign', evidenceOf('tags.foreign', { tags: [{ epc: 'AB', urn: 'sgtin:1' }] })).ok).toBe(false);
  });

  it('attachments are cited by hash, size and media type, and bounded', () => {
    const bad = { sha256: 'AB'.repeat(32), bytes: 10, mediaType: 'image/jpeg' as const };
    expect(checkEvidence('camera.change', evidenceOf('camera.change', { attachments: [bad] })).ok).toBe(false);
    expect(checkEvidence('audio.anomaly', evidenceOf('audio.anomaly', { attachments: [] })).ok).toBe(false);
  });

  it('an unknown type is refused with a clear message, never thrown', () => {
    expect(checkEvidence('tags.vanished' as never, {})).toEqual({ ok: false, error: 'unknown event type "tags.vanished"' });
  });

  it('typedEvent narrows a sealed event by its type', () => {
    const event = { type: 'tags.missing', evidence: EVIDENCE_EXAMPLES['tags.missing'] } as unknown as VerificationEvent;
    const typed = typedEvent(event);
    expect(typed.ok).toBe(true);
    if (typed.ok && typed.value.type === 'tags.missing') expect(typed.value.evidence.count).toBe(2);
  });
});
