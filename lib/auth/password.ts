import bcrypt from "bcryptjs";

// bcrypt cost 12: about a quarter second per hash on these machines, which is the point.
const BCRYPT_COST = 12;
export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// A real hash of a random string: comparing against it for unknown emails costs the same time
// as a real check, so response time does not reveal which emails have accounts.
const DUMMY_HASH = "$2b$12$CwTycUXWue0Thq9StjUM0uJ8.9Vh1u1mH8H6b9V8e6pZ7oBvQ4r3y";

export async function verifyPasswordOrDummy(password: string, hash: string | null): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return hash !== null && matches;
}
