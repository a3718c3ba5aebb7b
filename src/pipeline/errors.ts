/** Errors a user can cause end the command with a message and an exit code, never a stack trace. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export class UserError extends Error {
  readonly exitCode = 1;
}
