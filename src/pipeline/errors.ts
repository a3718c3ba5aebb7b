/** Errors a user can cause end the command with a message and an exit code, never a stack trace. */
export class UsageError extends Error {
  readonly exitCode = 2;
  /** `usage: false`: not a mistake in the command line (a missing package), so its usage is not shown after the line. */
  constructor(
    message: string,
    readonly usage = true,
  ) {
    super(message);
  }
}

export class UserError extends Error {
  readonly exitCode = 1;
}
