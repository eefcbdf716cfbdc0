// How a tested connection's account is shown (rendered in the browser: no server imports).

/**
 * The permission level beside its administrator badge, without saying it twice: a Desk key's
 * level is "administrator" and the badge says so already ("administrator administrator").
 */
export function permissionDetail(account: { permissionLevel: string; isAdministrator: boolean }): string | null {
  const level = account.permissionLevel.trim();
  if (level === "") return null;
  const badge = account.isAdministrator ? "administrator" : "not an administrator";
  return level.toLowerCase() === badge || (account.isAdministrator && /^admin(istrator)?$/i.test(level)) ? null : level;
}
