import { userInfo } from 'node:os';

/** Who is acting, for the record (retention rules, legal holds): --by, else the OS user. */
export function actor(by?: string): string {
  if (by) return by;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
