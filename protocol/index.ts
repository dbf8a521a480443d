export { ProtocolError, type ProtocolErrorCode } from './errors.ts';
export { ID_PATTERN, isValidId, assertId } from './ids.ts';
export {
  topics,
  subscriptions,
  parseTopic,
  deviceRef,
  DEVICE_KINDS,
  type DeviceKind,
  type DeviceChannel,
  type Channel,
  type ParsedTopic,
} from './topics.ts';
export { ISO_DATE_TIME_PATTERN, normaliseTimestamp } from './timestamps.ts';
export {
  compileSchema,
  parseJsonPayload,
  decodeUtf8,
  MAX_PAYLOAD_BYTES,
  type Checker,
  type CheckResult,
} from './json-payload.ts';

export { SensorReading } from './schemas/sensor-reading.ts';
export { DeviceStatus } from './schemas/device-status.ts';
export { GatewayStatus } from './schemas/gateway-status.ts';
export {
  ImpinjEvent,
  ImpinjTagInventory,
  ImpinjTagInventoryEvent,
  ImpinjAntennaConnected,
  ImpinjAntennaDisconnected,
  ImpinjInventoryStatus,
  ImpinjOverflow,
} from './schemas/rfid-impinj.ts';
export { ZebraEvent, ZebraTagData, ZEBRA_DATA_EVENT_TYPES } from './schemas/rfid-zebra.ts';
export { CompactRead } from './schemas/rfid-compact.ts';
export {
  VerificationEvent,
  UnsealedEvent,
  HashedEvent,
  VERIFICATION_EVENT_TYPES,
  SEVERITIES,
  FIRST_SEQ,
  MAX_EVIDENCE_FIELDS,
  type VerificationEventType,
  type Severity,
} from './schemas/verification-event.ts';

export { decodeEpc, type DecodedEpc } from './epc/decode-epc.ts';
export { encodeSgtin96, type Sgtin96Fields } from './epc/encode-sgtin96.ts';
export { isEpcHex, MAX_EPC_BITS } from './epc/epc-hex.ts';

export { normaliseRfidPayload, MAX_ERRORS_PER_PAYLOAD, type RfidDecoderParts } from './rfid/normalise-rfid-payload.ts';
export type { RfidRead, ReaderHealth, ReaderHealthKind, RfidNormalised } from './rfid/types.ts';

export { GENESIS_HASH, hashEvent } from './chain/hash-event.ts';
export { canonicalJson, sha256Hex } from './chain/canonical-json.ts';
export { signHash } from './chain/signature.ts';
export { sealEvent } from './chain/seal-event.ts';
export { verifyEvent, type VerifyEventResult } from './chain/verify-event.ts';
export {
  verifyChain,
  GENESIS_ANCHOR,
  type ChainAnchor,
  type ChainFailureReason,
  type VerifyChainResult,
} from './chain/verify-chain.ts';
export { generateGatewayKeys, loadPublicKey, loadPrivateKey, type GatewayKeyPair } from './chain/keys.ts';

// The site YAML (PROTOCOL.md "Site configuration"), read by the gateway and the simulator.
export {
  SiteConfig,
  Zone,
  ZoneReader,
  ZoneCamera,
  RegionOfInterest,
  SensorRange,
  SiteConfigError,
  parseSiteConfig,
  loadSiteConfig,
} from './site/site-config.ts';
export type { StockedLot } from './site/stocked-lot.ts';
export { nightHours, type IsNight } from './site/night-hours.ts';
export { MerchantTransaction, MerchantRecord, TRANSACTION_KINDS, type TransactionKind } from './credit/merchant-data.ts';
export { MONTH_PATTERN, monthOf, monthIndex, monthFromIndex, addMonths, monthStart } from './credit/month.ts';
export {
  AttachmentRef,
  AttachmentRefs,
  ATTACHMENT_MEDIA_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_EVENT,
  type MediaType,
} from './evidence/attachment-ref.ts';
export { citedAttachments } from './evidence/cited-attachments.ts';

// The site manifest the cloud serves and the gateway guards (protocol/README.md "Site manifest").
export {
  SiteManifest,
  ManifestLot,
  ManifestReleaseOrder,
  ManifestQuantity,
  ManifestEpc,
  MAX_MANIFEST_LOTS,
  MAX_MANIFEST_RELEASE_ORDERS,
  MAX_EPCS_PER_LOT,
  type ManifestLotStatus,
} from './manifest/site-manifest.ts';
export { parseSiteManifest, normaliseManifest } from './manifest/parse-manifest.ts';
export { IngestReply, MAX_INGEST_BATCH, REJECTION_CLASSES } from './schemas/ingest-reply.ts';
export { LOT_STATES, LotStateSchema, isLotState, type LotState } from './lot-states.ts';
export {
  EVIDENCE_SCHEMAS,
  checkEvidence,
  typedEvent,
  type EvidenceOf,
  type TypedEvidence,
  type TypedVerificationEvent,
} from './evidence/evidence-schemas.ts';
export { DEVICE_REF_PATTERN } from './evidence/evidence-fields.ts';
export { TagRef, MAX_TAGS_PER_EVENT } from './evidence/tag-evidence.ts';
export { LotVerifiedEvidence, TagsMissingEvidence, TagsForeignEvidence, TagsMovedEvidence } from './evidence/rfid-evidence.ts';
export { CameraTamperEvidence, CameraChangeEvidence, RoiRectangle, TAMPER_KINDS, ROI_LABELS, type TamperKind, type RoiLabel } from './evidence/video-evidence.ts';
export { AudioAnomalyEvidence, AUDIO_ANOMALY_LABELS, type AudioAnomalyLabel } from './evidence/audio-evidence.ts';
export { DevicePresenceEvidence, DEVICE_HEALTH_REASONS, type DeviceHealthReason } from './evidence/device-evidence.ts';
export { SensorOutOfRangeEvidence, WeightChangeEvidence, LotConditionEvidence } from './evidence/sensor-evidence.ts';
export {
  GatewayStartedEvidence,
  LotStateEvidence,
  EVIDENCE_KINDS,
  MAX_LOT_STATE_REASON,
  MAX_LOT_STATE_CITES,
  type EvidenceKind,
} from './evidence/gateway-evidence.ts';
