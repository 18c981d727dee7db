/** A whole-file problem (not CSV, no usable header): the API answers 400 with its message. */
export class ImportFileError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
