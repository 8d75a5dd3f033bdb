/**
 * pgaudit.log classes `auditlake enable` sets by default. Kept in a module without imports so the CLI can show
 * it in `--help` without loading the PostgreSQL driver.
 */
export const DEFAULT_PGAUDIT_LOG = 'ddl,role,read,write,misc_set';
