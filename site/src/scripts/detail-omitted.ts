/** A run's trace detail was left out of the site (its size budget); `url` is where to read it. */
export class DetailOmittedError extends Error {
  override name = 'DetailOmittedError';
  constructor(
    message: string,
    readonly url: string | null,
  ) {
    super(message);
  }
}
