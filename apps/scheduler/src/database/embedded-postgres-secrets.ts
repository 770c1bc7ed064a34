import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';

/** Where the passwords of an embedded cluster live: beside its data folder, readable by the owner only. */
export interface PostgresSecretFiles {
  /** Password of the superuser `ablate` (admin work only: roles, databases, ownership). */
  superuser: string;
  /** Password of the application role `ablate_app` (what the scheduler connects with). */
  app: string;
}

/** `<dataDir>.superuser-password` and `<dataDir>.app-password`, so two data folders never share a file. */
export function secretFilesFor(dataDir: string): PostgresSecretFiles {
  return { superuser: `${dataDir}.superuser-password`, app: `${dataDir}.app-password` };
}

/** The secret stored in `file`, or null when there is none yet. Tightens a file others can read to 0600. */
export async function readSecret(file: string): Promise<string | null> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if ((mode & 0o077) !== 0) await chmod(file, 0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  if (!secret) throw new Error(`${file} is empty. Delete it only together with the PostgreSQL data folder beside it.`);
  return secret;
}

/**
 * The secret in `file`, created (24 random bytes, base64url, mode 0600) when missing. `wx` refuses to
 * overwrite a file another process wrote meanwhile; that one is then read back.
 */
export async function readOrCreateSecret(file: string): Promise<string> {
  const existing = await readSecret(file);
  if (existing) return existing;
  const secret = randomBytes(24).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readSecret(file))!;
  }
}
