export function syncPath(migrationId: string): string {
  return `/migrations/${migrationId}/sync`;
}
