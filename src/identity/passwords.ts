import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP's minimum: m=19 MiB, t=2, p=1). */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const COMMON = new Set(['password', 'password1', '12345678', '123456789', '1234567890', 'qwertyuiop', 'admin12345', 'suanli123']);

/** The minimum policy: 10+ characters, 3 of 4 character classes, not common, not the username. Returns what is wrong. */
export function passwordProblems(password: string, username = ''): string[] {
  const problems: string[] = [];
  if (password.length < 10) problems.push('use at least 10 characters');
  if (password.length > 256) problems.push('use at most 256 characters');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('mix at least three of: lower case, upper case, digits, symbols');
  if (COMMON.has(password.toLowerCase())) problems.push('this password is too common');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('do not include the username');
  return problems;
}
