import { Type } from 'typebox';
import { ID_PATTERN } from '../ids.ts';

// Building blocks of the per-type evidence schemas. Every string, array and number is
// bounded: evidence arrives from a gateway, and the cloud stores and shows it as is.

/** `{site}/{kind}/{id}` (PROTOCOL.md "Verification event"); `device` stands in for a kind presence could not tell. */
export const DEVICE_REF_PATTERN = '^[A-Za-z0-9_-]{1,64}/(rfid|camera|audio|sensor|device)/[A-Za-z0-9_-]{1,64}$';
export const DeviceRef = Type.String({ pattern: DEVICE_REF_PATTERN, maxLength: 200, description: 'a device as {site}/{kind}/{id}' });

export const LotId = Type.String({ pattern: ID_PATTERN, description: `a lot id matching ${ID_PATTERN}` });
/** As many lots as one bay, scale or probe may cover. */
export const LotIds = Type.Array(LotId, { maxItems: 256 });

/** A zone as the site file names it (the envelope's `zone` has the same bound). */
export const ZoneName = Type.String({ minLength: 1, maxLength: 128 });
export const ZoneNames = Type.Array(ZoneName, { maxItems: 64 });

export const Timestamp = Type.String({ format: 'date-time', maxLength: 64, description: 'an RFC 3339 date-time' });

export const NonNegativeInt = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** Milliseconds, up to about 30 years. */
export const DurationMs = Type.Integer({ minimum: 0, maximum: 1e12 });
export const Fraction = Type.Number({ minimum: 0, maximum: 1 });
/** A physical reading (kg, °C, %RH, dBFS): finite and far beyond any real scale. */
export const Measure = Type.Number({ minimum: -1e12, maximum: 1e12 });

/** Set only on the event that ends a finding (video, audio and sensor stages). */
export const Cleared = Type.Optional(Type.Literal(true));

/** A short word from a closed vocabulary a stage may extend (reasons, sensor kinds). */
export const Word = Type.String({ minLength: 1, maxLength: 64 });
/** A sentence for a person. */
export const Sentence = Type.String({ minLength: 1, maxLength: 500 });
