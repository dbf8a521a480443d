export type TamperMode = 'covered' | 'blurred' | 'moved' | 'frozen';

const NONE: ReadonlySet<number> = new Set();

/** Faults scenarios inflict on devices: tampered cameras, disconnected reader antennas. */
export class DeviceFaults {
  private readonly tamper = new Map<string, TamperMode>();
  private readonly antennas = new Map<string, Set<number>>();

  setTamper(cameraId: string, mode: TamperMode | undefined): void {
    if (mode) this.tamper.set(cameraId, mode);
    else this.tamper.delete(cameraId);
  }

  tamperOf(cameraId: string): TamperMode | undefined {
    return this.tamper.get(cameraId);
  }

  setAntenna(readerId: string, port: number, connected: boolean): void {
    const down = this.antennas.get(readerId) ?? new Set<number>();
    if (connected) down.delete(port);
    else down.add(port);
    this.antennas.set(readerId, down);
  }

  antennasDown(readerId: string): ReadonlySet<number> {
    return this.antennas.get(readerId) ?? NONE;
  }
}
