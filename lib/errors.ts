/** An error whose message is meant for the user; field names the input it is about. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "UserFacingError";
  }
}

export class NotFoundError extends UserFacingError {
  constructor(what: string) {
    super(`${what} was not found, or you do not have access to it.`);
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends UserFacingError {
  constructor(message = "Only an admin of this organization can do that.") {
    super(message);
    this.name = "ForbiddenError";
  }
}
