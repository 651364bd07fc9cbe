// An Element API error as the simulator reports it: HTTP 200, `code` always 500 (the SDK turns any
// other code into an HTTP error), a stable `name`, and a human `message`.
export class SimError extends Error {
  override readonly name: string;

  constructor(name: string, message: string = name) {
    super(message);
    this.name = name;
  }

  toJSON(): { code: 500; name: string; message: string } {
    return { code: 500, name: this.name, message: this.message };
  }
}

export function volumeNotFound(volumeID: number): SimError {
  return new SimError('xVolumeIDDoesNotExist', `VolumeID ${volumeID} does not exist.`);
}
