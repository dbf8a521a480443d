/**
 * Codes name the part of the wire contract (shared/PROTOCOL.md) that input broke,
 * so callers can count and log by code without parsing messages.
 */
export type ProtocolErrorCode =
  | 'bad_id'
  | 'bad_topic'
  | 'bad_epc'
  | 'bad_json'
  | 'bad_payload'
  | 'bad_key';

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
