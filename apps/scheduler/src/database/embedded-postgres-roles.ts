import pg from 'pg';

/** The embedded cluster's superuser (bootstrap role; used only to manage roles and databases). */
export const SUPERUSER = 'ablate';
/** The role the scheduler connects as: owns the application database, nothing more. */
export const APP_ROLE = 'ablate_app';
/**
 * The superuser's password before it was generated per data folder (it was fixed in the source). A
 * folder that still accepts it is upgraded on its first start: the password is rotated at once.
 */
export const LEGACY_SUPERUSER_PASSWORD = 'ablate';

export interface ClusterAccess {
  port: number;
  /** Password the superuser must have from now on (from its 0600 file). */
  superuserPassword: string;
  /** Password of the application role (from its 0600 file). */
  appPassword: string;
}

const INVALID_PASSWORD = '28P01';

export function urlFor(user: string, password: string, port: number, database: string): string {
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * Connects as the superuser. A folder initialised by an older Ablate still has the legacy password:
 * log in with it once and rotate it to the stored one, so it never works again.
 */
async function connectAsSuperuser(access: ClusterAccess, database: string, passwordFile: string): Promise<pg.Client> {
  try {
    return await connect(urlFor(SUPERUSER, access.superuserPassword, access.port, database));
  } catch (err) {
    if ((err as { code?: string }).code !== INVALID_PASSWORD) throw err;
  }
  let legacy: pg.Client;
  try {
    legacy = await connect(urlFor(SUPERUSER, LEGACY_SUPERUSER_PASSWORD, access.port, database));
  } catch (err) {
    if ((err as { code?: string }).code !== INVALID_PASSWORD) throw err;
    throw new Error(
      `The PostgreSQL superuser password in ${passwordFile} does not open the cluster beside it. ` +
        'Restore that file from where it came from, or move the data folder and its password files away to start with an empty database.',
      { cause: err },
    );
  }
  await legacy.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${legacy.escapeLiteral(access.superuserPassword)}`);
  return legacy;
}

/**
 * Makes the cluster safe to leave running: the application role exists without any superuser-like
 * power and with the stored password, owns `database`, its public schema and everything in it
 * (upgrading folders whose tables the superuser owned). Idempotent; runs at every start.
 */
export async function provisionCluster(access: ClusterAccess, database: string, passwordFile: string): Promise<void> {
  const admin = await connectAsSuperuser(access, 'postgres', passwordFile);
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${admin.escapeLiteral(access.appPassword)}`;
    await admin.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${APP_ROLE} ${attributes}`);
    const db = admin.escapeIdentifier(database);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    await admin.query(exists.rowCount ? `ALTER DATABASE ${db} OWNER TO ${APP_ROLE}` : `CREATE DATABASE ${db} OWNER ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  const inDatabase = await connectAsSuperuser(access, database, passwordFile);
  try {
    await moveOwnershipToAppRole(inDatabase);
  } finally {
    await inDatabase.end();
  }
}

/** Hands every object in the public schema that the application role does not own yet over to it. */
async function moveOwnershipToAppRole(client: pg.Client): Promise<void> {
  const appRoleOid = `(SELECT oid FROM pg_roles WHERE rolname = '${APP_ROLE}')`;
  const inPublic = `(SELECT oid FROM pg_namespace WHERE nspname = 'public')`;
  const { rows: schema } = await client.query<{ owner: string }>(`SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'public'`);
  // PostgreSQL 15+ gives `public` to pg_database_owner, which is the application role once it owns the database.
  if (schema[0] && schema[0].owner !== APP_ROLE && schema[0].owner !== 'pg_database_owner') await client.query(`ALTER SCHEMA public OWNER TO ${APP_ROLE}`);
  const batches = [
    // Tables first: their indexes, column sequences and row types follow them.
    `SELECT format('ALTER %s %s OWNER TO ${APP_ROLE}', CASE relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, oid::regclass) AS stmt
       FROM pg_class WHERE relnamespace = ${inPublic} AND relkind IN ('r', 'p', 'v', 'm', 'f') AND relowner <> ${appRoleOid}`,
    `SELECT format('ALTER SEQUENCE %s OWNER TO ${APP_ROLE}', oid::regclass) AS stmt
       FROM pg_class WHERE relnamespace = ${inPublic} AND relkind = 'S' AND relowner <> ${appRoleOid}`,
    `SELECT format('ALTER TYPE %s OWNER TO ${APP_ROLE}', oid::regtype) AS stmt
       FROM pg_type WHERE typnamespace = ${inPublic} AND typtype IN ('e', 'd', 'r') AND typowner <> ${appRoleOid}`,
    `SELECT format('ALTER ROUTINE %s OWNER TO ${APP_ROLE}', oid::regprocedure) AS stmt
       FROM pg_proc WHERE pronamespace = ${inPublic} AND prokind IN ('f', 'p') AND proowner <> ${appRoleOid}`,
  ];
  for (const select of batches) {
    const { rows } = await client.query<{ stmt: string }>(select);
    for (const { stmt } of rows) await client.query(stmt);
  }
}
