import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { MAX_PHOTO_BYTES } from '../../../cloud/alerts/photo-format.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from './support/monitoring-world.ts';

/** A real 1×1 PNG: signature, IHDR, IDAT, IEND (the chunks' CRCs are not checked here). */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
}
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'ascii'), Buffer.alloc(64, 1), Buffer.from([0xff, 0xd9])]);

/**
 * The branch reports back with photos: attached to its own comment on a case, stored as
 * they came (JPEG or PNG by their magic bytes, bounded), shown in the comment thread to
 * whoever sees the case, and not found for anyone else.
 */
describe('photos on case comments', () => {
  let w: MonitoringWorld;
  let risk: Caller;
  let branch: Caller;
  let otherBank: Caller;
  let caseId: string;
  let commentId: string;

  const upload = (by: Caller, body: Buffer, contentType: string, comment = commentId) =>
    w.app.inject({ method: 'POST', url: `/api/v1/alerts/${caseId}/comments/${comment}/photos`, headers: { authorization: `Bearer ${by.token}`, 'content-type': contentType }, payload: body });

  beforeAll(async () => {
    w = await startMonitoringWorld();
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-P1', bank: 'bank-a', operator: 'wh-a' });
    risk = await w.as('bank-a', 'risk_officer');
    branch = await w.as('bank-a', 'branch_investigator');
    otherBank = await w.as('bank-b', 'risk_officer');
    caseId = String(expectStatus(await risk.post('/api/v1/alerts', { title: 'bags moved?', severity: 'warning', site: 's-a', lotId: 'LOT-P1' }), 201).id);
    commentId = String(expectStatus(await branch.post(`/api/v1/alerts/${caseId}/comments`, { body: 'Recounted on site, photo attached' }), 201).id);
  });
  afterAll(() => w.close());

  it('stores a PNG and a JPEG on the comment and shows them in the thread', async () => {
    const png = tinyPng();
    const added = expectStatus(await upload(branch, png, 'image/png'), 201);
    expect(added).toMatchObject({ mediaType: 'image/png', sizeBytes: png.length, url: `/api/v1/case-photos/${String(added.id)}` });
    expectStatus(await upload(branch, JPEG, 'image/jpeg'), 201);
    const detail = expectStatus(await risk.get(`/api/v1/alerts/${caseId}`), 200) as { comments: { id: string; photos: { mediaType: string; url: string }[] }[] };
    const comment = detail.comments.find((c) => c.id === commentId);
    expect(comment?.photos.map((p) => p.mediaType)).toEqual(['image/png', 'image/jpeg']);
    const served = await risk.get(comment?.photos[0]?.url ?? '');
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(png)).toBe(true);
    const audit = await w.db.prisma.auditEntry.findMany({ where: { action: 'case.photo_added', entityId: caseId } });
    expect(audit).toHaveLength(2);
  });

  it('answers 404 to whoever may not see the case, alike for a photo that does not exist', async () => {
    const photoId = String(expectStatus(await upload(branch, tinyPng(), 'image/png'), 201).id);
    const theirs = await otherBank.get(`/api/v1/case-photos/${photoId}`);
    const missing = await otherBank.get('/api/v1/case-photos/00000000-0000-4000-8000-000000000000');
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(theirs.json().message).toBe(missing.json().message);
    expect((await upload(otherBank, tinyPng(), 'image/png')).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: `/api/v1/case-photos/${photoId}` })).statusCode).toBe(401);
  });

  it('refuses what is not a JPEG or PNG, a mislabelled one, an oversized one, and photos on another’s comment', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect((await upload(branch, html, 'image/png')).statusCode).toBe(415);
    expect((await upload(branch, JPEG, 'image/png')).statusCode).toBe(415);
    expect((await upload(branch, html, 'text/html')).statusCode).toBe(415);
    expect((await upload(branch, Buffer.alloc(0), 'image/jpeg')).statusCode).toBeGreaterThanOrEqual(400);
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]);
    expect((await upload(branch, big, 'image/jpeg')).statusCode).toBe(413);
    // Head office sees the case but the comment is the branch's words.
    expect((await upload(risk, JPEG, 'image/jpeg')).statusCode).toBe(404);
    expect((await upload(branch, JPEG, 'image/jpeg', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect(await w.db.prisma.casePhoto.count({ where: { caseId } })).toBe(3);
  });
});
